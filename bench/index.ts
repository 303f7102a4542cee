// Benchmarks of the engine core: `npm run bench` (add `-- --json` for JSON only).
//
// 1. Agent-decisions per second of the linear PGG (N = 5, r = 3, c = 1) under the
//    Fermi rule (selection intensity 1, mutation 0.01, asynchronous updating) at
//    Z = 1,000, 10,000 and 100,000, with expected payoffs; then sampled payoffs,
//    logit (temperature 0.1) and a neutral Fermi run for comparison. One decision is
//    one revision opportunity: pick the focal agent, draw for mutation, pick the
//    model (partner), compare payoffs, maybe imitate (or mutate). A round is Z of
//    them. Each case warms up, then runs whole rounds for about 1.5 s per size, in
//    turns across the sizes; the median slice is reported. The cases share one
//    process, so the first (the target case) runs on the least polluted JIT state.
//    Targets: at least 25M decisions/s, and ns/decision at Z = 100,000 at most 1.2x
//    that at Z = 1,000 (the cost of a decision must not grow with the population).
// 1b. The engine core (bench/engine.ts, a child process): ns/decision of the engine,
//    the engine's loop before makeFermiRound (bench/engine-old.ts), the same decision
//    hand-written in JS (bench/engine-floor.ts) and in C (bench/c/pgg.c, built with the
//    system C compiler, skipped where there is none), with their ratios; target: the
//    engine within 1.25x the hand-written loop. `npx tsx bench/engine.ts --instructions`
//    counts instructions per decision with valgrind.
// 2. Memory of a population of 1,000,000 agents after one round: heap plus
//    typed-array (arrayBuffers) bytes, as process.memoryUsage() deltas after a
//    forced GC (the npm script runs tsx with --expose-gc), in a child process.
//    Target: under 200 MB.
// 3. Raw draws per second of seedrandom's generators, the grounds for alea in
//    src/engine/rng.ts.
// 4. The migration-governance model (bench/migration.ts, run in a child process of
//    its own): state-decisions per second at N = 200, 2,000 and 20,000 states with 3
//    issue areas (target: ns/decision at N = 20,000 at most 1.2x that at N = 200),
//    the same at 50 regions, a baseline run of N = 200 for 1,000 rounds (target:
//    under 1 s), and the memory of 1,000,000 states (target: under 500 MB); then
//    ns/decision at N = 2,000 (target: at most 500), weakest-link and best-shot beside
//    summation at N = 200, 2,000 and 20,000 (target: at most 1.5x), and the old payoff
//    code (bench/baseline/migration-governance.ts) beside today's, same decisions and
//    values bit for bit, with the speed-up.
// 6. The migration-flows model (bench/flows.ts, a child process of its own; printed
//    after section 4): one round at N = 2,000 vs 20,000 states (target: at most
//    11x), a run of N = 200 for 1,000 rounds with every metric beside the
//    reduced-form model's same run (target: under 2 s of CPU), and the memory of
//    100,000 states after init and one round (target: under 1 GB).
// 7. Scenario discovery (bench/discover.ts, printed last): PRIM on 100,000 runs x 10
//    factors with a planted box (target: under 5 s), and CART on the same data.
// 8. A sweep's per-run bookkeeping and memory (bench/bookkeeping.ts, printed last):
//    each piece (seed, journal record, journal sort, outcomes.csv rows) old way and
//    new way with their ratio, the sweep's overhead per run against a 60-state
//    300-round run (target: under a tenth), and the memory a sweep holds per run
//    at 3 sizes, new way beside the old (bench/retain-all.ts) with their ratio
//    (target: under 1 KB a run).
// 9. The analytic twin (bench/analysis.ts, printed last): the Fermi fixation
//    probability at Z = 10,000 (target: under 10 ms), the full chain's stationary
//    distribution at Z = 1,000 (target: under 100 ms) and the small-mutation limit of
//    3 populations x 3 strategies (target: under 1 s), each from the model to the answer.
// 10. Adaptive tipping-point search (bench/adaptive.ts, printed last): runs of
//    `design: adaptive` against a full grid at the same final resolution on known
//    boundaries (a planted line and circle, linear-pgg's r = N; target: at most a fifth).
// 11. The report of a run (bench/report.ts, printed last): the reduced-form baseline's
//    report data from memory (what `migov run` hands its report) against from
//    series.csv and final.csv (what `migov report` reads), with their ratio (target:
//    at least 3x), the general CSV path against the one-pass series reader, and the
//    whole report both ways.
// 12. Start-up (bench/startup.ts, printed last): the bundled CLI against the sources
//    through tsx, in one run: `migov --help` against `node -e 0` (target: at most 2x),
//    a 2-thread pool's first result (target: under 0.3 s), the betts-phase sweep with
//    the default workers against --workers 1 (target: not slower).
//
// Timings depend on the machine and on what else runs on it: compare numbers taken
// on the same machine only.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import seedrandom from 'seedrandom';
import { type Protocol } from '../src/engine/protocol.ts';
import { createSimulation } from '../src/engine/simulate.ts';
import linearPgg, { type LinearPggParams } from '../models/linear-pgg.ts';
import type { MigrationBench } from './migration.ts';
import type { FlowsBench } from './flows.ts';
import { FLOWS_JSON_MARKER, MIGRATION_JSON_MARKER, fmtRate, gc, median, now, pad } from './util.ts';
import { minOf } from '../src/engine/stats.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (!jsonOnly) console.log(line);
};

