// Deterministic dynamics of an infinite population on the simplex of strategy shares:
// the replicator equation (Taylor PD, Jonker LB (1978) Math Biosci 40:145-156;
// Hofbauer J, Sigmund K (1998) Evolutionary Games and Population Dynamics, Cambridge
// UP), the mean-field equation of the Fermi process with mutation (Traulsen A, Claussen
// JC, Hauert C (2005) Phys Rev Lett 95:238701), and the logit dynamic whose rest points
// are the logit (quantal response) equilibria (McKelvey RD, Palfrey TR (1995) Games Econ
// Behav 10:6-38; Sandholm WH (2010) Population Games and Evolutionary Dynamics, MIT
// Press, ch. 6). Rest points are found on every face of the simplex (a bisection on
// each edge, Newton's method from a grid of starts inside), and classified by the
// eigenvalues of the Jacobian in S - 1 coordinates (central differences). Games of two
// and three strategies (the Jacobian's eigenvalues in closed form).
import type { MutationConvention } from './birth-death.ts';
import type { SharePayoffs } from './infinite.ts';

export interface Eigenvalue {
  readonly re: number;
  readonly im: number;
}

export type Stability = 'stable' | 'unstable' | 'saddle' | 'neutral' | 'degenerate';

export interface RestPoint {
  /** the shares of the strategies */
  readonly x: readonly number[];
  /** eigenvalues of the Jacobian in the first S - 1 shares */
  readonly eigenvalues: readonly Eigenvalue[];
  /**
   * stable: every real part < 0; unstable: every real part > 0; saddle: some of each;
   * neutral: real parts 0 with rotation (a centre, closed orbits nearby); degenerate:
   * a real eigenvalue 0 (linearisation decides nothing).
   */
  readonly stability: Stability;
}

/** A vector field on the simplex: the time derivative of the shares. */
export type Field = (x: readonly number[]) => number[];

export function replicatorField(payoffs: SharePayoffs): Field {
  return (x) => {
    const P = payoffs(x);
    let bar = 0;
    for (let i = 0; i < x.length; i++) bar += x[i] * P[i];
    return x.map((xi, i) => xi * (P[i] - bar));
  };
}

/**
 * The mean field of the Fermi process with mutation rate mu, per revision opportunity
 * of every agent (one round): dx_i/dt = (1 - mu) x_i sum_j x_j tanh(beta (P_i - P_j) / 2)
 * + mutation, the mutation term mu (1/S - x_i) for 'any' and mu (1 - S x_i) / (S - 1)
 * for 'other'. (An imitator meets a random other agent; 1 / (1 + e^{-u}) - 1 / (1 + e^{u})
 * = tanh(u / 2).) For small beta it is (beta / 2) times the replicator equation.
 */
export function fermiMeanField(payoffs: SharePayoffs, beta: number, mu: number, convention: MutationConvention): Field {
  return (x) => {
    const P = payoffs(x);
    const S = x.length;
    return x.map((xi, i) => {
      let g = 0;
      for (let j = 0; j < S; j++) g += x[j] * Math.tanh((beta * (P[i] - P[j])) / 2);
      const mut = convention === 'any' ? mu * (1 / S - xi) : (mu * (1 - S * xi)) / (S - 1);
      return (1 - mu) * xi * g + mut;
    });
  };
}

/** The logit choice probabilities at temperature T > 0 (softmax of P / T). */
export function logitChoice(P: readonly number[], T: number): number[] {
  const max = Math.max(...P);
  const w = P.map((p) => Math.exp((p - max) / T));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** The logit dynamic dx/dt = L(x) - x, whose rest points are the logit equilibria at temperature T. */
export function logitField(payoffs: SharePayoffs, T: number): Field {
  return (x) => {
    const L = logitChoice(payoffs(x), T);
    return x.map((xi, i) => L[i] - xi);
  };
}

const H = 1e-6;

/** Jacobian of the field in the first S - 1 shares (x_S = 1 - the others), by central differences. */
export function jacobian(field: Field, x: readonly number[]): number[][] {
  const S = x.length;
  const J: number[][] = [];
  for (let r = 0; r < S - 1; r++) J.push(new Array<number>(S - 1).fill(0));
  for (let c = 0; c < S - 1; c++) {
    const up = [...x];
    const down = [...x];
    up[c] += H;
    up[S - 1] -= H;
    down[c] -= H;
    down[S - 1] += H;
    const fu = field(up);
    const fd = field(down);
    for (let r = 0; r < S - 1; r++) J[r][c] = (fu[r] - fd[r]) / (2 * H);
  }
  return J;
}

/** Eigenvalues of a 1x1 or 2x2 real matrix. */
export function eigenvalues(J: number[][]): Eigenvalue[] {
  if (J.length === 1) return [{ re: J[0][0], im: 0 }];
  if (J.length !== 2) throw new RangeError(`eigenvalues of a ${J.length}x${J.length} Jacobian are not computed here (games of up to three strategies)`);
  const tr = J[0][0] + J[1][1];
  const det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
  const disc = (tr * tr) / 4 - det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return [{ re: tr / 2 + s, im: 0 }, { re: tr / 2 - s, im: 0 }];
  }
  const s = Math.sqrt(-disc);
  return [{ re: tr / 2, im: s }, { re: tr / 2, im: -s }];
}

