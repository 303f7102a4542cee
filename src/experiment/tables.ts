// State tables: a CSV file that a spec names in `params.states.table` (a path
// relative to the spec file's folder), read when the spec is loaded into
// `params.states.rows`, so that the model sees rows and never a file. `table` stays in
// params beside the rows: the manifest then records both, and a result folder is
// self-contained (a spec that already has `rows` is not read again).
//
// The columns are the fields of the model's row schema: scalar fields are columns of
// the same name (name, region, origin, transit, destination, capacity; sovereignty
// optional), and a keyed field such as `values` (per-issue-area valuations) is one
// column per key, `value_<issue area>`. Empty cells of optional columns take the
// model's default. Problems name the table file, the data row (1-based, not counting
// the header) with its line in the file, the column, the value and what is allowed;
// the ranges come from the model's own schema (load.ts relocates its issues here).
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { SpecError, type SpecProblem, closest, quote, truncate } from './errors.ts';
import { FORBIDDEN_KEYS, firstInvalidUtf8 } from './input.ts';
import { type RowProblem, type StateTable, type TableColumns, MAX_PROBLEMS, MIN_STATES, STOP_AFTER, capped, keyedPrefix, relocate, rowAt, tableNote } from './table-rows.ts';

export * from './table-rows.ts';

/** The largest state table read, checked before it is read (about five million rows of a typical table). */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_ASCII = /[\x80-\xff]/;
const CSV_ALLOWED = 'comma-separated cells, one state per line, a cell with a comma or quote quoted "like, ""this"""';

type Row = Record<string, unknown>;



/** A malformed CSV, at a line. */
class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits CSV text (one character per byte: the file read as latin1, so that cells can be
 * checked as UTF-8 one by one) into records, calling `onRecord` with each record's
 * cells and first line; `false` from it stops. Cells are trimmed of spaces and tabs; a
 * quoted cell may hold commas, doubled quotes and line breaks. Records end at LF, CRLF
 * or CR. A loop, no recursion, one record in memory at a time.
 */