const TARGET_RATE = 25e6;
const TARGET_RATIO = 1.2;
const TARGET_MEMORY = 200 * 1024 * 1024;
const SIZES = [1_000, 10_000, 100_000];
const WARMUP_S = 0.3;
const REPEATS = 6;
const SLICE_S = 0.25;


interface Case {
  name: string;
  payoffs: LinearPggParams['payoffs'];
  protocol: Protocol;
}

const async = { revisionRate: 1, mutation: 0.01, updating: 'async' } as const;
const fermi: Protocol = { ...async, rule: 'fermi', selectionIntensity: 1 };
const cases: Case[] = [
  { name: 'fermi, expected payoffs', payoffs: 'expected', protocol: fermi },
  { name: 'fermi, sampled payoffs', payoffs: 'sampled', protocol: fermi },
  { name: 'logit T=0.1, expected payoffs', payoffs: 'expected', protocol: { ...async, rule: 'logit', temperature: 0.1 } },
  // With selection intensity 1 the population settles near 2.5% C, so about 95% of
  // Fermi decisions meet a partner on the same strategy and compare no payoffs.
  // Neutral selection keeps it mixed: payoffs are compared in about half the decisions.
  { name: 'fermi beta=0 (stays mixed), expected', payoffs: 'expected', protocol: { ...fermi, selectionIntensity: 0 } },
];

interface Row {
  case: string;
  Z: number;
  rounds: number;
  decisions: number;
  seconds: number;
  /** From the median ns/decision of the repeats. */
  decisionsPerSecond: number;
  /** Median over the repeats. */
  nsPerDecision: number;
  /** Fastest repeat (least disturbed by other work on the machine). */
  nsPerDecisionBest: number;
  /** Share of C over the measured rounds (mean of the share at each round's end). */
  shareC: number;
}

/**
 * Measures one case at every size. The sizes take turns (REPEATS slices of
 * SLICE_S seconds each), so that other work on the machine slows them alike and
 * the ratio between sizes stays fair; each size reports its median slice.
 */
