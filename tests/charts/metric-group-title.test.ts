// A chart of metrics that are one quantity by issue area is titled with the words
// their declared descriptions share (not with their unit), its panels follow the
// model's order of issue areas, and it has no legend of identical grey names.
import { describe, expect, it } from 'vitest';
import { metricGroupChart } from '../../src/charts/metric.ts';
import type { SeriesRow } from '../../src/charts/types.ts';
import { declaredOutcomesOf } from './helpers.ts';

describe('a chart of one quantity by issue area', () => {
  const outcomes = declaredOutcomesOf('migration-governance');
  const group = ['refugee_in_force', 'irregular_in_force', 'skilled_in_force'].map((n) => outcomes.metrics.find((m) => m.name === n)!);
  const series: SeriesRow[] = group.flatMap((m) => [0, 1, 2].flatMap((r) => [0, 10].map((round) => ({ replication: r, seed: `s${r}`, round, metric: m.name, value: round === 0 ? 0 : r % 2 }))));
  const c = metricGroupChart(series, group, outcomes.vocabularies);
  it('is titled with what the descriptions share: an indicator as the share of runs in which it holds', () => {
    expect(c.title).toBe('Share of runs in which the regime is in force, over rounds, per issue area');
  });
  it('keeps the declared order of issue areas and draws no legend of metric names', () => {
    const spec = c.spec as unknown as { facet: { column: { sort: string[] } }; spec: { layer: { encoding: { color: { legend?: unknown } } }[] } };
    expect(spec.facet.column.sort).toEqual(['refugee', 'irregular', 'skilled']);
    for (const layer of spec.spec.layer) expect(layer.encoding.color.legend).toBeNull();
  });
});
