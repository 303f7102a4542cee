// Validation of the optional public goods game against Hauert, De Monte, Hofbauer and
// Sigmund (2002), Science 296:1129 ("Volunteering as Red Queen mechanism for
// cooperation in public goods games") and J Theor Biol 218:187 ("Replicator dynamics
// for optional public good games").
//
// Their infinite-population payoffs (x, y, z the shares of C, D, L; c = 1 there):
//   P_L = sigma,  P_D = sigma z^{N-1} + r c (x/(1-z)) (1 - (1 - z^N)/(N (1 - z))),
//   P_C = P_D - c F(z),  F(z) = 1 + (r - 1) z^{N-1} - (r/N)(1 - z^N)/(1 - z).
// Under the replicator dynamics, for 2 < r < N the interior rest point is surrounded by
// closed orbits along which C, D and L cycle (C -> D -> L -> C: defectors exploit
// cooperators, loners beat a population of defectors, cooperators thrive among few
// participants), and since d ln z/dt = sigma - Pbar the time average of the population
// payoff over a cycle is exactly sigma. For r <= 2 every interior orbit ends at the
// all-loner state.
//
// The engine runs the pairwise Fermi process (Traulsen, Nowak and Pacheco 2006): a
// revising agent a meets a random b and copies it with probability
// 1 / (1 + e^{-beta (P_b - P_a)}). With Z decisions per generation and mutation mu
// (a revising agent picks one of the 3 strategies at random), its mean field is
//   dx_i/dt = (1 - mu) x_i sum_j x_j tanh(beta (P_i - P_j) / 2) + mu (1/3 - x_i),
// since logistic(u) - logistic(-u) = tanh(u/2); for small beta this is the replicator
// equation dx_i/dt = (beta/2) x_i (P_i - Pbar) (+ mutation) in generations.
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type RunResult } from '../../src/engine/simulate.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import { infinitePayoffs, model, params as schema } from '../../models/optional-pgg.ts';

const beta = 0.5;
const mu = 1e-4;
const sigma = 1;
const fermi: FermiProtocol = { rule: 'fermi', selectionIntensity: beta, mutation: mu, revisionRate: 1, updating: 'async' };
// metric columns: share_C, share_D, share_L, mean_payoff, cooperation_among_participants
const MEAN_PAYOFF = 3;

type Kind = 'fermi' | 'replicator';

/**
 * RK4 solution of the mean-field ODE (see the header) at integer generations 0..T.
 * `speed` rescales time (1 is the engine's; other values test the check's power).
 */
function meanField(r: number, x0: readonly number[], T: number, kind: Kind, speed = 1): number[][] {
  const pay = { N: 5, r, c: 1, sigma };
  const rhs = (x: readonly number[]): number[] => {
    const total = x[0] + x[1] + x[2];
    const P = infinitePayoffs(pay, x[0] / total, x[1] / total, 1 - x[0] / total - x[1] / total);
    const p = [P.C, P.D, P.L];
    const pbar = (x[0] * p[0] + x[1] * p[1] + x[2] * p[2]) / total;
    return [0, 1, 2].map((i) => {
      let g = 0;
      if (kind === 'fermi') for (let j = 0; j < 3; j++) g += x[j] * Math.tanh((beta * (p[i] - p[j])) / 2);
      else g = (beta / 2) * (p[i] - pbar);
      return speed * ((1 - mu) * x[i] * g + mu * (1 / 3 - x[i]));
    });
  };
  const steps = 50; // h = 0.02 generation
  const h = 1 / steps;
  let x = [...x0];
  const out = [x];
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < steps; s++) {
      const k1 = rhs(x);
      const k2 = rhs(x.map((v, i) => v + (h / 2) * k1[i]));
      const k3 = rhs(x.map((v, i) => v + (h / 2) * k2[i]));
      const k4 = rhs(x.map((v, i) => v + h * k3[i]));
      x = x.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }
    out.push(x);
  }
  return out;
}

/**
 * Peaks of a noisy oscillating series, with hysteresis so that noise makes no false
 * peaks: an excursion starts when the series rises above `hi` and ends when it falls
 * below `lo`; its peak is the time of its maximum.
 */
function peaks(series: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  let inside = false;
  let best = 0;
  for (let t = 0; t < series.length; t++) {
    if (!inside && series[t] > hi) {
      inside = true;
      best = t;
    }
    if (inside) {
      if (series[t] > series[best]) best = t;
      if (series[t] < lo) {
        out.push(best);
        inside = false;
      }
    }
  }
  return out;
}

