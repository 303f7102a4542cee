// The chart every declared metric gets when no chart of its kind and dimensions
// applies: its value over rounds, the mean over replications with the t-based 95 %
// CI band, the y-axis titled with the metric's description and unit. Metrics that
// are one quantity broken down by dimensions (the same kind, unit and dimensions,
// told apart by their dimension values: a regime in force per issue area, burden per
// issue area and role) share one chart, a panel per issue area and a line per role,
// level or strategy. A new model's own metrics are charted by these with no change
// to src/charts/.
import type { TopLevelSpec } from 'vega-lite';
import { DIMENSIONS, type Dimension, type MetricDeclaration, type Term, type Vocabularies } from '../engine/model.ts';
import { NEUTRAL } from './colors.ts';
import { axisTitle, termScale } from './outcomes.ts';
import { chart, ciSentence, header, r10, replicationsPhrase, slug } from './spec.ts';
import { aggregateSeries, bounds } from './stats.ts';
import type { Chart, SeriesRow } from './types.ts';

/** One declared metric over rounds: mean over replications with its 95 % CI band. */
export function metricOverRoundsChart(series: readonly SeriesRow[], metric: MetricDeclaration): Chart {
  const { byMetric, heldOver, replications } = aggregateSeries(series, new Set([metric.name]));
  const clip: [number, number] | undefined = metric.kind === 'share' || metric.kind === 'indicator' ? [0, 1] : metric.kind === 'count' ? [0, Infinity] : undefined;
  const values = (byMetric.get(metric.name) ?? []).map((p) => {
    const b = bounds(p, clip);
    return { round: p.round, mean: r10(p.mean), lo: b ? r10(b.lo) : null, hi: b ? r10(b.hi) : null, n: p.n };
  });
  if (values.length === 0) throw new Error(`metricOverRoundsChart: no rows of ${metric.name} in the series`);
  const hasCi = values.some((v) => v.lo !== null);
  const yTitle = axisTitle(metric);
  const y = { type: 'quantitative' as const, title: yTitle, ...(clip && clip[1] === 1 ? { scale: { domain: [0, 1] } } : {}) };
  const x = { field: 'round', type: 'quantitative' as const, title: 'round (revision rounds)', scale: { nice: false } };
  const title = `${metric.description[0].toUpperCase()}${metric.description.slice(1)}, over rounds`;
  const caption =
    `${metric.description[0].toUpperCase()}${metric.description.slice(1)} (${metric.name}, in ${metric.unit}), round by round: the mean over ${replicationsPhrase(replications)}. ` +
    ciSentence(replications) +
    (heldOver ? ' Runs that stopped early are held at their last recorded value.' : '');
  const layer: object[] = [];
  if (hasCi) {
    layer.push({ name: 'band', transform: [{ filter: 'isValid(datum.lo)' }], mark: { type: 'area', fillOpacity: 0.22, color: NEUTRAL.mid }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } });
  }
  layer.push({ name: 'mean', mark: { type: 'line', strokeWidth: 2, color: NEUTRAL.dark }, encoding: { x, y: { ...y, field: 'mean' } } });
  layer.push({
    name: 'points',
    mark: { type: 'point', filled: true, size: 14, color: NEUTRAL.dark },
    encoding: {
      x,
      y: { ...y, field: 'mean' },
      tooltip: [
        { field: 'round', type: 'quantitative', title: 'round' },
        { field: 'mean', type: 'quantitative', title: `mean (${metric.unit})`, format: '.4g' },
        { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.4g' },
        { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.4g' },
        { field: 'n', type: 'quantitative', title: 'replications' },
      ],
    },
  });
  const spec = { ...header(title, `mean of ${replicationsPhrase(replications)}${hasCi ? ' with 95 % CI band' : ''}`, caption), data: { values }, width: 360, height: 220, layer } as TopLevelSpec;
  return chart(`metric-${slug(metric.name)}`, title, caption, spec);
}

/**
 * Declared metrics that are one quantity broken down by their dimensions: the same
 * kind, unit and set of dimensions, and no two with the same dimension values (so
 * each is told apart by its dimensions alone). Others stay alone. In first-seen order.
 */
export function metricGroups(metrics: readonly MetricDeclaration[]): MetricDeclaration[][] {
  const keys = (m: MetricDeclaration) => DIMENSIONS.filter((k) => m.dimensions?.[k] !== undefined);
  const groupKey = (m: MetricDeclaration) => JSON.stringify([m.kind, m.unit, keys(m)]);
  const byKey = new Map<string, MetricDeclaration[]>();
  for (const m of metrics) {
    const k = groupKey(m);
    const g = byKey.get(k);
    if (g) g.push(m);
    else byKey.set(k, [m]);
  }
  const out: MetricDeclaration[][] = [];
  for (const g of byKey.values()) {
    const at = new Set(g.map((m) => JSON.stringify(keys(m).map((k) => m.dimensions![k]))));
    if (g.length > 1 && keys(g[0]).length > 0 && at.size === g.length) out.push(g);
    else for (const m of g) out.push([m]);
  }
  // in the order of each group's first metric
  const first = new Map(metrics.map((m, i) => [m.name, i]));
  return out.sort((a, b) => first.get(a[0].name)! - first.get(b[0].name)!);
}

const DIMENSION_WORDS: Record<Dimension, string> = { issueArea: 'issue area', level: 'level', role: 'role', strategy: 'strategy' };

/**
 * A group of metrics (metricGroups) over rounds: one panel per issue area when
 * they have one, one line per value of their other varying dimension (coloured by
 * its declared terms), each the mean over replications with its 95 % CI band.
 */
export function metricGroupChart(series: readonly SeriesRow[], group: readonly MetricDeclaration[], vocabularies: Vocabularies): Chart {
  if (group.length === 1) return metricOverRoundsChart(series, group[0]);
  const first = group[0];
  const dims = DIMENSIONS.filter((k) => first.dimensions?.[k] !== undefined);
  const varying = dims.filter((k) => new Set(group.map((m) => m.dimensions![k])).size > 1);
  const panelDim = varying.includes('issueArea') ? 'issueArea' : undefined;
  const colourDim = varying.find((k) => k !== 'issueArea');
  const vocab: Record<Dimension, readonly Term[] | undefined> = { issueArea: vocabularies.issueAreas, level: vocabularies.levels, role: vocabularies.roles, strategy: vocabularies.strategies };
  const labelOf = (k: Dimension, id: string) => vocab[k]?.find((t) => t.id === id)?.label ?? id;
  const { byMetric, heldOver, replications } = aggregateSeries(series, new Set(group.map((m) => m.name)));
  const clip: [number, number] | undefined = first.kind === 'share' || first.kind === 'indicator' ? [0, 1] : first.kind === 'count' ? [0, Infinity] : undefined;
  const values = group.flatMap((m) =>
    (byMetric.get(m.name) ?? []).map((p) => {
      const b = bounds(p, clip);
      return {
        metric: m.name,
        description: m.description,
        panel: panelDim ? labelOf(panelDim, m.dimensions![panelDim]!) : '',
        series: colourDim ? labelOf(colourDim, m.dimensions![colourDim]!) : m.name,
        round: p.round,
        mean: r10(p.mean),
        lo: b ? r10(b.lo) : null,
        hi: b ? r10(b.hi) : null,
        n: p.n,
      };
    }),
  );
  if (values.length === 0) throw new Error(`metricGroupChart: no rows of ${group.map((m) => m.name).join(', ')} in the series`);
  const hasCi = values.some((v) => v.lo !== null);
  const seriesIds = [...new Set(group.map((m) => (colourDim ? m.dimensions![colourDim]! : m.name)))];
  const terms: Term[] = colourDim ? seriesIds.map((id) => vocab[colourDim]?.find((t) => t.id === id) ?? { id, label: id }) : seriesIds.map((id) => ({ id, label: id, color: NEUTRAL.dark }));
  const scale = termScale(terms);
  const colorTitle = colourDim ? DIMENSION_WORDS[colourDim] : 'metric';
  // the mean of a 0/1 indicator over replications is a share of runs, not an indicator
  const yTitle = first.kind === 'indicator' ? 'share of runs (0-1)' : first.unit;
  const y = { type: 'quantitative' as const, title: yTitle, ...(clip && clip[1] === 1 ? { scale: { domain: [0, 1] } } : {}) };
  const x = { field: 'round', type: 'quantitative' as const, title: 'round (revision rounds)', scale: { nice: false } };
  // one metric per panel: the panel names its issue area and the caption the metric, so a legend of grey names would say nothing
  const color = { field: 'series', type: 'nominal' as const, title: colorTitle, scale, sort: scale.domain, ...(colourDim ? {} : { legend: null }) };
  // panels in the model's declared order of issue areas, not alphabetical
  const panels = [...new Set(values.map((v) => v.panel))];
  const layer: object[] = [];
  if (hasCi) layer.push({ name: 'band', transform: [{ filter: 'isValid(datum.lo)' }], mark: { type: 'area', fillOpacity: 0.22 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } });
  layer.push({ name: 'mean', mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'mean' }, color } });
  layer.push({
    name: 'points',
    mark: { type: 'point', filled: true, size: 14 },
    encoding: {
      x,
      y: { ...y, field: 'mean' },
      color,
      tooltip: [
        { field: 'metric', type: 'nominal', title: 'metric' },
        { field: 'description', type: 'nominal', title: 'meaning' },
        { field: 'round', type: 'quantitative', title: 'round' },
        { field: 'mean', type: 'quantitative', title: `mean (${first.unit})`, format: '.4g' },
        { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.4g' },
        { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.4g' },
        { field: 'n', type: 'quantitative', title: 'replications' },
      ],
    },
  });
  const by = [panelDim ? 'per issue area' : '', colourDim ? `by ${DIMENSION_WORDS[colourDim]}` : ''].filter(Boolean).join(', ');
  const common = commonDescription(group, vocab);
  // an indicator's mean over replications is the share of them in which it holds
  const what = common ? (first.kind === 'indicator' ? `share of runs in which ${common.replace(/^1\s+(when|if|while|where)\s+/i, '')}` : common) : first.unit;
  const title = `${what[0].toUpperCase()}${what.slice(1)}, over rounds${by ? `, ${by}` : ''}`;
  const caption =
    `${group.map((m) => `${m.name}: ${m.description}`).join('; ')} (${first.unit}), round by round: the mean over ${replicationsPhrase(replications)}. ` +
    ciSentence(replications) +
    (heldOver ? ' Runs that stopped early are held at their last recorded value.' : '');
  const inner = { width: 220, height: 170, layer };
  const spec = (
    panelDim
      ? { ...header(title, `mean of ${replicationsPhrase(replications)}${hasCi ? ' with 95 % CI band' : ''}`, caption), data: { values }, facet: { column: { field: 'panel', type: 'nominal', title: 'issue area', sort: panels } }, spec: inner }
      : { ...header(title, `mean of ${replicationsPhrase(replications)}${hasCi ? ' with 95 % CI band' : ''}`, caption), data: { values }, ...inner, width: 360 }
  ) as TopLevelSpec;
  return chart(`metrics-${slug(first.name)}-and-${group.length - 1}-more`, title, caption, spec);
}

const PREPOSITIONS = new Set(['in', 'of', 'for', 'to', 'the']);

/**
 * What the metrics of a group are, in their declared words: the description they share
 * once each one's dimension values (their ids and labels, as its dimensions declare
 * them) are left out, with the preposition before such a value ("in refugee" -> ""),
 * and only when every description gives the same sentence that way; else undefined.
 * A value that is not after a preposition or article ("whose main role is origin")
 * would leave a broken sentence, so such a group keeps its unit as its title.
 */
function commonDescription(group: readonly MetricDeclaration[], vocab: Record<Dimension, readonly Term[] | undefined>): string | undefined {
  const sentences = group.map((m) => {
    const values = new Set<string>();
    for (const [k, id] of Object.entries(m.dimensions ?? {}) as [Dimension, string | undefined][]) {
      if (id === undefined) continue;
      values.add(id.toLowerCase());
      const label = vocab[k]?.find((t) => t.id === id)?.label;
      if (label) values.add(label.toLowerCase());
    }
    const out: string[] = [];
    for (const word of m.description.split(' ')) {
      const core = word.replace(/[:;,.()]+$/, '');
      if (!values.has(core.toLowerCase())) {
        out.push(word);
        continue;
      }
      const before = out[out.length - 1]?.toLowerCase();
      if (before === undefined || !PREPOSITIONS.has(before)) return undefined;
      if (before !== 'the') out.pop();
      const trail = word.slice(core.length);
      if (trail && out.length > 0) out[out.length - 1] += trail;
    }
    return out.join(' ');
  });
  const first = sentences[0];
  return first && first.split(' ').length >= 3 && sentences.every((x) => x === first) ? first : undefined;
}
