// The public typed API: `import { run } from 'migov'` does what `migov run` does.
import { join } from 'node:path';
import { resolveSpec } from './experiment/load.ts';
import { checkBudget } from './experiment/budget.ts';
import type { Spec, SpecInput } from './experiment/schema.ts';
import { type ExperimentResult, type MetricSummary, runExperiment, summarise } from './sweep/experiment.ts';
import { SpecError } from './experiment/errors.ts';
import { claimOutput } from './sweep/folder.ts';
import { writeResults } from './sweep/store.ts';
import type { ReportOptions } from './report/index.ts';
import { writeReportSync } from './report/sync.ts';

export interface RunOptions {
  /** Master seed, overriding the spec's. */
  seed?: string | number;
  /** Overrides as `path=value` strings, exactly as `--set` takes them. */
  set?: readonly string[];
  /** Result folder; default `<resultsDir>/<name>`; `false` writes nothing. */
  out?: string | false;
  /** Parent of the result folders (default `results`). */
  resultsDir?: string;
  /** Make the charts and report.html after writing the results (default true; needs `out`). */
  report?: boolean;
  /** Move an existing result folder that migov did not make aside (to `<dir>.old-N`, never deleted) instead of refusing. */
  force?: boolean;
  /** Run a spec above the default budget (runs, decisions, recorded values, memory; README, "Budgets"), as `--allow-large`; never one beyond what the machine can hold. */
  allowLarge?: boolean;
}

export interface RunOutput {
  readonly spec: Spec;
  readonly result: ExperimentResult;
  readonly summary: MetricSummary[];
  /** Absolute path of the result folder, or null when `out` is false. */
  readonly dir: string | null;
  /** Absolute path of report.html, or null when no report was made. */
  readonly report: string | null;
}

/**
 * Runs one experiment spec, given as a file path or as an object, with all its
 * replications; validates it first (throwing SpecError, with nothing written) and
 * writes the result folder unless `out` is false, then its charts and report.html
 * unless `report` is false (through `migov report` in a child process: rendering is
 * asynchronous and run() is not).
 */
export function run(spec: string | SpecInput, options: RunOptions = {}): RunOutput {
  const valid = resolveSpec(spec, options.set, options.seed);
  const file = typeof spec === 'string' ? spec : null;
  checkBudget(valid, file ?? '<spec object>', { command: 'run', allowLarge: options.allowLarge, machine: thisMachine(), flag: 'allowLarge: true (--allow-large)' });
  if (valid.sweep && options.out !== false) {
    throw new SpecError(file ?? '<spec object>', [{ field: 'sweep', message: 'run() runs one parameter setting and would ignore the sweep section (and could replace a sweep\'s folder)', allowed: 'sweep() for a spec with a sweep section' }]);
  }
  const dir = options.out === false ? null : (options.out ?? join(options.resultsDir ?? 'results', valid.name));
  // the folder is claimed (and locked) before anything runs; see claimOutput
  const claim = dir !== null ? claimOutput(dir, { kind: 'run', force: options.force, specFiles: file ? [file] : [] }) : null;
  try {
    const result = runExperiment(valid);
    const makeReport = options.report !== false;
    // the report is made in the new folder before it is swapped into place
    const written = claim ? writeResults(claim.dir, result, file, { claim, finish: makeReport ? (tmp) => void writeReportSync(tmp) : undefined }) : null;
    const report = written && makeReport ? join(written.dir, 'report.html') : null;
    return { spec: valid, result, summary: summarise(result), dir: written?.dir ?? null, report };
  } finally {
    claim?.lock.release();
  }
}

