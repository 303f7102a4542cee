// Invariants of the exact methods over random games (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, fermiFixation, gameOfPayoffs, stationaryDistribution, transitions } from '../../src/index.ts';

const game2 = fc.record({
  Z: fc.integer({ min: 2, max: 300 }),
  a: fc.double({ min: -5, max: 5, noNaN: true }),
  b: fc.double({ min: -5, max: 5, noNaN: true }),
  c: fc.double({ min: -5, max: 5, noNaN: true }),
  d: fc.double({ min: -5, max: 5, noNaN: true }),
  beta: fc.double({ min: 0, max: 10, noNaN: true }),
});

function matrixGame(g: { Z: number; a: number; b: number; c: number; d: number }) {
  return gameOfPayoffs(g.Z, ['A', 'B'], (s, others) => {
    const n = others[0] + others[1];
    return s === 0 ? (g.a * others[0] + g.b * others[1]) / n : (g.c * others[0] + g.d * others[1]) / n;
  });
}

describe('fixation and stationary distributions over random 2x2 games', () => {
  it('ln(rho_A / rho_B) = beta sum_k (pi_A(k) - pi_B(k)), the identity of any birth-death chain (Nowak et al. 2004)', () => {
    fc.assert(
      fc.property(game2, (g) => {
        const game = matrixGame(g);
        const A = game.edge(0, 1);
        let sum = 0;
        for (let k = 1; k < g.Z; k++) sum += A.iPlays[k] - A.jPlays[k];
        const rhoA = fermiFixation(A, g.Z, g.beta);
        const rhoB = fermiFixation(game.edge(1, 0), g.Z, g.beta);
        expect(Math.abs((rhoA.log10 - rhoB.log10) * Math.LN10 - g.beta * sum)).toBeLessThan(1e-8 * Math.max(1, Math.abs(g.beta * sum)));
        expect(rhoA.log10).toBeLessThanOrEqual(1e-12);
        expect(Number.isFinite(rhoA.log10)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the full chain with mutation is a distribution in detailed balance', () => {
    fc.assert(
      fc.property(game2, fc.double({ min: 1e-4, max: 0.5, noNaN: true }), fc.constantFrom('any' as const, 'other' as const), (g, mu, convention) => {
        const t = transitions(matrixGame(g).edge(0, 1), g.Z, { rule: 'fermi', beta: g.beta }, { rate: mu, convention, strategies: 2 });
        const st = stationaryDistribution(t.logUp, t.logDown)!;
        expect(st.p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
        for (let k = 0; k < g.Z; k++) {
          const lhs = st.log10[k] * Math.LN10 + t.logUp[k];
          const rhs = st.log10[k + 1] * Math.LN10 + t.logDown[k + 1];
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-8 * Math.max(1, Math.abs(lhs)));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('analyze() in the API', () => {
  it('gives the CLI\'s numbers for a spec object, and refuses a bad one with SpecError', async () => {
    const { analysis, dir } = await analyze({ name: 'api-twin', model: 'linear-pgg', params: { Z: 50, N: 5, r: 3 }, protocol: { rule: 'fermi', selectionIntensity: 1 } });
    expect(dir).toBeNull();
    if (!analysis) throw new Error('a linear-pgg spec gives an analysis');
    expect(analysis.fixation.find((f) => f.mutant === 'C')!.log10).toBeCloseTo(-9.996105, 5);
    await expect(analyze({ name: 'bad', model: 'linear-pgg', analysis: { mutation: 'sometimes' } } as never)).rejects.toThrow(/analysis\.mutation/);
  });
});
