// Validation of PRIM against a published peeling trajectory: the standard example of
// scenario discovery, the data of Bryant and Lempert (2010; tests/discover/data/README.md),
// as EMA Workbench's documentation runs it ("Performing Scenario Discovery in Python",
// emaworkbench.readthedocs.io/en/latest/examples/scenario_discovery.html):
// x = columns 2-10 (9 factors), y = column 15 ("Greater than 90%": 89 of 882 runs),
// Prim(x, y, peel_alpha=0.1), mass_min 0.05, the lenient1 objective. Published there:
// - the peeling ends at mass 0.05102040816326531, coverage 0.5056179775280899,
//   density 1.0, 6 restricted dimensions;
// - box 21 of the trajectory: coverage 0.752809, density 0.770115, mass 0.0986395,
//   4 restricted dimensions: Total biomass 450.0-755.799988, Demand elasticity
//   -0.422-(-0.202), Biomass backstop price 150.049995-199.600006, Cellulosic cost
//   72.650002-133.699997, with quasi-p-values 4.716968553178765e-06 (Total biomass,
//   upper), 1.1849299115762218e-16 (Demand elasticity, lower), 3.515112530263049e-11
//   (Biomass backstop price, lower) and 0.15741333528927348 (Cellulosic cost, lower).
// CART's published tree is checked at the end. The same algorithm on the same data must give the same numbers: the statistics to
// the 6 digits printed, the quasi-p-values to 1e-9 relative (summation order).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoverData, Limit } from '../../src/discover/data.ts';
import { prim } from '../../src/discover/prim.ts';
import { cart } from '../../src/discover/cart.ts';

function bryantLempert(): DiscoverData {
  const lines = readFileSync(join(import.meta.dirname, 'data', 'bryant-lempert-2010.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const factors = header.slice(2, 11).map((name, k) => ({ name, kind: 'numeric' as const, values: Float64Array.from(rows, (r) => r[k + 2]) }));
  return { factors, y: Uint8Array.from(rows, (r) => r[15]) };
}

const numeric = (limits: readonly Limit[], name: string) => {
  const l = limits.find((x) => x.factor === name);
  if (!l || l.kind !== 'numeric') throw new Error(`no numeric limit for ${name}`);
  return l;
};

describe('PRIM on Bryant and Lempert (2010), as published by EMA Workbench', () => {
  const data = bryantLempert();

  it('reads the data as published: 882 runs, 89 of interest', () => {
    expect(data.y.length).toBe(882);
    expect(data.y.reduce((a, b) => a + b, 0)).toBe(89);
  });

  it('peels the published trajectory: box 21 and the last box', () => {
    const r = prim(data, { peelAlpha: 0.1, threshold: 1, maxBoxes: 1, resamples: 0 });
    const t = r.boxes[0].trajectory.filter((s) => s.phase !== 'paste');
    const box21 = t[21];
    expect(box21.coverage).toBeCloseTo(0.752809, 6);
    expect(box21.density).toBeCloseTo(0.770115, 6);
    expect(box21.mass).toBeCloseTo(0.0986395, 6);
    expect([...box21.restricted].sort()).toEqual(['Biomass backstop price', 'Cellulosic cost', 'Demand elasticity', 'Total biomass']);
    const last = t[t.length - 1];
    expect(last.mass).toBeCloseTo(0.05102040816326531, 12);
    expect(last.coverage).toBeCloseTo(0.5056179775280899, 12);
    expect(last.density).toBe(1);
    expect(last.restricted).toHaveLength(6);
  });

  it('gives box 21 the published limits and quasi-p-values', () => {
    // density threshold 0.77: box 21 is the box of highest coverage that reaches it (box 20 has 0.732)
    const r = prim(data, { peelAlpha: 0.1, threshold: 0.77, maxBoxes: 1, resamples: 0 });
    const box = r.boxes[0];
    expect(box.chosenStep).toBe(21);
    expect(box.coverage).toBeCloseTo(0.752809, 6);
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    const biomass = numeric(box.limits, 'Total biomass');
    expect(biomass.lower).toBeCloseTo(450, 4);
    expect(biomass.upper).toBeCloseTo(755.799988, 4);
    expect(rel(biomass.qpUpper!, 4.716968553178765e-6)).toBeLessThan(1e-9);
    const demand = numeric(box.limits, 'Demand elasticity');
    expect(demand.lower).toBeCloseTo(-0.422, 6);
    expect(rel(demand.qpLower!, 1.1849299115762218e-16)).toBeLessThan(1e-9);
    const backstop = numeric(box.limits, 'Biomass backstop price');
    expect(backstop.lower).toBeCloseTo(150.049995, 4);
    expect(rel(backstop.qpLower!, 3.515112530263049e-11)).toBeLessThan(1e-9);
    const cellulosic = numeric(box.limits, 'Cellulosic cost');
    expect(cellulosic.lower).toBeCloseTo(72.650002, 4);
    expect(rel(cellulosic.qpLower!, 0.15741333528927348)).toBeLessThan(1e-9);
  });
});

describe('CART on Bryant and Lempert (2010), as published by EMA Workbench', () => {
  it('grows the published tree: the 8 leaves with their coverage, density and mass, and the densest leaf\'s limits', () => {
    // EMA: cart.CART(x, y, 0.05).build_tree(): scikit-learn's Gini tree with
    // min_samples_leaf int(0.05 x 882) = 44 and no depth limit. Published leaves
    // (coverage, density, mass), in tree order. One node has two splits of equal gain
    // (Biomass backstop price at 144.35 in EMA, Cellulosic cost at 109.2 here, the
    // same runs either way); scikit-learn breaks such ties by a random order of the
    // factors, so only the statistics are compared there.
    const published = [
      [0.011236, 0.021739, 0.052154],
      [0.0, 0.0, 0.546485],
      [0.0, 0.0, 0.103175],
      [0.044944, 0.090909, 0.049887],
      [0.224719, 0.434783, 0.052154],
      [0.11236, 0.227273, 0.049887],
      [0.0, 0.0, 0.05102],
      [0.606742, 0.642857, 0.095238],
    ];
    const r = cart(bryantLempert(), { maxDepth: 30, massMin: 0.05 });
    expect(r.leaves.map((l) => [l.coverage, l.density, l.mass].map((x) => Number(x.toFixed(6))))).toEqual(published);
    const best = r.leaves[7];
    expect([...best.restricted].sort()).toEqual(['Biomass backstop price', 'Demand elasticity']);
    expect(numeric(best.limits, 'Demand elasticity').lower).toBeCloseTo(-0.3165, 4);
    expect(numeric(best.limits, 'Biomass backstop price').lower).toBeCloseTo(148.3, 4);
  });
});