function measure(c: Case): Row[] {
  const sims = SIZES.map((Z) => createSimulation(linearPgg, linearPgg.params.parse({ Z, N: 5, r: 3, c: 1, payoffs: c.payoffs }), c.protocol, `bench-${Z}`));
  for (const sim of sims) {
    const t0 = now();
    while (now() - t0 < WARMUP_S) sim.step();
  }
  const slices = SIZES.map(() => [] as number[]);
  const rounds = SIZES.map(() => 0);
  const seconds = SIZES.map(() => 0);
  const shareSum = SIZES.map(() => 0);
  for (let rep = 0; rep < REPEATS; rep++) {
    sims.forEach((sim, i) => {
      const counts = sim.state.pop.counts;
      let n = 0;
      const t0 = now();
      let t = t0;
      while (t - t0 < SLICE_S) {
        sim.step();
        n++;
        shareSum[i] += counts[0];
        t = now();
      }
      slices[i].push(((t - t0) * 1e9) / (n * SIZES[i]));
      rounds[i] += n;
      seconds[i] += t - t0;
    });
  }
  return SIZES.map((Z, i) => {
    const ns = median(slices[i]);
    return {
      case: c.name,
      Z,
      rounds: rounds[i],
      decisions: rounds[i] * Z,
      seconds: seconds[i],
      decisionsPerSecond: 1e9 / ns,
      nsPerDecision: ns,
      nsPerDecisionBest: minOf(slices[i]),
      shareC: shareSum[i] / rounds[i] / Z,
    };
  });
}

interface MemoryRow {
  case: string;
  agents: number;
  heapBytes: number;
  arrayBufferBytes: number;
  totalBytes: number;
}

function memoryOf(name: string, protocol: Protocol, Z: number): MemoryRow {
  gc?.();
  gc?.();
  const before = process.memoryUsage();
  const sim = createSimulation(linearPgg, linearPgg.params.parse({ Z }), protocol, 'memory');
  sim.step();
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  // keep the simulation alive until after the measurement
  if (sim.state.pop.size !== Z) throw new Error('unreachable');
  const heapBytes = after.heapUsed - before.heapUsed;
  const arrayBufferBytes = after.arrayBuffers - before.arrayBuffers;
  return { case: name, agents: Z, heapBytes, arrayBufferBytes, totalBytes: heapBytes + arrayBufferBytes };
}

const memoryCases = (): MemoryRow[] => [
  memoryOf('fermi, async', fermi, 1_000_000),
  memoryOf('fermi, sync (adds a next-choice array)', { ...fermi, updating: 'sync' }, 1_000_000),
  memoryOf('roth-erev (adds Z x K propensities)', { ...async, rule: 'roth-erev', forgetting: 0.05, experimentation: 0.05, initialPropensity: 1 }, 1_000_000),
];

// The memory cases run in a child process of their own: on a fresh heap, and without
// running other protocols through the step loop before the throughput cases are timed.
if (process.argv.includes('--memory-child')) {
  console.log(JSON.stringify(memoryCases()));
  process.exit(0);
}

// ---- 1. decisions per second -------------------------------------------------
log('migov engine benchmark');
log(`node ${process.version}, ${process.platform}/${process.arch}; gc exposed: ${gc ? 'yes' : 'no'}`);
log();
log('1. linear PGG (N=5, r=3, c=1), mutation 0.01, async: agent-decisions per second');
log(`   ${REPEATS} slices of ${SLICE_S} s per size, sizes taking turns; median slice (and fastest)`);
log(`${pad('case', 38, true)}${pad('Z', 9)}${pad('rounds', 8)}${pad('decisions/s', 13)}${pad('ns/decision', 13)}${pad('(fastest)', 10)}${pad('share C', 9)}`);
const rows: Row[] = [];
for (const c of cases) {
  for (const r of measure(c)) {
    rows.push(r);
    log(
      `${pad(c.name, 38, true)}${pad(r.Z.toLocaleString('en'), 9)}${pad(r.rounds, 8)}${pad(fmtRate(r.decisionsPerSecond), 13)}` +
        `${pad(r.nsPerDecision.toFixed(1), 13)}${pad(r.nsPerDecisionBest.toFixed(1), 10)}${pad(r.shareC.toFixed(3), 9)}`,
    );
  }
}
const main = rows.filter((r) => r.case === cases[0].name);
const at = (Z: number): Row => main.find((r) => r.Z === Z) as Row;
const ratio = at(100_000).nsPerDecision / at(1_000).nsPerDecision;
const slowest = minOf(main.map((r) => r.decisionsPerSecond));
const ratioPass = ratio <= TARGET_RATIO;
const ratePass = slowest >= TARGET_RATE;
log();
log(`${cases[0].name}:`);
log(`  ns/decision at Z=100,000 / Z=1,000 = ${ratio.toFixed(3)}  (target <= ${TARGET_RATIO}): ${ratioPass ? 'PASS' : 'FAIL'}`);
log(`  slowest rate ${fmtRate(slowest)} decisions/s  (target >= ${fmtRate(TARGET_RATE)}): ${ratePass ? 'PASS' : 'FAIL'}`);

