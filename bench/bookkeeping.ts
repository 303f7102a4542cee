// Section 8 of `npm run bench`: a sweep's per-run bookkeeping and memory (issue 18).
// bench/index.ts imports this file last; it also runs alone:
// `npx tsx --expose-gc bench/bookkeeping.ts`. With --json its lines go to stderr, so
// that stdout keeps bench/index.ts's one JSON document.
//
// The runs are tiny migration-governance runs (10 states, one round, all 80 metrics),
// so that what a sweep does around a run shows.
// a. Each piece of bookkeeping, old way and new way, on the same outcomes in this
//    process (so the ratio is taken in one run): a run's seed (old: canonical JSON
//    of the whole identity and SHA-256 in JavaScript, per run; new: seedsOf, the
//    identity's JSON once per design point, node:crypto), a journal record (old:
//    JSON.stringify with a replacer; new: without one unless a value is not finite),
//    the finished journal's sort (old: every outcome formatted and hashed again;
//    new: the file's own lines copied in order) and outcomes.csv's rows (old:
//    csv-stringify and SHA-256 in JavaScript; new: csvLine and node:crypto). Best
//    of REPEATS; microseconds per run.
// b. Per-run overhead of a whole sweep: runSweep with the in-process executor minus
//    a bare loop of runTask over the same plan, per run, against the time of one
//    run of experiments/betts-phase.yaml's size (60 states, 300 rounds, logit).
//    Target: under a tenth of it. Medians of CPU time over pairs.
// c. Memory: a fresh sweep of n tiny runs in a child process (a fresh heap), new way
//    (runSweep: no outcome kept; each goes to the journal, and the tables are written
//    from the sorted journal) and old way (bench/retain-all.ts: runSweep's bookkeeping
//    before issue 18, every outcome kept in a map until the end, kept here as the
//    reference). The runs are replayed (one real run per design point, its outcome
//    copied, with fresh arrays, for each of the point's tasks with the task's key and
//    seed), so that bookkeeping, not simulation, takes the time; the outputs have the
//    same size and shape. Measured: the heap (with array buffers) retained when the
//    last run has finished, after forced collections, at 3 sizes, as MB per 10,000
//    runs from the growth over the smallest size; beside it the child's peak resident
//    set size (which also holds what the collector has not yet freed) and the CPU per
//    run. Target: under 1 KB a run (9.8 MB per 10,000), so that a 1,000,000-run
//    migration sweep stays under 2 GB.
//
// Timings depend on the machine and on what else runs on it: compare numbers taken
// on the same machine only.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { stringify } from 'csv-stringify/sync';
import { canonicalJson, seedsOf, sha256HexJs } from '../src/engine/rng.ts';
import { simulate } from '../src/engine/simulate.ts';
import { validateSpec } from '../src/experiment/load.ts';
import type { Spec } from '../src/experiment/schema.ts';
import { CSV_OPTIONS, csvLine } from '../src/sweep/csv.ts';
import { specIdentity } from '../src/sweep/experiment.ts';
import { type Executor, inProcessExecutor } from '../src/sweep/executor.ts';
import { formatRecord, sortJournal, writeJournalSorted } from '../src/sweep/journal.ts';
import { planSweep } from '../src/sweep/plan.ts';
import { type RunOutcome, runTask } from '../src/sweep/run-task.ts';
import { runSweep } from '../src/sweep/sweep.ts';
import migration from '../models/migration-governance.ts';
import { retainAllSweep } from './retain-all.ts';
import { MB, cpuNow, gc, median, pad, passFail } from './util.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};

const TARGET_OVERHEAD_SHARE = 0.1;
const TARGET_BYTES_PER_RUN = 1024;
const REPEATS = 5;
const MICRO_RUNS = 5_000;
const SWEEP_RUNS = 2_000;
const MEMORY_SIZES = [10_000, 20_000, 40_000];
const MEMORY_FLOOR = 5_000;

function tinySpec(runs: number): Spec {
  return validateSpec(
    {
      name: 'tiny',
      model: 'migration-governance',
      params: { states: { N: 10 } },
      rounds: 1,
      recordEvery: 1,
      replications: runs / 10,
      seed: 'bench',
      sweep: { design: 'grid', factors: [{ path: 'params.multiplier', min: 1, max: 3, steps: 10 }] },
    },
    '<bench>',
  );
}

