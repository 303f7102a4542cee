// Section 4 of `npm run bench`: the migration-governance model (issue 4, "Speed and
// memory"). bench/index.ts runs this file in a child process of its own, so that the
// step loop's call sites have seen only this model when they are timed (the linear
// PGG cases of section 1 would otherwise make them polymorphic); it can also be run
// alone: `npx tsx --expose-gc bench/migration.ts`.
//
// a. State-decisions per second at N = 200, 2,000 and 20,000 states, 3 issue areas
//    (Betts' three), R = 5 regions, every other parameter at the model's defaults
//    (those of experiments/baseline.yaml), under logit response (temperature 0.1),
//    revisionRate 1, no mutation, asynchronous updating. One decision is one revision
//    opportunity of a state: draw the state, then, in each of the 3 issue areas, the
//    payoff of U, C and M (9 payoff evaluations), a logit draw and, if the level
//    changes, the update of the running aggregates; the per issue-area figure is a
//    third of that. No metric is recorded while timing (the model's welfare, burden
//    and Gini metrics scan the states, so recording would hide the step loop); the
//    levels are read from the engine's counts at the end. As in section 1 the sizes
//    take turns (slices of SLICE_S seconds), each size reports its median slice.
//    Times are CPU time of the process (process.cpuUsage), which leaves out the time
//    it waits while other work holds the cores, with the wall-clock median beside.
//    Targets: ns/decision at N = 20,000 at most 1.2x that at N = 200; at most 500
//    ns/decision at N = 2,000 (issue 18: one payoff kernel per state-decision).
//    The runs start, like the baseline, with every state unilateral. The levels they
//    reach differ with N (printed beside the timings): minimum participation asks
//    for theta x N ratifications, which the noise of logit response gathers at
//    N = 200 but hardly at N = 20,000 within the rounds timed, so the refugee regime
//    is in force in the small runs only. A payoff with the regime in force does a
//    little more work (G1 and its powers), so if anything this favours the large N.
//    Then the same at R = 50 regions, one line, to show whether the cost of a
//    decision grows with the number of regions: the payoff reads per-region and
//    per-club aggregates, and the sums over regions it needs (unilateral provision,
//    other clubs' terms) are kept as running totals, so it should not (summation
//    aggregation; weakest-link and best-shot are timed in d).
//    The levels reached differ with R as well (clubs of N / R states), so the cost
//    per decision may move either way.
// b. One run as experiments/baseline.yaml specifies it but with N = 200 and 1,000
//    rounds: logit T = 0.1, revisionRate 0.2, recordEvery 10 with every metric (101
//    records), through simulate(). Five runs with different seeds, the first of them
//    cold (the metric code not yet compiled); the median CPU time is reported, with
//    the wall time beside. Target: well under a second; fails at 1 s.
// c. Memory of N = 1,000,000 states with 3 issue areas after init and one round, in a
//    child process (a fresh heap): heap plus typed-array bytes retained, as
//    process.memoryUsage() deltas after a forced GC, and the peak resident set size
//    of that process (node and tsx included), which is reached while init builds one
//    row object per state. Target: both under 500 MB.
// d. Weakest-link and best-shot (every issue area at that aggregation, the rest as
//    in a) beside summation at N = 200, 2,000 and 20,000, the nine cases taking
//    turns, as in a. Target: each at most 1.5x summation at the same N (issue 18: the
//    members of an institution are kept ordered by contribution, so an extreme
//    contribution costs O(log N), not a scan of the states). The runs reach
//    different levels under each aggregation (printed), so the payoffs they ask for
//    differ a little.
// e. Against the old code: bench/baseline/migration-governance.ts is the model as
//    it was before the hoisted payoff kernel, the remembered member shares and the
//    ordered members (it scans the states for weakest-link and best-shot). In a
//    child process of its own (so that the engine's call sites in a, b and d see one
//    model only), the old and today's model run the same spec with the same seed
//    side by side, taking turns block by block (a block: max(1, 20,000 / N)
//    rounds, the first of each pair alternating); they must make the same
//    decisions, so each block is the same work for both, and the bench checks after
//    each block that every state holds the same levels and (but for the old
//    weakest-link and best-shot at N = 20,000, whose welfare metrics take seconds)
//    that every metric has the same value, bit for bit. The case starts
//    from the first round (every state unilateral), not from the runs of a. Reports
//    the median CPU ns/decision of the blocks for each and the ratio old / today.
//
// Timings depend on the machine and on what else runs on it: compare numbers taken
// on the same machine only.
import { spawnSync } from 'node:child_process';
import type { Model } from '../src/engine/model.ts';
import type { LogitProtocol } from '../src/engine/protocol.ts';
import { createSimulation, simulate } from '../src/engine/simulate.ts';
import migration, { LEVELS, type MigrationParams, type MigrationState } from '../models/migration-governance.ts';
import { MB, MIGRATION_JSON_MARKER, type RetainedMemory, cpuNow, gc, median, now, pad, passFail, retainedMemory } from './util.ts';
import { maxOf, minOf } from '../src/engine/stats.ts';

