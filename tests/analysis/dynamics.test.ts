// Rest points, logit equilibria and the gradient of selection against published
// closed forms (docs/theory.md, "Methods").
import { describe, expect, it } from 'vitest';
import optional, { params as optionalParams } from '../../models/optional-pgg.ts';
import threshold, { gradientOfSelection, infiniteInteriorRoots, params as thresholdParams, thresholdTables } from '../../models/threshold-pgg.ts';
import matrix, { params as matrixParams } from '../../models/matrix-game.ts';
import {
  gameOfModel,
  gradient,
  gradientRoots,
  logitChoice,
  logitEquilibria,
  replicatorRestPoints,
  sharePayoffs,
  transitions,
} from '../../src/analysis/index.ts';

describe("optional PGG (Hauert, De Monte, Hofbauer and Sigmund 2002): the interior rest point and its neutral stability", () => {
  // Their J Theor Biol 218:187 paper: at the interior rest point Q all three payoffs
  // equal sigma. P_C = P_D gives F(z) = 0, F(z) = 1 + (r - 1) z^{N-1} - (r/N)(1 - z^N)/(1 - z),
  // which has one root in (0, 1) for 2 < r < N; P_D = sigma then gives
  // x = N sigma (1 - z^{N-1}) / (r c sum_{k=1}^{N-1} sum_{j<k} z^j), y = 1 - x - z.
  // The orbits around Q are closed (a Hamiltonian system after a change of time), so the
  // Jacobian's eigenvalues at Q are purely imaginary.
  for (const k of [
    { N: 5, r: 3, c: 1, sigma: 1 },
    { N: 8, r: 4.5, c: 1, sigma: 0.5 },
    { N: 6, r: 3.5, c: 2, sigma: 1.5 },
  ]) {
    it(`N=${k.N} r=${k.r} c=${k.c} sigma=${k.sigma}`, () => {
      const F = (z: number) => 1 + (k.r - 1) * z ** (k.N - 1) - (k.r / k.N) * Array.from({ length: k.N }, (_, i) => z ** i).reduce((a, b) => a + b, 0);
      let lo = 1e-9;
      let hi = 1 - 1e-9;
      expect(Math.sign(F(lo))).not.toBe(Math.sign(F(hi)));
      for (let i = 0; i < 200; i++) {
        const mid = (lo + hi) / 2;
        if (Math.sign(F(mid)) === Math.sign(F(lo))) lo = mid;
        else hi = mid;
      }
      const z = (lo + hi) / 2;
      let nested = 0;
      let geo = 0;
      for (let i = 0; i < k.N; i++) {
        nested += geo;
        geo += z ** i;
      }
      const x = (k.N * k.sigma * (1 - z ** (k.N - 1))) / (k.r * k.c * nested);
      const p = optionalParams.parse({ Z: 100, ...k });
      const points = replicatorRestPoints(sharePayoffs(optional, p)!, 3);
      const interior = points.filter((q) => q.x.every((v) => v > 1e-9));
      expect(interior).toHaveLength(1);
      const q = interior[0];
      expect(q.x[2]).toBeCloseTo(z, 9);
      expect(q.x[0]).toBeCloseTo(x, 9);
      expect(q.x[1]).toBeCloseTo(1 - x - z, 9);
      expect(q.stability).toBe('neutral');
      for (const e of q.eigenvalues) {
        expect(Math.abs(e.re)).toBeLessThan(1e-6);
        expect(Math.abs(e.im)).toBeGreaterThan(1e-3);
      }
    });
  }

  it('r < 2: no interior rest point (loners take over)', () => {
    const p = optionalParams.parse({ Z: 100, N: 5, r: 1.8 });
    const interior = replicatorRestPoints(sharePayoffs(optional, p)!, 3).filter((q) => q.x.every((v) => v > 1e-9));
    expect(interior).toHaveLength(0);
  });
});

