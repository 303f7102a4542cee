// PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999, "Bump hunting in
// high-dimensional data", Statistics and Computing 9: 123-143), as scenario discovery
// uses it (Bryant and Lempert 2010; EMA Workbench's ema_workbench/analysis/prim.py,
// whose rules this follows; the code is written here):
//
// - peeling: from the box holding every run, each step tries, for every numeric
//   factor, cutting off the runs below its alpha quantile or above its 1 - alpha
//   quantile (quantiles of the runs in the box, ties kept together as EMA's
//   get_quantile does), and for every categorical factor, dropping one category; it
//   takes the peel with the best objective (EMA's default "lenient1": the gain in
//   density divided by the runs removed; "original": the density after the peel, as
//   Friedman and Fisher), ties going to the peel that restricts fewer factors, and
//   stops when no peel raises the objective or the box would fall below `massMin`;
// - the box is chosen on the trajectory: the one of highest coverage whose density
//   reaches `threshold` (or, when none does, the densest), as a user picks a box on
//   the trade-off curve;
// - pasting (Friedman and Fisher, section 7): the chosen box is widened again, on its
//   restricted factors only, by the `pasteAlpha` quantile of the runs just outside a
//   limit (or by one category), while that raises its density;
// - covering: further boxes are sought among the runs outside the boxes found, while
//   their density reaches the threshold (at most `maxBoxes`);
// - quasi-p-values (Bryant and Lempert 2010; EMA's _calculate_quasi_p): for each
//   restricted limit, the one-sided binomial probability of the box's runs of
//   interest if that limit were dropped: P(X >= H) for X ~ Binomial(T, p), with T and
//   H the box's runs and runs of interest, and p the density of the box without that
//   limit;
// - resampling: PRIM is run again on bootstrap resamples of the runs (seeded), and
//   each factor's share of resamples whose first box restricts it is reported.
import { createRng, runSeed } from '../engine/rng.ts';
import { binomialUpperTail } from './binomial.ts';
import { type Box, type DiscoverData, type Limit, type TrajectoryStep, checkData, subset } from './data.ts';

export interface PrimOptions {
  /** Share of the box's runs a peel removes (default 0.05). */
  readonly peelAlpha?: number;
  /** Share of the runs just outside a limit a paste adds (default 0.05). */
  readonly pasteAlpha?: number;
  /** Smallest mass (share of all runs) a box may have (default 0.05). */
  readonly massMin?: number;
  /** Density a box must reach to be chosen (default 0.8). */
  readonly threshold?: number;
  /** Peeling objective (default lenient1, as EMA Workbench). */
  readonly objective?: 'lenient1' | 'original';
  /** Most boxes to find by covering (default 3). */
  readonly maxBoxes?: number;
  /** Bootstrap resamples for the restriction frequencies (default 20; 0: none). */
  readonly resamples?: number;
  /** Seed of the resamples (a string or number; default 0). */
  readonly seed?: string | number;
}

/** One box found by PRIM, with its trajectory. */
export interface PrimBox extends Box {
  /** The peeling trajectory, then the pasting steps, of this box's search. */
  readonly trajectory: readonly TrajectoryStep[];
  /** The step of the trajectory the box was chosen at before pasting. */
  readonly chosenStep: number;
}

export interface PrimResult {
  readonly boxes: readonly PrimBox[];
  /** Runs, and runs of interest, in the data set. */
  readonly runs: number;
  readonly runsOfInterest: number;
  /** Per factor: the share of bootstrap resamples whose first box restricts it (absent with no resamples). */
  readonly restrictionFrequency?: Readonly<Record<string, number>>;
  readonly resamples: number;
  readonly options: Required<PrimOptions>;
}

export const PRIM_DEFAULTS: Required<PrimOptions> = {
  peelAlpha: 0.05,
  pasteAlpha: 0.05,
  massMin: 0.05,
  threshold: 0.8,
  objective: 'lenient1',
  maxBoxes: 3,
  resamples: 20,
  seed: 0,
};

