import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng.ts';
import { grid, gridValues, latinHypercube, morris, saltelli, sobolPoints } from '../../src/experiment/designs.ts';

describe('grid', () => {
  it('is the full factorial, last factor fastest, with inclusive ranges', () => {
    const pts = grid([{ path: 'a', values: [1, 2] }, { path: 'b', min: 0, max: 1 }], [undefined, 3]);
    expect(pts.map((p) => p.values)).toEqual([
      { a: 1, b: 0 }, { a: 1, b: 0.5 }, { a: 1, b: 1 },
      { a: 2, b: 0 }, { a: 2, b: 0.5 }, { a: 2, b: 1 },
    ]);
    expect(gridValues({ path: 'x', min: 0, max: 0.3 }, 4)).toEqual([0, 0.1, 0.2, 0.3]);
  });
});

describe('Latin hypercube', () => {
  it('puts exactly one point in every stratum of every dimension', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5 }), fc.string(), (n, k, seed) => {
        const factors = Array.from({ length: k }, (_, d) => ({ path: `f${d}`, min: -2, max: 3 }));
        const pts = latinHypercube(factors, n, createRng(seed));
        expect(pts).toHaveLength(n);
        for (const f of factors) {
          const strata = pts.map((p) => Math.floor((((p.values[f.path] as number) + 2) / 5) * n)).sort((a, b) => a - b);
          expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
        }
      }),
      { numRuns: 100, seed: 1 },
    );
  });
});

describe('Sobol sequence', () => {
  it('matches the published first points (Joe and Kuo 2008 direction numbers)', () => {
    // Points 1..7 of dimensions 1-3 (point 0, all zeros, is skipped); reference values
    // from Joe and Kuo's generator (new-joe-kuo-6.21201) and Bratley and Fox (1988).
    const pts = sobolPoints(3, 7);
    expect(pts).toEqual([
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ]);
  });

  it('is a (t, m, s)-net: 2^m points hit every dyadic interval of length 2^-m once per dimension', () => {
    const m = 8;
    const pts = sobolPoints(6, 2 ** m - 1);
    for (let d = 0; d < 6; d++) {
      const cells = new Set(pts.map((p) => Math.floor(p[d] * 2 ** m)));
      cells.add(0); // the skipped all-zero point
      expect(cells.size).toBe(2 ** m);
    }
  });
});

describe('Saltelli and Morris layouts', () => {
  it('Saltelli: N (k + 2) points, AB_i equal to A but in column i', () => {
    const f = [{ path: 'x', min: 0, max: 1 }, { path: 'y', min: 0, max: 1 }];
    const { points, layout } = saltelli(f, 8);
    expect(points).toHaveLength(8 * 4);
    expect(layout).toEqual({ n: 8, k: 2 });
    for (let j = 0; j < 8; j++) {
      const [a, ab1, ab2, b] = points.slice(j * 4, j * 4 + 4).map((p) => p.values);
      expect(ab1).toEqual({ x: b.x, y: a.y });
      expect(ab2).toEqual({ x: a.x, y: b.y });
    }
  });

  it('Morris: each step moves exactly one factor by delta of its range', () => {
    const f = [{ path: 'x', min: 0, max: 10 }, { path: 'y', min: -1, max: 1 }, { path: 'z', min: 0, max: 1 }];
    const { points, layout } = morris(f, 5, 4, createRng('m'));
    expect(points).toHaveLength(5 * 4);
    const ranges = [10, 2, 1];
    for (let t = 0; t < 5; t++) {
      for (let s = 0; s < 3; s++) {
        const before = points[t * 4 + s].values;
        const after = points[t * 4 + s + 1].values;
        const moved = f.map((q, d) => ((after[q.path] as number) - (before[q.path] as number)) / ranges[d]);
        const nonzero = moved.filter((x) => Math.abs(x) > 1e-12);
        expect(nonzero).toHaveLength(1);
        expect(Math.abs(nonzero[0])).toBeCloseTo(layout.delta, 10);
      }
    }
  });
});

describe('categorical factors in sampled designs', () => {
  const kinds = { path: 'params.clubs.kind', values: ['regional', 'bilateral', 'plurilateral'] };
  it('LHS: u in [0, 1) maps to values[floor(u x length)]: with n = 3 each value appears once (one stratum each)', () => {
    const pts = latinHypercube([kinds, { path: 'a', min: 0, max: 1 }], 3, createRng('cat'));
    expect(pts.map((p) => p.values['params.clubs.kind']).sort()).toEqual(['bilateral', 'plurilateral', 'regional']);
    const pts6 = latinHypercube([kinds], 6, createRng('cat6'));
    for (const v of kinds.values) expect(pts6.filter((p) => p.values['params.clubs.kind'] === v)).toHaveLength(2);
  });
  it('a numeric factor beside a categorical one samples exactly as without it (its column is the same stream position)', () => {
    const a = saltelli([{ path: 'a', min: 0, max: 1 }, kinds], 4).points.map((p) => p.values.a);
    const b = saltelli([{ path: 'a', min: 0, max: 1 }, { path: 'k', min: 0, max: 1 }], 4).points.map((p) => p.values.a);
    expect(a).toEqual(b);
    for (const p of saltelli([kinds], 8).points) expect(kinds.values).toContain(p.values['params.clubs.kind']);
    for (const p of morris([kinds, { path: 'a', min: 0, max: 1 }], 3, 4, createRng('m')).points) expect(kinds.values).toContain(p.values['params.clubs.kind']);
  });
  it('the schema accepts values on a sampled factor and refuses values with a range', async () => {
    const { sweepSchema } = await import('../../src/experiment/schema.ts');
    expect(sweepSchema.safeParse({ design: 'lhs', samples: 4, factors: [kinds] }).success).toBe(true);
    const bad = sweepSchema.safeParse({ design: 'lhs', samples: 4, factors: [{ ...kinds, min: 0, max: 1 }] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/values \(categorical\) and a range/);
  });
});
