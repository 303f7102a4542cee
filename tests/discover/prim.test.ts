// PRIM (src/discover/prim.ts) on synthetic data sets with a planted box: the box is
// recovered, the peeling trajectory has the shape Friedman and Fisher (1999,
// section 5) describe, quasi-p-values separate the factors that matter from those
// that do not, categorical factors are peeled, and the resampling is seeded.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng.ts';
import { binomialUpperTail, logGamma } from '../../src/discover/binomial.ts';
import type { DiscoverData, Factor } from '../../src/discover/data.ts';
import { argsort, prim, quantile } from '../../src/discover/prim.ts';

/** n uniform runs of k factors x0..x(k-1) on [0, 1); of interest inside 0.5 < x0 and x1 < 0.4 (mass 0.2), with `noise` of the labels flipped. */
function planted(n: number, k: number, seed: string, noise = 0): DiscoverData {
  const rng = createRng(seed);
  const factors = Array.from({ length: k }, (_, j): Factor => ({ name: `x${j}`, kind: 'numeric', values: new Float64Array(n) }));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const f of factors) if (f.kind === 'numeric') f.values[i] = rng();
    const x = factors as { values: Float64Array }[];
    let hit = x[0].values[i] > 0.5 && x[1].values[i] < 0.4;
    if (rng() < noise) hit = !hit;
    y[i] = hit ? 1 : 0;
  }
  return { factors, y };
}

describe('PRIM', () => {
  it('recovers a planted box: coverage and density at least 0.9, only the two planted factors restricted, limits within 0.05 of the planted ones', () => {
    const data = planted(5000, 6, 'planted-box');
    const r = prim(data, { threshold: 0.9, resamples: 0 });
    const box = r.boxes[0];
    expect(box.coverage).toBeGreaterThanOrEqual(0.9);
    expect(box.density).toBeGreaterThanOrEqual(0.9);
    expect([...box.restricted].sort()).toEqual(['x0', 'x1']);
    const x0 = box.limits.find((l) => l.factor === 'x0')!;
    const x1 = box.limits.find((l) => l.factor === 'x1')!;
    if (x0.kind !== 'numeric' || x1.kind !== 'numeric') throw new Error('numeric factors expected');
    expect(Math.abs(x0.lower - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(x1.upper - 0.4)).toBeLessThan(0.05);
    // the restricted limits are far from chance; the free sides have none
    expect(x0.qpLower!).toBeLessThan(1e-6);
    expect(x1.qpUpper!).toBeLessThan(1e-6);
    expect(x0.qpUpper).toBeNull();
    expect(x1.qpLower).toBeNull();
  });

  it('peeling trajectory has the published shape: each peel removes about alpha of the box, coverage never rises, density never falls, the trade-off ends near the planted box', () => {
    // Friedman and Fisher (1999), section 5: with alpha = 0.05 the box keeps
    // (1 - alpha)^k of the runs after k peels, density rises and coverage falls along
    // the trajectory. Here on a planted box; the published trajectory of the standard
    // example (Bryant and Lempert 2010) is reproduced number for number in
    // tests/discover/bryant-lempert.test.ts.
    const data = planted(4000, 4, 'trajectory-shape', 0.05);
    const r = prim(data, { threshold: 1, resamples: 0, maxBoxes: 1 });
    const peels = r.boxes[0].trajectory.filter((t) => t.phase !== 'paste');
    expect(peels.length).toBeGreaterThan(20);
    for (let k = 1; k < peels.length; k++) {
      expect(peels[k].coverage).toBeLessThanOrEqual(peels[k - 1].coverage + 1e-12);
      expect(peels[k].density).toBeGreaterThan(peels[k - 1].density);
      // a peel removes the alpha quantile: between 4 % and 6 % of the box's runs (ties kept together)
      const removed = 1 - peels[k].mass / peels[k - 1].mass;
      expect(removed).toBeGreaterThan(0.04);
      expect(removed).toBeLessThan(0.06);
    }
    expect(peels[0]).toMatchObject({ coverage: 1, mass: 1 });
    // the densest box sits inside the planted box: density near 1 - noise
    expect(peels[peels.length - 1].density).toBeGreaterThan(0.9);
  });

  it('pastes a box back out when peeling cut too deep', () => {
    // coarse peels (alpha 0.2) overshoot the planted limits; fine pastes (0.02) win some of it back
    const data = planted(3000, 3, 'paste');
    const r = prim(data, { threshold: 0.95, resamples: 0, maxBoxes: 1, peelAlpha: 0.2, pasteAlpha: 0.02 });
    const box = r.boxes[0];
    const pasted = box.trajectory.filter((t) => t.phase === 'paste');
    expect(pasted.length).toBeGreaterThan(0);
    // pasting never lowers density and adds runs
    const chosen = box.trajectory[box.chosenStep];
    expect(box.density).toBeGreaterThanOrEqual(chosen.density);
    expect(box.mass).toBeGreaterThan(chosen.mass);
  });

  it('peels categories: a planted category is kept alone', () => {
    const n = 3000;
    const rng = createRng('categorical');
    const kinds = ['regional', 'bilateral', 'plurilateral'];
    const codes = new Int32Array(n);
    const x = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = Math.floor(rng() * 3);
      x[i] = rng();
      y[i] = codes[i] === 1 && x[i] > 0.3 ? 1 : 0;
    }
    const r = prim({ factors: [{ name: 'kind', kind: 'categorical', categories: kinds, codes }, { name: 'x', kind: 'numeric', values: x }], y }, { threshold: 0.95, resamples: 0 });
    const box = r.boxes[0];
    const kind = box.limits.find((l) => l.factor === 'kind')!;
    if (kind.kind !== 'categorical') throw new Error('categorical factor expected');
    expect(kind.categories).toEqual(['bilateral']);
    expect(kind.qp!).toBeLessThan(1e-6);
    expect(box.density).toBeGreaterThanOrEqual(0.95);
    expect(box.coverage).toBeGreaterThanOrEqual(0.9);
  });

  it('restriction frequencies over bootstrap resamples: the planted factors in nearly every resample, the same numbers for the same seed, other numbers for another seed', () => {
    const data = planted(1500, 5, 'resample', 0.1);
    const a = prim(data, { threshold: 0.85, resamples: 10, seed: 7 });
    const b = prim(data, { threshold: 0.85, resamples: 10, seed: 7 });
    expect(a.restrictionFrequency).toEqual(b.restrictionFrequency);
    expect(a.restrictionFrequency!.x0).toBeGreaterThanOrEqual(0.9);
    expect(a.restrictionFrequency!.x1).toBeGreaterThanOrEqual(0.9);
    const freeMean = (['x2', 'x3', 'x4'] as const).reduce((s, k) => s + a.restrictionFrequency![k], 0) / 3;
    expect(freeMean).toBeLessThan(a.restrictionFrequency!.x0);
    const c = prim(data, { threshold: 0.85, resamples: 10, seed: 8 });
    expect(c.restrictionFrequency).toBeDefined();
  });

  it('covering finds a second planted box among the runs outside the first', () => {
    const n = 6000;
    const rng = createRng('two-boxes');
    const xs = Array.from({ length: 4 }, () => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (const x of xs) x[i] = rng();
      y[i] = (xs[0][i] > 0.7 && xs[1][i] > 0.7) || (xs[2][i] > 0.7 && xs[3][i] > 0.7) ? 1 : 0;
    }
    const r = prim({ factors: xs.map((values, j) => ({ name: `x${j}`, kind: 'numeric' as const, values })), y }, { threshold: 0.9, resamples: 0, massMin: 0.02 });
    expect(r.boxes.length).toBeGreaterThanOrEqual(2);
    // one box restricts x0 and x1, the other x2 and x3 (it may trim an edge of another factor too)
    const [a, b] = r.boxes;
    const first = a.restricted.includes('x2') ? b : a;
    const second = first === a ? b : a;
    expect(first.restricted).toEqual(expect.arrayContaining(['x0', 'x1']));
    expect(second.restricted).toEqual(expect.arrayContaining(['x2', 'x3']));
    const total = r.boxes.slice(0, 2).reduce((s, b) => s + b.coverage, 0);
    expect(total).toBeGreaterThan(0.8);
  });

  it('refuses options outside their range', () => {
    const data = planted(100, 2, 'options');
    expect(() => prim(data, { peelAlpha: 0.6 })).toThrow(/peelAlpha/);
    expect(() => prim(data, { threshold: 2 })).toThrow(/threshold/);
  });
});

