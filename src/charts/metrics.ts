// The swept parameters of a sweep (the columns that are neither bookkeeping nor
// metrics) and their axis titles. What the metrics are is read from their
// declarations (outcomes.ts), never from their names.
import { metricNames } from './outcomes.ts';
import type { ParameterInfos, ResultData, RunRow, SummaryRow } from './types.ts';

const RUN_BOOKKEEPING = new Set(['point', 'replication', 'seed', 'rounds_run', 'stopped_by', 'run']);
const SUMMARY_COLUMNS = new Set(['point', 'metric', 'mean', 'sd', 'ci95', 'n', 'min', 'max', 'ci_low', 'ci_high']);

/**
 * The parameters a sweep varied, in column order: summary columns other than the
 * summary's own (point, metric, mean, sd, ci95, n), or else runs columns other than
 * bookkeeping and metric names; only those that take at least two values.
 */
export function sweptParameters(data: Pick<ResultData, 'series' | 'final' | 'runs' | 'summary'>): string[] {
  let candidates: string[] = [];
  let rows: (RunRow | SummaryRow)[] = [];
  if (data.summary && data.summary.length > 0) {
    rows = data.summary;
    candidates = Object.keys(data.summary[0]).filter((k) => !SUMMARY_COLUMNS.has(k));
  } else if (data.runs && data.runs.length > 0) {
    const metrics = new Set(metricNames(data));
    rows = data.runs;
    const cols = Object.keys(data.runs[0]).filter((k) => !RUN_BOOKKEEPING.has(k));
    const known = cols.filter((k) => !metrics.has(k));
    // Without series/final to name the metrics, the dotted paths are the parameters.
    candidates = metrics.size > 0 ? known : cols.filter((k) => k.includes('.'));
  }
  return candidates.filter((k) => {
    const values = new Set(rows.map((r) => r[k]));
    return values.size >= 2 && rows.every((r) => typeof r[k] === 'number');
  });
}

/**
 * An axis title for a swept parameter: its label and unit as the schema that defines
 * it declares them (the sweep manifest's `parameters`), e.g. "group size (agents per
 * group)"; a parameter the folder does not describe is titled by its path.
 */
export function parameterTitle(path: string, parameters?: ParameterInfos): string {
  const p = parameters?.[path];
  if (!p) return path;
  return p.unit && !p.label.toLowerCase().includes(p.unit.toLowerCase()) ? `${p.label} (${p.unit})` : p.label;
}