const quiet = process.argv.includes('--quiet');
const log = (line = ''): void => {
  if (!quiet) console.log(line);
};

const TARGET_RATIO = 1.2;
const TARGET_NS_2000 = 500;
const TARGET_AGGREGATION_RATIO = 1.5;
const AGGREGATIONS = ['summation', 'weakest-link', 'best-shot'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];
const AGGREGATION_REPEATS = 8;
/** Blocks per case of e (each block max(1, 20,000 / N) rounds); the old weakest-link and best-shot take seconds a round at N = 20,000. */
const KERNEL_BLOCKS = (aggregation: Aggregation, N: number): number => (aggregation === 'summation' ? 8 : N >= 20_000 ? 2 : 4);
const TARGET_RUN_S = 1;
const TARGET_MEMORY = 500 * MB;
const SIZES = [200, 2_000, 20_000];
const WARMUP_S = 0.5;
const REPEATS = 12;
const SLICE_S = 0.15;
const WIDE_REGIONS = 50;
const WIDE_REPEATS = 4;
const WIDE_SLICE_S = 0.2;
const MEMORY_N = 1_000_000;

const throughputProtocol: LogitProtocol = { rule: 'logit', temperature: 0.1, revisionRate: 1, mutation: 0, updating: 'async' };
const baselineProtocol: LogitProtocol = { ...throughputProtocol, revisionRate: 0.2 };

const paramsFor = (N: number, regions = 5, aggregation: Aggregation = 'summation'): MigrationParams => {
  const p = migration.params.parse({ states: { N, regions } });
  return aggregation === 'summation' ? p : migration.params.parse({ states: { N, regions }, issueAreas: p.issueAreas.map((a) => ({ ...a, aggregation })) });
};

export interface DecisionRow {
  regions: number;
  aggregation: Aggregation;
  N: number;
  rounds: number;
  /** Revision opportunities (state-decisions) timed. */
  decisions: number;
  /** Wall time of the slices. */
  seconds: number;
  /** Per CPU-second (one core), from the median CPU ns/decision of the slices. */
  decisionsPerSecond: number;
  /** CPU time of the process per decision, median over the slices. */
  nsPerDecision: number;
  /** Fastest slice in CPU time. */
  nsPerDecisionBest: number;
  /** Wall time per decision, median over the slices (slower when other work shares the cores). */
  nsPerDecisionWall: number;
  /** Per issue-area decision (a state-decision revises every issue area). */
  areaDecisionsPerSecond: number;
  nsPerAreaDecision: number;
  /** Share of each level in each issue area at the end. */
  levels: Record<string, { U: number; C: number; M: number }>;
}

function levelsOf(st: MigrationState): DecisionRow['levels'] {
  const out: DecisionRow['levels'] = {};
  st.names.forEach((name, g) => {
    const c = st.pop.counts;
    out[name] = { U: c[g * 3] / st.N, C: c[g * 3 + 1] / st.N, M: c[g * 3 + 2] / st.N };
  });
  return out;
}

/** The modal level of each issue area and its share: "M1.00 C1.00 U0.91". */
function fmtLevels(levels: DecisionRow['levels']): string {
  return Object.values(levels)
    .map((l) => {
      const shares = [l.U, l.C, l.M];
      const k = shares.indexOf(maxOf(shares));
      return `${LEVELS[k]}${shares[k].toFixed(2)}`;
    })
    .join(' ');
}

