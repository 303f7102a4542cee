// Claim 7: refugee regime membership by role against linkage, without transit
// leverage, at power asymmetry 0 and 1 (one panel each). The sweep's automatic charts
// pool the design points over the other two factors and show level shares, not roles;
// this chart selects the design points from results/claim-7-power-linkage/summary.csv
// and draws the role metrics with the project's chart builder and renderer.
// After the sweep (from any folder; paths.ts says where it reads and writes):
//   npx tsx docs/findings/scripts/claim-7-chart.ts [out.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ROLE_TERMS } from '../../../models/migration-governance.ts';
import { responseCurveChart } from '../../../src/charts/sweep.ts';
import { renderChart } from '../../../src/report/render.ts';
import { chartFile, resultFile } from './paths.ts';

const ROLES = ['origin', 'transit', 'destination'] as const;
const PANELS = [
  [0, 'power asymmetry 0'],
  [1, 'power asymmetry 1'],
] as const;
const summary = parse(readFileSync(resultFile('claim-7-power-linkage')), { columns: true, cast: true }) as Record<string, unknown>[];
const rows: Record<string, unknown>[] = [];
const lines: { metric: string; series: string; panel: string }[] = [];
for (const [alpha, panel] of PANELS) {
  for (const role of ROLES) {
    const name = `refugee_M_${role} (alpha ${alpha})`;
    for (const r of summary) {
      if (r.metric === `refugee_M_${role}` && r['params.mechanisms.transitLeverage'] === 0 && r['params.mechanisms.powerAsymmetry'] === alpha) rows.push({ ...r, metric: name });
    }
    lines.push({ metric: name, series: role, panel });
  }
}
const chart = responseCurveChart(rows as never, {
  parameter: 'params.mechanisms.linkage',
  lines,
  colorTitle: 'role',
  colorScale: { domain: [...ROLES], range: ROLES.map((r) => ROLE_TERMS.find((t) => t.id === r)?.color ?? '#777777') },
  yTitle: 'share of the role in the refugee regime',
  shares: true,
  id: 'claim-7-linkage-roles',
  title: 'Linkage pulls origin and transit states into the refugee regime (norms 0)',
});
// the builder names the panels "issue area" and titles x by the parameter's path; say what they are here
const spec = chart.spec as { title: { subtitle: string }; facet: { column: { title: string } }; spec: { layer: { encoding: { x: { title: string } } }[] } };
spec.title.subtitle = 'transit leverage 0; 5 x 2 design points x 60 replications (independent worlds); final values at round 200, 95 % CI bands';
spec.facet.column.title = 'contributions: capacity (0) or equal (1)';
for (const layer of spec.spec.layer) layer.encoding.x.title = 'linkage (share of the benefit withheld)';
const out = await renderChart(chart);
const file = chartFile('claim-7-power-linkage.png');
writeFileSync(file, out.png);
console.log(`wrote ${file} (${out.png.length} bytes)`);
