// Charts of a sweep, from summary.csv (per design point and metric: mean, sd, ci95,
// n) and sensitivity.csv: the phase diagram over two swept parameters, the response
// of metrics to one parameter (one line per value of a second), and the sensitivity
// indices. Where the sweep varied more parameters than a chart shows, the design
// points that share the shown values are averaged, and the caption names the
// parameters averaged over; a confidence band is only ever drawn over the
// replications of one design point.
import type { TopLevelSpec } from 'vega-lite';
import { NEUTRAL } from './colors.ts';
import { parameterTitle } from './metrics.ts';
import { type LevelView, termScale } from './outcomes.ts';
import { capitalise, chart, designPhrase, FONT_SIZE, header, isIndicator, meanTitle, metricTitle, type MetricInfo, parameterWords, r10, slug, wrap } from './spec.ts';
import { type MeanCi, pool } from './stats.ts';
import { LINE_LEGEND } from './time.ts';
import type { Chart, ParameterInfos, SensitivityRow, SummaryRow } from './types.ts';
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

export type PhaseMode = 'modal-level' | 'multilateral-share' | 'metric';

/** The shortest side of a phase diagram's panel, in pixels. */
export const PHASE_MIN_SIDE = 300;

export interface PhaseOptions {
  x: string;
  y: string;
  mode: PhaseMode;
  /** Issue areas (modes modal-level and multilateral-share): one panel each. */
  areas?: readonly string[];
  /** The share-of-level metrics per issue area, with the levels' labels and colours (modes modal-level and multilateral-share; the last level is the multilateral one). */
  levels?: LevelView;
  /** The metric to colour by (mode metric). */
  metric?: string;
  /** What the metric is (mode metric): the model's declaration; default its name alone. */
  info?: MetricInfo;
  /** The other swept parameters, which cells sharing x and y average over (named in the caption). */
  others?: readonly string[];
  /** Each swept parameter's label and unit (the sweep manifest's `parameters`), for titles. */
  parameters?: ParameterInfos;
  id?: string;
}

/**
 * A heatmap over two swept parameters. modal-level: each cell coloured by the level
 * (U, C, M) with the highest mean final share; multilateral-share: by the mean final
 * share at M; metric: by the mean of any metric. One panel per issue area. When
 * the design is not a grid over the two parameters (e.g. Latin hypercube), the
 * points are drawn as circles at their parameter values instead of cells. Every
 * panel is at least PHASE_MIN_SIDE pixels on its shortest side.
 */