// ---- c's child: one sweep, old or new way, then what it held ---------------------
/** Runs one real run per design point and hands each task a copy of its point's outcome, as a worker would send it. */
function replayExecutor(): Executor {
  const byPoint = new Map<number, RunOutcome>();
  return {
    workers: 1,
    async execute(tasks, onOutcome, stopped) {
      for (let i = 0; i < tasks.length; i++) {
        if (stopped?.()) return;
        const t = tasks[i];
        let o = byPoint.get(t.point);
        if (!o) {
          o = runTask(t);
          byPoint.set(t.point, o);
        }
        onOutcome({ ...o, key: t.key, point: t.point, replication: t.replication, seed: t.seed, metrics: o.metrics.slice(), final: o.final.slice() });
        if (i % 64 === 63) await new Promise((r) => setImmediate(r));
      }
    },
    async close() {},
  };
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const way = process.argv[childAt + 1];
  const runs = Number(process.argv[childAt + 2]);
  const dir = mkdtempSync(join(tmpdir(), 'migov-bench-memory-'));
  let retainedBytes = NaN;
  const onProgress = (done: number, total: number) => {
    if (done < total || !Number.isNaN(retainedBytes)) return;
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    retainedBytes = m.heapUsed + m.arrayBuffers;
  };
  const spec = tinySpec(runs);
  const t0 = cpuNow();
  if (way === 'old') await retainAllSweep(spec, dir, replayExecutor(), onProgress);
  else if (!(await runSweep(spec, { file: '<bench>', dir, executor: replayExecutor(), onProgress })).complete) throw new Error('memory sweep did not finish');
  const cpuSeconds = cpuNow() - t0;
  rmSync(dir, { recursive: true, force: true });
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) * 1024;
  console.log(JSON.stringify({ runs, retainedBytes, cpuSeconds, peakRssBytes: Number.isFinite(hwm) ? hwm : process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'migov-bench-bookkeeping-'));
const best = (f: () => void): number => {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    gc?.();
    const t0 = cpuNow();
    f();
    times.push(cpuNow() - t0);
  }
  return Math.min(...times);
};

// ---- a. the pieces, old way and new way -----------------------------------------
const microPlan = planSweep(tinySpec(MICRO_RUNS), '<bench>');
const outcomes: RunOutcome[] = microPlan.tasks.map(runTask);
const done = new Map(outcomes.map((o) => [o.key, o]));
const identities = microPlan.points.map((p) => specIdentity(p.spec));
const master = microPlan.spec.seed;

/** JSON has no NaN: the journal's replacer, as formatRecord used for every record. */
const nonFiniteAsText = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
const nodeHex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

let sink = 0;
const seedOld = () => {
  for (const t of microPlan.tasks) sink += sha256HexJs(canonicalJson({ master, params: identities[t.point], replication: t.replication })).length;
};
const seedNew = () => {
  const seeds = identities.map((id) => seedsOf(master, id));
  for (const t of microPlan.tasks) sink += seeds[t.point](t.replication).length;
};
const recordOld = () => {
  for (const o of outcomes) {
    const json = JSON.stringify(o, nonFiniteAsText);
    sink += `${nodeHex(json)} ${json}\n`.length;
  }
};
const recordNew = () => {
  for (const o of outcomes) sink += formatRecord(o).length;
};
const journalFile = join(scratch, 'journal.jsonl');
const shuffledJournal = outcomes.map(formatRecord).join('');
const sortOld = () => {
  writeFileSync(journalFile, shuffledJournal);
  writeJournalSorted(journalFile, done);
};
const sortNew = () => {
  writeFileSync(journalFile, shuffledJournal);
  sortJournal(journalFile, done);
};
const metrics = outcomes[0].metrics;
const rowsOf = function* (): Generator<(string | number)[]> {
  for (const o of outcomes) for (let mi = 0; mi < metrics.length; mi++) yield [o.point, o.replication, o.seed, o.roundsRun, metrics[mi], String(o.final[mi])];
};
const csvOld = () => {
  const hash = sha256.create();
  const enc = new TextEncoder();
  let chunk: (string | number)[][] = [];
  const put = (text: string) => {
    const bytes = enc.encode(text);
    hash.update(bytes);
    sink += bytes.length;
  };
  for (const row of rowsOf()) {
    chunk.push(row);
    if (chunk.length === 2000) {
      put(stringify(chunk, CSV_OPTIONS));
      chunk = [];
    }
  }
  if (chunk.length) put(stringify(chunk, CSV_OPTIONS));
  sink += hash.digest().length;
};
const csvNew = () => {
  const hash = createHash('sha256');
  let chunk = '';
  const put = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    hash.update(bytes);
    sink += bytes.length;
  };
  for (const row of rowsOf()) {
    chunk += csvLine(row);
    if (chunk.length >= 1 << 16) {
      put(chunk);
      chunk = '';
    }
  }
  if (chunk.length) put(chunk);
  sink += hash.digest().length;
};