/** Classifies by the eigenvalues; real parts within tol of 0 count as 0 (tol scaled to the largest modulus). */
export function classify(ev: readonly Eigenvalue[], tol = 1e-6): Stability {
  const scale = Math.max(1e-12, ...ev.map((e) => Math.hypot(e.re, e.im)));
  const t = tol * Math.max(1, scale);
  const neg = ev.filter((e) => e.re < -t).length;
  const pos = ev.filter((e) => e.re > t).length;
  const zero = ev.length - neg - pos;
  if (zero === 0) return pos === 0 ? 'stable' : neg === 0 ? 'unstable' : 'saddle';
  if (pos > 0) return neg > 0 ? 'saddle' : 'unstable';
  const rotating = ev.some((e) => Math.abs(e.re) <= t && Math.abs(e.im) > t);
  return rotating && neg === 0 ? 'neutral' : 'degenerate';
}

function restPoint(field: Field, x: readonly number[]): RestPoint {
  const ev = eigenvalues(jacobian(field, x));
  return { x: [...x], eigenvalues: ev, stability: classify(ev) };
}

/** Roots of a function on [0, 1] (ends excluded unless `ends`): sign changes on a grid of `cells`, refined by bisection to 1e-14. */
export function rootsOnInterval(f: (t: number) => number, cells = 4000, ends = false): number[] {
  const roots: number[] = [];
  let a = 0;
  let fa = f(0);
  if (ends && fa === 0) roots.push(0);
  for (let c = 1; c <= cells; c++) {
    const b = c / cells;
    const fb = f(b);
    if (fb === 0) {
      if (b < 1 || ends) roots.push(b);
    } else if (fa !== 0 && Math.sign(fa) !== Math.sign(fb)) {
      let lo = a;
      let hi = b;
      let flo = fa;
      for (let it = 0; it < 200 && hi - lo > 1e-14; it++) {
        const mid = (lo + hi) / 2;
        const fm = f(mid);
        if (fm === 0) {
          lo = hi = mid;
          break;
        }
        if (Math.sign(fm) === Math.sign(flo)) {
          lo = mid;
          flo = fm;
        } else hi = mid;
      }
      roots.push((lo + hi) / 2);
    }
    a = b;
    fa = fb;
  }
  return roots;
}

/**
 * Zeros of g: R^2 -> R^2 inside the triangle u, v > 0, u + v < 1, by Newton's method
 * (Jacobian by central differences) from a grid of starts; distinct zeros (1e-7 apart)
 * whose residual is below 1e-12.
 */
