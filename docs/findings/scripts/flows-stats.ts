// The pre-registered statistics of the flows patterns (experiments/flows-*.yaml
// headers), as pure functions of per-run rows (metric name -> final value), shared by
// the findings scripts docs/findings/scripts/flows-*.ts (which read the result
// folders) and tests/validation/flows-patterns.test.ts and
// flows-learning-noise.test.ts (which run the specs through the API).
// Intervals are t-based 95 % (src/engine/stats.ts); Welch's for two independent arms.
import { meanCi, t975 } from '../../../src/engine/stats.ts';

export type Row = Readonly<Record<string, unknown>>;
export type Verdict = 'supported' | 'refuted' | 'undecided';

export const AREAS = ['refugee', 'irregular', 'skilled'] as const;
export const LEVELS = ['U', 'C', 'M'] as const;
/** Betts' level of each area (seed 002). */
export const BETTS = { refugee: 'M', irregular: 'C', skilled: 'U' } as const;

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

const num = (r: Row, k: string): number => {
  const v = r[k];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
};

export function interval(xs: readonly number[]): Interval {
  const m = meanCi(xs);
  return { mean: m.mean, lo: m.mean - m.ci95, hi: m.mean + m.ci95, n: m.n };
}

/** Paired interval of a - b over the rows where both are defined. */
export function paired(rows: readonly Row[], a: string, b: string): Interval {
  const d: number[] = [];
  for (const r of rows) {
    const x = num(r, a);
    const y = num(r, b);
    if (Number.isFinite(x) && Number.isFinite(y)) d.push(x - y);
  }
  return interval(d);
}

/** Welch 95 % interval of mean(b) - mean(a). */
export function welch(a: readonly number[], b: readonly number[]): Interval & { df: number } {
  const A = meanCi(a);
  const B = meanCi(b);
  const va = A.sd ** 2 / A.n;
  const vb = B.sd ** 2 / B.n;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (A.n - 1) + vb ** 2 / (B.n - 1));
  const mean = B.mean - A.mean;
  const t = t975(df);
  return { mean, lo: mean - t * se, hi: mean + t * se, n: A.n + B.n, df };
}

/** An interval's verdict for a hypothesised sign: supported if it excludes 0 on that side, refuted if on the other, undecided otherwise. */
export function signVerdict(iv: Interval, sign: 1 | -1): Verdict {
  if (!(iv.n >= 2) || !Number.isFinite(iv.lo)) return 'undecided';
  const lo = sign * (sign === 1 ? iv.lo : iv.hi);
  const hi = sign * (sign === 1 ? iv.hi : iv.lo);
  if (lo > 0) return 'supported';
  if (hi < 0) return 'refuted';
  return 'undecided';
}

/** Several conditions that must all hold: refuted if any is refuted, supported if all are, undecided otherwise. */
export function all(vs: readonly Verdict[]): Verdict {
  if (vs.includes('refuted')) return 'refuted';
  return vs.every((v) => v === 'supported') ? 'supported' : 'undecided';
}

export const values = (rows: readonly Row[], k: string): number[] => rows.map((r) => num(r, k)).filter((x) => Number.isFinite(x));

/**
 * H2a, per area: the final share at each level over replications with its interval;
 * supported if Betts' level has the highest mean and its lower bound exceeds both
 * others' upper bounds; refuted if another level's lower bound exceeds Betts' level's
 * upper bound (it is clearly below one); undecided otherwise.
 */
export function levelTest(rows: readonly Row[], area: (typeof AREAS)[number]): { levels: Record<string, Interval>; verdict: Verdict } {
  const levels: Record<string, Interval> = {};
  for (const l of LEVELS) levels[l] = interval(values(rows, `share_${area}_${l}`));
  const b = levels[BETTS[area]];
  const others = LEVELS.filter((l) => l !== BETTS[area]).map((l) => levels[l]);
  let verdict: Verdict = 'undecided';
  if (others.every((o) => b.mean > o.mean && b.lo > o.hi)) verdict = 'supported';
  else if (others.some((o) => o.lo > b.hi)) verdict = 'refuted';
  return { levels, verdict };
}

/** H2b: excludability refugee > irregular > skilled, each pairwise paired interval above 0. */
export function excludabilityTest(rows: readonly Row[]): { pairs: Record<string, Interval>; verdict: Verdict } {
  const pairs: Record<string, Interval> = {
    'refugee - irregular': paired(rows, 'refugee_excludability', 'irregular_excludability'),
    'irregular - skilled': paired(rows, 'irregular_excludability', 'skilled_excludability'),
    'refugee - skilled': paired(rows, 'refugee_excludability', 'skilled_excludability'),
  };
  return { pairs, verdict: all(Object.values(pairs).map((iv) => signVerdict(iv, 1))) };
}

/** H2c: skilled rivalry above refugee and irregular rivalry, paired intervals above 0. */
export function rivalryTest(rows: readonly Row[]): { pairs: Record<string, Interval>; verdict: Verdict } {
  const pairs: Record<string, Interval> = {
    'skilled - refugee': paired(rows, 'skilled_rivalry', 'refugee_rivalry'),
    'skilled - irregular': paired(rows, 'skilled_rivalry', 'irregular_rivalry'),
  };
  return { pairs, verdict: all(Object.values(pairs).map((iv) => signVerdict(iv, 1))) };
}