/**
 * Times the step loop at every size, the sizes taking turns (see section 1 of
 * bench/index.ts). Each slice is timed on the wall clock and in CPU time of this
 * process; the CPU time leaves out the time the process waits while other work
 * holds the cores, so it is the steadier measure on a shared machine.
 */
function measure(regions: number, repeats: number, sliceS: number, warmupS: number, aggregations: readonly Aggregation[] = ['summation']): DecisionRow[] {
  const cases = aggregations.flatMap((aggregation) => SIZES.map((N) => ({ N, aggregation })));
  // the summation runs keep the seeds they always had
  const seedOf = (c: { N: number; aggregation: Aggregation }): string => (c.aggregation === 'summation' ? `bench-migration-${c.N}` : `bench-migration-${c.aggregation}-${c.N}`);
  const sims = cases.map((c) => createSimulation<MigrationState>(migration, paramsFor(c.N, regions, c.aggregation), throughputProtocol, seedOf(c)));
  const G = sims[0].state.G;
  for (const sim of sims) {
    const t0 = now();
    while (now() - t0 < warmupS) sim.step();
  }
  const wall = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  const rounds = cases.map(() => 0);
  const seconds = cases.map(() => 0);
  for (let rep = 0; rep < repeats; rep++) {
    sims.forEach((sim, i) => {
      let n = 0;
      const c0 = cpuNow();
      const t0 = now();
      let t = t0;
      while (t - t0 < sliceS) {
        sim.step();
        n++;
        t = now();
      }
      const c = cpuNow() - c0;
      wall[i].push(((t - t0) * 1e9) / (n * cases[i].N));
      cpu[i].push((c * 1e9) / (n * cases[i].N));
      rounds[i] += n;
      seconds[i] += t - t0;
    });
  }
  return cases.map(({ N, aggregation }, i) => {
    const ns = median(cpu[i]);
    return {
      regions,
      aggregation,
      N,
      rounds: rounds[i],
      decisions: rounds[i] * N,
      seconds: seconds[i],
      decisionsPerSecond: 1e9 / ns,
      nsPerDecision: ns,
      nsPerDecisionBest: minOf(cpu[i]),
      nsPerDecisionWall: median(wall[i]),
      areaDecisionsPerSecond: (1e9 * G) / ns,
      nsPerAreaDecision: ns / G,
      levels: levelsOf(sims[i].state),
    };
  });
}

export interface RunTiming {
  N: number;
  rounds: number;
  records: number;
  metrics: number;
  /** Wall time of each run, the first one cold. */
  seconds: number[];
  /** CPU time of each run. */
  cpuSeconds: number[];
  medianSeconds: number;
  medianCpuSeconds: number;
}

function timeRuns(): RunTiming {
  const N = 200;
  const rounds = 1_000;
  const params = paramsFor(N);
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let records = 0;
  let metrics = 0;
  for (let k = 0; k < 5; k++) {
    const c0 = cpuNow();
    const t0 = now();
    const result = simulate(migration, params, baselineProtocol, { seed: `bench-migration-run-${k}`, rounds, recordEvery: 10 });
    seconds.push(now() - t0);
    cpuSeconds.push(cpuNow() - c0);
    records = result.values.length;
    metrics = result.metrics.length;
  }
  return { N, rounds, records, metrics, seconds, cpuSeconds, medianSeconds: median(seconds), medianCpuSeconds: median(cpuSeconds) };
}

export interface KernelRow {
  aggregation: Aggregation;
  N: number;
  rounds: number;
  /** Median CPU ns per state-decision over the blocks: the old code (bench/baseline/) and today's. */
  oldNs: number;
  newNs: number;
  /** oldNs / newNs: how many times faster today's code makes the same decisions. */
  speedup: number;
  /** Whether both made the same decisions and (see the header) recorded the same values, bit for bit, after every block. */
  identical: boolean;
}

