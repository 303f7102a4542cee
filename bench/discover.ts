// Section 7 of `npm run bench`: scenario discovery (issue 17, "Speed"). PRIM
// (src/discover/prim.ts, its defaults: alpha 0.05, mass_min 0.05, density threshold
// 0.8, covering up to 3 boxes, quasi-p-values; no bootstrap resamples, which repeat
// the search once each) on 100,000 runs x 10 uniform factors with a planted box
// (0.5 < x0 and x1 < 0.4, 5 % of the labels flipped). The median of 3 repeats after
// one warm-up. Target: under 5 s. CART (depth 4) on the same data is printed beside
// it. bench/index.ts imports this file after the sweep section; it also runs alone:
// `npx tsx bench/discover.ts`. With --json its line goes to stderr, so that stdout
// keeps bench/index.ts's one JSON document.
import { createRng } from '../src/engine/rng.ts';
import { cart } from '../src/discover/cart.ts';
import type { DiscoverData, Factor } from '../src/discover/data.ts';
import { prim } from '../src/discover/prim.ts';
import { median, now } from './util.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};

const RUNS = 100_000;
const FACTORS = 10;
const TARGET_S = 5;

function planted(): DiscoverData {
  const rng = createRng('bench-discover');
  const values = Array.from({ length: FACTORS }, () => new Float64Array(RUNS));
  const y = new Uint8Array(RUNS);
  for (let i = 0; i < RUNS; i++) {
    for (const v of values) v[i] = rng();
    let hit = values[0][i] > 0.5 && values[1][i] < 0.4;
    if (rng() < 0.05) hit = !hit;
    y[i] = hit ? 1 : 0;
  }
  const factors: Factor[] = values.map((v, j) => ({ name: `x${j}`, kind: 'numeric', values: v }));
  return { factors, y };
}

const data = planted();
prim(data, { resamples: 0 }); // warm-up
const times: number[] = [];
let result = prim(data, { resamples: 0 });
for (let k = 0; k < 3; k++) {
  const t = now();
  result = prim(data, { resamples: 0 });
  times.push(now() - t);
}
const primS = median(times);
const t0 = now();
const tree = cart(data);
const cartS = now() - t0;
const box = result.boxes[0];
log();
log('7. Scenario discovery: PRIM on 100,000 runs x 10 factors (planted box, 5 % noise)');
log(`   PRIM ${primS.toFixed(2)} s (median of 3; target under ${TARGET_S} s: ${primS < TARGET_S ? 'pass' : 'FAIL'}); ${result.boxes.length} box(es), the first: coverage ${box.coverage.toFixed(3)}, density ${box.density.toFixed(3)}, restricting ${box.restricted.join(', ')}`);
log(`   CART (depth 4) ${cartS.toFixed(2)} s; ${tree.leaves.length} leaves`);
if (jsonOnly) console.error(JSON.stringify({ discover: { runs: RUNS, factors: FACTORS, primSeconds: primS, target: TARGET_S, pass: primS < TARGET_S, cartSeconds: cartS } }));
