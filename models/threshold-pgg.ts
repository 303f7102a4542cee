// The collective-risk dilemma (threshold public goods game with risk) of Santos and
// Pacheco (2011) in a finite, well-mixed population.
//
// Z agents, each with an endowment b; a game is played in a group of N: the focal
// agent and N - 1 others drawn at random without replacement. Cooperators (C) put a
// fraction c of their endowment into the common effort, defectors (D) nothing. If the
// group holds at least M cooperators, everyone keeps what they have left; otherwise,
// with probability r (the risk), everyone loses everything. With j cooperators in the
// group (the focal agent included), the expected payoffs over the risk draw are
//
//   Pi_D(j) = b [Theta(j - M) + (1 - r)(1 - Theta(j - M))],   Pi_C(j) = Pi_D(j) - c b,
//
// Theta(x) = 1 for x >= 0, else 0 (Santos and Pacheco 2011, PNAS 108:10421, eqs. 1-2).
//
// payoffs: 'expected' is the exact expectation over every group the agent could be
// drawn into: with k cooperators among the Z - 1 others, the number i of cooperators
// among the N - 1 co-players is hypergeometric (Z - 1, k, N - 1), so
//
//   f_D[k] = b [(1 - r) + r P(i >= M)],   f_C[k] = b [(1 - r) + r P(i >= M - 1)] - c b.
//
// The two tails P(i >= M) and P(i >= M - 1) are tabulated for k = 0..Z-1 once at init
// (log-factorials from src/engine/groups.ts), so a payoff is O(1). The tails rather
// than the payoffs are stored because they also give the exact share of groups that
// reach the threshold (metric threshold_share). Memory is 2 Float64Arrays of Z
// entries (16 MB at the largest Z allowed, 10^6) and init costs O(Z (N - M + 1))
// exponentials.
//
// 'sampled' draws one actual group each time a payoff is needed. The risk is NOT
// drawn: a failed group pays its expectation over the risk draw, b (1 - r) (less c b
// for a cooperator). This is a choice: drawing the risk as well would add a Bernoulli
// (r) loss of b on top of the group-composition noise and only raise the variance of
// payoffs, without changing their mean; the expectation over the risk keeps the
// variance lower and is what the paper's analysis uses.
//
// Analytic results exported for validation:
//  - infinite population (replicator dynamics): f_C(x) - f_D(x)
//      = b [ r C(N-1, M-1) x^{M-1} (1-x)^{N-M} - c ]
//    whose interior roots are the coordination threshold x_L (unstable) and the
//    coexistence point x_R (stable) when r is large enough;
//  - finite population: the gradient of selection under the pairwise-comparison
//    (Fermi) rule, g(k) = (k/Z) ((Z-k)/Z) tanh(beta/2 (f_C(k) - f_D(k))), with
//    f_C(k), f_D(k) the payoffs when k of the Z agents cooperate (Santos and Pacheco
//    2011; Pacheco, Santos, Souza and Skyrms 2009, Proc R Soc B 276:315).
import { z } from 'zod';
import type { Model, ModelState } from '../src/engine/model.ts';
import { assignShares, createPopulation, type Population } from '../src/engine/population.ts';
import { hypergeometric, logChoose, logFactorials, sampleOthers } from '../src/engine/groups.ts';
import { shareSchema } from '../src/engine/params.ts';

export const params = z
  .object({
    Z: z.number().int().min(2).max(1_000_000).default(1000).meta({ title: 'population size', unit: 'agents' }).describe('population size (agents)'),
    N: z.number().int().min(2).max(1000).default(6).meta({ title: 'group size', unit: 'agents per group' }).describe('group size (must not exceed Z)'),
    M: z.number().int().min(1).max(1000).default(3).meta({ title: 'threshold M', unit: 'cooperators per group' }).describe('cooperators a group needs to avert the risk (1..N)'),
    r: z.number().min(0).max(1).default(0.9).meta({ title: 'risk r', unit: 'probability' }).describe('risk: chance that a group below the threshold loses everything'),
    c: z.number().min(0).max(1).default(0.1).meta({ title: 'contribution c', unit: 'share of endowment' }).describe('fraction of the endowment a cooperator contributes'),
    b: z.number().min(0).max(1e6).default(1).meta({ title: 'endowment b', unit: 'payoff units' }).describe('endowment of each agent'),
    payoffs: z.enum(['expected', 'sampled']).default('expected').describe('exact hypergeometric expectation, or one sampled group per payoff (expectation over the risk draw)'),
    initial: shareSchema(['C', 'D']).default({ C: 0.5, D: 0.5 }).describe('initial share of each strategy (sums to 1)'),
  })
  .strict()
  .refine((p) => p.N <= p.Z, { message: 'group size N must not exceed population size Z', path: ['N'] })
  .refine((p) => p.M <= p.N, { message: 'threshold M must not exceed group size N', path: ['M'] });