/** Section e: the old and today's model side by side on the same spec and seed (see the header). */
async function kernelRows(): Promise<KernelRow[]> {
  const old = (await import('./baseline/migration-governance.ts')).default as unknown as Model<MigrationParams, MigrationState>;
  const rows: KernelRow[] = [];
  for (const aggregation of AGGREGATIONS) {
    for (const N of SIZES) {
      const params = paramsFor(N, 5, aggregation);
      const sims = [old, migration].map((model) => createSimulation<MigrationState>(model, params, throughputProtocol, `bench-kernel-${aggregation}-${N}`));
      const block = Math.max(1, Math.round(20_000 / N));
      const cpu: number[][] = [[], []];
      let identical = true;
      const blocks = KERNEL_BLOCKS(aggregation, N);
      for (let b = 0; b < blocks; b++) {
        for (const j of b % 2 === 0 ? [0, 1] : [1, 0]) {
          const c0 = cpuNow();
          for (let r = 0; r < block; r++) sims[j].step();
          cpu[j].push(((cpuNow() - c0) * 1e9) / (block * N));
        }
        if (aggregation === 'summation' || N < 20_000) {
          const [a, z] = sims.map((sim) => sim.measure());
          if (a.length !== z.length || a.some((x, k) => !Object.is(x, z[k]))) identical = false;
        }
        if (sims[0].state.pop.choice.some((x, k) => x !== sims[1].state.pop.choice[k])) identical = false;
      }
      const oldNs = median(cpu[0]);
      const newNs = median(cpu[1]);
      rows.push({ aggregation, N, rounds: blocks * block, oldNs, newNs, speedup: oldNs / newNs, identical });
    }
  }
  return rows;
}

export type MemoryRow = { states: number; issueAreas: number } & RetainedMemory;

function memoryOf(N: number): MemoryRow {
  return retainedMemory(
    () => createSimulation<MigrationState>(migration, paramsFor(N), throughputProtocol, 'bench-migration-memory'),
    (sim) => ({ states: sim.state.N, issueAreas: sim.state.G }),
  );
}

export interface MigrationBench {
  decisions: DecisionRow[];
  wideRegions: DecisionRow[];
  run: RunTiming;
  memory: MemoryRow;
  aggregations: DecisionRow[];
  kernel: KernelRow[];
  checks: Record<string, { value: number; target: number; pass: boolean }>;
}

