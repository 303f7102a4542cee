// The chart every declared metric gets when no chart of its kind and dimensions
// applies: its value over rounds, the mean over replications with the t-based 95 %
// CI band, the y-axis titled with the metric's description and unit. A new model's
// own metrics are charted by this with no change to src/charts/.
import type { TopLevelSpec } from 'vega-lite';
import type { MetricDeclaration } from '../engine/model.ts';
import { NEUTRAL } from './colors.ts';
import { axisTitle } from './outcomes.ts';
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
