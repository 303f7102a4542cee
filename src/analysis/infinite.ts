// The textbook games' payoffs in an infinite (large) population at strategy shares x,
// for the replicator and mean-field ODEs and the logit equilibria. Each is the limit
// Z -> infinity of the model's own finite expected payoffs (groups drawn with
// replacement: binomial instead of hypergeometric), from the model files' exported
// formulas where they have them.
import type { AnyModel } from '../engine/model.ts';
import { infinitePayoffs as optionalPayoffs } from '../../models/optional-pgg.ts';
import { grossBenefit, memberPayoff } from '../../models/club-good.ts';

/** Payoff of each strategy at shares x (summing to 1), in the model's strategy order. */
export type SharePayoffs = (x: ArrayLike<number>) => number[];

/** P(Binomial(n, x) >= m), as a polynomial in x (so it extends smoothly just outside [0, 1], where numerical derivatives look). */
function binomialTail(n: number, x: number, m: number): number {
  if (m <= 0) return 1;
  if (m > n) return 0;
  let choose = 1; // C(n, i)
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= m) sum += choose * x ** i * (1 - x) ** (n - i);
    choose = (choose * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The infinite-population payoffs of a model at its parameters, or null when the model
 * has none here (then the replicator and logit-equilibrium sections say so).
 * club-good is not a game of shares alone (a member's cost K / n depends on the number
 * of members): its payoffs are taken at its own population size Z, with n = 1 + x (Z - 1)
 * members as a member sees it and the outsiders' benefit taken at n = x (Z - 1), n >= 1.
 */
export function sharePayoffs(model: AnyModel, params: Record<string, unknown>): SharePayoffs | null {
  const p = params as Record<string, number>;
  switch (model.name) {
    case 'linear-pgg':
      return (x) => [(p.r * p.c * ((p.N - 1) * x[0] + 1)) / p.N - p.c, (p.r * p.c * (p.N - 1) * x[0]) / p.N];
    case 'matrix-game':
      return (x) => [p.a * x[0] + p.b * (1 - x[0]), p.c * x[0] + p.d * (1 - x[0])];
    case 'threshold-pgg':
      return (x) => [
        p.b * (1 - p.r + p.r * binomialTail(p.N - 1, x[0], p.M - 1)) - p.c * p.b,
        p.b * (1 - p.r + p.r * binomialTail(p.N - 1, x[0], p.M)),
      ];
    case 'optional-pgg':
      return (x) => {
        const z = 1 - x[0] - x[1];
        const q = optionalPayoffs({ N: p.N, r: p.r, c: p.c, sigma: p.sigma }, x[0], x[1], z);
        return [q.C, q.D, q.L];
      };
    case 'club-good': {
      const game = { Z: p.Z, b: p.b, K: p.K, kappa: p.kappa, e: p.e };
      // strategies O (0), J (1); x[1] the share of members
      return (x) => {
        const n = x[1] * (p.Z - 1);
        return [n >= 1 ? (1 - p.e) * grossBenefit(game, n) : 0, memberPayoff(game, 1 + n)];
      };
    }
    default:
      return null;
  }
}