function splitCsv(src: string, start: number, onRecord: (cells: string[], quoted: boolean, line: number) => boolean): void {
  const n = src.length;
  let i = start;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const cells: string[] = [];
    let quoted = false;
    for (;;) {
      while (i < n && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i++;
      let cell: string;
      if (src.charCodeAt(i) === 34) {
        quoted = true;
        const cellLine = line;
        let text = '';
        i++;
        for (;;) {
          const q = src.indexOf('"', i);
          if (q < 0) throw new CsvSyntaxError(cellLine, 'Quote Not Closed: the quoted cell that starts on this line never ends');
          const part = src.slice(i, q);
          for (let k = part.indexOf('\n'); k >= 0; k = part.indexOf('\n', k + 1)) line++;
          text += part;
          if (src.charCodeAt(q + 1) === 34) {
            text += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        while (i < n && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i++;
        const c = src.charCodeAt(i);
        if (i < n && c !== 44 && c !== 10 && c !== 13) throw new CsvSyntaxError(line, 'Invalid Closing Quote: text after the closing quote of a cell');
        cell = text;
      } else {
        const from = i;
        for (; i < n; i++) {
          const c = src.charCodeAt(i);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34) throw new CsvSyntaxError(line, 'Invalid Opening Quote: a quote inside a cell that does not start with one (quote the whole cell)');
        }
        let to = i;
        while (to > from && (src.charCodeAt(to - 1) === 32 || src.charCodeAt(to - 1) === 9)) to--;
        cell = src.slice(from, to);
      }
      cells.push(cell);
      if (i < n && src.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      if (src.charCodeAt(i) === 13) i++;
      if (src.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (!onRecord(cells, quoted, recordLine)) return;
  }
}

/**
 * Reads the state table that `params.states.table` names, row by row. Throws
 * SpecError for what makes the table unreadable (too big, not UTF-8 text, malformed
 * CSV, a bad header, fewer than two rows). Each data row is then turned into a row
 * (numbers converted; a cell that is not a number is kept as written, for the model's
 * schema to reject with its range) and checked at once: cell count, bytes (UTF-8, no
 * NUL), duplicate names and `checkRow` (the model's row schema). Problems come in the
 * order of the file; after STOP_AFTER of them the file is read no further.
 *
 * Lines starting with `#` are comments only above the header; below it every line is
 * data, so a state may be called "#1".
 */
export function readStateTable(
  specFile: string,
  tablePath: string,
  field: string,
  columns: TableColumns,
  keys: ReadonlyMap<string, readonly string[] | null>,
  checkRow?: (row: Row) => readonly RowProblem[],
): { rows: Row[]; table: StateTable; problems: SpecProblem[]; more: number; stopped: boolean } {
  const path = resolve(dirname(specFile), tablePath);
  const rel = relative(process.cwd(), path);
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  const note = tableNote({ file, field, specFile });
  const fail = (problems: SpecProblem[]): never => {
    throw new SpecError(specFile, problems.map((p) => ({ file, ...p })), note);
  };

  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (st.size > MAX_TABLE_BYTES) {
      return fail([{ field, at: 'the file', message: `is ${st.size} bytes`, allowed: `a state table of at most ${MAX_TABLE_BYTES} bytes (256 MiB)` }]);
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'not a file' : truncate((e as Error).message, 200);
    throw new SpecError(specFile, [
      {
        field,
        message: `cannot read the state table ${quote(tablePath)}: ${why}: ${path} (resolved against ${specFile.startsWith('<') ? 'the working folder, for a spec given as an object,' : "the spec's folder"} ${resolve(dirname(specFile))})`,
        allowed: `a readable CSV file, its path relative to ${specFile.startsWith('<') ? 'the working folder' : 'the folder of the spec file'}`,
      },
    ]);
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return fail([{ field, at: 'the file', message: 'is not a UTF-8 text file: it starts with a UTF-16 byte-order mark', allowed: 'a CSV file in UTF-8 (save it as UTF-8)' }]);
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // the common case, checked once for the whole file: UTF-8 text without NUL; otherwise
  // the file is read one character per byte (the CSV's structure is ASCII) and each
  // cell is checked as UTF-8 on its own, so that a bad byte is named by row and column
  const clean = bytes.indexOf(0) < 0 && isUtf8(bytes);
  const src = bytes.toString(clean ? 'utf8' : 'latin1', bom);

  const allowedColumns = describeColumns(columns, keys);
  const scalar = [...columns.required, ...columns.optional];
  const problems: SpecProblem[] = [];
  let more = 0;
  let stopped = false;
  const add = (p: SpecProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, ...p });
    else more++;
    if (problems.length + more >= STOP_AFTER) stopped = true;
  };
  /** A cell as text: UTF-8 decoded; undefined (and a problem at `where()`) if it is not UTF-8 or holds a NUL. */
  const text = (cell: string, where: (() => string) | string): string | undefined => {
    if (clean) return cell;
    const at = (): string => (typeof where === 'string' ? where : where());
    const nul = cell.indexOf('\0');
    if (nul >= 0) {
      add({ field, at: at(), message: `has a NUL byte (at character ${nul + 1} of the cell)`, allowed: 'UTF-8 text without NUL bytes (is this a binary or UTF-16 file?)' });
      return undefined;
    }
    if (!NON_ASCII.test(cell)) return cell;
    const b = Buffer.from(cell, 'latin1');
    const bad = firstInvalidUtf8(b);
    if (bad >= 0) {
      add({ field, at: at(), message: `has byte 0x${b[bad].toString(16).padStart(2, '0')} that is not valid UTF-8 (at byte ${bad + 1} of the cell)`, allowed: 'a CSV file in UTF-8' });
      return undefined;
    }
    return b.toString('utf8');
  };

  let header: string[] | undefined;
  const plan: ({ kind: 'scalar'; name: string; numeric: boolean } | { kind: 'keyed'; field: string; key: string })[] = [];
  const rows: Row[] = [];
  const lines: number[] = [];
  let table: StateTable = { file, path, specFile, field, lines, header: [] };
  const firstRow = new Map<string, number>();

  const onHeader = (cells: string[], line: number): void => {
    const at = `header (line ${line})`;
    const hp: SpecProblem[] = [];
    const names = cells.map((c, k) => text(c, () => `${at}, column ${k + 1}`) ?? c);
    if (problems.length) return fail(problems);
    const keyColumns = [...keys.entries()].flatMap(([f, ks]) => (ks ?? []).map((k) => `${keyedPrefix(f)}${k}`));
    const seen = new Map<string, number>();
    names.forEach((col, c) => {
      const where = `${at}, column ${c + 1} ${quote(col)}`;
      if (col === '') {
        hp.push({ field, at: where, message: 'has no name', allowed: allowedColumns });
        return;
      }
      if (seen.has(col)) {
        hp.push({ field, at: where, message: `appears twice (also column ${seen.get(col)! + 1})`, allowed: 'each column once' });
        return;
      }
      seen.set(col, c);
      if (scalar.includes(col)) {
        plan.push({ kind: 'scalar', name: col, numeric: columns.numeric.has(col) });
        return;
      }
      const keyed = columns.keyed.find((k) => col.startsWith(k.prefix));
      if (keyed) {
        const known = keys.get(keyed.field);
        const key = col.slice(keyed.prefix.length);
        if (FORBIDDEN_KEYS.has(key)) {
          hp.push({ field, at: where, message: `names ${quote(key)}, which is not allowed as a name`, allowed: 'issue area names other than __proto__, constructor and prototype' });
          return;
        }
        if (known === null || known === undefined || known.includes(key)) {
          plan.push({ kind: 'keyed', field: keyed.field, key });
          return;
        }
        const hint = closest(col, known.map((k) => `${keyed.prefix}${k}`));
        hp.push({
          field,
          at: where,
          message: `names no issue area: there is no ${quote(key)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
          allowed: known.map((k) => `${keyed.prefix}${k}`).join(', '),
        });
        return;
      }
      const hint = closest(col, [...scalar, ...keyColumns]);
      hp.push({ field, at: where, message: `unknown column${hint ? ` (did you mean "${hint}"?)` : ''}`, allowed: allowedColumns });
    });
    const missing = columns.required.filter((c) => !seen.has(c));
    if (missing.length) {
      hp.push({
        field,
        at,
        message: `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')} (the header has ${truncate(names.map((c) => JSON.stringify(c)).join(', '), 400)})`,
        allowed: allowedColumns,
      });
    }
    if (hp.length) return fail(capped(hp, table));
    header = names;
    table = { ...table, header: names };
  };

  const onData = (cells: string[], line: number): void => {
    const i = rows.length;
    lines.push(line);
    const row: Row = {};
    rows.push(row);
    if (cells.length !== plan.length) {
      add({
        field,
        at: rowAt(table, i),
        message: `has ${cells.length} cells but the header has ${plan.length} columns${cells[0].startsWith('#') ? ' (a line starting with # below the header is a row, not a comment: comments go above the header)' : ''}`,
        allowed: 'one cell per column (leave an optional cell empty, but keep its comma)',
      });
      return;
    }
    let readable = true;
    for (let c = 0; c < cells.length; c++) {
      const p = plan[c];
      const cell = clean ? cells[c] : text(cells[c], () => `${rowAt(table, i)}, column ${JSON.stringify(header![c])}`);
      if (cell === undefined) {
        readable = false;
        continue;
      }
      if (cell === '') continue; // empty: missing if required, the default if optional
      if (p.kind === 'keyed') {
        const map = (row[p.field] ??= {}) as Row;
        map[p.key] = DECIMAL.test(cell) ? Number(cell) : cell;
      } else {
        row[p.name] = p.numeric && DECIMAL.test(cell) ? Number(cell) : cell;
      }
    }
    if (!readable) return;
    if (checkRow) for (const { path: rest, problem } of checkRow(row)) add(relocate(table, i, rest, problem, row));
    // duplicate names: the schema checks one row at a time, so this is checked here
    if (typeof row.name === 'string') {
      const j = firstRow.get(row.name);
      if (j === undefined) firstRow.set(row.name, i);
      else add({ field, at: `${rowAt(table, i)}, column "name"`, message: `got ${quote(row.name)}, already the name of ${rowAt(table, j)}`, allowed: 'a name that no other state has' });
    }
  };

  try {
    splitCsv(src, 0, (cells, quoted, line) => {
      const empty = !quoted && cells.every((c) => c === '');
      if (header === undefined) {
        // above the header: blank lines and # comments
        if (empty || (!quoted && cells[0].startsWith('#'))) {
          const raw = cells.join(',');
          if (!clean && (raw.includes('\0') || (NON_ASCII.test(raw) && firstInvalidUtf8(Buffer.from(raw, 'latin1')) >= 0))) {
            fail([{ field, at: `line ${line}`, message: 'is not UTF-8 text (a NUL byte or an invalid byte)', allowed: 'a CSV file in UTF-8' }]);
          }
          return true;
        }
        onHeader(cells, line);
        return true;
      }
      // a line of only commas is an empty row too
      if (empty) return true;
      onData(cells, line);
      return !stopped;
    });
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return fail([{ field, at: `line ${e.line}`, message: `malformed CSV: ${e.message}`, allowed: CSV_ALLOWED }]);
  }

  if (header === undefined) {
    return fail([{ field, at: 'the file', message: 'is empty: no header and no rows', allowed: `a header line (${allowedColumns}) and one line per state, at least ${MIN_STATES}` }]);
  }
  if (rows.length < MIN_STATES) {
    return fail([
      {
        field,
        at: 'the file',
        message: rows.length === 0 ? 'has a header but no data rows (the table is empty)' : `has ${rows.length} data row, one state`,
        allowed: `at least ${MIN_STATES} data rows, one per state`,
      },
    ]);
  }
  return { rows, table, problems, more, stopped };
}

function describeColumns(columns: TableColumns, keys: ReadonlyMap<string, readonly string[] | null>): string {
  const keyed = columns.keyed.map((k) => {
    const known = keys.get(k.field);
    return known ? known.map((n) => `${k.prefix}${n}`).join(', ') : `${k.prefix}<issue area>`;
  });
  const optional = [...columns.optional, ...keyed];
  return `columns ${columns.required.join(', ')}${optional.length ? `, optionally ${optional.join(', ')}` : ''}, in any order`;
}
