// Charts of one run as it happens (the teaching demo streams rows into them): lines
// over rounds, one panel per issue area, with labelled rules for events (a crisis, a
// nationalist turn, a regime entering into force). Data in, spec out: each spec reads
// a named data set, `rows`, that the page extends with Vega changesets. Event rows
// carry `event` (the label) and are repeated for each panel. The look is chartConfig's
// with every text at `fontSize` (the page's body size, so Large type scales charts too).
import type { Config, TopLevelSpec } from 'vega-lite';
import { NEUTRAL } from './colors.ts';
import { chartConfig, VL_SCHEMA } from './spec.ts';
import { LINE_LEGEND } from './time.ts';

/** The streamed data set's name. */
export const LIVE_DATA = 'rows';

/** One line point: `series` is the level, role or measure the line is of. */
export interface LiveRow {
  round: number;
  panel: string;
  series: string;
  value: number;
}

/** A labelled vertical rule at a round in a panel; `lane` (0, 1, ...) stacks the labels of a panel's events. */
export interface LiveEvent {
  round: number;
  panel: string;
  event: string;
  lane?: number;
}

export interface LiveLayout {
  /** the page's width for the chart, in pixels */
  width: number;
  /** every text's size in pixels (at least the page's body text) */
  fontSize: number;
}

export interface LiveChartOptions extends LiveLayout {
  /** panels in order (issue areas); one panel of its own when there is a single one */
  panels: readonly string[];
  panelTitle: string | null;
  seriesTitle: string | null;
  scale: { domain: string[]; range: string[] };
  yTitle: string;
  /** [0, 1] for shares; undefined: from the data */
  yDomain?: [number, number];
  /** d3 format of the y axis */
  yFormat: string;
  dashes?: number[][];
  interpolate?: 'linear' | 'step-after';
}

/** chartConfig's look with every text at `fontSize` (titles a little larger) and the system font the page uses. */
export function liveConfig(fontSize: number): Config {
  const base = chartConfig();
  const font = 'system-ui, sans-serif';
  return {
    ...base,
    font,
    // room on the right for half of the last round label
    padding: { left: 10, right: Math.ceil(fontSize * 1.3), top: 4, bottom: 4 },
    axis: { ...base.axis, labelFont: font, titleFont: font, labelFontSize: fontSize, titleFontSize: fontSize, labelOverlap: 'greedy' },
    legend: { ...base.legend, labelFont: font, titleFont: font, labelFontSize: fontSize, titleFontSize: fontSize, symbolSize: fontSize * 8, orient: 'bottom', direction: 'horizontal', columns: 0 },
    header: { ...base.header, labelFont: font, titleFont: font, labelFontSize: fontSize + 1, titleFontSize: fontSize, labelFontWeight: 'bold' },
    text: { font, fontSize },
  };
}

/** How many panels fit side by side in `width` at this font size (each needs about 16 em), 1 to `n`. */
export function panelColumns(n: number, layout: LiveLayout): number {
  return Math.max(1, Math.min(n, Math.floor(layout.width / (layout.fontSize * 16))));
}

/**
 * The width of one panel: the page's width shared by the columns, less the y axis
 * (labels and title, about 5 em) and the gaps, so that the whole chart fits.
 */
export function panelWidth(columns: number, layout: LiveLayout): number {
  // one y axis per row (the panels share their scales), the gaps between panels, the padding (on the right, half a round label)
  return Math.max(80, Math.floor((layout.width - layout.fontSize * 6.5 - 30 - (columns - 1) * SPACING) / columns));
}

/** The least height of a panel, in pixels (the y axis's title is cut to it). */
const HEIGHT_MIN = 190;
/** Pixels between panels. */
const SPACING = 14;

