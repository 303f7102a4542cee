// Long-run distribution of the number of cooperators in the linear public goods game
// under the pairwise comparison (Fermi) process with mutation, against the exact
// stationary distribution of the birth-death chain.
//
// Sources: Traulsen A, Nowak MA, Pacheco JM (2006) Stochastic dynamics of invasion and
// fixation. Phys Rev E 74:011909; Traulsen A, Pacheco JM, Nowak MA (2007) J Theor Biol
// 246:522-529; the mutation convention (a mutant picks uniformly among all strategies,
// its own included) as in src/engine/protocol.ts.
//
// One revision opportunity goes to an agent drawn uniformly (async updating, revision
// rate 1). With k cooperators, F(x) = 1 / (1 + e^{-beta x}) and the expected payoffs
// pi_C(k) (a cooperator facing k - 1 cooperating others) and pi_D(k) (a defector facing k):
//   T+(k) = (Z-k)/Z [ (1-mu) k/(Z-1) F(pi_C(k) - pi_D(k)) + mu/2 ],
//   T-(k) = k/Z     [ (1-mu) (Z-k)/(Z-1) F(pi_D(k) - pi_C(k)) + mu/2 ],
// P(k, k+1) = T+(k), P(k, k-1) = T-(k), P(k, k) = 1 - T+(k) - T-(k). The stationary
// distribution pi solves pi (P - I) = 0 with sum pi = 1; it is solved here as the
// linear system (P^T - I) pi = 0 with its last row replaced by the normalisation.
// A round is Z opportunities, so the distribution seen once a round is the same pi.
import { eigs, lusolve } from 'mathjs';
import { describe, expect, it } from 'vitest';
import model, { C, D, expectedPayoff, type LinearPggParams, params as schema } from '../../models/linear-pgg.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { createSimulation } from '../../src/engine/simulate.ts';
import { gameOfModel, stationaryDistribution, transitions } from '../../src/analysis/index.ts';

const MASTER = 'linear-pgg-stationary';

function transitionMatrix(p: LinearPggParams, beta: number, mu: number, mutantSwitch = mu / 2): number[][] {
  const Z = p.Z;
  const F = (x: number) => 1 / (1 + Math.exp(-beta * x));
  const P = Array.from({ length: Z + 1 }, () => new Array<number>(Z + 1).fill(0));
  for (let k = 0; k <= Z; k++) {
    const gap = k > 0 && k < Z ? expectedPayoff(p, k - 1, C) - expectedPayoff(p, k, D) : 0;
    const up = k < Z ? ((Z - k) / Z) * ((1 - mu) * (k / (Z - 1)) * F(gap) + mutantSwitch) : 0;
    const down = k > 0 ? (k / Z) * ((1 - mu) * ((Z - k) / (Z - 1)) * F(-gap) + mutantSwitch) : 0;
    if (k < Z) P[k][k + 1] = up;
    if (k > 0) P[k][k - 1] = down;
    P[k][k] = 1 - up - down;
  }
  return P;
}

function stationary(P: number[][]): number[] {
  const n = P.length;
  const A = P.map((_, i) => P.map((row, j) => row[i] - (i === j ? 1 : 0)));
  A[n - 1] = new Array<number>(n).fill(1);
  const b = new Array<number>(n).fill(0);
  b[n - 1] = 1;
  return (lusolve(A, b) as number[][]).map((x) => x[0]);
}

/** Second largest eigenvalue of a reversible P, from the symmetric D^{1/2} P D^{-1/2}. */
function secondEigenvalue(P: number[][], pi: number[]): number {
  const S = P.map((row, i) => row.map((x, j) => x * Math.sqrt(pi[i] / pi[j])));
  for (let i = 0; i < S.length; i++) for (let j = 0; j < i; j++) S[i][j] = S[j][i] = (S[i][j] + S[j][i]) / 2;
  const values = (eigs(S).values as unknown as number[]).slice().sort((x, y) => y - x);
  return values[1];
}

