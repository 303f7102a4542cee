// chartsFor: every chart that applies to a result, in a stable order with stable
// ids (the report's file names). Which charts apply is read from the outcome
// declarations the result carries (outcomes.ts: each metric's kind and dimensions,
// the model's vocabularies), never from metric names: level charts for share
// metrics with an issue area and a level, the level mix by role, welfare by role,
// values against their targets, strategy shares, and for any other declared metric
// its value over rounds; phase diagrams, design-point simplex, response curves and
// sensitivity bars for sweeps.
import { NEUTRAL } from './colors.ts';
import { welfareByRoleChart, provisionNeedChart } from './final.ts';
import { metricGroupChart, metricGroups, metricOverRoundsChart } from './metric.ts';
import { sweptParameters } from './metrics.ts';
import { axisTitle, declarationOf, levelView, metricNames, outcomesOf, roleView, strategyView, targetView, termScale, welfareView } from './outcomes.ts';
import { simplexChart, type SimplexPoint } from './simplex.ts';
import { discoverCharts } from './discover.ts';
import { calibrationCharts } from './calibrate.ts';
import { chartRequests, chosenCharts } from './chosen.ts';
import { designPhrase, parameterWords, replicationsPhrase } from './spec.ts';
import { meanCi } from './stats.ts';
import { phaseDiagramChart, responseCurveChart, sensitivityChart, summaryCounts, type ResponseLine } from './sweep.ts';
import { levelAreasByRoleChart, levelSharesChart, strategySharesChart } from './time.ts';
import type { Chart, ResultData, RunRow, SummaryRow } from './types.ts';

export type * from './types.ts';
export { levelSharesChart, levelAreasByRoleChart, strategySharesChart } from './time.ts';
export { welfareByRoleChart, provisionNeedChart } from './final.ts';
export { metricGroupChart, metricGroups, metricOverRoundsChart } from './metric.ts';
export { simplexChart, projectSimplex, type SimplexPoint, type SimplexOptions } from './simplex.ts';
export { phaseDiagramChart, responseCurveChart, sensitivityChart, type PhaseOptions, type ResponseOptions, type SensitivityOptions } from './sweep.ts';
export { resultDataFromExperiment } from './from-result.ts';
export { STRATEGY_PALETTE, baseConfig, FONT } from './colors.ts';
export { sweptParameters } from './metrics.ts';
export { axisTitle, declaredOutcomes, levelView, outcomesOf, roleView, strategyView, targetView, termScale, welfareView } from './outcomes.ts';
export { meanCi, pool, t975 } from './stats.ts';
export { boxLimitsChart, discoverCharts, tradeoffChart } from './discover.ts';

/** The most response-curve charts one sweep gets (one per swept parameter). */
const MAX_RESPONSE = 8;
/** The most metrics a sensitivity chart shows (one panel row each). */
const MAX_SENSITIVITY_METRICS = 8;

