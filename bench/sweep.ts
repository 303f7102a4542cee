// Section 5 of `npm run bench`: the sweep machinery (issue 5, "Speed and memory").
// bench/index.ts imports this file last; it also runs alone:
// `npx tsx --expose-gc bench/sweep.ts`. With --json its lines go to stderr, so that
// stdout keeps bench/index.ts's one JSON document.
//
// a. Overhead: the same runs (a linear-PGG grid, runs of about 10 ms each)
//    done by runSweep with the in-process executor (planning, journal with its
//    checksums and fsyncs, result tables, manifest) and by a bare loop calling
//    runTask over the plan's tasks (planned outside the timing) in the same thread.
//    Nine pairs, back to back, the order alternating; the median of the pairs'
//    ratios is reported (other work on the machine then slows both sides alike).
//    Target: the sweep at most 5 % slower. The fixed cost of a sweep (a one-run
//    sweep minus its run) and the cost per run are printed too, to judge other
//    sizes: n runs of length t pay (fixed + n x per run) / (n t).
// b. Scaling: a larger grid (runs of about 10 ms) with one worker (this thread) and
//    with as many worker threads as the machine has cores (piscina pool). End to end
//    (runSweep, the pool's start and close included, as `migov sweep` does) and in
//    steady state (the executor started and warm, only the runs timed); the target
//    is on the steady state, which is what a sweep of hours sees: efficiency =
//    speed-up / cores at least 0.8. Other work on the machine takes cores from the
//    pool (the load average is printed): run it on a quiet machine.
// c. Memory: `migov sweep --no-report` of 100,000 runs of a tiny model (linear PGG,
//    Z = 10, one round; 1,000 grid points x 100 replications) in a child process,
//    all cores; its resident set size (VmRSS and the kernel's peak, VmHWM, from
//    /proc, or ps elsewhere) sampled every 50 ms. Target: peak under 500 MB.
//
// Timings depend on the machine and on what else runs on it: compare numbers taken
// on the same machine only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateSpec } from '../src/experiment/load.ts';
import type { Spec } from '../src/experiment/schema.ts';
import { inProcessExecutor, localExecutor, poolExecutor } from '../src/sweep/executor.ts';
import { openJournal } from '../src/sweep/journal.ts';
import { planSweep } from '../src/sweep/plan.ts';
import { runTask } from '../src/sweep/run-task.ts';
import { runSweep } from '../src/sweep/sweep.ts';
import { MB, cpuNow, gc, median, now, pad, passFail } from './util.ts';
import { minOf } from '../src/engine/stats.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};

const TARGET_OVERHEAD = 0.05;
const TARGET_EFFICIENCY = 0.8;
const TARGET_RSS = 500 * MB;
const REPEATS = 5;
const OVERHEAD_PAIRS = 9;
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'migov-bench-sweep-'));

function gridSpec(name: string, Z: number, rounds: number, rValues: number, replications: number): Spec {
  return validateSpec(
    {
      name,
      model: 'linear-pgg',
      params: { Z, N: 5, r: 3, c: 1 },
      protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.01 },
      rounds,
      recordEvery: rounds,
      replications,
      seed: 'bench',
      sweep: { design: 'grid', factors: [{ path: 'params.r', min: 1, max: 6, steps: rValues }] },
    },
    '<bench>',
  );
}

let dirs = 0;
const freshDir = (): string => join(scratch, `s${dirs++}`);

