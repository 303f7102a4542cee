// Running a sweep: plan -> executor -> journal -> result tables. The folder is the
// unit of resumption: `sweep.json` says which spec it belongs to and logs each
// session; `journal.jsonl` holds finished runs; the tables are written (each to a
// temporary name, then renamed) once every run has an outcome. A shard (`shard`, see
// shard.ts) runs only its slice and writes shard.json instead of the tables; `migov
// merge` then writes the tables of all shards through writeSweepOutputs, as here.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, csvLine } from './csv.ts';
import { createRng, runSeed, sha256Hex } from '../engine/rng.ts';
import type { Spec } from '../experiment/schema.ts';
import type { Executor } from './executor.ts';
import { meanCi } from '../engine/stats.ts';
import { DamagedFileError } from './damaged.ts';
import { JOURNAL_FILE, type JournalScope, type RunSet, eachRecord, eachWrittenRecord, reopenJournal, scanJournal, sortJournal, sortJournalRuns } from './journal.ts';
import { type RunTask, type SweepPlan, planSweep } from './plan.ts';
import type { RunOutcome } from './run-task.ts';
import { morrisIndices, sobolBootstrap, sobolIndices } from './sensitivity.ts';
import { SHARD_FILE, type Shard, shardLabel, shardTasks, writeShardManifest } from './shard.ts';
import { SWEEP_FILE, type SweepMarker, readSweepMarker, writeSweepMarker } from './sweep-file.ts';
import { gitState, specHeader, versions } from './store.ts';
import { specOutcomes } from './experiment.ts';
import type { Outcomes } from '../engine/model.ts';
import { METRIC_COLUMNS, metricCells } from './outcomes-table.ts';
import { parameterInfos } from '../experiment/parameters.ts';
import { type Claim, claimOutput, readMarker, writeMarker } from './folder.ts';

export { SWEEP_FILE } from './sweep-file.ts';

export interface SweepOptions {
  /** The spec file (for the manifest's question and error messages). */
  readonly file: string;
  readonly dir: string;
  readonly executor: Executor;
  /** Re-run the runs that failed in an earlier session. */
  readonly retryFailed?: boolean;
  /** Move a folder made by another spec aside (never deleted) instead of refusing. */
  readonly force?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between runs: true stops the sweep (Ctrl-C); finished runs stay in the journal. */
  readonly stopped?: () => boolean;
  /** Run only this shard's slice of the plan, and write shard.json instead of the tables. */
  readonly shard?: Shard;
}

export interface SweepResult {
  readonly dir: string;
  readonly plan: SweepPlan;
  /** The shard run, when the sweep was one; `total` then counts its slice only. */
  readonly shard?: Shard;
  readonly total: number;
  /** Runs done before this session (found in the journal). */
  readonly resumed: number;
  /** Runs run in this session. */
  readonly ran: number;
  readonly failed: readonly RunOutcome[];
  /** False when the sweep was stopped before every run had an outcome (no tables written). */
  readonly complete: boolean;
  readonly files: Record<string, string>;
}

/**
 * Derived statistics (means, standard deviations, intervals, indices) are written
 * with 12 significant digits so that their bytes do not depend on summation noise
 * in the last bits; raw run values are written exactly (shortest round-trip form).
 */
export function fmtStat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '' : String(x);
  return String(Number(x.toPrecision(12)));
}

function fmtRaw(x: unknown): string {
  return String(x);
}

/**
 * Claims the folder before anything runs (claimOutput: new, empty, or migov's own
 * sweep folder that is a resumable sweep of the same spec; --force moves anything
 * else aside) and marks it as a sweep's. The claim holds the folder's lock.
 */
function prepareFolder(dir: string, plan: SweepPlan, tasks: readonly RunTask[], opts: SweepOptions): Claim {
  const kind = opts.shard ? 'shard' : 'sweep';
  // an empty --out is named as such, not resolved to the working folder
  const claim = claimOutput(opts.dir.trim() === '' ? opts.dir : dir, { kind, force: opts.force, specFiles: existsSync(opts.file) ? [opts.file] : [], reuse: () => sweepReuse(dir, plan, tasks, opts) });
  try {
    mkdirSync(claim.dir, { recursive: true });
    if (claim.state !== 'ours' || readMarker(claim.dir) === null) writeMarker(claim.dir, kind, plan.specHash);
  } catch (e) {
    claim.lock.release();
    throw e;
  }
  return claim;
}

