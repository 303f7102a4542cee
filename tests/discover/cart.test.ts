// CART (src/discover/cart.ts): a Gini classification tree whose leaves are boxes.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng.ts';
import { cart } from '../../src/discover/cart.ts';

describe('CART', () => {
  it('recovers a planted box: the reported leaves cover at least 0.9 of the runs of interest at density at least 0.9, cut on the planted factors near the planted limits', () => {
    const n = 4000;
    const rng = createRng('cart-planted');
    const xs = Array.from({ length: 5 }, () => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (const x of xs) x[i] = rng();
      y[i] = xs[0][i] > 0.5 && xs[1][i] < 0.4 ? 1 : 0;
    }
    const r = cart({ factors: xs.map((values, j) => ({ name: `x${j}`, kind: 'numeric' as const, values })), y }, { threshold: 0.9 });
    const coverage = r.boxes.reduce((s, b) => s + b.coverage, 0);
    const inside = r.boxes.reduce((s, b) => s + b.runsOfInterest, 0);
    const runs = r.boxes.reduce((s, b) => s + b.runs, 0);
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(inside / runs).toBeGreaterThanOrEqual(0.9);
    const best = r.boxes[0];
    expect([...best.restricted].sort()).toEqual(['x0', 'x1']);
    const x0 = best.limits.find((l) => l.factor === 'x0')!;
    const x1 = best.limits.find((l) => l.factor === 'x1')!;
    if (x0.kind !== 'numeric' || x1.kind !== 'numeric') throw new Error('numeric factors expected');
    expect(Math.abs(x0.lower - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(x1.upper - 0.4)).toBeLessThan(0.02);
    // leaves partition the runs
    expect(r.leaves.reduce((s, l) => s + l.runs, 0)).toBe(n);
  });

  it('splits a categorical factor into the categories of interest and the rest', () => {
    const n = 3000;
    const rng = createRng('cart-categorical');
    const codes = new Int32Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = Math.floor(rng() * 4);
      y[i] = codes[i] === 0 || codes[i] === 2 ? 1 : 0;
    }
    const r = cart({ factors: [{ name: 'kind', kind: 'categorical', categories: ['a', 'b', 'c', 'd'], codes }], y }, { threshold: 0.9 });
    expect(r.boxes).toHaveLength(1);
    const l = r.boxes[0].limits[0];
    if (l.kind !== 'categorical') throw new Error('categorical factor expected');
    expect(l.categories).toEqual(['a', 'c']);
    expect(r.boxes[0].density).toBe(1);
    expect(r.boxes[0].coverage).toBe(1);
  });

  it('respects the depth limit and the smallest leaf', () => {
    const n = 2000;
    const rng = createRng('cart-limits');
    const x = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng();
      y[i] = rng() < 0.5 ? 1 : 0; // pure noise: any tree is overfitting
    }
    const r = cart({ factors: [{ name: 'x', kind: 'numeric', values: x }], y }, { maxDepth: 2, massMin: 0.1 });
    for (const l of r.leaves) {
      expect(l.depth).toBeLessThanOrEqual(2);
      expect(l.runs).toBeGreaterThanOrEqual(200);
    }
  });
});
