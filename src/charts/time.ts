// Charts over rounds: level shares per issue area, the level mix per role as
// stacked areas, and strategy shares for the textbook models. Each averages the
// replications in its data preparation (mean and t-based 95 % CI at each round).
import type { TopLevelSpec } from 'vega-lite';
import { strategyScale } from './colors.ts';
import { type LevelView, type RoleView, termScale } from './outcomes.ts';
import { chart, ciSentence, header, r10, replicationsPhrase } from './spec.ts';
import { aggregateSeries, bounds, type SeriesPoint } from './stats.ts';
import type { Chart, SeriesRow } from './types.ts';

const ROUND_AXIS = { title: 'round (revision rounds)' };
/** Legend entries drawn as thick strokes, the look of the mean lines (not of the pale CI bands). */
export const LINE_LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 };

function heldSentence(held: boolean): string {
  return held ? ' Runs that stopped early are held at their last recorded value.' : '';
}

interface BandRow {
  round: number;
  mean: number;
  lo: number | null;
  hi: number | null;
  n: number;
}

function bandRow(p: SeriesPoint): BandRow {
  const b = bounds(p, [0, 1]);
  return { round: p.round, mean: r10(p.mean), lo: b ? r10(b.lo) : null, hi: b ? r10(b.hi) : null, n: p.n };
}

/** Mean line, points with tooltips and (when any CI exists) the CI band, coloured by `colorField`. */
function bandLayers(
  yTitle: string,
  colorField: string,
  colorTitle: string,
  scale: { domain: string[]; range: string[] },
  hasCi: boolean,
  extraTooltip: { field: string; title: string }[],
) {
  const x = { field: 'round', type: 'quantitative' as const, title: ROUND_AXIS.title, scale: { nice: false } };
  const color = { field: colorField, type: 'nominal' as const, title: colorTitle, scale, sort: scale.domain };
  const layers = [];
  if (hasCi) {
    layers.push({
      name: 'band',
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'area' as const, fillOpacity: 0.22 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' as const, title: yTitle, scale: { domain: [0, 1] } }, y2: { field: 'hi' }, color },
    });
  }
  layers.push({
    name: 'mean',
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: { x, y: { field: 'mean', type: 'quantitative' as const, title: yTitle, scale: { domain: [0, 1] }, axis: { format: '.0%' } }, color: { ...color, legend: LINE_LEGEND } },
  });
  layers.push({
    name: 'points',
    mark: { type: 'point' as const, filled: true, size: 14 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative' as const },
      color,
      tooltip: [
        ...extraTooltip.map((t) => ({ field: t.field, type: 'nominal' as const, title: t.title })),
        { field: colorField, type: 'nominal' as const, title: colorTitle },
        { field: 'round', type: 'quantitative' as const, title: 'round' },
        { field: 'mean', type: 'quantitative' as const, title: 'mean share', format: '.3f' },
        { field: 'lo', type: 'quantitative' as const, title: '95 % CI low', format: '.3f' },
        { field: 'hi', type: 'quantitative' as const, title: '95 % CI high', format: '.3f' },
        { field: 'n', type: 'quantitative' as const, title: 'replications' },
      ],
    },
  });
  return layers;
}

/**
 * Share of states at each level (U, C, M) over rounds, one panel per issue area:
 * the mean across replications with its 95 % CI band (t-based; none with one replication).
 */
export function levelSharesChart(series: readonly SeriesRow[], view: LevelView): Chart {
  const { areas, levels } = view;
  if (areas.length === 0) throw new Error('levelSharesChart: no share metrics declared with an issue area and a level');
  const wanted = new Set(areas.flatMap((a) => levels.map((l) => view.metric(a, l.id))));
  const { byMetric, heldOver, replications } = aggregateSeries(series, wanted);
  const values = areas.flatMap((area) =>
    levels.flatMap((level) => (byMetric.get(view.metric(area, level.id)) ?? []).map((p) => ({ area, level: level.label, ...bandRow(p) }))),
  );
  const hasCi = values.some((v) => v.lo !== null);
  const title = 'Governance level over rounds, per issue area';
  const caption =
    `Share of states governing each issue area unilaterally (U), in a club (C) or multilaterally (M), round by round: the mean over ${replicationsPhrase(replications)}. ` +
    ciSentence(replications) +
    heldSentence(heldOver);
  const spec: TopLevelSpec = {
    ...header(title, `mean of ${replicationsPhrase(replications)}${hasCi ? ' with 95 % CI band' : ''}`, caption),
    data: { values },
    facet: { column: { field: 'area', type: 'nominal', title: 'issue area', sort: [...areas] } },
    spec: { width: 220, height: 170, layer: bandLayers('share of states', 'level', 'level', termScale(levels), hasCi, [{ field: 'area', title: 'issue area' }]) },
  };
  return chart('level-shares', title, caption, spec);
}

