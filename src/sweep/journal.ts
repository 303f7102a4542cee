// The sweep journal: one line per finished run, appended as runs finish, so that an
// interrupted sweep resumes without redoing them. Each line is
//   <sha256 of the JSON, 64 hex> <JSON of the RunOutcome>\n
// A line whose checksum does not match (a write cut short by kill -9 or a power
// loss) is dropped and its run redone, never merged. A line whose checksum matches
// but which is not a run outcome of this plan (not an outcome at all, a run outside
// the plan or the shard's slice, another seed than the planned one, other metrics
// than the model reports) was written by something other than migov: the journal is
// damaged, and reading it stops with a DamagedFileError naming the line, since
// dropping it silently would hide an edit. Lines are written with one write each and
// fsync'd at most every `syncEvery` lines or 200 ms, and always on close.
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DamagedFileError, shown } from './damaged.ts';
import type { RunTask } from './plan.ts';
import { type RunOutcome, plannedMetrics } from './run-task.ts';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalContents {
  /** The last valid record of each run key. */
  readonly outcomes: Map<string, RunOutcome>;
  /** Lines dropped because their checksum failed (cut-short writes). */
  readonly dropped: number;
  /** Valid records in the file, repeats included (for checking that nothing was redone). */
  readonly records: number;
}

/** JSON has no NaN or infinities: they are written as these strings, so that a resumed or merged sweep reads back the very values a fresh one holds. */
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function nonFiniteAsText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** A journal value back as a number: the strings above, and null (how journals before them wrote NaN and infinities: read as NaN). */
function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? NON_FINITE[v] : NaN;
}

/** sha256 of a record's JSON (node's native hash: the same digest as engine/rng's sha256Hex, several times faster on a long journal). */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Whether an outcome holds a number JSON cannot write (only then is the slower replacer needed; the text is the same). */
function hasNonFinite(o: RunOutcome): boolean {
  for (let i = 0; i < o.final.length; i++) if (!Number.isFinite(o.final[i])) return true;
  if (o.ms !== undefined && !Number.isFinite(o.ms)) return true;
  const values = o.series?.values;
  if (values) {
    for (const row of values) for (let i = 0; i < row.length; i++) if (!Number.isFinite(row[i])) return true;
  }
  return false;
}

export function formatRecord(o: RunOutcome): string {
  const json = hasNonFinite(o) ? JSON.stringify(o, nonFiniteAsText) : JSON.stringify(o);
  return `${sha256Hex(json)} ${json}\n`;
}

/** The runs a journal may hold: the plan's, or a shard's slice of it. */
export interface JournalScope {
  /** The task of a run key (a Map of them, or a lookup that keeps none). */
  readonly tasks: { get(key: string): RunTask | undefined };
  /** What the tasks are, for messages: "the plan", "shard 1/3's slice of the plan". */
  readonly name: string;
}

const isInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isValue = (x: unknown): boolean => x === null || typeof x === 'number' || (typeof x === 'string' && x in NON_FINITE);

/** Why a parsed line is not a run outcome, or null when it is one. */
function shapeProblem(o: unknown): string | null {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return `it holds ${shown(o)}, not a run outcome (an object)`;
  const r = o as Record<string, unknown>;
  if (!isInt(r.point)) return `its "point" is ${shown(r.point)}, not a design point number`;
  if (!isInt(r.replication)) return `its "replication" is ${shown(r.replication)}, not a replication number`;
  if (r.key !== `${r.point}-${r.replication}`) return `its "key" is ${shown(r.key)}, not "${r.point}-${r.replication}" as its point and replication say`;
  if (typeof r.seed !== 'string') return `its "seed" is ${shown(r.seed)}, not a seed (a string)`;
  if (typeof r.ok !== 'boolean') return `its "ok" is ${shown(r.ok)}, not true or false`;
  if (!r.ok && typeof r.error !== 'string') return `it records a failed run without its error message`;
  if (!Array.isArray(r.metrics) || !r.metrics.every((m) => typeof m === 'string')) return `its "metrics" is ${shown(r.metrics)}, not a list of metric names`;
  if (!Array.isArray(r.final) || !r.final.every(isValue)) return `its "final" is ${shown(r.final)}, not a list of numbers`;
  if (r.ok && r.final.length !== r.metrics.length) return `it has ${r.final.length} final value(s) for ${r.metrics.length} metric(s)`;
  if (!isInt(r.roundsRun)) return `its "roundsRun" is ${shown(r.roundsRun)}, not a number of rounds`;
  if (typeof r.stoppedBy !== 'string') return `its "stoppedBy" is ${shown(r.stoppedBy)}, not a string`;
  if (r.series !== undefined) {
    const s = r.series as { rounds?: unknown; values?: unknown } | null;
    const ok =
      typeof s === 'object' &&
      s !== null &&
      Array.isArray(s.rounds) &&
      s.rounds.every(isInt) &&
      Array.isArray(s.values) &&
      s.values.length === s.rounds.length &&
      s.values.every((row) => Array.isArray(row) && row.length === (r.metrics as unknown[]).length && row.every(isValue));
    if (!ok) return `its "series" is not a list of recorded rounds with one number per metric each`;
  }
  return null;
}

