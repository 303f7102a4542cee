// What a spec will cost, estimated before anything runs, and the refusal of what
// costs too much. Arithmetic only: a design's size is counted, never generated (a
// 1e12-point grid is a product of its axes' lengths, not a list). No Node imports,
// so that the browser demo checks its inputs with the same rules; the machine's
// memory and cores come in as `Machine`.
import { type AnyModel, modelMetrics } from '../engine/model.ts';
import { findModel } from '../../models/index.ts';
import { SpecError, type SpecProblem } from './errors.ts';
import type { Spec } from './schema.ts';

/** Default budgets; above any of them a command refuses unless `--allow-large` (README, "Budgets"). */
export const DEFAULT_BUDGET = {
  /** Runs in one command (design points x replications; per shard for a shard). */
  runs: 100_000,
  /** Agent decisions (population x rounds x runs x the model's decisionCost): minutes for the textbook games at 25 million a second, hours at most for the migration model. */
  decisions: 1e10,
  /** Recorded metric values held in memory (runs held x records per run x metrics): about 200 MB at ~40 bytes a value; `migov run` holds one run's. */
  seriesValues: 5e6,
  /** Estimated memory of the whole command. */
  memoryBytes: 2 ** 30,
  /** Workers per available core. */
  workersPerCore: 4,
} as const;

export type Budget = { readonly [K in keyof typeof DEFAULT_BUDGET]: number };

/** What the machine can hold: beyond it a command refuses even with `--allow-large`. */
export interface Machine {
  /** Bytes of memory the command may use at most (e.g. half of the machine's, or the JS heap limit). */
  readonly memoryBytes: number;
  /** Cores available to this process. */
  readonly cores: number;
}

/** What the command asks of the budget. */
export interface CostOptions {
  /** `run` keeps every replication's series; `sweep` keeps final values (and series with `sweep.series`). */
  readonly command: 'run' | 'sweep';
  /** Worker threads asked for (a sweep, or `migov run --workers`); runs happen at most this many at once. */
  readonly workers?: number;
  /** Shards the runs are split into (one shard's cost is checked). */
  readonly shards?: number;
  /** `migov run` writes each replication's series as it finishes and keeps only its last record. */
  readonly streamsSeries?: boolean;
  /** `migov run` with its report keeps the series compactly for it too (8 bytes a value, up to REPORT_SERIES_VALUES). */
  readonly reportSeries?: boolean;
}

export interface CostEstimate {
  readonly points: number;
  readonly replications: number;
  /** Runs this command does. */
  readonly runs: number;
  /** Agents of the largest population, and the spec field that sets it. */
  readonly population: number;
  readonly populationField: string;
  readonly games: number;
  /** The most rounds of any run, and the fewest rounds between records. */
  readonly rounds: number;
  readonly recordEvery: number;
  /** Records per run: round 0, every recordEvery rounds, and the last. */
  readonly records: number;
  readonly metrics: number;
  /** Work per decision relative to an O(1) payoff (the model's decisionCost; 1 for most). */
  readonly decisionCost: number;
  /** Decisions (population x rounds x runs) times decisionCost. */
  readonly decisions: number;
  /** Recorded values held in memory at once. */
  readonly seriesValues: number;
  readonly memoryBytes: number;
  /** The part of memoryBytes that is the worker threads themselves (checked against the machine only: the default worker count is never refused). */
  readonly workerBytes: number;
  /** Runs at once (workers, capped at the runs). */
  readonly concurrent: number;
}

/**
 * `migov run` on a pool gives it this many replications per worker at a time and
 * hands them on in replication order: at most a window of series that finished early
 * is held (src/sweep/replications.ts).
 */
export const RUN_WINDOW_PER_WORKER = 4;

/**
 * Recorded values (all replications) up to which `migov run` keeps its series in
 * memory for its report, as doubles in typed arrays (8 bytes a value: 32 MiB at
 * most); above it the report reads series.csv back (src/report/memory.ts).
 */
export const REPORT_SERIES_VALUES = 2 ** 22;

// bytes per recorded value held: a number in a JS array (8) plus its share of the
// record's array and of the run's outcome; run() in the API keeps every
// replication's series in its result (`migov run` streams them: one run's at a time)
const VALUE_BYTES = { run: 40, sweep: 24 } as const;
// a run's plan entry (its task), its outcome with the final values, and the journal line
const RUN_BYTES = 2000;
// a worker thread: its own V8 heap with the TypeScript loader and the models
const WORKER_BYTES = 48 * 2 ** 20;
// a design point keeps its values and its whole validated spec: ~6 bytes per byte of spec JSON
const POINT_SPEC_FACTOR = 6;