/** Why a folder of migov's sweeps may not be resumed by this sweep, or null when it may. */
function sweepReuse(dir: string, plan: SweepPlan, tasks: readonly RunTask[], opts: SweepOptions): string | null {
  let same = false;
  let otherShard = false;
  let marker: SweepMarker | null = null;
  try {
    marker = readSweepMarker(dir);
  } catch (e) {
    // a damaged sweep.json is named, not taken for another spec's; --force still moves the folder aside
    if (!(e instanceof DamagedFileError) || !opts.force) throw e;
  }
  if (marker) {
    same = marker.specHash === plan.specHash;
    // a shard resumes only as the same shard; a whole sweep only as a whole sweep
    otherShard = same && `${marker.shard?.index}/${marker.shard?.count}` !== `${opts.shard?.index}/${opts.shard?.count}`;
    same &&= !otherShard;
  } else if (!existsSync(join(dir, SWEEP_FILE))) {
    // sweep.json moved aside (it was damaged): the folder is this sweep's if its journal holds runs of this plan and nothing else
    same = journalOfPlan(dir, plan, tasks, opts.shard);
  }
  if (same) return null;
  const what = otherShard
    ? 'another shard (or the whole sweep) of this spec'
    : marker
      ? 'a sweep of a different spec'
      : 'results that are not a sweep of this spec';
  return `it holds ${what}`;
}

/**
 * A run's place in `tasks` (the plan's, or a shard's slice of them) from its key, or
 * -1 when it is not one of them. The plan is replication-major (task k is point
 * k mod P, replication k div P) and a shard holds the plan's tasks k with k mod n = i,
 * so the place is computed from the key, without a map of a million keys; a plan not
 * laid out so (it is, but the check is cheap) gets a map.
 */
function slotLookup(plan: SweepPlan, tasks: readonly RunTask[], shard: Shard | undefined): (key: string) => number {
  const points = plan.points.length;
  const count = shard?.count ?? 1;
  const index = shard?.index ?? 0;
  const slotOfRun = (point: number, replication: number): number => {
    if (point >= points) return -1;
    const k = replication * points + point;
    return k % count === index ? (k - index) / count : -1;
  };
  let computed = true;
  for (let i = 0; i < tasks.length && computed; i++) computed = slotOfRun(tasks[i].point, tasks[i].replication) === i && tasks[i].key === `${tasks[i].point}-${tasks[i].replication}`;
  if (!computed) {
    const map = new Map(tasks.map((t, i) => [t.key, i]));
    return (key) => map.get(key) ?? -1;
  }
  return (key) => {
    const dash = key.indexOf('-');
    const point = Number(key.slice(0, dash));
    const replication = Number(key.slice(dash + 1));
    if (dash < 1 || !Number.isSafeInteger(point) || !Number.isSafeInteger(replication) || point < 0 || replication < 0) return -1;
    const slot = slotOfRun(point, replication);
    return slot >= 0 && slot < tasks.length && tasks[slot].key === key ? slot : -1;
  };
}

/** The runs `runSweep` may find in a folder's journal: the plan's, or the shard's slice of them. */
function journalScope(tasks: readonly RunTask[], slotOf: (key: string) => number, shard: Shard | undefined): JournalScope {
  return {
    tasks: {
      get: (key) => {
        const slot = slotOf(key);
        return slot < 0 ? undefined : tasks[slot];
      },
    },
    name: shard ? `shard ${shardLabel(shard)}'s slice of the plan` : "this spec's plan",
  };
}

/** True when a folder without sweep.json holds a journal with at least one run, every one of them a run of `tasks`. */
function journalOfPlan(dir: string, plan: SweepPlan, tasks: readonly RunTask[], shard: Shard | undefined): boolean {
  try {
    return eachRecord(join(dir, JOURNAL_FILE), journalScope(tasks, slotLookup(plan, tasks, shard), shard), () => {}).records > 0;
  } catch {
    return false;
  }
}

