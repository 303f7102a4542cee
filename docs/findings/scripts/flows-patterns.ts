// The pre-registered statistics of the flows patterns, computed exactly as the
// headers of experiments/flows-pattern-{1,2,3}-*.yaml and flows-robustness.yaml say
// (docs/findings/scripts/flows-stats.ts), from the result folders of:
//   npx migov run experiments/flows-pattern-2-typology.yaml --out results/flows-pattern-2
//   npx migov sweep experiments/flows-pattern-1-hosting.yaml
//   npx migov sweep experiments/flows-pattern-3-remote-protection.yaml
//   npx migov sweep experiments/flows-robustness.yaml
//   npx migov run experiments/flows-baseline.yaml
// Prints the figures and verdicts (docs/findings.md quotes them) and draws the
// robustness map to docs/findings/flows-robustness.png. From any folder:
//   npx tsx docs/findings/scripts/flows-patterns.ts [map.png] [--results <dir>]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { renderChart } from '../../../src/report/render.ts';
import { chartFile, resultFile } from './paths.ts';
import { AREAS, BETTS, LEVELS, excludabilityTest, hostingTest, interval, levelTest, remoteProtectionTest, rivalryTest, robustnessMap, values, type Interval, type Row } from './flows-stats.ts';

const read = (folder: string, file: string): Row[] => parse(readFileSync(resultFile(folder, file)), { columns: true, cast: true }) as Row[];
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'NaN');
const iv = (i: Interval, d = 3) => `${f(i.mean, d)} [${f(i.lo, d)}, ${f(i.hi, d)}] (n ${i.n})`;

function levelsAndGoods(title: string, rows: Row[]): void {
  console.log(`\n## ${title}: ${rows.length} replications`);
  for (const a of AREAS) {
    const t = levelTest(rows, a);
    console.log(`H2a ${a} (Betts ${BETTS[a]}): ${LEVELS.map((l) => `${l} ${iv(t.levels[l])}`).join('; ')} -> ${t.verdict}`);
  }
  const e = excludabilityTest(rows);
  for (const a of AREAS) console.log(`excludability ${a}: ${iv(interval(values(rows, `${a}_excludability`)))}`);
  for (const [k, v] of Object.entries(e.pairs)) console.log(`H2b ${k}: ${iv(v)}`);
  console.log(`H2b -> ${e.verdict}`);
  const r = rivalryTest(rows);
  for (const a of AREAS) console.log(`rivalry ${a}: ${iv(interval(values(rows, `${a}_rivalry`)))}`);
  for (const [k, v] of Object.entries(r.pairs)) console.log(`H2c ${k}: ${iv(v)}`);
  console.log(`H2c -> ${r.verdict}`);
}

levelsAndGoods('Pattern 2 (seed 7302)', read('flows-pattern-2', 'final.csv'));

const p1 = read('flows-pattern-1-hosting', 'runs.csv');
const h = hostingTest(
  p1.filter((r) => String(r['params.burdenSharing']) === 'false'),
  p1.filter((r) => String(r['params.burdenSharing']) === 'true'),
);
console.log('\n## Pattern 1 (seed 7301)');
console.log(`refugee_hosted_low_income without burden-sharing ${iv(h.without)}, with ${iv(h.with)}`);
console.log(`H1a mean without > 0.6 -> ${h.h1a}`);
console.log(`H1b with - without: Welch ${iv(h.diff, 4)}, df ${f(h.diff.df, 1)} -> ${h.h1b}`);

const p3 = read('flows-pattern-3-remote-protection', 'runs.csv');
const q = remoteProtectionTest(
  p3.filter((r) => Number(r['params.refugee.onward']) === 0),
  p3.filter((r) => Number(r['params.refugee.onward']) === 0.3),
);
console.log('\n## Pattern 3 (seed 7303)');
console.log(`refugee_M_destination onward 0 ${iv(q.without)}, onward 0.3 ${iv(q.with)}`);
console.log(`H3 0.3 - 0: Welch ${iv(q.diff, 4)}, df ${f(q.diff.df, 1)} -> ${q.verdict}`);

const rob = robustnessMap(read('flows-robustness', 'runs.csv'));
console.log(`\n## Pattern 4 (seed 7304): ${rob.points.length} points`);
for (const [k, v] of Object.entries(rob.share)) console.log(`holds ${k}: ${f(v, 3)} (${Math.round(v * rob.points.length)} of ${rob.points.length})`);
// where it holds: by noise tercile of the sample
const temps = rob.points.map((p) => Number(p.row['protocol.temperature'])).sort((a, b) => a - b);
const cuts = [temps[Math.floor(temps.length / 3)], temps[Math.floor((2 * temps.length) / 3)]];
const band = (t: number) => (t < cuts[0] ? 0 : t < cuts[1] ? 1 : 2);
for (let b = 0; b < 3; b++) {
  const ps = rob.points.filter((p) => band(Number(p.row['protocol.temperature'])) === b);
  console.log(`temperature tercile ${b + 1} (${b === 0 ? `< ${f(cuts[0], 4)}` : b === 1 ? `${f(cuts[0], 4)}-${f(cuts[1], 4)}` : `>= ${f(cuts[1], 4)}`}), ${ps.length} points: ${[...AREAS, 'all'].map((k) => `${k} ${f(ps.filter((p) => p.holds[k]).length / ps.length, 2)}`).join(', ')}`);
}

if (existsSync(resultFile('flows-baseline', 'final.csv'))) levelsAndGoods('Baseline (seed 2026)', read('flows-baseline', 'final.csv'));

// the map: each design point at its noise and number of states, coloured by how many areas hold
const data = rob.points.map((p) => ({
  temperature: Number(p.row['protocol.temperature']),
  N: Number(p.row['params.world.N']),
  club: Number(p.row['params.costs.club']),
  regime: Number(p.row['params.costs.regime']),
  areas: AREAS.filter((a) => p.holds[a]).length,
  which: AREAS.filter((a) => p.holds[a]).join(', ') || 'none',
}));
const bars = [...AREAS, 'all'].map((k) => ({ area: k === 'all' ? 'all three' : k, share: rob.share[k] }));
const chart = {
  id: 'flows-robustness',
  title: "Where each area settles at Betts' level",
  caption: `Latin hypercube of ${rob.points.length} points x 3 replications (seed 7304): share of points whose modal level is Betts' (refugee M, irregular C, skilled U), and each point by noise and number of states.`,
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: "Where each area settles at Betts' level (flows-robustness, seed 7304)", subtitle: `${rob.points.length} LHS points x 3 replications; holds = modal final level equals Betts' (refugee M, irregular C, skilled U)` },
    hconcat: [
      {
        width: 220,
        height: 260,
        data: { values: bars },
        mark: 'bar',
        encoding: {
          x: { field: 'area', type: 'nominal', sort: null, title: 'issue area' },
          y: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, title: 'share of sampled points where it holds' },
        },
      },
      {
        width: 360,
        height: 260,
        data: { values: data },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'temperature', type: 'quantitative', scale: { type: 'log' }, title: 'logit temperature (noise)' },
          y: { field: 'N', type: 'quantitative', title: 'number of states' },
          color: { field: 'areas', type: 'ordinal', scale: { domain: [0, 1, 2, 3], scheme: 'viridis' }, title: "areas at Betts' level" },
          tooltip: [{ field: 'which' }, { field: 'club' }, { field: 'regime' }],
        },
      },
    ],
  },
} as const;
const out = await renderChart(chart as never);
const file = chartFile('flows-robustness.png');
writeFileSync(file, out.png);
console.log(`\nwrote ${file} (${out.png.length} bytes)`);