const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sdOf = (v: readonly number[]): number => {
  const m = meanOf(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

describe('optional PGG, 2 < r < N: rock-paper-scissors cycles and the Red Queen (Hauert et al. 2002)', () => {
  // Z = 10^4 and 900 generations: about 10 cycles (the mean-field period from this start
  // is about 88 generations); 8 replications, 7.2e7 decisions in all.
  const Z = 10_000;
  const rounds = 900;
  const R = 8;
  const p = schema.parse({ Z, N: 5, r: 3, sigma, initial: { C: 0.5, D: 0.25, L: 0.25 } });
  interface Summary {
    peaks: number[][];
    ordered: number;
    transitions: number;
    cycleAverage: number;
    payoffRange: number;
    averageL: number;
  }
  const runs: Summary[] = [];

  beforeAll(() => {
    for (let rep = 0; rep < R; rep++) {
      const res: RunResult = simulate(model, p, fermi, { seed: `optional-pgg-cycles-${rep}`, rounds, recordEvery: 1 });
      const v = res.values;
      // hysteresis band: the run's mean share of the strategy +- 0.05 (the noise of a
      // share at Z = 10^4 is below 0.01 from one generation to the next)
      const pk = [0, 1, 2].map((k) => {
        const s = v.map((row) => row[k]);
        const m = meanOf(s);
        return peaks(s, m - 0.05, m + 0.05);
      });
      const events = pk.flatMap((ts, k) => ts.map((t) => [t, k] as const)).sort((a, b) => a[0] - b[0]);
      let ordered = 0;
      for (let i = 1; i < events.length; i++) if (events[i][1] === (events[i - 1][1] + 1) % 3) ordered++;
      // average over whole cycles, from the first to the last peak of L: then
      // ln z(end) - ln z(start) ~ 0 and the window adds no endpoint bias
      const lp = pk[2];
      const window = v.slice(lp[0], lp[lp.length - 1]).map((row) => row[MEAN_PAYOFF]);
      const payoffs = v.map((row) => row[MEAN_PAYOFF]);
      runs.push({
        peaks: pk,
        ordered,
        transitions: events.length - 1,
        cycleAverage: meanOf(window),
        payoffRange: Math.max(...payoffs) - Math.min(...payoffs),
        averageL: meanOf(v.map((row) => row[2])),
      });
    }
  });

  it('makes each strategy rise and fall repeatedly, in the order C -> D -> L -> C', () => {
    for (const run of runs) {
      // measured: 6 to 11 peaks of each strategy per run (noise moves a run between
      // orbits; the large ones, passing near the corners, have periods up to ~150)
      for (const ts of run.peaks) expect(ts.length).toBeGreaterThanOrEqual(5);
      // measured: every successive pair of peaks in order (199 of 200 in the 8 runs)
      expect(run.ordered / run.transitions).toBeGreaterThanOrEqual(0.9);
      // loners do not take over when r > 2 (contrast with r = 1.8 below); measured 0.47 to 0.60
      expect(run.averageL).toBeLessThan(0.8);
    }
  });

  it('has a time-averaged population payoff equal to sigma (the Red Queen)', () => {
    // The population payoff swings widely along a cycle (measured lows 0.41 to 0.71,
    // highs 1.31 to 1.64), so the average is a real test, not a constant.
    for (const run of runs) expect(run.payoffRange).toBeGreaterThan(0.3);
    // Tolerance: 4 standard errors of the mean of the R = 8 independent per-run
    // averages (Student t with 7 d.f.: P(|t| > 4) = 0.005). Systematic deviations
    // from sigma are smaller than one standard error (measured SE 4.3e-4): the tanh in
    // place of the replicator's linear rate adds (beta/2)^2/3 <sum_j x_j (sigma - P_j)^3>,
    // about 1e-4; mutation (2 mu / beta) <1/(3z) - 1>, about 1e-4; and demographic
    // noise, through the Ito term of d ln z, about -<(1 - z)/z> / (beta Z), about -3e-4.
    // Measured: mean 0.99919 (per run 0.9973 to 1.0008), 1.9 SE below sigma. The
    // check that the standard error is small keeps a noisy set from passing trivially.
    const averages = runs.map((r) => r.cycleAverage);
    const mean = meanOf(averages);
    const se = sdOf(averages) / Math.sqrt(R);
    expect(se).toBeLessThan(0.004);
    expect(Math.abs(mean - sigma)).toBeLessThan(4 * se);
  });
});

describe('optional PGG, r <= 2: loners take over (Hauert et al. 2002)', () => {
  // Starting with few loners (5%): defectors first spread among the participants, then
  // loners invade and stay. With mu = 1e-4 the mean-field rest point has z = 0.990.
  const Z = 10_000;
  const rounds = 400;
  const R = 4;
  const p = schema.parse({ Z, N: 5, r: 1.8, sigma, initial: { C: 0.6, D: 0.35, L: 0.05 } });

  it('ends with almost all loners in every replication', () => {
    for (let rep = 0; rep < R; rep++) {
      const res = simulate(model, p, fermi, { seed: `optional-pgg-loners-${rep}`, rounds, recordEvery: 1 });
      const last = res.values.slice(-100);
      // measured per run: mean share of L over the last 100 generations 0.989 to 0.998,
      // lowest 0.980; mean payoff 0.9998 or more
      expect(meanOf(last.map((row) => row[2]))).toBeGreaterThan(0.97);
      expect(Math.min(...last.map((row) => row[2]))).toBeGreaterThan(0.95);
      expect(meanOf(last.map((row) => row[MEAN_PAYOFF]))).toBeGreaterThan(sigma - 0.01);
      // the route: defectors rise first (measured peak share 0.56 to 0.60)
      expect(Math.max(...res.values.map((row) => row[1]))).toBeGreaterThan(0.4);
    }
  });
});

describe('optional PGG: the engine follows the mean-field ODE of the Fermi process', () => {
  // Z = 2 10^4, 24 replications of 80 generations (one cycle from this start: C peaks
  // at 12 and again at 90), 3.8e7 decisions. The spread between runs grows fast along
  // the cycle (the period depends on the orbit, so noise shears the phases: the sd of
  // a share reaches 0.05 to 0.08 at one cycle), and with it the deviation of the mean
  // of the finite process from the ODE, of order (that variance) ~ 1/Z; a large Z
  // keeps that bias well below the standard error 1/sqrt(R Z). (At Z = 5000, R = 48,
  // the same cost, the largest |z| over a cycle and a half reached 3.9.)
  const Z = 20_000;
  const rounds = 80;
  const every = 5;
  const R = 24;
  const x0 = [0.3, 0.2, 0.5];
  const p = schema.parse({ Z, N: 5, r: 3, sigma, initial: { C: x0[0], D: x0[1], L: x0[2] } });
  let mean: number[][] = [];
  let se: number[][] = [];
  let times: number[] = [];

  beforeAll(() => {
    const runs = Array.from({ length: R }, (_, rep) =>
      simulate(model, p, fermi, { seed: `optional-pgg-ode-${rep}`, rounds, recordEvery: every }),
    );
    times = runs[0].rounds;
    mean = times.map((_, i) => [0, 1, 2].map((k) => meanOf(runs.map((r) => r.values[i][k]))));
    se = times.map((_, i) => [0, 1, 2].map((k) => sdOf(runs.map((r) => r.values[i][k])) / Math.sqrt(R)));
  });

  it('stays within 4 standard errors of the mean-field trajectory', () => {
    const ode = meanField(3, x0, rounds, 'fermi');
    // a full cycle of C happens in the horizon: up from 0.3, down to ~0.19, back up
    const cShare = ode.map((x) => x[0]);
    expect(Math.max(...cShare.slice(0, 30))).toBeGreaterThan(0.35);
    expect(Math.min(...cShare)).toBeLessThan(0.2);
    expect(cShare[rounds]).toBeGreaterThan(0.3);
    // Tolerance: 4 standard errors at each of 16 times x 3 shares (Student t with 23
    // d.f.: P(|t| > 4) = 5.5e-4 each; the 48 are strongly correlated, C + D + L = 1
    // and neighbouring times). Measured: largest |mean - ODE| / SE 2.8 (1.6 to 2.9
    // over 7 other seed sets at R = 16), SE up to 0.011, largest |mean - ODE| 0.021.
    for (let i = 1; i < times.length; i++) {
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(mean[i][k] - ode[times[i]][k])).toBeLessThanOrEqual(4 * se[i][k]);
      }
    }
  });

  it('tells the exact time scale from a 20% error in it (the check has power)', () => {
    // measured: the engine's mean is 18 (0.8) and 20 (1.2) SE from the mistimed ODEs
    for (const speed of [0.8, 1.2]) {
      const wrong = meanField(3, x0, rounds, 'fermi', speed);
      let worst = 0;
      for (let i = 1; i < times.length; i++) {
        for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(mean[i][k] - wrong[times[i]][k]) / se[i][k]);
      }
      expect(worst).toBeGreaterThan(8);
    }
  });

  it('has the replicator equation close to the exact mean field at beta = 0.5', () => {
    // tanh(u) = u - u^3/3: with |beta (P_i - P_j)/2| < 0.055 on this orbit the two
    // rates differ by under 0.1%; measured largest share difference 5e-4 over the horizon.
    const exact = meanField(3, x0, rounds, 'fermi');
    const replicator = meanField(3, x0, rounds, 'replicator');
    let worst = 0;
    for (let t = 0; t <= rounds; t++) for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(exact[t][k] - replicator[t][k]));
    expect(worst).toBeLessThan(0.002);
    expect(worst).toBeGreaterThan(0); // they are different equations
  });
});
