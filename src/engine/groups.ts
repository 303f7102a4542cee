// Groups drawn from a finite well-mixed population: the exact (hypergeometric)
// weights that expected payoffs use, and the sampling of actual groups.
import type { Rng } from './rng.ts';

/** logFactorials(n)[k] = ln k! for k = 0..n. */
export function logFactorials(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
}

/** ln C(n, k) from a log-factorial table (-Infinity when k is outside 0..n). */
export function logChoose(lf: Float64Array, n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  return lf[n] - lf[k] - lf[n - k];
}

/**
 * Probability that a group of `draws` others, drawn without replacement from `pool`
 * agents of which `successes` are of one kind, holds exactly `k` of that kind.
 */
export function hypergeometric(lf: Float64Array, pool: number, successes: number, draws: number, k: number): number {
  const l = logChoose(lf, successes, k) + logChoose(lf, pool - successes, draws - k) - logChoose(lf, pool, draws);
  return l === -Infinity ? 0 : Math.exp(l);
}

/**
 * Draws `n` distinct agents other than `self` from 0..size-1 into `out` (rejection
 * against the ones already drawn: O(n^2), fine for group sizes far below size).
 */
export function sampleOthers(rng: Rng, size: number, self: number, n: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let x: number;
    let clash: boolean;
    do {
      x = Math.floor(rng() * (size - 1));
      x += (self - x - 1) >>> 31; // skip self: x >= self ? 1 : 0 without a branch (see protocol.ts)
      clash = false;
      for (let j = 0; j < i; j++) if (out[j] === x) clash = true;
    } while (clash);
    out[i] = x;
  }
}
