// The birth-death chain of one edge of the simplex: Z agents playing i or j, k the
// number playing i, one revision opportunity per step to an agent drawn uniformly,
// as src/engine/simulate.ts does with asynchronous updating. Everything is computed in
// log space, so that no probability underflows however small.
//
// Sources: Nowak MA, Sasaki A, Taylor C, Fudenberg D (2004) Nature 428:646-650 (the
// fixation probability of a birth-death process); Traulsen A, Nowak MA, Pacheco JM
// (2006) Phys Rev E 74:011909 and Traulsen A, Pacheco JM, Nowak MA (2007) J Theor Biol
// 246:522-529 (the pairwise comparison, or Fermi, process); Blume LE (1993) Games Econ
// Behav 5:387-424 (logit); Kandori M, Mailath GJ, Rob R (1993) Econometrica 61:29-56
// and Young HP (1993) Econometrica 61:57-84 (best response with mutation);
// Santos FC, Pacheco JM (2011) PNAS 108:10421 (the gradient of selection).
import type { EdgePayoffs } from './game.ts';
import { LN10, logAddExp, logLogistic, logSumExp } from './logspace.ts';

/**
 * Who a mutant becomes. 'any': a mutating agent picks a strategy uniformly among all
 * S, its own included (migov's engine, src/engine/simulate.ts), so it switches to a
 * given other strategy with probability mu / S. 'other': it always picks another
 * strategy, each with probability mu / (S - 1) (the convention of e.g. EGTtools and
 * of most papers that write the mutation term as mu).
 */
export type MutationConvention = 'any' | 'other';
export const MUTATION_CONVENTIONS: readonly MutationConvention[] = ['any', 'other'];

export interface Mutation {
  /** chance that a revising agent mutates instead of following the rule */
  readonly rate: number;
  readonly convention: MutationConvention;
  /** number of strategies of the game (S), which fixes mu / S or mu / (S - 1) */
  readonly strategies: number;
}

/** The chance that a mutating agent becomes a given other strategy. */
export function switchShare(m: Mutation): number {
  return m.convention === 'any' ? 1 / m.strategies : 1 / (m.strategies - 1);
}

/** A revision rule the birth-death chain can be written for. */
export type Rule =
  /** pairwise comparison: copy a random other agent with probability 1 / (1 + e^{-beta (its payoff - own)}) */
  | { readonly rule: 'fermi'; readonly beta: number }
  /** logit choice between the two strategies; temperature 0 is best response with ties split evenly (KMR's dynamics with mutation) */
  | { readonly rule: 'logit'; readonly temperature: number };

/** ln of the chance of choosing the first of two strategies whose payoffs differ by d (first minus second), under logit at temperature T. */
function logChoose(d: number, T: number): number {
  if (T === 0) return d > 0 ? 0 : d === 0 ? -LN2 : -Infinity;
  return logLogistic(d / T);
}
const LN2 = Math.log(2);

/**
 * ln T+(k) and ln T-(k), k = 0..Z: the chances that one revision opportunity moves k
 * up (a j-player becomes an i-player) or down. T+(Z) = T-(0) = 0.
 *
 * fermi:  T+(k) = (Z-k)/Z [ (1 - mu) k/(Z-1) F(beta (pi_i(k) - pi_j(k))) + mu s ]
 *         T-(k) = k/Z     [ (1 - mu) (Z-k)/(Z-1) F(beta (pi_j(k) - pi_i(k))) + mu s ]
 * logit:  T+(k) = (Z-k)/Z [ (1 - mu) L(pi_i - pi_j for a j-player) + mu s ], T- alike,
 * F the logistic function, L logit choice, s the switch share of the convention.
 * (An agent's revision rate multiplies T+ and T- alike and changes neither fixation
 * nor the stationary distribution.) Logit is exact for games of two strategies.
 */
