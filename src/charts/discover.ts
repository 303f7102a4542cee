// Charts of a scenario discovery (`migov discover`): the coverage-density trade-off
// of the boxes PRIM peeled (or CART's leaves), coloured by how many factors a box
// restricts, as EMA Workbench's show_tradeoff; and the limits of each reported box
// on every factor it restricts, drawn on the factor's range (0 = its smallest value
// in the sweep, 1 = its largest), with the quasi-p-value of each limit.
import type { DiscoverySummary } from '../discover/data.ts';
import type { Chart, ParameterInfos } from './types.ts';
import { chart, header, parameterWords, plural, r10 } from './spec.ts';

function methodWords(d: DiscoverySummary): string {
  return d.method === 'prim' ? 'PRIM' : 'CART';
}

/** Coverage (x) against density (y) of every box on the trajectory; colour: number of restricted factors; ringed: the boxes reported. */
export function tradeoffChart(d: DiscoverySummary): Chart {
  const values = d.trajectory.map((t) => ({
    box: `box ${t.box}`,
    step: t.step,
    phase: t.phase,
    coverage: r10(t.coverage),
    density: r10(t.density),
    mass: r10(t.mass),
    restricted: t.restricted.length,
    factors: t.restricted.join(', ') || '(none)',
    reported: t.reported ? 'reported box' : 'candidate',
  }));
  const what = d.method === 'prim' ? 'every box on the peeling and pasting trajectory' : "every leaf of the tree";
  const title = `Coverage and density of the boxes ${methodWords(d)} found`;
  const caption = `Each point is ${what}: coverage (the share of the ${d.runsOfInterest} runs of interest inside the box) against density (the share of the box's runs that are of interest), coloured by the number of factors the box restricts; ringed points are the boxes reported in boxes.csv. Runs of interest: ${d.where} (${d.runsOfInterest} of ${plural(d.runs, 'run')}).`;
  const tooltip = [
    { field: 'box', type: 'nominal' },
    { field: 'step', type: 'quantitative' },
    { field: 'phase', type: 'nominal' },
    { field: 'coverage', type: 'quantitative', format: '.3f' },
    { field: 'density', type: 'quantitative', format: '.3f' },
    { field: 'mass', type: 'quantitative', format: '.3f' },
    { field: 'factors', type: 'nominal', title: 'restricted' },
  ];
  return chart('discover-tradeoff', title, caption, {
    ...header(title, `${methodWords(d)}: ${d.where}`, caption, 560),
    width: 560,
    height: 420,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x: { field: 'coverage', type: 'quantitative', title: 'coverage (share of the runs of interest in the box)', scale: { domain: [0, 1] } },
          y: { field: 'density', type: 'quantitative', title: 'density (share of the box that is of interest)', scale: { domain: [0, 1] } },
          color: { field: 'restricted', type: 'ordinal', title: 'restricted factors', scale: { scheme: 'viridis' } },
          shape: { field: 'box', type: 'nominal', title: null },
          tooltip,
        },
      },
      {
        transform: [{ filter: "datum.reported === 'reported box'" }],
        mark: { type: 'point', filled: false, size: 260, strokeWidth: 2, color: '#000000' },
        encoding: {
          x: { field: 'coverage', type: 'quantitative' },
          y: { field: 'density', type: 'quantitative' },
          tooltip,
        },
      },
    ],
  } as never);
}

function fmtLimit(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

function fmtP(p: number | null): string {
  if (p === null) return '';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** The limits of each reported box on the factors it restricts, on each factor's range. */
export function boxLimitsChart(d: DiscoverySummary, parameters?: ParameterInfos): Chart | null {
  const rows: object[] = [];
  d.boxes.forEach((b, i) => {
    const boxName = `box ${i + 1}`;
    for (const l of b.limits) {
      if (!l.restricted) continue;
      // the factor's path: its label in words can be a sentence (the tooltip gives it)
      const name = l.factor;
      const words = parameterWords(l.factor, parameters);
      if (l.kind === 'numeric') {
        const span = l.max - l.min;
        const qp = [l.qpLower !== null ? `lower ${fmtP(l.qpLower)}` : '', l.qpUpper !== null ? `upper ${fmtP(l.qpUpper)}` : ''].filter(Boolean).join(', ');
        rows.push({
          row: `${boxName}: ${name} (qp ${qp})`,
          zero: 0,
          one: 1,
          from: span > 0 ? r10((l.lower - l.min) / span) : 0,
          to: span > 0 ? r10((l.upper - l.min) / span) : 1,
          label: `${fmtLimit(l.lower)} to ${fmtLimit(l.upper)} (range ${fmtLimit(l.min)} to ${fmtLimit(l.max)})`,
          words,
        });
      } else {
        rows.push({ row: `${boxName}: ${name} (qp ${fmtP(l.qp)})`, zero: 0, one: 1, from: 0, to: 1, label: `only ${l.categories.join(', ')} (of ${l.all.join(', ')})`, words });
      }
    }
  });
  if (rows.length === 0) return null;
  const title = `Limits of the boxes ${methodWords(d)} found`;
  const caption = `For each reported box, every factor it restricts: the bar spans the box's limits on the factor's range in the sweep (0: its smallest value, 1: its largest; a categorical factor's bar spans the range and its label names the categories kept); the label gives the limits in the factor's own values. qp: the quasi-p-value of a limit (Bryant and Lempert 2010): the chance of as many runs of interest in the box if that limit were dropped; small values mean the limit matters.${d.method === 'cart' ? ' CART gives none (blank).' : ''}`;
  return chart('discover-box-limits', title, caption, {
    ...header(title, `${methodWords(d)}: ${d.where}`, caption, 700),
    data: { values: rows },
    width: 420,
    height: { step: 34 },
    encoding: { y: { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 340 } } },
    layer: [
      { mark: { type: 'rule', color: '#BBBBBB', strokeWidth: 8 }, encoding: { x: { field: 'zero', type: 'quantitative' }, x2: { field: 'one' } } },
      {
        mark: { type: 'bar', color: '#0072B2', height: 12 },
        encoding: {
          x: { field: 'from', type: 'quantitative', title: "share of the factor's range in the sweep", scale: { domain: [0, 1] } },
          x2: { field: 'to' },
          tooltip: [{ field: 'row', type: 'nominal', title: 'factor' }, { field: 'words', type: 'nominal', title: 'meaning' }, { field: 'label', type: 'nominal', title: 'limits' }],
        },
      },
      { mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -7, fontSize: 11 }, encoding: { x: { field: 'zero', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as never);
}

/** The charts of a discover folder. */
export function discoverCharts(d: DiscoverySummary, parameters?: ParameterInfos): Chart[] {
  const limits = boxLimitsChart(d, parameters);
  return [tradeoffChart(d), ...(limits ? [limits] : [])];
}
