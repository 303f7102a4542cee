// Unit checks of the optional public goods game: the exact finite-population expected
// payoffs against a brute-force sum, the infinite-population payoffs of Hauert et al.
// (2002) against an independent binomial sum, the convergence of the one to the
// other as Z grows, the sampled payoffs, the cache, the metrics and the registry.
import { modelMetrics } from '../../src/engine/model.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/engine/rng.ts';
import { logFactorials } from '../../src/engine/groups.ts';
import { setChoice } from '../../src/engine/population.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { findModel } from '../../models/index.ts';
import {
  C,
  D,
  L,
  expectedPayoff,
  infinitePayoffs,
  model,
  params as schema,
  type OptionalPggParams,
  type OptionalPggState,
} from '../../models/optional-pgg.ts';

const metric = (name: string) => modelMetrics(model, {}).find((m) => m.name === name)!;

/** C(n, k) as a plain product (no log-factorials), 0 outside 0..n. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let v = 1;
  for (let i = 1; i <= k; i++) v = (v * (n - k + i)) / i;
  return v;
}

/** The payoff of one group: focal strategy s, mC cooperators and mD defectors among its co-players. */
function groupPayoff(p: OptionalPggParams, s: number, mC: number, mD: number): number {
  if (s === L) return p.sigma;
  const S = 1 + mC + mD;
  if (S === 1) return p.sigma;
  const nc = mC + (s === C ? 1 : 0);
  return (p.r * p.c * nc) / S - (s === C ? p.c : 0);
}

/** Brute force: the double sum over (m_C, m_D) with multivariate hypergeometric weights. */
function bruteExpected(p: OptionalPggParams, kC: number, kD: number, s: number): number {
  const pool = p.Z - 1;
  const kL = pool - kC - kD;
  const n = p.N - 1;
  const all = choose(pool, n);
  let total = 0;
  let weight = 0;
  for (let mC = 0; mC <= n; mC++) {
    for (let mD = 0; mC + mD <= n; mD++) {
      const w = (choose(kC, mC) * choose(kD, mD) * choose(kL, n - mC - mD)) / all;
      total += w * groupPayoff(p, s, mC, mD);
      weight += w;
    }
  }
  expect(weight).toBeCloseTo(1, 10);
  return total;
}

/** Independent infinite-population payoff: multinomial sum over (m_C, m_D, m_L). */
function binomialExpected(p: { N: number; r: number; c: number; sigma: number }, x: number, y: number, zz: number, s: number): number {
  const n = p.N - 1;
  const q = { ...p, Z: 0, payoffs: 'expected', initial: { C: 1, D: 0, L: 0 } } as OptionalPggParams;
  let total = 0;
  for (let mC = 0; mC <= n; mC++) {
    for (let mD = 0; mC + mD <= n; mD++) {
      const mL = n - mC - mD;
      const w = choose(n, mC) * choose(n - mC, mD) * x ** mC * y ** mD * zz ** mL;
      total += w * groupPayoff(q, s, mC, mD);
    }
  }
  return total;
}

describe('optional-pgg parameters', () => {
  it('has defaults and rejects values out of range', () => {
    const p = schema.parse({});
    expect(p).toMatchObject({ Z: 1000, N: 5, r: 3, c: 1, sigma: 1, payoffs: 'expected' });
    expect(p.initial.C + p.initial.D + p.initial.L).toBeCloseTo(1, 12);
    expect(schema.safeParse({ Z: 4, N: 5 }).success).toBe(false);
    expect(schema.safeParse({ sigma: -1 }).success).toBe(false);
    expect(schema.safeParse({ initial: { C: 0.5, D: 0.5, L: 0.5 } }).success).toBe(false);
    expect(schema.safeParse({ initial: { C: 0.5, D: 0.5 } }).success).toBe(false);
    expect(schema.safeParse({ payoffs: 'mean' }).success).toBe(false);
    // sigma need not lie below r - 1 (r <= 2 is studied)
    expect(schema.safeParse({ r: 1.8, sigma: 1 }).success).toBe(true);
  });

  it('registers strategies C, D, L in one game', () => {
    expect(findModel('optional-pgg')).toBe(model);
    expect(model.layout(schema.parse({}))).toEqual({ games: ['pgg'], strategies: ['C', 'D', 'L'] });
  });

  it('starts from the exact counts of the initial shares', () => {
    const p = schema.parse({ Z: 100, initial: { C: 0.2, D: 0.3, L: 0.5 } });
    const s = model.init(p, createRng('init'));
    expect(Array.from(s.pop.counts)).toEqual([20, 30, 50]);
  });
});

