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
import { parse } from 'csv-parse/sync';
import { SpecError, type SpecProblem, closest } from './errors.ts';

/** The columns a state table may have, derived from the model's row schema. */
export interface TableColumns {
  /** Scalar columns every row must fill. */
  readonly required: readonly string[];
  /** Scalar columns that may be left out or empty. */
  readonly optional: readonly string[];
  /** Scalar columns read as numbers. */
  readonly numeric: ReadonlySet<string>;
  /** Keyed fields: `values` read from columns `value_<key>`. */
  readonly keyed: readonly { readonly field: string; readonly prefix: string }[];
}

/** A state table as read: where it is and where each data row lies in it. */
export interface StateTable {
  /** The path shown in messages (relative to the working folder when inside it). */
  readonly file: string;
  /** The absolute path. */
  readonly path: string;
  /** The spec file that named it, and the field that did. */
  readonly specFile: string;
  readonly field: string;
  /** Line in the file of each data row (1-based). */
  readonly lines: readonly number[];
  /** The header, as written. */
  readonly header: readonly string[];
}

/** Fewer states than this is not a population (the generator's N has the same minimum). */
export const MIN_STATES = 2;
/** A table with more problems than this lists the first ones and counts the rest. */
const MAX_PROBLEMS = 20;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Row = Record<string, unknown>;

/** The prefix of a keyed field's columns: `values` -> `value_`. */
export function keyedPrefix(field: string): string {
  return `${field.replace(/s$/, '')}_`;
}

/**
 * Reads the state table that `params.states.table` names. Throws SpecError for what
 * makes the table unreadable (no file, malformed CSV, bad header, ragged rows, no data
 * rows); returns the rows with numbers converted (a cell that is not a number is kept
 * as written, for the model's schema to reject with its range) and the problems that
 * need no schema (duplicate names).
 */