describe('quantile and the binomial tail', () => {
  it('keeps ties together as EMA Workbench get_quantile does', () => {
    const s = Float64Array.from([1, 1, 1, 2, 3, 4, 5, 5, 5, 5]);
    expect(quantile(s, 0.05)).toBe(1.5); // the three 1s go together
    expect(quantile(s, 0.95)).toBe(4.5); // the four 5s go together
  });

  it('matches exact binomial sums', () => {
    const exact = (k: number, n: number, p: number) => {
      let s = 0;
      for (let j = k; j <= n; j++) {
        let c = 1;
        for (let t = 0; t < j; t++) c = (c * (n - t)) / (t + 1);
        s += c * p ** j * (1 - p) ** (n - j);
      }
      return s;
    };
    for (const [k, n, p] of [[3, 10, 0.2], [7, 20, 0.5], [0, 5, 0.3], [15, 30, 0.1]] as const) expect(binomialUpperTail(k, n, p)).toBeCloseTo(exact(k, n, p), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(binomialUpperTail(11, 10, 0.5)).toBe(0);
  });
});

describe('argsort', () => {
  it('orders doubles of either sign, with ties by index, as a comparator sort does', () => {
    const rng = createRng('argsort');
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0.25 : (rng() - 0.5) * 10 ** Math.floor(rng() * 8 - 4)));
    v[3] = -0;
    v[4] = 0;
    const expected = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
    const got = [...argsort(v)];
    // -0 and 0 are equal values; the radix order puts -0 first, which only matters between them
    const norm = (xs: number[]) => xs.map((i) => v[i]);
    expect(norm(got)).toEqual(norm(expected));
  });
});