export function phaseDiagramChart(summary: readonly SummaryRow[], options: PhaseOptions): Chart {
  const { x, y, mode } = options;
  const keys = [x, y];
  const areas = mode === 'metric' ? [''] : [...(options.areas ?? [])];
  if (areas.length === 0) throw new Error('phaseDiagramChart: modes modal-level and multilateral-share need issue areas');
  if (mode === 'metric' && !options.metric) throw new Error('phaseDiagramChart: mode metric needs a metric');
  if (mode !== 'metric' && !options.levels) throw new Error('phaseDiagramChart: modes modal-level and multilateral-share need the declared levels');
  const levels = options.levels?.levels ?? [];
  const info: MetricInfo = options.info ?? { name: options.metric ?? '' };
  const values: Record<string, unknown>[] = [];
  for (const area of areas) {
    if (mode === 'metric') {
      for (const g of pooledBy(summary, options.metric!, keys).values()) {
        values.push({ panel: options.metric!, xv: g.at[0], yv: g.at[1], value: r10(g.stats.mean), n: g.stats.n, points: g.points });
      }
    } else {
      const byLevel = levels.map((l) => pooledBy(summary, options.levels!.metric(area, l.id), keys));
      for (const [key, g] of byLevel[0]) {
        const means = levels.map((_, i) => byLevel[i].get(key)?.stats.mean ?? NaN);
        const best = means.indexOf(maxOf(means.map((v) => (Number.isFinite(v) ? v : -Infinity))));
        const modal = levels[Math.max(0, best)];
        values.push({
          panel: area,
          xv: g.at[0],
          yv: g.at[1],
          modal: modal.label,
          u: r10(means[0]),
          c: r10(means[1]),
          m: r10(means[2]),
          value: r10(means[means.length - 1]),
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
  const width = grid ? Math.max(PHASE_MIN_SIDE, Math.min(480, 34 * xs.length)) : 340;
  const height = grid ? Math.max(PHASE_MIN_SIDE, Math.min(480, 34 * ys.length)) : 340;
  const xTitle = wrap(parameterTitle(x, options.parameters), width, FONT_SIZE.axisTitle);
  const yTitle = wrap(parameterTitle(y, options.parameters), height, FONT_SIZE.axisTitle);
  const xWords = parameterWords(x, options.parameters);
  const yWords = parameterWords(y, options.parameters);
  const metricValues = mode === 'metric' ? summary.filter((r) => r.metric === options.metric).map((r) => num(r.mean)) : [];
  const indicator = mode === 'metric' && isIndicator(info, metricValues);
  const legendTitle = mode === 'metric' ? wrap(isIndicator(info, metricValues) ? meanTitle(info, metricValues) : `mean final ${meanTitle(info, metricValues)}`, 200, FONT_SIZE.legendTitle) : '';
  const color =
    mode === 'modal-level'
      ? { field: 'modal', type: 'nominal' as const, title: 'modal level', scale: termScale(levels), sort: termScale(levels).domain }
      : mode === 'multilateral-share'
        ? { field: 'value', type: 'quantitative' as const, title: `mean ${levels[levels.length - 1]?.label ?? 'M'} share`, scale: { domain: [0, 1], range: ['#F2F2F2', termScale(levels).range[levels.length - 1] ?? NEUTRAL.dark] }, legend: { format: '.0%' } }
        : { field: 'value', type: 'quantitative' as const, title: legendTitle, scale: { scheme: 'viridis', ...(indicator ? { domain: [0, 1] } : {}) } };
  const tooltip = [
    ...(mode === 'metric' ? [] : [{ field: 'panel', type: 'nominal' as const, title: 'issue area' }]),
    { field: 'xv', type: 'quantitative' as const, title: xWords === x ? x : `${xWords} (${x})` },
    { field: 'yv', type: 'quantitative' as const, title: yWords === y ? y : `${yWords} (${y})` },
    ...(mode === 'metric'
      ? [{ field: 'value', type: 'quantitative' as const, title: `mean ${info.name}`, format: '.4g' }]
      : [
          { field: 'modal', type: 'nominal' as const, title: 'modal level' },
          { field: 'u', type: 'quantitative' as const, title: 'mean U share', format: '.3f' },
          { field: 'c', type: 'quantitative' as const, title: 'mean C share', format: '.3f' },
          { field: 'm', type: 'quantitative' as const, title: 'mean M share', format: '.3f' },
        ]),
    { field: 'n', type: 'quantitative' as const, title: 'runs' },
    { field: 'points', type: 'quantitative' as const, title: 'design points' },
  ];
  const unit = grid
    ? {
        width,
        height,
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
        width,
        height,
        name: 'points',
        mark: { type: 'circle' as const, size: 70, opacity: 0.9 },
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
        : `the mean final ${info.name} (${indicator ? `the ${meanTitle(info, metricValues)}` : (info.description ?? 'no description declared')}${info.unit && !indicator ? `; unit: ${info.unit}` : ''})`;
  const id = options.id ?? (mode === 'metric' ? `phase-${slug(options.metric!)}` : `phase-${mode}`);
  const subject = mode === 'modal-level' ? 'Modal governance level' : mode === 'multilateral-share' ? 'Share of states governing multilaterally' : metricTitle(info);
  const title = `${subject}, by ${xWords} and ${yWords}`;
  const others = options.others ?? [];
  const caption =
    `${grid ? 'Each cell' : 'Each point'} shows ${what} at one combination of ${xWords} (x) and ${yWords} (y)${mode === 'metric' ? '' : ', per issue area'}, ` +
    `from ${designPhrase(points, runs)}.` +
    (points > cellsPerPanel
      ? ` Each ${grid ? 'cell' : 'point'} averages the runs of the design points that share its x and y${others.length > 0 ? `, over the other swept parameters (${others.map((p) => parameterWords(p, options.parameters)).join(', ')})` : ''}.`
      : '');
  const panelWidth = mode === 'metric' ? width + 260 : areas.length * (width + 20) + 140;
  const spec = {
    ...header(title, designPhrase(points, runs), caption, panelWidth),
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

/** More values than this of the `by` parameter, and its lines are drawn in panels, not colours. */
export const MAX_COLOURED = 6;
/** Palette for the values of a `by` parameter, in their order (Okabe-Ito, no yellow). */
const BY_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
/** Bins of x for the mean line of a sampled design. */
export const SAMPLED_BINS = 8;

export interface ResponseOptions {
  parameter: string;
  /**
   * A second swept parameter: one line per value of it (coloured, or one panel per
   * value above MAX_COLOURED values or when the lines are already coloured by series).
   */
  by?: string;
  /** The swept parameters other than `parameter` and `by`: what curves average over (named in the caption). */
  others?: readonly string[];
  /** A sampled design (lhs, sobol, morris): one point per design point and a binned mean line, no pooling into a band. */
  sampled?: boolean;
  lines: readonly ResponseLine[];
  colorTitle: string;
  colorScale: { domain: string[]; range: string[] };
  yTitle: string;
  /** Metrics are shares: fix the y scale to [0, 1] and clip the band. */
  shares: boolean;
  /** The metric's declaration, for the caption and tooltip (one-metric charts). */
  info?: MetricInfo;
  id?: string;
  title?: string;
  /** Each swept parameter's label and unit (the sweep manifest's `parameters`), for titles. */
  parameters?: ParameterInfos;
}

/** A number as a short label: 0.05, 1e-4, 12. */
function short(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Mean final value of metrics against one swept parameter. A line never pools design
 * points silently: with `by`, one line per value of that parameter; every mean at
 * which exactly one design point lies has the 95 % CI band of that point's
 * replications (summary.csv's ci95); where several design points share the shown
 * values (other swept parameters), the curve shows the mean of their means, has no
 * band, and the caption names what it averages over. A sampled design draws one
 * point per design point and the mean of the points in SAMPLED_BINS bins of x.
 */
export function responseCurveChart(summary: readonly SummaryRow[], options: ResponseOptions): Chart {
  const { parameter, lines } = options;
  const by = options.by;
  const sampled = options.sampled === true;
  const areaPanels = [...new Set(lines.map((l) => l.panel ?? ''))];
  const keys = by && !sampled ? [parameter, by] : [parameter];
  const byValues = by && !sampled ? [...new Set(summary.map((r) => num(r[by])))].filter(Number.isFinite).sort((a, b) => a - b) : [];
  const byTitle = by ? parameterWords(by, options.parameters) : '';
  const byLabel = (v: number) => `${byTitle} = ${short(v)}`;
  const byLabels = byValues.map(byLabel);
  // lines coloured by series already (levels, strategies): the by values become panel rows
  const colourBy = byValues.length > 0 && lines.length === 1 && byValues.length <= MAX_COLOURED;
  const rowBy = byValues.length > 0 && !colourBy;
  const values: Record<string, unknown>[] = [];
  let pooledCells = 0;
  let cells = 0;
  for (const line of lines) {
    const groups = new Map<string, { at: number[]; rows: SummaryRow[] }>();
    for (const row of summary) {
      if (row.metric !== line.metric) continue;
      const at = keys.map((k) => num(row[k]));
      const key = JSON.stringify(at);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { at, rows: [] }));
      g.rows.push(row);
    }
    for (const g of groups.values()) {
      const b = by && !sampled ? byLabel(g.at[1]) : '';
      const base = {
        panel: line.panel ?? '',
        row: rowBy ? b : '',
        series: colourBy ? b : line.series,
        metric: line.metric,
        xv: g.at[0],
      };
      if (sampled) {
        for (const row of g.rows) values.push({ ...base, kind: 'point', ...onePoint(row, options.shares) });
        continue;
      }
      cells++;
      if (g.rows.length === 1) values.push({ ...base, kind: 'mean', ...onePoint(g.rows[0], options.shares) });
      else {
        pooledCells++;
        const stats = pool(g.rows.map((r) => ({ mean: num(r.mean), sd: num(r.sd), n: num(r.n) })));
        values.push({ ...base, kind: 'mean', mean: r10(stats.mean), lo: null, hi: null, n: stats.n, points: g.rows.length });
      }
    }
  }
  if (values.length === 0) throw new Error(`responseCurveChart: no summary rows for ${lines.map((l) => l.metric).join(', ')}`);
  if (sampled) {
    const xsAll = values.map((v) => v.xv as number).filter(Number.isFinite);
    const lo = minOf(xsAll);
    const hi = maxOf(xsAll);
    const w = hi > lo ? (hi - lo) / SAMPLED_BINS : 1;
    const bins = new Map<string, { base: Record<string, unknown>; sum: number; count: number; bin: number }>();
    for (const v of values) {
      if (!Number.isFinite(v.mean as number)) continue;
      const bin = Math.min(SAMPLED_BINS - 1, Math.floor(((v.xv as number) - lo) / w));
      const key = JSON.stringify([v.panel, v.series, bin]);
      let b = bins.get(key);
      if (!b) bins.set(key, (b = { base: { panel: v.panel, row: '', series: v.series, metric: v.metric }, sum: 0, count: 0, bin }));
      b.sum += v.mean as number;
      b.count++;
    }
    for (const b of bins.values()) values.push({ ...b.base, kind: 'bin', xv: r10(lo + (b.bin + 0.5) * w), mean: r10(b.sum / b.count), lo: null, hi: null, n: null, points: b.count });
  }
  values.sort((a, b) => (a.xv as number) - (b.xv as number));
  const hasCi = values.some((v) => v.kind === 'mean' && v.lo !== null);
  const ciN = values.filter((v) => v.kind === 'mean' && v.lo !== null).map((v) => v.n as number);
  const { points, runs } = summaryCounts(summary);
  const xs = new Set(values.map((v) => v.xv));
  const rows = rowBy ? byLabels : [''];
  const facetted = areaPanels.length > 1 || rowBy;
  const width = facetted ? 240 : 420;
  const height = facetted ? 190 : 260;
  const xTitle = wrap(parameterTitle(parameter, options.parameters), width, FONT_SIZE.axisTitle);
  const yTitle = wrap(options.yTitle, height, FONT_SIZE.axisTitle);
  const x = { field: 'xv', type: 'quantitative' as const, title: xTitle, scale: { zero: false } };
  // a band of a few replications can be many times wider than the curves (t(0.975, 2) = 4.3): it may reach half the means' span beyond them, then it is cut at the plot's edge
  const meanValues = values.filter((v) => v.kind !== 'point' && Number.isFinite(v.mean as number)).map((v) => v.mean as number);
  const bandEnds = values.filter((v) => v.kind === 'mean' && v.lo !== null).flatMap((v) => [v.lo as number, v.hi as number]).filter(Number.isFinite);
  let bandsCut = false;
  let yScale: object = options.shares ? { domain: [0, 1] } : { zero: false };
  if (!options.shares && meanValues.length > 0 && bandEnds.length > 0) {
    const [mlo, mhi] = [minOf(meanValues), maxOf(meanValues)];
    const reach = 0.5 * (mhi - mlo || Math.abs(mhi) || 1);
    const [blo, bhi] = [minOf(bandEnds), maxOf(bandEnds)];
    bandsCut = blo < mlo - reach || bhi > mhi + reach;
    if (bandsCut) yScale = { zero: false, domain: [r10(Math.min(mlo, Math.max(blo, mlo - reach))), r10(Math.max(mhi, Math.min(bhi, mhi + reach)))] };
  }
  const scale = colourBy ? { domain: byLabels, range: byLabels.map((_, i) => BY_PALETTE[i % BY_PALETTE.length]) } : options.colorScale;
  const colorTitle = colourBy ? wrap(parameterTitle(by!, options.parameters), 220, FONT_SIZE.legendTitle) : options.colorTitle;
  // one line of one metric: its name in a legend would say nothing the title does not
  const single = !colourBy && lines.length === 1 && lines[0].series === lines[0].metric;
  const color = { field: 'series', type: 'nominal' as const, title: colorTitle, scale, sort: scale.domain, ...(single ? { legend: null } : {}) };
  const meanKind = sampled ? 'bin' : 'mean';
  const layer: object[] = [];
  if (hasCi) {
    layer.push({
      name: 'band',
      transform: [{ filter: "datum.kind === 'mean' && isValid(datum.lo)" }],
      mark: { type: 'area', fillOpacity: 0.2, clip: true },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale }, y2: { field: 'hi' }, color },
    });
  }
  layer.push({
    name: 'mean',
    transform: [{ filter: `datum.kind === '${meanKind}'` }],
    mark: { type: 'line', strokeWidth: 2.5 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative', title: yTitle, scale: yScale, ...(options.shares ? { axis: { format: '.0%' } } : {}) },
      color: single ? color : { ...color, legend: LINE_LEGEND },
    },
  });
  layer.push({
    name: 'points',
    transform: [{ filter: sampled ? "datum.kind === 'point'" : "datum.kind === 'mean'" }],
    mark: { type: 'point', filled: true, size: sampled ? 26 : 40, opacity: sampled ? 0.55 : 1 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative', title: yTitle },
      color,
      tooltip: [
        ...(areaPanels.length > 1 ? [{ field: 'panel', type: 'nominal', title: 'issue area' }] : []),
        { field: 'series', type: 'nominal', title: colourBy ? byTitle : options.colorTitle },
        ...(rowBy ? [{ field: 'row', type: 'nominal', title: byTitle }] : []),
        { field: 'metric', type: 'nominal', title: 'metric' },
        ...(options.info?.description ? [{ field: 'about', type: 'nominal', title: 'what it is' }] : []),
        { field: 'xv', type: 'quantitative', title: parameterWords(parameter, options.parameters) },
        { field: 'mean', type: 'quantitative', title: 'mean', format: '.4g' },
        { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.4g' },
        { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.4g' },
        { field: 'n', type: 'quantitative', title: 'runs' },
        { field: 'points', type: 'quantitative', title: 'design points' },
      ],
    },
  });
  if (options.info?.description) for (const v of values) v.about = options.info.description;
  const words = parameterWords(parameter, options.parameters);
  const title = options.title ?? `${options.info ? `${metricTitle(options.info)}, against` : 'Response to'} ${words}${colourBy || rowBy ? `, one line per ${byTitle}` : ''}`;
  const others = options.others ?? [];
  const othersWords = others.map((p) => parameterWords(p, options.parameters));
  const metricsPhrase = options.info
    ? `the mean final ${options.info.name}${options.info.description ? ` (${options.info.description}${options.info.unit ? `; unit: ${options.info.unit}` : ''})` : ''}`
    : `the mean ${lines.length <= 4 ? lines.map((l) => `final ${l.metric}`).join(', ') : `${options.yTitle} (${lines.map((l) => l.metric).join(', ')})`}`;
  let how: string;
  if (sampled) {
    const rest = others.length > 0 ? `the other swept parameters (${othersWords.join(', ')}), at the values the design sampled` : 'nothing else';
    how =
      ` Points: one per design point (the mean of its replications; its 95 % CI in the tooltip). Line: the mean of the points in each of ${SAMPLED_BINS} equal-width bins of ${words}, ` +
      `which averages over ${rest}; it is not a curve at fixed values of them.`;
  } else {
    how = ` ${by ? `One line per value of ${byTitle}${rowBy ? ' (one panel row each)' : ''}. ` : ''}`;
    how +=
      ciN.length > 0
        ? `Band: the t-based 95 % confidence interval of the mean across the replications of that one design point (summary.csv ci95)${bandsCut ? '; bands much wider than the curves are cut at the edge of the plot (the tooltip gives each interval)' : ''}.`
        : 'No confidence band: a band needs one design point with at least 2 replications at a value.';
    if (pooledCells > 0) {
      how += ` ${pooledCells === cells ? 'Every' : `${pooledCells} of ${cells}`} plotted mean${pooledCells === 1 ? ' is' : 's are'} the mean over the design points that differ only in ${others.length > 0 ? othersWords.join(', ') : 'the other swept parameters'} (no band there): they average over ${others.length === 1 ? 'that parameter' : 'those parameters'}.`;
    }
  }
  const caption = `${capitalise(metricsPhrase)} against ${words}, at ${xs.size} values, from ${designPhrase(points, runs)}.${how}`;
  const facet: Record<string, unknown> = {};
  if (areaPanels.length > 1) facet.column = { field: 'panel', type: 'nominal', title: 'issue area', sort: areaPanels };
  if (rowBy) facet.row = { field: 'row', type: 'nominal', title: null, sort: rows, header: { labelAngle: 0, labelAlign: 'left', labelLimit: 200 } };
  const total = (areaPanels.length > 1 ? areaPanels.length * (width + 20) : width) + (rowBy ? 200 : 0) + 200;
  const spec = {
    ...header(title, designPhrase(points, runs), caption, total),
    data: { values },
    ...(facetted ? { facet, spec: { width, height, layer } } : { width, height, layer }),
  } as TopLevelSpec;
  return chart(options.id ?? `response-${slug(parameter.replace(/^params\./, ''))}`, title, caption, spec);
}

/** One design point's summary row as a plotted mean with the CI of its own replications. */
function onePoint(row: SummaryRow, shares: boolean) {
  const mean = num(row.mean);
  const ci = num(row.ci95);
  const n = num(row.n);
  const ok = Number.isFinite(mean) && Number.isFinite(ci) && n >= 2;
  const lo = ok ? (shares ? Math.max(0, mean - ci) : mean - ci) : null;
  const hi = ok ? (shares ? Math.min(1, mean + ci) : mean + ci) : null;
  return { mean: r10(mean), lo: lo === null ? null : r10(lo), hi: hi === null ? null : r10(hi), n, points: 1 };
}

const INDEX_ORDER: Record<string, string[]> = { sobol: ['S1', 'ST'], morris: ['mu_star', 'sigma'] };
const INDEX_TITLE: Record<string, string> = { S1: 'first-order S1', ST: 'total ST', mu_star: 'mu* (mean |elementary effect|)', sigma: 'sigma (sd of elementary effects)' };

export interface SensitivityOptions {
  method: string;
  /** Metrics to show, in order (default: every metric of the method, in first-seen order). */
  metrics?: readonly string[];
  /** Caption phrase on the runs behind the indices, e.g. designPhrase(...). */
  source?: string;
  /** Each swept parameter's label and unit (the sweep manifest's `parameters`), for titles. */
  parameters?: ParameterInfos;
  /** What a metric is (its declaration): rows are labelled with its description. */
  info?: (metric: string) => MetricInfo;
}

/**
 * Sensitivity indices as horizontal bars with their 95 % CI as error bars: one
 * panel column per index (S1 and ST, or mu* and sigma), one row per metric, titled with its description, with its own x scale (Morris effects are in the metric's unit).
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
  const label = (p: string) => parameterWords(p, options.parameters);
  // a row is titled with the metric in words (its description) and its name
  const rowLabel = (m: string) => {
    const d = options.info?.(m).description;
    return d && d !== m ? `${d} (${m})` : m;
  };
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
  const xTitle = method === 'sobol' ? 'index (share of variance)' : method === 'morris' ? "effect (the metric's unit)" : 'index value';
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
    // one row per metric, each with its own x scale (a Morris effect is in the metric's own unit, so a
    // welfare effect of 20 would flatten a share's 0.2) and titled with the metric in words
    vconcat: metrics.map((metric, i) => ({
      title: { text: wrap(rowLabel(metric), 640, FONT_SIZE.header), fontSize: FONT_SIZE.header, fontWeight: 'normal', anchor: 'start' },
      transform: [{ filter: { field: 'metric', equal: metric } }],
      facet: { column: { field: 'index', type: 'nominal', title: i === 0 ? 'index' : null, sort: indexSort, header: i === 0 ? {} : { labels: false } } },
      // mark names are unique in a spec: each row's layers end in _r<row>
      spec: { width: 220, height: Math.max(60, 20 * parameters.length), layer: layer.map((l) => ({ ...l, name: `${(l as { name: string }).name}_r${i}` })) },
    })),
  } as TopLevelSpec;
  return chart(`sensitivity-${slug(method)}`, title, caption, spec);
}

function order(method: string, index: string): number {
  const i = (INDEX_ORDER[method] ?? []).indexOf(index);
  return i < 0 ? 99 : i;
}
