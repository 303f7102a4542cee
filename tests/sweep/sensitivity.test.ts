// Sobol and Morris estimators against the Ishigami function, whose indices are known
// analytically (Ishigami and Homma 1990; Saltelli et al. 2008, Global Sensitivity
// Analysis: The Primer, §4.7): for a = 7, b = 0.1 on [-pi, pi]^3,
// S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng.ts';
import { morris, saltelli } from '../../src/experiment/designs.ts';
import { morrisIndices, sobolBootstrap, sobolIndices } from '../../src/sweep/sensitivity.ts';

const a = 7;
const b = 0.1;
const ishigami = (x: number[]) => Math.sin(x[0]) + a * Math.sin(x[1]) ** 2 + b * x[2] ** 4 * Math.sin(x[0]);
const factors = ['x1', 'x2', 'x3'].map((path) => ({ path, min: -Math.PI, max: Math.PI }));
const evaluate = (pts: { values: Readonly<Record<string, unknown>> }[]) => pts.map((p) => ishigami(factors.map((f) => p.values[f.path] as number)));

// analytic values
const V = a ** 2 / 8 + (b * Math.PI ** 4) / 5 + (b ** 2 * Math.PI ** 8) / 18 + 0.5;
const V1 = 0.5 * (1 + (b * Math.PI ** 4) / 5) ** 2;
const V2 = a ** 2 / 8;
const V13 = (b ** 2 * Math.PI ** 8) * (1 / 18 - 1 / 50);
const S1 = [V1 / V, V2 / V, 0];
const ST = [(V1 + V13) / V, V2 / V, V13 / V];

describe('Sobol indices (Saltelli design, 2^13 base samples)', () => {
  const { points, layout } = saltelli(factors, 2 ** 13);
  const y = evaluate(points);
  const est = sobolIndices(y, layout);

  it('match the Ishigami function\'s analytic indices', () => {
    expect(S1.map((x) => +x.toFixed(4))).toEqual([0.3139, 0.4424, 0]);
    expect(ST.map((x) => +x.toFixed(4))).toEqual([0.5576, 0.4424, 0.2437]);
    // quasi-Monte Carlo error at N = 8192 is ~0.01 for these estimators; 0.02 is a
    // margin that a wrong estimator (e.g. S1 from Sobol 1993's formula at this N, or
    // swapped A/B roles) exceeds
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(est.S1[i] - S1[i])).toBeLessThan(0.02);
      expect(Math.abs(est.ST[i] - ST[i])).toBeLessThan(0.02);
    }
  });

  it('bootstrap intervals cover the analytic values and are narrow', () => {
    const ci = sobolBootstrap(y, layout, 200, createRng('boot'));
    for (let i = 0; i < 3; i++) {
      expect(ci.S1[i].low - 0.01).toBeLessThanOrEqual(S1[i]);
      expect(ci.S1[i].high + 0.01).toBeGreaterThanOrEqual(S1[i]);
      expect(ci.ST[i].high - ci.ST[i].low).toBeLessThan(0.1);
    }
  });
});

describe('Morris elementary effects', () => {
  it('rank the Ishigami factors by mu*: x3 is influential only through its interaction, x2 most', () => {
    const { points, layout } = morris(factors, 200, 4, createRng('morris'));
    const m = morrisIndices(evaluate(points), layout);
    // x1's effect depends on x3 (sigma large); x2 has the largest mu*; all positive
    expect(m.muStar.every((x) => x > 0)).toBe(true);
    expect(m.muStar[1]).toBeGreaterThan(m.muStar[2]);
    expect(m.sigma[2]).toBeGreaterThan(0);
    // for a linear function the elementary effect is exactly the slope x range
    const lin = (x: number[]) => 3 * x[0] - 2 * x[1];
    const y = points.map((p) => lin(factors.map((f) => p.values[f.path] as number)));
    const ml = morrisIndices(y, layout);
    expect(ml.mu[0]).toBeCloseTo(3 * 2 * Math.PI, 8);
    expect(ml.mu[1]).toBeCloseTo(-2 * 2 * Math.PI, 8);
    expect(ml.sigma[0]).toBeCloseTo(0, 8);
    expect(ml.muStar[2]).toBe(0);
  });
});
