// CART (Breiman, Friedman, Olshen and Stone 1984) as a second scenario-discovery
// method, as EMA Workbench offers beside PRIM (ema_workbench/analysis/cart.py, which
// calls scikit-learn's tree): a binary classification tree grown by the Gini
// impurity, to a maximum depth, with at least int(massMin x runs) runs in each leaf
// (EMA: its mass_min, 5 % of the runs, as scikit-learn's min_samples_leaf). On the
// standard example it grows EMA's published tree (tests/discover/bryant-lempert.test.ts). A numeric factor
// splits at the midpoint between two neighbouring distinct values; a categorical
// factor splits its categories into two groups, found by ordering the categories by
// their share of runs of interest and trying every cut of that order (optimal for a
// two-class Gini split, Breiman et al. 1984, section 9.4). Every leaf is a box (the
// limits on the path to it); the boxes reported are the leaves whose density reaches
// the threshold (or the densest leaf when none does), by coverage.
import { type Box, type DiscoverData, type Limit, checkData } from './data.ts';
import { defined } from './prim.ts';

export interface CartOptions {
  /** Deepest a leaf may be (default 4). */
  readonly maxDepth?: number;
  /** Fewest runs in a leaf, as a share of all runs (default 0.05). */
  readonly massMin?: number;
  /** Density a leaf must reach to be reported as a box (default 0.8). */
  readonly threshold?: number;
}

export interface CartLeaf extends Box {
  /** Depth of the leaf (0: the root). */
  readonly depth: number;
}

export interface CartResult {
  /** The leaves reported as boxes, by coverage. */
  readonly boxes: readonly CartLeaf[];
  /** Every leaf of the tree, in tree order (left first). */
  readonly leaves: readonly CartLeaf[];
  readonly runs: number;
  readonly runsOfInterest: number;
  readonly options: Required<CartOptions>;
}

export const CART_DEFAULTS: Required<CartOptions> = { maxDepth: 4, massMin: 0.05, threshold: 0.8 };

interface Limits {
  lower: Float64Array;
  upper: Float64Array;
  keep: Uint8Array[];
}

const gini = (n: number, h: number) => (n > 0 ? 2 * (h / n) * (1 - h / n) : 0);