export { loadSpec, validateSpec, resolveSpec, specJsonSchema } from './experiment/load.ts';
export { SpecError, type SpecProblem } from './experiment/errors.ts';
export type { Spec, SpecInput, ProtocolSpec } from './experiment/schema.ts';
export { runExperiment, summarise, specIdentity, specHash } from './sweep/experiment.ts';
export type { ExperimentResult, ReplicationResult, MetricSummary } from './sweep/experiment.ts';
export { OutputError, writeResults } from './sweep/store.ts';
export { DamagedFileError } from './sweep/damaged.ts';
export { claimOutput, lockFolder, MARKER_FILE, type Claim, type FolderKind } from './sweep/folder.ts';
export { ReportError, RenderError } from './report/errors.ts';
export { readResults } from './report/read.ts';
export { writeReportSync } from './report/sync.ts';
export type { ReportOptions } from './report/index.ts';
export { discover, defaultDiscoverDir, type DiscoverOptions, type DiscoverOutput } from './report/discover.ts';
export { prim, type PrimOptions, type PrimResult, type PrimBox } from './discover/prim.ts';
export { cart, type CartOptions, type CartResult } from './discover/cart.ts';
export { compileCondition, type Condition } from './discover/condition.ts';
export type { Box, DiscoverData, DiscoverySummary, Factor as DiscoverFactor, Limit } from './discover/data.ts';
export { calibrate, prepareCalibration, type CalibrateOptions, type CalibrateOutput, type CalibrationSummary, type ParameterResult } from './calibrate/calibrate.ts';
export { historyMatch, maxImplausibility, identification, type HistoryMatchOptions, type HistoryMatchResult, type Target as CalibrationTarget, type WaveRuns } from './calibrate/history.ts';
export { fitEmulator, type Emulator } from './calibrate/emulator.ts';

/**
 * Makes (or makes again) the charts and report.html of a results folder without
 * rerunning; resolves to the path of report.html. Loads vega on first use only.
 */
export async function writeReport(folder: string, options?: ReportOptions): Promise<string> {
  return (await import('./report/index.ts')).writeReport(folder, options);
}
export { models, findModel } from '../models/index.ts';
export { simulate, createSimulation, metricNames } from './engine/simulate.ts';
export type { RunResult, Simulation, SimulationOptions, StopRule } from './engine/simulate.ts';
export type { Model, AnyModel, ModelState, Metric, GameLayout } from './engine/model.ts';
export type { Protocol, LogitProtocol, FermiProtocol, RothErevProtocol } from './engine/protocol.ts';
export { createRng, runSeed, runIdentity, canonicalJson, type Rng } from './engine/rng.ts';
export { createPopulation, setChoice, assignShares, type Population } from './engine/population.ts';

// ---- sweeps: `migov sweep` as a function ----------------------------------------
import { type Executor, localExecutor, parseWorkers, thisMachine } from './sweep/executor.ts';
import { type SweepResult, runSweep } from './sweep/sweep.ts';
import { runAdaptiveSweep } from './sweep/adaptive.ts';
import { type Shard, defaultShardDir, parseShard } from './sweep/shard.ts';

export interface SweepRunOptions {
  /** Worker threads (default: available cores); 1 runs in this thread. Ignored with `executor`. */
  workers?: number;
  /** Master seed, overriding the spec's. */
  seed?: string | number;
  /** Overrides as `path=value` strings, exactly as `--set` takes them. */
  set?: readonly string[];
  /** Result folder; default `<resultsDir>/<name>`. */
  out?: string;
  /** Parent of the result folders (default `results`). */
  resultsDir?: string;
  /** Re-run only the runs that failed in an earlier session. */
  retryFailed?: boolean;
  /** Move a folder made by another spec aside (to `<dir>.old-N`, never deleted) instead of refusing. */
  force?: boolean;
  /** Where the runs happen (default: localExecutor(workers)); the caller closes its own executor. */
  executor?: Executor;
  /** Called as runs finish: runs with an outcome so far, and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Make the charts and report.html once the sweep is complete (default true, as `migov sweep` does; never for a shard). */
  report?: boolean;
  /**
   * Run only shard i of n (`'i/n'` or `{ index, count }`): the runs k with k % n == i, into
   * `<resultsDir>/<name>.shard-<i>-of-<n>` by default, ending with shard.json instead of the
   * tables; `merge()` joins the n shards (as `migov sweep --shard`).
   */
  shard?: string | Shard;
  /** Run a sweep above the default budget (runs, decisions, recorded values, memory, workers per core), as `--allow-large`; never one beyond what the machine can hold. */
  allowLarge?: boolean;
}

