// Reading a results folder back into memory: manifest.json, series.csv and final.csv
// (written by `migov run`) and, when present, the sweep tables runs.csv, summary.csv
// and sensitivity.csv. Every problem is a ReportError naming the folder, the file and
// the row, line and column.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { declaredOutcomes, metricNames } from '../charts/outcomes.ts';
import type { FinalRow, Manifest, ParameterInfo, ParameterInfos, ResultData, RunRow, SensitivityRow, SeriesRow, SummaryRow } from '../charts/types.ts';
import { ReportError } from './errors.ts';
import { unescapeText } from '../sweep/csv.ts';
import { discoverySummaryOf } from './discover-section.ts';
import { readCalibration } from './calibrate-section.ts';

/** Files a report writes into the folder (so not inputs: their hashes are the report's own). */
export function isReportOutput(file: string): boolean {
  return file === 'report.html' || file.startsWith('charts/');
}

/**
 * Reads a results folder; throws ReportError when a file is missing or malformed.
 * `given` holds the rows of series.csv and final.csv the caller already has in memory
 * (`migov run`, which has just written them): those files are then not read.
 */
export function readResults(folder: string, given?: { readonly series: SeriesRow[]; readonly final: FinalRow[] }): ResultData {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ReportError(folder, '', 'no such folder; expected a results folder written by `migov run` (holding manifest.json, series.csv and final.csv)');
  }
  const manifest = readManifest(folder);
  if (manifest.kind === 'discover') return readDiscovery(folder, manifest);
  if (manifest.kind === 'calibrate') return readCalibration(folder, manifest);
  const sweep = existsSync(join(folder, 'runs.csv'));
  const data: ResultData = {
    manifest,
    // a sweep's folder may hold no per-round series; a run's always does
    series: given?.series ?? (sweep && !existsSync(join(folder, 'series.csv')) ? [] : readSeries(folder)),
    final: given?.final ?? (sweep && !existsSync(join(folder, 'final.csv')) ? [] : readFinal(folder)),
  };
  if (sweep) data.runs = readTable(folder, 'runs.csv', ['point', 'replication', 'seed'], {}).rows as RunRow[];
  if (existsSync(join(folder, 'summary.csv'))) {
    data.summary = readTable(folder, 'summary.csv', ['metric', 'mean', 'sd', 'ci95', 'n'], {
      metric: 'string',
      mean: 'number',
      sd: 'number',
      ci95: 'number',
      n: 'number',
    }).rows as SummaryRow[];
  }
  // what the metrics mean: the manifest's declarations, checked; a folder written before them reads as plain numbers of unknown unit
  data.outcomes = declaredOutcomes(manifest.outcomes, metricNames(data));
  // what the swept parameters are, in the model's words; a folder without them titles a parameter by its path
  const parameters = parameterInfosOf(manifest.parameters);
  if (parameters) data.parameters = parameters;
  if (existsSync(join(folder, 'sensitivity.csv'))) {
    // `migov sweep` names the swept parameter's column `factor`; `parameter` is read too
    const { header } = parseCsv(folder, 'sensitivity.csv', []);
    const name = header.includes('parameter') || !header.includes('factor') ? 'parameter' : 'factor';
    const cols = ['method', name, 'metric', 'index', 'value', 'ci_low', 'ci_high'];
    const types = { method: 'string', [name]: 'string', metric: 'string', index: 'string', value: 'number', ci_low: 'number', ci_high: 'number' } as const;
    data.sensitivity = readTable(folder, 'sensitivity.csv', cols, types).rows.map((r) => {
      const { [name]: parameter, ...rest } = r;
      return { ...rest, parameter } as unknown as SensitivityRow;
    });
  }
  return data;
}

/** A `migov discover` folder: no series or final table; its boxes and trajectory are in the manifest's `discover`. */
function readDiscovery(folder: string, manifest: Manifest): ResultData {
  const discover = discoverySummaryOf(manifest.discover);
  if (!discover) throw new ReportError(folder, 'manifest.json', `field "discover" is missing or malformed. ${MANIFEST_REMEDY}`);
  const data: ResultData = { manifest, series: [], final: [], discover };
  const metrics = (manifest.outcomes?.metrics ?? []).map((m) => m.name);
  data.outcomes = declaredOutcomes(manifest.outcomes, metrics);
  const parameters = parameterInfosOf(manifest.parameters);
  if (parameters) data.parameters = parameters;
  return data;
}

