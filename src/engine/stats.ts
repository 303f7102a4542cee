// Means and t-based 95 % confidence intervals: the one place the project computes
// them, for run summaries, sweep tables and charts alike.

/** Student-t 97.5 % quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * The 97.5 % quantile of Student's t with `df` degrees of freedom: the table up to 30,
 * beyond it the Cornish-Fisher expansion around z = 1.959964 (error < 1e-4 for df > 30).
 */
export function t975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface MeanCi {
  mean: number;
  /** Standard deviation (n - 1 denominator); NaN when n < 2. */
  sd: number;
  /** Half-width of the t-based 95 % interval of the mean; NaN when n < 2. */
  ci95: number;
  n: number;
}

/** Mean, sd and t-based 95 % CI half-width of xs (all of them: filter first if some may be missing). */
export function meanCi(xs: readonly number[]): MeanCi {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN, ci95: NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, sd: NaN, ci95: NaN, n };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, sd, ci95: (t975(n - 1) * sd) / Math.sqrt(n), n };
}

/**
 * The largest of `xs`, as Math.max gives it (NaN if any is NaN, -Infinity for none),
 * by a loop: `Math.max(...xs)` passes every value as an argument and overflows the
 * stack beyond ~100,000 values.
 */
export function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
}

/** The smallest of `xs`, as Math.min gives it (NaN if any is NaN, Infinity for none), by a loop (see maxOf). */
export function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
}
