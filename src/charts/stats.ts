// Means and t-based 95 % confidence intervals for the charts' data preparation.

import { type MeanCi, maxOf, meanCi as meanCiOfAll, t975 } from '../engine/stats.ts';

export { t975, type MeanCi };

/** Mean, sd and t-based 95 % CI half-width of the finite values in xs. */
export function meanCi(xs: readonly number[]): MeanCi {
  return meanCiOfAll(xs.filter((x) => Number.isFinite(x)));
}

/**
 * Pools groups given as (mean, sd, n) into one, exactly as if the runs behind them
 * were one sample: pooled mean = sum n_i m_i / N; pooled variance =
 * [sum (n_i - 1) sd_i^2 + sum n_i (m_i - mean)^2] / (N - 1). A group with n_i = 1
 * carries sd_i = NaN, which counts as 0 within-group spread.
 */
export function pool(groups: readonly { mean: number; sd: number; n: number }[]): MeanCi {
  const g = groups.filter((x) => Number.isFinite(x.mean) && x.n > 0);
  const N = g.reduce((a, x) => a + x.n, 0);
  if (N === 0) return { mean: NaN, sd: NaN, ci95: NaN, n: 0 };
  const mean = g.reduce((a, x) => a + x.n * x.mean, 0) / N;
  if (N < 2) return { mean, sd: NaN, ci95: NaN, n: N };
  const ss = g.reduce((a, x) => a + (x.n > 1 && Number.isFinite(x.sd) ? (x.n - 1) * x.sd ** 2 : 0) + x.n * (x.mean - mean) ** 2, 0);
  const sd = Math.sqrt(ss / (N - 1));
  return { mean, sd, ci95: (t975(N - 1) * sd) / Math.sqrt(N), n: N };
}

/** Lower and upper CI bounds, optionally clipped to [lo, hi] (shares cannot leave [0, 1]); null when no CI. */
export function bounds(s: MeanCi, clip?: [number, number]): { lo: number; hi: number } | null {
  if (!Number.isFinite(s.ci95)) return null;
  let lo = s.mean - s.ci95;
  let hi = s.mean + s.ci95;
  if (clip) {
    lo = Math.max(clip[0], lo);
    hi = Math.min(clip[1], hi);
  }
  return { lo, hi };
}

export interface SeriesPoint extends MeanCi {
  round: number;
}

/**
 * For each wanted metric: the mean and CI across replications at every recorded
 * round. A replication that stopped early (absorbing state or convergence) is held
 * at its last recorded value for later rounds, so every round averages the same
 * replications; `heldOver` says whether that happened.
 */
export function aggregateSeries(
  series: readonly { replication: number; round: number; metric: string; value: number }[],
  wanted: ReadonlySet<string>,
): { byMetric: Map<string, SeriesPoint[]>; heldOver: boolean; replications: number } {
  const perMetric = new Map<string, Map<number, [number, number][]>>();
  const reps = new Set<number>();
  for (const row of series) {
    if (!wanted.has(row.metric)) continue;
    reps.add(row.replication);
    let m = perMetric.get(row.metric);
    if (!m) perMetric.set(row.metric, (m = new Map()));
    let r = m.get(row.replication);
    if (!r) m.set(row.replication, (r = []));
    r.push([row.round, row.value]);
  }
  let heldOver = false;
  const byMetric = new Map<string, SeriesPoint[]>();
  for (const [metric, m] of perMetric) {
    const grid = new Set<number>();
    for (const r of m.values()) {
      r.sort((a, b) => a[0] - b[0]);
      for (const [round] of r) grid.add(round);
    }
    const rounds = [...grid].sort((a, b) => a - b);
    const last = maxOf(rounds);
    for (const r of m.values()) if (r[r.length - 1][0] < last) heldOver = true;
    const tracks = [...m.values()];
    const ptr = tracks.map(() => 0);
    const out: SeriesPoint[] = [];
    for (const round of rounds) {
      const xs: number[] = [];
      tracks.forEach((r, i) => {
        while (ptr[i] + 1 < r.length && r[ptr[i] + 1][0] <= round) ptr[i]++;
        if (r[ptr[i]][0] <= round) xs.push(r[ptr[i]][1]);
      });
      out.push({ round, ...meanCi(xs) });
    }
    byMetric.set(metric, out);
  }
  return { byMetric, heldOver, replications: reps.size };
}
