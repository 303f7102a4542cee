// Logit best response in a 2x2 stag hunt (models/matrix-game.ts, defaults a, b, c, d =
// 4, 0, 3, 3: A = stag, payoff dominant; B = hare, risk dominant since d - b > a - c).
//
// (a) Stochastic stability. Sources: Blume LE (1993) The statistical mechanics of
// strategic interaction. Games Econ Behav 5:387-424; Kandori M, Mailath GJ, Rob R (1993)
// Econometrica 61:29-56; Sandholm WH (2010) Population Games and Evolutionary Dynamics,
// ch. 11-12. With async logit revision (one opportunity to a uniformly drawn agent, who
// picks A with probability e^{pi_A/T} / (e^{pi_A/T} + e^{pi_B/T}), payoffs against the
// Z - 1 others) and k A-players,
//   T+(k) = (Z-k)/Z L_A(k),   T-(k) = k/Z (1 - L_A(k-1)),
// where L_A(j) is the logit probability of A for a reviser with j A-players among the
// others. Detailed balance gives the exact stationary distribution
//   mu(k) proportional to C(Z, k) exp( sum_{j<k} (pi_A(j) - pi_B(j)) / T ),
// pi_s(j) the payoff of s against others of whom j play A. The potential
// sum_{j<Z} (pi_A(j) - pi_B(j)) = Z ((a - c) + (b - d)) / 2 is negative exactly when B is
// risk dominant, so as T -> 0 mu concentrates on all-B (the stochastically stable state).
//
// (b) Logit equilibrium (McKelvey and Palfrey 1995; Sandholm 2010 ch. 6): in a large
// population the share x of A settles at the fixed point
//   x = e^{pi_A(x)/T} / (e^{pi_A(x)/T} + e^{pi_B(x)/T}),  pi_A(x) = a x + b (1 - x),
//   pi_B(x) = c x + d (1 - x),
// of the mean dynamic dx/dt = L(x) - x. Here pi_A - pi_B = 4x - 3 and L'(x) <= 1/T, so
// for T > 1 the fixed point is unique; for T = 0.2 there are three, and the run starts
// in the basin of the upper stable one (above the unstable one), where it stays for a
// time exponential in Z.
import { eigs, lusolve } from 'mathjs';
import { describe, expect, it } from 'vitest';
import model, { A, B, expectedPayoff, type MatrixGameParams, params as schema } from '../../models/matrix-game.ts';
import type { LogitProtocol } from '../../src/engine/protocol.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { gameOfModel, stationaryDistribution, transitions } from '../../src/analysis/index.ts';
import { createSimulation } from '../../src/engine/simulate.ts';

const MASTER = 'logit-stag-hunt';

function logit(T: number): LogitProtocol {
  return { rule: 'logit', temperature: T, revisionRate: 1, mutation: 0, updating: 'async' };
}

/** Log of Blume's unnormalised weights: ln C(Z, k) + sum_{j<k} (pi_A(j) - pi_B(j)) / T, k = 0..Z. */
function blumeLogWeights(p: MatrixGameParams, T: number): number[] {
  const logW: number[] = [0];
  let logChoose = 0;
  let potential = 0;
  for (let k = 1; k <= p.Z; k++) {
    logChoose += Math.log((p.Z - k + 1) / k);
    potential += expectedPayoff(p, k - 1, A) - expectedPayoff(p, k - 1, B);
    logW.push(logChoose + potential / T);
  }
  return logW;
}