/** EMA Workbench's get_quantile (after sdtoolkit): a value between two distinct sorted values, so that ties stay together. */
export function quantile(sorted: Float64Array, q: number, length = sorted.length): number {
  const i = (length - 1) * q;
  let lo = Math.floor(i);
  let hi = Math.ceil(i);
  if (q > 0.5) {
    while (sorted[lo] === sorted[hi] && lo > 0) lo--;
  } else {
    while (sorted[lo] === sorted[hi] && hi < length - 1) hi++;
  }
  return (sorted[lo] + sorted[hi]) / 2;
}

/**
 * get_quantile of the values of the runs in the box (`member`, `m` of them), read off
 * the factor's sorted order instead of sorting the box's values at every peel: from
 * the bottom for q <= 0.5, from the top otherwise, walking past the box's runs only as
 * far as the quantile and its ties.
 */
function quantileInBox(order: Int32Array, x: Float64Array, member: Uint8Array, m: number, q: number): number {
  const pos = (m - 1) * q;
  const up = q > 0.5;
  // counted from the end the walk starts at
  const first = up ? m - 1 - Math.ceil(pos) : Math.floor(pos);
  const second = up ? m - 1 - Math.floor(pos) : Math.ceil(pos);
  let k = -1;
  let a = NaN;
  let b = NaN;
  const n = order.length;
  for (let t = 0; t < n; t++) {
    const r = order[up ? n - 1 - t : t];
    if (!member[r]) continue;
    k++;
    const v = x[r];
    if (k === first) a = v;
    if (k >= second) {
      b = v;
      // ties stay together: walk on to the first value that differs from the first one
      if (b !== a || k === m - 1) break;
    }
  }
  return (a + b) / 2;
}

/** The limits of a box during the search: numeric bounds, and a mask of kept categories. */
interface Limits {
  lower: Float64Array;
  upper: Float64Array;
  /** Per factor: kept categories (empty array for a numeric factor). */
  keep: Uint8Array[];
}

function copyLimits(l: Limits): Limits {
  return { lower: l.lower.slice(), upper: l.upper.slice(), keep: l.keep.map((k) => k.slice()) };
}

interface Search {
  readonly data: DiscoverData;
  readonly init: Limits;
  readonly n: number;
  readonly totalInterest: number;
  readonly opts: Required<PrimOptions>;
  /** Per numeric factor: the runs in ascending order of its value (empty for a categorical factor). */
  readonly order: readonly Int32Array[];
  /** 1 for the runs in the box being peeled. */
  readonly member: Uint8Array;
}

function initialLimits(data: DiscoverData): Limits {
  const k = data.factors.length;
  const lower = new Float64Array(k).fill(Infinity);
  const upper = new Float64Array(k).fill(-Infinity);
  const keep: Uint8Array[] = [];
  data.factors.forEach((f, j) => {
    if (f.kind === 'numeric') {
      for (let i = 0; i < f.values.length; i++) {
        const v = f.values[i];
        if (v < lower[j]) lower[j] = v;
        if (v > upper[j]) upper[j] = v;
      }
      keep.push(new Uint8Array(0));
    } else {
      keep.push(new Uint8Array(f.categories.length).fill(1));
      lower[j] = NaN;
      upper[j] = NaN;
    }
  });
  return { lower, upper, keep };
}

function isRestricted(s: Search, l: Limits, j: number): boolean {
  const f = s.data.factors[j];
  if (f.kind === 'numeric') return l.lower[j] > s.init.lower[j] || l.upper[j] < s.init.upper[j];
  for (let c = 0; c < l.keep[j].length; c++) if (!l.keep[j][c]) return true;
  return false;
}

function restrictedNames(s: Search, l: Limits): string[] {
  return s.data.factors.filter((_, j) => isRestricted(s, l, j)).map((f) => f.name);
}

function inBox(s: Search, l: Limits, i: number, skip = -1): boolean {
  const fs = s.data.factors;
  for (let j = 0; j < fs.length; j++) {
    if (j === skip) continue;
    const f = fs[j];
    if (f.kind === 'numeric') {
      const v = f.values[i];
      if (v < l.lower[j] || v > l.upper[j]) return false;
    } else if (!l.keep[j][f.codes[i]]) return false;
  }
  return true;
}

