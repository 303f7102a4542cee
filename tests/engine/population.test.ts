// Populations as typed arrays with running counts (src/engine/population.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignShares,
  count,
  countsFromShares,
  createPopulation,
  getChoice,
  type Population,
  setChoice,
} from '../../src/engine/population.ts';
import { createRng } from '../../src/engine/rng.ts';

/** Counts recomputed from the choice array alone. */
function recount(pop: Population): number[] {
  const out = new Array<number>(pop.games * pop.strategies).fill(0);
  for (let a = 0; a < pop.size; a++) {
    for (let g = 0; g < pop.games; g++) out[g * pop.strategies + pop.choice[a * pop.games + g]]++;
  }
  return out;
}

const shape = fc.record({
  size: fc.integer({ min: 1, max: 60 }),
  games: fc.integer({ min: 1, max: 4 }),
  strategies: fc.integer({ min: 1, max: 6 }),
});

describe('createPopulation', () => {
  it('starts every agent on strategy 0 of every game', () => {
    const pop = createPopulation(7, 3, 4);
    expect(Array.from(pop.choice)).toEqual(new Array(21).fill(0));
    expect(Array.from(pop.counts)).toEqual([7, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0]);
  });

  it('rejects sizes, game counts and strategy counts out of range', () => {
    expect(() => createPopulation(0, 1, 2)).toThrow(RangeError);
    expect(() => createPopulation(2.5, 1, 2)).toThrow(RangeError);
    expect(() => createPopulation(10, 0, 2)).toThrow(RangeError);
    expect(() => createPopulation(10, 1, 0)).toThrow(RangeError);
    expect(() => createPopulation(10, 1, 256)).toThrow(RangeError);
    expect(() => createPopulation(10, 1, 255)).not.toThrow();
  });
});

describe('setChoice', () => {
  it('property: after any sequence of moves, counts equal a recount and sum to size in each game', () => {
    const scenario = shape.chain((s) =>
      fc.record({
        s: fc.constant(s),
        moves: fc.array(
          fc.tuple(fc.nat(s.size - 1), fc.nat(s.games - 1), fc.nat(s.strategies - 1)),
          { maxLength: 200 },
        ),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ s, moves }) => {
        const pop = createPopulation(s.size, s.games, s.strategies);
        for (const [a, g, k] of moves) {
          const before = getChoice(pop, a, g);
          expect(setChoice(pop, a, g, k)).toBe(before);
          expect(getChoice(pop, a, g)).toBe(k);
        }
        expect(Array.from(pop.counts)).toEqual(recount(pop));
        for (let g = 0; g < s.games; g++) {
          let total = 0;
          for (let k = 0; k < s.strategies; k++) {
            expect(count(pop, g, k)).toBeGreaterThanOrEqual(0);
            total += count(pop, g, k);
          }
          expect(total).toBe(s.size);
        }
      }),
    );
  });

  it('moves only the agent and game named', () => {
    const pop = createPopulation(4, 2, 3);
    setChoice(pop, 2, 1, 2);
    expect(Array.from(pop.choice)).toEqual([0, 0, 0, 0, 0, 2, 0, 0]);
    expect(Array.from(pop.counts)).toEqual([4, 0, 0, 3, 0, 1]);
  });
});

describe('countsFromShares', () => {
  it('property: counts are non-negative, sum exactly to size and lie within 1 of share × size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }).filter((a) => a.some((x) => x > 1e-6)),
        (size, shares) => {
          const counts = countsFromShares(size, shares);
          const total = shares.reduce((a, b) => a + b, 0);
          expect(counts.length).toBe(shares.length);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(size);
          counts.forEach((c, i) => {
            expect(Number.isInteger(c) && c >= 0).toBe(true);
            expect(Math.abs(c - (shares[i] / total) * size)).toBeLessThan(1 + 1e-6);
          });
        },
      ),
    );
  });

  it('property: shares of k_i / size give exactly k_i agents (so 1/Z gives exactly one agent)', () => {
    const scenario = fc.integer({ min: 1, max: 1_000_000 }).chain((size) =>
      fc.record({
        size: fc.constant(size),
        cuts: fc.array(fc.integer({ min: 0, max: size }), { minLength: 0, maxLength: 6 }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ size, cuts }) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), size];
        const k = points.slice(1).map((p, i) => p - points[i]);
        const counts = countsFromShares(
          size,
          k.map((x) => x / size),
        );
        expect(counts).toEqual(k);
      }),
    );
  });

  it('gives one agent for a share of 1/Z at awkward sizes', () => {
    for (const Z of [3, 7, 49, 1000, 999_983, 10_000_000]) {
      expect(countsFromShares(Z, [1 / Z, 1 - 1 / Z])).toEqual([1, Z - 1]);
      expect(countsFromShares(Z, [1 - 1 / Z, 1 / Z])).toEqual([Z - 1, 1]);
    }
  });

  it('breaks equal remainders toward the lower strategy index', () => {
    expect(countsFromShares(10, [1 / 3, 1 / 3, 1 / 3])).toEqual([4, 3, 3]);
    expect(countsFromShares(2, [1 / 3, 1 / 3, 1 / 3])).toEqual([1, 1, 0]);
  });

  it('rejects shares with no positive sum', () => {
    expect(() => countsFromShares(10, [0, 0])).toThrow(RangeError);
  });
});

describe('assignShares', () => {
  it('property: the exact counts of the shares, the same arrangement for the same seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 5 }).filter((a) => a.some((x) => x > 1e-6)),
        fc.string(),
        (size, shares, seed) => {
          const a = createPopulation(size, 2, shares.length);
          const b = createPopulation(size, 2, shares.length);
          assignShares(a, 1, shares, createRng(seed));
          assignShares(b, 1, shares, createRng(seed));
          expect(Array.from(a.choice)).toEqual(Array.from(b.choice));
          const expected = countsFromShares(size, shares);
          for (let k = 0; k < shares.length; k++) expect(count(a, 1, k)).toBe(expected[k]);
          // game 0 is untouched
          expect(count(a, 0, 0)).toBe(size);
          expect(Array.from(a.counts)).toEqual(recount(a));
        },
      ),
    );
  });

  it('places strategies at random: different seeds give different arrangements, and no position is favoured', () => {
    const Z = 200;
    const n = 2000;
    const hits = new Array<number>(Z).fill(0);
    const first = createPopulation(Z, 1, 2);
    assignShares(first, 0, [0.5, 0.5], createRng('seed-0'));
    let differ = 0;
    for (let r = 0; r < n; r++) {
      const pop = createPopulation(Z, 1, 2);
      assignShares(pop, 0, [0.5, 0.5], createRng(`seed-${r}`));
      if (r > 0 && pop.choice.some((x, i) => x !== first.choice[i])) differ++;
      for (let a = 0; a < Z; a++) hits[a] += pop.choice[a];
    }
    expect(differ).toBe(n - 1);
    // each agent is on strategy 1 in a Binomial(n, 1/2) number of runs; 5 standard
    // errors each (200 agents: a false alarm has probability about 200 × 6e-7)
    const sd = Math.sqrt(n * 0.25);
    for (const h of hits) expect(Math.abs(h - n / 2)).toBeLessThan(5 * sd);
  });

  it('rejects a share list of the wrong length', () => {
    const pop = createPopulation(10, 1, 3);
    expect(() => assignShares(pop, 0, [0.5, 0.5], createRng('x'))).toThrow(RangeError);
  });
});