interface PieceRow {
  piece: string;
  oldUsPerRun: number;
  newUsPerRun: number;
  ratio: number;
}
const pieces: PieceRow[] = [];
log();
log(`8. Per-run bookkeeping of a sweep (issue 18): ${MICRO_RUNS.toLocaleString('en')} tiny migration runs (10 states, 1 round, ${metrics.length} metrics), CPU best of ${REPEATS}`);
log(`a. ${pad('piece', 36, true)}${pad('old us/run', 12)}${pad('new us/run', 12)}${pad('new/old', 9)}`);
for (const [piece, oldWay, newWay] of [
  ['run seed (runSeed)', seedOld, seedNew],
  ['journal record (formatRecord)', recordOld, recordNew],
  ['sorting the finished journal', sortOld, sortNew],
  [`outcomes.csv rows (${metrics.length} a run)`, csvOld, csvNew],
] as const) {
  oldWay();
  newWay();
  const o = (best(oldWay) / MICRO_RUNS) * 1e6;
  const n = (best(newWay) / MICRO_RUNS) * 1e6;
  pieces.push({ piece, oldUsPerRun: o, newUsPerRun: n, ratio: n / o });
  log(`   ${pad(piece, 36, true)}${pad(o.toFixed(1), 12)}${pad(n.toFixed(1), 12)}${pad((n / o).toFixed(2), 9)}`);
}
// the new ways give the old bytes (tests/sweep/bookkeeping.test.ts and tests/engine/seed-hash.test.ts hold them to it)

// ---- b. a whole sweep's overhead per run -----------------------------------------
const sweepSpec = tinySpec(SWEEP_RUNS);
const sweepPlan = planSweep(sweepSpec, '<bench>');
let dirs = 0;
const bareCpu = (): number => {
  gc?.();
  const t0 = cpuNow();
  for (const t of sweepPlan.tasks) sink += runTask(t).roundsRun;
  return cpuNow() - t0;
};
const sweepCpu = async (): Promise<number> => {
  gc?.();
  const t0 = cpuNow();
  const r = await runSweep(sweepSpec, { file: '<bench>', dir: join(scratch, `s${dirs++}`), executor: inProcessExecutor() });
  if (!r.complete) throw new Error('sweep did not finish');
  return cpuNow() - t0;
};
bareCpu();
await sweepCpu();
const overheads: number[] = [];
for (let i = 0; i < REPEATS; i++) overheads.push(((await sweepCpu()) - bareCpu()) / SWEEP_RUNS);
const overheadS = median(overheads);
// one run of betts-phase's size: 60 states, 300 rounds, logit T = 0.1, revisionRate 0.2
const bettsParams = migration.params.parse({});
const bettsRun = (seed: string): number => {
  const t0 = cpuNow();
  simulate(migration, bettsParams, { rule: 'logit', temperature: 0.1, revisionRate: 0.2, mutation: 0, updating: 'async' }, { seed, rounds: 300, recordEvery: 300, stop: { absorbing: false } });
  return cpuNow() - t0;
};
bettsRun('warm');
const runS = median([0, 1, 2, 3, 4].map((i) => bettsRun(`b${i}`)));
const share = overheadS / runS;
log(
  `b. sweep overhead per run (runSweep minus a bare runTask loop, ${SWEEP_RUNS.toLocaleString('en')} runs, median of ${REPEATS}): ${(overheadS * 1e6).toFixed(0)} us, ` +
    `${(share * 100).toFixed(1)} % of a 60-state 300-round run (${(runS * 1e3).toFixed(1)} ms); target under ${TARGET_OVERHEAD_SHARE * 100} %: ${passFail(share < TARGET_OVERHEAD_SHARE)}`,
);