/**
 * A table written row by row in chunks (never the whole text in memory), hashing as
 * it goes, under a temporary name renamed at close. Rows are formatted by csvLine,
 * the bytes csv-stringify gives with CSV_OPTIONS (held equal in
 * tests/sweep/csv.test.ts) at a fraction of its cost per row.
 */
interface TableWriter {
  row(cells: readonly (string | number)[]): void;
  close(): void;
}

function openTable(dir: string, name: string, columns: string[], files: Record<string, string>): TableWriter {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w');
  const hash = createHash('sha256');
  const put = (text: string) => {
    writeSync(fd, text);
    hash.update(text, 'utf8');
  };
  put(stringify([], { ...CSV_OPTIONS, header: true, columns }));
  let chunk = '';
  return {
    row(cells) {
      chunk += csvLine(cells);
      if (chunk.length >= 1 << 16) {
        put(chunk);
        chunk = '';
      }
    },
    close() {
      if (chunk.length) put(chunk);
      closeSync(fd);
      renameSync(tmp, join(dir, name));
      files[name] = hash.digest('hex');
    },
  };
}

function writeAtomic(dir: string, name: string, text: string, files: Record<string, string>): void {
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
  files[name] = sha256Hex(text);
}

const NOT_DONE = 0;
const DONE_OK = 1;
const DONE_FAILED = 2;

/** Runs (or resumes) a sweep into its folder. */
export async function runSweep(spec: Spec, opts: SweepOptions): Promise<SweepResult> {
  const plan = planSweep(spec, opts.file);
  const tasks = opts.shard ? shardTasks(plan.tasks, opts.shard) : plan.tasks;
  const dir = resolve(opts.dir);
  const claim = prepareFolder(dir, plan, tasks, opts);
  try {
    return await sweepInFolder(spec, plan, tasks, dir, opts);
  } finally {
    claim.lock.release();
  }
}

/**
 * A sweep keeps no run's outcome in memory (a million runs of 80 metrics would take
 * gigabytes): each goes to the journal as it arrives, the sweep keeps one byte a run
 * saying whether it is done and whether it failed (and the failed runs' outcomes, for
 * the result), and the finished journal, sorted, is read back once to write the tables.
 */
