// The full birth-death chain with mutation, stochastic stability, and the
// small-mutation limit of one and several populations (docs/theory.md, "Methods").
import { lusolve } from 'mathjs';
import { createRng } from '../../src/engine/rng.ts';
import { describe, expect, it } from 'vitest';
import matrix, { params as matrixParams } from '../../models/matrix-game.ts';
import linear, { params as linearParams } from '../../models/linear-pgg.ts';
import optional, { params as optionalParams } from '../../models/optional-pgg.ts';
import {
  type PopulationGame,
  type Rule,
  fermiFixation,
  gameOfModel,
  gameOfPayoffs,
  multiPopulationLimit,
  smallMutationLimit,
  stationaryDistribution,
  stochasticallyStable,
  tableGame,
  transitions,
} from '../../src/analysis/index.ts';

/** The stationary distribution of a transition matrix by a dense solve (mathjs), for cross-checks. */
function solveStationary(P: number[][]): number[] {
  const n = P.length;
  const A = P.map((_, i) => P.map((row, j) => row[i] - (i === j ? 1 : 0)));
  A[n - 1] = new Array<number>(n).fill(1);
  const b = new Array<number>(n).fill(0);
  b[n - 1] = 1;
  return (lusolve(A, b) as number[][]).map((x) => x[0]);
}

function matrixOf(logUp: Float64Array, logDown: Float64Array): number[][] {
  const n = logUp.length;
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) {
    if (k < n - 1) P[k][k + 1] = Math.exp(logUp[k]);
    if (k > 0) P[k][k - 1] = Math.exp(logDown[k]);
    P[k][k] = 1 - P[k][k + 1 < n ? k + 1 : k] * (k < n - 1 ? 1 : 0) - (k > 0 ? P[k][k - 1] : 0);
  }
  return P;
}

