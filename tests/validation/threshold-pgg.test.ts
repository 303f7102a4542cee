// Validation of the collective-risk dilemma against the analysis of Santos and Pacheco
// (2011) "Risk of collective failure provides an escape from the tragedy of the
// commons", PNAS 108:10421, and Pacheco, Santos, Souza and Skyrms (2009) Proc R Soc B
// 276:315.
//
// Payoffs (Santos and Pacheco 2011, eqs. 1-2), j cooperators in a group of N:
//   Pi_D(j) = b [Theta(j - M) + (1 - r)(1 - Theta(j - M))],  Pi_C(j) = Pi_D(j) - c b.
// Infinite population (replicator dynamics): xdot = x (1 - x) (f_C - f_D) with
//   f_C(x) - f_D(x) = b [ r C(N-1, M-1) x^{M-1} (1-x)^{N-M} - c ],
// which, for enough risk, has two interior roots: x_L (unstable coordination
// threshold) and x_R (stable coexistence).
// Finite population, pairwise comparison (Fermi) rule: the gradient of selection
//   g(k) = (k/Z) ((Z-k)/Z) tanh(beta/2 (f_C(k) - f_D(k)))
// is the expected change of the cooperator share per revision opportunity (times
// Z/(Z-1), the chance that the model partner is one of the Z - 1 others).
import { modelMetrics } from '../../src/engine/model.ts';
import { describe, expect, it } from 'vitest';
import { createSimulation, simulate } from '../../src/engine/simulate.ts';
import { setChoice } from '../../src/engine/population.ts';
import { createRng, randomInt } from '../../src/engine/rng.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import {
  C,
  D,
  expectedPayoff,
  gradientOfSelection,
  infiniteGradient,
  infiniteInteriorRoots,
  model,
  params as schema,
  payoffDifference,
  thresholdTables,
  type ThresholdGame,
  type ThresholdPggState,
} from '../../models/threshold-pgg.ts';

/** Interior roots of the finite-population payoff difference f_C(k) - f_D(k), k = 1..Z-1, as shares (linear interpolation between the two k around each sign change). */
function finiteRoots(g: ThresholdGame): number[] {
  const t = thresholdTables(g.Z, g.N, g.M);
  const roots: number[] = [];
  let prev = payoffDifference(g, t, 1);
  for (let k = 2; k < g.Z; k++) {
    const d = payoffDifference(g, t, k);
    if ((prev < 0 && d >= 0) || (prev > 0 && d <= 0)) roots.push((k - 1 + prev / (prev - d)) / g.Z);
    prev = d;
  }
  return roots;
}

const fermi = (beta: number, revisionRate = 1): FermiProtocol => ({
  rule: 'fermi',
  selectionIntensity: beta,
  revisionRate,
  mutation: 0,
  updating: 'async',
});

describe('threshold PGG payoffs', () => {
  it('tabulated expected payoffs equal brute-force enumeration of every group (Z = 9, N = 4, M = 2)', () => {
    const g = { Z: 9, N: 4, M: 2, r: 0.7, c: 0.3, b: 2 };
    const t = thresholdTables(g.Z, g.N, g.M);
    const pi = (j: number, s: number): number => {
      const kept = j >= g.M ? g.b : g.b * (1 - g.r);
      return s === C ? kept - g.c * g.b : kept;
    };
    // others 0..Z-2 are the focal agent's Z - 1 others; the first k cooperate
    for (let k = 0; k < g.Z; k++) {
      const sum = [0, 0];
      let groups = 0;
      for (let a = 0; a < g.Z - 1; a++) {
        for (let b = a + 1; b < g.Z - 1; b++) {
          for (let d = b + 1; d < g.Z - 1; d++) {
            const i = (a < k ? 1 : 0) + (b < k ? 1 : 0) + (d < k ? 1 : 0);
            sum[C] += pi(i + 1, C);
            sum[D] += pi(i, D);
            groups++;
          }
        }
      }
      expect(expectedPayoff(g, t, k, C)).toBeCloseTo(sum[C] / groups, 12);
      expect(expectedPayoff(g, t, k, D)).toBeCloseTo(sum[D] / groups, 12);
    }
  });

  it('the sampled payoff averages to the expected one (within 4 standard errors)', () => {
    const p = schema.parse({ Z: 50, N: 6, M: 3, r: 0.9, c: 0.1, payoffs: 'sampled', initial: { C: 0.3, D: 0.7 } });
    const rng = createRng('threshold-sampled');
    const state = model.init(p, rng);
    const agent = 0;
    const others = state.pop.counts[C] - (state.pop.choice[agent] === C ? 1 : 0);
    const n = 20_000;
    for (const s of [C, D]) {
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < n; i++) {
        const x = model.payoff(state, agent, 0, s, rng);
        sum += x;
        sum2 += x * x;
      }
      const mean = sum / n;
      const se = Math.sqrt((sum2 / n - mean * mean) / n);
      expect(Math.abs(mean - expectedPayoff(p, state.tables, others, s))).toBeLessThan(4 * se);
    }
  });

  it('threshold_share is the exact chance that a random group of N reaches M', () => {
    const p = schema.parse({ Z: 8, N: 3, M: 2, initial: { C: 0.375, D: 0.625 } });
    const state = model.init(p, createRng('threshold-share'));
    const k = state.pop.counts[C];
    expect(k).toBe(3);
    // groups of 3 out of 8 with 3 cooperators: P(j >= 2) = [C(3,2) C(5,1) + C(3,3)] / C(8,3) = 16/56
    const share = modelMetrics(model, {}).find((m) => m.name === 'threshold_share')!.value(state);
    expect(share).toBeCloseTo(16 / 56, 12);
  });
});