function newton2(g: (u: number, v: number) => [number, number], grid = 12): [number, number][] {
  const found: [number, number][] = [];
  for (let a = 1; a < grid; a++) {
    for (let b = 1; a + b < grid; b++) {
      let u = a / grid;
      let v = b / grid;
      let ok = false;
      for (let it = 0; it < 60; it++) {
        const [g1, g2] = g(u, v);
        if (!Number.isFinite(g1) || !Number.isFinite(g2)) break;
        if (Math.hypot(g1, g2) < 1e-13) {
          ok = true;
          break;
        }
        const [a1, a2] = g(u + H, v);
        const [b1, b2] = g(u - H, v);
        const [c1, c2] = g(u, v + H);
        const [d1, d2] = g(u, v - H);
        const j11 = (a1 - b1) / (2 * H);
        const j21 = (a2 - b2) / (2 * H);
        const j12 = (c1 - d1) / (2 * H);
        const j22 = (c2 - d2) / (2 * H);
        const det = j11 * j22 - j12 * j21;
        if (det === 0 || !Number.isFinite(det)) break;
        let du = (j22 * g1 - j12 * g2) / det;
        let dv = (-j21 * g1 + j11 * g2) / det;
        // stay inside the triangle: halve the step until it does
        for (let h = 0; h < 30 && !(u - du > 0 && v - dv > 0 && u - du + v - dv < 1); h++) {
          du /= 2;
          dv /= 2;
        }
        u -= du;
        v -= dv;
        if (Math.hypot(du, dv) < 1e-15) {
          const [r1, r2] = g(u, v);
          ok = Math.hypot(r1, r2) < 1e-10;
          break;
        }
      }
      if (!ok) continue;
      if (!(u > 0 && v > 0 && u + v < 1)) continue;
      if (found.some(([fu, fv]) => Math.hypot(fu - u, fv - v) < 1e-7)) continue;
      found.push([u, v]);
    }
  }
  return found;
}

/** Rest points of the replicator equation on every face of the simplex (two or three strategies), each classified. */
export function replicatorRestPoints(payoffs: SharePayoffs, S: number): RestPoint[] {
  if (S < 2 || S > 3) throw new RangeError(`the replicator's rest points are computed for two or three strategies, not ${S}`);
  const field = replicatorField(payoffs);
  const out: RestPoint[] = [];
  const unit = (i: number) => Array.from({ length: S }, (_, k) => (k === i ? 1 : 0));
  for (let i = 0; i < S; i++) out.push(restPoint(field, unit(i)));
  // edges: x_i = t, x_j = 1 - t, the rest 0; a rest point where P_i = P_j
  for (let i = 0; i < S; i++) {
    for (let j = i + 1; j < S; j++) {
      const at = (t: number) => Array.from({ length: S }, (_, k) => (k === i ? t : k === j ? 1 - t : 0));
      for (const t of rootsOnInterval((t) => {
        const P = payoffs(at(t));
        return P[i] - P[j];
      })) out.push(restPoint(field, at(t)));
    }
  }
  if (S === 3) {
    for (const [u, v] of newton2((u, v) => {
      const P = payoffs([u, v, 1 - u - v]);
      return [P[0] - P[2], P[1] - P[2]];
    })) out.push(restPoint(field, [u, v, 1 - u - v]));
  }
  // an edge root at a vertex (to bisection precision) is that vertex
  return out.filter((r, n) => !out.slice(0, n).some((q) => Math.max(...q.x.map((v, i) => Math.abs(v - r.x[i]))) < 1e-7));
}

/** Interior rest points of a field that has no rest points on the boundary of the simplex (logit, or the mean field with mutation), classified. */
export function interiorRestPoints(field: Field, S: number): RestPoint[] {
  if (S === 2) return rootsOnInterval((t) => field([t, 1 - t])[0], 20_000).map((t) => restPoint(field, [t, 1 - t]));
  if (S === 3) {
    return newton2((u, v) => {
      const f = field([u, v, 1 - u - v]);
      return [f[0], f[1]];
    }).map(([u, v]) => restPoint(field, [u, v, 1 - u - v]));
  }
  throw new RangeError(`rest points are computed for two or three strategies, not ${S}`);
}

/** The logit equilibria at temperature T > 0: the rest points of the logit dynamic, each stable or not under it. */
export function logitEquilibria(payoffs: SharePayoffs, S: number, T: number): RestPoint[] {
  if (!(T > 0)) throw new RangeError(`logit equilibria need a temperature > 0, got ${T}`);
  return interiorRestPoints(logitField(payoffs, T), S);
}

/**
 * Rest points of the Fermi process's mean field: with mutation (mu > 0) interior only;
 * without, the replicator's (tanh keeps the sign of every payoff difference, so the
 * rest points are the same and a hyperbolic one keeps its stability).
 */
export function meanFieldRestPoints(payoffs: SharePayoffs, S: number, beta: number, mu: number, convention: MutationConvention): RestPoint[] {
  if (mu === 0) {
    const field = fermiMeanField(payoffs, beta, 0, convention);
    return replicatorRestPoints(payoffs, S).map((r) => restPoint(field, r.x));
  }
  return interiorRestPoints(fermiMeanField(payoffs, beta, mu, convention), S);
}
