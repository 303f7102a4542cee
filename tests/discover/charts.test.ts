// The discover charts (src/charts/discover.ts), rendered by the project's renderer,
// are legible as every other chart (tests/report/legibility.test.ts): every text at
// least MIN_FONT_SIZE px, no two texts overlapping; and they show what they say: the
// trade-off chart has a point per trajectory box, the box-limits chart a row per
// restricted factor of each reported box.
import { describe, expect, it } from 'vitest';
import { discoverCharts } from '../../src/charts/discover.ts';
import { MIN_FONT_SIZE } from '../../src/charts/spec.ts';
import type { DiscoverySummary } from '../../src/discover/data.ts';
import { prim } from '../../src/discover/prim.ts';
import { createRng } from '../../src/engine/rng.ts';
import { renderChart } from '../../src/report/render.ts';
import { overlaps, textBoxes } from '../report/svg-text.ts';

function summary(): DiscoverySummary {
  const n = 2000;
  const rng = createRng('discover-charts');
  const x = Array.from({ length: 3 }, () => new Float64Array(n));
  const codes = new Int32Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const v of x) v[i] = rng();
    codes[i] = Math.floor(rng() * 3);
    y[i] = (x[0][i] > 0.6 && codes[i] !== 2) || (x[1][i] < 0.15 && x[2][i] < 0.3) ? 1 : 0;
  }
  const r = prim(
    {
      factors: [
        { name: 'params.mechanisms.norms', kind: 'numeric', values: x[0] },
        { name: 'params.transactionCost.M', kind: 'numeric', values: x[1] },
        { name: 'protocol.temperature', kind: 'numeric', values: x[2] },
        { name: 'params.clubs.kind', kind: 'categorical', categories: ['regional', 'bilateral', 'plurilateral'], codes },
      ],
      y,
    },
    { threshold: 0.8, resamples: 5, massMin: 0.02 },
  );
  const trajectory = r.boxes.flatMap((b, i) => b.trajectory.map((t) => ({ box: i + 1, ...t, reported: t.step === b.chosenStep })));
  return { method: 'prim', where: 'refugee_in_force == 1 and refugee_gap < 0.2', runs: r.runs, runsOfInterest: r.runsOfInterest, options: {}, boxes: r.boxes, trajectory, resamples: 5, restrictionFrequency: r.restrictionFrequency };
}

describe('discover charts', () => {
  it('are legible and show every trajectory box and every restricted factor', async () => {
    const d = summary();
    expect(d.boxes.length).toBeGreaterThanOrEqual(2);
    const charts = discoverCharts(d);
    expect(charts.map((c) => c.id)).toEqual(['discover-tradeoff', 'discover-box-limits']);
    const rendered = [];
    for (const c of charts) rendered.push({ chart: c, svg: (await renderChart(c)).svg });
    for (const r of rendered) {
      const boxes = textBoxes(r.svg);
      expect(boxes.filter((b) => b.fontSize < MIN_FONT_SIZE).map((b) => `${r.chart.id}: "${b.text}" at ${b.fontSize} px`)).toEqual([]);
      expect(overlaps(boxes).map(([a, b]) => `${r.chart.id}: "${a.text}" overlaps "${b.text}"`)).toEqual([]);
    }
    const tradeoff = charts[0].spec as { data: { values: unknown[] } };
    expect(tradeoff.data.values).toHaveLength(d.trajectory.length);
    const limits = charts[1].spec as { data: { values: { row: string }[] } };
    const restricted = d.boxes.reduce((s, b) => s + b.restricted.length, 0);
    expect(limits.data.values).toHaveLength(restricted);
    expect(limits.data.values.some((v) => v.row.includes('params.clubs.kind'))).toBe(true);
  }, 60_000);
});