describe('Santos and Pacheco (2011): roots of the gradient', () => {
  // (a) The finite-population roots converge to the analytic infinite-population ones.
  // The finite-Z payoffs differ from the binomial limit at order 1/Z: a cooperator sees
  // k - 1 cooperating others and a defector k (a shift of 1/Z in x), and sampling
  // without replacement changes the group probabilities by O(N^2 / Z). So |x_Z - x_inf|
  // should be c0/Z with c0 of order 1; we check |x_Z - x_inf| < 2/Z at Z = 10^3 and
  // 10^4 (c0 is measured at about 1.25 for x_L and 1.34 for x_R) and that the error
  // shrinks by a factor of 10 (within 10%) from Z = 10^3 to 10^4, i.e. like 1/Z.
  it('N = 6, M = 3, c = 0.1, r = 0.9: two interior roots, finite-Z roots within 2/Z', () => {
    const game = { N: 6, M: 3, r: 0.9, c: 0.1, b: 1 };
    const inf = infiniteInteriorRoots(game);
    expect(inf).toHaveLength(2);
    const [xL, xR] = inf;
    expect(Math.abs(infiniteGradient(game, xL))).toBeLessThan(1e-12);
    expect(Math.abs(infiniteGradient(game, xR))).toBeLessThan(1e-12);
    // x_L unstable (gradient rises through it), x_R stable (falls through it)
    expect(infiniteGradient(game, xL - 0.01)).toBeLessThan(0);
    expect(infiniteGradient(game, xL + 0.01)).toBeGreaterThan(0);
    expect(infiniteGradient(game, xR - 0.01)).toBeGreaterThan(0);
    expect(infiniteGradient(game, xR + 0.01)).toBeLessThan(0);
    const err: number[][] = [];
    for (const Z of [1000, 10_000]) {
      const fin = finiteRoots({ ...game, Z });
      expect(fin).toHaveLength(2);
      const e = fin.map((x, i) => Math.abs(x - inf[i]));
      for (const ei of e) expect(ei).toBeLessThan(2 / Z);
      err.push(e);
    }
    for (let i = 0; i < 2; i++) {
      const ratio = err[0][i] / err[1][i];
      expect(ratio).toBeGreaterThan(9);
      expect(ratio).toBeLessThan(11);
    }
  });

  // measured: Z |x_Z - x_inf| = 1.64 for x_L and 1.63 for x_R
  it('N = 10, M = 5, c = 0.1, r = 0.5: two interior roots, finite-Z roots within 2/Z', () => {
    const game = { N: 10, M: 5, r: 0.5, c: 0.1, b: 1 };
    const inf = infiniteInteriorRoots(game);
    expect(inf).toHaveLength(2);
    const Z = 10_000;
    const fin = finiteRoots({ ...game, Z });
    expect(fin).toHaveLength(2);
    for (let i = 0; i < 2; i++) expect(Math.abs(fin[i] - inf[i])).toBeLessThan(2 / Z);
  });

  it('N = 6, M = 3, c = 0.1, r = 0.2: too little risk, no interior root, defection dominates at every k', () => {
    // the peak of r C(5,2) x^2 (1-x)^3, at x = 2/5, is 0.2 * 0.3456 = 0.069 < c = 0.1
    const game = { N: 6, M: 3, r: 0.2, c: 0.1, b: 1 };
    expect(infiniteInteriorRoots(game)).toEqual([]);
    const Z = 10_000;
    const g = { ...game, Z };
    const t = thresholdTables(Z, g.N, g.M);
    let max = -Infinity;
    for (let k = 1; k < Z; k++) max = Math.max(max, payoffDifference(g, t, k));
    expect(max).toBeLessThan(0);
    expect(finiteRoots(g)).toEqual([]);
  });
});

