// The swept parameters of a sweep (the columns that are neither bookkeeping nor
// metrics) and their axis titles. What the metrics are is read from their
// declarations (outcomes.ts), never from their names.
import { metricNames } from './outcomes.ts';
import type { ResultData, RunRow, SummaryRow } from './types.ts';

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
 * A readable axis title for a swept parameter's dotted path: the path without a
 * leading `params.`, with the unit where known; `issueAreas.<i>.<field>` becomes
 * `<field> of <name>` when the spec's params name the issue area.
 */
export function parameterTitle(path: string, params?: Record<string, unknown>): string {
  let short = path.replace(/^params\./, '');
  const leaf = short.split('.').pop() ?? short;
  const area = /^issueAreas\.(\d+)\.([^.]+)$/.exec(short);
  const areas = params?.issueAreas;
  if (area && Array.isArray(areas)) {
    const name = (areas[Number(area[1])] as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') short = `${area[2]} of ${name}`;
  }
  const unit = UNIT_OF[leaf];
  return unit ? `${short} (${unit})` : `${short} (parameter value)`;
}

const UNIT_OF: Record<string, string> = {
  excludability: '0-1',
  rivalry: '0-1',
  reach: '0-1',
  norms: 'share of benefit, 0-1',
  minimumParticipation: 'share of states, 0-1',
  facilitation: 'share of cost removed, 0-1',
  linkage: 'share of benefit, 0-1',
  multiplier: 'provision per unit contributed',
  temperature: 'logit noise',
  selectionIntensity: 'Fermi beta',
  mutation: 'probability per revision',
  revisionRate: 'probability per round',
  mixedShare: 'share of states, 0-1',
  N: 'states',
  Z: 'agents',
  r: 'multiplication factor',
};