/**
 * Estimates the cost of a validated spec: its design's size (counted, not generated),
 * runs, decisions, recorded values held, and memory.
 */
export function estimateCost(spec: Spec, opts: CostOptions): CostEstimate {
  const model = findModel(spec.model);
  const sweep = opts.command === 'sweep' ? spec.sweep : undefined;
  const points = sweep ? designSize(spec) : 1;
  const shards = Math.max(1, opts.shards ?? 1);
  const replications = spec.replications;
  const runs = Math.ceil((points * replications) / shards);
  // the worst point: every numeric factor at its largest (smallest for recordEvery)
  const worst = sweep ? worstCase(spec, model) : spec;
  const { size: population, field: populationField } = populationOf(model, worst.params);
  const games = gamesOf(model, spec.params);
  const metrics = spec.metrics?.length ?? metricCount(model, spec.params);
  const rounds = worst.rounds;
  const recordEvery = worst.recordEvery;
  const records = Math.floor(rounds / recordEvery) + 2;
  const concurrent = Math.max(1, Math.min(opts.workers ?? 1, runs));
  const decisionCost = costOf(model, worst.params);
  const decisions = population * rounds * runs * decisionCost;
  // a streaming run on a pool holds the window of replications that may finish before an earlier one
  const window = concurrent > 1 ? Math.min(runs, concurrent * RUN_WINDOW_PER_WORKER) : 1;
  const keptRuns = opts.command === 'run' ? (opts.streamsSeries ? window : runs) : sweep?.series ? runs : concurrent;
  const seriesValues = keptRuns * records * metrics;
  const perAgent = games + (model?.bytesPerAgent?.(worst.params) ?? 64);
  const specBytes = JSON.stringify(spec).length;
  const workerBytes = concurrent > 1 ? concurrent * WORKER_BYTES : 0;
  const memoryBytes =
    concurrent * population * perAgent +
    seriesValues * VALUE_BYTES[opts.streamsSeries ? 'sweep' : opts.command] +
    runs * (RUN_BYTES + 16 * metrics) +
    (sweep ? points * specBytes * POINT_SPEC_FACTOR : 0) +
    (opts.command === 'run' && opts.reportSeries ? Math.min(runs * records * metrics, REPORT_SERIES_VALUES) * 8 : 0) +
    workerBytes;
  return { points, replications, runs, population, populationField, games, rounds, recordEvery, records, metrics, decisionCost, decisions, seriesValues, memoryBytes, workerBytes, concurrent };
}

/** Points in a sweep's design, counted: grid = product of the axes; lhs = samples; sobol = samples (k + 2); morris = samples (k + 1). */
export function designSize(spec: Spec): number {
  const s = spec.sweep;
  if (!s) return 1;
  const k = s.factors.length;
  switch (s.design) {
    case 'grid':
      return s.factors.reduce((n, f) => n * (f.values?.length ?? f.steps ?? 1), 1);
    case 'lhs':
      return s.samples ?? 0;
    case 'sobol':
      return (s.samples ?? 0) * (k + 2);
    case 'morris':
      return (s.samples ?? 0) * (k + 1);
    case 'adaptive':
      // at most budget runs, each point at least `replications` of them: counted as that many points (so points x replications is about the budget)
      return Math.max(1, Math.ceil((s.adaptive?.budget ?? 0) / Math.max(1, spec.replications)));
  }
}

/**
 * The costliest point: every numeric swept field at its largest value (recordEvery at
 * its smallest); a swept text or boolean field at the value that makes the most work
 * (population x decisionCost, e.g. a weakest-link aggregation), among its first 100.
 */
function worstCase(spec: Spec, model: AnyModel | undefined): Spec {
  const out = structuredClone({ ...spec, sweep: undefined }) as Record<string, unknown>;
  const textFactors: { path: string; values: readonly unknown[] }[] = [];
  for (const f of spec.sweep?.factors ?? []) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of f.values ?? [f.min, f.max]) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi === -Infinity) {
      if (f.values) textFactors.push({ path: f.path, values: f.values.slice(0, 100) });
      continue;
    }
    setAt(out, f.path, f.path === 'recordEvery' ? Math.max(1, lo) : hi);
  }
  for (const f of textFactors) {
    let best: unknown = undefined;
    let most = -Infinity;
    for (const v of f.values) {
      const trial = structuredClone(out.params) as Record<string, unknown>;
      if (!f.path.startsWith('params.')) break;
      setAt(trial, f.path.slice('params.'.length), v);
      const work = populationOf(model, trial).size * costOf(model, trial);
      if (work > most) {
        most = work;
        best = v;
      }
    }
    if (best !== undefined) setAt(out, f.path, best);
  }
  return out as Spec;
}