export function chartsFor(data: ResultData): Chart[] {
  // a discover folder's charts: the coverage-density trade-off and the box limits
  if (data.discover) return discoverCharts(data.discover, data.parameters);
  // a calibrate folder's charts: NROY samples in pairs, predictive bands against the targets
  if (data.calibration) return calibrationCharts(data.calibration, data.parameters, data.outcomes);
  const charts: Chart[] = [];
  const outcomes = outcomesOf(data);
  const seriesMetrics = metricNames({ series: data.series, final: [] });
  const finalMetrics = metricNames({ series: [], final: data.final });
  const model = data.manifest?.spec?.model ?? '';
  // a metric with no finite value in any record (e.g. a share of hosted refugees when
  // nobody was ever hosted: NaN, undefined) has nothing to draw, so it gets no chart
  const finiteInSeries = new Set<string>();
  for (const row of data.series) if (Number.isFinite(row.value)) finiteInSeries.add(row.metric);
  const inSeries = new Set(seriesMetrics.filter((m) => finiteInSeries.has(m)));
  // the charts a spec's charts: names, and only they (chosen.ts)
  const info = (metric: string) => declarationOf(outcomes, metric);
  const overRounds = (metric: string) => (inSeries.has(metric) ? metricOverRoundsChart(data.series, declarationOf(outcomes, metric)) : null);
  const spec = data.manifest?.spec;
  const design = typeof (spec?.sweep as { design?: unknown } | undefined)?.design === 'string' ? String((spec?.sweep as { design: string }).design) : undefined;
  if (Array.isArray(spec?.charts)) {
    const summary = sweepSummary(data);
    const parameters = summary.length > 0 ? sweptParameters({ ...data, summary }) : [];
    return chosenCharts(chartRequests(spec, parameters).requests, { summary, parameters, design, words: data.parameters, info, series: overRounds });
  }
  const inFinal = new Set(finalMetrics);
  /** Metrics a chart of their kind and dimensions shows; the rest get a chart of their own. */
  const shown = new Set<string>();

  // One experiment's replications.
  const levels = levelView(outcomes, seriesMetrics);
  if (levels) {
    charts.push(levelSharesChart(data.series, levels));
    for (const a of levels.areas) for (const l of levels.levels) shown.add(levels.metric(a, l.id));
  }
  const byRole = roleView({ ...outcomes, metrics: outcomes.metrics.filter((m) => inSeries.has(m.name)) });
  if (byRole) {
    charts.push(levelAreasByRoleChart(data.series, byRole));
    for (const a of byRole.areas) for (const l of byRole.levels) for (const r of byRole.roles) shown.add(byRole.roleMetric(a, l.id, r.id));
  }
  const finalLevels = data.final.length > 0 ? levelView(outcomes, finalMetrics) : null;
  if (finalLevels && finalLevels.levels.length === 3) {
    const [u, c, m] = finalLevels.levels;
    const points: SimplexPoint[] = finalLevels.areas.flatMap((area) =>
      data.final.map((row) => ({
        panel: area,
        label: `replication ${row.replication}`,
        u: Number(row[finalLevels.metric(area, u.id)]),
        c: Number(row[finalLevels.metric(area, c.id)]),
        m: Number(row[finalLevels.metric(area, m.id)]),
      })),
    );
    charts.push(simplexChart(points, { id: 'simplex-runs', unit: 'one replication', source: replicationsPhrase(data.final.length), levels: finalLevels.levels }));
  }
  const finalOutcomes = { ...outcomes, metrics: outcomes.metrics.filter((m) => inFinal.has(m.name)) };
  const welfare = data.final.length > 0 ? welfareView(finalOutcomes) : null;
  if (welfare) {
    charts.push(welfareByRoleChart(data.final, welfare));
    for (const r of welfare.roles) shown.add(welfare.metric(r.id));
  }
  const targets = data.final.length > 0 ? targetView(finalOutcomes) : null;
  if (targets) {
    charts.push(provisionNeedChart(data.final, targets));
    for (const a of targets.areas) for (const name of [targets.value(a), targets.target(a), targets.gap(a)]) if (name) shown.add(name);
  }
  const strategies = strategyView(outcomes, seriesMetrics);
  if (!levels && strategies) {
    charts.push(strategySharesChart(data.series, strategies.strategies.map((t) => t.id), model, strategies.strategies, strategies.metric));
    for (const t of strategies.strategies) shown.add(strategies.metric(t.id));
  }
  // every other declared metric: its value over rounds, alone or with the metrics that are the same quantity by other dimension values
  const ids = new Set(charts.map((c) => c.id));
  for (const group of metricGroups(outcomes.metrics.filter((m) => m.kind !== 'number' && !shown.has(m.name) && inSeries.has(m.name)))) {
    const c = metricGroupChart(data.series, group, outcomes.vocabularies);
    if (ids.has(c.id)) continue;
    ids.add(c.id);
    charts.push(c);
  }

  // A sweep.
  const summary = sweepSummary(data);
  if (summary.length === 0) return charts;
  const parameters = sweptParameters({ ...data, summary });
  const summaryMetrics = [...new Set(summary.map((r) => r.metric))];
  const sweepLevels = levelView(outcomes, summaryMetrics);
  const sweepAreas = sweepLevels?.areas ?? [];
  const sweepStrategies = strategyView(outcomes, summaryMetrics);
  const { points, runs } = summaryCounts(summary);
  const source = designPhrase(points, runs);
  // each swept parameter's label and unit, as the model's schema declares them (the manifest's parameters)
  const words = data.parameters;

  // every metric of the spec's metrics: that the level and strategy charts do not show: a phase diagram and a response curve each (chosen.ts)
  const drawn = (metric: string) =>
    (sweepLevels?.areas.some((a) => sweepLevels.levels.some((l) => sweepLevels.metric(a, l.id) === metric)) ?? false) ||
    (sweepStrategies?.strategies.some((t) => sweepStrategies.metric(t.id) === metric) ?? false);
  const chosen = chosenCharts(chartRequests(spec, parameters, drawn).requests, { summary, parameters, design, words, info, series: overRounds });
  if (parameters.length >= 2) {
    const [x, y] = parameters;
    if (sweepLevels) {
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'modal-level', areas: sweepAreas, levels: sweepLevels, parameters: words }));
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'multilateral-share', areas: sweepAreas, levels: sweepLevels, parameters: words }));
    } else if (sweepStrategies || chosen.length === 0) {
      const metric = sweepStrategies ? sweepStrategies.metric(sweepStrategies.strategies[0].id) : summaryMetrics[0];
      charts.push(phaseDiagramChart(summary, { x, y, mode: 'metric', metric, info: declarationOf(outcomes, metric), parameters: words }));
    }
  }
  if (sweepLevels && sweepLevels.levels.length === 3 && parameters.length > 0) {
    const [u, c, m] = sweepLevels.levels;
    const pointsOf = designPoints(summary, parameters);
    const simplexPoints: SimplexPoint[] = sweepAreas.flatMap((area) =>
      pointsOf.map((p) => ({
        panel: area,
        label: p.label,
        u: p.mean(sweepLevels.metric(area, u.id)),
        c: p.mean(sweepLevels.metric(area, c.id)),
        m: p.mean(sweepLevels.metric(area, m.id)),
        details: Object.fromEntries(parameters.map((k) => [k, p.at[k]])),
      })),
    );
    charts.push(
      simplexChart(simplexPoints, {
        id: 'simplex-design-points',
        title: `Design points on the ${sweepLevels.levels.map((l) => l.id).join('/')} simplex`,
        unit: 'one design point (the mean over its replications)',
        source,
        levels: sweepLevels.levels,
      }),
    );
  }
  const sampled = design !== undefined && design !== 'grid';
  for (const parameter of parameters.slice(0, MAX_RESPONSE)) {
    // never pooled silently: one line (or panel row) per value of the next factor of a grid; what is left is named in the caption
    const by = sampled ? undefined : parameters.find((p) => p !== parameter);
    const across = { by, others: parameters.filter((p) => p !== parameter && p !== by), sampled };
    if (sweepLevels) {
      const lines: ResponseLine[] = sweepAreas.flatMap((area) => sweepLevels.levels.map((l) => ({ metric: sweepLevels.metric(area, l.id), series: l.label, panel: area })));
      charts.push(responseCurveChart(summary, { parameter, lines, colorTitle: 'level', colorScale: termScale(sweepLevels.levels), yTitle: 'final share of states', shares: true, parameters: words, ...across, title: `Governance level against ${parameterWords(parameter, words)}` }));
    } else if (sweepStrategies) {
      const lines = sweepStrategies.strategies.map((s) => ({ metric: sweepStrategies.metric(s.id), series: s.label }));
      charts.push(responseCurveChart(summary, { parameter, lines, colorTitle: 'strategy', colorScale: termScale(sweepStrategies.strategies), yTitle: 'final share of the population', shares: true, parameters: words, ...across }));
    } else if (chosen.length === 0) {
      const metric = declarationOf(outcomes, summaryMetrics[0]);
      charts.push(responseCurveChart(summary, { parameter, lines: [{ metric: metric.name, series: metric.description }], colorTitle: 'metric', colorScale: { domain: [metric.description], range: [NEUTRAL.dark] }, yTitle: `final ${axisTitle(metric)}`, shares: false, parameters: words, info: metric, ...across }));
    }
  }
  const taken = new Set(charts.map((c) => c.id));
  for (const c of chosen) if (!taken.has(c.id)) charts.push(c);
  const sensitivity = data.sensitivity ?? [];
  for (const method of [...new Set(sensitivity.map((r) => r.method))].sort()) {
    const metrics = [...new Set(sensitivity.filter((r) => r.method === method).map((r) => r.metric))];
    charts.push(sensitivityChart(sensitivity, { method, metrics: pickMetrics(metrics, outcomes), source, parameters: words, info }));
  }
  return charts;
}

