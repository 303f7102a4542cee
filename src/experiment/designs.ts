// Designs: which parameter values a sweep runs. Sampling only: a design knows
// nothing of models, runs, workers or files (after EMA Workbench's separation of
// sampling, execution and storage).
//
// A swept parameter is a dotted path into the spec (e.g. `params.mechanisms.norms`,
// `params.issueAreas.0.excludability`, `protocol.temperature`) with either a list of
// values, a range with steps (grid), or bounds (sampled designs).
import type { Rng } from '../engine/rng.ts';

export type Value = number | string | boolean;

export interface Factor {
  /** Dotted path into the spec. */
  readonly path: string;
  /** Grid: the values, in order. */
  readonly values?: readonly Value[];
  /** Sampled designs: the bounds (uniform, or log-uniform with `scale: 'log'`). */
  readonly min?: number;
  readonly max?: number;
  readonly scale?: 'linear' | 'log';
  /** Round sampled values to integers. */
  readonly integer?: boolean;
}

export interface DesignPoint {
  /** Position in the design (0-based), stable for a given design. */
  readonly index: number;
  readonly values: Readonly<Record<string, Value>>;
}

/** Maps u in [0, 1) to a factor's bounds, or, for a categorical factor (values, no bounds), to values[floor(u x length)]. */
export function scaleTo(f: Factor, u: number): Value {
  if (f.values !== undefined && f.min === undefined && f.max === undefined) return f.values[Math.min(Math.floor(u * f.values.length), f.values.length - 1)];
  if (f.min === undefined || f.max === undefined) throw new Error(`factor ${f.path} has no bounds`);
  let x = f.scale === 'log' ? Math.exp(Math.log(f.min) + u * (Math.log(f.max) - Math.log(f.min))) : f.min + u * (f.max - f.min);
  if (f.integer) x = Math.min(Math.floor(x), Math.floor(f.max));
  return x;
}

/** Values of a grid factor: its list, or `steps` evenly spaced values from min to max inclusive. */
export function gridValues(f: Factor, steps?: number): Value[] {
  if (f.values) return [...f.values];
  if (f.min === undefined || f.max === undefined || steps === undefined) throw new Error(`factor ${f.path} needs values or a range with steps`);
  if (steps === 1) return [f.min];
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    let x = f.min + ((f.max - f.min) * i) / (steps - 1);
    if (f.integer) x = Math.round(x);
    // snap to 12 significant digits so that 0.1 + 0.2-style noise never reaches a seed
    out.push(Number(x.toPrecision(12)));
  }
  return out;
}

/** Full factorial: every combination, the last factor varying fastest. */
export function grid(factors: readonly Factor[], steps: readonly (number | undefined)[] = []): DesignPoint[] {
  const axes = factors.map((f, i) => gridValues(f, steps[i]));
  const points: DesignPoint[] = [];
  const total = axes.reduce((n, a) => n * a.length, 1);
  for (let index = 0; index < total; index++) {
    const values: Record<string, Value> = {};
    let rest = index;
    for (let d = factors.length - 1; d >= 0; d--) {
      values[factors[d].path] = axes[d][rest % axes[d].length];
      rest = Math.floor(rest / axes[d].length);
    }
    points.push({ index, values: orderLike(factors, values) });
  }
  return points;
}

function orderLike(factors: readonly Factor[], values: Record<string, Value>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of factors) out[f.path] = values[f.path];
  return out;
}

/**
 * Latin hypercube: n points; in every dimension each of the n strata [k/n, (k+1)/n)
 * holds exactly one point (McKay, Beckman and Conover 1979). Plain LHS: strata
 * permuted at random and a uniform draw inside each, all from the given stream.
 */
export function latinHypercube(factors: readonly Factor[], n: number, rng: Rng): DesignPoint[] {
  const columns = factors.map(() => {
    const perm = Array.from({ length: n }, (_, k) => k);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(rng() * (k + 1));
      [perm[k], perm[j]] = [perm[j], perm[k]];
    }
    return perm.map((stratum) => (stratum + rng()) / n);
  });
  return Array.from({ length: n }, (_, index) => ({
    index,
    values: Object.fromEntries(factors.map((f, d) => [f.path, scaleTo(f, columns[d][index])])),
  }));
}

