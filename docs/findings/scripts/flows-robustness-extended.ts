// The extended robustness map (experiments/flows-robustness-extended.yaml, seed 7305):
// after
//   npx migov sweep experiments/flows-robustness-extended.yaml
// prints the share of design points where each area's modal level is Betts' (the
// definition of experiments/flows-robustness.yaml, robustnessMap), over all points and
// within each club kind and each start. From any folder:
//   npx tsx docs/findings/scripts/flows-robustness-extended.ts [--results <dir>]
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { AREAS, robustnessMap, robustnessShareBy, type Row } from './flows-stats.ts';
import { resultFile } from './paths.ts';

const rows = parse(readFileSync(resultFile('flows-robustness-extended', 'runs.csv')), { columns: true, cast: true }) as Row[];
const map = robustnessMap(rows);
const keys = [...AREAS, 'all'];
const fmt = (share: Record<string, number>, n: number) => keys.map((k) => `${share[k].toFixed(3)} (${Math.round(share[k] * n)})`).join(' | ');
console.log(`| group | points | ${keys.join(' | ')} |`);
console.log(`|---|---|${keys.map(() => '---').join('|')}|`);
console.log(`| all points | ${map.points.length} | ${fmt(map.share, map.points.length)} |`);
for (const column of ['params.clubs.kind', 'params.start']) {
  for (const g of robustnessShareBy(map, column)) console.log(`| ${column.replace('params.', '')} = ${g.value} | ${g.points} | ${fmt(g.share, g.points)} |`);
}
