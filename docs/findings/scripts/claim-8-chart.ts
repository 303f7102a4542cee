// Claim 8: one chart across the two worlds (the facilitating organisation and the
// binding regime differ in three global mechanisms, so they are two sweeps, each over
// `rounds` only). Reads results/claim-8-facilitation-growth/summary.csv and
// results/claim-8-binding-stall/summary.csv and draws membership against rounds (a
// run's seed does not depend on `rounds`, so each line is the mean trajectory of 100
// replications with its 95 % CI band), with the project's chart builder and renderer.
// After the two sweeps (from any folder; paths.ts says where it reads and writes):
//   npx tsx docs/findings/scripts/claim-8-chart.ts [out.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { responseCurveChart } from '../../../src/charts/sweep.ts';
import { renderChart } from '../../../src/report/render.ts';
import { chartFile, resultFile } from './paths.ts';

const LINES = [
  ['claim-8-facilitation-growth', 'share_services_M', 'facilitating organisation'],
  ['claim-8-binding-stall', 'share_services_M', 'binding regime'],
  ['claim-8-binding-stall', 'share_services_C', 'clubs beside binding regime'],
] as const;
const rows: Record<string, unknown>[] = [];
for (const [folder, metric, label] of LINES) {
  const summary = parse(readFileSync(resultFile(folder)), { columns: true, cast: true }) as Record<string, unknown>[];
  for (const r of summary) if (r.metric === metric) rows.push({ ...r, metric: label });
}
const chart = responseCurveChart(rows as never, {
  parameter: 'rounds',
  lines: LINES.map(([, , label]) => ({ metric: label, series: label })),
  colorTitle: 'membership of',
  colorScale: { domain: LINES.map((l) => l[2]), range: ['#009E73', '#0072B2', '#D55E00'] },
  yTitle: 'share of states (members)',
  shares: true,
  id: 'claim-8-trajectories',
  title: 'A facilitating organisation grows, a binding regime stalls',
});
// the builder's subtitle and axis describe a single sweep; say what the chart holds instead
const spec = chart.spec as { title: { text: string; subtitle: string }; layer: { encoding: { x: { title: string } } }[] };
spec.title.subtitle = '2 sweeps (one per world) x 61 values of rounds x 100 replications; 95 % CI bands';
for (const layer of spec.layer) layer.encoding.x.title = 'round (states start all-U; revision rate 0.02 a round)';
const out = await renderChart(chart);
const file = chartFile('claim-8-facilitation-growth.png');
writeFileSync(file, out.png);
console.log(`wrote ${file} (${out.png.length} bytes)`);