function main(): MigrationBench {
  log('4. migration-governance model: 3 issue areas (Betts\' three), baseline defaults, logit T=0.1, revisionRate 1, async, nothing recorded');
  log('   a decision = one revision opportunity of a state, which revises all 3 issue areas (9 payoffs); an area-decision is a third of one');
  log(`   ${REPEATS} slices of ${SLICE_S} s per size, sizes taking turns; median slice in CPU time (fastest; wall-clock median)`);
  log(`   levels: modal level and its share in each issue area (refugee, irregular, skilled) at the end`);
  log(
    `${pad('regions', 8)}${pad('N', 8)}${pad('rounds', 8)}${pad('decisions/s', 13)}${pad('ns/decision', 13)}${pad('(fastest', 10)}${pad('wall)', 7)}` +
      `${pad('area-dec/s', 12)}${pad('ns/area-dec', 13)}  levels`,
  );
  const row = (r: DecisionRow): string =>
    `${pad(r.regions, 8)}${pad(r.N.toLocaleString('en'), 8)}${pad(r.rounds, 8)}${pad(`${(r.decisionsPerSecond / 1e3).toFixed(0)}k`, 13)}` +
    `${pad(r.nsPerDecision.toFixed(0), 13)}${pad(r.nsPerDecisionBest.toFixed(0), 10)}${pad(r.nsPerDecisionWall.toFixed(0), 7)}` +
    `${pad(`${(r.areaDecisionsPerSecond / 1e6).toFixed(2)}M`, 12)}${pad(r.nsPerAreaDecision.toFixed(0), 13)}  ${fmtLevels(r.levels)}`;
  const decisions = measure(5, REPEATS, SLICE_S, WARMUP_S);
  for (const r of decisions) log(row(r));
  const at = (rows: DecisionRow[], N: number): DecisionRow => rows.find((r) => r.N === N) as DecisionRow;
  const ratioOf = (rows: DecisionRow[], key: 'nsPerDecision' | 'nsPerDecisionBest' | 'nsPerDecisionWall'): number => at(rows, 20_000)[key] / at(rows, 200)[key];
  const ratio = ratioOf(decisions, 'nsPerDecision');
  log(
    `  ns/decision at N=20,000 / N=200 = ${ratio.toFixed(3)} (fastest ${ratioOf(decisions, 'nsPerDecisionBest').toFixed(3)}, ` +
      `wall ${ratioOf(decisions, 'nsPerDecisionWall').toFixed(3)})  (target <= ${TARGET_RATIO}): ${passFail(ratio <= TARGET_RATIO)}`,
  );
  const ns2000 = at(decisions, 2_000).nsPerDecision;
  log(`  ns/decision at N=2,000 = ${ns2000.toFixed(0)}  (target <= ${TARGET_NS_2000}): ${passFail(ns2000 <= TARGET_NS_2000)}`);

  const wideRegions = measure(WIDE_REGIONS, WIDE_REPEATS, WIDE_SLICE_S, WARMUP_S / 2);
  log(
    `  regions=${WIDE_REGIONS} (${WIDE_REPEATS} slices of ${WIDE_SLICE_S} s): ns/decision ${wideRegions.map((r) => r.nsPerDecision.toFixed(0)).join(' / ')} at N=200 / 2,000 / 20,000, ` +
      `${ratioOf(wideRegions, 'nsPerDecision').toFixed(2)}x from N=200 to 20,000; ` +
      `${(at(wideRegions, 20_000).nsPerDecision / at(decisions, 20_000).nsPerDecision).toFixed(2)}x regions=5 at N=20,000; levels ${wideRegions.map((r) => fmtLevels(r.levels)).join(' / ')}`,
  );

  const run = timeRuns();
  const ms = (xs: number[]): string => xs.map((s) => (s * 1e3).toFixed(0)).join(', ');
  log();
  log(`  one run: N=${run.N}, 3 issue areas, ${run.rounds.toLocaleString('en')} rounds, logit T=0.1, revisionRate 0.2, recordEvery 10 (${run.records} records of ${run.metrics} metrics), 5 seeds`);
  log(`  CPU ${ms(run.cpuSeconds)} ms, wall ${ms(run.seconds)} ms (the first cold)`);
  log(
    `  median ${(run.medianCpuSeconds * 1e3).toFixed(0)} ms CPU, ${(run.medianSeconds * 1e3).toFixed(0)} ms wall  ` +
      `(target < ${TARGET_RUN_S} s on one core): ${passFail(run.medianCpuSeconds < TARGET_RUN_S)}`,
  );

  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-child'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`migration memory child failed: ${child.stderr}`);
  const memory = JSON.parse(child.stdout) as MemoryRow;
  log();
  log(
    `  memory of ${memory.states.toLocaleString('en')} states, ${memory.issueAreas} issue areas, after init (${memory.initSeconds.toFixed(1)} s) ` +
      `and one round (${memory.roundSeconds.toFixed(1)} s), child process${gc ? '' : ' (no --expose-gc: numbers include garbage)'}:`,
  );
  log(
    `  retained ${(memory.totalBytes / MB).toFixed(1)} MB (heap ${(memory.heapBytes / MB).toFixed(1)}, typed arrays ${(memory.arrayBufferBytes / MB).toFixed(1)})  ` +
      `(target < 500 MB): ${passFail(memory.totalBytes < TARGET_MEMORY)}`,
  );
  log(
    `  peak RSS of the process ${(memory.peakRssBytes / MB).toFixed(0)} MB (${(memory.startRssBytes / MB).toFixed(0)} MB before init; the peak comes in init)  ` +
      `(target < 500 MB): ${passFail(memory.peakRssBytes < TARGET_MEMORY)}`,
  );

  log();
  log(`  d. weakest-link and best-shot (every issue area) beside summation, ${AGGREGATION_REPEATS} slices of ${SLICE_S} s per case, the 9 cases taking turns`);
  log(`${pad('aggregation', 14, true)}${pad('N', 8)}${pad('rounds', 8)}${pad('ns/decision', 13)}${pad('(fastest', 10)}${pad('wall)', 7)}${pad('x summation', 13)}  levels`);
  const aggregations = measure(5, AGGREGATION_REPEATS, SLICE_S, WARMUP_S, AGGREGATIONS);
  const sumAt = (N: number): DecisionRow => aggregations.find((r) => r.aggregation === 'summation' && r.N === N) as DecisionRow;
  const aggregationRatio = (r: DecisionRow): number => r.nsPerDecision / sumAt(r.N).nsPerDecision;
  for (const r of aggregations) {
    log(
      `${pad(r.aggregation, 14, true)}${pad(r.N.toLocaleString('en'), 8)}${pad(r.rounds, 8)}${pad(r.nsPerDecision.toFixed(0), 13)}${pad(r.nsPerDecisionBest.toFixed(0), 10)}` +
        `${pad(r.nsPerDecisionWall.toFixed(0), 7)}${pad(aggregationRatio(r).toFixed(2), 13)}  ${fmtLevels(r.levels)}`,
    );
  }

  const kernelChild = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--kernel-child'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (kernelChild.status !== 0) throw new Error(`migration kernel child failed: ${kernelChild.stderr}`);
  const kernel = JSON.parse(kernelChild.stdout) as KernelRow[];
  log();
  log('  e. against the old code (bench/baseline/migration-governance.ts), same spec and seed, taking turns block by block in one child process, from round 1');
  log(`${pad('aggregation', 14, true)}${pad('N', 8)}${pad('rounds', 8)}${pad('old ns/dec', 12)}${pad('ns/dec', 10)}${pad('speed-up', 10)}  same decisions and values`);
  for (const r of kernel) {
    log(`${pad(r.aggregation, 14, true)}${pad(r.N.toLocaleString('en'), 8)}${pad(r.rounds, 8)}${pad(r.oldNs.toFixed(0), 12)}${pad(r.newNs.toFixed(0), 10)}${pad(`${r.speedup.toFixed(2)}x`, 10)}  ${r.identical ? 'yes' : 'NO'}`);
  }
  const kernelAt = (aggregation: Aggregation, N: number): KernelRow => kernel.find((r) => r.aggregation === aggregation && r.N === N) as KernelRow;
  const identical = kernel.every((r) => r.identical);

  log();
  log('  issue 18 targets (measured in a and d; the speed-up over the old code from e):');
  log(`  summation, N=2,000: ${ns2000.toFixed(0)} ns/decision  (target <= ${TARGET_NS_2000}): ${passFail(ns2000 <= TARGET_NS_2000)}; ${kernelAt('summation', 2_000).speedup.toFixed(2)}x the old code`);
  const ratioChecks: Record<string, { value: number; target: number; pass: boolean }> = {};
  for (const aggregation of ['weakest-link', 'best-shot'] as const) {
    for (const N of SIZES) {
      const r = aggregations.find((x) => x.aggregation === aggregation && x.N === N) as DecisionRow;
      const value = aggregationRatio(r);
      ratioChecks[`${aggregation}${N}`] = { value, target: TARGET_AGGREGATION_RATIO, pass: value <= TARGET_AGGREGATION_RATIO };
      log(
        `  ${aggregation}, N=${N.toLocaleString('en')}: ${value.toFixed(2)}x summation  (target <= ${TARGET_AGGREGATION_RATIO}): ${passFail(value <= TARGET_AGGREGATION_RATIO)}; ` +
          `${kernelAt(aggregation, N).speedup.toFixed(1)}x the old code`,
      );
    }
  }
  log(`  the old and today's code made the same decisions and recorded the same values, bit for bit, in every case of e: ${passFail(identical)}`);
  return {
    decisions,
    wideRegions,
    run,
    memory,
    aggregations,
    kernel,
    checks: {
      nsPerDecision2000: { value: ns2000, target: TARGET_NS_2000, pass: ns2000 <= TARGET_NS_2000 },
      ...ratioChecks,
      kernelIdentical: { value: identical ? 1 : 0, target: 1, pass: identical },
      ratio20kTo200: { value: ratio, target: TARGET_RATIO, pass: ratio <= TARGET_RATIO },
      runCpuSeconds: { value: run.medianCpuSeconds, target: TARGET_RUN_S, pass: run.medianCpuSeconds < TARGET_RUN_S },
      memoryBytes: { value: memory.totalBytes, target: TARGET_MEMORY, pass: memory.totalBytes < TARGET_MEMORY },
      peakRssBytes: { value: memory.peakRssBytes, target: TARGET_MEMORY, pass: memory.peakRssBytes < TARGET_MEMORY },
    },
  };
}

if (process.argv.includes('--memory-child')) {
  console.log(JSON.stringify(memoryOf(MEMORY_N)));
} else if (process.argv.includes('--kernel-child')) {
  console.log(JSON.stringify(await kernelRows()));
} else {
  const result = main();
  if (process.argv.includes('--emit-json')) console.log(MIGRATION_JSON_MARKER + JSON.stringify(result));
}