/** Lines over rounds, one panel per entry of `panels` (wrapped into as many columns as fit), with labelled event rules. */
export function liveLinesChart(o: LiveChartOptions, values: readonly (LiveRow | LiveEvent)[] = []): TopLevelSpec {
  const columns = panelColumns(o.panels.length, o);
  const width = panelWidth(columns, o);
  const height = Math.round(Math.max(HEIGHT_MIN, Math.min(240, width * 0.62)));
  const x = {
    field: 'round',
    type: 'quantitative' as const,
    title: 'round',
    scale: { domainMin: 0, nice: false, zero: true },
    // labelFlush: the last label ends at the axis's end, inside the chart
    axis: { format: 'd', tickMinStep: 1, labelFlush: true, tickCount: Math.max(2, Math.floor(width / (o.fontSize * 4))) },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: o.yTitle,
    scale: o.yDomain ? { domain: o.yDomain } : { zero: false, nice: true },
    axis: { format: o.yFormat, tickCount: 4, titleLimit: height },
  };
  const color = { field: 'series', type: 'nominal' as const, title: o.seriesTitle, scale: o.scale, sort: o.scale.domain, legend: { ...LINE_LEGEND, labelLimit: o.width, columns: Math.max(1, Math.min(o.scale.domain.length, Math.floor(o.width / (o.fontSize * 9)))) } };
  const lines = {
    transform: [{ filter: 'isValid(datum.value)' }],
    mark: { type: 'line' as const, interpolate: o.interpolate ?? 'linear', strokeWidth: 2.5 },
    encoding: {
      x,
      y,
      color,
      ...(o.dashes ? { strokeDash: { field: 'series', type: 'nominal' as const, scale: { domain: o.scale.domain, range: o.dashes }, sort: o.scale.domain } } : {}),
    },
  };
  const events = { filter: 'isValid(datum.event)' };
  // each panel carries an unlabelled event at round 0, drawn invisible: an event layer is never empty (no infinite extent)
  const hidden = { condition: { test: "datum.event === ''", value: 0 }, value: 1 };
  const rule = {
    transform: [events],
    mark: { type: 'rule' as const, color: '#8a2460', strokeWidth: 2, strokeDash: [6, 3] },
    encoding: { x: { field: 'round', type: 'quantitative' as const }, opacity: hidden },
  };
  // a label is clipped to its panel, so that it never widens the chart; stacked by `lane`, so that labels
  // never overlap; on the right of its rule in the left half of the rounds so far, else on the left
  const label = (right: boolean) => ({
    transform: [
      { joinaggregate: [{ op: 'max' as const, field: 'round', as: 'last' }], groupby: ['panel'] },
      events,
      // the invisible anchor in both, so that neither is ever empty
      { filter: right ? "datum.event === '' || datum.round > datum.last / 2" : 'datum.round <= datum.last / 2' },
      { calculate: `(datum.lane || 0) * ${Math.round(o.fontSize * 1.2)}`, as: 'labelY' },
    ],
    mark: { type: 'text' as const, color: '#8a2460', align: right ? ('right' as const) : ('left' as const), baseline: 'top' as const, dx: right ? -4 : 4, dy: 2, fontSize: o.fontSize, fontWeight: 'bold' as const, clip: true },
    encoding: { x: { field: 'round', type: 'quantitative' as const }, y: { field: 'labelY', type: 'quantitative' as const, scale: null }, text: { field: 'event', type: 'nominal' as const }, opacity: hidden },
  });
  const head = {
    $schema: VL_SCHEMA,
    config: liveConfig(o.fontSize),
    data: { name: LIVE_DATA, values: [...o.panels.map((panel): LiveEvent => ({ round: 0, panel, event: '' })), ...values] },
  };
  const layer = [lines, rule, label(false), label(true)];
  // one panel: a plain layered chart, no facet header
  if (o.panels.length === 1) return { ...head, width, height, layer } as TopLevelSpec;
  return {
    ...head,
    facet: { field: 'panel', type: 'nominal', title: o.panelTitle, sort: [...o.panels], header: { labelPadding: 2 } },
    columns,
    spacing: { column: SPACING, row: Math.round(o.fontSize * 0.8) },
    spec: { width, height, layer },
    // every panel has its round axis (the panels may wrap into rows)
    resolve: { axis: { x: 'independent' } },
  } as TopLevelSpec;
}

/** The share of states at each level over rounds, a panel per issue area; levels as the model declares them (labels, colours). */
export function liveLevelChart(areas: readonly string[], levels: { domain: string[]; range: string[] }, layout: LiveLayout, values: readonly (LiveRow | LiveEvent)[] = []): TopLevelSpec {
  return liveLinesChart({ ...layout, panels: areas, panelTitle: null, seriesTitle: 'level', scale: levels, yTitle: 'share of states', yDomain: [0, 1], yFormat: '.0%', interpolate: 'step-after' }, values);
}

/** Provision against need over rounds, a panel per issue area (their `unit`: a share of full provision). */
export function liveProvisionChart(areas: readonly string[], unit: string, layout: LiveLayout, values: readonly (LiveRow | LiveEvent)[] = []): TopLevelSpec {
  return liveLinesChart(
    {
      ...layout,
      panels: areas,
      panelTitle: null,
      seriesTitle: null,
      scale: { domain: ['provision', 'need'], range: [NEUTRAL.mid, NEUTRAL.dark] },
      dashes: [[1, 0], [6, 3]],
      yTitle: unit,
      yFormat: '.2~f',
      interpolate: 'step-after',
    },
    values,
  );
}

/** Welfare by role over rounds, one panel; roles as the model declares them. */
export function liveWelfareChart(roles: { domain: string[]; range: string[] }, unit: string, layout: LiveLayout, values: readonly (LiveRow | LiveEvent)[] = []): TopLevelSpec {
  return liveLinesChart({ ...layout, panels: ['all states'], panelTitle: null, seriesTitle: 'role', scale: roles, yTitle: unit, yFormat: '.3~s' }, values);
}