function objective(s: Search, meanOld: number, nOld: number, meanNew: number, nNew: number): number {
  if (s.opts.objective === 'original') return nNew > 0 ? meanNew : 0;
  // EMA's lenient1: gain in mean per run removed (or added, when pasting)
  const mNew = nNew > 0 ? meanNew : 0;
  if (mNew === meanOld || nNew === nOld) return 0;
  return (mNew - meanOld) / Math.abs(nOld - nNew);
}

function sumY(y: Uint8Array, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += y[idx[i]];
  return s;
}

interface Candidate {
  /** The factor the peel or paste changes. */
  dim: number;
  obj: number;
  addsRestriction: boolean;
  n: number;
  interest: number;
  apply: (l: Limits) => void;
}

/** One peel of the box holding `idx`, or null when none is taken. */
function peel(s: Search, l: Limits, idx: Int32Array): Candidate | null {
  const { data, member } = s;
  const m = idx.length;
  member.fill(0);
  for (let i = 0; i < m; i++) member[idx[i]] = 1;
  const h = sumY(data.y, idx);
  const meanOld = h / m;
  let best: Candidate | null = null;
  const consider = (c: Candidate) => {
    if (best === null || c.obj > best.obj || (c.obj === best.obj && best.addsRestriction && !c.addsRestriction)) best = c;
  };
  data.factors.forEach((f, j) => {
    const wasRestricted = isRestricted(s, l, j);
    if (f.kind === 'numeric') {
      const x = f.values;
      const low = quantileInBox(s.order[j], x, member, m, s.opts.peelAlpha);
      const high = quantileInBox(s.order[j], x, member, m, 1 - s.opts.peelAlpha);
      let nL = 0;
      let hL = 0;
      let nH = 0;
      let hH = 0;
      for (let i = 0; i < m; i++) {
        const r = idx[i];
        const v = x[r];
        if (v >= low) {
          nL++;
          hL += data.y[r];
        }
        if (v <= high) {
          nH++;
          hH += data.y[r];
        }
      }
      if (nL < m) consider({ dim: j, obj: objective(s, meanOld, m, nL > 0 ? hL / nL : 0, nL), addsRestriction: !wasRestricted, n: nL, interest: hL, apply: (b) => void (b.lower[j] = low) });
      if (nH < m) consider({ dim: j, obj: objective(s, meanOld, m, nH > 0 ? hH / nH : 0, nH), addsRestriction: !wasRestricted, n: nH, interest: hH, apply: (b) => void (b.upper[j] = high) });
    } else {
      const kept = l.keep[j];
      let keptCount = 0;
      for (let c = 0; c < kept.length; c++) keptCount += kept[c];
      if (keptCount < 2) return;
      const count = new Float64Array(kept.length);
      const hits = new Float64Array(kept.length);
      for (let i = 0; i < m; i++) {
        const r = idx[i];
        count[f.codes[r]]++;
        hits[f.codes[r]] += data.y[r];
      }
      for (let c = 0; c < kept.length; c++) {
        if (!kept[c] || count[c] === 0) continue;
        const nNew = m - count[c];
        const hNew = h - hits[c];
        consider({ dim: j, obj: objective(s, meanOld, m, nNew > 0 ? hNew / nNew : 0, nNew), addsRestriction: !wasRestricted, n: nNew, interest: hNew, apply: (b) => void (b.keep[j][c] = 0) });
      }
    }
  });
  const b = best as Candidate | null;
  if (b === null || b.n / s.n < s.opts.massMin || b.n >= m || !(b.obj > 0)) return null;
  return b;
}

/** Runs of `rows` inside the box. */
function filter(s: Search, l: Limits, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  let k = 0;
  for (let i = 0; i < rows.length; i++) if (inBox(s, l, rows[i])) out[k++] = rows[i];
  return out.slice(0, k);
}