/** Pattern 1: H1a mean final refugee_hosted_low_income without burden-sharing > 0.6; H1b Welch interval of with - without below 0. */
export function hostingTest(without: readonly Row[], withSharing: readonly Row[]): { without: Interval; with: Interval; h1a: Verdict; diff: Interval & { df: number }; h1b: Verdict } {
  const a = values(without, 'refugee_hosted_low_income');
  const b = values(withSharing, 'refugee_hosted_low_income');
  const w0 = interval(a);
  const diff = welch(a, b);
  return { without: w0, with: interval(b), h1a: w0.mean > 0.6 ? 'supported' : 'refuted', diff, h1b: signVerdict(diff, -1) };
}

/** Pattern 3: Welch interval of refugee_M_destination with onward movement - without; supported above 0, refuted below, undecided otherwise. */
export function remoteProtectionTest(noOnward: readonly Row[], onward: readonly Row[]): { without: Interval; with: Interval; diff: Interval & { df: number }; verdict: Verdict } {
  const a = values(noOnward, 'refugee_M_destination');
  const b = values(onward, 'refugee_M_destination');
  const diff = welch(a, b);
  return { without: interval(a), with: interval(b), diff, verdict: signVerdict(diff, 1) };
}

/** Pattern 4, at one design point: each area's modal level (highest mean final share over its replications; a tie holds for no level). */
export function modalLevels(rows: readonly Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of AREAS) {
    const means = LEVELS.map((l) => {
      const v = values(rows, `share_${a}_${l}`);
      return v.reduce((s, x) => s + x, 0) / v.length;
    });
    const top = Math.max(...means);
    const at = LEVELS.filter((_, k) => means[k] === top);
    out[a] = at.length === 1 ? at[0] : 'tie';
  }
  return out;
}

/** Pattern 4: per design point, whether each area's modal level is Betts'; the shares of points per area and for all three. */
export function robustnessMap(rows: readonly Row[]): { points: { point: number; row: Row; holds: Record<string, boolean> }[]; share: Record<string, number> } {
  const byPoint = new Map<number, Row[]>();
  for (const r of rows) {
    const p = num(r, 'point');
    if (!byPoint.has(p)) byPoint.set(p, []);
    byPoint.get(p)!.push(r);
  }
  const points = [...byPoint.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([point, rs]) => {
      const modal = modalLevels(rs);
      const holds: Record<string, boolean> = {};
      for (const a of AREAS) holds[a] = modal[a] === BETTS[a];
      holds.all = AREAS.every((a) => holds[a]);
      return { point, row: rs[0], holds };
    });
  const share: Record<string, number> = {};
  for (const k of [...AREAS, 'all']) share[k] = points.filter((p) => p.holds[k]).length / points.length;
  return { points, share };
}

/** Pattern 4 extended: robustnessMap's shares within each value of one swept factor (a column of runs.csv), values in first-seen order. */
export function robustnessShareBy(map: ReturnType<typeof robustnessMap>, column: string): { value: string; points: number; share: Record<string, number> }[] {
  const groups = new Map<string, typeof map.points>();
  for (const p of map.points) {
    const v = String(p.row[column]);
    if (!groups.has(v)) groups.set(v, []);
    groups.get(v)!.push(p);
  }
  return [...groups.entries()].map(([value, ps]) => {
    const share: Record<string, number> = {};
    for (const k of [...AREAS, 'all']) share[k] = ps.filter((p) => p.holds[k]).length / ps.length;
    return { value, points: ps.length, share };
  });
}

/** Wilson score 95 % interval of a share of k successes in n trials (Wilson 1927). */
export function wilson(k: number, n: number): Interval {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { mean: p, lo: centre - half, hi: centre + half, n };
}

/**
 * experiments/flows-robustness-learning.yaml: per group (learning rule) the share of
 * its points where the area holds, with its Wilson interval; supported if every
 * group's interval lies wholly above `threshold`, refuted if some group's lies wholly
 * below, undecided otherwise.
 */
export function shareAboveTest(groups: readonly { value: string; points: number; share: Record<string, number> }[], key: string, threshold = 0.5): { byGroup: Record<string, Interval>; verdict: Verdict } {
  const byGroup: Record<string, Interval> = {};
  for (const g of groups) byGroup[g.value] = wilson(Math.round(g.share[key] * g.points), g.points);
  const ivs = Object.values(byGroup);
  const verdict: Verdict = ivs.every((i) => i.lo > threshold) ? 'supported' : ivs.some((i) => i.hi < threshold) ? 'refuted' : 'undecided';
  return { byGroup, verdict };
}

/**
 * experiments/flows-noise.yaml, per area: levelTest at each low temperature (T <=
 * 0.01); supported if Betts' level is clearly modal (levelTest supported) at every
 * one, refuted if another level lies clearly above it (levelTest refuted) at every
 * one, undecided otherwise.
 */
export function lowNoiseTest(rowsAtLowT: readonly (readonly Row[])[], area: (typeof AREAS)[number]): Verdict {
  const vs = rowsAtLowT.map((rows) => levelTest(rows, area).verdict);
  if (vs.every((v) => v === 'supported')) return 'supported';
  if (vs.every((v) => v === 'refuted')) return 'refuted';
  return 'undecided';
}
