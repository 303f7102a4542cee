// Claim 4: one chart across the three starts (the sweep cannot vary `initial` as one
// factor, so the starts are three result folders). Reads their summary.csv files and
// draws the regime's share against confidence building, one line per start, with the
// project's own chart builder and renderer. After the three sweeps (from any folder;
// paths.ts says where it reads and writes):
//   npx tsx docs/findings/scripts/claim-4-chart.ts [out.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { responseCurveChart } from '../../../src/charts/sweep.ts';
import { loadSpec } from '../../../src/experiment/load.ts';
import { parameterInfos } from '../../../src/experiment/parameters.ts';
import { renderChart } from '../../../src/report/render.ts';
import { chartFile, resultFile } from './paths.ts';

const STARTS = [
  ['claim-4-step-by-step-trust', 'national first (all U)'],
  ['claim-4-step-by-step-trust-clubs-first', 'clubs first (all C)'],
  ['claim-4-step-by-step-trust-one-shot', 'one-shot agreement (all M)'],
] as const;
const PANELS = [
  ['share_refugee_M', 0.05, 'refugee regime (T 0.05)'],
  ['share_irregular_M', 0.1, 'irregular-migration regime (T 0.1)'],
] as const;
const KAPPA = 'params.mechanisms.confidenceBuilding';
const rows: Record<string, unknown>[] = [];
const lines: { metric: string; series: string; panel: string }[] = [];
for (const [folder, label] of STARTS) {
  const summary = parse(readFileSync(resultFile(folder)), { columns: true, cast: true }) as Record<string, unknown>[];
  for (const [metric, T, panel] of PANELS) {
    const name = `${metric} (${label}, T ${T})`;
    for (const r of summary) if (r.metric === metric && r['protocol.temperature'] === T) rows.push({ ...r, metric: name });
    lines.push({ metric: name, series: label, panel });
  }
}
const chart = responseCurveChart(rows as never, {
  parameter: KAPPA,
  lines,
  colorTitle: 'start',
  colorScale: { domain: STARTS.map((s) => s[1]), range: ['#D55E00', '#0072B2', '#009E73'] },
  yTitle: 'final share of states in the regime',
  shares: true,
  id: 'claim-4-starts',
  title: 'Regime share against confidence building, by start',
  // kappa's label and unit as the model's schema gives them
  parameters: parameterInfos(loadSpec(join(import.meta.dirname, '../../../experiments/claim-4-step-by-step-trust.yaml')), [KAPPA]),
});
// the builder's subtitle counts one panel's rows; say what the chart pools instead
(chart.spec as { title: { text: string; subtitle: string } }).title.subtitle =
  '3 sweeps (one per start) x 5 values of kappa x 100 replications per point; 95 % CI bands; independent seeds across starts';
const out = await renderChart(chart);
const file = chartFile('claim-4-step-by-step-trust.png');
writeFileSync(file, out.png);
console.log(`wrote ${file} (${out.png.length} bytes)`);
