// Unit checks of the club-good model: payoffs, deviation payoffs, benchmarks, metrics.
import { modelMetrics } from '../../src/engine/model.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/engine/rng.ts';
import {
  J,
  O,
  freeEntrySizes,
  grossBenefit,
  memberPayoff,
  model,
  optimalClubSize,
  outsiderPayoff,
  params as schema,
  type ClubGame,
} from '../../models/club-good.ts';

const metric = (name: string) => modelMetrics(model, {}).find((m) => m.name === name)!;

describe('club-good parameters', () => {
  it('has defaults and rejects values out of range', () => {
    const p = schema.parse({});
    expect(p).toMatchObject({ Z: 1000, b: 1, K: 20, kappa: 2, e: 1, initial: { O: 0.5, J: 0.5 } });
    expect(schema.safeParse({ e: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ K: -1 }).success).toBe(false);
    expect(schema.safeParse({ Z: 1 }).success).toBe(false);
    expect(schema.safeParse({ initial: { O: 0.5, J: 0.6 } }).success).toBe(false);
    expect(schema.safeParse({ cost: 3 }).success).toBe(false);
  });

  it('registers strategies O and J in one game', () => {
    expect(model.layout(schema.parse({}))).toEqual({ games: ['club'], strategies: ['O', 'J'] });
  });
});

describe('club-good payoffs', () => {
  // Z = 11, b = 2, K = 3, kappa = 0.5, e = 0.25, n = 5:
  // gross = 2 (1 - 0.5 * 4 / 10) = 1.6; pi_J = 1.6 - 3/5 = 1.0; pi_O = 0.75 * 1.6 = 1.2
  const g: ClubGame = { Z: 11, b: 2, K: 3, kappa: 0.5, e: 0.25 };

  it('matches the formulas by hand', () => {
    expect(grossBenefit(g, 5)).toBeCloseTo(1.6, 12);
    expect(memberPayoff(g, 5)).toBeCloseTo(1.0, 12);
    expect(outsiderPayoff(g, 5)).toBeCloseTo(1.2, 12);
    expect(memberPayoff(g, 1)).toBeCloseTo(2 - 3, 12);
    expect(outsiderPayoff(g, 0)).toBe(0);
    expect(outsiderPayoff({ ...g, e: 1 }, 5)).toBe(0);
    expect(outsiderPayoff({ ...g, e: 0 }, 5)).toBeCloseTo(1.6, 12);
  });

  it('gives each agent its deviation payoff (itself counted as a member when it asks about J)', () => {
    const p = schema.parse({ ...g, initial: { O: 6 / 11, J: 5 / 11 } });
    const state = model.init(p, createRng('club-unit'));
    expect(state.pop.counts[J]).toBe(5);
    const member = state.pop.choice.indexOf(J);
    const outsider = state.pop.choice.indexOf(O);
    const rng = createRng('unused');
    expect(model.payoff(state, member, 0, J, rng)).toBeCloseTo(memberPayoff(g, 5), 12);
    expect(model.payoff(state, member, 0, O, rng)).toBeCloseTo(outsiderPayoff(g, 4), 12);
    expect(model.payoff(state, outsider, 0, J, rng)).toBeCloseTo(memberPayoff(g, 6), 12);
    expect(model.payoff(state, outsider, 0, O, rng)).toBeCloseTo(outsiderPayoff(g, 5), 12);
  });

  it('metrics: club size, mean payoff and member utility', () => {
    const p = schema.parse({ ...g, initial: { O: 6 / 11, J: 5 / 11 } });
    const state = model.init(p, createRng('club-metrics'));
    expect(metric('club_size').value(state)).toBe(5);
    expect(metric('member_utility').value(state)).toBeCloseTo(1.0, 12);
    expect(metric('mean_payoff').value(state)).toBeCloseTo((5 * 1.0 + 6 * 1.2) / 11, 12);
    const empty = model.init(schema.parse({ ...g, initial: { O: 1, J: 0 } }), createRng('club-empty'));
    expect(metric('member_utility').value(empty)).toBe(0);
    expect(metric('mean_payoff').value(empty)).toBe(0);
  });

  it('minPayoff bounds every payoff the model can give', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (Z, b, K, kappa, e) => {
          const p = { Z, b, K, kappa, e };
          const floor = model.minPayoff!(schema.parse({ ...p }));
          let least = 0;
          for (let n = 1; n <= Z; n++) least = Math.min(least, memberPayoff(p, n), outsiderPayoff(p, n));
          expect(least).toBeGreaterThanOrEqual(floor - 1e-9 * (1 + Math.abs(floor)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('club-good benchmarks', () => {
  const g: ClubGame = { Z: 1000, b: 1, K: 20, kappa: 2, e: 1 };

  it("Buchanan's optimal size maximises a member's payoff", () => {
    const nOpt = optimalClubSize(g);
    expect(nOpt).toBeCloseTo(Math.sqrt((20 * 999) / 2), 10);
    let best = 1;
    for (let n = 1; n <= g.Z; n++) if (memberPayoff(g, n) > memberPayoff(g, best)) best = n;
    expect(Math.abs(best - nOpt)).toBeLessThan(1);
  });

  it('free-entry sizes are the roots of pi_J = pi_O, with the sign pattern -, +, -', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 10_000 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        (Z, b, kFrac, kappa, e) => {
          const p = { Z, b, K: kFrac * b * Z, kappa, e };
          // the continuous form (outsiderPayoff is 0 below one member, where the roots may also lie)
          const gap = (n: number): number => memberPayoff(p, n) - (1 - e) * grossBenefit(p, n);
          const roots = freeEntrySizes(p);
          if (roots === null) {
            // a club never pays: the gap is negative at its best
            const peak = Math.sqrt(p.K / ((e * b * kappa) / (Z - 1)));
            expect(gap(peak)).toBeLessThan(0);
            return;
          }
          const scale = b + p.K;
          expect(Math.abs(gap(roots.low))).toBeLessThan(1e-9 * scale);
          expect(Math.abs(gap(roots.high))).toBeLessThan(1e-9 * scale);
          expect(roots.low).toBeLessThanOrEqual(roots.high);
          if (roots.high - roots.low > 1e-6 * roots.high) {
            expect(gap(roots.low * 0.9)).toBeLessThan(0);
            expect(gap((roots.low + roots.high) / 2)).toBeGreaterThan(0);
            expect(gap(roots.high * 1.1)).toBeLessThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('open access over-crowds: n* > n_opt; no congestion means no upper root', () => {
    const entry = freeEntrySizes(g)!;
    expect(entry.high).toBeGreaterThan(optimalClubSize(g));
    expect(freeEntrySizes({ ...g, kappa: 0 })).toEqual({ low: 20, high: Infinity });
    expect(freeEntrySizes({ ...g, K: 1000 })).toBeNull();
    expect(freeEntrySizes({ ...g, e: 0 })).toBeNull();
  });
});