/** Why an outcome does not belong to `scope`, or null when it does. */
function planProblem(o: RunOutcome, scope: JournalScope, metricsOf: (t: RunTask) => readonly string[] | null): string | null {
  const task = scope.tasks.get(o.key);
  if (!task) return `run ${o.key} (point ${o.point}, replication ${o.replication}) is not in ${scope.name}`;
  if (task.seed !== o.seed) return `run ${o.key} has seed ${shown(o.seed)}, not the planned ${task.seed}`;
  if (o.ok) {
    const expected = metricsOf(task);
    if (expected && (expected.length !== o.metrics.length || expected.some((m, i) => m !== o.metrics[i]))) {
      return `run ${o.key} reports the metrics ${shown(o.metrics)}, not the model's ${shown(expected)}`;
    }
  }
  return null;
}

/**
 * Calls `onLine` with each newline-ended line of a file (without its newline) and the
 * byte offset where it starts, reading the file in chunks, so that a journal of a
 * million runs is never one string in memory. Gives true when the file ends with a
 * newline (false: its last line was cut short, and was not handed on).
 */
function eachLine(file: string, onLine: (line: Buffer, start: number) => void): boolean {
  const fd = openSync(file, 'r');
  try {
    // one buffer: the unfinished line is moved to its front and the next bytes read after it
    let buf = Buffer.allocUnsafe(1 << 20);
    let have = 0;
    // the file offset of buf[0]
    let at = 0;
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const n = readSync(fd, buf, have, buf.length - have, at + have);
      if (n === 0) break;
      const end = have + n;
      let from = 0;
      for (let nl = buf.indexOf(0x0a, have); nl >= 0 && nl < end; nl = buf.indexOf(0x0a, nl + 1)) {
        onLine(buf.subarray(from, nl), at + from);
        from = nl + 1;
      }
      buf.copyWithin(0, from, end);
      at += from;
      have = end - from;
    }
    return have === 0;
  } finally {
    closeSync(fd);
  }
}

/** A journal's record as formatRecord wrote it: non-finite values back as numbers, no `series` key when it had none. */
function normalised(o: RunOutcome): RunOutcome {
  const r = { ...o, final: o.final.map(asNumber), series: o.series && { rounds: o.series.rounds, values: o.series.values.map((row) => row.map(asNumber)) } };
  if (r.series === undefined) delete (r as { series?: unknown }).series;
  return r;
}

/**
 * Reads a journal record by record (in chunks: never the whole file in memory),
 * calling `onRecord` with each valid one in file order, with where its line starts
 * and its length in bytes (newline included). Lines that fail their checksum are
 * counted in `dropped`; a line whose checksum holds but which is not a run outcome
 * (of `scope`, when given) is a DamagedFileError naming the line, and so is a journal
 * that is not a regular file.
 */
