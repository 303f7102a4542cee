// What the data holds, read from metric and column names: the issue areas (from
// share_<area>_<U|C|M>), the role breakdown (<area>_<U|C|M>_<role>), the textbook
// strategies (share_<strategy>, no underscore in the strategy), and for sweeps the
// swept parameters (the columns that are neither bookkeeping nor metrics).
import { LEVELS, ROLES, type Level, type Role } from './colors.ts';
import type { ResultData, RunRow, SummaryRow } from './types.ts';

/** Every metric name in the data, in first-seen order (series first, then final columns, then summary). */
export function metricNames(data: Pick<ResultData, 'series' | 'final' | 'summary'>): string[] {
  const seen = new Set<string>();
  for (const row of data.series) seen.add(row.metric);
  for (const row of data.final) for (const key of Object.keys(row)) if (!FINAL_BOOKKEEPING.has(key)) seen.add(key);
  for (const row of data.summary ?? []) seen.add(row.metric);
  return [...seen];
}

const FINAL_BOOKKEEPING = new Set(['replication', 'seed', 'rounds_run', 'stopped_by']);
const RUN_BOOKKEEPING = new Set(['point', 'replication', 'seed', 'rounds_run', 'stopped_by', 'run']);
const SUMMARY_COLUMNS = new Set(['point', 'metric', 'mean', 'sd', 'ci95', 'n', 'min', 'max', 'ci_low', 'ci_high']);

export const shareMetric = (area: string, level: Level): string => `share_${area}_${level}`;
export const roleMetric = (area: string, level: Level, role: Role): string => `${area}_${level}_${role}`;

/** Issue areas that have all three share_<area>_<level> metrics, in first-seen order. */
export function issueAreas(metrics: readonly string[]): string[] {
  const set = new Set(metrics);
  const areas: string[] = [];
  for (const m of metrics) {
    const hit = /^share_(.+)_([UCM])$/.exec(m);
    if (hit && !areas.includes(hit[1]) && LEVELS.every((l) => set.has(shareMetric(hit[1], l)))) areas.push(hit[1]);
  }
  return areas;
}

/** Issue areas that have the full level x role breakdown. */
export function roleAreas(metrics: readonly string[]): string[] {
  const set = new Set(metrics);
  const areas: string[] = [];
  for (const m of metrics) {
    const hit = /^(.+)_([UCM])_(origin|transit|destination)$/.exec(m);
    if (hit && !areas.includes(hit[1]) && LEVELS.every((l) => ROLES.every((r) => set.has(roleMetric(hit[1], l, r))))) areas.push(hit[1]);
  }
  return areas;
}

/** Textbook strategies: share_<s> with no underscore in s, in first-seen order. */
export function strategies(metrics: readonly string[]): string[] {
  return metrics.flatMap((m) => {
    const hit = /^share_([^_]+)$/.exec(m);
    return hit ? [hit[1]] : [];
  });
}

/** Roles that have a welfare_<role> metric. */
export function welfareRoles(metrics: readonly string[]): Role[] {
  return ROLES.filter((r) => metrics.includes(`welfare_${r}`));
}

/** Issue areas with both <area>_provision and <area>_need. */
export function provisionAreas(metrics: readonly string[]): string[] {
  return metrics.flatMap((m) => {
    const hit = /^(.+)_provision$/.exec(m);
    return hit && metrics.includes(`${hit[1]}_need`) ? [hit[1]] : [];
  });
}

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
