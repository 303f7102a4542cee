// chartsFor: every chart that applies to a result, in a stable order with stable
// ids (the report's file names). Which charts apply is read from the metric and
// column names (metrics.ts): level charts for the migration model, strategy shares
// for the textbook models, phase diagrams, design-point simplex, response curves
// and sensitivity bars for sweeps.
import { LEVEL_LABELS, LEVELS, levelScale, NEUTRAL, strategyScale } from './colors.ts';
import { welfareByRoleChart, provisionNeedChart } from './final.ts';
import { issueAreas, metricNames, parameterTitle, provisionAreas, roleAreas, shareMetric, strategies, sweptParameters, welfareRoles } from './metrics.ts';
import { simplexChart, type SimplexPoint } from './simplex.ts';
import { designPhrase, replicationsPhrase } from './spec.ts';
import { meanCi } from './stats.ts';
import { phaseDiagramChart, responseCurveChart, sensitivityChart, summaryCounts, type ResponseLine } from './sweep.ts';
import { levelAreasByRoleChart, levelSharesChart, strategySharesChart } from './time.ts';
import type { Chart, ResultData, RunRow, SummaryRow } from './types.ts';

export type * from './types.ts';
export { levelSharesChart, levelAreasByRoleChart, strategySharesChart } from './time.ts';
export { welfareByRoleChart, provisionNeedChart } from './final.ts';
export { simplexChart, projectSimplex, type SimplexPoint, type SimplexOptions } from './simplex.ts';
export { phaseDiagramChart, responseCurveChart, sensitivityChart, type PhaseOptions, type ResponseOptions, type SensitivityOptions } from './sweep.ts';
export { resultDataFromExperiment } from './from-result.ts';
export { LEVEL_COLORS, LEVEL_LABELS, ROLE_COLORS, baseConfig, FONT } from './colors.ts';
export { issueAreas, strategies, sweptParameters } from './metrics.ts';
export { meanCi, pool, t975 } from './stats.ts';

/** The most response-curve charts one sweep gets (one per swept parameter). */
const MAX_RESPONSE = 8;
/** The most metrics a sensitivity chart shows (one panel row each). */
const MAX_SENSITIVITY_METRICS = 8;

export function chartsFor(data: ResultData): Chart[] {
  const charts: Chart[] = [];
  const seriesMetrics = metricNames({ series: data.series, final: [] });
  const finalMetrics = metricNames({ series: [], final: data.final });
  const model = data.manifest?.spec?.model ?? '';

  // One experiment's replications.
  const areas = issueAreas(seriesMetrics);
  if (areas.length > 0) charts.push(levelSharesChart(data.series, areas));
  const byRole = roleAreas(seriesMetrics);
  if (byRole.length > 0) charts.push(levelAreasByRoleChart(data.series, byRole));
  const finalAreas = issueAreas(finalMetrics);
  if (finalAreas.length > 0 && data.final.length > 0) {
    const points: SimplexPoint[] = finalAreas.flatMap((area) =>
      data.final.map((row) => ({
        panel: area,
        label: `replication ${row.replication}`,
        u: Number(row[shareMetric(area, 'U')]),
        c: Number(row[shareMetric(area, 'C')]),
        m: Number(row[shareMetric(area, 'M')]),
      })),
    );
    charts.push(simplexChart(points, { id: 'simplex-runs', unit: 'one replication', source: replicationsPhrase(data.final.length) }));
  }
  if (welfareRoles(finalMetrics).length > 0 && data.final.length > 0) charts.push(welfareByRoleChart(data.final));
  if (provisionAreas(finalMetrics).length > 0 && data.final.length > 0) charts.push(provisionNeedChart(data.final));
  const strategyNames = strategies(seriesMetrics);
  if (areas.length === 0 && strategyNames.length > 0) charts.push(strategySharesChart(data.series, strategyNames, model));

  // A sweep.
  const summary = data.summary && data.summary.length > 0 ? data.summary : data.runs && data.runs.length > 0 ? summaryFromRuns(data) : [];
  if (summary.length === 0) return charts;
  const parameters = sweptParameters({ ...data, summary });
  const summaryMetrics = [...new Set(summary.map((r) => r.metric))];
  const sweepAreas = issueAreas(summaryMetrics);
  const sweepStrategies = strategies(summaryMetrics);
  const { points, runs } = summaryCounts(summary);
  const source = designPhrase(points, runs);
  const specParams = data.manifest?.spec?.params;
  const params = specParams && typeof specParams === 'object' ? specParams : undefined;

  if (parameters.length >= 2) {
    const [x, y] = parameters;
    if (sweepAreas.length > 0) {
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'modal-level', areas: sweepAreas, params }));
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'multilateral-share', areas: sweepAreas, params }));
    } else {
      const metric = sweepStrategies.length > 0 ? `share_${sweepStrategies[0]}` : summaryMetrics[0];
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'metric', metric, params }));
    }
  }
  if (sweepAreas.length > 0 && parameters.length > 0) {
    const pointsOf = designPoints(summary, parameters);
    const simplexPoints: SimplexPoint[] = sweepAreas.flatMap((area) =>
      pointsOf.map((p) => ({
        panel: area,
        label: p.label,
        u: p.mean(shareMetric(area, 'U')),
        c: p.mean(shareMetric(area, 'C')),
        m: p.mean(shareMetric(area, 'M')),
        details: Object.fromEntries(parameters.map((k) => [k, p.at[k]])),
      })),
    );
    charts.push(simplexChart(simplexPoints, { id: 'simplex-design-points', title: 'Design points on the U/C/M simplex', unit: 'one design point (the mean over its replications)', source }));
  }
  for (const parameter of parameters.slice(0, MAX_RESPONSE)) {
    if (sweepAreas.length > 0) {
      const lines: ResponseLine[] = sweepAreas.flatMap((area) => LEVELS.map((l) => ({ metric: shareMetric(area, l), series: LEVEL_LABELS[l], panel: area })));
      charts.push(responseCurveChart(summary, { parameter, lines, colorTitle: 'level', colorScale: levelScale(), yTitle: 'final share of states', shares: true, params, title: `Governance level against ${parameterTitle(parameter, params).replace(/ \([^)]*\)$/, '')}` }));
    } else if (sweepStrategies.length > 0) {
      const lines = sweepStrategies.map((s) => ({ metric: `share_${s}`, series: s }));
      charts.push(responseCurveChart(summary, { parameter, lines, colorTitle: 'strategy', colorScale: strategyScale(sweepStrategies), yTitle: 'final share of the population', shares: true, params }));
    } else {
      const metric = summaryMetrics[0];
      charts.push(responseCurveChart(summary, { parameter, lines: [{ metric, series: metric }], colorTitle: 'metric', colorScale: { domain: [metric], range: [NEUTRAL.dark] }, yTitle: `final ${metric} (model units)`, shares: false, params }));
    }
  }
  const sensitivity = data.sensitivity ?? [];
  for (const method of [...new Set(sensitivity.map((r) => r.method))].sort()) {
    const metrics = [...new Set(sensitivity.filter((r) => r.method === method).map((r) => r.metric))];
    charts.push(sensitivityChart(sensitivity, { method, metrics: pickMetrics(metrics), source, params }));
  }
  return charts;
}