/** Runs of `rows` (all inside the box before its limits on factor j changed) still inside it. */
function filterDim(s: Search, l: Limits, rows: Int32Array, j: number): Int32Array {
  const out = new Int32Array(rows.length);
  let k = 0;
  const f = s.data.factors[j];
  if (f.kind === 'numeric') {
    const x = f.values;
    const lo = l.lower[j];
    const hi = l.upper[j];
    for (let i = 0; i < rows.length; i++) {
      const v = x[rows[i]];
      if (v >= lo && v <= hi) out[k++] = rows[i];
    }
  } else {
    const keep = l.keep[j];
    for (let i = 0; i < rows.length; i++) if (keep[f.codes[rows[i]]]) out[k++] = rows[i];
  }
  return out.slice(0, k);
}

/** One paste of the box holding `idx` (among the runs `remaining`), or null when none raises its density. */
function paste(s: Search, l: Limits, idx: Int32Array, remaining: Int32Array): Candidate | null {
  const { data } = s;
  const m = idx.length;
  const meanOld = sumY(data.y, idx) / m;
  let best: Candidate | null = null;
  data.factors.forEach((f, j) => {
    if (!isRestricted(s, l, j)) return;
    // the remaining runs inside the box on every other factor
    const near: number[] = [];
    for (let i = 0; i < remaining.length; i++) if (inBox(s, l, remaining[i], j)) near.push(remaining[i]);
    const tries: ((b: Limits) => void)[] = [];
    if (f.kind === 'numeric') {
      const x = f.values;
      const below = Float64Array.from(near.filter((r) => x[r] >= s.init.lower[j] && x[r] <= l.lower[j]).map((r) => x[r])).sort();
      const above = Float64Array.from(near.filter((r) => x[r] >= l.upper[j] && x[r] <= s.init.upper[j]).map((r) => x[r])).sort();
      if (l.lower[j] > s.init.lower[j]) {
        const v = below.length > 0 ? quantile(below, 1 - s.opts.pasteAlpha) : s.init.lower[j];
        if (v < l.lower[j]) tries.push((b) => void (b.lower[j] = v));
      }
      if (l.upper[j] < s.init.upper[j]) {
        const v = above.length > 0 ? quantile(above, s.opts.pasteAlpha) : s.init.upper[j];
        if (v > l.upper[j]) tries.push((b) => void (b.upper[j] = v));
      }
    } else {
      for (let c = 0; c < l.keep[j].length; c++) if (!l.keep[j][c]) tries.push((b) => void (b.keep[j][c] = 1));
    }
    for (const apply of tries) {
      const t = copyLimits(l);
      apply(t);
      let n = 0;
      let h = 0;
      for (const r of near) {
        if (inBox(s, t, r)) {
          n++;
          h += data.y[r];
        }
      }
      const obj = objective(s, meanOld, m, n > 0 ? h / n : 0, n);
      if (n > m && obj > 0 && h / n > meanOld && n / s.n >= s.opts.massMin && (best === null || obj > best.obj)) best = { dim: j, obj, addsRestriction: false, n, interest: h, apply };
    }
  });
  return best;
}

function stepOf(s: Search, l: Limits, step: number, phase: TrajectoryStep['phase'], n: number, h: number): TrajectoryStep {
  return { step, phase, coverage: s.totalInterest > 0 ? h / s.totalInterest : 0, density: n > 0 ? h / n : 0, mass: n / s.n, restricted: restrictedNames(s, l) };
}

interface Found {
  limits: Limits;
  trajectory: TrajectoryStep[];
  chosenStep: number;
  idx: Int32Array;
}