/** The manifest's parameter words, each checked (a label string; unit and description strings if there); a malformed entry is left out. */
export function parameterInfosOf(value: unknown): ParameterInfos | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, ParameterInfo> = {};
  for (const [path, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    const { label, unit, description } = v as Record<string, unknown>;
    if (typeof label !== 'string' || label === '' || (unit !== undefined && typeof unit !== 'string') || (description !== undefined && typeof description !== 'string')) continue;
    out[path] = { label, ...(unit ? { unit } : {}), ...(description ? { description } : {}) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function readText(folder: string, file: string): string {
  const path = join(folder, file);
  if (!existsSync(path)) throw new ReportError(folder, file, 'missing; a results folder written by `migov run` holds manifest.json, series.csv and final.csv');
  if (!statSync(path).isFile()) throw new ReportError(folder, file, 'damaged: it is not a regular file; restore it from a copy, or make the folder again with the command that made it');
  return readFileSync(path, 'utf8');
}

/** What to do about a damaged manifest.json. */
const MANIFEST_REMEDY = 'The file is damaged: manifest.json is written by `migov run`, `migov sweep`, `migov merge` and `migov discover`, never by hand: restore it from a copy, or make the folder again with the command that made it';

/** A file name a manifest may list: a path inside the folder (no absolute path, no `..`, no backslash or NUL). */
export function isFolderPath(name: string): boolean {
  return name !== '' && !name.startsWith('/') && !/[\\\0]/.test(name) && !/^[A-Za-z]:/.test(name) && name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function readManifest(folder: string): Manifest {
  const path = join(folder, 'manifest.json');
  if (existsSync(path) && !statSync(path).isFile()) throw new ReportError(folder, 'manifest.json', `it is not a regular file. ${MANIFEST_REMEDY}`);
  const text = readText(folder, 'manifest.json');
  const damaged = (problem: string) => new ReportError(folder, 'manifest.json', `${problem}. ${MANIFEST_REMEDY}`);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw damaged(`not valid JSON, perhaps cut short (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw damaged(`not a JSON object but ${JSON.stringify(m)?.slice(0, 40)}`);
  const spec = (m as { spec?: unknown }).spec as Record<string, unknown> | undefined;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw damaged('field "spec" is missing; expected the experiment spec as run');
  for (const f of ['name', 'model'] as const) {
    if (typeof spec[f] !== 'string') throw damaged(`field "spec.${f}" is ${JSON.stringify(spec[f])}; expected a string`);
  }
  const files = (m as { files?: unknown }).files;
  if (files !== undefined) {
    if (typeof files !== 'object' || files === null || Array.isArray(files)) throw damaged('field "files" is not an object of file name -> sha256');
    for (const [name, sum] of Object.entries(files)) {
      if (!isFolderPath(name)) throw damaged(`field "files" lists ${JSON.stringify(name)}, which is not a file inside the folder`);
      if (typeof sum !== 'string' || !/^[0-9a-f]{64}$/.test(sum)) throw damaged(`field "files.${name}" is ${JSON.stringify(sum)}; expected a sha256 (64 hex digits)`);
    }
  }
  return m as Manifest;
}

/**
 * The records of a CSV text without quotes or carriage returns (what migov writes for
 * numbers, seeds and metric names), split on newlines and commas: the very records
 * csv-parse gives (tests/report/read-csv.test.ts), several times faster on a long
 * series.csv. Null for any other text, and when a record's length differs from the
 * first's, so that csv-parse reads it and names the problem.
 */
export function splitPlainCsv(text: string): string[][] | null {
  if (text.includes('"') || text.includes('\r')) return null;
  const records: string[][] = [];
  let width = -1;
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (to > from) {
      const cells = text.slice(from, to).split(',');
      if (width < 0) width = cells.length;
      else if (cells.length !== width) return null;
      records.push(cells);
    }
    from = to + 1;
  }
  return records;
}

/** Parses a CSV file into its header and rows of strings, with errors that name the line. */
function parseCsv(folder: string, file: string, required: readonly string[], text: string = readText(folder, file)): { header: string[]; rows: string[][] } {
  let records: string[][] | null = splitPlainCsv(text);
  try {
    // a quoted text cell that the writer escaped for spreadsheets (src/sweep/csv.ts) reads back as written
    records ??= parse(text, { skip_empty_lines: true, cast: (value, context) => (context.quoting ? unescapeText(value) : value) }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ReportError(folder, file, `not valid CSV${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`);
  }
  if (records.length === 0) throw new ReportError(folder, file, `empty; expected a header row (${required.join(',')}, ...)`);
  const header = records[0];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new ReportError(folder, file, `header has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; header is ${header.join(',')}`);
  }
  return { header, rows: records.slice(1) };
}

/** A CSV number: what csv-stringify writes for a JS number, or empty for a missing value (NaN). */
function toNumber(cell: string): number {
  if (cell === '' || cell === 'NaN') return NaN;
  if (cell === 'Infinity') return Infinity;
  if (cell === '-Infinity') return -Infinity;
  const x = Number(cell);
  return Number.isNaN(x) || cell.trim() !== cell ? Number.NaN - 1 : x; // NaN - 1 is NaN: flagged by the caller
}

function isNumberCell(cell: string): boolean {
  return cell === '' || cell === 'NaN' || !Number.isNaN(toNumber(cell));
}

function badCell(folder: string, file: string, r: number, column: string, cell: string, expected: string): ReportError {
  // data row r (0-based) is on line r + 2 (after the header), for files without quoted newlines
  return new ReportError(folder, file, `data row ${r + 1} (line ${r + 2}), column "${column}": ${JSON.stringify(cell)} is not ${expected}`);
}

const SERIES_HEADER = 'replication,seed,round,metric,value\n';

/** The integer a cell of ASCII digits holds (at most 15, so exact), or -1 for any other cell. */
function digitsAt(text: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let x = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

/** A copy of a short string that does not keep the text it was cut from alive. */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/**
 * The rows of `migov run`'s series.csv (its header, no quotes or carriage returns),
 * read in one pass without splitting lines into arrays: replication and round as
 * digits, the seed and the metric name each kept once (so the rows do not hold the
 * text), the value as toNumber reads it. The same rows as the general path
 * (tests/report/read-csv.test.ts); null for anything else, even a cell the general
 * path would accept or refuse, so that it reads the file and names any problem.
 */
export function plainSeriesRows(text: string): SeriesRow[] | null {
  if (!text.startsWith(SERIES_HEADER) || text.includes('"') || text.includes('\r')) return null;
  const out: SeriesRow[] = [];
  const metrics = new Map<string, string>();
  const order: string[] = [];
  let next = 0;
  let seed = '';
  let from = SERIES_HEADER.length;
  while (from < text.length) {
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    if (end === from) {
      from = end + 1;
      continue;
    }
    const c1 = text.indexOf(',', from);
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    const c4 = c3 < 0 ? -1 : text.indexOf(',', c3 + 1);
    if (c4 < 0 || c4 >= end || c3 + 1 === c4) return null;
    const more = text.indexOf(',', c4 + 1);
    if (more >= 0 && more < end) return null;
    const replication = digitsAt(text, from, c1);
    const round = digitsAt(text, c2 + 1, c3);
    if (replication < 0 || round < 0) return null;
    if (c2 - c1 - 1 !== seed.length || !text.startsWith(seed, c1 + 1)) seed = ownCopy(text.slice(c1 + 1, c2));
    // metric names come round in the same order record after record
    let metric: string | undefined = order[next];
    if (metric === undefined || c4 - c3 - 1 !== metric.length || !text.startsWith(metric, c3 + 1)) {
      const name = text.slice(c3 + 1, c4);
      metric = metrics.get(name);
      if (metric === undefined) {
        metric = ownCopy(name);
        metrics.set(metric, metric);
        order.push(metric);
      }
      next = order.indexOf(metric);
    }
    next = next + 1 < order.length ? next + 1 : 0;
    const cell = text.slice(c4 + 1, end);
    const value = toNumber(cell);
    if (Number.isNaN(value) && cell !== '' && cell !== 'NaN') return null;
    out.push({ replication, seed, round, metric, value });
    from = end + 1;
  }
  return out;
}

function readSeries(folder: string): SeriesRow[] {
  return seriesRowsOfText(folder, readText(folder, 'series.csv'));
}

/** The rows of a series.csv text (of `folder`, named in errors): plainSeriesRows where it reads the text (unless `fast` is false), else the general path. */
export function seriesRowsOfText(folder: string, text: string, fast = true): SeriesRow[] {
  const file = 'series.csv';
  const plain = fast ? plainSeriesRows(text) : null;
  if (plain) return plain;
  const { header, rows } = parseCsv(folder, file, ['replication', 'seed', 'round', 'metric', 'value'], text);
  const [ir, is, iround, im, iv] = ['replication', 'seed', 'round', 'metric', 'value'].map((c) => header.indexOf(c));
  // a sweep's series.csv starts with the design point's id; its rows keep it as `point`
  const ip = header.indexOf('point');
  const out: SeriesRow[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const replication = Number(row[ir]);
    if (!Number.isInteger(replication) || replication < 0 || row[ir] === '') throw badCell(folder, file, r, 'replication', row[ir], 'a replication number (an integer >= 0)');
    const round = Number(row[iround]);
    if (!Number.isInteger(round) || round < 0 || row[iround] === '') throw badCell(folder, file, r, 'round', row[iround], 'a round number (an integer >= 0)');
    if (row[im] === '') throw badCell(folder, file, r, 'metric', row[im], 'a metric name');
    if (!isNumberCell(row[iv])) throw badCell(folder, file, r, 'value', row[iv], 'a number');
    out[r] = { replication, seed: row[is], round, metric: row[im], value: toNumber(row[iv]) };
    if (ip >= 0) (out[r] as SeriesRow & { point?: number }).point = Number(row[ip]);
  }
  return out;
}

function readFinal(folder: string): FinalRow[] {
  const strings = { seed: 'string', stopped_by: 'string' } as const;
  const header = parseCsv(folder, 'final.csv', ['replication', 'seed']).header;
  // every column but seed and stopped_by is a number: the replication, rounds_run and the metrics
  const types: Record<string, 'string' | 'number'> = Object.fromEntries(header.map((c) => [c, c in strings ? 'string' : 'number']));
  return readTable(folder, 'final.csv', ['replication', 'seed'], types).rows;
}

/**
 * Reads a table whose columns are numbers or strings. Columns in `types` must be of
 * that type; any other column is a number column when every cell in it is a number
 * (or empty), and a string column otherwise (e.g. a categorical swept parameter).
 * `seed` is always a string: seeds are hex and may look like numbers.
 */
function readTable(
  folder: string,
  file: string,
  required: readonly string[],
  types: Record<string, 'string' | 'number'>,
): { header: string[]; rows: Record<string, number | string>[] } {
  const { header, rows } = parseCsv(folder, file, required);
  const kinds = header.map((c, j) => {
    if (c === 'seed') return 'string';
    if (types[c]) return types[c];
    return rows.every((row) => isNumberCell(row[j])) ? 'number' : 'string';
  });
  const out = rows.map((row, r) => {
    const rec: Record<string, number | string> = {};
    for (let j = 0; j < header.length; j++) {
      const cell = row[j];
      if (kinds[j] === 'number') {
        if (!isNumberCell(cell)) throw badCell(folder, file, r, header[j], cell, 'a number');
        rec[header[j]] = toNumber(cell);
      } else {
        rec[header[j]] = cell;
      }
    }
    return rec;
  });
  return { header, rows: out };
}

export interface FileCheck {
  readonly file: string;
  /** The sha256 the manifest records. */
  readonly recorded: string;
  /** The sha256 of the file as it is now, or null when it is missing. */
  readonly actual: string | null;
}

/**
 * Compares the input files the manifest lists (not the report's own outputs) with their
 * recorded sha256. `written` gives the sha256 of files the caller has just written
 * (hashed as their bytes went out), which are then not read again.
 */
export function checkFiles(folder: string, manifest: Manifest, written: Readonly<Record<string, string>> = {}): FileCheck[] {
  return Object.entries(manifest.files ?? {})
    .filter(([file]) => !isReportOutput(file))
    .map(([file, recorded]) => {
      const path = join(folder, file);
      const actual = Object.hasOwn(written, file) ? written[file] : !existsSync(path) ? null : statSync(path).isFile() ? sha256File(path) : '(not a regular file)';
      return { file, recorded: String(recorded), actual };
    });
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
