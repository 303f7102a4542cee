// Sensitivity estimators for the Saltelli and Morris designs of src/experiment/designs.ts.
import type { Rng } from '../engine/rng.ts';
import type { MorrisLayout, SaltelliLayout } from '../experiment/designs.ts';

export interface SobolIndices {
  readonly S1: number[];
  readonly ST: number[];
}

/**
 * First-order and total Sobol indices from a Saltelli design's outputs y (in design
 * order), with the estimators of Saltelli et al. (2010, Comput Phys Commun 181:259,
 * table 2): S1_i = mean(f(B) (f(AB_i) - f(A))) / V and Jansen's
 * ST_i = mean((f(A) - f(AB_i))^2) / (2 V), V the variance of f over A and B.
 * `rows` restricts the estimate to those base samples (for the bootstrap).
 */
export function sobolIndices(y: readonly number[], layout: SaltelliLayout, rows?: readonly number[]): SobolIndices {
  const { n, k } = layout;
  const idx = rows ?? Array.from({ length: n }, (_, j) => j);
  const stride = k + 2;
  const fA = (j: number) => y[j * stride];
  const fB = (j: number) => y[j * stride + k + 1];
  const fAB = (j: number, i: number) => y[j * stride + 1 + i];
  let mean = 0;
  for (const j of idx) mean += fA(j) + fB(j);
  mean /= 2 * idx.length;
  let v = 0;
  for (const j of idx) v += (fA(j) - mean) ** 2 + (fB(j) - mean) ** 2;
  v /= 2 * idx.length - 1;
  const S1: number[] = [];
  const ST: number[] = [];
  for (let i = 0; i < k; i++) {
    let s1 = 0;
    let st = 0;
    for (const j of idx) {
      s1 += fB(j) * (fAB(j, i) - fA(j));
      st += (fA(j) - fAB(j, i)) ** 2;
    }
    S1.push(v > 0 ? s1 / idx.length / v : 0);
    ST.push(v > 0 ? st / idx.length / (2 * v) : 0);
  }
  return { S1, ST };
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Percentile bootstrap 95 % intervals of the Sobol indices, resampling base samples with the given stream. */
export function sobolBootstrap(y: readonly number[], layout: SaltelliLayout, resamples: number, rng: Rng): { S1: Interval[]; ST: Interval[] } {
  const s1: number[][] = Array.from({ length: layout.k }, () => []);
  const st: number[][] = Array.from({ length: layout.k }, () => []);
  const rows = new Array<number>(layout.n);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < layout.n; j++) rows[j] = Math.floor(rng() * layout.n);
    const est = sobolIndices(y, layout, rows);
    for (let i = 0; i < layout.k; i++) {
      s1[i].push(est.S1[i]);
      st[i].push(est.ST[i]);
    }
  }
  const interval = (xs: number[]): Interval => {
    const sorted = xs.slice().sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
    return { low: at(0.025), high: at(0.975) };
  };
  return { S1: s1.map(interval), ST: st.map(interval) };
}

export interface MorrisIndices {
  /** mean of the elementary effects */
  readonly mu: number[];
  /** mean of their absolute values (Campolongo, Cariboni and Saltelli 2007) */
  readonly muStar: number[];
  /** their standard deviation */
  readonly sigma: number[];
}

/**
 * Morris elementary effects from a Morris design's outputs y (in design order):
 * EE = (y(after step) - y(before)) / (sign x delta), delta in units of the factor's range.
 */
export function morrisIndices(y: readonly number[], layout: MorrisLayout): MorrisIndices {
  const { k, moves, delta } = layout;
  const effects: number[][] = Array.from({ length: k }, () => []);
  moves.forEach((path, t) => {
    const base = t * (k + 1);
    path.forEach((move, s) => {
      effects[move.factor].push((y[base + s + 1] - y[base + s]) / (move.sign * delta));
    });
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    mu: effects.map(mean),
    muStar: effects.map((e) => mean(e.map(Math.abs))),
    sigma: effects.map((e) => {
      const m = mean(e);
      return e.length > 1 ? Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / (e.length - 1)) : 0;
    }),
  };
}
