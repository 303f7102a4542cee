// Section 6 of `npm run bench`: the structural migration-flows model (issue 14, "Speed
// and memory"). bench/index.ts runs this file in a child process of its own (the step
// loop's call sites then see only this model, and the reference run of the
// reduced-form model); it can also be run alone: `npx tsx --expose-gc bench/flows.ts`.
// Every figure is a ratio between cases measured in this one process, taking turns,
// so that other work on a shared machine slows them alike.
//
// a. Cost of one round (people move in the three areas, then every state may revise,
//    nothing recorded) at N = 2,000 and 20,000 states (and 200,000, untargeted: the
//    ratio from 20,000 to 200,000 shows whether the cost per state keeps growing or
//    only steps up where the per-state arrays leave the processor's caches), the model's defaults
//    (4 regions, k = 4 neighbours), the baseline's protocol (logit T = 0.1, revision
//    rate 0.2). The round should cost O(N x neighbours + levels x areas x N), so the
//    ratio of CPU time per round is at most 11x for 10x the states. The irregular
//    step sums its flows over the forest the routes form, O(N x neighbours); until
//    the change of docs/model.md §5.10 it walked every origin's whole route, O(total
//    route length), which grew 14x for 10x the states. The sizes take turns
//    (slices), each reports its median slice in CPU time of the process.
// b. One run of N = 200 states for 1,000 rounds with flows and every metric recorded
//    every 10 rounds (101 records; the measured excludability and rivalry recompute
//    the round's flows on counterfactual levels at each record), as
//    experiments/flows-baseline.yaml has it but larger; target under 2 s of CPU on
//    one core. Beside it the reduced-form model's same-size run (bench/migration.ts
//    b: N = 200, 1,000 rounds, recordEvery 10, every metric) as the reference, the
//    two alternating over 5 seeds; medians, and the ratio flows / reduced form.
//    Then the same flows run recording every round (1,001 records) for scale.
// c. Memory of N = 100,000 states after init and one round, in a child process: heap
//    plus typed arrays retained (process.memoryUsage() deltas after a forced GC),
//    and the peak resident set size of the whole process (node and tsx included).
//    Target: both under 1 GB. The init time is printed: the world's k-nearest graph
//    and routes are built once per run, in about O(N x k) plus the routes' length
//    (world.ts: grid search, one breadth-first search).
//
// Timings depend on the machine and on what else runs on it: compare the ratios.
import { spawnSync } from 'node:child_process';
import type { LogitProtocol } from '../src/engine/protocol.ts';
import { createSimulation, simulate } from '../src/engine/simulate.ts';
import flows from '../models/migration-flows/index.ts';
import type { FlowsParams } from '../models/migration-flows/parameters.ts';
import type { FlowsState } from '../models/migration-flows/state.ts';
import migration from '../models/migration-governance.ts';
import { FLOWS_JSON_MARKER, MB, type RetainedMemory, cpuNow, gc, median, now, pad, passFail, retainedMemory } from './util.ts';

const quiet = process.argv.includes('--quiet');
const log = (line = ''): void => {
  if (!quiet) console.log(line);
};

const SIZES = [2_000, 20_000, 200_000];
const TARGET_ROUND_RATIO = 11;
const TARGET_RUN_S = 2;
const TARGET_MEMORY = 1024 * MB;
const MEMORY_N = 100_000;
const REPEATS = 8;
const SLICE_S = 0.4;
const RUN_SEEDS = 5;

const protocol: LogitProtocol = { rule: 'logit', temperature: 0.1, revisionRate: 0.2, mutation: 0, updating: 'async' };
const flowsParams = (N: number): FlowsParams => flows.params.parse({ world: { N } });

export interface RoundRow {
  N: number;
  rounds: number;
  initSeconds: number;
  /** CPU seconds per round, median over the slices */
  cpuPerRound: number;
  wallPerRound: number;
}