describe('collective-risk dilemma (Santos and Pacheco 2011): the interior roots of the gradient', () => {
  it('the replicator rest points are the infinite-population roots x_L (unstable) and x_R (stable)', () => {
    for (const k of [{ N: 6, M: 3, r: 0.9, c: 0.1 }, { N: 10, M: 5, r: 0.5, c: 0.05 }]) {
      const p = thresholdParams.parse({ Z: 100, ...k });
      const roots = infiniteInteriorRoots(p);
      expect(roots).toHaveLength(2);
      const interior = replicatorRestPoints(sharePayoffs(threshold, p)!, 2).filter((q) => q.x[0] > 1e-9 && q.x[0] < 1 - 1e-9);
      expect(interior.map((q) => q.x[0])).toHaveLength(2);
      expect(Math.abs(interior[0].x[0] - roots[0])).toBeLessThan(1e-10);
      expect(Math.abs(interior[1].x[0] - roots[1])).toBeLessThan(1e-10);
      expect(interior.map((q) => q.stability)).toEqual(['unstable', 'stable']);
    }
  });

  it("the finite-population gradient is the model's (Z/(Z-1) apart: the partner is one of the Z - 1 others) and its roots lie near x_L and x_R", () => {
    const Z = 2000;
    const beta = 5;
    const p = thresholdParams.parse({ Z });
    const edge = gameOfModel(threshold, p).edge(0, 1);
    const t = transitions(edge, Z, { rule: 'fermi', beta }, { rate: 0, convention: 'any', strategies: 2 });
    const g = gradient(t.logUp, t.logDown);
    const tables = thresholdTables(Z, p.N, p.M);
    for (const k of [1, 100, 250, 700, 1500, 1999]) expect(g[k]).toBeCloseTo((gradientOfSelection(p, tables, k, beta) * Z) / (Z - 1), 14);
    const roots = gradientRoots(g, Z);
    const infinite = infiniteInteriorRoots(p);
    expect(roots.map((r) => r.kind)).toEqual(['unstable', 'stable']);
    // finite-population roots differ from the infinite ones by O(1/Z) (hypergeometric against binomial groups)
    expect(Math.abs(roots[0].x - infinite[0])).toBeLessThan(0.01);
    expect(Math.abs(roots[1].x - infinite[1])).toBeLessThan(0.01);
    // and no root when the risk is too small (r C(N-1, M-1) x*^{M-1} (1-x*)^{N-M} < c)
    const safe = thresholdParams.parse({ Z, r: 0.2 });
    expect(infiniteInteriorRoots(safe)).toHaveLength(0);
    const e2 = gameOfModel(threshold, safe).edge(0, 1);
    const t2 = transitions(e2, Z, { rule: 'fermi', beta }, { rate: 0, convention: 'any', strategies: 2 });
    expect(gradientRoots(gradient(t2.logUp, t2.logDown), Z)).toHaveLength(0);
  });
});

/**
 * Fixed points reached by iterating x <- (1 - d) x + d L(x) from many starts: the
 * stable ones of the logit dynamic dx/dt = L(x) - x, since with d = 0.05 the map's
 * slope 1 - d + d L'(x) lies in (-1, 1) wherever L'(x) is in (-39, 1) (here |L'| <= 20).
 */
function iterate(P: (x: number) => number[], T: number): number[] {
  const found: number[] = [];
  for (let s = 0; s <= 20; s++) {
    let x = s / 20;
    for (let it = 0; it < 100_000; it++) {
      const next = 0.95 * x + 0.05 * logitChoice(P(x), T)[0];
      if (Math.abs(next - x) < 1e-15) break;
      x = next;
    }
    if (!found.some((f) => Math.abs(f - x) < 1e-8)) found.push(x);
  }
  return found.sort((a, b) => a - b);
}

describe('logit equilibria of 2x2 games (McKelvey and Palfrey 1995) against fixed-point iteration', () => {
  const games = [
    { name: 'stag hunt', a: 4, b: 0, c: 3, d: 3, T: [0.2, 0.5, 1.5] },
    { name: 'prisoner\'s dilemma', a: 3, b: 0, c: 5, d: 1, T: [0.3, 1, 3] },
    { name: 'hawk-dove', a: -1, b: 2, c: 0, d: 1, T: [0.1, 0.5, 2] },
    { name: 'coordination', a: 2, b: 0, c: 0, d: 1, T: [0.1, 0.3, 1] },
  ];
  for (const g of games) {
    for (const T of g.T) {
      it(`${g.name}, T = ${T}`, () => {
        const p = matrixParams.parse({ Z: 100, a: g.a, b: g.b, c: g.c, d: g.d });
        const shares = sharePayoffs(matrix, p)!;
        const eq = logitEquilibria(shares, 2, T);
        const P = (x: number) => shares([x, 1 - x]);
        // every one is a fixed point x = L(x)
        for (const q of eq) expect(Math.abs(logitChoice(P(q.x[0]), T)[0] - q.x[0])).toBeLessThan(1e-12);
        // the stable ones are exactly those iteration reaches (a damped iteration converges to the stable points of the logit dynamic)
        const stable = eq.filter((q) => q.stability === 'stable').map((q) => q.x[0]);
        const reached = iterate(P, T);
        expect(reached.length).toBe(stable.length);
        reached.forEach((x, i) => expect(Math.abs(x - stable[i])).toBeLessThan(1e-8));
        // an odd number of equilibria, stable and unstable alternating (a generic 1-D field)
        expect(eq.length % 2).toBe(1);
      });
    }
  }
});