export function readStateTable(
  specFile: string,
  tablePath: string,
  field: string,
  columns: TableColumns,
  keys: ReadonlyMap<string, readonly string[] | null>,
): { rows: Row[]; table: StateTable; problems: SpecProblem[] } {
  const path = resolve(dirname(specFile), tablePath);
  const rel = relative(process.cwd(), path);
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  const note = tableNote({ file, field, specFile });
  const fail = (problems: SpecProblem[]): never => {
    throw new SpecError(specFile, problems.map((p) => ({ file, ...p })), note);
  };

  let text: string;
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'not a file' : (e as Error).message;
    throw new SpecError(specFile, [
      {
        field,
        message: `cannot read the state table ${JSON.stringify(tablePath)}: ${why}: ${path} (resolved against ${specFile.startsWith('<') ? 'the working folder, for a spec given as an object,' : "the spec's folder"} ${resolve(dirname(specFile))})`,
        allowed: `a readable CSV file, its path relative to ${specFile.startsWith('<') ? 'the working folder' : 'the folder of the spec file'}`,
      },
    ]);
  }

  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      relax_column_count: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return fail([
      {
        field,
        at: line ? `line ${line}` : 'the file',
        message: `malformed CSV: ${(e as Error).message.replace(/ at line \d+/, '').replace(/\s+\d+$/, '')}`,
        allowed: 'comma-separated cells, one state per line, a cell with a comma or quote quoted "like, ""this"""',
      },
    ]);
  }
  // a line of only commas is an empty row too
  records = records.filter((r) => r.record.some((c) => c !== ''));

  const allowedColumns = describeColumns(columns, keys);
  if (records.length === 0) {
    return fail([{ field, at: 'the file', message: 'is empty: no header and no rows', allowed: `a header line (${allowedColumns}) and one line per state, at least ${MIN_STATES}` }]);
  }
  const header = records[0].record;
  const headerLine = records[0].info.lines;
  const at = `header (line ${headerLine})`;

  // the header: every column known, none twice, none required missing
  const problems: SpecProblem[] = [];
  const scalar = [...columns.required, ...columns.optional];
  const keyColumns = [...keys.entries()].flatMap(([f, ks]) => (ks ?? []).map((k) => `${keyedPrefix(f)}${k}`));
  const seen = new Map<string, number>();
  header.forEach((col, c) => {
    const where = `${at}, column ${c + 1} ${JSON.stringify(col)}`;
    if (col === '') {
      problems.push({ field, at: where, message: 'has no name', allowed: allowedColumns });
      return;
    }
    if (seen.has(col)) {
      problems.push({ field, at: where, message: `appears twice (also column ${seen.get(col)! + 1})`, allowed: 'each column once' });
      return;
    }
    seen.set(col, c);
    if (scalar.includes(col)) return;
    const keyed = columns.keyed.find((k) => col.startsWith(k.prefix));
    if (keyed) {
      const known = keys.get(keyed.field);
      const key = col.slice(keyed.prefix.length);
      if (known === null || known === undefined || known.includes(key)) return;
      const hint = closest(col, known.map((k) => `${keyed.prefix}${k}`));
      problems.push({
        field,
        at: where,
        message: `names no issue area: there is no ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        allowed: known.map((k) => `${keyed.prefix}${k}`).join(', '),
      });
      return;
    }
    const hint = closest(col, [...scalar, ...keyColumns]);
    problems.push({ field, at: where, message: `unknown column${hint ? ` (did you mean "${hint}"?)` : ''}`, allowed: allowedColumns });
  });
  const missing = columns.required.filter((c) => !seen.has(c));
  if (missing.length) {
    problems.push({
      field,
      at,
      message: `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')} (the header has ${header.map((c) => JSON.stringify(c)).join(', ')})`,
      allowed: allowedColumns,
    });
  }
  if (problems.length) return fail(problems);

  const data = records.slice(1);
  if (data.length < MIN_STATES) {
    return fail([
      {
        field,
        at: 'the file',
        message: data.length === 0 ? 'has a header but no data rows (the table is empty)' : `has ${data.length} data row, one state`,
        allowed: `at least ${MIN_STATES} data rows, one per state`,
      },
    ]);
  }
  const lines = data.map((r) => r.info.lines);
  const table: StateTable = { file, path, specFile, field, lines, header };

  // rows whose cell count is not the header's cannot be read column by column
  const ragged: SpecProblem[] = [];
  data.forEach((r, i) => {
    if (r.record.length !== header.length) {
      ragged.push({
        field,
        at: rowAt(table, i),
        message: `has ${r.record.length} cells but the header has ${header.length} columns`,
        allowed: 'one cell per column (leave an optional cell empty, but keep its comma)',
      });
    }
  });
  if (ragged.length) return fail(capped(ragged, table));

  const rows = data.map((r) => {
    const row: Row = {};
    header.forEach((col, c) => {
      const cell = r.record[c];
      if (cell === '') return; // empty: missing if required, the default if optional
      const keyed = columns.keyed.find((k) => col.startsWith(k.prefix) && !scalar.includes(col));
      if (keyed) {
        const map = (row[keyed.field] ??= {}) as Row;
        map[col.slice(keyed.prefix.length)] = DECIMAL.test(cell) ? Number(cell) : cell;
      } else {
        row[col] = columns.numeric.has(col) && DECIMAL.test(cell) ? Number(cell) : cell;
      }
    });
    return row;
  });

  // duplicate names: the schema checks one row at a time, so this is checked here
  const first = new Map<unknown, number>();
  rows.forEach((row, i) => {
    if (typeof row.name !== 'string') return;
    const j = first.get(row.name);
    if (j === undefined) first.set(row.name, i);
    else problems.push({ field, file, at: `${rowAt(table, i)}, column "name"`, message: `got ${JSON.stringify(row.name)}, already the name of ${rowAt(table, j)}`, allowed: 'a name that no other state has' });
  });
  return { rows, table, problems };
}

/** The last line of an error about a table: which spec named it, and where. */
export function tableNote(table: Pick<StateTable, 'file' | 'field' | 'specFile'>): string {
  return `(${table.file} is the state table named by ${table.field} in ${table.specFile})`;
}

/** Problems in the table first, in the order of its lines; then the rest as they came. */
export function byLine(problems: readonly SpecProblem[], table: StateTable): SpecProblem[] {
  const line = (p: SpecProblem): number => (p.file !== table.file ? Infinity : Number(/line (\d+)/.exec(p.at ?? '')?.[1] ?? 0));
  return problems.map((p, k) => ({ p, k })).sort((a, b) => line(a.p) - line(b.p) || a.k - b.k).map((x) => x.p);
}

/** "data row 3 (line 4)": the 1-based data row (the header not counted) and its line in the file. */
export function rowAt(table: StateTable, i: number): string {
  return `data row ${i + 1} (line ${table.lines[i]})`;
}

/**
 * Moves a problem that the model's schema found in `params.states.rows.<i>...` to the
 * table cell it came from. `rest` is the path below the row: [] for the row as a
 * whole, [column], or [keyed field, key].
 */
export function relocate(table: StateTable, i: number, rest: readonly PropertyKey[], problem: SpecProblem, row: unknown): SpecProblem {
  const base = { field: table.field, file: table.file, allowed: problem.allowed };
  const message = problem.message.replace(/^missing/, 'got an empty cell');
  if (rest.length === 0) {
    const roles = roleSum(row);
    return roles
      ? { ...base, at: `${rowAt(table, i)}, columns "origin", "transit", "destination"`, message: `got ${roles}: the role weights must sum to 1`, allowed: ROLE_ALLOWED }
      : { ...base, at: rowAt(table, i), message };
  }
  const column = rest.length >= 2 ? `${keyedPrefix(String(rest[0]))}${String(rest[1])}` : String(rest[0]);
  return { ...base, at: `${rowAt(table, i)}, column ${JSON.stringify(column)}`, message };
}

const ROLE_ALLOWED = 'origin, transit and destination weights, each in [0, 1], that sum to 1 (within 1e-6)';

/** For a row whose role weights are numbers that do not sum to 1: "0.5 + 0.6 + 0 = 1.1". */
export function roleSum(row: unknown): string | undefined {
  if (row === null || typeof row !== 'object') return undefined;
  const r = row as Row;
  const w = [r.origin, r.transit, r.destination];
  if (!w.every((x) => typeof x === 'number')) return undefined;
  const sum = (w as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) < 1e-6) return undefined;
  return `origin + transit + destination = ${w.join(' + ')} = ${Number(sum.toPrecision(12))}`;
}

