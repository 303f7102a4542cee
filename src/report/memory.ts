// The series of a run kept for its report, so that `migov run` hands its report what
// it wrote instead of reading series.csv back. Each replication's records are kept as
// it finishes, compactly: its rounds and its values (record x metric) in one
// Float64Array each, its metric names shared with the replication before when they
// are the same. Above REPORT_SERIES_VALUES values (src/experiment/budget.ts, which
// counts them in a run's memory) the kept series are let go and the report reads
// series.csv as `migov report` does. Loads nothing of the renderer.
import { REPORT_SERIES_VALUES } from '../experiment/budget.ts';
import { appendSeriesRows, finalRowsOf } from '../charts/from-result.ts';
import type { FinalRow, SeriesRow } from '../charts/types.ts';
import type { ExperimentResult, ReplicationResult } from '../sweep/experiment.ts';

interface KeptReplication {
  readonly replication: number;
  readonly seed: string;
  readonly metrics: readonly string[];
  readonly rounds: Float64Array;
  /** Metric m at record i is values[i * metrics.length + m]. */
  readonly values: Float64Array;
}

/** What a report may take from memory instead of the folder's files (writeReport's `given`). */
export interface GivenTables {
  /** series.csv's rows, as readResults would give them. */
  readonly series: SeriesRow[];
  /** final.csv's rows, as readResults would give them. */
  readonly final: FinalRow[];
  /** The sha256 of data files as they were written (file name -> hex), so that the report does not read them again to check them. */
  readonly hashes?: Readonly<Record<string, string>>;
}

export interface SeriesKeeper {
  /** Keeps a replication's series (in replication order, as series.csv gets them). */
  add(rep: ReplicationResult): void;
  /** Values kept so far (0 once the limit was passed). */
  readonly values: number;
  /** Whether more than the limit came, so that nothing is kept. */
  readonly overflowed: boolean;
  /** The tables for the report of `result` (whose replications hold at least their last record), or null when the series overflowed. */
  tables(result: ExperimentResult, hashes?: Readonly<Record<string, string>>): GivenTables | null;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A keeper of up to `limit` recorded values (default REPORT_SERIES_VALUES). */
export function keepSeries(limit: number = REPORT_SERIES_VALUES): SeriesKeeper {
  let kept: KeptReplication[] | null = [];
  let values = 0;
  return {
    add(rep) {
      if (kept === null) return;
      const { rounds, values: records } = rep.result;
      const names = kept.length > 0 && sameNames(kept[kept.length - 1].metrics, rep.result.metrics) ? kept[kept.length - 1].metrics : [...rep.result.metrics];
      const k = names.length;
      values += rounds.length * k;
      if (values > limit) {
        kept = null;
        values = 0;
        return;
      }
      const flat = new Float64Array(rounds.length * k);
      for (let i = 0; i < rounds.length; i++) {
        const record = records[i];
        for (let m = 0; m < k; m++) flat[i * k + m] = record[m];
      }
      kept.push({ replication: rep.replication, seed: rep.seed, metrics: names, rounds: Float64Array.from(rounds), values: flat });
    },
    get values() {
      return values;
    },
    get overflowed() {
      return kept === null;
    },
    tables(result, hashes) {
      if (kept === null) return null;
      const series: SeriesRow[] = [];
      for (const r of kept) appendSeriesRows(series, r.replication, r.seed, r.metrics, r.rounds, r.values);
      return { series, final: finalRowsOf(result), ...(hashes ? { hashes } : {}) };
    },
  };
}