/** Normalises log weights over k = from..Z (zero below), without overflow. */
function normalise(logW: readonly number[], from = 0): number[] {
  let max = -Infinity;
  for (let k = from; k < logW.length; k++) max = Math.max(max, logW[k]);
  const w = logW.map((x, k) => (k < from ? 0 : Math.exp(x - max)));
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/** Exact stationary distribution (Blume 1993). */
function blume(p: MatrixGameParams, T: number): number[] {
  return normalise(blumeLogWeights(p, T));
}

/** The chain's transition matrix over k = 0..Z A-players, one revision opportunity per step. */
function transitionMatrix(p: MatrixGameParams, T: number): number[][] {
  const Z = p.Z;
  const LA = (j: number) => 1 / (1 + Math.exp(-(expectedPayoff(p, j, A) - expectedPayoff(p, j, B)) / T));
  const P = Array.from({ length: Z + 1 }, () => new Array<number>(Z + 1).fill(0));
  for (let k = 0; k <= Z; k++) {
    const up = k < Z ? ((Z - k) / Z) * LA(k) : 0;
    const down = k > 0 ? (k / Z) * (1 - LA(k - 1)) : 0;
    if (k < Z) P[k][k + 1] = up;
    if (k > 0) P[k][k - 1] = down;
    P[k][k] = 1 - up - down;
  }
  return P;
}

/** Stationary distribution solved from the transition matrix (mathjs), to cross-check Blume's formula. */
function stationaryFromMatrix(P: number[][]): number[] {
  const n = P.length;
  const M = P.map((_, i) => P.map((row, j) => row[i] - (i === j ? 1 : 0)));
  M[n - 1] = new Array<number>(n).fill(1);
  const rhs = new Array<number>(n).fill(0);
  rhs[n - 1] = 1;
  return (lusolve(M, rhs) as number[][]).map((x) => x[0]);
}

/** Relaxation time in rounds, 1 / (1 - lambda2) / Z, from the symmetrised D^{1/2} P D^{-1/2} of a reversible P. */
function relaxationRounds(P: number[][], pi: number[]): number {
  const S = P.map((row, i) => row.map((x, j) => x * Math.sqrt(pi[i] / pi[j])));
  for (let i = 0; i < S.length; i++) for (let j = 0; j < i; j++) S[i][j] = S[j][i] = (S[i][j] + S[j][i]) / 2;
  const values = (eigs(S).values as unknown as number[]).slice().sort((x, y) => y - x);
  return 1 / (1 - values[1]) / (P.length - 1);
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const seOfMean = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

describe('logit in the stag hunt: stochastic stability (Blume 1993; Kandori, Mailath and Rob 1993)', () => {
  const Z = 10;
  const p = schema.parse({ Z, initial: { A: 0.5, B: 0.5 } });
  /** k < Z/2: more hare (B) players than stag; the risk-dominant half. */
  const bHalf = (dist: readonly number[]) => dist.reduce((s, x, k) => (k < Z / 2 ? s + x : s), 0);

  it("Blume's formula is the stationary distribution of the chain, and all-B takes all the mass as T -> 0", () => {
    for (const T of [3, 1, 0.4]) {
      const exact = blume(p, T);
      const solved = stationaryFromMatrix(transitionMatrix(p, T));
      for (let k = 0; k <= Z; k++) expect(Math.abs(exact[k] - solved[k])).toBeLessThan(1e-12);
      // and the package's chain (src/analysis, detailed balance in log space) is the same
      const t = transitions(gameOfModel(model, p).edge(A, B), Z, { rule: 'logit', temperature: T }, { rate: 0, convention: 'any', strategies: 2 });
      const pkg = stationaryDistribution(t.logUp, t.logDown)!;
      for (let k = 0; k <= Z; k++) expect(Math.abs(exact[k] - pkg.p[k])).toBeLessThan(1e-12);
    }
    const temps = [3, 2, 1, 0.5, 0.25, 0.1, 0.05];
    const allB = temps.map((T) => blume(p, T)[0]);
    for (let i = 1; i < temps.length; i++) expect(allB[i]).toBeGreaterThan(allB[i - 1]);
    expect(allB[0]).toBeLessThan(0.1);
    expect(allB[allB.length - 1]).toBeGreaterThan(1 - 1e-12);
    // and next to none on all-A, the payoff-dominant state
    expect(blume(p, 0.05)[Z]).toBeLessThan(1e-12);
  });

  // Replications: independent runs, each burnt in and then observed every round. At
  // these temperatures the chain relaxes within about 2 rounds (second eigenvalue of
  // the Z = 10 chain, checked below), so BURN_IN = 50 leaves a bias below e^-20 and
  // each run's time average over OBSERVED rounds is close to normal; the spread of the REPLICATIONS averages gives
  // the standard error. Tolerances: 4 SE, two-sided (false-alarm chance 6e-5 each).
  const REPLICATIONS = 40;
  const BURN_IN = 50;
  const OBSERVED = 2000;
  const K_SE = 4;

  function occupation(T: number): { perRep: Float64Array[]; pooled: Float64Array } {
    const relax = relaxationRounds(transitionMatrix(p, T), blume(p, T));
    expect(BURN_IN).toBeGreaterThan(20 * relax);
    expect(OBSERVED).toBeGreaterThan(500 * relax);
    const protocol = logit(T);
    const perRep: Float64Array[] = [];
    const pooled = new Float64Array(Z + 1);
    for (let rep = 0; rep < REPLICATIONS; rep++) {
      const sim = createSimulation(model, p, protocol, runSeed(MASTER, { model: model.name, ...p, protocol }, rep));
      for (let t = 0; t < BURN_IN; t++) sim.step();
      const h = new Float64Array(Z + 1);
      for (let t = 0; t < OBSERVED; t++) {
        sim.step();
        h[sim.state.pop.counts[A]] += 1 / OBSERVED;
      }
      for (let k = 0; k <= Z; k++) pooled[k] += h[k] / REPLICATIONS;
      perRep.push(h);
    }
    return { perRep, pooled };
  }

  const runs = new Map<number, ReturnType<typeof occupation>>();
  const run = (T: number) => {
    let r = runs.get(T);
    if (!r) runs.set(T, (r = occupation(T)));
    return r;
  };

  for (const T of [3, 1.5]) {
    it(`time-averaged occupation matches the exact distribution at T = ${T}`, () => {
      const exact = blume(p, T);
      const { perRep, pooled } = run(T);
      const meanA = (h: ArrayLike<number>) => Array.from(h).reduce((s, x, k) => s + (x * k) / Z, 0);
      const repMeans = perRep.map(meanA);
      const simMean = mean(repMeans);
      const se = seOfMean(repMeans);
      // Total variation bound: hat mu(k) is a mean of i.i.d. occupation fractions with
      // standard error se_k; with S = sum_k se_k, E[TV] <= S/2 and sd(TV) <= sqrt(1-2/pi) S/2
      // (Minkowski); bound = mean + 4 sd = (sqrt(2/pi) + 4 sqrt(1-2/pi)) S/2.
      let S = 0;
      for (let k = 0; k <= Z; k++) S += seOfMean(perRep.map((h) => h[k]));
      const tvBound = ((Math.sqrt(2 / Math.PI) + 4 * Math.sqrt(1 - 2 / Math.PI)) * S) / 2;
      let tv = 0;
      for (let k = 0; k <= Z; k++) tv += Math.abs(pooled[k] - exact[k]) / 2;
      // discriminating: the neighbouring temperature's distribution is far outside the bound
      let tvNeighbour = 0;
      const other = blume(p, T * 1.25);
      for (let k = 0; k <= Z; k++) tvNeighbour += Math.abs(other[k] - exact[k]) / 2;
      expect(tvNeighbour).toBeGreaterThan(2 * tvBound);

      const line =
        `logit Z=${Z} T=${T}: mean A share simulated ${simMean.toFixed(4)} exact ${meanA(exact).toFixed(4)} ` +
        `SE ${se.toFixed(4)}; TV ${tv.toFixed(4)} bound ${tvBound.toFixed(4)} (TV to T x 1.25: ${tvNeighbour.toFixed(3)}); ` +
        `mass on all-B simulated ${pooled[0].toFixed(4)} exact ${exact[0].toFixed(4)}`;
      if (process.env.MIGOV_VERBOSE) console.log(line);
      expect(Math.abs(simMean - meanA(exact)), line).toBeLessThanOrEqual(K_SE * se);
      expect(tv, line).toBeLessThanOrEqual(tvBound);
    });
  }

  it('the simulated mass on the risk-dominant (B) half grows as T falls', () => {
    const temps = [3, 2, 1.5, 1];
    const stats = temps.map((T) => {
      const reps = run(T).perRep.map((h) => bHalf(Array.from(h)));
      return { T, sim: mean(reps), se: seOfMean(reps), exact: bHalf(blume(p, T)) };
    });
    const line = stats
      .map((s) => `T=${s.T}: B half simulated ${s.sim.toFixed(4)} (SE ${s.se.toFixed(4)}) exact ${s.exact.toFixed(4)}`)
      .join('; ');
    if (process.env.MIGOV_VERBOSE) console.log(`logit Z=${Z} ${line}`);
    for (let i = 0; i < stats.length; i++) {
      expect(Math.abs(stats[i].sim - stats[i].exact), line).toBeLessThanOrEqual(K_SE * stats[i].se);
      if (i === 0) continue;
      // each step down in temperature raises the mass by more than 4 combined SE
      const gap = stats[i].sim - stats[i - 1].sim;
      expect(gap, line).toBeGreaterThan(K_SE * Math.hypot(stats[i].se, stats[i - 1].se));
    }
  });
});

/** Every fixed point of x = L(x) in [0, 1], by bisection within each sign change on a fine grid. */
function logitFixedPoints(p: MatrixGameParams, T: number): number[] {
  const f = (x: number) => {
    const gap = p.a * x + p.b * (1 - x) - (p.c * x + p.d * (1 - x));
    return 1 / (1 + Math.exp(-gap / T)) - x;
  };
  const cells = 10_000;
  const roots: number[] = [];
  for (let i = 0; i < cells; i++) {
    let lo = i / cells;
    let hi = (i + 1) / cells;
    if (f(lo) === 0) roots.push(lo);
    if (f(lo) * f(hi) >= 0) continue;
    for (let it = 0; it < 100; it++) {
      const mid = (lo + hi) / 2;
      if (f(lo) * f(mid) <= 0) hi = mid;
      else lo = mid;
    }
    roots.push((lo + hi) / 2);
  }
  return roots;
}

describe('logit in the stag hunt: large population at the logit equilibrium (McKelvey and Palfrey 1995)', () => {
  const Z = 10_000;
  // Independent replications; at these temperatures L'(x*) < 0.4, so the mean dynamic
  // relaxes in under 2 rounds and BURN_IN = 30 rounds is ample.
  const REPLICATIONS = 8;
  const BURN_IN = 30;
  const OBSERVED = 100;
  const K_SE = 4;

  const cases = [
    { T: 1.5, start: 0.5, roots: 1, pick: 0, note: 'T > 1: unique fixed point' },
    { T: 0.2, start: 0.9, roots: 3, pick: 2, note: 'T = 0.2: three fixed points, start in the basin of the upper one' },
  ];

  for (const k of cases) {
    it(`Z=${Z}, ${k.note}`, () => {
      const p = schema.parse({ Z, initial: { A: k.start, B: 1 - k.start } });
      const roots = logitFixedPoints(p, k.T);
      expect(roots.length).toBe(k.roots);
      const xStar = roots[k.pick];
      // slope of the logit map at x*: (a - b - c + d) x* (1 - x*) / T < 0.4, so the mean
      // dynamic contracts towards x* by a factor e^{-0.6} or less per round
      expect(((p.a - p.b - p.c + p.d) * xStar * (1 - xStar)) / k.T).toBeLessThan(0.4);
      if (k.roots === 3) {
        // start above the unstable middle root: the mean dynamic carries it to the upper one
        expect(k.start).toBeGreaterThan(roots[1]);
        expect(k.start).toBeLessThan(xStar);
      }
      // The finite-Z chain (payoffs against Z - 1 others) differs from the mean-field
      // fixed point by O(1/Z). Check it with the exact Blume distribution, restricted
      // to the basin (k/Z above the unstable root) in the three-root case, where the
      // run stays for a time exponential in Z (quasi-stationary distribution).
      const from = k.roots === 3 ? Math.ceil(roots[1] * Z) : 0;
      const exact = normalise(blumeLogWeights(p, k.T), from);
      let m = 0;
      for (let j = from; j <= Z; j++) m += (exact[j] * j) / Z;
      const exactMean = m;
      const bias = 1 / Z;
      expect(Math.abs(exactMean - xStar)).toBeLessThan(bias);

      const protocol = logit(k.T);
      const repMeans: number[] = [];
      for (let rep = 0; rep < REPLICATIONS; rep++) {
        const sim = createSimulation(model, p, protocol, runSeed(MASTER, { model: model.name, ...p, protocol }, rep));
        for (let t = 0; t < BURN_IN; t++) sim.step();
        let acc = 0;
        for (let t = 0; t < OBSERVED; t++) {
          sim.step();
          acc += sim.state.pop.counts[A] / Z;
        }
        repMeans.push(acc / OBSERVED);
      }
      const simMean = mean(repMeans);
      const se = seOfMean(repMeans);
      // Tolerance: 4 SE of the mean over independent replications (two-sided, false
      // alarm 6e-5; with 8 replications the t distribution's tail at 4 is 0.005, still
      // small) plus the 1/Z allowance for the finite-population offset shown above.
      const tol = K_SE * se + bias;
      // discriminating: a 5% error in the temperature moves the fixed point by more
      const shifted = logitFixedPoints(p, k.T * 1.05);
      expect(Math.abs(shifted[shifted.length === k.roots ? k.pick : shifted.length - 1] - xStar)).toBeGreaterThan(tol);

      const line =
        `logit Z=${Z} T=${k.T} start ${k.start}: mean A share simulated ${simMean.toFixed(5)} fixed point ${xStar.toFixed(5)} ` +
        `(exact finite-Z ${exactMean.toFixed(5)}) SE ${se.toFixed(5)} tol ${tol.toFixed(5)}; roots ${roots.map((r) => r.toFixed(4)).join(', ')}`;
      if (process.env.MIGOV_VERBOSE) console.log(line);
      expect(Math.abs(simMean - xStar), line).toBeLessThanOrEqual(tol);
    });
  }
});