/** The role-sum problem of an inline row, readable: which weights, their sum, what is allowed. */
export function inlineRoleProblem(field: string, row: unknown, problem: SpecProblem): SpecProblem {
  const roles = roleSum(row);
  return roles ? { field, message: `got ${roles}: the role weights must sum to 1`, allowed: ROLE_ALLOWED } : problem;
}

/**
 * What the schema cannot see one row at a time, for rows given inline in a spec:
 * too few rows, names used twice, valuations for issue areas that do not exist.
 */
export function checkInlineRows(rows: readonly Row[], keys: ReadonlyMap<string, readonly string[] | null>, prefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (rows.length < MIN_STATES) {
    problems.push({ field: prefix, message: `got ${rows.length} row${rows.length === 1 ? '' : 's'}`, allowed: `at least ${MIN_STATES} rows, one per state` });
  }
  const first = new Map<unknown, number>();
  rows.forEach((row, i) => {
    const j = first.get(row.name);
    if (j === undefined) first.set(row.name, i);
    else problems.push({ field: `${prefix}.${i}.name`, message: `got ${JSON.stringify(row.name)}, already the name of ${prefix}.${j}`, allowed: 'a name that no other state has' });
    for (const [f, known] of keys) {
      const map = row[f];
      if (!known || map === null || typeof map !== 'object') continue;
      for (const k of Object.keys(map)) {
        if (known.includes(k)) continue;
        const hint = closest(k, known);
        problems.push({ field: `${prefix}.${i}.${f}.${k}`, message: `names no issue area: there is no ${JSON.stringify(k)}${hint ? ` (did you mean "${hint}"?)` : ''}`, allowed: known.join(', ') });
      }
    }
  });
  return problems;
}

/** The first problems of a long list, and a count of the rest. */
export function capped(problems: SpecProblem[], table: StateTable): SpecProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { field: table.field, file: table.file, at: 'the file', message: `and ${more} more problem${more > 1 ? 's' : ''}` }];
}

function describeColumns(columns: TableColumns, keys: ReadonlyMap<string, readonly string[] | null>): string {
  const keyed = columns.keyed.map((k) => {
    const known = keys.get(k.field);
    return known ? known.map((n) => `${k.prefix}${n}`).join(', ') : `${k.prefix}<issue area>`;
  });
  const optional = [...columns.optional, ...keyed];
  return `columns ${columns.required.join(', ')}${optional.length ? `, optionally ${optional.join(', ')}` : ''}, in any order`;
}