export type ThresholdPggParams = z.infer<typeof params>;

export const C = 0;
export const D = 1;

/** The parameters the payoffs depend on. */
export type ThresholdGame = Pick<ThresholdPggParams, 'Z' | 'N' | 'M' | 'r' | 'c' | 'b'>;

/**
 * tailC[k] = P(i >= M - 1) and tailD[k] = P(i >= M), where i ~ hypergeometric(Z - 1,
 * k, N - 1) is the number of cooperators among a focal agent's N - 1 co-players when
 * k of the Z - 1 others cooperate; k = 0..Z-1.
 */
export interface ThresholdTables {
  readonly tailC: Float64Array;
  readonly tailD: Float64Array;
}

export function thresholdTables(Z: number, N: number, M: number): ThresholdTables {
  const lf = logFactorials(Z);
  const tailC = new Float64Array(Z);
  const tailD = new Float64Array(Z);
  const draws = N - 1;
  for (let k = 0; k < Z; k++) {
    let t = 0;
    for (let i = draws; i >= M; i--) t += hypergeometric(lf, Z - 1, k, draws, i);
    tailD[k] = Math.min(1, t);
    tailC[k] = Math.min(1, t + hypergeometric(lf, Z - 1, k, draws, M - 1));
  }
  return { tailC, tailD };
}

/** Expected payoff of a focal agent playing `s` when `others` of the Z - 1 others cooperate. */
export function expectedPayoff(p: ThresholdGame, t: ThresholdTables, others: number, s: number): number {
  return s === C ? p.b * (1 - p.r + p.r * t.tailC[others]) - p.c * p.b : p.b * (1 - p.r + p.r * t.tailD[others]);
}

/** f_C(k) - f_D(k): a cooperator's expected payoff less a defector's when k of the Z agents cooperate (1 <= k <= Z - 1). */
export function payoffDifference(p: ThresholdGame, t: ThresholdTables, k: number): number {
  return expectedPayoff(p, t, k - 1, C) - expectedPayoff(p, t, k, D);
}

/** Finite-population gradient of selection under the Fermi rule: g(k) = (k/Z)((Z-k)/Z) tanh(beta/2 (f_C(k) - f_D(k))). */
export function gradientOfSelection(p: ThresholdGame, t: ThresholdTables, k: number, beta: number): number {
  if (k <= 0 || k >= p.Z) return 0;
  return (k / p.Z) * ((p.Z - k) / p.Z) * Math.tanh((beta / 2) * payoffDifference(p, t, k));
}

/** Infinite-population payoff difference f_C(x) - f_D(x) = b [ r C(N-1, M-1) x^{M-1} (1-x)^{N-M} - c ]. */
export function infiniteGradient(p: Pick<ThresholdGame, 'N' | 'M' | 'r' | 'c' | 'b'>, x: number): number {
  const binom = Math.exp(logChoose(logFactorials(p.N), p.N - 1, p.M - 1));
  return p.b * (p.r * binom * x ** (p.M - 1) * (1 - x) ** (p.N - p.M) - p.c);
}

/**
 * Interior roots in (0, 1) of the infinite-population payoff difference, ascending.
 * x^{M-1} (1-x)^{N-M} rises on [0, x*] and falls on [x*, 1], x* = (M-1)/(N-1), so
 * there are at most two roots, one on each side of x*; each is found by bisection to
 * machine precision. Two roots: x_L (unstable coordination threshold) and x_R (stable
 * coexistence); none when r C(N-1, M-1) x*^{M-1} (1-x*)^{N-M} < c (too little risk).
 */