describe('Santos and Pacheco (2011): the engine follows the gradient of selection', () => {
  const Z = 1000;
  const beta = 10;
  const game = { Z, N: 6, M: 3, r: 0.9, c: 0.1, b: 1 };
  const [xL, xR] = finiteRoots(game);
  const tables = thresholdTables(Z, game.N, game.M);

  // (b) Drift of the Fermi process measured through the engine. The population is
  // held at k cooperators: each round of the simulation (Z revision opportunities,
  // each taken with probability `rate`, so about rate * Z = 20 revisions) is run, the
  // change in k recorded, and k restored by switching random agents back. The mean
  // change per round estimates rate * Z * (Z/(Z-1)) g(k) (the state wanders only by a
  // few agents within a round, a bias of about 2% near the roots, below the error).
  // States: 0.05 on either side of each root, and one state well inside each basin.
  // Rounds per state: 2500 (50,000 revisions), so that the expected |drift| is at
  // least 7 standard errors at every state (measured: 16 to 85); we require the
  // measured sign to hold at 4 standard errors (a false failure has one-sided chance
  // 3e-5 per state) and the value to agree with the analytic one within 4 standard
  // errors plus 5% (measured: all within 0.6 standard errors).
  const rate = 0.02;
  const rounds = 2500;
  const states = [0.03, xL - 0.05, xL + 0.05, 0.45, xR - 0.05, xR + 0.05].map((x) => Math.round(x * Z));

  it.each(states)('at k = %i the measured drift has the sign and size of the analytic gradient', (k) => {
    const p = schema.parse({ ...game, initial: { C: k / Z, D: 1 - k / Z } });
    const sim = createSimulation<ThresholdPggState>(model, p, fermi(beta, rate), `drift-${k}`);
    const pop = sim.state.pop;
    const restore = createRng(`restore-${k}`);
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < rounds; i++) {
      sim.step();
      const dk = pop.counts[C] - k;
      sum += dk;
      sum2 += dk * dk;
      while (pop.counts[C] !== k) {
        const a = randomInt(restore, Z);
        const from = pop.counts[C] > k ? C : D;
        if (pop.choice[a] === from) setChoice(pop, a, 0, from === C ? D : C);
      }
    }
    const mean = sum / rounds;
    const se = Math.sqrt((sum2 / rounds - mean * mean) / rounds);
    const analytic = rate * Z * (Z / (Z - 1)) * gradientOfSelection(game, tables, k, beta);
    const x = k / Z;
    const expectedSign = x < xL || x > xR ? -1 : 1;
    expect(Math.sign(analytic)).toBe(expectedSign);
    expect(Math.abs(analytic) / se).toBeGreaterThan(7);
    expect(expectedSign * mean).toBeGreaterThan(4 * se);
    expect(Math.abs(mean - analytic)).toBeLessThan(4 * se + 0.05 * Math.abs(analytic));
  });

  // (c) Whole runs. Started 0.05 above x_L, cooperation climbs to x_R; 0.05 below it
  // falls to 0 (absorbing). The chance that a run from x_L + 0.05 reaches x_R before 0
  // is computed exactly from the birth-death chain (ratios T-/T+ = e^{-beta (f_C - f_D)}):
  // it is above 1 - 1e-6, so every one of the runs should climb. The time-average of a
  // climbing run over rounds 100..300 has a quasi-stationary standard deviation of
  // about 0.011 per snapshot (linearising the drift at x_R), with snapshots about one
  // round apart in correlation: 0.02 is over 10 standard errors of that average.
  it('runs from just above x_L climb to x_R; runs from just below fall to 0', () => {
    const kUp = Math.round((xL + 0.05) * Z);
    const kDown = Math.round((xL - 0.05) * Z);
    const kR = Math.round(xR * Z);
    // exact probability of hitting kR before 0 from kUp
    const gamma = (j: number): number => Math.exp(-beta * payoffDifference(game, tables, j));
    let prod = 1;
    let num = 0;
    let den = 0;
    for (let i = 0; i < kR; i++) {
      if (i > 0) prod *= gamma(i);
      if (i < kUp) num += prod;
      den += prod;
    }
    expect(num / den).toBeGreaterThan(1 - 1e-6);

    const runs = 6;
    for (let rep = 0; rep < runs; rep++) {
      const up = simulate(model, schema.parse({ ...game, initial: { C: kUp / Z, D: 1 - kUp / Z } }), fermi(beta), {
        seed: `climb-${rep}`,
        rounds: 300,
        recordEvery: 1,
      });
      const late = up.values.filter((_, i) => up.rounds[i] >= 100).map((v) => v[0]);
      const mean = late.reduce((a, b) => a + b, 0) / late.length;
      expect(Math.abs(mean - xR)).toBeLessThan(0.02);

      const down = simulate(model, schema.parse({ ...game, initial: { C: kDown / Z, D: 1 - kDown / Z } }), fermi(beta), {
        seed: `fall-${rep}`,
        rounds: 300,
        recordEvery: 10,
        stop: { absorbing: true },
      });
      expect(down.stoppedBy).toBe('absorbing');
      expect(down.values[down.values.length - 1][0]).toBe(0);
    }
  });
});
