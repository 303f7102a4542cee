// Running one spec: its replications, each with its own derived seed.
import { modelOf } from '../experiment/validate.ts';
import type { Spec } from '../experiment/schema.ts';
import { forcedMovesOf, runEventsOf } from '../experiment/moves.ts';
import { canonicalJson, runIdentity, seedsOf, sha256Hex } from '../engine/rng.ts';
import { type RunResult, simulate } from '../engine/simulate.ts';
import { maxOf, meanCi, minOf } from '../engine/stats.ts';
import { type Outcomes, declarationsOf, outcomeDeclarations } from '../engine/model.ts';

export interface ReplicationResult {
  readonly replication: number;
  readonly seed: string;
  readonly result: RunResult;
  readonly ms: number;
}

export interface ExperimentResult {
  readonly spec: Spec;
  readonly specHash: string;
  readonly replications: readonly ReplicationResult[];
  readonly startedAt: string;
  readonly endedAt: string;
}

/** The identity of a validated spec's runs, that their seeds derive from (see runIdentity in src/engine/rng.ts). */
export function specIdentity(spec: Spec): ReturnType<typeof runIdentity> {
  return runIdentity(spec.model, spec.params, spec.protocol);
}

/**
 * The outcome declarations of a validated spec's results: the model's declarations
 * for the spec's parameters, of the metrics a run keeps (spec.metrics, or all), in
 * their recorded order.
 */
export function specOutcomes(spec: Spec, names?: readonly string[]): Outcomes {
  const model = modelOf(spec);
  const all = outcomeDeclarations(model, spec.params);
  return declarationsOf(all, names ?? spec.metrics ?? all.metrics.map((m) => m.name));
}

/** SHA-256 of the validated spec with every default filled in. */
export function specHash(spec: Spec): string {
  return sha256Hex(canonicalJson(spec));
}

/**
 * Runs every replication of a validated spec, in order, in this process. With
 * `keepSeries: false` each replication keeps only its last record once
 * `onReplication` has had it (e.g. written its series), so memory stays flat in
 * replications and rounds recorded.
 */
export function runExperiment(spec: Spec, onReplication?: (r: ReplicationResult) => void, options: { keepSeries?: boolean } = {}): ExperimentResult {
  const model = modelOf(spec);
  const startedAt = new Date().toISOString();
  const replications: ReplicationResult[] = [];
  const seedOf = seedsOf(spec.seed, specIdentity(spec));
  for (let i = 0; i < spec.replications; i++) {
    const seed = seedOf(i);
    const t0 = performance.now();
    const result = simulate(model, spec.params, spec.protocol, {
      seed,
      rounds: spec.rounds,
      recordEvery: spec.recordEvery,
      stop: spec.stop,
      ...(spec.moves && spec.moves.length > 0 ? { moves: forcedMovesOf('spec', model, spec.params, spec.moves) } : {}),
      ...(spec.events && spec.events.length > 0 ? { events: runEventsOf('spec', model, spec.params, spec.events) } : {}),
    });
    const rep = { replication: i, seed, result: keepMetrics(result, spec.metrics), ms: performance.now() - t0 };
    onReplication?.(rep);
    replications.push(options.keepSeries === false ? lastRecordOnly(rep) : rep);
  }
  return { spec, specHash: specHash(spec), replications, startedAt, endedAt: new Date().toISOString() };
}

function lastRecordOnly(rep: ReplicationResult): ReplicationResult {
  const { rounds, values } = rep.result;
  return { ...rep, result: { ...rep.result, rounds: rounds.slice(-1), values: values.slice(-1) } };
}

function keepMetrics(result: RunResult, keep: readonly string[] | undefined): RunResult {
  if (!keep) return result;
  const idx = keep.map((m) => result.metrics.indexOf(m));
  return { ...result, metrics: keep, values: result.values.map((row) => idx.map((i) => row[i])) };
}

export interface MetricSummary {
  readonly metric: string;
  readonly mean: number;
  /** Half-width of the 95 % confidence interval of the mean across replications (t-based); NaN for one replication. */
  readonly ci95: number;
  readonly min: number;
  readonly max: number;
}

/** Final value of each metric, summarised across replications. */
export function summarise(result: ExperimentResult): MetricSummary[] {
  const reps = result.replications;
  if (reps.length === 0) return [];
  const metrics = reps[0].result.metrics;
  return metrics.map((metric, m) => {
    const xs = reps.map((r) => r.result.values[r.result.values.length - 1][m]);
    const { mean, ci95 } = meanCi(xs);
    return { metric, mean, ci95, min: minOf(xs), max: maxOf(xs) };
  });
}