export function infiniteInteriorRoots(p: Pick<ThresholdGame, 'N' | 'M' | 'r' | 'c' | 'b'>): number[] {
  const f = (x: number): number => infiniteGradient({ ...p, b: 1 }, x);
  const peak = (p.M - 1) / (p.N - 1);
  const roots: number[] = [];
  const bisect = (lo: number, hi: number): void => {
    let flo = f(lo);
    const fhi = f(hi);
    if (flo === 0 && lo > 0 && lo < 1) {
      roots.push(lo);
      return;
    }
    if (flo * fhi >= 0) return;
    for (let it = 0; it < 200 && hi - lo > 1e-15; it++) {
      const mid = (lo + hi) / 2;
      const fm = f(mid);
      if (fm === 0) {
        lo = hi = mid;
        break;
      }
      if (fm * flo < 0) hi = mid;
      else {
        lo = mid;
        flo = fm;
      }
    }
    const x = (lo + hi) / 2;
    if (x > 0 && x < 1) roots.push(x);
  };
  if (peak > 0) bisect(0, peak);
  if (peak < 1) bisect(peak, 1);
  return roots;
}

export interface ThresholdPggState extends ModelState {
  readonly pop: Population;
  readonly p: ThresholdPggParams;
  readonly tables: ThresholdTables;
  /** Scratch for one sampled group. */
  readonly group: Int32Array;
}

export const model: Model<ThresholdPggParams, ThresholdPggState> = {
  name: 'threshold-pgg',
  title: 'Collective-risk dilemma (threshold public goods game)',
  description:
    'N-player collective-risk dilemma in a finite well-mixed population of Z agents: cooperators give a fraction c of their endowment b; a group with fewer than M cooperators loses everything with probability r.',
  references: [
    'Santos FC, Pacheco JM (2011) Risk of collective failure provides an escape from the tragedy of the commons. PNAS 108:10421-10425.',
    'Pacheco JM, Santos FC, Souza MO, Skyrms B (2009) Evolutionary dynamics of collective action in N-person stag hunt dilemmas. Proc R Soc B 276:315-321.',
    'Milinski M, Sommerfeld RD, Krambeck HJ, Reed FA, Marotzke J (2008) The collective-risk social dilemma and the prevention of simulated dangerous climate change. PNAS 105:2291-2294.',
  ],
  params,
  layout: () => ({ games: ['crd'], strategies: ['C', 'D'] }),
  vocabularies: {
    strategies: [
      { id: 'C', label: 'C cooperate', color: '#0072B2' },
      { id: 'D', label: 'D defect', color: '#D55E00' },
    ],
  },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 2);
    assignShares(pop, 0, [p.initial.C, p.initial.D], rng);
    return { pop, p, tables: thresholdTables(p.Z, p.N, p.M), group: new Int32Array(p.N) };
  },
  payoff(state, agent, _game, s, rng) {
    const { pop, p } = state;
    if (p.payoffs === 'expected') {
      const others = pop.counts[C] - (pop.choice[agent] === C ? 1 : 0);
      return expectedPayoff(p, state.tables, others, s);
    }
    sampleOthers(rng, p.Z, agent, p.N - 1, state.group);
    let j = s === C ? 1 : 0;
    for (let i = 0; i < p.N - 1; i++) if (pop.choice[state.group[i]] === C) j++;
    const kept = j >= p.M ? p.b : p.b * (1 - p.r);
    return s === C ? kept - p.c * p.b : kept;
  },
  minPayoff: (p) => p.b * (1 - p.r) - p.c * p.b,
  metrics: [
    {
      name: 'mean_payoff',
      description: 'population mean of the expected payoff',
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const { p, pop, tables } = state;
        const k = pop.counts[C];
        const total =
          (k > 0 ? k * expectedPayoff(p, tables, k - 1, C) : 0) + (k < p.Z ? (p.Z - k) * expectedPayoff(p, tables, k, D) : 0);
        return total / p.Z;
      },
    },
    {
      name: 'threshold_share',
      description: 'expected share of groups of N (drawn at random from the population) that reach the threshold M',
      unit: 'share of groups',
      kind: 'share',
      value(state) {
        // Condition on one member of a random group: a cooperator with chance k/Z
        // (then the group reaches M if at least M - 1 of the other N - 1 cooperate),
        // else a defector (at least M of the others).
        const { p, pop, tables } = state;
        const k = pop.counts[C];
        return ((k > 0 ? k * tables.tailC[k - 1] : 0) + (k < p.Z ? (p.Z - k) * tables.tailD[k] : 0)) / p.Z;
      },
    },
  ],
};

export default model;