/** Peels from the whole box over `remaining`, chooses a box on the trajectory, pastes it. */
function findBox(s: Search, remaining: Int32Array): Found {
  let l = copyLimits(s.init);
  let idx = remaining;
  const trajectory: TrajectoryStep[] = [stepOf(s, l, 0, 'start', idx.length, sumY(s.data.y, idx))];
  const limitsAt: Limits[] = [copyLimits(l)];
  for (;;) {
    const c = peel(s, l, idx);
    if (c === null) break;
    c.apply(l);
    idx = filterDim(s, l, idx, c.dim);
    trajectory.push(stepOf(s, l, trajectory.length, 'peel', idx.length, c.interest));
    limitsAt.push(copyLimits(l));
  }
  // the box of highest coverage that reaches the threshold, else the densest
  let chosen = -1;
  for (let i = 0; i < trajectory.length; i++) {
    const t = trajectory[i];
    if (t.density >= s.opts.threshold && (chosen < 0 || t.coverage > trajectory[chosen].coverage)) chosen = i;
  }
  if (chosen < 0) {
    chosen = 0;
    for (let i = 1; i < trajectory.length; i++) {
      const t = trajectory[i];
      const b = trajectory[chosen];
      if (t.density > b.density || (t.density === b.density && t.coverage > b.coverage)) chosen = i;
    }
  }
  l = copyLimits(limitsAt[chosen]);
  idx = filter(s, l, remaining);
  for (;;) {
    const c = paste(s, l, idx, remaining);
    if (c === null) break;
    c.apply(l);
    idx = filter(s, l, remaining);
    trajectory.push(stepOf(s, l, trajectory.length, 'paste', idx.length, c.interest));
  }
  return { limits: l, trajectory, chosenStep: chosen, idx };
}

/** The box's limits as reported, with quasi-p-values computed over `remaining`. */
function describe(s: Search, found: Found, remaining: Int32Array): PrimBox {
  const { limits: l, idx } = found;
  const T = idx.length;
  const H = sumY(s.data.y, idx);
  const qpWithout = (relax: (b: Limits) => void): number => {
    const t = copyLimits(l);
    relax(t);
    let n = 0;
    let h = 0;
    for (let i = 0; i < remaining.length; i++) {
      if (inBox(s, t, remaining[i])) {
        n++;
        h += s.data.y[remaining[i]];
      }
    }
    return binomialUpperTail(H, T, n > 0 ? h / n : 0);
  };
  const limits: Limit[] = s.data.factors.map((f, j) => {
    const restricted = isRestricted(s, l, j);
    if (f.kind === 'numeric') {
      const lowerCut = l.lower[j] > s.init.lower[j];
      const upperCut = l.upper[j] < s.init.upper[j];
      return {
        factor: f.name,
        kind: 'numeric',
        lower: l.lower[j],
        upper: l.upper[j],
        min: s.init.lower[j],
        max: s.init.upper[j],
        restricted,
        qpLower: lowerCut ? qpWithout((b) => void (b.lower[j] = s.init.lower[j])) : null,
        qpUpper: upperCut ? qpWithout((b) => void (b.upper[j] = s.init.upper[j])) : null,
      };
    }
    return {
      factor: f.name,
      kind: 'categorical',
      categories: f.categories.filter((_, c) => l.keep[j][c]),
      all: f.categories,
      restricted,
      qp: restricted ? qpWithout((b) => void b.keep[j].fill(1)) : null,
    };
  });
  const density = T > 0 ? H / T : 0;
  return {
    limits,
    coverage: s.totalInterest > 0 ? H / s.totalInterest : 0,
    density,
    mass: T / s.n,
    runs: T,
    runsOfInterest: H,
    restricted: limits.filter((x) => x.restricted).map((x) => x.factor),
    meetsThreshold: density >= s.opts.threshold,
    trajectory: found.trajectory,
    chosenStep: found.chosenStep,
  };
}

/**
 * The indices of `values` in ascending order of value (ties by index): a stable LSD
 * radix sort on the doubles' bits made order-preserving (sign flipped; every bit
 * flipped for negatives), four passes of 16 bits. A comparator sort of 100,000
 * indices costs about ten times as much, once per factor per search.
 */
