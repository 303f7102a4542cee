// What a state table's rows may hold and how problems in them are told, without
// reading any file: the parts of state tables that spec validation needs
// (src/experiment/validate.ts), so that validation runs in the browser too. Reading
// the CSV file itself is tables.ts's.
import { type SpecProblem, closest } from './errors.ts';

type Row = Record<string, unknown>;

/** The prefix of a keyed field's columns: `values` -> `value_`. */
export function keyedPrefix(field: string): string {
  return `${field.replace(/s$/, '')}_`;
}

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
export const MAX_PROBLEMS = 20;
/** After this many problems a table is not read further: the count says "at least". */
export const STOP_AFTER = 1000;
/** A problem the caller's row check found, at a path below the row ([] the row, [column] or [keyed field, key]). */
export interface RowProblem {
  readonly path: readonly PropertyKey[];
  readonly problem: SpecProblem;
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

/** The first problems of a long list, and a count of the rest (`more`: problems counted, not listed; `stopped`: the file was not read to its end). */
export function capped(problems: SpecProblem[], table: StateTable, more = 0, stopped = false): SpecProblem[] {
  const rest = Math.max(0, problems.length - MAX_PROBLEMS) + more;
  if (rest === 0) return problems;
  const count = `and ${stopped ? 'at least ' : ''}${rest} more problem${rest > 1 ? 's' : ''}${stopped ? ` (the table was read no further after ${STOP_AFTER} problems)` : ''}`;
  return [...problems.slice(0, MAX_PROBLEMS), { field: table.field, file: table.file, at: 'the file', message: count }];
}