/**
 * Runs (or resumes) the sweep of a spec with a `sweep` section, given as a file path or
 * as an object, as `migov sweep` does: validates it and every design point first
 * (throwing SpecError, with nothing written), then runs what the folder's journal
 * does not yet hold. Failed runs are in `result.failed` (and failures.csv), not thrown.
 */
export async function sweep(spec: string | SpecInput, options: SweepRunOptions = {}): Promise<SweepResult> {
  const file = typeof spec === 'string' ? spec : '<spec object>';
  const valid = resolveSpec(spec, options.set, options.seed);
  const workers = parseWorkers(options.workers, '<options>', 'workers');
  const shard = typeof options.shard === 'string' ? parseShard(options.shard, '<options>.shard') : options.shard && parseShard(`${options.shard.index}/${options.shard.count}`, '<options>.shard');
  const dir = options.out ?? (shard ? defaultShardDir(valid.name, shard, options.resultsDir) : join(options.resultsDir ?? 'results', valid.name));
  // what it will cost, before the design is generated or anything written (src/experiment/budget.ts)
  const cost = checkBudget(valid, file, { command: 'sweep', workers: options.executor?.workers ?? workers, shards: shard?.count, allowLarge: options.allowLarge, machine: thisMachine(), flag: 'allowLarge: true (--allow-large)' });
  const executor = options.executor ?? localExecutor(Math.max(1, Math.min(workers, cost.runs)));
  try {
    if (valid.sweep?.design === 'adaptive') {
      // waves planned from results (src/sweep/adaptive.ts); the result also carries `adaptive` (the summary) and `search`
      const result = await runAdaptiveSweep(valid, { file, dir, executor, shard, retryFailed: options.retryFailed, force: options.force, onProgress: options.onProgress });
      if (result.complete && options.report !== false) await (await import('./report/adaptive.ts')).writeAdaptiveReport(result);
      return result;
    }
    const result = await runSweep(valid, { file, dir, executor, shard, retryFailed: options.retryFailed, force: options.force, onProgress: options.onProgress });
    if (result.complete && !shard && options.report !== false) await writeReport(result.dir);
    return result;
  } finally {
    if (!options.executor) await executor.close();
  }
}

export { planSweep, setPath, type RunTask, type SweepPlan, type PlannedPoint } from './sweep/plan.ts';
export { AdaptiveSearch, runAdaptiveSweep, adaptiveSettings, gridCost, type AdaptiveSettings, type AdaptiveSummary, type AdaptiveResult, type BoundaryCell, type PointClass } from './sweep/adaptive.ts';
export { runSweep, defaultSweepDir, writeSweepOutputs, type SweepOptions, type SweepResult } from './sweep/sweep.ts';
export { parseShard, shardTasks, defaultShardDir, type Shard, type ShardManifest } from './sweep/shard.ts';
export { mergeShards, MergeError, type MergeOptions, type MergeResult } from './sweep/merge.ts';
import { type MergeResult, mergeShards } from './sweep/merge.ts';

/**
 * Joins the shards of a sweep (`sweep(spec, { shard })` or `migov sweep --shard`) into
 * the folder a single-machine sweep writes, as `migov merge` does: checks every shard
 * first (MergeError naming it, nothing written), then writes the folder and, unless
 * `report` is false, its charts and report.html, under a temporary name renamed at the end.
 */
export async function merge(folders: readonly string[], options: { out: string; force?: boolean; report?: boolean }): Promise<MergeResult> {
  return mergeShards(folders, { out: options.out, force: options.force, finish: options.report === false ? undefined : async (dir) => void (await writeReport(dir)) });
}
export {
  shardScript,
  mergeScript,
  writeSlurmScripts,
  submitJobs,
  clusterStatus,
  formatStatus,
  resubmitMissing,
  SlurmError,
  type SlurmJobOptions,
  type ClusterStatus,
  type ShardStatus,
} from './sweep/slurm.ts';
export { localExecutor, inProcessExecutor, poolExecutor, type Executor } from './sweep/executor.ts';
export { runTask, type RunOutcome } from './sweep/run-task.ts';
export { readJournal, type JournalContents } from './sweep/journal.ts';
export { grid, latinHypercube, saltelli, morris, sobolPoints, type DesignPoint, type Value } from './experiment/designs.ts';
export { sobolIndices, sobolBootstrap, morrisIndices } from './sweep/sensitivity.ts';
export type { SweepSpec, Factor } from './experiment/schema.ts';
// The migration models' levels as a theory (docs/theory.md, "The migration levels").
export { analyzeLevels, formatLevels, LEVEL_TEMPERATURES, type LevelsAnalysis, type LevelsOptions, type AreaLevels, type LevelEquilibrium, type LevelsAtTemperature } from './analysis/levels.ts';
export { flowsBestResponses, analyzeFlows, formatFlows, FLOWS_NO_STAGE_GAME, type FlowsAnalysis, type FlowsAreaBestResponses, type FlowsBestResponsesOptions } from './analysis/levels-flows.ts';
import { analyzeFlows, type FlowsAnalysis } from './analysis/levels-flows.ts';
export { levelsPhaseChart, type LevelsPhaseCell, type LevelsPhaseOptions } from './charts/theory.ts';