describe('optional-pgg payoffs in a group', () => {
  // Z = N = 5: the group is the whole population, so the expectation is one group.
  const p = schema.parse({ Z: 5, N: 5, r: 3, c: 1, sigma: 0.7 });
  const lf = logFactorials(p.Z);

  it('gives a participant alone among loners sigma (Hauert convention)', () => {
    expect(expectedPayoff(p, lf, 0, 0, C)).toBeCloseTo(0.7, 12);
    expect(expectedPayoff(p, lf, 0, 0, D)).toBeCloseTo(0.7, 12);
    expect(expectedPayoff(p, lf, 3, 1, L)).toBe(0.7);
  });

  it('shares the pot among the participants only', () => {
    // one other cooperator, three loners: S = 2, C earns 3 * 2 / 2 - 1 = 2, D earns 3 * 1 / 2
    expect(expectedPayoff(p, lf, 1, 0, C)).toBeCloseTo(2, 12);
    expect(expectedPayoff(p, lf, 1, 0, D)).toBeCloseTo(1.5, 12);
    // two cooperators and one defector among the others, one loner: S = 4
    expect(expectedPayoff(p, lf, 2, 1, C)).toBeCloseTo((3 * 3) / 4 - 1, 12);
    expect(expectedPayoff(p, lf, 2, 1, D)).toBeCloseTo((3 * 2) / 4, 12);
  });

  it('equals the brute-force multivariate hypergeometric sum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 2, max: 9 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (Z, Nraw, r, sigma, c, u, v) => {
          const N = Math.min(Nraw, Z);
          const q = schema.parse({ Z, N, r, sigma, c });
          const kC = Math.floor(u * (Z - 1));
          const kD = Math.floor(v * (Z - 1 - kC));
          const lfq = logFactorials(Z);
          for (const s of [C, D, L]) {
            const want = bruteExpected(q, kC, kD, s);
            expect(Math.abs(expectedPayoff(q, lfq, kC, kD, s) - want)).toBeLessThan(1e-9 * (1 + Math.abs(want)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('optional-pgg infinite-population payoffs (Hauert et al. 2002 JTB)', () => {
  const hp = { N: 5, r: 3, c: 1, sigma: 1 };

  it('equal an independent multinomial sum over the co-players', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (a, b, N, r, sigma) => {
          const x = a * (1 - b);
          const y = (1 - a) * (1 - b);
          const zz = 1 - x - y;
          const q = { N, r, c: 1.3, sigma };
          const got = infinitePayoffs(q, x, y, zz);
          expect(got.C).toBeCloseTo(binomialExpected(q, x, y, zz, C), 9);
          expect(got.D).toBeCloseTo(binomialExpected(q, x, y, zz, D), 9);
          expect(got.L).toBe(sigma);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('match the closed form as printed, away from z = 1', () => {
    const [x, y, zz] = [0.3, 0.2, 0.5];
    const { N, r, sigma } = hp;
    const PD = sigma * zz ** (N - 1) + r * (x / (1 - zz)) * (1 - (1 - zz ** N) / (N * (1 - zz)));
    const F = 1 + (r - 1) * zz ** (N - 1) - (r / N) * ((1 - zz ** N) / (1 - zz));
    const got = infinitePayoffs(hp, x, y, zz);
    expect(got.D).toBeCloseTo(PD, 12);
    expect(got.C).toBeCloseTo(PD - F, 12);
  });

  it('tend to sigma as loners take over, and to the plain PGG without loners', () => {
    const nearL = infinitePayoffs(hp, 0.5e-9, 0.5e-9, 1 - 1e-9);
    expect(nearL.C).toBeCloseTo(1, 8);
    expect(nearL.D).toBeCloseTo(1, 8);
    const allL = infinitePayoffs(hp, 0, 0, 1);
    expect(allL).toEqual({ C: 1, D: 1, L: 1 });
    // z = 0: the compulsory linear PGG, P_D = r c x (N - 1) / N, P_C = P_D - c (1 - r / N)
    const noL = infinitePayoffs(hp, 0.4, 0.6, 0);
    expect(noL.D).toBeCloseTo((3 * 0.4 * 4) / 5, 12);
    expect(noL.C).toBeCloseTo((3 * 0.4 * 4) / 5 - (1 - 3 / 5), 12);
  });

  it('are approached by the exact finite-Z payoffs as Z grows (error ~ 1/Z)', () => {
    const shares = { C: 0.3, D: 0.25, L: 0.45 };
    const errors: number[] = [];
    for (const Z of [100, 1000, 10_000, 100_000]) {
      const q = schema.parse({ Z, N: 5, r: 3, sigma: 1 });
      const lfq = logFactorials(Z);
      // the Z - 1 others hold the shares (as closely as counts allow)
      const kC = Math.round(shares.C * (Z - 1));
      const kD = Math.round(shares.D * (Z - 1));
      const x = kC / (Z - 1);
      const y = kD / (Z - 1);
      const inf = infinitePayoffs(q, x, y, 1 - x - y);
      errors.push(
        Math.max(Math.abs(expectedPayoff(q, lfq, kC, kD, C) - inf.C), Math.abs(expectedPayoff(q, lfq, kC, kD, D) - inf.D)),
      );
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1] / 5);
    expect(errors[0]).toBeGreaterThan(1e-4); // without replacement differs at small Z
    expect(errors[3]).toBeLessThan(1e-4);
  });
});

describe('optional-pgg model', () => {
  const setCounts = (state: OptionalPggState, counts: number[]): void => {
    let a = 0;
    for (let s = 0; s < 3; s++) for (let k = 0; k < counts[s]; k++) setChoice(state.pop, a++, 0, s);
  };

  it('reads the others (the focal agent excluded) through the cache, equal to the uncached sum', () => {
    const p = schema.parse({ Z: 200, N: 6, r: 2.5, sigma: 0.8 });
    const state = model.init(p, createRng('cache'));
    const lf = logFactorials(p.Z);
    const rng = createRng('cache-walk');
    for (let step = 0; step < 3000; step++) {
      const a = Math.floor(rng() * p.Z);
      setChoice(state.pop, a, 0, Math.floor(rng() * 3));
      const b = Math.floor(rng() * p.Z);
      const own = state.pop.choice[b];
      const kC = state.pop.counts[C] - (own === C ? 1 : 0);
      const kD = state.pop.counts[D] - (own === D ? 1 : 0);
      for (const s of [C, D, L]) {
        expect(model.payoff(state, b, 0, s, rng)).toBe(expectedPayoff(p, lf, kC, kD, s));
      }
    }
  });

  it('samples groups whose mean payoff is the exact expectation (within 4 standard errors)', () => {
    const p = schema.parse({ Z: 60, N: 5, r: 3, sigma: 1, payoffs: 'sampled', initial: { C: 0.3, D: 0.3, L: 0.4 } });
    const state = model.init(p, createRng('sampled'));
    const lf = logFactorials(p.Z);
    const rng = createRng('sampled-draws');
    const agent = 7;
    const own = state.pop.choice[agent];
    const kC = state.pop.counts[C] - (own === C ? 1 : 0);
    const kD = state.pop.counts[D] - (own === D ? 1 : 0);
    const n = 40_000;
    for (const s of [C, D]) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const v = model.payoff(state, agent, 0, s, rng);
        sum += v;
        sq += v * v;
      }
      const mean = sum / n;
      const se = Math.sqrt((sq / n - mean * mean) / (n - 1));
      expect(Math.abs(mean - expectedPayoff(p, lf, kC, kD, s))).toBeLessThan(4 * se);
    }
    expect(model.payoff(state, agent, 0, L, rng)).toBe(1);
  });

  it('has a minPayoff below every payoff', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 6, noNaN: true }),
        (kC, kDraw, s, r) => {
          const p = schema.parse({ Z: 31, N: 5, r, sigma: 0.5 });
          const kD = Math.min(kDraw, 30 - kC);
          const lf = logFactorials(p.Z);
          expect(expectedPayoff(p, lf, kC, kD, s)).toBeGreaterThanOrEqual(model.minPayoff!(p) - 1e-12);
          for (let mC = 0; mC <= 4; mC++) for (let mD = 0; mC + mD <= 4; mD++) {
            expect(groupPayoff(p, s, mC, mD)).toBeGreaterThanOrEqual(model.minPayoff!(p) - 1e-12);
          }
        },
      ),
    );
  });

  it('reports the mean payoff from the counts', () => {
    const p = schema.parse({ Z: 50, N: 5, r: 3, c: 1, sigma: 0.6 });
    const state = model.init(p, createRng('metric'));
    const mean = metric('mean_payoff');
    const coop = metric('cooperation_among_participants');
    setCounts(state, [50, 0, 0]);
    expect(mean.value(state)).toBeCloseTo(3 - 1, 12); // every group all cooperators: r c - c
    expect(coop.value(state)).toBe(1);
    setCounts(state, [0, 0, 50]);
    expect(mean.value(state)).toBe(0.6);
    expect(coop.value(state)).toBe(0);
    setCounts(state, [0, 50, 0]);
    expect(mean.value(state)).toBeCloseTo(0, 12);
    setCounts(state, [12, 18, 20]);
    const lf = logFactorials(p.Z);
    const want = (12 * expectedPayoff(p, lf, 11, 18, C) + 18 * expectedPayoff(p, lf, 12, 17, D) + 20 * 0.6) / 50;
    expect(mean.value(state)).toBeCloseTo(want, 12);
    expect(coop.value(state)).toBeCloseTo(12 / 30, 12);
  });

  it('is deterministic for a seed, for expected and sampled payoffs', () => {
    for (const payoffs of ['expected', 'sampled'] as const) {
      const p = schema.parse({ Z: 300, payoffs });
      const protocol = { rule: 'fermi', selectionIntensity: 1, mutation: 0.01, revisionRate: 1, updating: 'async' } as const;
      const a = simulate(model, p, protocol, { seed: 's', rounds: 30, recordEvery: 5 });
      const b = simulate(model, p, protocol, { seed: 's', rounds: 30, recordEvery: 5 });
      expect(a.values).toEqual(b.values);
      for (const row of a.values) expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 12);
    }
  });
});