// ---- c. memory per run, old way and new way -------------------------------------
const self = fileURLToPath(import.meta.url);
interface ChildMemory {
  runs: number;
  retainedBytes: number;
  cpuSeconds: number;
  peakRssBytes: number;
}
const childOf = (way: 'old' | 'new', runs: number): ChildMemory => {
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', way, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildMemory;
};
const perRun = (m: ChildMemory, floor: ChildMemory, field: 'retainedBytes' | 'peakRssBytes') => (m[field] - floor[field]) / (m.runs - floor.runs);
const ways = (['old', 'new'] as const).map((way) => {
  const floor = childOf(way, MEMORY_FLOOR);
  return { way, floor, sizes: MEMORY_SIZES.map((runs) => childOf(way, runs)) };
});
const [oldWay, newWay] = ways;
const memoryRows = MEMORY_SIZES.map((runs, i) => {
  const o = oldWay.sizes[i];
  const n = newWay.sizes[i];
  const oldBytes = perRun(o, oldWay.floor, 'retainedBytes');
  const newBytes = perRun(n, newWay.floor, 'retainedBytes');
  return {
    runs,
    old: { bytesPerRun: oldBytes, mbPer10k: (oldBytes * 10_000) / MB, peakRssBytes: o.peakRssBytes, cpuUsPerRun: (o.cpuSeconds / runs) * 1e6 },
    new: { bytesPerRun: newBytes, mbPer10k: (newBytes * 10_000) / MB, peakRssBytes: n.peakRssBytes, cpuUsPerRun: (n.cpuSeconds / runs) * 1e6 },
    ratio: newBytes / oldBytes,
  };
});
if (!gc) log('   (run with --expose-gc: without forced collections the retained heap below includes garbage)');
log(
  `c. sweep memory, heap retained when the last run has finished (growth over ${MEMORY_FLOOR.toLocaleString('en')} runs), runs replayed; ` +
    `old: every outcome kept (bench/retain-all.ts); target under ${TARGET_BYTES_PER_RUN} bytes a run`,
);
log(`   ${pad('runs', 9)}${pad('MB/10k old', 12)}${pad('MB/10k new', 12)}${pad('target', 8)}${pad('new/old', 9)}${pad('peak RSS MB old/new', 21)}${pad('CPU us/run old/new', 20)}`);
const targetMb = (TARGET_BYTES_PER_RUN * 10_000) / MB;
for (const m of memoryRows) {
  log(
    `   ${pad(m.runs.toLocaleString('en'), 9)}${pad(m.old.mbPer10k.toFixed(1), 12)}${pad(m.new.mbPer10k.toFixed(1), 12)}${pad(targetMb.toFixed(1), 8)}${pad(m.ratio.toFixed(2), 9)}` +
      `${pad(`${(m.old.peakRssBytes / MB).toFixed(0)} / ${(m.new.peakRssBytes / MB).toFixed(0)}`, 21)}${pad(`${m.old.cpuUsPerRun.toFixed(0)} / ${m.new.cpuUsPerRun.toFixed(0)}`, 20)}  ${passFail(m.new.bytesPerRun < TARGET_BYTES_PER_RUN)}`,
  );
}
if (!Number.isFinite(sink)) throw new Error('no work done');
rmSync(scratch, { recursive: true, force: true });

export const bookkeepingBench = { pieces, overhead: { usPerRun: overheadS * 1e6, runMs: runS * 1e3, share, target: TARGET_OVERHEAD_SHARE }, memory: { floorRuns: MEMORY_FLOOR, rows: memoryRows, targetBytesPerRun: TARGET_BYTES_PER_RUN } };
