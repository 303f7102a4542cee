// Arithmetic in log space, so that probabilities far below the smallest double
// (1e-308) keep their logarithm: fixation probabilities of 1e-300 and stationary
// weights that differ by hundreds of orders of magnitude.

/** ln(e^a + e^b), exact where either is -Infinity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(sum_i e^{x_i}) over the first `n` entries (all by default), by one pass with a running maximum. */
export function logSumExp(xs: ArrayLike<number>, n = xs.length): number {
  let max = -Infinity;
  let sum = 0; // sum of e^{x - max}
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (x === -Infinity) continue;
    if (x <= max) sum += Math.exp(x - max);
    else {
      sum = sum * Math.exp(max - x) + 1;
      max = x;
    }
  }
  return max === -Infinity ? -Infinity : max + Math.log(sum);
}

/** ln(1 + e^x) without overflow (the softplus). */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** ln of the logistic function 1 / (1 + e^{-x}); x = +-Infinity give 0 and -Infinity. */
export function logLogistic(x: number): number {
  if (x === Infinity) return 0;
  if (x === -Infinity) return -Infinity;
  return -log1pExp(-x);
}

/** Normalises log weights to probabilities (sum 1), without overflow; weights below e^-745 of the largest become 0. */
export function normaliseLog(logW: ArrayLike<number>): Float64Array {
  const total = logSumExp(logW);
  const out = new Float64Array(logW.length);
  for (let i = 0; i < logW.length; i++) out[i] = Math.exp(logW[i] - total);
  return out;
}

export const LN10 = Math.log(10);