// ---- 1b. the engine core against the same decision hand-written in JS and in C ----
// bench/engine.ts, in a child process of its own (a JIT state untouched by the cases above)
log();
const coreChild = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL('./engine.ts', import.meta.url)), ...(jsonOnly ? ['--json'] : [])], {
  stdio: ['ignore', jsonOnly ? 'pipe' : 'inherit', 'inherit'],
  encoding: 'utf8',
});
if (coreChild.status !== 0) throw new Error(`the engine-core benchmark (bench/engine.ts) failed with status ${coreChild.status}`);
const engineCore = jsonOnly ? (JSON.parse(coreChild.stdout) as { engineCore: unknown }).engineCore : null;

const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-child'], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
const memory = JSON.parse(child.stdout) as MemoryRow[];
const MB = 1024 * 1024;
log();
log(`2. memory of 1,000,000 agents (linear PGG) after one round${gc ? '' : ' (no --expose-gc: numbers include garbage)'}`);
log(`${pad('case', 38, true)}${pad('heap MB', 10)}${pad('arrays MB', 11)}${pad('total MB', 10)}`);
for (const m of memory) {
  log(`${pad(m.case, 38, true)}${pad((m.heapBytes / MB).toFixed(2), 10)}${pad((m.arrayBufferBytes / MB).toFixed(2), 11)}${pad((m.totalBytes / MB).toFixed(2), 10)}`);
}
const memoryPass = memory[0].totalBytes < TARGET_MEMORY;
log(`  fermi, async: ${(memory[0].totalBytes / MB).toFixed(2)} MB  (target < 200 MB): ${memoryPass ? 'PASS' : 'FAIL'}`);

// ---- 3. generators ----------------------------------------------------------
const generators: [string, () => () => number][] = [
  ['alea (used)', () => seedrandom.alea('bench')],
  ['xor4096', () => seedrandom.xor4096('bench')],
  ['tychei', () => seedrandom.tychei('bench')],
  ['ARC4 (seedrandom default)', () => seedrandom('bench')],
  ['Math.random (unseeded, reference)', () => Math.random],
];

interface RngRow {
  generator: string;
  drawsPerSecond: number;
  nsPerDraw: number;
}

function drawRate(make: () => () => number): RngRow & { sink: number } {
  const rng = make();
  let sink = 0;
  const batch = 100_000;
  let t0 = now();
  while (now() - t0 < 0.1) for (let i = 0; i < batch; i++) sink += rng();
  let draws = 0;
  t0 = now();
  let t = t0;
  while (t - t0 < 0.5) {
    for (let i = 0; i < batch; i++) sink += rng();
    draws += batch;
    t = now();
  }
  return { generator: '', drawsPerSecond: draws / (t - t0), nsPerDraw: ((t - t0) * 1e9) / draws, sink };
}