function roundCost(): RoundRow[] {
  const inits: number[] = [];
  const sims = SIZES.map((N) => {
    const t0 = now();
    const sim = createSimulation<FlowsState>(flows, flowsParams(N), protocol, `bench-flows-${N}`);
    inits.push(now() - t0);
    return sim;
  });
  for (const sim of sims) for (let r = 0; r < 3; r++) sim.step();
  const cpu = SIZES.map(() => [] as number[]);
  const wall = SIZES.map(() => [] as number[]);
  const rounds = SIZES.map(() => 0);
  for (let rep = 0; rep < REPEATS; rep++) {
    sims.forEach((sim, i) => {
      let n = 0;
      const c0 = cpuNow();
      const t0 = now();
      let t = t0;
      while (t - t0 < SLICE_S || n < 2) {
        sim.step();
        n++;
        t = now();
      }
      cpu[i].push((cpuNow() - c0) / n);
      wall[i].push((t - t0) / n);
      rounds[i] += n;
    });
  }
  return SIZES.map((N, i) => ({ N, rounds: rounds[i], initSeconds: inits[i], cpuPerRound: median(cpu[i]), wallPerRound: median(wall[i]) }));
}

export interface RunRow {
  model: string;
  recordEvery: number;
  records: number;
  metrics: number;
  cpuSeconds: number[];
  wallSeconds: number[];
  medianCpu: number;
  medianWall: number;
}

function timeRuns(): RunRow[] {
  const cases = [
    { model: flows, name: 'migration-flows', params: flowsParams(200), recordEvery: 10 },
    { model: migration, name: 'migration-governance (reference)', params: migration.params.parse({ states: { N: 200 } }), recordEvery: 10 },
    { model: flows, name: 'migration-flows', params: flowsParams(200), recordEvery: 1 },
  ];
  const rows: RunRow[] = cases.map((c) => ({ model: c.name, recordEvery: c.recordEvery, records: 0, metrics: 0, cpuSeconds: [], wallSeconds: [], medianCpu: 0, medianWall: 0 }));
  for (let k = 0; k < RUN_SEEDS; k++) {
    cases.forEach((c, i) => {
      const c0 = cpuNow();
      const t0 = now();
      const result = simulate(c.model, c.params, protocol, { seed: `bench-flows-run-${k}`, rounds: 1_000, recordEvery: c.recordEvery });
      rows[i].wallSeconds.push(now() - t0);
      rows[i].cpuSeconds.push(cpuNow() - c0);
      rows[i].records = result.values.length;
      rows[i].metrics = result.metrics.length;
    });
  }
  for (const r of rows) {
    r.medianCpu = median(r.cpuSeconds);
    r.medianWall = median(r.wallSeconds);
  }
  return rows;
}

export type FlowsMemoryRow = { states: number; links: number } & RetainedMemory;

function memoryOf(N: number): FlowsMemoryRow {
  return retainedMemory(
    () => createSimulation<FlowsState>(flows, flowsParams(N), protocol, 'bench-flows-memory'),
    (sim) => ({ states: sim.state.w.N, links: sim.state.w.nbr.length }),
  );
}

export interface FlowsBench {
  rounds: RoundRow[];
  runs: RunRow[];
  memory: FlowsMemoryRow;
  checks: Record<string, { value: number; target: number; pass: boolean }>;
}