/**
 * At most MAX_SENSITIVITY_METRICS metrics, the most telling first (by their
 * declarations): the last level's share per issue area (the multilateral one),
 * welfare with no role, strategy shares, other welfare; then the rest in order.
 */
function pickMetrics(metrics: readonly string[], outcomes: ReturnType<typeof outcomesOf>): string[] {
  if (metrics.length <= MAX_SENSITIVITY_METRICS) return [...metrics];
  const levels = levelView(outcomes, metrics);
  const top = levels ? new Set(levels.areas.map((a) => levels.metric(a, levels.levels[levels.levels.length - 1].id))) : new Set<string>();
  const rank = (name: string) => {
    const m = declarationOf(outcomes, name);
    const d = m.dimensions ?? {};
    if (top.has(name)) return 0;
    if (m.kind === 'welfare' && !d.role) return 1;
    if (m.kind === 'share' && d.strategy && !d.issueArea) return 2;
    return m.kind === 'welfare' ? 3 : 4;
  };
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

/** A sweep's summary: summary.csv, or computed from runs.csv; empty for a run. */
function sweepSummary(data: ResultData): SummaryRow[] {
  return data.summary && data.summary.length > 0 ? data.summary : data.runs && data.runs.length > 0 ? summaryFromRuns(data) : [];
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
