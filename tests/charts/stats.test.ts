// The charts' statistics (src/charts/stats.ts): Student-t quantiles, means with
// t-based 95 % CIs, exact pooling of design points, and averaging series across
// replications that stopped at different rounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateSeries, bounds, meanCi, pool, t975 } from '../../src/charts/stats.ts';

describe('t975', () => {
  it('matches the Student-t 97.5 % quantiles (tables, e.g. Abramowitz & Stegun 26.7) to 1e-3', () => {
    // Reference values: qt(0.975, df) in R.
    const exact: [number, number][] = [
      [1, 12.7062],
      [2, 4.3027],
      [4, 2.7764],
      [9, 2.2622],
      [30, 2.0423],
      [31, 2.0395],
      [40, 2.0211],
      [60, 2.0003],
      [99, 1.9842],
      [120, 1.9799],
      [1000, 1.9623],
    ];
    for (const [df, q] of exact) expect(Math.abs(t975(df) - q), `df ${df}`).toBeLessThan(1e-3);
  });
  it('is NaN below one degree of freedom', () => {
    expect(t975(0)).toBeNaN();
  });
});

describe('meanCi', () => {
  it('gives mean, sd (n - 1) and the half-width t sd / sqrt(n)', () => {
    const s = meanCi([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.ci95).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 12);
    expect(s.n).toBe(4);
  });
  it('has no CI for one value and ignores non-finite values', () => {
    const s = meanCi([0.4, NaN]);
    expect(s).toMatchObject({ mean: 0.4, n: 1 });
    expect(s.ci95).toBeNaN();
    expect(bounds(s)).toBeNull();
  });
  it('clips the bounds of a share to [0, 1]', () => {
    const b = bounds(meanCi([0, 0, 0.02]), [0, 1]);
    expect(b?.lo).toBe(0);
    expect(b?.hi).toBeGreaterThan(0.02);
  });
});

describe('pool', () => {
  it('pooling design points equals the statistics of all their runs together (any split)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        (groups) => {
          const pooled = pool(groups.map((g) => meanCi(g)));
          const all = meanCi(groups.flat());
          expect(pooled.n).toBe(all.n);
          expect(pooled.mean).toBeCloseTo(all.mean, 8);
          if (all.n > 1) {
            expect(pooled.sd).toBeCloseTo(all.sd, 6);
            expect(pooled.ci95).toBeCloseTo(all.ci95, 6);
          }
        },
      ),
    );
  });
});

describe('aggregateSeries', () => {
  const row = (replication: number, round: number, value: number) => ({ replication, round, metric: 'share_X', value });
  it('averages replications round by round', () => {
    const { byMetric, heldOver, replications } = aggregateSeries([row(0, 0, 0), row(0, 10, 1), row(1, 0, 0.5), row(1, 10, 0.5)], new Set(['share_X']));
    expect(replications).toBe(2);
    expect(heldOver).toBe(false);
    expect(byMetric.get('share_X')!.map((p) => [p.round, p.mean, p.n])).toEqual([
      [0, 0.25, 2],
      [10, 0.75, 2],
    ]);
  });
  it('holds a replication that stopped early at its last value, so every round averages all replications', () => {
    // Replication 1 stopped (e.g. absorbed) at round 7 with value 1.
    const { byMetric, heldOver } = aggregateSeries([row(0, 0, 0), row(0, 10, 0), row(0, 20, 0), row(1, 0, 0), row(1, 7, 1)], new Set(['share_X']));
    expect(heldOver).toBe(true);
    expect(byMetric.get('share_X')!.map((p) => [p.round, p.mean, p.n])).toEqual([
      [0, 0, 2],
      [7, 0.5, 2],
      [10, 0.5, 2],
      [20, 0.5, 2],
    ]);
  });
  it('ignores metrics not asked for', () => {
    const { byMetric } = aggregateSeries([row(0, 0, 1), { replication: 0, round: 0, metric: 'other', value: 2 }], new Set(['share_X']));
    expect([...byMetric.keys()]).toEqual(['share_X']);
  });
});
