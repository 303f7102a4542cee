// Charts of a sweep, from summary.csv (per design point and metric: mean, sd, ci95,
// n) and sensitivity.csv: the phase diagram over two swept parameters, the response
// of metrics to one parameter, and the sensitivity indices. Where the sweep varied
// more parameters than a chart shows, the design points that share the shown
// values are pooled into one sample of all their runs (stats.ts pool()), so the
// chart shows the effect averaged over the other parameters.
import type { TopLevelSpec } from 'vega-lite';
import { LEVEL_LABELS, LEVELS, type Level, MULTILATERAL_RAMP, NEUTRAL, levelScale } from './colors.ts';
import { parameterTitle, shareMetric } from './metrics.ts';
import { chart, ciSentence, designPhrase, header, r10, slug } from './spec.ts';
import { bounds, type MeanCi, pool } from './stats.ts';
import { LINE_LEGEND } from './time.ts';
import type { Chart, SensitivityRow, SummaryRow } from './types.ts';
import { maxOf, minOf } from '../engine/stats.ts';

/** How many design points and runs a summary holds (counted on its first metric). */
export function summaryCounts(summary: readonly SummaryRow[]): { points: number; runs: number } {
  const first = summary[0]?.metric;
  const rows = summary.filter((r) => r.metric === first);
  return { points: rows.length, runs: rows.reduce((a, r) => a + (Number.isFinite(r.n) ? r.n : 0), 0) };
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** Pools the summary rows of one metric by the values of `keys`; the map key is the JSON of those values. */
function pooledBy(summary: readonly SummaryRow[], metric: string, keys: readonly string[]): Map<string, { at: number[]; stats: MeanCi; points: number }> {
  const groups = new Map<string, { at: number[]; rows: SummaryRow[] }>();
  for (const row of summary) {
    if (row.metric !== metric) continue;
    const at = keys.map((k) => num(row[k]));
    const key = JSON.stringify(at);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { at, rows: [] }));
    g.rows.push(row);
  }
  const out = new Map<string, { at: number[]; stats: MeanCi; points: number }>();
  for (const [key, g] of groups) out.set(key, { at: g.at, stats: pool(g.rows.map((r) => ({ mean: num(r.mean), sd: num(r.sd), n: num(r.n) }))), points: g.rows.length });
  return out;
}

function pooledNote(points: number, cells: number): string {
  return points > cells ? ' Design points that share the shown parameter values are pooled (averaged over the other swept parameters).' : '';
}

export type PhaseMode = 'modal-level' | 'multilateral-share' | 'metric';

export interface PhaseOptions {
  x: string;
  y: string;
  mode: PhaseMode;
  /** Issue areas (modes modal-level and multilateral-share): one panel each. */
  areas?: readonly string[];
  /** The metric to colour by (mode metric). */
  metric?: string;
  /** The spec's model params, to name issue areas in axis titles. */
  params?: Record<string, unknown>;
}

/**
 * A heatmap over two swept parameters. modal-level: each cell coloured by the level
 * (U, C, M) with the highest mean final share; multilateral-share: by the mean final
 * share at M; metric: by the mean of any metric. One panel per issue area. When
 * the design is not a grid over the two parameters (e.g. Latin hypercube), the
 * points are drawn as circles at their parameter values instead of cells.
 */