/** At most MAX_SENSITIVITY_METRICS metrics, the most telling first: M shares, welfare, strategy shares, mean payoff; then the rest in order. */
function pickMetrics(metrics: readonly string[]): string[] {
  if (metrics.length <= MAX_SENSITIVITY_METRICS) return [...metrics];
  const rank = (m: string) => (/^share_.+_M$/.test(m) ? 0 : m === 'welfare' ? 1 : /^share_[^_]+$/.test(m) ? 2 : m === 'mean_payoff' ? 3 : 4);
  return [...metrics]
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .slice(0, MAX_SENSITIVITY_METRICS)
    .map((x) => x.m);
}

/** Design points of a summary: one per combination of the swept parameters, with a lookup of each metric's mean. */
function designPoints(summary: readonly SummaryRow[], parameters: readonly string[]) {
  const byKey = new Map<string, { label: string; at: Record<string, number>; means: Map<string, number> }>();
  for (const row of summary) {
    const at = Object.fromEntries(parameters.map((k) => [k, Number(row[k])]));
    const key = JSON.stringify(parameters.map((k) => at[k]));
    let p = byKey.get(key);
    if (!p) byKey.set(key, (p = { label: row.point !== undefined ? `design point ${row.point}` : `design point ${byKey.size}`, at, means: new Map() }));
    p.means.set(row.metric, Number(row.mean));
  }
  return [...byKey.values()].map((p) => ({ label: p.label, at: p.at, mean: (metric: string) => p.means.get(metric) ?? NaN }));
}

/** summary.csv's rows computed from runs.csv when a sweep folder has no summary: per design point and metric, mean, sd, ci95 and n. */
export function summaryFromRuns(data: Pick<ResultData, 'series' | 'final' | 'runs'>): SummaryRow[] {
  const runs: RunRow[] = data.runs ?? [];
  if (runs.length === 0) return [];
  const parameters = sweptParameters({ ...data, summary: undefined });
  const skip = new Set(['point', 'replication', 'seed', 'rounds_run', 'stopped_by', 'run', ...parameters]);
  const all = Object.keys(runs[0]);
  const metrics = all.filter((k) => !skip.has(k) && !k.includes('.') && runs.every((r) => typeof r[k] === 'number'));
  const groups = new Map<string, RunRow[]>();
  for (const row of runs) {
    const key = row.point !== undefined ? String(row.point) : JSON.stringify(parameters.map((k) => row[k]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  }
  const out: SummaryRow[] = [];
  for (const g of groups.values()) {
    const at: Record<string, number | string> = {};
    if (g[0].point !== undefined) at.point = g[0].point;
    for (const k of parameters) at[k] = g[0][k];
    for (const metric of metrics) {
      const s = meanCi(g.map((r) => Number(r[metric])));
      out.push({ ...at, metric, mean: s.mean, sd: s.sd, ci95: s.ci95, n: s.n });
    }
  }
  return out;
}