async function sweepInFolder(spec: Spec, plan: SweepPlan, tasks: readonly RunTask[], dir: string, opts: SweepOptions): Promise<SweepResult> {

  // read and checked before any run or write: a damaged sweep.json or journal is named now, not after every run
  const found = readSweepMarker(dir);
  const rebuilt = found === null && existsSync(join(dir, JOURNAL_FILE));
  const marker: SweepMarker = found ?? (opts.shard ? { specHash: plan.specHash, shard: opts.shard, sessions: [] } : { specHash: plan.specHash, sessions: [] });
  const journalFile = join(dir, JOURNAL_FILE);
  const slotOf = slotLookup(plan, tasks, opts.shard);
  const status = new Uint8Array(tasks.length);
  const failures = new Map<number, RunOutcome>();
  const before = scanJournal(journalFile, journalScope(tasks, slotOf, opts.shard), tasks.length, slotOf, (o, slot) => {
    status[slot] = o.ok ? DONE_OK : DONE_FAILED;
    if (o.ok) failures.delete(slot);
    else failures.set(slot, o);
  });

  // a shard run again (more runs to do, or --retry-failed) is unfinished until it writes shard.json anew
  if (opts.shard) rmSync(join(dir, SHARD_FILE), { force: true });
  // the marker goes down before the first run, so that a session killed before its
  // end (kill -9, power loss) leaves a folder that the next session recognises
  if (!found) writeSweepMarker(dir, marker);

  if (opts.retryFailed) {
    for (const slot of failures.keys()) status[slot] = NOT_DONE;
    failures.clear();
  }
  let doneCount = 0;
  for (let i = 0; i < status.length; i++) if (status[i] !== NOT_DONE) doneCount++;
  const resumed = doneCount;
  const todo = doneCount === 0 ? tasks : tasks.filter((_, i) => status[i] === NOT_DONE);
  const startedAt = new Date().toISOString();

  const journal = reopenJournal(journalFile, before, (slot) => status[slot] !== NOT_DONE);
  let ran = 0;
  opts.onProgress?.(doneCount, tasks.length);
  try {
    await opts.executor.execute(
      todo,
      (o) => {
        const slot = slotOf(o.key);
        if (slot < 0) throw new Error(`runSweep: the executor returned run ${o.key}, which is not one of the sweep's`);
        journal.append(o);
        if (status[slot] === NOT_DONE) doneCount++;
        status[slot] = o.ok ? DONE_OK : DONE_FAILED;
        if (o.ok) failures.delete(slot);
        else failures.set(slot, o);
        ran++;
        opts.onProgress?.(doneCount, tasks.length);
      },
      opts.stopped,
    );
  } finally {
    journal.close();
    marker.sessions.push({
      startedAt,
      endedAt: new Date().toISOString(),
      alreadyDone: resumed,
      ran,
      droppedRecords: before.dropped,
      workers: opts.executor.workers,
      ...(rebuilt ? { rebuiltFrom: JOURNAL_FILE } : {}),
    });
    writeSweepMarker(dir, marker);
  }

  const complete = doneCount === tasks.length;
  const failed = [...failures.values()].sort((a, b) => a.point - b.point || a.replication - b.replication);
  let files: Record<string, string> = {};
  if (complete) {
    const first = marker.sessions.find((x) => typeof x.startedAt === 'string')?.startedAt as string | undefined;
    const times = { startedAt: first ?? startedAt, endedAt: new Date().toISOString() };
    const question = questionOf(opts.file, plan);
    const runs: RunSet = {
      size: doneCount,
      has: (key) => {
        const slot = slotOf(key);
        return slot >= 0 && status[slot] !== NOT_DONE;
      },
    };
    sortJournalRuns(journalFile, runs);
    if (opts.shard) {
      files = writeShardManifest(dir, plan, opts.shard, { file: opts.file, question, runs: tasks.length, failed: failed.length, ...times }, [JOURNAL_FILE, SWEEP_FILE]).files;
    } else {
      const written = writeTables(dir, plan, files);
      writeManifest(dir, plan, { file: opts.file, question, ...times }, files, written.failed, written.outcomes);
    }
  }
  return { dir, plan, shard: opts.shard, total: tasks.length, resumed, ran, failed, complete, files };
}

/** The question a sweep asks: its spec file's header comment, or the spec's description. */
export function questionOf(file: string, plan: SweepPlan): string {
  return existsSync(file) ? specHeader(readFileSync(file, 'utf8')) : (plan.spec.description ?? '');
}

/**
 * Writes a finished sweep's outputs into `dir` from every run's outcome: the journal,
 * sorted by design point and replication, then the tables and manifest.json. Used by
 * `migov merge` and the adaptive sweep (runSweep, which keeps no outcomes, sorts its
 * journal and writes the same tables from it), so a merged folder has the bytes of a
 * single-machine sweep. Returns the sha256 of each table (as recorded in the manifest).
 */
export function writeSweepOutputs(
  dir: string,
  plan: SweepPlan,
  done: ReadonlyMap<string, RunOutcome>,
  meta: { file: string; question: string; startedAt: string; endedAt: string },
): Record<string, string> {
  const files: Record<string, string> = {};
  const missing = plan.tasks.find((t) => !done.has(t.key));
  if (missing) throw new Error(`writeSweepOutputs: run ${missing.key} has no outcome`);
  sortJournal(join(dir, JOURNAL_FILE), done);
  const written = writeTables(dir, plan, files);
  writeManifest(dir, plan, meta, files, written.failed, written.outcomes);
  return files;
}

/**
 * Writes the sweep's tables from its finished journal, sorted by design point and
 * replication (sortJournal), in one pass over it: each run's rows as its record is
 * read, and each design point's summary once its runs are read (only one point's
 * final values are held). Gives the outcome declarations of its metrics (for the
 * manifest) and the number of failed runs.
 */