export function phaseDiagramChart(summary: readonly SummaryRow[], options: PhaseOptions): Chart {
  const { x, y, mode } = options;
  const keys = [x, y];
  const areas = mode === 'metric' ? [''] : [...(options.areas ?? [])];
  if (areas.length === 0) throw new Error('phaseDiagramChart: modes modal-level and multilateral-share need issue areas');
  if (mode === 'metric' && !options.metric) throw new Error('phaseDiagramChart: mode metric needs a metric');
  const values: Record<string, unknown>[] = [];
  for (const area of areas) {
    if (mode === 'metric') {
      for (const g of pooledBy(summary, options.metric!, keys).values()) {
        values.push({ panel: options.metric!, xv: g.at[0], yv: g.at[1], value: r10(g.stats.mean), n: g.stats.n, points: g.points });
      }
    } else {
      const byLevel = LEVELS.map((l) => pooledBy(summary, shareMetric(area, l), keys));
      for (const [key, g] of byLevel[0]) {
        const means = LEVELS.map((_, i) => byLevel[i].get(key)?.stats.mean ?? NaN);
        const best = means.indexOf(maxOf(means.map((v) => (Number.isFinite(v) ? v : -Infinity))));
        const modal: Level = LEVELS[Math.max(0, best)];
        values.push({
          panel: area,
          xv: g.at[0],
          yv: g.at[1],
          modal: LEVEL_LABELS[modal],
          u: r10(means[0]),
          c: r10(means[1]),
          m: r10(means[2]),
          value: r10(means[2]),
          n: g.stats.n,
          points: g.points,
        });
      }
    }
  }
  if (values.length === 0) throw new Error(`phaseDiagramChart: no summary rows for ${mode === 'metric' ? options.metric : 'the share metrics'}`);
  const xs = [...new Set(values.map((v) => v.xv as number))];
  const ys = [...new Set(values.map((v) => v.yv as number))];
  const cellsPerPanel = values.length / areas.length;
  const grid = xs.length * ys.length === cellsPerPanel && xs.length <= 40 && ys.length <= 40;
  const { points, runs } = summaryCounts(summary);
  const xTitle = parameterTitle(x, options.params);
  const yTitle = parameterTitle(y, options.params);
  const color =
    mode === 'modal-level'
      ? { field: 'modal', type: 'nominal' as const, title: 'modal level', scale: levelScale(), sort: levelScale().domain }
      : mode === 'multilateral-share'
        ? { field: 'value', type: 'quantitative' as const, title: 'mean M share', scale: { domain: [0, 1], range: [...MULTILATERAL_RAMP] }, legend: { format: '.0%' } }
        : { field: 'value', type: 'quantitative' as const, title: `mean ${options.metric}`, scale: { scheme: 'viridis' } };
  const tooltip = [
    ...(mode === 'metric' ? [] : [{ field: 'panel', type: 'nominal' as const, title: 'issue area' }]),
    { field: 'xv', type: 'quantitative' as const, title: x },
    { field: 'yv', type: 'quantitative' as const, title: y },
    ...(mode === 'metric'
      ? [{ field: 'value', type: 'quantitative' as const, title: `mean ${options.metric}`, format: '.4g' }]
      : [
          { field: 'modal', type: 'nominal' as const, title: 'modal level' },
          { field: 'u', type: 'quantitative' as const, title: 'mean U share', format: '.3f' },
          { field: 'c', type: 'quantitative' as const, title: 'mean C share', format: '.3f' },
          { field: 'm', type: 'quantitative' as const, title: 'mean M share', format: '.3f' },
        ]),
    { field: 'n', type: 'quantitative' as const, title: 'runs' },
    { field: 'points', type: 'quantitative' as const, title: 'design points pooled' },
  ];
  const unit = grid
    ? {
        width: Math.max(180, Math.min(320, 26 * xs.length)),
        height: Math.max(140, Math.min(320, 26 * ys.length)),
        name: 'cells',
        mark: { type: 'rect' as const, stroke: '#FFFFFF', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'xv', type: 'ordinal' as const, title: xTitle, axis: { format: '.3~g', labelAngle: 0 } },
          y: { field: 'yv', type: 'ordinal' as const, title: yTitle, sort: 'descending' as const, axis: { format: '.3~g' } },
          color,
          tooltip,
        },
      }
    : {
        width: 240,
        height: 240,
        name: 'points',
        mark: { type: 'circle' as const, size: 60, opacity: 0.9 },
        encoding: {
          x: { field: 'xv', type: 'quantitative' as const, title: xTitle, scale: { zero: false } },
          y: { field: 'yv', type: 'quantitative' as const, title: yTitle, scale: { zero: false } },
          color,
          tooltip,
        },
      };
  const what =
    mode === 'modal-level'
      ? 'the modal level (the level, U, C or M, with the highest mean final share of states)'
      : mode === 'multilateral-share'
        ? 'the mean final share of states governing multilaterally (M)'
        : `the mean final ${options.metric}`;
  const id = mode === 'metric' ? `phase-${slug(options.metric!)}` : `phase-${mode}`;
  const title =
    mode === 'modal-level' ? 'Phase diagram: modal governance level' : mode === 'multilateral-share' ? 'Phase diagram: multilateral share' : `Phase diagram: ${options.metric}`;
  const caption =
    `${grid ? 'Each cell' : 'Each point'} shows ${what} at one combination of ${x} (x) and ${y} (y)${mode === 'metric' ? '' : ', per issue area'}, ` +
    `from ${designPhrase(points, runs)}.` +
    pooledNote(points, cellsPerPanel);
  const spec = {
    ...header(title, designPhrase(points, runs), caption),
    data: { values },
    ...(mode === 'metric' ? unit : { facet: { column: { field: 'panel', type: 'nominal', title: 'issue area', sort: areas } }, spec: unit }),
  } as TopLevelSpec;
  return chart(id, title, caption, spec);
}