// ---- a. overhead ---------------------------------------------------------------
const startLoad = loadavg()[0];
// runs of about 10 ms, the order of a run of experiments/betts-phase.yaml (60 states, 300 rounds)
const overheadSpec = gridSpec('overhead', 2000, 100, 25, 8);
const overheadPlan = planSweep(overheadSpec, '<bench>');
const runs = overheadPlan.tasks.length;
/** CPU seconds of each side too: they leave out the time other processes hold the cores. */
const cpuTimes = { bare: [] as number[], sweep: [] as number[] };
const bareLoop = (): number => {
  gc?.();
  const t0 = now();
  const c0 = cpuNow();
  let sink = 0;
  for (const t of overheadPlan.tasks) sink += runTask(t).final[0];
  if (!Number.isFinite(sink)) throw new Error('bare loop gave no numbers');
  cpuTimes.bare.push(cpuNow() - c0);
  return now() - t0;
};
const sweepRun = async (): Promise<number> => {
  gc?.();
  const t0 = now();
  const c0 = cpuNow();
  const r = await runSweep(overheadSpec, { file: '<bench>', dir: freshDir(), executor: inProcessExecutor() });
  if (!r.complete || r.ran !== runs) throw new Error('overhead sweep did not finish');
  cpuTimes.sweep.push(cpuNow() - c0);
  return now() - t0;
};
// warm up both paths once
bareLoop();
await sweepRun();
// pairs taken back to back, the order alternating (ABBA), so that drifts in what else
// runs on the machine fall on both alike; the median of the pairs' ratios is reported
const ratios: number[] = [];
const bare: number[] = [];
const machinery: number[] = [];
for (let rep = 0; rep < OVERHEAD_PAIRS; rep++) {
  let b: number;
  let m: number;
  if (rep % 2 === 0) {
    b = bareLoop();
    m = await sweepRun();
  } else {
    m = await sweepRun();
    b = bareLoop();
  }
  bare.push(b);
  machinery.push(m);
  ratios.push(m / b);
}
// planning alone (every design point's spec validated, every run's seed derived): part of the machinery's cost
const planning: number[] = [];
for (let rep = 0; rep < REPEATS; rep++) {
  const t0 = now();
  planSweep(overheadSpec, '<bench>');
  planning.push(now() - t0);
}
const tPlan = median(planning);
// the fixed part (folder, git state, versions, manifest, fsyncs at the end): a sweep of one run minus that run
const oneRun = gridSpec('one-run', 2000, 100, 1, 1);
const fixed: number[] = [];
for (let rep = 0; rep < REPEATS; rep++) {
  const t0 = now();
  await runSweep(oneRun, { file: '<bench>', dir: freshDir(), executor: inProcessExecutor() });
  const t1 = now();
  runTask(planSweep(oneRun, '<bench>').tasks[0]);
  fixed.push(t1 - t0 - (now() - t1));
}
const tFixed = median(fixed);
// the journal alone: appending the outcomes (checksum, write, fsync every 256 or 200 ms)
const outcomes = overheadPlan.tasks.slice(0, 50).map(runTask);
const journalDir = freshDir();
mkdirSync(journalDir);
const journal = openJournal(join(journalDir, 'journal.jsonl'), []);
const t0j = now();
for (let k = 0; k < 40; k++) for (const o of outcomes) journal.append(o);
journal.close();
const journalUs = ((now() - t0j) / (40 * outcomes.length)) * 1e6;
const tBare = median(bare);
const tSweep = median(machinery);
const overhead = median(ratios) - 1;
const perRunUs = ((tSweep - tBare - tFixed) / runs) * 1e6;
const overheadPass = overhead <= TARGET_OVERHEAD;

log();
log(`5. sweeps (load average ${startLoad.toFixed(1)} on ${availableParallelism()} cores at the start; other work on the machine slows 5b most)`);
log(`5a. sweep machinery overhead: ${runs} runs (linear PGG, Z = 2,000, 100 rounds; ${((tBare / runs) * 1e3).toFixed(2)} ms a run), one thread, ${OVERHEAD_PAIRS} pairs`);
log(`    bare loop over runTask   ${pad(tBare.toFixed(3), 7)} s (median)`);
log(`    runSweep, in-process     ${pad(tSweep.toFixed(3), 7)} s (median; plan, journal, tables, manifest; planning alone ${tPlan.toFixed(3)} s)`);
log(`    pair ratios ${ratios.map((r) => r.toFixed(3)).join(' ')} (wall); CPU time: bare ${median(cpuTimes.bare.slice(1)).toFixed(3)} s, sweep ${median(cpuTimes.sweep.slice(1)).toFixed(3)} s (+${((median(cpuTimes.sweep.slice(1)) / median(cpuTimes.bare.slice(1)) - 1) * 100).toFixed(1)} %)`);
log(`    of which fixed per sweep ${(tFixed * 1e3).toFixed(0)} ms (a one-run sweep minus its run), and about ${perRunUs.toFixed(0)} us a run; the journal alone takes ${journalUs.toFixed(0)} us a run`);
log(`    overhead ${(overhead * 100).toFixed(1)} % (median pair)   target <= ${TARGET_OVERHEAD * 100} %   ${passFail(overheadPass)}`);

// ---- b. scaling ----------------------------------------------------------------
const cores = availableParallelism();
const scalingSpec = gridSpec('scaling', 2000, 100, 50, 8);
const scalingPlan = planSweep(scalingSpec, '<bench>');
/** End to end: runSweep with a fresh executor, its start and close included. */
const timeSweep = async (workers: number): Promise<number> => {
  gc?.();
  const t0 = now();
  const executor = localExecutor(workers);
  try {
    const r = await runSweep(scalingSpec, { file: '<bench>', dir: freshDir(), executor });
    if (!r.complete) throw new Error('scaling sweep did not finish');
  } finally {
    await executor.close();
  }
  return now() - t0;
};
/** Steady state: the executor started and warmed on a few tasks first; only running the runs is timed. */
const timeWarm = async (workers: number): Promise<number> => {
  const executor = workers <= 1 ? inProcessExecutor() : poolExecutor(workers);
  try {
    await executor.execute(scalingPlan.tasks.slice(0, workers * 4), () => {});
    gc?.();
    const t0 = now();
    let n = 0;
    await executor.execute(scalingPlan.tasks, () => n++);
    if (n !== scalingPlan.tasks.length) throw new Error('scaling run lost outcomes');
    return now() - t0;
  } finally {
    await executor.close();
  }
};
const e1: number[] = [];
const eW: number[] = [];
const w1: number[] = [];
const wW: number[] = [];
for (let rep = 0; rep < 2; rep++) {
  e1.push(await timeSweep(1));
  eW.push(await timeSweep(cores));
  w1.push(await timeWarm(1));
  wW.push(await timeWarm(cores));
}
const t1 = minOf(e1);
const tW = minOf(eW);
const speedup = t1 / tW;
const warmSpeedup = minOf(w1) / minOf(wW);
const efficiency = warmSpeedup / cores;
const scalingPass = cores > 1 && efficiency >= TARGET_EFFICIENCY;
const scalingLoad = loadavg()[0];