function writeTables(dir: string, plan: SweepPlan, files: Record<string, string>): { outcomes: Outcomes; failed: number } {
  const factorPaths = plan.factors.map((f) => f.path);
  const valuesOf = (point: number) => factorPaths.map((p) => fmtRaw(plan.points[point].values[p]));
  const sensitive = plan.saltelli !== undefined || plan.morris !== undefined;

  // the metrics of the first successful run (in point and replication order) head the tables
  let metrics: readonly string[] | null = null;
  let outcomes: Outcomes = specOutcomes(plan.spec, []);
  let cells: string[][] = [];
  let runsTable: TableWriter | null = null;
  let longTable: TableWriter | null = null;
  let seriesTable: TableWriter | null = null;
  // metric -> mean per point (NaN if none), for the sensitivity indices
  const pointMeans = new Map<string, number[]>();
  const summary = openTable(dir, 'summary.csv', ['point', ...factorPaths, 'metric', 'n', 'mean', 'sd', 'ci95'], files);
  const failures = openTable(dir, 'failures.csv', ['point', 'replication', 'seed', 'parameters', 'error'], files);
  // points passed before any successful run: summarised (with no runs) once the metrics are known
  const deferred: number[] = [];

  const summarise = (point: number, runs: readonly (readonly number[])[]) => {
    if (metrics === null) {
      deferred.push(point);
      return;
    }
    const at = valuesOf(point);
    metrics.forEach((metric, mi) => {
      const s = meanCi(runs.map((final) => final[mi]));
      if (sensitive) pointMeans.get(metric)![point] = s.mean;
      summary.row([String(point), ...at, metric, String(s.n), fmtStat(s.mean), fmtStat(s.sd), fmtStat(s.ci95)]);
    });
  };
  const setMetrics = (names: readonly string[]) => {
    metrics = names;
    outcomes = specOutcomes(plan.spec, names);
    cells = outcomes.metrics.map(metricCells);
    if (sensitive) for (const m of names) pointMeans.set(m, new Array<number>(plan.points.length).fill(NaN));
    runsTable = openTable(dir, 'runs.csv', ['point', 'replication', 'seed', ...factorPaths, 'rounds_run', 'stopped_by', ...names], files);
    longTable = openTable(dir, 'outcomes.csv', ['point', 'replication', 'seed', ...factorPaths, 'round', ...METRIC_COLUMNS, 'value'], files);
    if (plan.spec.sweep.series) seriesTable = openTable(dir, 'series.csv', ['point', 'replication', 'seed', 'round', 'metric', 'value'], files);
    for (const point of deferred) summarise(point, []);
    deferred.length = 0;
  };

  // the point being read and the final values of its successful runs
  let next = 0;
  let pointRuns: (readonly number[])[] = [];
  let failed = 0;
  eachWrittenRecord(join(dir, JOURNAL_FILE), (o) => {
    if (o.point >= plan.points.length) throw new Error(`writeTables: run ${o.key} is not in the plan`);
    for (; next < o.point; next++) {
      summarise(next, pointRuns);
      pointRuns = [];
    }
    if (!o.ok) {
      failed++;
      failures.row([o.point, o.replication, o.seed, JSON.stringify(plan.points[o.point].values), o.error ?? '']);
      return;
    }
    if (metrics === null) setMetrics(o.metrics);
    const names = metrics!;
    const at = valuesOf(o.point);
    // runs.csv: one row per run
    runsTable!.row([o.point, o.replication, o.seed, ...at, o.roundsRun, o.stoppedBy, ...o.final.map(fmtRaw)]);
    // outcomes.csv: the long table of final values, one row per run and metric, with the metric's declared dimensions, kind and unit
    for (let mi = 0; mi < names.length; mi++) longTable!.row([o.point, o.replication, o.seed, ...at, o.roundsRun, ...cells[mi], fmtRaw(o.final[mi])]);
    // series.csv when asked
    if (seriesTable && o.series) {
      for (let r = 0; r < o.series.rounds.length; r++) {
        for (let mi = 0; mi < o.metrics.length; mi++) seriesTable.row([o.point, o.replication, o.seed, o.series.rounds[r], o.metrics[mi], fmtRaw(o.series.values[r][mi])]);
      }
    }
    pointRuns.push(o.final);
  });
  if (metrics === null) setMetrics([]);
  // summary.csv: per design point and metric, across replications
  for (; next < plan.points.length; next++) {
    summarise(next, pointRuns);
    pointRuns = [];
  }
  (runsTable as TableWriter | null)?.close();
  (longTable as TableWriter | null)?.close();
  summary.close();
  (seriesTable as TableWriter | null)?.close();
  failures.close();

  // sensitivity.csv: Sobol or Morris indices of each metric's mean over replications
  if (plan.saltelli || plan.morris) {
    const rows: string[][] = [];
    for (const metric of metrics as readonly string[] | null ?? []) {
      const y = pointMeans.get(metric)!;
      if (y.some((v) => !Number.isFinite(v))) continue;
      if (plan.saltelli) {
        const est = sobolIndices(y, plan.saltelli);
        const boot = plan.spec.sweep.bootstrap;
        const ci = boot > 0 ? sobolBootstrap(y, plan.saltelli, boot, createRng(runSeed(plan.spec.seed, `bootstrap:${metric}`, 0))) : null;
        plan.factors.forEach((f, i) => {
          rows.push(['sobol', f.path, metric, 'S1', fmtStat(est.S1[i]), ci ? fmtStat(ci.S1[i].low) : '', ci ? fmtStat(ci.S1[i].high) : '']);
          rows.push(['sobol', f.path, metric, 'ST', fmtStat(est.ST[i]), ci ? fmtStat(ci.ST[i].low) : '', ci ? fmtStat(ci.ST[i].high) : '']);
        });
      } else if (plan.morris) {
        const est = morrisIndices(y, plan.morris);
        plan.factors.forEach((f, i) => {
          rows.push(['morris', f.path, metric, 'mu_star', fmtStat(est.muStar[i]), '', '']);
          rows.push(['morris', f.path, metric, 'mu', fmtStat(est.mu[i]), '', '']);
          rows.push(['morris', f.path, metric, 'sigma', fmtStat(est.sigma[i]), '', '']);
        });
      }
    }
    writeAtomic(dir, 'sensitivity.csv', stringify(rows, { ...CSV_OPTIONS, header: true, columns: ['method', 'factor', 'metric', 'index', 'value', 'ci_low', 'ci_high'] }), files);
  }
  return { outcomes, failed };
}

