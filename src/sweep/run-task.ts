// One run of a sweep, as any executor does it: in this process, in a worker thread,
// or on a cluster node. Pure apart from the simulation itself.
import { findModel } from '../../models/index.ts';
import { metricNames, simulate } from '../engine/simulate.ts';
import type { RunTask } from './plan.ts';

export interface RunOutcome {
  readonly key: string;
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly ok: boolean;
  /** The error's message when the run threw. */
  readonly error?: string;
  readonly metrics: readonly string[];
  /** Last recorded value of each metric. */
  readonly final: readonly number[];
  readonly roundsRun: number;
  readonly stoppedBy: string;
  /** Milliseconds the run took, when its task asked (`timed`). */
  readonly ms?: number;
  /** Every record, when the sweep keeps series. */
  readonly series?: { readonly rounds: readonly number[]; readonly values: readonly (readonly number[])[] };
}

/** The metric names a successful run of `task` reports, in order; null when the model cannot say (unknown model, params it rejects). */
export function plannedMetrics(task: RunTask): readonly string[] | null {
  try {
    const model = findModel(task.model);
    if (!model) return null;
    return task.metrics ?? metricNames(model, task.params);
  } catch {
    return null;
  }
}

export function runTask(task: RunTask): RunOutcome {
  const base = { key: task.key, point: task.point, replication: task.replication, seed: task.seed };
  try {
    const model = findModel(task.model);
    if (!model) throw new Error(`unknown model ${task.model}`);
    const t0 = task.timed ? performance.now() : 0;
    const result = simulate(model, task.params, task.protocol, {
      seed: task.seed,
      rounds: task.rounds,
      recordEvery: task.recordEvery,
      stop: task.stop,
      ...(task.moves ? { moves: task.moves } : {}),
      ...(task.events ? { events: task.events } : {}),
    });
    const keep = task.metrics ? task.metrics.map((m) => result.metrics.indexOf(m)) : result.metrics.map((_, i) => i);
    const pick = (row: readonly number[]) => keep.map((i) => row[i]);
    return {
      ...base,
      ok: true,
      metrics: keep.map((i) => result.metrics[i]),
      final: pick(result.values[result.values.length - 1]),
      roundsRun: result.roundsRun,
      stoppedBy: result.stoppedBy,
      series: task.series ? { rounds: result.rounds, values: result.values.map(pick) } : undefined,
      ...(task.timed ? { ms: performance.now() - t0 } : {}),
    };
  } catch (e) {
    return { ...base, ok: false, error: e instanceof Error ? e.message : String(e), metrics: [], final: [], roundsRun: 0, stoppedBy: 'error' };
  }
}
