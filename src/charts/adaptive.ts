// The chart of an adaptive sweep (`design: adaptive`, src/sweep/adaptive.ts): every
// point the search ran, coloured by its decided class, over the first two factors
// (one factor: its share of runs in the class), with the cells the boundary runs
// through drawn as boxes. Plain data in, spec out.
import type { Chart } from './types.ts';
import { chart, header } from './spec.ts';

export interface AdaptiveChartData {
  readonly className: string;
  readonly factors: readonly string[];
  readonly points: readonly { readonly values: readonly number[]; readonly cls: string; readonly share: number; readonly runs: number }[];
  readonly cells: readonly { readonly low: readonly number[]; readonly high: readonly number[]; readonly status: string }[];
  readonly runs: number;
  readonly gridRuns: number;
}

const CLASS_COLOURS = { domain: ['in', 'out', 'mixed', 'open'], range: ['#1b7837', '#762a83', '#e08214', '#999999'] };

export function adaptiveChart(d: AdaptiveChartData): Chart {
  const two = d.factors.length >= 2;
  const title = `Where "${d.className}" changes: the adaptive search`;
  const caption =
    `Each mark is a point the search ran (${d.points.length} points, ${d.runs} runs; a full grid at the same resolution: ${d.gridRuns} runs), coloured by its class; ` +
    (d.cells.length === 0 ? 'no cell straddles a change of class: every point decided is of one class.' : `${two ? 'boxes' : 'bands'} are the ${d.cells.length} cells the boundary runs through (boundary.csv).`) +
    (d.factors.length > 2 ? ` The third factor (${d.factors[2]}) is not drawn: points and cells at all its values are shown over the first two.` : '');
  const values = d.points.map((p) => ({ x: p.values[0], y: two ? p.values[1] : p.share, cls: p.cls, share: p.share, runs: p.runs }));
  const cells = d.cells.map((c) => ({ x: c.low[0], x2: c.high[0], y: two ? c.low[1] : 0, y2: two ? c.high[1] : 1, status: c.status }));
  const x = { field: 'x', type: 'quantitative', title: d.factors[0], scale: { zero: false, nice: false } };
  const y = two ? { field: 'y', type: 'quantitative', title: d.factors[1], scale: { zero: false, nice: false } } : { field: 'y', type: 'quantitative', title: 'share of runs in the class', scale: { domain: [0, 1] } };
  return chart('adaptive-boundary', title, caption, {
    ...header(title, `${d.points.length} points, ${d.runs} runs`, caption, 560),
    width: 560,
    height: two ? 560 : 300,
    layer: [
      // no cells (one class everywhere): no layer, since an empty one has no extent to draw
      ...(cells.length === 0 ? [] : [{
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.25, color: '#e08214', stroke: '#e08214', strokeWidth: 0.5 },
        encoding: { x: { field: 'x', type: 'quantitative' }, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative' }, y2: { field: 'y2' } },
      }]),
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: 'cls', type: 'nominal', title: 'class', scale: CLASS_COLOURS },
          tooltip: [
            { field: 'x', type: 'quantitative', title: d.factors[0] },
            ...(two ? [{ field: 'y', type: 'quantitative', title: d.factors[1] }] : []),
            { field: 'share', type: 'quantitative', format: '.2f', title: 'share in class' },
            { field: 'runs', type: 'quantitative' },
            { field: 'cls', type: 'nominal', title: 'class' },
          ],
        },
      },
    ],
  } as never);
}