/** Sets a dotted path in a plain object where the path exists (a missing step leaves it alone). */
function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = root;
  for (let d = 0; d < keys.length - 1; d++) {
    const next = node[keys[d]];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Agents a parameter set makes (as the model declares, else `params.Z`), and the field that sets it. */
export function populationOf(model: AnyModel | undefined, params: Record<string, unknown>): { size: number; field: string } {
  try {
    const declared = model?.populationSize?.(params);
    if (declared && Number.isFinite(declared.size)) return declared;
  } catch {
    // a model's estimate never blocks a run; fall back to Z
  }
  const z = Number(params.Z);
  return { size: Number.isFinite(z) && z > 0 ? z : 1000, field: 'params.Z' };
}

function costOf(model: AnyModel | undefined, params: Record<string, unknown>): number {
  try {
    const c = model?.decisionCost?.(params) ?? 1;
    return Number.isFinite(c) && c >= 1 ? c : 1;
  } catch {
    return 1;
  }
}

function gamesOf(model: AnyModel | undefined, params: Record<string, unknown>): number {
  try {
    return model?.layout(params).games.length ?? 1;
  } catch {
    return 1;
  }
}

function metricCount(model: AnyModel | undefined, params: Record<string, unknown>): number {
  try {
    return model ? modelMetrics(model, params).length : 1;
  } catch {
    return 1;
  }
}

export interface BudgetOptions extends CostOptions {
  /** Accept costs above the default budget (`--allow-large`); never what the machine cannot hold. */
  readonly allowLarge?: boolean;
  /** The machine; without it only the default budget and the integer limit are checked. */
  readonly machine?: Machine;
  readonly budget?: Budget;
  /** How the flag is spelled where the spec came from: `--allow-large` (CLI) or `allowLarge: true` (API). */
  readonly flag?: string;
}

/**
 * Estimates the cost and refuses, with a SpecError naming `file`, the field, the
 * estimate and the flag, what is above the budget (unless `allowLarge`) or beyond
 * what the machine can hold (always). Returns the estimate when it passes.
 */
export function checkBudget(spec: Spec, file: string, opts: BudgetOptions): CostEstimate {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const flag = opts.flag ?? '--allow-large';
  const est = estimateCost(spec, opts);
  const hard: SpecProblem[] = [];
  const soft: SpecProblem[] = [];
  const sweep = opts.command === 'sweep' ? spec.sweep : undefined;
  const runsField = sweep && est.points > spec.replications ? (sweep.design === 'grid' ? 'sweep.factors' : 'sweep.samples') : 'replications';
  const runsText = `${sweep ? `${n(est.points)} design points x ` : ''}${n(est.replications)} replications${(opts.shards ?? 1) > 1 ? ` / ${opts.shards} shards` : ''} = ${n(est.runs)} runs`;
  const decisionsText = `${est.populationField.replace(/^params\./, '')} = ${n(est.population)} agents x ${n(est.rounds)} rounds x ${n(est.runs)} runs${est.decisionCost > 1 ? ` x ${n(est.decisionCost)} (the model's work per decision against a payoff read from sums)` : ''} = ${n(est.decisions)} decisions`;
  const seriesText = `${n(est.seriesValues / est.records / Math.max(1, est.metrics))} runs held x ${n(est.records)} records (rounds ${n(est.rounds)} / recordEvery ${n(est.recordEvery)} + 2) x ${est.metrics} metrics = ${n(est.seriesValues)} values`;
  const seriesField = est.records > 10_000 ? (est.recordEvery === 1 && est.rounds > 10_000 ? 'recordEvery' : 'rounds') : opts.command === 'run' ? 'replications' : 'sweep.series';

  // beyond exact counting: refused outright
  for (const [field, value, text] of [
    [runsField, est.runs, runsText],
    [decisionsField(est, runsField), est.decisions, decisionsText],
    [seriesField, est.seriesValues, seriesText],
  ] as const) {
    if (!Number.isSafeInteger(Math.ceil(value))) {
      hard.push({ field, message: `${text}: beyond 2^53, the largest count kept exactly, and beyond what any machine can run; ${flag} does not lift this`, allowed: 'a smaller spec' });
    }
  }
  if (hard.length === 0 && opts.machine && est.memoryBytes > opts.machine.memoryBytes) {
    hard.push({
      field: memoryField(spec, est, runsField, seriesField, opts),
      message: `needs an estimated ${bytes(est.memoryBytes)} of memory (${memoryParts(est, opts)}), more than this machine can give one command (${bytes(opts.machine.memoryBytes)}); ${flag} does not lift this`,
      allowed: `fewer runs, rounds recorded, agents or workers${opts.command === 'sweep' ? ', or shards (`--shard i/n`) on several machines' : ''}`,
    });
  }
  if (hard.length > 0) throw new SpecError(file, hard);

  if (est.runs > budget.runs) soft.push({ field: runsField, message: `${runsText}, above the default budget of ${n(budget.runs)} runs`, allowed: `fewer runs, or ${flag} to accept it` });
  if (est.decisions > budget.decisions) {
    soft.push({ field: decisionsField(est, runsField), message: `${decisionsText}, above the default budget of ${n(budget.decisions)} decisions (hours of computing)`, allowed: `a smaller population, fewer rounds or runs, or ${flag} to accept it` });
  }
  if (est.seriesValues > budget.seriesValues) {
    soft.push({ field: seriesField, message: `${seriesText} held in memory, above the default budget of ${n(budget.seriesValues)}`, allowed: `a larger recordEvery, fewer rounds or replications, or ${flag} to accept it` });
  }
  if (est.memoryBytes - est.workerBytes > budget.memoryBytes && soft.length === 0) {
    soft.push({
      field: memoryField(spec, est, runsField, seriesField, opts),
      message: `needs an estimated ${bytes(est.memoryBytes - est.workerBytes)} of memory (${memoryParts(est, opts)}), above the default budget of ${bytes(budget.memoryBytes)}`,
      allowed: `fewer runs, rounds recorded, agents or workers, or ${flag} to accept it`,
    });
  }
  if (opts.workers !== undefined && opts.machine && opts.workers > budget.workersPerCore * opts.machine.cores) {
    soft.push({
      field: flag === '--allow-large' ? '--workers' : 'workers',
      message: `${opts.workers} workers on ${opts.machine.cores} cores (each worker is a thread with its own heap; more than ${budget.workersPerCore} per core only share the cores)`,
      allowed: `at most ${budget.workersPerCore * opts.machine.cores} (workers beyond the runs are never started), or ${flag} to accept it`,
    });
  }
  if (soft.length > 0 && !opts.allowLarge) throw new SpecError(file, soft);
  return est;
}

/** The field that drives the decisions most, measured against typical values (1,000 agents, 1,000 rounds, 100 runs). */
function decisionsField(est: CostEstimate, runsField: string): string {
  const ratios: [string, number][] = [
    [est.populationField, est.population / 1000],
    ['rounds', est.rounds / 1000],
    [runsField, est.runs / 100],
  ];
  let best = ratios[0];
  for (const r of ratios) if (r[1] > best[1]) best = r;
  return best[0];
}

function memoryField(spec: Spec, est: CostEstimate, runsField: string, seriesField: string, opts: CostOptions): string {
  const parts: [string, number][] = [
    [est.concurrent > 1 ? (opts.workers !== undefined ? 'workers' : est.populationField) : est.populationField, est.concurrent * est.population],
    [seriesField, est.seriesValues * 10],
    [runsField, est.runs * 60],
  ];
  let best = parts[0];
  for (const p of parts) if (p[1] > best[1]) best = p;
  return best[0];
}

function memoryParts(est: CostEstimate, opts: CostOptions): string {
  return `${n(est.concurrent)} run(s) at once x ${n(est.population)} agents x ${est.games} games; ${n(est.seriesValues)} recorded values; ${n(est.runs)} run(s)${opts.command === 'sweep' ? ` of ${n(est.points)} points` : ''}`;
}

function n(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e7 ? x.toExponential(2).replace('e+', 'e') : Math.round(x).toLocaleString('en-US');
}

function bytes(b: number): string {
  if (b >= 2 ** 40) return `${(b / 2 ** 40).toPrecision(3)} TiB`;
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toPrecision(3)} GiB`;
  return `${(b / 2 ** 20).toPrecision(3)} MiB`;
}