// ---- the analytic twin: `migov analyze` as a function (docs/theory.md) ----------
import { analyzeSpec as analyzeValidSpec, checkAnalysable } from './experiment/analysis.ts';
import type { Analysis } from './analysis/analyze.ts';

export interface AnalyzeOptions {
  /** Overrides as `path=value` strings, exactly as `--set` takes them. */
  set?: readonly string[];
  /** Also write a result folder (analysis.json, CSV tables, charts; for migration-flows flows.json and best-responses.csv), as `--out`. */
  out?: string;
  /** Move an existing --out folder that migov did not make aside (never deleted) instead of refusing. */
  force?: boolean;
  /** For migration-flows (its replications are run): accept a spec above the default budget, as `--allow-large`; never one beyond what the machine can hold. */
  allowLarge?: boolean;
}

/** What analyze() gives: `analysis` for a well-mixed game, `flows` for a migration-flows spec (the other null). */
export type AnalyzeResult = { spec: Spec; analysis: Analysis; flows: null; dir: string | null } | { spec: Spec; analysis: null; flows: FlowsAnalysis; dir: string | null };

/**
 * The analytic twin of a spec of a well-mixed game (file path or object), as `migov
 * analyze` computes it: validates first (SpecError, nothing written), then fixation
 * probabilities, the small-mutation limit, gradient, full chain, rest points, logit
 * equilibria and stochastically stable states; writes `out` when given. For a
 * migration-flows spec, which has no stage game, `flows` instead: after the budget
 * check, each replication's final state with every state's one-shot best response
 * (analyzeFlows). For the migration-governance levels see analyzeLevels.
 */
export async function analyze(spec: string | SpecInput, options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const file = typeof spec === 'string' ? spec : '<spec object>';
  const valid = resolveSpec(spec, options.set);
  const flows = valid.model === 'migration-flows';
  // a flows analysis records nothing but each run's final state: the budget of the runs themselves
  if (flows) checkBudget({ ...valid, recordEvery: valid.rounds }, file, { command: 'run', streamsSeries: true, allowLarge: options.allowLarge, machine: thisMachine(), flag: 'allowLarge: true (--allow-large)' });
  else checkAnalysable(valid, file);
  const claim = options.out !== undefined ? claimOutput(options.out, { kind: 'analysis', force: options.force, specFiles: typeof spec === 'string' ? [spec] : [] }) : null;
  try {
    const report = () => import('./report/analysis.ts');
    if (flows) {
      const result = analyzeFlows(valid);
      const dir = claim ? (await report()).writeFlowsFolder(claim, valid, typeof spec === 'string' ? spec : null, result) : null;
      return { spec: valid, analysis: null, flows: result, dir };
    }
    const analysis = analyzeValidSpec(valid, file);
    const dir = claim ? await (await report()).writeAnalysisFolder(claim, valid, typeof spec === 'string' ? spec : null, analysis) : null;
    return { spec: valid, analysis, flows: null, dir };
  } finally {
    claim?.lock.release();
  }
}
export * from './analysis/index.ts';
export { analysisCharts, gradientChart, smallMutationChart, fullChainChart, fixationByBetaChart, fixationBySizeChart, transitionGraphChart } from './charts/analysis.ts';