export interface ResponseLine {
  metric: string;
  /** Colour group (a level label or a strategy). */
  series: string;
  /** Panel (an issue area); '' for one panel. */
  panel?: string;
}

export interface ResponseOptions {
  parameter: string;
  lines: readonly ResponseLine[];
  colorTitle: string;
  colorScale: { domain: string[]; range: string[] };
  yTitle: string;
  /** Metrics are shares: fix the y scale to [0, 1] and clip the band. */
  shares: boolean;
  id?: string;
  title?: string;
  /** The spec's model params, to name issue areas in axis titles. */
  params?: Record<string, unknown>;
}

/**
 * Mean final value of metrics against one swept parameter, with the 95 % CI band of
 * the mean (the summary's ci95 for a one-parameter sweep; for several parameters, of
 * the pooled runs at each value of this one).
 */
export function responseCurveChart(summary: readonly SummaryRow[], options: ResponseOptions): Chart {
  const { parameter, lines } = options;
  const panels = [...new Set(lines.map((l) => l.panel ?? ''))];
  const values: Record<string, unknown>[] = [];
  for (const line of lines) {
    for (const g of pooledBy(summary, line.metric, [parameter]).values()) {
      const b = bounds(g.stats, options.shares ? [0, 1] : undefined);
      values.push({
        panel: line.panel ?? '',
        series: line.series,
        metric: line.metric,
        xv: g.at[0],
        mean: r10(g.stats.mean),
        lo: b ? r10(b.lo) : null,
        hi: b ? r10(b.hi) : null,
        n: g.stats.n,
        points: g.points,
      });
    }
  }
  if (values.length === 0) throw new Error(`responseCurveChart: no summary rows for ${lines.map((l) => l.metric).join(', ')}`);
  values.sort((a, b) => (a.xv as number) - (b.xv as number));
  const hasCi = values.some((v) => v.lo !== null);
  const minN = minOf(values.map((v) => v.n as number));
  const { points, runs } = summaryCounts(summary);
  const xs = new Set(values.map((v) => v.xv));
  const x = { field: 'xv', type: 'quantitative' as const, title: parameterTitle(parameter, options.params), scale: { zero: false } };
  const yScale = options.shares ? { domain: [0, 1] } : { zero: false };
  const color = { field: 'series', type: 'nominal' as const, title: options.colorTitle, scale: options.colorScale, sort: options.colorScale.domain };
  const layer: object[] = [];
  if (hasCi) {
    layer.push({
      name: 'band',
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'area', fillOpacity: 0.22 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: options.yTitle, scale: yScale }, y2: { field: 'hi' }, color },
    });
  }
  layer.push({
    name: 'mean',
    mark: { type: 'line', strokeWidth: 2 },
    encoding: { x, y: { field: 'mean', type: 'quantitative', title: options.yTitle, scale: yScale, ...(options.shares ? { axis: { format: '.0%' } } : {}) }, color: { ...color, legend: LINE_LEGEND } },
  });
  layer.push({
    name: 'points',
    mark: { type: 'point', filled: true, size: 30 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative' },
      color,
      tooltip: [
        ...(panels.length > 1 ? [{ field: 'panel', type: 'nominal', title: 'issue area' }] : []),
        { field: 'series', type: 'nominal', title: options.colorTitle },
        { field: 'metric', type: 'nominal', title: 'metric' },
        { field: 'xv', type: 'quantitative', title: parameter },
        { field: 'mean', type: 'quantitative', title: 'mean', format: '.4g' },
        { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.4g' },
        { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.4g' },
        { field: 'n', type: 'quantitative', title: 'runs' },
        { field: 'points', type: 'quantitative', title: 'design points pooled' },
      ],
    },
  });
  const title = options.title ?? `Response to ${parameterTitle(parameter, options.params).replace(/ \([^)]*\)$/, '')}`;
  const caption =
    `Mean ${lines.length <= 4 ? lines.map((l) => `final ${l.metric}`).join(', ') : `${options.yTitle} (${lines.map((l) => l.metric).join(', ')})`} against ${parameter}, ` +
    `at ${xs.size} values, from ${designPhrase(points, runs)}. ` +
    ciSentence(minN, 'runs') +
    pooledNote(points, xs.size);
  const spec = {
    ...header(title, designPhrase(points, runs), caption),
    data: { values },
    ...(panels.length > 1
      ? { facet: { column: { field: 'panel', type: 'nominal', title: 'issue area', sort: panels } }, spec: { width: 220, height: 180, layer } }
      : { width: 380, height: 240, layer }),
  } as TopLevelSpec;
  return chart(options.id ?? `response-${slug(parameter.replace(/^params\./, ''))}`, title, caption, spec);
}

const INDEX_ORDER: Record<string, string[]> = { sobol: ['S1', 'ST'], morris: ['mu_star', 'sigma'] };
const INDEX_TITLE: Record<string, string> = { S1: 'first-order S1', ST: 'total ST', mu_star: 'mu* (mean |elementary effect|)', sigma: 'sigma (sd of elementary effects)' };

export interface SensitivityOptions {
  method: string;
  /** Metrics to show, in order (default: every metric of the method, in first-seen order). */
  metrics?: readonly string[];
  /** Caption phrase on the runs behind the indices, e.g. designPhrase(...). */
  source?: string;
  /** The spec's model params, to name issue areas in parameter labels. */
  params?: Record<string, unknown>;
}

/**
 * Sensitivity indices as horizontal bars with their 95 % CI as error bars: one
 * panel column per index (S1 and ST, or mu* and sigma), one panel row per metric.
 */
export function sensitivityChart(rows: readonly SensitivityRow[], options: SensitivityOptions): Chart {
  const method = options.method;
  const mine = rows.filter((r) => r.method === method);
  const metrics = options.metrics ?? [...new Set(mine.map((r) => r.metric))];
  const keep = new Set(metrics);
  const used = mine.filter((r) => keep.has(r.metric) && Number.isFinite(r.value));
  if (used.length === 0) throw new Error(`sensitivityChart: no ${method} rows`);
  const indices = [...new Set(used.map((r) => r.index))].sort((a, b) => order(method, a) - order(method, b));
  const parameters = [...new Set(used.map((r) => r.parameter))];
  // Order parameters by their largest primary index (ST or mu*) over the metrics, largest first.
  const primary = indices[indices.length > 1 && method === 'sobol' ? 1 : 0];
  const top = (p: string) => maxOf(used.filter((r) => r.parameter === p && r.index === primary).map((r) => r.value));
  parameters.sort((a, b) => top(b) - top(a) || a.localeCompare(b));
  const label = (p: string) => parameterTitle(p, options.params).replace(/ \([^)]*\)$/, '');
  const values = used.map((r) => {
    const ok = Number.isFinite(r.ci_low) && Number.isFinite(r.ci_high);
    return {
      parameter: label(r.parameter),
      path: r.parameter,
      metric: r.metric,
      index: INDEX_TITLE[r.index] ?? r.index,
      value: r10(r.value),
      lo: ok ? r10(r.ci_low) : null,
      hi: ok ? r10(r.ci_high) : null,
    };
  });
  const parameterSort = parameters.map(label);
  const indexSort = indices.map((i) => INDEX_TITLE[i] ?? i);
  const hasCi = values.some((v) => v.lo !== null);
  const y = { field: 'parameter', type: 'nominal' as const, title: null, sort: parameterSort, axis: { labelLimit: 240 } };
  const xTitle = method === 'sobol' ? 'index (share of variance)' : method === 'morris' ? 'effect (metric units)' : 'index value';
  // Sobol indices live in [0, 1]; estimates of a metric that hardly varies can be far
  // outside, so the axis is fixed and clamped (the exact values are in the tooltip and sensitivity.csv)
  const xScale = method === 'sobol' ? { scale: { domain: [-0.2, 1.2], clamp: true } } : {};
  const layer: object[] = [
    {
      name: 'bars',
      mark: { type: 'bar', color: NEUTRAL.mid, height: { band: 0.7 } },
      encoding: {
        y,
        x: { field: 'value', type: 'quantitative', title: xTitle, ...xScale },
        tooltip: [
          { field: 'metric', type: 'nominal', title: 'metric' },
          { field: 'parameter', type: 'nominal', title: 'parameter' },
          { field: 'path', type: 'nominal', title: 'parameter path' },
          { field: 'index', type: 'nominal', title: 'index' },
          { field: 'value', type: 'quantitative', title: 'value', format: '.3f' },
          { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.3f' },
          { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.3f' },
        ],
      },
    },
  ];
  if (hasCi) {
    layer.push({
      name: 'errorbars',
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'errorbar', ticks: { size: 6 }, color: NEUTRAL.dark },
      encoding: { y, x: { field: 'lo', type: 'quantitative', title: xTitle, ...xScale }, x2: { field: 'hi' } },
    });
  }
  const name = method === 'sobol' ? 'Sobol' : method === 'morris' ? 'Morris' : method;
  const title = `Sensitivity: ${name} indices`;
  const what =
    method === 'sobol'
      ? 'first-order (S1: the share of the variance of the metric due to the parameter alone) and total (ST: including its interactions) Sobol indices'
      : method === 'morris'
        ? 'Morris screening measures mu* (mean absolute elementary effect: overall influence) and sigma (spread: non-linearity or interactions)'
        : `${method} indices`;
  const caption =
    `The ${what} of each swept parameter for ${metrics.length === 1 ? `the final ${metrics[0]}` : `the final value of ${metrics.length} metrics (rows)`}` +
    `${options.source ? `, from ${options.source}` : ''}. ` +
    (hasCi ? 'Error bars: the 95 % confidence intervals reported with the indices (sensitivity.csv ci_low, ci_high).' : 'No confidence intervals were reported.') +
    (method === 'sobol' ? ' The axis is clamped to [-0.2, 1.2]; exact values are in the tooltips and sensitivity.csv.' : '');
  const spec = {
    ...header(title, options.source ?? `${parameters.length} parameters`, caption),
    data: { values },
    facet: {
      row: { field: 'metric', type: 'nominal', title: 'metric', sort: [...metrics], header: { labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'index', type: 'nominal', title: 'index', sort: indexSort },
    },
    spec: { width: 220, height: Math.max(60, 18 * parameters.length), layer },
  } as TopLevelSpec;
  return chart(`sensitivity-${slug(method)}`, title, caption, spec);
}

function order(method: string, index: string): number {
  const i = (INDEX_ORDER[method] ?? []).indexOf(index);
  return i < 0 ? 99 : i;
}