/** The charts and report.html an earlier report listed in the folder's manifest.json, with their sha256 (none when it has no readable manifest). */
function earlierReportFiles(dir: string): Record<string, string> {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(m.files ?? {}).filter((e): e is [string, string] => (e[0] === 'report.html' || e[0].startsWith('charts/')) && typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

function writeManifest(dir: string, plan: SweepPlan, meta: { file: string; question: string; startedAt: string; endedAt: string }, files: Record<string, string>, failed: number, outcomes: Outcomes): void {
  const manifest = {
    migov: versions().migov,
    kind: 'sweep',
    specFile: meta.file,
    question: meta.question,
    spec: plan.spec,
    specHash: plan.specHash,
    seed: plan.spec.seed,
    seedDerivation:
      'runSeed(seed, {model, params, protocol} of the design point, replication) = first 32 hex of sha256(canonicalJson({master, params, replication})); the design\'s own draws use runSeed(seed, "design", 0)',
    design: plan.spec.sweep.design,
    points: plan.points.length,
    replications: plan.spec.replications,
    runs: plan.tasks.length,
    failed,
    versions: versions(),
    git: gitState(),
    platform: `${process.platform}-${process.arch}`,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    // the files an earlier report made stay listed, so that the next report may write over them (and only them)
    files: Object.fromEntries(Object.entries({ ...earlierReportFiles(dir), ...files }).sort(([a], [b]) => (a < b ? -1 : 1))),
    outcomes,
    // each swept parameter in the words of the schema that defines it (label, unit, description), for chart titles
    parameters: parameterInfos(plan.spec, plan.factors.map((f) => f.path)),
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(dir, '.manifest.json.tmp'), text);
  renameSync(join(dir, '.manifest.json.tmp'), join(dir, 'manifest.json'));
}

/** The folder a sweep writes to by default. */
export function defaultSweepDir(spec: Spec, resultsDir = 'results'): string {
  return join(resultsDir, spec.name);
}