export function transitions(edge: EdgePayoffs, Z: number, rule: Rule, mutation: Mutation): { logUp: Float64Array; logDown: Float64Array } {
  const logUp = new Float64Array(Z + 1).fill(-Infinity);
  const logDown = new Float64Array(Z + 1).fill(-Infinity);
  const mu = mutation.rate;
  const logMut = mu > 0 ? Math.log(mu * switchShare(mutation)) : -Infinity;
  const logFollow = Math.log1p(-mu);
  for (let k = 0; k <= Z; k++) {
    if (k < Z) {
      let follow: number;
      if (rule.rule === 'fermi') follow = k === 0 ? -Infinity : Math.log(k / (Z - 1)) + logLogistic(rule.beta * (edge.iPlays[k] - edge.jPlays[k]));
      else follow = logChoose(edge.jTriesI[k] - edge.jPlays[k], rule.temperature);
      logUp[k] = Math.log((Z - k) / Z) + logAddExp(logFollow + follow, logMut);
    }
    if (k > 0) {
      let follow: number;
      if (rule.rule === 'fermi') follow = k === Z ? -Infinity : Math.log((Z - k) / (Z - 1)) + logLogistic(rule.beta * (edge.jPlays[k] - edge.iPlays[k]));
      else follow = logChoose(edge.iTriesJ[k] - edge.iPlays[k], rule.temperature);
      logDown[k] = Math.log(k / Z) + logAddExp(logFollow + follow, logMut);
    }
  }
  return { logUp, logDown };
}

export interface Fixation {
  /** the fixation probability (0 when below the smallest double, about 5e-324; see log10) */
  readonly rho: number;
  /** log10 of the fixation probability, finite however small */
  readonly log10: number;
}

/**
 * Fixation probability of a chain whose ln(T-(k)/T+(k)) for k = 1..Z-1 are logRatio[k],
 * started from one i-player: rho = 1 / sum_{m=0}^{Z-1} prod_{k=1}^{m} T-(k)/T+(k), as
 * -logsumexp of the cumulative sums of logRatio (one pass, O(Z), no allocation but the
 * running sums).
 */
export function fixationFromLogRatios(logRatio: ArrayLike<number>, Z: number): Fixation {
  let max = 0; // the m = 0 term, ln 1
  let sum = 1;
  let cum = 0;
  for (let k = 1; k <= Z - 1; k++) {
    cum += logRatio[k];
    if (cum <= max) sum += Math.exp(cum - max);
    else {
      sum = sum * Math.exp(max - cum) + 1;
      max = cum;
    }
  }
  const logRho = -(max + Math.log(sum));
  return { rho: Math.exp(logRho), log10: logRho / LN10 };
}

/**
 * Fixation probability of one i-player among Z - 1 j-players under the Fermi process
 * without mutation: ln(T-(k)/T+(k)) = -beta (pi_i(k) - pi_j(k)) exactly (the
 * factors k (Z - k) / (Z (Z - 1)) cancel and F(x) / F(-x) = e^x).
 */
export function fermiFixation(edge: EdgePayoffs, Z: number, beta: number): Fixation {
  const ratio = new Float64Array(Z);
  for (let k = 1; k <= Z - 1; k++) ratio[k] = -beta * (edge.iPlays[k] - edge.jPlays[k]);
  return fixationFromLogRatios(ratio, Z);
}

/**
 * The stationary distribution of the chain with mutation (irreducible when mu > 0, or
 * for logit at a positive temperature), by detailed balance, which every birth-death
 * chain satisfies: ln pi(k+1) = ln pi(k) + ln T+(k) - ln T-(k+1), normalised by
 * log-sum-exp. O(Z). Returns null when the chain is not irreducible (no mutation
 * under imitation, or best response without mutation): then the stationary
 * distribution is not unique; see the small-mutation limit instead.
 */