function main(): FlowsBench {
  log('6. migration-flows model (structural): defaults (4 regions, k = 4), logit T=0.1, revisionRate 0.2, async');
  log(`   a. one round (flows of 3 areas + revisions, nothing recorded); ${REPEATS} slices of ${SLICE_S} s per size, sizes taking turns; median CPU s/round`);
  const rounds = roundCost();
  log(`${pad('N', 8)}${pad('init s', 9)}${pad('rounds', 8)}${pad('ms/round CPU', 14)}${pad('(wall)', 9)}`);
  for (const r of rounds) log(`${pad(r.N.toLocaleString('en'), 8)}${pad(r.initSeconds.toFixed(2), 9)}${pad(r.rounds, 8)}${pad((r.cpuPerRound * 1e3).toFixed(2), 14)}${pad((r.wallPerRound * 1e3).toFixed(2), 9)}`);
  const ratio = rounds[1].cpuPerRound / rounds[0].cpuPerRound;
  const wallRatio = rounds[1].wallPerRound / rounds[0].wallPerRound;
  const ratioLarge = rounds[2].cpuPerRound / rounds[1].cpuPerRound;
  log(`  CPU per round at N=20,000 / N=2,000 = ${ratio.toFixed(2)}x (wall ${wallRatio.toFixed(2)}x)  (target <= ${TARGET_ROUND_RATIO}x): ${passFail(ratio <= TARGET_ROUND_RATIO)}`);
  log(`  CPU per round at N=200,000 / N=20,000 = ${ratioLarge.toFixed(2)}x (no target: shows whether the cost per state keeps growing once the state arrays are out of cache)`);

  log();
  log(`   b. one run of N=200, 1,000 rounds, every metric; ${RUN_SEEDS} seeds, the cases taking turns (the first cold); median`);
  const runs = timeRuns();
  log(`${pad('model', 36, true)}${pad('recordEvery', 12)}${pad('records', 9)}${pad('metrics', 9)}${pad('s CPU', 8)}${pad('s wall', 8)}`);
  for (const r of runs) log(`${pad(r.model, 36, true)}${pad(r.recordEvery, 12)}${pad(r.records, 9)}${pad(r.metrics, 9)}${pad(r.medianCpu.toFixed(3), 8)}${pad(r.medianWall.toFixed(3), 8)}`);
  const flowsRun = runs[0];
  const refRun = runs[1];
  log(
    `  migration-flows ${flowsRun.medianCpu.toFixed(2)} s CPU = ${(flowsRun.medianCpu / refRun.medianCpu).toFixed(2)}x the reduced-form run  ` +
      `(target < ${TARGET_RUN_S} s on one core): ${passFail(flowsRun.medianCpu < TARGET_RUN_S)}`,
  );

  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-child'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`flows memory child failed: ${child.stderr}`);
  const memory = JSON.parse(child.stdout) as FlowsMemoryRow;
  log();
  log(
    `   c. memory of ${memory.states.toLocaleString('en')} states (${memory.links.toLocaleString('en')} directed links) after init (${memory.initSeconds.toFixed(1)} s) ` +
      `and one round (${memory.roundSeconds.toFixed(2)} s), child process${gc ? '' : ' (no --expose-gc: numbers include garbage)'}:`,
  );
  log(
    `  retained ${(memory.totalBytes / MB).toFixed(1)} MB (heap ${(memory.heapBytes / MB).toFixed(1)}, typed arrays ${(memory.arrayBufferBytes / MB).toFixed(1)}); ` +
      `RSS after ${(memory.rssAfterBytes / MB).toFixed(0)} MB, peak ${(memory.peakRssBytes / MB).toFixed(0)} MB (${(memory.startRssBytes / MB).toFixed(0)} MB before init)  ` +
      `(target < 1 GB): ${passFail(memory.peakRssBytes < TARGET_MEMORY)}`,
  );
  return {
    rounds,
    runs,
    memory,
    checks: {
      roundRatio20kTo2k: { value: ratio, target: TARGET_ROUND_RATIO, pass: ratio <= TARGET_ROUND_RATIO },
      roundRatio200kTo20k: { value: ratioLarge, target: Infinity, pass: true },
      runCpuSeconds: { value: flowsRun.medianCpu, target: TARGET_RUN_S, pass: flowsRun.medianCpu < TARGET_RUN_S },
      peakRssBytes: { value: memory.peakRssBytes, target: TARGET_MEMORY, pass: memory.peakRssBytes < TARGET_MEMORY },
    },
  };
}

if (process.argv.includes('--memory-child')) {
  console.log(JSON.stringify(memoryOf(MEMORY_N)));
} else {
  const result = main();
  if (process.argv.includes('--emit-json')) console.log(FLOWS_JSON_MARKER + JSON.stringify(result));
}
