// Section 9 of `npm run bench`: the analytic twin (src/analysis/, issue 15 "Speed").
// Each case is timed as the median (and the fastest) of 21 repeats after 10 warm-ups
// (the JIT needs a few to compile the payoff loop), from the model to the answer
// (the model's payoffs read for every composition included):
//  - the Fermi fixation probability of one cooperator in the linear PGG (N 5, r 3,
//    beta 1) at Z = 10,000 (about 10^-1739: log space). Target: under 10 ms;
//  - the stationary distribution of the full birth-death chain with mutation (Fermi,
//    beta 1, mutation 0.01) for the stag hunt at Z = 1,000. Target: under 100 ms;
//  - the small-mutation limit of a game between 3 populations of 1,000 with 3
//    strategies each (27 monomorphic profiles, 162 fixation probabilities; payoffs from
//    random tables, seed 'bench-analysis'). Target: under 1 s.
// bench/index.ts imports this file last; it also runs alone: `npx tsx bench/analysis.ts`.
// With --json its lines go to stderr, so that stdout keeps bench/index.ts's one JSON document.
import linear, { params as linearParams } from '../models/linear-pgg.ts';
import matrix, { params as matrixParams } from '../models/matrix-game.ts';
import { fermiFixation, gameOfModel, multiPopulationLimit, stationaryDistribution, tableGame, transitions } from '../src/analysis/index.ts';
import { createRng } from '../src/engine/rng.ts';
import { median, now } from './util.ts';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};

function time<T>(f: () => T): { ms: number; fastest: number; value: T } {
  let value = f();
  for (let i = 0; i < 9; i++) value = f();
  const ms: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = now();
    value = f();
    ms.push((now() - t0) * 1000);
  }
  return { ms: median(ms), fastest: Math.min(...ms), value };
}

const fixation = time(() => {
  const p = linearParams.parse({ Z: 10_000, N: 5, r: 3 });
  return fermiFixation(gameOfModel(linear, p).edge(0, 1), 10_000, 1);
});
const chain = time(() => {
  const p = matrixParams.parse({ Z: 1000 });
  const t = transitions(gameOfModel(matrix, p).edge(0, 1), 1000, { rule: 'fermi', beta: 1 }, { rate: 0.01, convention: 'any', strategies: 2 });
  return stationaryDistribution(t.logUp, t.logDown)!;
});
const rng = createRng('bench-analysis');
const pops = ['origin', 'transit', 'destination'].map((name) => ({ name, size: 1000, strategies: ['U', 'C', 'M'] }));
const tables = pops.map(() => [0, 1, 2].map(() => pops.map(() => [0, 1, 2].map(() => rng() * 2))));
const multi = time(() => multiPopulationLimit(tableGame(pops, tables), { beta: 1 }));

const rows = [
  { name: 'fixation, linear PGG, Z 10,000', ms: fixation.ms, fastest: fixation.fastest, target: 10, answer: `log10 rho_C = ${fixation.value.log10.toFixed(2)}` },
  { name: 'full chain, stag hunt, Z 1,000', ms: chain.ms, fastest: chain.fastest, target: 100, answer: `P(all B) = ${chain.value.p[0].toFixed(4)}` },
  { name: 'small-mutation limit, 3 populations x 3 strategies, Z 1,000 each', ms: multi.ms, fastest: multi.fastest, target: 1000, answer: `${multi.value.states.length} profiles, largest weight ${Math.max(...multi.value.stationary).toFixed(4)}` },
];
log('');
log('9. The analytic twin (src/analysis/), median (fastest) of 21 after 10 warm-ups, from the model to the answer');
for (const r of rows) log(`   ${r.name}: ${r.ms.toFixed(2)} ms (${r.fastest.toFixed(2)}) (target < ${r.target} ms: ${r.ms < r.target ? 'PASS' : 'FAIL'}); ${r.answer}`);
if (jsonOnly) console.error(JSON.stringify({ analysis: rows.map((r) => ({ ...r, pass: r.ms < r.target })) }));
