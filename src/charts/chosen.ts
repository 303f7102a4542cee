// The charts a researcher chooses: a spec's `charts:` section (each a metric and a
// kind: series, response or phase, with the swept factors on its axes), or by default,
// in a sweep, a phase diagram and a response curve for every metric in `metrics:`.
// What a metric is (its description, unit and kind) comes from the caller, who reads
// the model's declarations; nothing here reads a metric's name.
import { NEUTRAL } from './colors.ts';
import { isIndicator, meanTitle, type MetricInfo, slug } from './spec.ts';
import { phaseDiagramChart, responseCurveChart } from './sweep.ts';
import type { Chart, ParameterInfos, SummaryRow } from './types.ts';

/** One chart of `charts:` (src/experiment/schema.ts chartRequestSchema, checked against the sweep in src/experiment/charts.ts). */
export interface ChartRequest {
  metric: string;
  kind: 'series' | 'response' | 'phase';
  x?: string;
  y?: string;
  /** A swept factor: one line per value; 'none' averages over the other factors, saying so. */
  by?: string;
}

/** Designs that sample factors continuously: their response curves are points and a binned mean, never one line per value. */
const SAMPLED = new Set(['lhs', 'sobol', 'morris']);

/**
 * The charts a result's spec asks for. With `charts:`, those (explicit: only they are
 * drawn). Without, in a sweep, every metric of `metrics:` that `covered` does not
 * claim (drawn already by a chart of its kind and dimensions, e.g. level shares)
 * gets a phase diagram (two or more swept factors) and a response curve; a run's
 * metrics are charted over rounds by the caller.
 */
export function chartRequests(spec: Readonly<Record<string, unknown>> | undefined, parameters: readonly string[], covered: (metric: string) => boolean = () => false): { explicit: boolean; requests: ChartRequest[] } {
  if (Array.isArray(spec?.charts)) return { explicit: true, requests: spec.charts.filter(isRequest) };
  const metrics = Array.isArray(spec?.metrics) ? spec.metrics.filter((m): m is string => typeof m === 'string') : [];
  if (parameters.length === 0) return { explicit: false, requests: [] };
  const requests: ChartRequest[] = [];
  for (const metric of metrics) {
    if (covered(metric)) continue;
    if (parameters.length >= 2) requests.push({ metric, kind: 'phase' });
    requests.push({ metric, kind: 'response' });
  }
  return { explicit: false, requests };
}

function isRequest(v: unknown): v is ChartRequest {
  const r = v as ChartRequest | null;
  return typeof r === 'object' && r !== null && typeof r.metric === 'string' && ['series', 'response', 'phase'].includes(r.kind);
}

export interface ChosenContext {
  /** summary.csv of a sweep (empty for a run). */
  summary: readonly SummaryRow[];
  /** The swept parameters, in the sweep's order. */
  parameters: readonly string[];
  /** The sweep's design (grid, lhs, sobol, morris), from the manifest's spec. */
  design?: string;
  /** Each swept parameter's label and unit (the sweep manifest's `parameters`), for titles. */
  words?: ParameterInfos;
  /** What a metric is: its declaration. */
  info: (metric: string) => MetricInfo;
  /** The over-rounds chart of a metric (kind series), or null when the result has no rounds of it. */
  series: (metric: string) => Chart | null;
}

/** The charts of the requests, in their order, with ids made unique by the axes when one metric is asked for twice. */
export function chosenCharts(requests: readonly ChartRequest[], ctx: ChosenContext): Chart[] {
  const charts: Chart[] = [];
  const ids = new Set<string>();
  const sampled = ctx.design !== undefined ? SAMPLED.has(ctx.design) : false;
  for (const r of requests) {
    const c = oneChart(r, ctx, sampled);
    if (!c) continue;
    let id = c.id;
    for (let k = 2; ids.has(id); k++) id = `${c.id}-${k}`;
    ids.add(id);
    charts.push(id === c.id ? c : { ...c, id });
  }
  return charts;
}

function oneChart(r: ChartRequest, ctx: ChosenContext, sampled: boolean): Chart | null {
  const info = ctx.info(r.metric);
  if (r.kind === 'series') return ctx.series(r.metric);
  const rows = ctx.summary.filter((row) => row.metric === r.metric);
  if (rows.length === 0 || ctx.parameters.length === 0) return null;
  const x = r.x ?? ctx.parameters[0];
  if (r.kind === 'phase') {
    const y = r.y ?? ctx.parameters.find((p) => p !== x);
    if (!y) return null;
    const others = ctx.parameters.filter((p) => p !== x && p !== y);
    const id = `phase-${slug(r.metric)}${r.x || r.y ? `-${slug(x.replace(/^params\./, ''))}-${slug(y.replace(/^params\./, ''))}` : ''}`;
    return phaseDiagramChart(ctx.summary, { x, y, mode: 'metric', metric: r.metric, info, others, parameters: ctx.words, id });
  }
  const by = sampled || r.by === 'none' ? undefined : (r.by ?? ctx.parameters.find((p) => p !== x));
  const others = ctx.parameters.filter((p) => p !== x && p !== by);
  const values = rows.map((row) => Number(row.mean));
  const indicator = isIndicator(info, values);
  const share = info.kind === 'share' || indicator;
  return responseCurveChart(ctx.summary, {
    parameter: x,
    by,
    others,
    sampled,
    lines: [{ metric: r.metric, series: r.metric }],
    colorTitle: 'metric',
    colorScale: { domain: [r.metric], range: [NEUTRAL.dark] },
    yTitle: indicator ? meanTitle(info, values) : `mean final ${meanTitle(info, values)}`,
    shares: share,
    info,
    parameters: ctx.words,
    id: `response-${slug(r.metric)}-${slug(x.replace(/^params\./, ''))}`,
  });
}
