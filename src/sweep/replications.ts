// `migov run` on an executor: a spec's replications as runs of the worker pool (or of
// this process), handed on in replication order whatever order they finish in, so
// that the result is byte-identical for any number of workers.
import { runSeed } from '../engine/rng.ts';
import type { RunResult, StopReason } from '../engine/simulate.ts';
import { RUN_WINDOW_PER_WORKER } from '../experiment/budget.ts';
import type { Spec } from '../experiment/schema.ts';
import { modelOf } from '../experiment/load.ts';
import { forcedMovesOf, runEventsOf } from '../experiment/moves.ts';
import type { Executor } from './executor.ts';
import { type ExperimentResult, type ReplicationResult, specHash, specIdentity } from './experiment.ts';
import type { RunTask } from './plan.ts';
import type { RunOutcome } from './run-task.ts';

export interface ReplicationOptions {
  /** Called with each replication, in replication order (e.g. to write its series). */
  readonly onReplication?: (r: ReplicationResult) => void;
  /** Keep every replication's whole series in the result (default); false keeps only its last record once onReplication has had it. */
  readonly keepSeries?: boolean;
  /** Replications done so far, of the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The run of one replication of a validated spec, as an executor takes it (point 0). */
export function replicationTask(spec: Spec, replication: number): RunTask {
  return {
    key: `0-${replication}`,
    point: 0,
    replication,
    seed: runSeed(spec.seed, specIdentity(spec), replication),
    model: spec.model,
    params: spec.params,
    protocol: spec.protocol,
    rounds: spec.rounds,
    recordEvery: spec.recordEvery,
    stop: spec.stop,
    metrics: spec.metrics,
    series: true,
    timed: true,
    ...(spec.moves && spec.moves.length > 0 ? { moves: forcedMovesOf('spec', modelOf(spec), spec.params, spec.moves) } : {}),
    ...(spec.events && spec.events.length > 0 ? { events: runEventsOf('spec', modelOf(spec), spec.params, spec.events) } : {}),
  };
}

/**
 * Runs every replication of a validated spec on `executor`. The executor gets the
 * replications a window at a time (RUN_WINDOW_PER_WORKER per worker), so at most a
 * window of series that finished before an earlier replication is held; each is
 * handed to onReplication in order as soon as those before it are. The same seeds
 * and values as runExperiment (src/sweep/experiment.ts), so the same bytes. A
 * replication that throws throws here, naming it.
 */
export async function runReplications(spec: Spec, executor: Executor, options: ReplicationOptions = {}): Promise<ExperimentResult> {
  const startedAt = new Date().toISOString();
  const total = spec.replications;
  const replications: ReplicationResult[] = [];
  const early = new Map<number, ReplicationResult>();
  let next = 0;
  const window = executor.workers <= 1 ? total : executor.workers * RUN_WINDOW_PER_WORKER;
  let failure: RunOutcome | undefined;
  const take = (o: RunOutcome) => {
    if (!o.ok) {
      failure ??= o;
      return;
    }
    early.set(o.replication, toReplication(o));
    for (let rep = early.get(next); rep; rep = early.get(next)) {
      early.delete(next);
      options.onReplication?.(rep);
      replications.push(options.keepSeries === false ? lastRecordOnly(rep) : rep);
      next++;
      options.onProgress?.(next, total);
    }
  };
  for (let from = 0; from < total && !failure; from += window) {
    const tasks = Array.from({ length: Math.min(window, total - from) }, (_, i) => replicationTask(spec, from + i));
    await executor.execute(tasks, take, () => failure !== undefined);
  }
  if (failure) throw new Error(`replication ${failure.replication} (seed ${failure.seed}) failed: ${failure.error ?? 'unknown error'}`);
  return { spec, specHash: specHash(spec), replications, startedAt, endedAt: new Date().toISOString() };
}

function toReplication(o: RunOutcome): ReplicationResult {
  const series = o.series ?? { rounds: [], values: [] };
  const result: RunResult = {
    metrics: o.metrics,
    rounds: series.rounds as number[],
    values: series.values as number[][],
    roundsRun: o.roundsRun,
    stoppedBy: o.stoppedBy as StopReason,
  };
  return { replication: o.replication, seed: o.seed, result, ms: o.ms ?? 0 };
}

function lastRecordOnly(rep: ReplicationResult): ReplicationResult {
  const { rounds, values } = rep.result;
  return { ...rep, result: { ...rep.result, rounds: rounds.slice(-1), values: values.slice(-1) } };
}
