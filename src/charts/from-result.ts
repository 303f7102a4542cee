// An in-memory experiment result as ResultData, the same rows that series.csv and
// final.csv hold once parsed, so charts can be made without a results folder (and
// `migov run` makes its report without reading its own tables back).
import { type ExperimentResult, specOutcomes } from '../sweep/experiment.ts';
import type { FinalRow, Manifest, ResultData, SeriesRow } from './types.ts';

/** A number as series.csv and final.csv give it back: they write numbers with String, which writes -0 as "0". */
function asWritten(x: number): number {
  return x === 0 ? 0 : x;
}

/**
 * Appends one replication's series rows (record by record, metric by metric, as
 * series.csv holds them) to `out`. `values` is flat: metric m at record i is
 * values[i * metrics.length + m].
 */
export function appendSeriesRows(out: SeriesRow[], replication: number, seed: string, metrics: readonly string[], rounds: ArrayLike<number>, values: ArrayLike<number>): void {
  const k = metrics.length;
  for (let i = 0; i < rounds.length; i++) {
    const round = rounds[i];
    for (let m = 0; m < k; m++) out.push({ replication, seed, round, metric: metrics[m], value: asWritten(values[i * k + m]) });
  }
}

/** final.csv's rows: one per replication with its last record, under the first replication's metric names (as final.csv's header). */
export function finalRowsOf(result: ExperimentResult): FinalRow[] {
  const metrics = result.replications[0]?.result.metrics ?? [];
  return result.replications.map((rep) => {
    const last = rep.result.values[rep.result.values.length - 1] ?? [];
    const row: FinalRow = { replication: rep.replication, seed: rep.seed, rounds_run: rep.result.roundsRun, stopped_by: rep.result.stoppedBy };
    metrics.forEach((metric, m) => (row[metric] = asWritten(last[m])));
    return row;
  });
}

export function resultDataFromExperiment(result: ExperimentResult, question = result.spec.description ?? ''): ResultData {
  const series: SeriesRow[] = [];
  for (const rep of result.replications) {
    const { metrics, rounds, values } = rep.result;
    appendSeriesRows(series, rep.replication, rep.seed, metrics, rounds, values.flat());
  }
  const final = finalRowsOf(result);
  const outcomes = specOutcomes(result.spec, result.replications[0]?.result.metrics);
  const manifest: Manifest = {
    question,
    spec: result.spec as unknown as Manifest['spec'],
    specHash: result.specHash,
    seed: result.spec.seed,
    replications: result.replications.map((r) => ({ replication: r.replication, seed: r.seed, roundsRun: r.result.roundsRun, stoppedBy: r.result.stoppedBy })),
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    outcomes,
  };
  return { manifest, outcomes, series, final };
}
