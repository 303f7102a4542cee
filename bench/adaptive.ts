// Section 10 of `npm run bench`: adaptive tipping-point search (issue 17, "Speed"),
// measured in runs, not seconds. On known boundaries, the runs `design: adaptive`
// (src/sweep/adaptive.ts) spends against a full grid at the same final resolution,
// with the fewest replications that decide a point at the same confidence (gridCost).
// Target: at most a fifth. Rows:
//   - a planted line in 2 factors, x + 0.6 y = 0.83, the class drawn with probability
//     logistic((x + 0.6 y - 0.83) / 0.002), through the planner alone;
//   - a planted circle, x^2 + y^2 = 0.5, sharp;
//   - linear-pgg over r in [2, 9] (a best response turns to cooperation at r = N = 5),
//     the whole sweep in this process (tests/sweep/adaptive.test.ts runs it at depth 4,
//     where a 1-factor search saves less: 192 runs against 678).
// bench/index.ts imports this file last; it also runs alone: `npx tsx bench/adaptive.ts`.
// With --json its line goes to stderr, so that stdout keeps bench/index.ts's JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/engine/rng.ts';
import { resolveSpec } from '../src/experiment/load.ts';
import { AdaptiveSearch, type AdaptiveSettings, gridCost, runAdaptiveSweep } from '../src/sweep/adaptive.ts';
import { inProcessExecutor } from '../src/sweep/executor.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};
const TARGET = 0.2;

function planted(settings: AdaptiveSettings, p: (x: number, y: number) => number): AdaptiveSearch {
  const s = new AdaptiveSearch(settings);
  for (let wave = s.nextWave(); wave; wave = s.nextWave()) {
    for (const run of wave) {
      const v = s.points[run.point].values;
      s.record(run.point, true, createRng(`bench ${run.point}-${run.replication}`)() < p(v.x, v.y));
    }
  }
  return s;
}

const two = (depth: number): AdaptiveSettings => ({
  factors: [{ path: 'x', min: 0, max: 1, steps: 5 }, { path: 'y', min: 0, max: 1, steps: 5 }],
  replications: 8,
  maxReplications: 24,
  confidence: 0.95,
  depth,
  budget: 1_000_000,
});

const rows: { name: string; runs: number; gridRuns: number; share: number; boundaryCells: number; pass: boolean }[] = [];
const row = (name: string, s: AdaptiveSearch) => {
  const g = gridCost(s);
  rows.push({ name, runs: s.runs, gridRuns: g.gridRuns, share: s.runs / g.gridRuns, boundaryCells: s.boundary().length, pass: s.runs <= TARGET * g.gridRuns });
};
row('line, 2 factors, depth 5', planted(two(5), (x, y) => 1 / (1 + Math.exp(-(x + 0.6 * y - 0.83) / 0.002))));
row('circle, 2 factors, depth 5', planted(two(5), (x, y) => (x * x + y * y < 0.5 ? 1 : 0)));

const dir = mkdtempSync(join(tmpdir(), 'migov-bench-adaptive-'));
try {
  const file = join(dir, 'pgg.yaml');
  writeFileSync(
    file,
    `name: bench-adaptive
model: linear-pgg
params: { Z: 50, N: 5, c: 1, initial: { C: 0.5, D: 0.5 } }
protocol: { rule: logit, temperature: 0.05, revisionRate: 1 }
rounds: 20
recordEvery: 20
replications: 6
seed: 11
metrics: [share_C]
sweep:
  design: adaptive
  factors: [{ path: params.r, min: 2, max: 9, steps: 8 }]
  adaptive: { class: "share_C > 0.5", depth: 6, budget: 4000, maxReplications: 12, confidence: 0.95 }
`,
  );
  const r = await runAdaptiveSweep(resolveSpec(file), { file, dir: join(dir, 'out'), executor: inProcessExecutor() });
  row('linear-pgg r = N, 1 factor, depth 6', r.search);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

log();
log(`10. Adaptive search: runs against a full grid at the same final resolution (target: at most ${TARGET * 100} %)`);
for (const r of rows) log(`   ${r.name.padEnd(38)} ${String(r.runs).padStart(6)} runs vs ${String(r.gridRuns).padStart(7)} (${(100 * r.share).toFixed(1)} %: ${r.pass ? 'pass' : 'FAIL'}); ${r.boundaryCells} boundary cells`);
if (jsonOnly) console.error(JSON.stringify({ adaptive: { target: TARGET, rows } }));
