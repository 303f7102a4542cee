// The U/C/M simplex: each run's (or design point's) final level shares (u, c, m),
// u + c + m = 1, as a point in an equilateral triangle. Vega-Lite has no ternary
// mark, so the builder projects the shares to the plane itself and draws the
// triangle's edges and vertex labels as data:
//   U = (0, 0), C = (1, 0), M = (1/2, sqrt(3)/2);  x = c + m/2,  y = m sqrt(3)/2
// (barycentric coordinates; a point's distance from the edge opposite a vertex is
// proportional to that level's share).
import type { TopLevelSpec } from 'vega-lite';
import type { Term } from '../engine/model.ts';
import { NEUTRAL } from './colors.ts';
import { termScale } from './outcomes.ts';

/** The corners, in the order of a point's (u, c, m). */
type Level = 'U' | 'C' | 'M';
const LEVELS: readonly Level[] = ['U', 'C', 'M'];
import { chart, fieldRef, FONT_SIZE, header, r10 } from './spec.ts';
import type { Chart } from './types.ts';

export interface SimplexPoint {
  u: number;
  c: number;
  m: number;
  /** Panel (issue area); one panel when all are the same. */
  panel: string;
  /** What the point is: "replication 3" or "design point 12". */
  label: string;
  /** Extra fields shown in the tooltip (e.g. parameter values). */
  details?: Record<string, number | string>;
}

const H = Math.sqrt(3) / 2;
const VERTEX: Record<Level, [number, number]> = { U: [0, 0], C: [1, 0], M: [0.5, H] };

/** Projects normalised (u, c, m) to the plane; returns null when the shares do not sum to a positive number. */
export function projectSimplex(u: number, c: number, m: number): { x: number; y: number } | null {
  const s = u + c + m;
  if (!(s > 0) || ![u, c, m].every((v) => Number.isFinite(v) && v >= 0)) return null;
  return { x: (c + m / 2) / s, y: ((m / s) * H) };
}

function modal(u: number, c: number, m: number): Level {
  return m >= c && m >= u ? 'M' : c >= u ? 'C' : 'U';
}

export interface SimplexOptions {
  id?: string;
  title?: string;
  /** What one point is, e.g. "one replication" or "one design point (the mean over its replications)". */
  unit: string;
  /** How many runs are behind the chart, e.g. "100 replications" (the subtitle). */
  source: string;
  panelTitle?: string;
  /** The model's three levels, in the order of a point's (u, c, m): their labels and colours (from the outcome declarations). */
  levels: readonly Term[];
}

export function simplexChart(points: readonly SimplexPoint[], options: SimplexOptions): Chart {
  if (options.levels.length !== 3) throw new Error('simplexChart: needs exactly three levels');
  const label: Record<Level, string> = { U: options.levels[0].label, C: options.levels[1].label, M: options.levels[2].label };
  const scale = termScale(options.levels);
  const panels = [...new Set(points.map((p) => p.panel))];
  if (panels.length === 0) throw new Error('simplexChart: no points');
  const values: Record<string, unknown>[] = [];
  const edges: [Level, Level][] = [
    ['U', 'C'],
    ['C', 'M'],
    ['M', 'U'],
  ];
  let dropped = 0;
  for (const panel of panels) {
    for (const [a, b] of edges) {
      values.push({ kind: 'edge', panel, x: VERTEX[a][0], y: VERTEX[a][1], x2: VERTEX[b][0], y2: VERTEX[b][1] });
    }
    for (const level of LEVELS) {
      const [x, y] = VERTEX[level];
      values.push({ kind: 'vertex', panel, x, y: level === 'M' ? y + 0.07 : y - 0.08, level: label[level], text: label[level] });
    }
  }
  for (const p of points) {
    const xy = projectSimplex(p.u, p.c, p.m);
    if (!xy) {
      dropped++;
      continue;
    }
    values.push({ kind: 'point', panel: p.panel, x: r10(xy.x), y: r10(xy.y), u: r10(p.u), c: r10(p.c), m: r10(p.m), level: label[modal(p.u, p.c, p.m)], label: p.label, ...p.details });
  }
  const detailKeys = [...new Set(points.flatMap((p) => Object.keys(p.details ?? {})))];
  const width = 230;
  const xDomain = [-0.14, 1.14];
  const yDomain = [-0.14, H + 0.12];
  const height = Math.round((width * (yDomain[1] - yDomain[0])) / (xDomain[1] - xDomain[0]));
  const x = { field: 'x', type: 'quantitative' as const, scale: { domain: xDomain }, axis: null };
  const y = { field: 'y', type: 'quantitative' as const, scale: { domain: yDomain }, axis: null };
  // one legend for the points and the vertex labels (same scale): a legend: null on either layer would remove it
  const color = { field: 'level', type: 'nominal' as const, title: 'point colour: its modal level', scale, sort: scale.domain, legend: { orient: 'bottom' as const, direction: 'horizontal' as const, titleOrient: 'left' as const } };
  const title = options.title ?? 'Final level shares on the U/C/M simplex';
  const caption =
    `Each point is ${options.unit}; the chart shows ${options.source}. A point's position gives its final shares of states governing unilaterally (U), in a club (C) and multilaterally (M): ` +
    `near a vertex, most states are at that level; at the centre, the three are even. Colour gives the modal level.` +
    (dropped > 0 ? ` ${dropped} point(s) without valid shares are left out.` : '');
  const spec = {
    ...header(title, options.source, caption),
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', title: options.panelTitle ?? 'issue area', sort: panels } },
    spec: {
      width,
      height,
      layer: [
        {
          name: 'edges',
          transform: [{ filter: "datum.kind === 'edge'" }],
          mark: { type: 'rule', color: NEUTRAL.edge, strokeWidth: 1.5 },
          encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } },
        },
        {
          name: 'vertices',
          transform: [{ filter: "datum.kind === 'vertex'" }],
          mark: { type: 'text', fontWeight: 'bold', fontSize: FONT_SIZE.mark + 1 },
          encoding: { x, y, text: { field: 'text', type: 'nominal' }, color },
        },
        {
          name: 'points',
          transform: [{ filter: "datum.kind === 'point'" }],
          mark: { type: 'circle', size: 40, opacity: 0.55 },
          encoding: {
            x,
            y,
            color,
            tooltip: [
              { field: 'panel', type: 'nominal', title: options.panelTitle ?? 'issue area' },
              { field: 'label', type: 'nominal', title: 'point' },
              ...detailKeys.map((k) => ({ field: fieldRef(k), type: 'nominal', title: k })),
              { field: 'u', type: 'quantitative', title: 'U share', format: '.3f' },
              { field: 'c', type: 'quantitative', title: 'C share', format: '.3f' },
              { field: 'm', type: 'quantitative', title: 'M share', format: '.3f' },
              { field: 'level', type: 'nominal', title: 'modal level' },
            ],
          },
        },
      ],
    },
    config: { ...header('', '', '').config, view: { stroke: null } },
  } as TopLevelSpec;
  return chart(options.id ?? 'simplex', title, caption, spec);
}