export function cart(data: DiscoverData, options: CartOptions = {}): CartResult {
  const opts: Required<CartOptions> = { ...CART_DEFAULTS, ...defined(options) };
  if (!(Number.isInteger(opts.maxDepth) && opts.maxDepth >= 1 && opts.maxDepth <= 30)) throw new RangeError(`maxDepth ${opts.maxDepth}: allowed an integer from 1 to 30`);
  if (!(opts.massMin > 0 && opts.massMin < 0.5)) throw new RangeError(`massMin ${opts.massMin}: allowed a number > 0 and < 0.5`);
  if (!(opts.threshold >= 0 && opts.threshold <= 1)) throw new RangeError(`threshold ${opts.threshold}: allowed a number from 0 to 1`);
  checkData(data);
  const n = data.y.length;
  if (n === 0) throw new RangeError('no runs to discover in');
  // as EMA Workbench: int(mass_min * n) runs, passed to scikit-learn as min_samples_leaf
  const minLeaf = Math.max(1, Math.floor(opts.massMin * n));
  let total = 0;
  for (let i = 0; i < n; i++) total += data.y[i];
  const k = data.factors.length;
  const init: Limits = { lower: new Float64Array(k), upper: new Float64Array(k), keep: [] };
  data.factors.forEach((f, j) => {
    if (f.kind === 'numeric') {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of f.values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      init.lower[j] = lo;
      init.upper[j] = hi;
      init.keep.push(new Uint8Array(0));
    } else {
      init.lower[j] = NaN;
      init.upper[j] = NaN;
      init.keep.push(new Uint8Array(f.categories.length).fill(1));
    }
  });

  const leaves: CartLeaf[] = [];
  const leafOf = (idx: Int32Array, l: Limits, depth: number): CartLeaf => {
    let h = 0;
    for (const r of idx) h += data.y[r];
    const limits: Limit[] = data.factors.map((f, j) => {
      if (f.kind === 'numeric') {
        const restricted = l.lower[j] > init.lower[j] || l.upper[j] < init.upper[j];
        return { factor: f.name, kind: 'numeric', lower: l.lower[j], upper: l.upper[j], min: init.lower[j], max: init.upper[j], restricted, qpLower: null, qpUpper: null };
      }
      const categories = f.categories.filter((_, c) => l.keep[j][c]);
      return { factor: f.name, kind: 'categorical', categories, all: f.categories, restricted: categories.length < f.categories.length, qp: null };
    });
    const density = idx.length > 0 ? h / idx.length : 0;
    return {
      limits,
      coverage: total > 0 ? h / total : 0,
      density,
      mass: idx.length / n,
      runs: idx.length,
      runsOfInterest: h,
      restricted: limits.filter((x) => x.restricted).map((x) => x.factor),
      meetsThreshold: density >= opts.threshold,
      depth,
    };
  };

  const grow = (idx: Int32Array, l: Limits, depth: number): void => {
    const m = idx.length;
    let h = 0;
    for (const r of idx) h += data.y[r];
    const parent = m * gini(m, h);
    let best: { gain: number; left: (r: number) => boolean; narrow: (left: Limits, right: Limits) => void } | null = null;
    if (depth < opts.maxDepth && m >= 2 * minLeaf && h > 0 && h < m) {
      data.factors.forEach((f, j) => {
        if (f.kind === 'numeric') {
          const x = f.values;
          const sorted = Int32Array.from(idx).sort((a, b) => x[a] - x[b] || a - b);
          let hl = 0;
          for (let t = 0; t < m - 1; t++) {
            hl += data.y[sorted[t]];
            const nl = t + 1;
            if (nl < minLeaf || m - nl < minLeaf) continue;
            const v = x[sorted[t]];
            const w = x[sorted[t + 1]];
            if (v === w) continue;
            const gain = parent - nl * gini(nl, hl) - (m - nl) * gini(m - nl, h - hl);
            if (gain > 1e-12 && (best === null || gain > best.gain + 1e-12)) {
              const cut = (v + w) / 2;
              best = { gain, left: (r) => x[r] <= cut, narrow: (a, b) => { a.upper[j] = cut; b.lower[j] = cut; } };
            }
          }
        } else {
          const count = new Float64Array(f.categories.length);
          const hits = new Float64Array(f.categories.length);
          for (const r of idx) {
            count[f.codes[r]]++;
            hits[f.codes[r]] += data.y[r];
          }
          const present = [...count.keys()].filter((c) => count[c] > 0).sort((a, b) => hits[a] / count[a] - hits[b] / count[b] || a - b);
          let nl = 0;
          let hl = 0;
          for (let t = 0; t < present.length - 1; t++) {
            nl += count[present[t]];
            hl += hits[present[t]];
            if (nl < minLeaf || m - nl < minLeaf) continue;
            const gain = parent - nl * gini(nl, hl) - (m - nl) * gini(m - nl, h - hl);
            if (gain > 1e-12 && (best === null || gain > best.gain + 1e-12)) {
              const leftSet = new Uint8Array(f.categories.length);
              for (let u = 0; u <= t; u++) leftSet[present[u]] = 1;
              best = {
                gain,
                left: (r) => leftSet[f.codes[r]] === 1,
                narrow: (a, b) => {
                  for (let c = 0; c < leftSet.length; c++) {
                    if (leftSet[c]) b.keep[j][c] = 0;
                    else a.keep[j][c] = 0;
                  }
                },
              };
            }
          }
        }
      });
    }
    const split = best as { gain: number; left: (r: number) => boolean; narrow: (left: Limits, right: Limits) => void } | null;
    if (split === null) {
      leaves.push(leafOf(idx, l, depth));
      return;
    }
    const copy = (x: Limits): Limits => ({ lower: x.lower.slice(), upper: x.upper.slice(), keep: x.keep.map((c) => c.slice()) });
    const left = copy(l);
    const right = copy(l);
    split.narrow(left, right);
    grow(idx.filter((r) => split.left(r)), left, depth + 1);
    grow(idx.filter((r) => !split.left(r)), right, depth + 1);
  };
  grow(Int32Array.from({ length: n }, (_, i) => i), init, 0);

  let boxes = leaves.filter((b) => b.meetsThreshold);
  if (boxes.length === 0) boxes = [leaves.reduce((a, b) => (b.density > a.density || (b.density === a.density && b.coverage > a.coverage) ? b : a))];
  boxes = [...boxes].sort((a, b) => b.coverage - a.coverage);
  return { boxes, leaves, runs: n, runsOfInterest: total, options: opts };
}