log();
log(`5b. scaling: ${scalingPlan.tasks.length} runs (Z = 2,000, 100 rounds), 1 worker (this thread) and ${cores} (the machine's cores), best of 2 (load average ${scalingLoad.toFixed(1)})`);
log(`    end to end (runSweep, pool start and close included)   1: ${t1.toFixed(2)} s   ${cores}: ${tW.toFixed(2)} s   speed-up ${speedup.toFixed(2)}x`);
log(`    steady state (executor started and warm)              1: ${minOf(w1).toFixed(2)} s   ${cores}: ${minOf(wW).toFixed(2)} s   speed-up ${warmSpeedup.toFixed(2)}x`);
log(`    efficiency (steady speed-up / ${cores}) ${efficiency.toFixed(2)}   target >= ${TARGET_EFFICIENCY}   ${cores > 1 ? passFail(scalingPass) : 'SKIP (one core)'}`);

// ---- c. memory of a 100,000-run sweep -----------------------------------------
const TINY = `name: tiny
model: linear-pgg
params: { Z: 10, N: 2, r: 1.5, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 1
recordEvery: 1
replications: 100
seed: 1
sweep:
  design: grid
  factors:
    - { path: params.r, min: 1, max: 3, steps: 1000 }
`;
const tinyFile = join(scratch, 'tiny.yaml');
writeFileSync(tinyFile, TINY);

/** Resident and peak resident bytes of a process, or null once it has gone. */
function rssOf(pid: number): { rss: number; hwm: number } | null {
  const status = `/proc/${pid}/status`;
  if (existsSync('/proc/self/status')) {
    try {
      const text = readFileSync(status, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return null;
    }
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(ps.stdout.trim());
  return ps.status === 0 && kb > 0 ? { rss: kb * 1024, hwm: kb * 1024 } : null;
}

const memOut = join(scratch, 'tiny-out');
const t0 = now();
const child = spawn(process.execPath, [join(root, 'bin/migov.js'), 'sweep', tinyFile, '--out', memOut, '--quiet', '--no-report'], { stdio: ['ignore', 'pipe', 'pipe'] });
let childOut = '';
child.stdout.on('data', (d: Buffer) => (childOut += d));
child.stderr.on('data', (d: Buffer) => (childOut += d));
const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
let peak = 0;
let samples = 0;
const sampler = setInterval(() => {
  const m = rssOf(child.pid!);
  if (m && Number.isFinite(m.rss)) {
    peak = Math.max(peak, m.rss, Number.isFinite(m.hwm) ? m.hwm : 0);
    samples++;
  }
}, 50);
const status = await exited;
clearInterval(sampler);
const memSeconds = now() - t0;
if (status !== 0) throw new Error(`the 100,000-run sweep failed (${status}): ${childOut}`);
const rows = readFileSync(join(memOut, 'runs.csv'), 'utf8').split('\n').length - 2;
const memPass = peak > 0 && peak < TARGET_RSS;

log();
log(`5c. memory: \`migov sweep\` of ${rows.toLocaleString('en')} runs (linear PGG, Z = 10, 1 round), ${cores} workers, in a child process`);
log(`    peak resident set ${(peak / MB).toFixed(0)} MB (${samples} samples over ${memSeconds.toFixed(1)} s)   target < ${TARGET_RSS / MB} MB   ${passFail(memPass)}`);

rmSync(scratch, { recursive: true, force: true });

export interface SweepBench {
  overhead: { runs: number; bareSeconds: number; sweepSeconds: number; planSeconds: number; fixedSeconds: number; journalMicroseconds: number; overhead: number; perRunMicroseconds: number; target: number; pass: boolean };
  scaling: { cores: number; loadAverage: number; oneWorkerSeconds: number; allWorkersSeconds: number; speedup: number; steadySpeedup: number; efficiency: number; target: number; pass: boolean };
  memory: { runs: number; peakBytes: number; seconds: number; target: number; pass: boolean };
}

export const sweepBench: SweepBench = {
  overhead: { runs, bareSeconds: tBare, sweepSeconds: tSweep, planSeconds: tPlan, fixedSeconds: tFixed, journalMicroseconds: journalUs, overhead, perRunMicroseconds: perRunUs, target: TARGET_OVERHEAD, pass: overheadPass },
  scaling: { cores, loadAverage: scalingLoad, oneWorkerSeconds: t1, allWorkersSeconds: tW, speedup, steadySpeedup: warmSpeedup, efficiency, target: TARGET_EFFICIENCY, pass: scalingPass },
  memory: { runs: rows, peakBytes: peak, seconds: memSeconds, target: TARGET_RSS, pass: memPass },
};
if (jsonOnly) console.error(JSON.stringify({ sweep: sweepBench }));