log();
log('3. seedrandom generators: raw draws per second');
log(`${pad('generator', 38, true)}${pad('draws/s', 10)}${pad('ns/draw', 10)}`);
const rngRows: RngRow[] = [];
let sink = 0;
for (const [name, make] of generators) {
  const r = drawRate(make);
  sink += r.sink;
  rngRows.push({ generator: name, drawsPerSecond: r.drawsPerSecond, nsPerDraw: r.nsPerDraw });
  log(`${pad(name, 38, true)}${pad(fmtRate(r.drawsPerSecond), 10)}${pad(r.nsPerDraw.toFixed(2), 10)}`);
}
if (!Number.isFinite(sink)) throw new Error('unreachable');

// ---- 4. the migration-governance model ----------------------------------------
// In a child process, whose output is passed on line by line; its results come
// back on one line that starts with MIGRATION_JSON_MARKER.
log();
const migrationChild = spawn(
  process.execPath,
  [...process.execArgv, fileURLToPath(new URL('./migration.ts', import.meta.url)), '--emit-json', ...(jsonOnly ? ['--quiet'] : [])],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const migrationExit = new Promise<number | null>((resolve) => migrationChild.on('close', resolve));
let migration: MigrationBench | null = null;
for await (const line of createInterface({ input: migrationChild.stdout })) {
  if (line.startsWith(MIGRATION_JSON_MARKER)) migration = JSON.parse(line.slice(MIGRATION_JSON_MARKER.length)) as MigrationBench;
  else log(line);
}
const migrationStatus = await migrationExit;
if (migrationStatus !== 0 || migration === null) throw new Error(`the migration benchmark (bench/migration.ts) failed with status ${migrationStatus}`);

// ---- 6. the migration-flows model ---------------------------------------------
// In a child process of its own too (bench/flows.ts); printed before section 5.
log();
const flowsChild = spawn(
  process.execPath,
  [...process.execArgv, fileURLToPath(new URL('./flows.ts', import.meta.url)), '--emit-json', ...(jsonOnly ? ['--quiet'] : [])],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const flowsExit = new Promise<number | null>((resolve) => flowsChild.on('close', resolve));
let flowsBench: FlowsBench | null = null;
for await (const line of createInterface({ input: flowsChild.stdout })) {
  if (line.startsWith(FLOWS_JSON_MARKER)) flowsBench = JSON.parse(line.slice(FLOWS_JSON_MARKER.length)) as FlowsBench;
  else log(line);
}
const flowsStatus = await flowsExit;
if (flowsStatus !== 0 || flowsBench === null) throw new Error(`the migration-flows benchmark (bench/flows.ts) failed with status ${flowsStatus}`);

if (jsonOnly) {
  console.log(
    JSON.stringify(
      {
        node: process.version,
        gcExposed: Boolean(gc),
        decisions: rows,
        checks: {
          ratio100kTo1k: { value: ratio, target: TARGET_RATIO, pass: ratioPass },
          slowestDecisionsPerSecond: { value: slowest, target: TARGET_RATE, pass: ratePass },
          memoryBytes: { value: memory[0].totalBytes, target: TARGET_MEMORY, pass: memoryPass },
          migration: migration.checks,
          flows: flowsBench.checks,
        },
        memory,
        generators: rngRows,
        migration,
        flows: flowsBench,
        engineCore,
      },
      null,
      2,
    ),
  );
}
await import('./sweep.ts'); // 5. sweeps: bench/sweep.ts prints its own lines
await import('./discover.ts'); // 7. scenario discovery: bench/discover.ts prints its own lines
await import('./bookkeeping.ts'); // 8. per-run bookkeeping: bench/bookkeeping.ts prints its own lines
await import('./analysis.ts'); // 9. the analytic twin: bench/analysis.ts prints its own lines
await import('./adaptive.ts'); // 10. adaptive search: bench/adaptive.ts prints its own lines
await import('./report.ts'); // 11. the report of a run: bench/report.ts prints its own lines
await import('./startup.ts'); // 12. start-up: bench/startup.ts prints its own lines