describe('full chain with mutation: detailed balance against a dense solve, both conventions', () => {
  const rules: Rule[] = [{ rule: 'fermi', beta: 0.8 }, { rule: 'logit', temperature: 0.5 }, { rule: 'logit', temperature: 0 }];
  for (const rule of rules) {
    for (const convention of ['any', 'other'] as const) {
      it(`${rule.rule} ${'beta' in rule ? `beta ${rule.beta}` : `T ${rule.temperature}`}, mutation convention ${convention}`, () => {
        const Z = 30;
        const p = matrixParams.parse({ Z });
        const edge = gameOfModel(matrix, p).edge(0, 1);
        const t = transitions(edge, Z, rule, { rate: 0.05, convention, strategies: 2 });
        const st = stationaryDistribution(t.logUp, t.logDown)!;
        const dense = solveStationary(matrixOf(t.logUp, t.logDown));
        for (let k = 0; k <= Z; k++) expect(Math.abs(st.p[k] - dense[k])).toBeLessThan(1e-10);
        // the conventions differ: mu/2 or mu per switch
        const other = transitions(edge, Z, rule, { rate: 0.05, convention: convention === 'any' ? 'other' : 'any', strategies: 2 });
        const st2 = stationaryDistribution(other.logUp, other.logDown)!;
        let tv = 0;
        for (let k = 0; k <= Z; k++) tv += Math.abs(st.p[k] - st2.p[k]) / 2;
        expect(tv).toBeGreaterThan(0.01);
      });
    }
  }

  it('without mutation an imitation chain has no unique stationary distribution (null)', () => {
    const p = matrixParams.parse({ Z: 20 });
    const t = transitions(gameOfModel(matrix, p).edge(0, 1), 20, { rule: 'fermi', beta: 1 }, { rate: 0, convention: 'any', strategies: 2 });
    expect(stationaryDistribution(t.logUp, t.logDown)).toBeNull();
  });

  it('Z = 3,000: the weights span more than 300 orders of magnitude and stay normalised', () => {
    const Z = 3000;
    const p = linearParams.parse({ Z, N: 5, r: 3 });
    const t = transitions(gameOfModel(linear, p).edge(0, 1), Z, { rule: 'fermi', beta: 1 }, { rate: 1e-3, convention: 'any', strategies: 2 });
    const st = stationaryDistribution(t.logUp, t.logDown)!;
    expect(st.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(st.log10[Z]).toBeLessThan(-300);
    expect(Number.isFinite(st.log10[Z])).toBe(true);
  });
});

describe('stochastic stability in the stag hunt (Kandori, Mailath and Rob 1993; Blume 1993)', () => {
  it('logit and KMR select all-hare (risk dominant), and the full chain puts its mass there as the noise falls', () => {
    const Z = 40;
    const p = matrixParams.parse({ Z }); // a, b, c, d = 4, 0, 3, 3
    const edge = gameOfModel(matrix, p).edge(0, 1);
    const ss = stochasticallyStable(edge, Z);
    expect(ss.logit).toEqual([0]);
    expect(ss.kmr).toEqual([0]);
    const lowT = transitions(edge, Z, { rule: 'logit', temperature: 0.05 }, { rate: 0, convention: 'any', strategies: 2 });
    expect(stationaryDistribution(lowT.logUp, lowT.logDown)!.p[0]).toBeGreaterThan(0.999);
    const kmr = transitions(edge, Z, { rule: 'logit', temperature: 0 }, { rate: 1e-4, convention: 'any', strategies: 2 });
    // (with mutation the chain sits at all-hare but for the odd mutant: count the few states next to it)
    const nearAllB = stationaryDistribution(kmr.logUp, kmr.logDown)!.p.slice(0, 4).reduce((x, y) => x + y, 0);
    expect(nearAllB).toBeGreaterThan(0.9999);
    // a coordination game where A is risk dominant (a - c = 3 > d - b = 2) and B payoff dominant (d = 4 > a = 3): the selection turns
    const q = matrixParams.parse({ Z, a: 3, b: 2, c: 0, d: 4 });
    const s2 = stochasticallyStable(gameOfModel(matrix, q).edge(0, 1), Z);
    expect(s2.logit).toEqual([Z]);
    expect(s2.kmr).toEqual([Z]);
  });
});

describe('small-mutation limit of one population', () => {
  it('optional PGG: three states, transitions rho / 2, stationary by GTH equals a dense solve', () => {
    const p = optionalParams.parse({ Z: 40, N: 5, r: 3 });
    const game = gameOfModel(optional, p);
    const chain = smallMutationLimit(game, 1);
    expect(chain.states).toEqual(['C', 'D', 'L']);
    const P = [0, 1, 2].map(() => [0, 0, 0]);
    for (const t of chain.transitions) {
      expect(t.probability).toBeCloseTo(fermiFixation(game.edge(t.to, t.from), 40, 1).rho / 2, 15);
      P[t.from][t.to] = t.probability;
    }
    for (let i = 0; i < 3; i++) P[i][i] = 1 - P[i].reduce((a, b) => a + b, 0);
    const dense = solveStationary(P);
    for (let i = 0; i < 3; i++) expect(chain.stationary[i]).toBeCloseTo(dense[i], 12);
    // rock-paper-scissors-like: loners beat defectors, cooperators beat loners, defectors beat cooperators
    const rho = (from: number, to: number) => chain.transitions.find((t) => t.from === from && t.to === to)!.rho;
    expect(rho(0, 1)).toBeGreaterThan(1 / 40); // D invades C
    expect(rho(1, 2)).toBeGreaterThan(1 / 40); // L invades D
  });
});

describe('small-mutation limit between populations (Veller and Hayward 2016; Vasconcelos et al. 2017)', () => {
  it('populations that do not interact reduce exactly to the one-population results', () => {
    const Z = 30;
    const beta = 0.7;
    const p = matrixParams.parse({ Z, a: 3, b: 1, c: 4, d: 0 }); // hawk-dove-like, two strategies
    const q = optionalParams.parse({ Z, N: 4, r: 3 });
    const single = [gameOfModel(matrix, p), gameOfModel(optional, q)];
    const game: PopulationGame = {
      populations: [
        { name: 'first', size: Z, strategies: ['A', 'B'] },
        { name: 'second', size: Z, strategies: ['C', 'D', 'L'] },
      ],
      // each population plays its own game among its own members only
      payoff(pop, s, others) {
        const own = others[pop];
        return pop === 0 ? matrix.payoff(fakeState(matrix, p, own), 0, 0, s, NO_DRAWS) : optional.payoff(fakeState(optional, q, own), 0, 0, s, NO_DRAWS);
      },
    };
    const multi = multiPopulationLimit(game, { beta, mutationsBy: 'equal' });
    const chains = single.map((g) => smallMutationLimit(g, beta));
    expect(multi.states).toEqual(['A/C', 'A/D', 'A/L', 'B/C', 'B/D', 'B/L']);
    // the stationary distribution is the product of the two populations' own
    multi.profiles.forEach((prof, n) => {
      expect(multi.stationary[n]).toBeCloseTo(chains[0].stationary[prof[0]] * chains[1].stationary[prof[1]], 12);
    });
    // and every fixation probability is the one-population one
    for (const t of multi.transitions) {
      const from = multi.profiles[t.from][t.population];
      const to = multi.profiles[t.to][t.population];
      const one = chains[t.population].transitions.find((u) => u.from === from && u.to === to)!;
      expect(Math.abs(t.rhoLog10 - one.rhoLog10)).toBeLessThan(1e-12);
    }
  });

  it('a two-population coordination game against the hand-solved embedded chain', () => {
    // Two populations of Z; each member meets the other population only: (A, A) pays a
    // to both, (B, B) pays d, a mismatch 0. Against a monomorphic other population the
    // payoff difference is constant, so rho(D) = (1 - e^{-beta D}) / (1 - e^{-beta D Z}).
    // States AA, AB, BA, BB; by symmetry pi(AB) = pi(BA) = m, and the balance of AA and BB
    // gives pi(AA) rho(-a) = m rho(a), pi(BB) rho(-d) = m rho(d).
    const Z = 25;
    const beta = 0.3;
    const a = 2;
    const d = 1;
    const rho = (D: number) => (1 - Math.exp(-beta * D)) / (1 - Math.exp(-beta * D * Z));
    const table = [
      [[[0, 0], [a, 0]], [[0, 0], [0, d]]],
      [[[a, 0], [0, 0]], [[0, d], [0, 0]]],
    ];
    const pops = [
      { name: 'row', size: Z, strategies: ['A', 'B'] },
      { name: 'column', size: Z, strategies: ['A', 'B'] },
    ];
    const chain = multiPopulationLimit(tableGame(pops, table), { beta });
    expect(chain.states).toEqual(['A/A', 'A/B', 'B/A', 'B/B']);
    const AA = rho(a) / rho(-a);
    const BB = rho(d) / rho(-d);
    const total = AA + 2 + BB;
    const expected = [AA / total, 1 / total, 1 / total, BB / total];
    for (let n = 0; n < 4; n++) expect(chain.stationary[n]).toBeCloseTo(expected[n], 12);
    const t = chain.transitions.find((u) => chain.states[u.from] === 'A/A' && chain.states[u.to] === 'B/A')!;
    expect(t.rho).toBeCloseTo(rho(-a), 14);
    expect(t.probability).toBeCloseTo(rho(-a) / 2, 14);
    // equals the one-population fixation of a game with a constant payoff difference
    const constant = gameOfPayoffs(Z, ['B', 'A'], (s) => (s === 0 ? 0 : a));
    expect(fermiFixation(constant.edge(0, 1), Z, beta).rho).toBeCloseTo(rho(-a), 14);
  });
});

/** The expected payoffs draw nothing; init places agents with it (and fakeState overwrites the counts). */
const NO_DRAWS = createRng('analysis-chains-test');

/** A model state with the given counts of the Z - 1 others plus the focal agent 0 (for a model whose payoff reads counts only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fakeState(model: any, p: any, others: readonly number[]): any {
  const state = model.init(p, NO_DRAWS);
  const counts: Int32Array = state.pop.counts;
  counts.fill(0);
  for (let t = 0; t < others.length; t++) counts[t] = others[t];
  // agent 0 holds strategy 0 and is counted as such
  state.pop.choice[0] = 0;
  counts[0] += 1;
  return state;
}
