// The robustness map with the learning rule as a factor
// (experiments/flows-robustness-learning.yaml, seed 7306): after
//   npx migov sweep experiments/flows-robustness-learning.yaml
// prints the share of design points where each area's modal level is Betts' (the
// definition of experiments/flows-robustness.yaml, robustnessMap) under each learning
// rule, with Wilson 95 % intervals and the header's verdicts (every rule's interval
// above 0.5), then the same shares within each club kind and start; draws the shares
// per rule to docs/findings/flows-robustness-learning.png. From any folder:
//   npx tsx docs/findings/scripts/flows-robustness-learning.ts [chart.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { renderChart } from '../../../src/report/render.ts';
import { AREAS, BETTS, robustnessMap, robustnessShareBy, shareAboveTest, type Row } from './flows-stats.ts';
import { chartFile, resultFile } from './paths.ts';

const rows = parse(readFileSync(resultFile('flows-robustness-learning', 'runs.csv')), { columns: true, cast: true }) as Row[];
const map = robustnessMap(rows);
const keys = [...AREAS, 'all'] as const;
const label = (k: string) => (k === 'all' ? 'all three' : `${k} (${BETTS[k as (typeof AREAS)[number]]})`);
// the rules in the order the spec's protocol factor lists them (manifest.json holds the spec)
const manifest = JSON.parse(readFileSync(resultFile('flows-robustness-learning', 'manifest.json'), 'utf8')) as { spec: { sweep: { factors: { path: string; values?: string[] }[] } } };
const order = manifest.spec.sweep.factors.find((x) => x.path === 'protocol')?.values ?? [];
const byRule = robustnessShareBy(map, 'protocol').sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
const tests = Object.fromEntries(keys.map((k) => [k, shareAboveTest(byRule, k)]));

const f = (x: number) => x.toFixed(3);
console.log(`| rule | points | ${keys.map(label).join(' | ')} |`);
console.log(`|---|---|${keys.map(() => '---').join('|')}|`);
for (const g of byRule) {
  console.log(`| ${g.value} | ${g.points} | ${keys.map((k) => {
    const iv = tests[k].byGroup[g.value];
    return `${f(iv.mean)} [${f(iv.lo)}, ${f(iv.hi)}]`;
  }).join(' | ')} |`);
}
console.log(`| all rules | ${map.points.length} | ${keys.map((k) => f(map.share[k])).join(' | ')} |`);
console.log(`\nH (under every rule the share's Wilson interval above 0.5): ${keys.map((k) => `${label(k)} ${tests[k].verdict}`).join('; ')}`);

console.log('\nWithin each rule, by club kind and by start (points; shares refugee / irregular / skilled / all three):');
for (const g of byRule) {
  const sub = { points: map.points.filter((p) => String(p.row.protocol) === g.value), share: {} };
  const parts = ['params.clubs.kind', 'params.start'].flatMap((column) =>
    robustnessShareBy(sub as typeof map, column)
      .sort((a, b) => a.value.localeCompare(b.value))
      .map((h) => `${column.replace('params.', '')}=${h.value} (${h.points}): ${keys.map((k) => h.share[k].toFixed(2)).join(' / ')}`),
  );
  console.log(`  ${g.value}: ${parts.join('; ')}`);
}

const data = byRule.flatMap((g) =>
  keys.map((k) => {
    const iv = tests[k].byGroup[g.value];
    return { rule: g.value, area: label(k), share: iv.mean, lo: iv.lo, hi: iv.hi };
  }),
);
const chart = {
  id: 'flows-robustness-learning',
  title: "Where each area settles at Betts' level, per learning rule",
  caption: `Latin hypercube of ${map.points.length} points x 3 replications (seed 7306) over learning rule, number of states, costs, club kind and start: per rule, the share of its points whose modal level is Betts', with Wilson 95 % intervals; the pre-registered threshold 0.5 dashed.`,
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: "Where each area settles at Betts' level, per learning rule (seed 7306)",
      subtitle: `${map.points.length} LHS points x 3 replications; holds = modal final level is Betts'; bars: share of the rule's points, Wilson 95 % intervals; dashed: the pre-registered 0.5`,
    },
    data: { values: data },
    facet: { column: { field: 'area', type: 'nominal', sort: keys.map(label), title: "issue area (Betts' level)" } },
    spec: {
      width: 170,
      height: 240,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'rule', type: 'nominal', sort: byRule.map((g) => g.value), title: 'learning rule' },
            y: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, title: 'share of the rule\'s points where it holds' },
            color: { field: 'rule', type: 'nominal', sort: byRule.map((g) => g.value), legend: null },
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { x: { field: 'rule', type: 'nominal', sort: byRule.map((g) => g.value) }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
        { mark: { type: 'rule', strokeDash: [4, 3], color: 'grey' }, encoding: { y: { datum: 0.5, type: 'quantitative' } } },
      ],
    },
  },
} as const;
const out = await renderChart(chart as never);
const file = chartFile('flows-robustness-learning.png');
writeFileSync(file, out.png);
console.log(`\nwrote ${file} (${out.png.length} bytes)`);