/**
 * The level mix within each role over rounds, as stacked areas (U at the bottom, M
 * on top), one panel per issue area (rows) and role (columns): the mean across
 * replications of <area>_<level>_<role> (share of that role's weight at the level).
 */
export function levelAreasByRoleChart(series: readonly SeriesRow[], view: RoleView): Chart {
  const { areas, levels, roles } = view;
  if (areas.length === 0) throw new Error('levelAreasByRoleChart: no share metrics declared with an issue area, a level and a role');
  const wanted = new Set(areas.flatMap((a) => levels.flatMap((l) => roles.map((r) => view.roleMetric(a, l.id, r.id)))));
  const { byMetric, heldOver, replications } = aggregateSeries(series, wanted);
  const values = areas.flatMap((area) =>
    roles.flatMap((role) =>
      levels.flatMap((level, order) =>
        (byMetric.get(view.roleMetric(area, level.id, role.id)) ?? []).map((p) => ({ area, role: role.label, level: level.label, order, round: p.round, mean: r10(p.mean), n: p.n })),
      ),
    ),
  );
  const title = 'Level mix by role over rounds';
  const caption =
    `For each issue area (rows) and role (columns), the share of that role's weight governing unilaterally (U), in a club (C) or multilaterally (M), stacked, round by round: the mean over ${replicationsPhrase(replications)}` +
    ` (mixed-role states count towards each role by their weight).` +
    heldSentence(heldOver);
  const scale = termScale(levels);
  const spec: TopLevelSpec = {
    ...header(title, `mean of ${replicationsPhrase(replications)}`, caption),
    data: { values },
    // the y title once, as the rows' title: a title on the panels' axis would repeat in every row and run into the row labels
    facet: {
      row: { field: 'area', type: 'nominal', title: "share of the role's states, per issue area", sort: [...areas], header: { labelAngle: 0, labelAlign: 'left', labelLimit: 120 } },
      column: { field: 'role', type: 'nominal', title: 'role', sort: roles.map((r) => r.label) },
    },
    spec: {
      width: 180,
      height: 120,
      name: 'stack',
      mark: { type: 'area', point: 'transparent', opacity: 0.9 },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: ROUND_AXIS.title, scale: { nice: false } },
        y: { field: 'mean', type: 'quantitative', stack: 'zero', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 4 } },
        color: { field: 'level', type: 'nominal', title: 'level', scale, sort: scale.domain },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [
          { field: 'area', type: 'nominal', title: 'issue area' },
          { field: 'role', type: 'nominal', title: 'role' },
          { field: 'level', type: 'nominal', title: 'level' },
          { field: 'round', type: 'quantitative', title: 'round' },
          { field: 'mean', type: 'quantitative', title: 'mean share', format: '.3f' },
          { field: 'n', type: 'quantitative', title: 'replications' },
        ],
      },
    },
  };
  return chart('level-by-role', title, caption, spec);
}

/** A strategy spelled out (the model's declared label, e.g. "C cooperator"), and its colour when declared. */
export interface StrategyTerm {
  id: string;
  label: string;
  color?: string;
}

/**
 * Strategy shares over rounds for the textbook models: mean across replications with
 * the 95 % CI band. `terms` spell the strategies out in the legend (the model's
 * declared labels and colours); a strategy without one is shown by its name.
 */
export function strategySharesChart(
  series: readonly SeriesRow[],
  strategyNames: readonly string[],
  model = '',
  terms: readonly StrategyTerm[] = [],
  metricOf: (strategy: string) => string = (strategy) => `share_${strategy}`,
): Chart {
  if (strategyNames.length === 0) throw new Error('strategySharesChart: no share_<strategy> metrics in the series');
  const { byMetric, heldOver, replications } = aggregateSeries(series, new Set(strategyNames.map(metricOf)));
  const labelOf = (s: string) => terms.find((t) => t.id === s)?.label ?? s;
  const values = strategyNames.flatMap((s) => (byMetric.get(metricOf(s)) ?? []).map((p) => ({ strategy: labelOf(s), ...bandRow(p) })));
  const hasCi = values.some((v) => v.lo !== null);
  const palette = strategyScale(strategyNames);
  const scale = { domain: strategyNames.map(labelOf), range: strategyNames.map((s, i) => terms.find((t) => t.id === s)?.color ?? palette.range[i]) };
  const title = `Strategy shares over rounds${model ? ` (${model})` : ''}`;
  const caption =
    `Share of the population playing each strategy (${strategyNames.map(labelOf).join(', ')}), round by round: the mean over ${replicationsPhrase(replications)}. ` +
    ciSentence(replications) +
    heldSentence(heldOver);
  const spec: TopLevelSpec = {
    ...header(title, `mean of ${replicationsPhrase(replications)}${hasCi ? ' with 95 % CI band' : ''}`, caption),
    data: { values },
    width: 420,
    height: 240,
    layer: bandLayers('share of the population', 'strategy', 'strategy', scale, hasCi, []),
  };
  return chart('strategy-shares', title, caption, spec);
}
