// An in-memory experiment result as ResultData, the same rows that series.csv and
// final.csv hold once parsed, so charts can be made without a results folder.
import { type ExperimentResult, specOutcomes } from '../sweep/experiment.ts';
import type { FinalRow, Manifest, ResultData, SeriesRow } from './types.ts';

export function resultDataFromExperiment(result: ExperimentResult, question = result.spec.description ?? ''): ResultData {
  const series: SeriesRow[] = [];
  const final: FinalRow[] = [];
  for (const rep of result.replications) {
    const { metrics, rounds, values, roundsRun, stoppedBy } = rep.result;
    for (let i = 0; i < rounds.length; i++) {
      for (let m = 0; m < metrics.length; m++) series.push({ replication: rep.replication, seed: rep.seed, round: rounds[i], metric: metrics[m], value: values[i][m] });
    }
    const last = values[values.length - 1] ?? [];
    const row: FinalRow = { replication: rep.replication, seed: rep.seed, rounds_run: roundsRun, stopped_by: stoppedBy };
    metrics.forEach((metric, m) => (row[metric] = last[m]));
    final.push(row);
  }
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