export function argsort(values: Float64Array): Int32Array {
  const n = values.length;
  const bits = new Uint32Array(new Float64Array(values).buffer); // little-endian: [lo, hi] per value
  for (let i = 0; i < n; i++) {
    const hi = bits[2 * i + 1];
    if (hi & 0x80000000) {
      bits[2 * i + 1] = ~hi >>> 0;
      bits[2 * i] = ~bits[2 * i] >>> 0;
    } else bits[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Int32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(bits[2 * from[i] + word] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const r = from[i];
      to[count[(bits[2 * r + word] >>> shift) & 0xffff]++] = r;
    }
    [from, to] = [to, from];
  }
  return from;
}

function searchOf(data: DiscoverData, opts: Required<PrimOptions>): Search {
  let totalInterest = 0;
  for (let i = 0; i < data.y.length; i++) totalInterest += data.y[i];
  const order = data.factors.map((f) => (f.kind === 'numeric' ? argsort(f.values) : new Int32Array(0)));
  return { data, init: initialLimits(data), n: data.y.length, totalInterest, opts, order, member: new Uint8Array(data.y.length) };
}

function checkOptions(opts: Required<PrimOptions>): void {
  const inOpen = (x: number) => x > 0 && x < 0.5;
  if (!inOpen(opts.peelAlpha)) throw new RangeError(`peelAlpha ${opts.peelAlpha}: allowed a number > 0 and < 0.5`);
  if (!inOpen(opts.pasteAlpha)) throw new RangeError(`pasteAlpha ${opts.pasteAlpha}: allowed a number > 0 and < 0.5`);
  if (!(opts.massMin > 0 && opts.massMin < 1)) throw new RangeError(`massMin ${opts.massMin}: allowed a number > 0 and < 1`);
  if (!(opts.threshold >= 0 && opts.threshold <= 1)) throw new RangeError(`threshold ${opts.threshold}: allowed a number from 0 to 1`);
  if (!(Number.isInteger(opts.maxBoxes) && opts.maxBoxes >= 1)) throw new RangeError(`maxBoxes ${opts.maxBoxes}: allowed an integer >= 1`);
  if (!(Number.isInteger(opts.resamples) && opts.resamples >= 0)) throw new RangeError(`resamples ${opts.resamples}: allowed an integer >= 0`);
}

/** The options given, without those left undefined (which would hide the defaults). */
export function defined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** PRIM with peeling, pasting, covering, quasi-p-values and bootstrap restriction frequencies. */
export function prim(data: DiscoverData, options: PrimOptions = {}): PrimResult {
  const opts: Required<PrimOptions> = { ...PRIM_DEFAULTS, ...defined(options) };
  checkOptions(opts);
  checkData(data);
  if (data.y.length === 0) throw new RangeError('no runs to discover in');
  const s = searchOf(data, opts);
  let remaining = Int32Array.from({ length: s.n }, (_, i) => i);
  const boxes: PrimBox[] = [];
  while (boxes.length < opts.maxBoxes && remaining.length > 0) {
    if (boxes.length > 0 && sumY(data.y, remaining) === 0) break;
    const found = findBox(s, remaining);
    const box = describe(s, found, remaining);
    // later boxes are kept only when they reach the threshold and restrict something
    if (boxes.length > 0 && (!box.meetsThreshold || box.restricted.length === 0)) break;
    boxes.push(box);
    if (box.restricted.length === 0) break;
    const inside = new Uint8Array(s.n);
    for (let i = 0; i < found.idx.length; i++) inside[found.idx[i]] = 1;
    remaining = remaining.filter((r) => !inside[r]);
  }
  let restrictionFrequency: Record<string, number> | undefined;
  if (opts.resamples > 0) {
    const rng = createRng(runSeed(opts.seed, 'prim-resample', 0));
    const counts = new Map<string, number>(data.factors.map((f) => [f.name, 0]));
    const rows = new Int32Array(s.n);
    for (let b = 0; b < opts.resamples; b++) {
      for (let i = 0; i < s.n; i++) rows[i] = Math.floor(rng() * s.n);
      const rs = searchOf(subset(data, rows), opts);
      const first = findBox(rs, Int32Array.from({ length: s.n }, (_, i) => i));
      for (const name of restrictedNames(rs, first.limits)) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    restrictionFrequency = Object.fromEntries([...counts].map(([k, v]) => [k, v / opts.resamples]));
  }
  return { boxes, runs: s.n, runsOfInterest: s.totalInterest, ...(restrictionFrequency ? { restrictionFrequency } : {}), resamples: opts.resamples, options: opts };
}