export function eachRecord(file: string, scope: JournalScope | undefined, onRecord: (o: RunOutcome, start: number, length: number) => void): { dropped: number; records: number } {
  let dropped = 0;
  let records = 0;
  if (!existsSync(file)) return { dropped, records };
  const st = lstatSync(file);
  if (!st.isFile()) {
    throw new DamagedFileError(
      file,
      `it is ${st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, not the journal of finished runs that \`migov sweep\` writes`,
      `Move it aside (e.g. \`mv ${file} ${file}.damaged\`) and run the same command again: the runs it should hold are run again`,
    );
  }
  const damaged = (line: number, problem: string) =>
    new DamagedFileError(
      file,
      `line ${line}: ${problem}. Its checksum matches, so it was not cut short by a crash: the file was edited or assembled by hand`,
      `Remove line ${line} and run the same \`migov sweep\` command again to run that run again, or restore the file from a copy`,
    );
  const metricsCache = new Map<number, readonly string[] | null>();
  const metricsOf = (t: RunTask) => {
    if (!metricsCache.has(t.point)) metricsCache.set(t.point, plannedMetrics(t));
    return metricsCache.get(t.point)!;
  };
  let n = 0;
  const whole = eachLine(file, (bytes, start) => {
    n++;
    const line = bytes.toString('utf8');
    const space = line.indexOf(' ');
    const sum = line.slice(0, space);
    const json = line.slice(space + 1);
    if (space !== 64 || sha256Hex(json) !== sum) {
      dropped++;
      return;
    }
    let o: RunOutcome;
    try {
      o = JSON.parse(json) as RunOutcome;
    } catch (e) {
      throw damaged(n, `not valid JSON (${(e as Error).message})`);
    }
    const problem = shapeProblem(o) ?? (scope ? planProblem(o, scope, metricsOf) : null);
    if (problem) throw damaged(n, problem);
    records++;
    onRecord(normalised(o), start, bytes.length + 1);
  });
  // a last line without its newline was cut short
  if (!whole) dropped++;
  return { dropped, records };
}

/**
 * Reads a journal into memory: the last valid record of each run. See eachRecord for
 * what is dropped and what is a DamagedFileError.
 */
export function readJournal(file: string, scope?: JournalScope): JournalContents {
  const outcomes = new Map<string, RunOutcome>();
  const { dropped, records } = eachRecord(file, scope, (o) => outcomes.set(o.key, o));
  return { outcomes, dropped, records };
}

/**
 * Where a journal's records are, by run: what runSweep keeps of a journal it resumes
 * instead of the outcomes (about 20 bytes a run). Runs are numbered 0 .. slots - 1
 * by the caller (`slotOf`).
 */
export interface JournalScan {
  readonly dropped: number;
  readonly records: number;
  /** Each run's last valid record: where its line starts (-1: none) and its length. */
  readonly start: Float64Array;
  readonly length: Float64Array;
  /** The runs with a record, in the order of their first record in the file. */
  readonly order: Int32Array;
  readonly found: number;
}

/**
 * Reads a journal as eachRecord does, calling `onRecord` with each valid record and
 * its run's slot (a run's later record overrides its earlier one, as in readJournal),
 * and keeps where each run's last record is, so that reopenJournal can rewrite the
 * file without the outcomes in memory.
 */
export function scanJournal(file: string, scope: JournalScope | undefined, slots: number, slotOf: (key: string) => number, onRecord: (o: RunOutcome, slot: number) => void): JournalScan {
  // no journal (a fresh sweep): nothing to keep, not even 20 bytes a run
  const size = existsSync(file) ? slots : 0;
  const start = new Float64Array(size).fill(-1);
  const length = new Float64Array(size);
  const order = new Int32Array(size);
  let found = 0;
  const counts = eachRecord(file, scope, (o, at, len) => {
    const slot = slotOf(o.key);
    // eachRecord checked the run against the scope: a key without a slot is the caller's error
    if (slot < 0) throw new Error(`scanJournal: run ${o.key} has no slot`);
    if (start[slot] < 0) order[found++] = slot;
    start[slot] = at;
    length[slot] = len;
    onRecord(o, slot);
  });
  return { ...counts, start, length, order, found };
}

export interface JournalWriter {
  append(o: RunOutcome): void;
  close(): void;
}