export function stationaryDistribution(logUp: Float64Array, logDown: Float64Array): { p: Float64Array; log10: Float64Array } | null {
  const Z = logUp.length - 1;
  const logPi = new Float64Array(Z + 1);
  for (let k = 0; k < Z; k++) {
    if (logUp[k] === -Infinity || logDown[k + 1] === -Infinity) return null;
    logPi[k + 1] = logPi[k] + logUp[k] - logDown[k + 1];
  }
  const total = logSumExp(logPi);
  const p = new Float64Array(Z + 1);
  const log10 = new Float64Array(Z + 1);
  for (let k = 0; k <= Z; k++) {
    p[k] = Math.exp(logPi[k] - total);
    log10[k] = (logPi[k] - total) / LN10;
  }
  return { p, log10 };
}

/** The gradient of selection g(k) = T+(k) - T-(k), k = 0..Z: the expected change of the number of i-players per revision opportunity. */
export function gradient(logUp: Float64Array, logDown: Float64Array): Float64Array {
  const g = new Float64Array(logUp.length);
  for (let k = 0; k < g.length; k++) g[k] = Math.exp(logUp[k]) - Math.exp(logDown[k]);
  return g;
}

/** A point where the gradient of selection changes sign between two compositions. */
export interface GradientRoot {
  /** share of i-players, interpolated linearly between the two compositions */
  readonly x: number;
  /** 'stable' where the gradient falls through 0 (from + to -), 'unstable' where it rises */
  readonly kind: 'stable' | 'unstable';
}

/** Interior sign changes of the gradient g(k), k = 1..Z-1 (zeros included once). */
export function gradientRoots(g: ArrayLike<number>, Z: number): GradientRoot[] {
  const roots: GradientRoot[] = [];
  let prevK = -1;
  for (let k = 1; k <= Z - 1; k++) {
    if (g[k] === 0) continue;
    if (prevK >= 0 && Math.sign(g[k]) !== Math.sign(g[prevK])) {
      const a = g[prevK];
      const b = g[k];
      const kx = prevK + (a / (a - b)) * (k - prevK);
      roots.push({ x: kx / Z, kind: a > 0 ? 'stable' : 'unstable' });
    }
    prevK = k;
  }
  return roots;
}

/**
 * The stochastically stable compositions of the edge chain as noise vanishes
 * (mutation absent or fixed):
 * - logit, T -> 0 (Blume 1993): ln pi(k+1)/pi(k) = O(1) + [min(0, d+(k)) - min(0, d-(k+1))] / T,
 *   d+ the gain of a j-player switching to i, d- that of an i-player switching to j; the
 *   stationary mass goes to the maximisers of the potential
 *   Phi(k) = sum_{m<k} [min(0, d+(m)) - min(0, d-(m+1))];
 * - best response with mutation eps -> 0 (Kandori, Mailath and Rob 1993; Young 1993):
 *   a step up costs one mutation unless i is a best response for a j-player (d+ >= 0),
 *   a step down unless d- >= 0; the mass goes to the minimisers of the resistance
 *   R(k) = sum_{m<k} [cost up(m) - cost down(m+1)].
 * Both are exact for two strategies. Ties within 1e-9 of the range are kept.
 */
export function stochasticallyStable(edge: EdgePayoffs, Z: number): { logit: number[]; kmr: number[]; potential: Float64Array; resistance: Float64Array } {
  const potential = new Float64Array(Z + 1);
  const resistance = new Float64Array(Z + 1);
  for (let k = 0; k < Z; k++) {
    const up = edge.jTriesI[k] - edge.jPlays[k];
    const down = edge.iTriesJ[k + 1] - edge.iPlays[k + 1];
    potential[k + 1] = potential[k] + Math.min(0, up) - Math.min(0, down);
    resistance[k + 1] = resistance[k] + (up >= 0 ? 0 : 1) - (down >= 0 ? 0 : 1);
  }
  const arg = (xs: Float64Array, best: 1 | -1): number[] => {
    let top = -Infinity;
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of xs) {
      top = Math.max(top, best * x);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const tol = 1e-9 * Math.max(1, hi - lo);
    const out: number[] = [];
    for (let k = 0; k < xs.length; k++) if (best * xs[k] >= top - tol) out.push(k);
    return out;
  };
  return { logit: arg(potential, 1), kmr: arg(resistance, -1), potential, resistance };
}
