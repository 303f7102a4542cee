// The upper tail of the binomial distribution, for PRIM's quasi-p-values (Bryant and
// Lempert 2010): P(X >= k) for X ~ Binomial(n, p), summed term by term in log space.
// n is at most the number of runs (a few hundred thousand), so the sum is cheap.

/** log Gamma(x) for x > 0 (Lanczos, g = 7, 9 coefficients; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnp = Math.log(p);
  const lnq = Math.log1p(-p);
  const base = logGamma(n + 1);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    const term = Math.exp(base - logGamma(j + 1) - logGamma(n - j + 1) + j * lnp + (n - j) * lnq);
    sum += term;
    // past the mode the terms only shrink: stop once they no longer change the sum
    if (j > n * p && term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}
