// Shared by the evidence tests that compare a setting with a mechanism on against
// off over the same seeds: the mean of a recorded metric over a window of rounds,
// and the paired statistics of the per-seed differences.
import type { RunResult } from '../../src/engine/simulate.ts';

/** Mean over the records with round in [from, to] of the sum of the named metrics. */
export function windowMean(r: RunResult, metrics: readonly string[], from: number, to: number): number {
  const idx = metrics.map((m) => {
    const i = r.metrics.indexOf(m);
    if (i < 0) throw new Error(`no metric ${m}`);
    return i;
  });
  let sum = 0;
  let count = 0;
  r.rounds.forEach((round, j) => {
    if (round < from || round > to) return;
    for (const i of idx) sum += r.values[j][i];
    count++;
  });
  return sum / count;
}

export interface Paired {
  /** mean of the off values and of the on values */
  off: number;
  on: number;
  /** mean of the per-seed differences on - off, its standard error and t = mean / se */
  mean: number;
  se: number;
  t: number;
  /** how many differences are positive and negative, of n */
  pos: number;
  neg: number;
  n: number;
  /** a 95 % interval of the mean difference, mean -/+ t975 se (t975 given by the caller) */
  lo: number;
  hi: number;
}

/** Paired statistics of the differences ons[k] - offs[k] (the same seed k in both). */
export function pairedStats(offs: readonly number[], ons: readonly number[], t975 = 1.96): Paired {
  const n = offs.length;
  const d = ons.map((x, k) => x - offs[k]);
  const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mean = avg(d);
  const se = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) / Math.sqrt(n);
  const t = se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  return { off: avg(offs), on: avg(ons), mean, se, t, pos: d.filter((x) => x > 0).length, neg: d.filter((x) => x < 0).length, n, lo: mean - t975 * se, hi: mean + t975 * se };
}
