// Hypergeometric group weights and the sampling of groups (src/engine/groups.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hypergeometric, logChoose, logFactorials, sampleOthers } from '../../src/engine/groups.ts';
import { createRng } from '../../src/engine/rng.ts';

/** C(n, k) exactly, as a BigInt. */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** C(K, k) C(M - K, n - k) / C(M, n), from exact binomial coefficients. */
function directPmf(pool: number, successes: number, draws: number, k: number): number {
  const num = choose(successes, k) * choose(pool - successes, draws - k);
  const den = choose(pool, draws);
  if (num === 0n) return 0;
  // the ratio to double precision: shift so that the integer quotient keeps 64 bits
  const shift = Math.max(0, den.toString(2).length - num.toString(2).length + 64);
  return Number((num << BigInt(shift)) / den) * Math.pow(2, -shift);
}

const setting = fc.integer({ min: 1, max: 150 }).chain((pool) =>
  fc.record({
    pool: fc.constant(pool),
    successes: fc.integer({ min: 0, max: pool }),
    draws: fc.integer({ min: 0, max: pool }),
  }),
);

describe('logFactorials and logChoose', () => {
  it('match ln n! and ln C(n, k) computed directly', () => {
    const lf = logFactorials(30);
    let f = 1;
    for (let n = 0; n <= 30; n++) {
      if (n > 0) f *= n;
      expect(lf[n]).toBeCloseTo(Math.log(f), 10);
    }
    expect(Math.exp(logChoose(lf, 10, 3))).toBeCloseTo(120, 9);
    expect(logChoose(lf, 10, -1)).toBe(-Infinity);
    expect(logChoose(lf, 10, 11)).toBe(-Infinity);
  });
});

describe('hypergeometric', () => {
  it('property: the pmf sums to 1 over k and matches exact binomial coefficients', () => {
    const lf = logFactorials(200);
    fc.assert(
      fc.property(setting, ({ pool, successes, draws }) => {
        let total = 0;
        for (let k = 0; k <= draws; k++) {
          const p = hypergeometric(lf, pool, successes, draws, k);
          const exact = directPmf(pool, successes, draws, k);
          expect(p).toBeGreaterThanOrEqual(0);
          // log-space evaluation loses a little precision (ln 150! is about 600): relative 1e-10
          expect(Math.abs(p - exact)).toBeLessThanOrEqual(1e-10 * exact);
          total += p;
        }
        expect(total).toBeCloseTo(1, 10);
        // impossible counts have probability 0
        expect(hypergeometric(lf, pool, successes, draws, draws + 1)).toBe(0);
        expect(hypergeometric(lf, pool, successes, draws, -1)).toBe(0);
      }),
    );
  });

  it('has mean draws × successes / pool', () => {
    const lf = logFactorials(100);
    let mean = 0;
    for (let k = 0; k <= 4; k++) mean += k * hypergeometric(lf, 99, 40, 4, k);
    expect(mean).toBeCloseTo((4 * 40) / 99, 12);
  });
});

describe('sampleOthers', () => {
  it('property: never returns self, never repeats an agent, stays in range', () => {
    const scenario = fc.integer({ min: 2, max: 60 }).chain((size) =>
      fc.record({
        size: fc.constant(size),
        self: fc.nat(size - 1),
        n: fc.integer({ min: 0, max: size - 1 }),
        seed: fc.string(),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ size, self, n, seed }) => {
        const rng = createRng(seed);
        const out = new Int32Array(n);
        for (let rep = 0; rep < 5; rep++) {
          sampleOthers(rng, size, self, n, out);
          const seen = new Set<number>();
          for (const x of out) {
            expect(Number.isInteger(x) && x >= 0 && x < size).toBe(true);
            expect(x).not.toBe(self);
            seen.add(x);
          }
          expect(seen.size).toBe(n);
        }
      }),
    );
  });

  it('draws every other agent equally often', () => {
    // 20,000 groups of 4 from 9 others: each other agent is in a group with
    // probability 4/9; counts are Binomial(20000, 4/9), checked to 5 standard errors.
    const rng = createRng('sample-uniform');
    const size = 10;
    const self = 3;
    const n = 4;
    const reps = 20_000;
    const hits = new Array<number>(size).fill(0);
    const out = new Int32Array(n);
    for (let r = 0; r < reps; r++) {
      sampleOthers(rng, size, self, n, out);
      for (const x of out) hits[x]++;
    }
    expect(hits[self]).toBe(0);
    const p = n / (size - 1);
    const sd = Math.sqrt(reps * p * (1 - p));
    for (let a = 0; a < size; a++) if (a !== self) expect(Math.abs(hits[a] - reps * p)).toBeLessThan(5 * sd);
  });
});
