// The emulator of history matching: a Gaussian process with a constant mean and a
// squared-exponential kernel, one per target (a metric at a round), fitted to the
// replication means of a wave's design points in the unit cube of the prior.
//
// Why this emulator. History matching needs an emulator's mean and its variance at
// every candidate point (Vernon, Goldstein and Bower 2010; Andrianakis et al. 2015);
// a Gaussian process gives both in closed form, and for the smooth responses of a
// share to a few rates (a handful of parameters, a few hundred runs) a
// squared-exponential kernel is the usual choice. A simpler kernel smoother
// (Nadaraya-Watson) has no honest predictive variance, so it would rule out points
// on the strength of an interpolation it cannot vouch for.
//
// Model:  y_i = m + f(x_i) + e_i,  f ~ GP(0, s2 exp(-sum_d (x_d - x'_d)^2 / l_d^2)),
//         e_i ~ N(0, noise_i), noise_i = (the replications' variance at x_i) / R,
// known from the replications (not fitted). m is the generalised least-squares
// mean. The signal variance s2 and the length scales l_d are chosen by maximum
// marginal likelihood over a small grid: the isotropic grid first, then two passes of
// coordinate search, one length scale at a time over the same grid (no gradient, no
// optimiser to tune; the grid is wide enough for responses from near-constant to
// rough at a tenth of a range). Deterministic: same data, same fit.
//
// Cholesky by hand: mathjs, a dependency, has LU (lusolve) but no Cholesky, and its
// matrices of boxed numbers are far slower than the 30 lines below on Float64Arrays.

/** Length scales tried, in units of the prior's range (the unit cube). */
export const LENGTH_GRID: readonly number[] = [0.05, 0.1, 0.2, 0.35, 0.6, 1, 2];
/** Signal variances tried, as multiples of the variance of the training means. */
export const SIGNAL_GRID: readonly number[] = [0.1, 0.3, 1, 3, 10];

export interface Emulator {
  readonly lengths: readonly number[];
  readonly signal: number;
  readonly mean: number;
  readonly logLikelihood: number;
  readonly n: number;
  /** Emulator mean and variance (of the mean over replications) at a point of the unit cube. */
  predict(x: readonly number[]): { mean: number; variance: number };
  /** The correlation-weighted mean of the training points' replication variances near x (the model's own variability there). */
  modelVariance(x: readonly number[]): number;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite n x n matrix (row-major), in place of a copy; null when not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

/** Solves L z = b (forward substitution). */
export function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

/** Solves L^T z = b (back substitution). */
export function backward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

function correlation(a: readonly number[], b: readonly number[], lengths: readonly number[]): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) {
    const t = (a[d] - b[d]) / lengths[d];
    s += t * t;
  }
  return Math.exp(-s);
}

interface Fit {
  readonly l: Float64Array;
  readonly alpha: Float64Array;
  /** L^-1 1 */
  readonly u1: Float64Array;
  /** 1^T K^-1 1 */
  readonly q: number;
  readonly mean: number;
  readonly logLikelihood: number;
}

function fitAt(x: readonly (readonly number[])[], y: readonly number[], noise: readonly number[], lengths: readonly number[], signal: number): Fit | null {
  const n = x.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const c = signal * correlation(x[i], x[j], lengths);
      k[i * n + j] = c;
      k[j * n + i] = c;
    }
    // a jitter of 1e-10 of the signal keeps near-duplicate points factorable
    k[i * n + i] = signal * (1 + 1e-10) + noise[i];
  }
  const l = cholesky(k, n);
  if (!l) return null;
  const ones = new Float64Array(n).fill(1);
  const u1 = forward(l, n, ones);
  const uy = forward(l, n, y);
  let q = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    q += u1[i] * u1[i];
    p += u1[i] * uy[i];
  }
  const mean = p / q;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = y[i] - mean;
  const ur = forward(l, n, r);
  let quad = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    quad += ur[i] * ur[i];
    logDet += 2 * Math.log(l[i * n + i]);
  }
  const alpha = backward(l, n, ur);
  return { l, alpha, u1, q, mean, logLikelihood: -0.5 * quad - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI) };
}

/**
 * Fits the emulator to n points `x` (each in the unit cube), their replication means
 * `y`, and the replications' sample variances `variance` of R replications each.
 */
export function fitEmulator(x: readonly (readonly number[])[], y: readonly number[], variance: readonly number[], replications: number): Emulator {
  const n = x.length;
  const d = n > 0 ? x[0].length : 0;
  if (n < 2) throw new Error(`an emulator needs at least 2 design points, got ${n}`);
  let my = 0;
  for (const v of y) my += v;
  my /= n;
  let vy = 0;
  for (const v of y) vy += (v - my) * (v - my);
  vy /= n - 1;
  let pooled = 0;
  for (const v of variance) pooled += v;
  pooled /= n;
  // a point whose replications all agreed (variance 0) still has some noise: a tenth of the pooled variance, and never below 1e-12 of the scale
  const floor = Math.max(0.1 * pooled, 1e-12 * Math.max(vy, my * my, 1));
  const noise = variance.map((v) => Math.max(v, floor) / replications);
  const scale = Math.max(vy, floor, 1e-12);

  let best: { fit: Fit; lengths: number[]; signal: number } | null = null;
  const consider = (lengths: number[], signal: number) => {
    const fit = fitAt(x, y, noise, lengths, signal);
    if (fit && (!best || fit.logLikelihood > best.fit.logLikelihood)) best = { fit, lengths: [...lengths], signal };
  };
  for (const len of LENGTH_GRID) for (const s of SIGNAL_GRID) consider(Array.from({ length: d }, () => len), s * scale);
  for (let pass = 0; pass < 2 && d > 1; pass++) {
    for (let dim = 0; dim < d; dim++) {
      const start = best as { fit: Fit; lengths: number[]; signal: number } | null;
      if (!start) break;
      for (const len of LENGTH_GRID) {
        const lengths = [...start.lengths];
        lengths[dim] = len;
        for (const s of SIGNAL_GRID) consider(lengths, s * scale);
      }
    }
  }
  const chosen = best as { fit: Fit; lengths: number[]; signal: number } | null;
  if (!chosen) throw new Error('no emulator could be fitted (the covariance matrix is not positive definite at any grid point)');
  const { fit, lengths, signal } = chosen;

  return {
    lengths,
    signal,
    mean: fit.mean,
    logLikelihood: fit.logLikelihood,
    n,
    predict(at) {
      const kx = new Float64Array(n);
      for (let i = 0; i < n; i++) kx[i] = signal * correlation(at, x[i], lengths);
      let m = fit.mean;
      for (let i = 0; i < n; i++) m += kx[i] * fit.alpha[i];
      const v = forward(fit.l, n, kx);
      let vv = 0;
      let uv = 0;
      for (let i = 0; i < n; i++) {
        vv += v[i] * v[i];
        uv += fit.u1[i] * v[i];
      }
      // the GLS mean's own uncertainty: (1 - 1^T K^-1 k)^2 / (1^T K^-1 1)
      const g = 1 - uv;
      return { mean: m, variance: Math.max(signal - vv + (g * g) / fit.q, 0) };
    },
    modelVariance(at) {
      let w = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const c = correlation(at, x[i], lengths);
        w += c;
        s += c * variance[i];
      }
      return w > 1e-12 ? s / w : pooled;
    },
  };
}