function tv(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return s / 2;
}

interface Case {
  Z: number;
  N: number;
  r: number;
  beta: number;
  mu: number;
  note: string;
}

const cases: Case[] = [
  { Z: 20, N: 5, r: 3, beta: 0.5, mu: 0.05, note: 'r < N: mass near all-D' },
  { Z: 20, N: 5, r: 8, beta: 0.5, mu: 0.05, note: 'r > N(Z-1)/(Z-N): mass near all-C' },
  { Z: 16, N: 4, r: 6, beta: 1, mu: 0.02, note: 'bimodal, rare mutation' },
];

/** Independent replications per case; each is burnt in, then observed every round. */
const REPLICATIONS = 100;
const BURN_IN = 400;
const OBSERVED = 3000;
/**
 * Tolerance for the mean share, in standard errors of the mean over replications. The
 * replications are independent and each one's time average is over OBSERVED rounds,
 * many relaxation times (checked below), so the REPLICATIONS averages are i.i.d. with
 * a near-normal distribution; their spread estimates the standard error whatever the
 * autocorrelation within a run. 3 cases x 4 SE two-sided: false-alarm chance < 2e-4.
 */
const K_SE = 4;

describe('linear PGG, Fermi process with mutation: stationary distribution of the number of cooperators', () => {
  it("the package's chain (src/analysis, detailed balance in log space) equals the dense solve, in both mutation conventions", () => {
    for (const k of cases) {
      const p = schema.parse({ Z: k.Z, N: k.N, r: k.r, c: 1, payoffs: 'expected' });
      const edge = gameOfModel(model, p).edge(C, D);
      for (const [convention, mutantSwitch] of [['any', k.mu / 2], ['other', k.mu]] as const) {
        const t = transitions(edge, k.Z, { rule: 'fermi', beta: k.beta }, { rate: k.mu, convention, strategies: 2 });
        const pkg = stationaryDistribution(t.logUp, t.logDown)!;
        const dense = stationary(transitionMatrix(p, k.beta, k.mu, mutantSwitch));
        for (let j = 0; j <= k.Z; j++) expect(Math.abs(pkg.p[j] - dense[j])).toBeLessThan(1e-10);
      }
    }
  });

  for (const k of cases) {
    it(`Z=${k.Z} N=${k.N} r=${k.r} beta=${k.beta} mu=${k.mu} (${k.note})`, () => {
      const p = schema.parse({ Z: k.Z, N: k.N, r: k.r, c: 1, payoffs: 'expected', initial: { C: 0.5, D: 0.5 } });
      const protocol: FermiProtocol = {
        rule: 'fermi',
        selectionIntensity: k.beta,
        revisionRate: 1,
        mutation: k.mu,
        updating: 'async',
      };
      const Z = k.Z;
      const P = transitionMatrix(p, k.beta, k.mu);
      const pi = stationary(P);

      // The exact solution is a distribution and satisfies detailed balance
      // pi(k) T+(k) = pi(k+1) T-(k+1), as every birth-death chain must.
      expect(pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (let j = 0; j <= Z; j++) expect(pi[j]).toBeGreaterThan(0);
      for (let j = 0; j < Z; j++) {
        expect(Math.abs(pi[j] * P[j][j + 1] - pi[j + 1] * P[j + 1][j])).toBeLessThan(1e-12);
      }

      // Burn-in: the distance to stationarity falls as lambda2^t per opportunity; a
      // burn-in of at least 10 relaxation times leaves a bias below e^-10.
      const relaxRounds = 1 / (1 - secondEigenvalue(P, pi)) / Z;
      expect(BURN_IN).toBeGreaterThan(10 * relaxRounds);
      expect(OBSERVED).toBeGreaterThan(50 * relaxRounds);

      const exactMean = pi.reduce((s, x, j) => s + (x * j) / Z, 0);
      const pooled = new Float64Array(Z + 1);
      const perRep: Float64Array[] = [];
      const means: number[] = [];
      for (let rep = 0; rep < REPLICATIONS; rep++) {
        const sim = createSimulation(model, p, protocol, runSeed(MASTER, { model: model.name, ...p, protocol }, rep));
        for (let t = 0; t < BURN_IN; t++) sim.step();
        const h = new Float64Array(Z + 1);
        for (let t = 0; t < OBSERVED; t++) {
          sim.step();
          h[sim.state.pop.counts[C]]++;
        }
        let m = 0;
        for (let j = 0; j <= Z; j++) {
          h[j] /= OBSERVED;
          pooled[j] += h[j] / REPLICATIONS;
          m += (h[j] * j) / Z;
        }
        perRep.push(h);
        means.push(m);
      }
      const simMean = means.reduce((a, b) => a + b, 0) / REPLICATIONS;
      const se = Math.sqrt(means.reduce((a, b) => a + (b - simMean) ** 2, 0) / (REPLICATIONS - 1) / REPLICATIONS);

      // Total variation: hat pi(j) is a mean of REPLICATIONS i.i.d. occupation fractions,
      // with standard error se_j from their spread. E|hat pi(j) - pi(j)| <= se_j, so
      // E[TV] <= S / 2 with S = sum_j se_j (for normal errors, sqrt(2/pi) S / 2), and the
      // standard deviation of TV is at most sqrt(1 - 2/pi) S / 2 by Minkowski's inequality
      // whatever the correlation between the j. The bound is the mean plus 4 of those
      // standard deviations: (sqrt(2/pi) + 4 sqrt(1 - 2/pi)) S / 2, about 1.6 S.
      let S = 0;
      for (let j = 0; j <= Z; j++) {
        let v = 0;
        for (const h of perRep) v += (h[j] - pooled[j]) ** 2;
        S += Math.sqrt(v / (REPLICATIONS - 1) / REPLICATIONS);
      }
      const tvBound = ((Math.sqrt(2 / Math.PI) + 4 * Math.sqrt(1 - 2 / Math.PI)) * S) / 2;
      const tvSim = tv(Array.from(pooled), pi);

      // Both checks discriminate: the neutral chain (beta = 0) and the chain whose
      // mutants always switch strategy (mu instead of mu / 2) lie far outside them.
      const neutral = stationary(transitionMatrix(p, 0, k.mu));
      const alwaysSwitch = stationary(transitionMatrix(p, k.beta, k.mu, k.mu));
      expect(tv(neutral, pi)).toBeGreaterThan(2 * tvBound);
      expect(tv(alwaysSwitch, pi)).toBeGreaterThan(2 * tvBound);
      const altMean = alwaysSwitch.reduce((s, x, j) => s + (x * j) / Z, 0);
      expect(Math.abs(altMean - exactMean)).toBeGreaterThan(2 * K_SE * se);

      const line =
        `stationary Z=${Z} N=${k.N} r=${k.r} beta=${k.beta} mu=${k.mu}: mean C share simulated ${simMean.toFixed(4)} ` +
        `exact ${exactMean.toFixed(4)} SE ${se.toFixed(4)} z ${((simMean - exactMean) / se).toFixed(2)}; ` +
        `TV ${tvSim.toFixed(4)} bound ${tvBound.toFixed(4)} (TV to neutral ${tv(neutral, pi).toFixed(3)}, ` +
        `to mu-switch ${tv(alwaysSwitch, pi).toFixed(3)}); relaxation ${relaxRounds.toFixed(1)} rounds`;
      if (process.env.MIGOV_VERBOSE) console.log(line);
      expect(Math.abs(simMean - exactMean), line).toBeLessThanOrEqual(K_SE * se);
      expect(tvSim, line).toBeLessThanOrEqual(tvBound);
    });
  }
});
