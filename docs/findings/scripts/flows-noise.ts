// Payoff scale against logit noise (experiments/flows-noise.yaml, seed 7307): after
//   npx migov sweep experiments/flows-noise.yaml
// prints, per temperature and issue area, the mean final share at each level with its
// t-based 95 % interval, the modal level and levelTest's verdict (Betts' level clearly
// modal or not), then the pre-registered verdict of H per area (at every T <= 0.01)
// and the largest distance of a share from 1/3 at T >= 0.5; draws the shares against
// temperature to docs/findings/flows-noise.png. From any folder:
//   npx tsx docs/findings/scripts/flows-noise.ts [chart.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { renderChart } from '../../../src/report/render.ts';
import { AREAS, BETTS, LEVELS, all, levelTest, lowNoiseTest, modalLevels, type Row } from './flows-stats.ts';
import { chartFile, resultFile } from './paths.ts';

const rows = parse(readFileSync(resultFile('flows-noise', 'runs.csv')), { columns: true, cast: true }) as Row[];
const byT = new Map<number, Row[]>();
for (const r of rows) {
  const t = Number(r['protocol.temperature']);
  if (!byT.has(t)) byT.set(t, []);
  byT.get(t)!.push(r);
}
const temps = [...byT.keys()].sort((a, b) => a - b);
const f = (x: number) => x.toFixed(3);

console.log(`| T | runs | ${AREAS.map((a) => `${a} U / C / M (modal; Betts ${BETTS[a]})`).join(' | ')} |`);
console.log(`|---|---|${AREAS.map(() => '---').join('|')}|`);
const data: { temperature: number; area: string; level: string; share: number; lo: number; hi: number }[] = [];
for (const t of temps) {
  const rs = byT.get(t)!;
  const modal = modalLevels(rs);
  const cells = AREAS.map((a) => {
    const test = levelTest(rs, a);
    for (const l of LEVELS) data.push({ temperature: t, area: a, level: l, share: test.levels[l].mean, lo: test.levels[l].lo, hi: test.levels[l].hi });
    const clear = test.verdict === 'supported' ? ", Betts' clearly modal" : test.verdict === 'refuted' ? ", Betts' clearly below" : '';
    return `${LEVELS.map((l) => f(test.levels[l].mean)).join(' / ')} (${modal[a]}${clear})`;
  });
  console.log(`| ${t} | ${rs.length} | ${cells.join(' | ')} |`);
}

const low = temps.filter((t) => t <= 0.01).map((t) => byT.get(t)!);
const verdicts = AREAS.map((a) => lowNoiseTest(low, a));
console.log(`\nH (Betts' level clearly modal at every T <= 0.01, ${low.length} temperatures):`);
AREAS.forEach((a, i) => console.log(`  ${a}: ${verdicts[i]}`));
console.log(`  H as a whole: ${all(verdicts)}`);

const high = temps.filter((t) => t >= 0.5);
let far = 0;
for (const t of high) for (const a of AREAS) for (const l of LEVELS) far = Math.max(far, Math.abs(levelTest(byT.get(t)!, a).levels[l].mean - 1 / 3));
console.log(`largest |share - 1/3| at T >= 0.5: ${f(far)}`);

const chart = {
  id: 'flows-noise',
  title: 'Level shares against logit noise',
  caption: `The flows baseline at ${temps.length} temperatures x 20 replications (seed 7307): mean final share of states at each level, per area, with 95 % intervals.`,
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Level shares against logit noise (flows-noise, seed 7307)', subtitle: "mean final share over 20 replications, 95 % intervals; Betts' levels: refugee M, irregular C, skilled U" },
    data: { values: data },
    facet: { column: { field: 'area', type: 'nominal', sort: [...AREAS], title: 'issue area' } },
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          mark: { type: 'errorband', opacity: 0.25 },
          encoding: {
            x: { field: 'temperature', type: 'quantitative', scale: { type: 'log' }, title: 'logit temperature T (payoff units)' },
            y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: 'final share of states' },
            y2: { field: 'hi' },
            color: { field: 'level', type: 'nominal', sort: [...LEVELS] },
          },
        },
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'temperature', type: 'quantitative', scale: { type: 'log' } },
            y: { field: 'share', type: 'quantitative' },
            color: { field: 'level', type: 'nominal', sort: [...LEVELS], title: 'level' },
          },
        },
      ],
    },
  },
} as const;
const out = await renderChart(chart as never);
const file = chartFile('flows-noise.png');
writeFileSync(file, out.png);
console.log(`\nwrote ${file} (${out.png.length} bytes)`);
