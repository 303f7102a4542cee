// The analytic twin against closed forms (docs/theory.md, "Methods").
//
// Linear PGG (Traulsen, Pacheco and Nowak 2007, J Theor Biol 246:522): with groups drawn
// without replacement the payoff difference pi_C(k) - pi_D(k) = Delta =
// -c (1 - r (Z - N) / (N (Z - 1))) does not depend on k, so the Fermi fixation
// probabilities are geometric sums, rho_C = (1 - g) / (1 - g^Z) with g = e^{-beta Delta},
// and rho_C / rho_D = e^{beta Delta (Z - 1)}; 1 / Z when beta = 0.
import { describe, expect, it } from 'vitest';
import linear, { params as linearParams } from '../../models/linear-pgg.ts';
import { fermiFixation, gameOfModel, smallMutationLimit } from '../../src/analysis/index.ts';

/** ln rho_C of the closed form, in log space: ln((g - 1) / (g^Z - 1)) for g = e^a, a = -beta Delta. */
function logRhoClosed(a: number, Z: number): number {
  if (a === 0) return -Math.log(Z);
  // (e^a - 1) / (e^{aZ} - 1) = e^{a (1 - Z)} (1 - e^{-a}) / (1 - e^{-aZ}); written for either sign of a
  if (a > 0) return Math.log(-Math.expm1(-a)) - Math.log(-Math.expm1(-a * Z)) + a * (1 - Z);
  return Math.log(-Math.expm1(a)) - Math.log(-Math.expm1(a * Z));
}

const gap = (p: { Z: number; N: number; r: number; c: number }) => -p.c * (1 - (p.r * (p.Z - p.N)) / (p.N * (p.Z - 1)));

describe('linear PGG: constant Delta and the geometric fixation probabilities', () => {
  const cases = [
    { Z: 50, N: 5, r: 3, beta: 1 },
    { Z: 20, N: 5, r: 8, beta: 0.5 },
    { Z: 30, N: 4, r: 2, beta: 0.1 },
    { Z: 100, N: 10, r: 12, beta: 2 },
    { Z: 1700, N: 5, r: 3, beta: 1 },
  ];
  for (const k of cases) {
    it(`Z=${k.Z} N=${k.N} r=${k.r} beta=${k.beta}`, () => {
      const p = linearParams.parse({ Z: k.Z, N: k.N, r: k.r });
      const game = gameOfModel(linear, p);
      const toC = game.edge(0, 1);
      const delta = gap(p);
      for (let j = 1; j < k.Z; j++) expect(toC.iPlays[j] - toC.jPlays[j]).toBeCloseTo(delta, 12);
      const C = fermiFixation(toC, k.Z, k.beta);
      const D = fermiFixation(game.edge(1, 0), k.Z, k.beta);
      // rho_C / rho_D = e^{beta Delta (Z - 1)}, in log10, exactly up to rounding
      expect(Math.abs(C.log10 - D.log10 - (k.beta * delta * (k.Z - 1)) / Math.LN10)).toBeLessThan(1e-9 * Math.max(1, Math.abs(C.log10)));
      expect(Math.abs(C.log10 - logRhoClosed(-k.beta * delta, k.Z) / Math.LN10)).toBeLessThan(1e-9 * Math.max(1, Math.abs(C.log10)));
      expect(Math.abs(D.log10 - logRhoClosed(k.beta * delta, k.Z) / Math.LN10)).toBeLessThan(1e-9);
      // neutral: 1/Z for both
      expect(fermiFixation(toC, k.Z, 0).rho).toBeCloseTo(1 / k.Z, 14);
      expect(fermiFixation(game.edge(1, 0), k.Z, 0).rho).toBeCloseTo(1 / k.Z, 14);
    });
  }

  it('Z 50, N 5, r 3, beta 1: the cooperator fixation is tiny, finite, positive and the closed form', () => {
    const p = linearParams.parse({ Z: 50, N: 5, r: 3 });
    const C = fermiFixation(gameOfModel(linear, p).edge(0, 1), 50, 1);
    const closed = Math.exp(logRhoClosed(-gap(p), 50));
    expect(C.rho).toBeGreaterThan(0);
    expect(Number.isFinite(C.rho)).toBe(true);
    expect(C.rho).toBeLessThan(1e-9);
    expect(Math.abs(C.rho / closed - 1)).toBeLessThan(1e-10);
  });

  it('fixation near 1e-300 keeps its digits, and below the smallest double its log10', () => {
    const p = linearParams.parse({ Z: 1700, N: 5, r: 3 });
    const C = fermiFixation(gameOfModel(linear, p).edge(0, 1), 1700, 1);
    expect(C.log10).toBeLessThan(-290);
    expect(C.log10).toBeGreaterThan(-307);
    expect(Math.abs(C.rho / 10 ** C.log10 - 1)).toBeLessThan(1e-9);
    const big = linearParams.parse({ Z: 10_000, N: 5, r: 3 });
    const tiny = fermiFixation(gameOfModel(linear, big).edge(0, 1), 10_000, 1);
    expect(tiny.rho).toBe(0);
    expect(Math.abs(tiny.log10 - logRhoClosed(-gap(big), 10_000) / Math.LN10)).toBeLessThan(1e-9 * Math.abs(tiny.log10));
  });

  it('small-mutation limit of the linear PGG: two states, weights in the ratio rho_C : rho_D', () => {
    const p = linearParams.parse({ Z: 40, N: 5, r: 4.5 });
    const game = gameOfModel(linear, p);
    const chain = smallMutationLimit(game, 0.5);
    const C = fermiFixation(game.edge(0, 1), 40, 0.5);
    const D = fermiFixation(game.edge(1, 0), 40, 0.5);
    // pi_C / pi_D = rho_C / rho_D
    expect(chain.stationary[0] / chain.stationary[1]).toBeCloseTo(C.rho / D.rho, 12);
    expect(chain.stationary[0] + chain.stationary[1]).toBeCloseTo(1, 14);
  });
});