/** Opens the journal for appending; first rewrites it with only its valid records, so a torn tail is gone. */
export function openJournal(file: string, valid: Iterable<RunOutcome>, syncEvery = 256): JournalWriter {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    let chunk = '';
    for (const o of valid) {
      chunk += formatRecord(o);
      if (chunk.length >= 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk.length) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return appender(file, syncEvery);
}

function appender(file: string, syncEvery: number): JournalWriter {
  const fd = openSync(file, 'a');
  let unsynced = 0;
  let last = Date.now();
  return {
    append(o) {
      writeSync(fd, formatRecord(o));
      unsynced++;
      const now = Date.now();
      if (unsynced >= syncEvery || now - last > 200) {
        fsyncSync(fd);
        unsynced = 0;
        last = now;
      }
    },
    close() {
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/**
 * openJournal for a scanned journal: rewrites it with the last valid record of each
 * run that `keep` keeps, in the order of their first records (as openJournal writes
 * the outcomes readJournal gives), each read back from the file and formatted anew,
 * one at a time; then opens it for appending.
 */
export function reopenJournal(file: string, scan: JournalScan, keep: (slot: number) => boolean, syncEvery = 256): JournalWriter {
  const tmp = `${file}.tmp`;
  const out = openSync(tmp, 'w');
  try {
    if (scan.found > 0) {
      const fd = openSync(file, 'r');
      try {
        let buf = Buffer.allocUnsafe(1 << 16);
        let chunk = '';
        for (let k = 0; k < scan.found; k++) {
          const slot = scan.order[k];
          if (!keep(slot)) continue;
          const len = scan.length[slot];
          if (len > buf.length) buf = Buffer.allocUnsafe(len);
          if (readSync(fd, buf, 0, len, scan.start[slot]) !== len) throw new Error(`reopenJournal: ${file} changed while it was read`);
          chunk += formatRecord(normalised(JSON.parse(buf.toString('utf8', 65, len - 1)) as RunOutcome));
          if (chunk.length >= 1 << 20) {
            writeSync(out, chunk);
            chunk = '';
          }
        }
        if (chunk.length) writeSync(out, chunk);
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    closeSync(out);
  }
  renameSync(tmp, file);
  return appender(file, syncEvery);
}

/** The runs a finished journal must hold: a Map of outcomes, or a set that keeps only which runs are done. */
export interface RunSet {
  readonly size: number;
  has(key: string): boolean;
}

/**
 * Rewrites the journal sorted by design point and replication, so a finished sweep's
 * journal has the same bytes however it ran. `done` is every run's outcome. The
 * journal already holds each of them as formatRecord wrote it (openJournal rewrote
 * the records it kept, append added the rest), so the lines are sorted as they are:
 * an index of offsets and keys (about 20 bytes a run), then each line copied in
 * order, neither formatted nor hashed again. A journal that does not hold exactly one
 * line for each outcome (a merge's folder, which has none) is written from `done`.
 */
export function sortJournal(file: string, done: ReadonlyMap<string, RunOutcome>): void {
  if (!sortJournalLines(file, done)) writeJournalSorted(file, done);
}

/**
 * sortJournal for a sweep that keeps no outcomes, only which runs are done: the
 * journal's lines copied in order, or, when it does not hold exactly one line per run
 * (it should), its records read back (the last valid one of each run in `runs`) and
 * written sorted.
 */
export function sortJournalRuns(file: string, runs: RunSet): void {
  if (sortJournalLines(file, runs)) return;
  const all = readJournal(file).outcomes;
  for (const key of [...all.keys()]) if (!runs.has(key)) all.delete(key);
  if (all.size !== runs.size) throw new Error(`sortJournal: ${file} holds ${all.size} of the ${runs.size} runs done`);
  writeJournalSorted(file, all);
}

/**
 * Each record of a journal that this process has just written (sorted: the tables
 * are written from it), in file order; neither checksums nor shapes are checked
 * again. Values as readJournal gives them.
 */
export function eachWrittenRecord(file: string, onRecord: (o: RunOutcome) => void): void {
  const whole = eachLine(file, (line) => onRecord(normalised(JSON.parse(line.toString('utf8', 65)) as RunOutcome)));
  if (!whole) throw new Error(`${file}: its last line has no newline`);
}

/** Writes the journal from the outcomes, sorted, each formatted and hashed (sortJournal's way when the file cannot be used). */
export function writeJournalSorted(file: string, done: ReadonlyMap<string, RunOutcome>): void {
  const sorted = [...done.values()].sort((a, b) => a.point - b.point || a.replication - b.replication);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  for (let i = 0; i < sorted.length; i += 1000) writeSync(fd, sorted.slice(i, i + 1000).map(formatRecord).join(''));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}

/** The lines of a journal file: where each starts, its length and its run's point and replication, in file order. */
interface LineIndex {
  count: number;
  start: Float64Array;
  length: Float64Array;
  point: Float64Array;
  replication: Float64Array;
}

const KEY_PREFIX = ' {"key":"';
/** Bytes of a line's head that hold its key: 64 hex, the prefix, then `<point>-<replication>"` (two safe integers). */
const HEAD_BYTES = 64 + KEY_PREFIX.length + 34;

/** The point and replication a line's head names, or null when the head is not a journal record's. */
function keyOfHead(head: Buffer): [number, number] | null {
  if (head.toString('latin1', 64, 64 + KEY_PREFIX.length) !== KEY_PREFIX) return null;
  const from = 64 + KEY_PREFIX.length;
  const quote = head.indexOf(0x22, from);
  if (quote < 0) return null;
  const m = /^(\d+)-(\d+)$/.exec(head.toString('latin1', from, quote));
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Indexes a journal's lines, reading it in chunks; null when a line is not a record's head or the last line has no newline. */
function indexLines(fd: number): LineIndex | null {
  let cap = 1024;
  const grow = (a: Float64Array) => {
    const b = new Float64Array(cap);
    b.set(a);
    return b;
  };
  const ix: LineIndex = { count: 0, start: new Float64Array(cap), length: new Float64Array(cap), point: new Float64Array(cap), replication: new Float64Array(cap) };
  const chunk = Buffer.allocUnsafe(1 << 20);
  let offset = 0;
  let lineStart = 0;
  let key: [number, number] | null = null;
  let head = Buffer.alloc(0);
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, offset);
    if (n === 0) break;
    let i = 0;
    while (i < n) {
      if (!key) {
        const take = Math.min(n - i, HEAD_BYTES - head.length);
        head = Buffer.concat([head, chunk.subarray(i, i + take)]);
        const nl = head.indexOf(0x0a);
        if (nl >= 0 || head.length === HEAD_BYTES) {
          key = keyOfHead(nl >= 0 ? head.subarray(0, nl) : head);
          if (!key) return null;
          head = Buffer.alloc(0);
        } else {
          break; // the head continues in the next chunk
        }
      }
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0 || nl >= n) break;
      if (ix.count === cap) {
        cap *= 2;
        ix.start = grow(ix.start);
        ix.length = grow(ix.length);
        ix.point = grow(ix.point);
        ix.replication = grow(ix.replication);
      }
      const end = offset + nl + 1;
      ix.start[ix.count] = lineStart;
      ix.length[ix.count] = end - lineStart;
      ix.point[ix.count] = key[0];
      ix.replication[ix.count] = key[1];
      ix.count++;
      lineStart = end;
      key = null;
      i = nl + 1;
    }
    offset += n;
  }
  return lineStart === offset && head.length === 0 ? ix : null;
}

/** sortJournal's fast path: true when the file held exactly one line for each outcome and was rewritten sorted. */
export function sortJournalLines(file: string, done: RunSet): boolean {
  if (!existsSync(file) || !lstatSync(file).isFile()) return false;
  const fd = openSync(file, 'r');
  try {
    const ix = indexLines(fd);
    if (!ix || ix.count !== done.size) return false;
    const order = new Uint32Array(ix.count);
    for (let i = 0; i < ix.count; i++) order[i] = i;
    order.sort((a, b) => ix.point[a] - ix.point[b] || ix.replication[a] - ix.replication[b]);
    for (let k = 0; k < ix.count; k++) {
      const i = order[k];
      const prev = k > 0 ? order[k - 1] : -1;
      // one line per outcome: each line's run is one of them, and no run twice
      if (!done.has(`${ix.point[i]}-${ix.replication[i]}`)) return false;
      if (prev >= 0 && ix.point[prev] === ix.point[i] && ix.replication[prev] === ix.replication[i]) return false;
    }
    const tmp = `${file}.tmp`;
    const out = openSync(tmp, 'w');
    try {
      let buf = Buffer.allocUnsafe(1 << 20);
      let used = 0;
      for (let k = 0; k < ix.count; k++) {
        const i = order[k];
        const len = ix.length[i];
        if (used + len > buf.length) {
          if (used > 0) writeSync(out, buf, 0, used);
          used = 0;
          if (len > buf.length) buf = Buffer.allocUnsafe(len);
        }
        if (readSync(fd, buf, used, len, ix.start[i]) !== len) throw new Error(`sortJournal: ${file} changed while it was sorted`);
        used += len;
      }
      if (used > 0) writeSync(out, buf, 0, used);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(tmp, file);
    return true;
  } finally {
    closeSync(fd);
  }
}