/**
 * The `sobol` package's generator, required when a Sobol design is first made (not at
 * start-up). The package reads its direction numbers from files, so it runs in Node
 * only; Node's module loader is taken from `process.getBuiltinModule` (Node >= 20.16;
 * @noble/hashes already needs 20.19) rather than imported, so that this file, and the
 * sweep planning above it, bundle for a browser: the demo plans its grid here.
 */
function sobolGenerator(): new (dim: number) => { nextVector(): number[] } {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:module') as
    | typeof import('node:module')
    | undefined;
  if (!node) throw new Error('the Sobol design needs Node (>= 20.16): the sobol package reads its direction numbers from files; a grid, LHS or Morris design runs anywhere');
  return (node.createRequire(import.meta.url)('sobol') as { SobolSequenceGenerator: new (dim: number) => { nextVector(): number[] } }).SobolSequenceGenerator;
}

/**
 * The Sobol sequence (Joe and Kuo 2008 direction numbers, from the `sobol` package),
 * with the all-zero first point skipped. The package computes with 32-bit integer
 * operations, which is exact for the first 2^19 points; designs are capped there.
 */
export function sobolPoints(dim: number, n: number): number[][] {
  if (n > 2 ** 19) throw new RangeError(`at most 2^19 Sobol points, asked for ${n}`);
  const gen = new (sobolGenerator())(dim);
  gen.nextVector();
  return Array.from({ length: n }, () => gen.nextVector());
}

export interface SaltelliLayout {
  /** Base samples N; the design has N (k + 2) points. */
  readonly n: number;
  readonly k: number;
}

/**
 * Saltelli sampling for variance-based sensitivity (Saltelli et al. 2010): N points of
 * a 2k-dimensional Sobol sequence give matrices A (first k columns) and B (last k);
 * AB_i is A with column i from B. The design lists, for each base sample j, A_j,
 * then AB_1j .. AB_kj, then B_j; point index = j (k + 2) + block.
 */
export function saltelli(factors: readonly Factor[], n: number): { points: DesignPoint[]; layout: SaltelliLayout } {
  const k = factors.length;
  const base = sobolPoints(2 * k, n);
  const points: DesignPoint[] = [];
  const make = (u: number[]) => Object.fromEntries(factors.map((f, d) => [f.path, scaleTo(f, u[d])]));
  for (let j = 0; j < n; j++) {
    const a = base[j].slice(0, k);
    const b = base[j].slice(k);
    points.push({ index: points.length, values: make(a) });
    for (let i = 0; i < k; i++) {
      const ab = a.slice();
      ab[i] = b[i];
      points.push({ index: points.length, values: make(ab) });
    }
    points.push({ index: points.length, values: make(b) });
  }
  return { points, layout: { n, k } };
}

export interface MorrisLayout {
  readonly trajectories: number;
  readonly k: number;
  /** For each trajectory and step s = 1..k: which factor moved, and by +delta or -delta. */
  readonly moves: { factor: number; sign: number }[][];
  readonly delta: number;
}

/**
 * Morris elementary-effects trajectories (Morris 1991): r trajectories of k + 1 points
 * on a p-level grid; each step moves one factor, in random order, by
 * delta = p / (2 (p - 1)) of its range.
 */
export function morris(factors: readonly Factor[], r: number, levels: number, rng: Rng): { points: DesignPoint[]; layout: MorrisLayout } {
  const k = factors.length;
  const delta = levels / (2 * (levels - 1));
  const points: DesignPoint[] = [];
  const moves: { factor: number; sign: number }[][] = [];
  // start levels: those from which +delta stays inside [0, 1]
  const startLevels = Array.from({ length: levels }, (_, l) => l / (levels - 1)).filter((x) => x + delta <= 1 + 1e-12);
  for (let t = 0; t < r; t++) {
    const x = factors.map(() => startLevels[Math.floor(rng() * startLevels.length)]);
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const path: { factor: number; sign: number }[] = [];
    const emit = () =>
      points.push({ index: points.length, values: Object.fromEntries(factors.map((f, d) => [f.path, scaleTo(f, Math.min(x[d], 1 - 1e-12))])) });
    emit();
    for (const i of order) {
      const sign = rng() < 0.5 && x[i] - delta >= -1e-12 ? -1 : x[i] + delta <= 1 + 1e-12 ? 1 : -1;
      x[i] += sign * delta;
      path.push({ factor: i, sign });
      emit();
    }
    moves.push(path);
  }
  return { points, layout: { trajectories: r, k, moves, delta } };
}
