// The optional public goods game with loners (Hauert, De Monte, Hofbauer and Sigmund
// 2002) in a finite, well-mixed population.
//
// Z agents, three strategies: cooperators (C) and defectors (D) take part in the
// public goods game, loners (L) stay out and earn a fixed sigma. A game is played in
// a group of N: the focal agent and N - 1 others drawn at random without
// replacement. The participants of the group are its C and D members; with S
// participants of which n_c cooperate, the pot r c n_c is shared among the S
// participants only, so a cooperator earns r c n_c / S - c and a defector r c n_c / S.
//
// Choices made here (Hauert et al. 2002, Science and J Theor Biol, use the same):
//  - A participant alone in its group (S = 1) cannot play and earns sigma, like a
//    loner. (The other convention, a lone cooperator paying c and getting r c back,
//    changes the payoffs by the S = 1 term only.)
//  - sigma is not required to lie in 0 < sigma < r - 1 (the range where loners do
//    better than a group of defectors and worse than a group of cooperators), since
//    r <= 2, where loners take over, is part of what is studied; only plain ranges
//    are checked.
//
// payoffs: 'expected' is the exact expectation over every group the agent could be
// drawn into (multivariate hypergeometric over the co-players' C, D and L counts).
// Given m participants among the N - 1 co-players, the number of cooperators among
// them is hypergeometric with mean m k_C / (k_C + k_D), and the payoff is linear in
// it, so the expectation is a single sum over m (O(N) terms: the first
// hypergeometric weight from the log-factorials of src/engine/groups.ts, the rest by
// their ratio) rather than the double sum over (m_C, m_D). Results are cached by the
// co-players' pool (k_C, k_D) in a small direct-mapped table in the state, so the
// repeated evaluations between two switches are table reads and the hot path
// allocates nothing. 'sampled' draws one actual group each time a
// payoff is needed.
//
// `infinitePayoffs` gives the infinite-population (binomial) payoffs of Hauert et al.
// 2002 J Theor Biol 218:187, eqs. for P_D and P_C - P_D = -c F(z), which the finite
// expected payoffs approach as Z grows.
import { z } from 'zod';
import type { Model, ModelState } from '../src/engine/model.ts';
import { assignShares, createPopulation, type Population } from '../src/engine/population.ts';
import { hypergeometric, logFactorials, sampleOthers } from '../src/engine/groups.ts';
import { shareSchema } from '../src/engine/params.ts';

export const params = z
  .object({
    Z: z.number().int().min(2).max(10_000_000).default(1000).meta({ title: 'population size', unit: 'agents' }).describe('population size (agents)'),
    N: z.number().int().min(2).max(1000).default(5).meta({ title: 'group size', unit: 'agents per group' }).describe('group size (must not exceed Z)'),
    r: z.number().min(0).max(1000).default(3).meta({ title: 'multiplication factor r' }).describe('multiplication factor of the pot'),
    c: z.number().min(0).max(1000).default(1).meta({ title: 'cost of cooperating', unit: 'payoff units' }).describe('cost of cooperating'),
    sigma: z.number().min(0).max(1000).default(1).meta({ title: 'loners\' payoff', unit: 'payoff units' }).describe("loners' payoff (also earned by a participant alone in its group)"),
    payoffs: z.enum(['expected', 'sampled']).default('expected').describe('exact hypergeometric expectation, or one sampled group per payoff'),
    initial: shareSchema(['C', 'D', 'L']).default({ C: 1 / 3, D: 1 / 3, L: 1 / 3 }).describe('initial share of each strategy (sums to 1)'),
  })
  .strict()
  .refine((p) => p.N <= p.Z, { message: 'group size N must not exceed population size Z', path: ['N'] });

export type OptionalPggParams = z.infer<typeof params>;

export const C = 0;
export const D = 1;
export const L = 2;

/** Slots of the payoff cache (a power of two). */
const CACHE_SLOTS = 64;

export interface OptionalPggState extends ModelState {
  readonly pop: Population;
  readonly p: OptionalPggParams;
  /** ln k! for k = 0..Z. */
  readonly lf: Float64Array;
  /** Scratch for one sampled group. */
  readonly group: Int32Array;
  /** Payoff cache: the others' (k_C, k_D) held in each slot (-1 when empty). */
  readonly cacheKC: Int32Array;
  readonly cacheKD: Int32Array;
  /** cachePay[2 slot] = cooperator's payoff, cachePay[2 slot + 1] = defector's, for that slot's others. */
  readonly cachePay: Float64Array;
}

/**
 * Writes the exact expected payoffs of a focal cooperator (out[at]) and defector
 * (out[at + 1]) when the Z - 1 others hold kC cooperators and kD defectors (the rest
 * loners), over the N - 1 co-players drawn without replacement. `lf` is
 * logFactorials(Z) (or longer). With w_m the hypergeometric chance of m participants
 * among the co-players (kP = kC + kD of the Z - 1 others participate) and f = kC / kP:
 *
 *   P_D = sigma w_0 + sum_{m>=1} w_m r c m f / (m + 1)
 *   P_C = P_D + sum_{m>=1} w_m (r c / (m + 1) - c)
 *
 * The first weight comes from the log-factorials, the rest by the ratio
 * w_{m+1} / w_m = (kP - m)(n - m) / ((m + 1)(Z - 1 - kP - n + m + 1)), n = N - 1.
 */
export function fillExpectedPayoffs(
  p: OptionalPggParams,
  lf: Float64Array,
  kC: number,
  kD: number,
  out: Float64Array,
  at: number,
): void {
  const pool = p.Z - 1;
  const n = p.N - 1;
  const kP = kC + kD;
  const loners = pool - kP;
  const frac = kP > 0 ? kC / kP : 0;
  const rc = p.r * p.c;
  const lo = Math.max(0, n - loners);
  const hi = Math.min(n, kP);
  let w = hypergeometric(lf, pool, kP, n, lo);
  let alone = 0; // w_0
  let share = 0; // sum_{m>=1} w_m m / (m + 1)
  let inverse = 0; // sum_{m>=1} w_m / (m + 1)
  let play = 0; // sum_{m>=1} w_m
  for (let m = lo; m <= hi; m++) {
    if (m === 0) {
      alone = w;
    } else {
      share += (w * m) / (m + 1);
      inverse += w / (m + 1);
      play += w;
    }
    w *= ((kP - m) * (n - m)) / ((m + 1) * (loners - n + m + 1));
  }
  const PD = p.sigma * alone + rc * frac * share;
  out[at] = PD + rc * inverse - p.c * play;
  out[at + 1] = PD;
}

/**
 * Exact expected payoff of a focal agent playing `s` when the Z - 1 others hold kC
 * cooperators and kD defectors (see fillExpectedPayoffs). Allocates; the model's hot
 * path goes through the state's cache instead.
 */
export function expectedPayoff(p: OptionalPggParams, lf: Float64Array, kC: number, kD: number, s: number): number {
  if (s === L) return p.sigma;
  const out = new Float64Array(2);
  fillExpectedPayoffs(p, lf, kC, kD, out, 0);
  return out[s];
}

/** The expected payoff through the state's cache (no allocation). */
function cachedPayoff(state: OptionalPggState, kC: number, kD: number, s: number): number {
  const slot = (kC * 31 + kD) & (CACHE_SLOTS - 1);
  if (state.cacheKC[slot] !== kC || state.cacheKD[slot] !== kD) {
    state.cacheKC[slot] = kC;
    state.cacheKD[slot] = kD;
    fillExpectedPayoffs(state.p, state.lf, kC, kD, state.cachePay, 2 * slot);
  }
  return state.cachePay[2 * slot + s];
}

/** The expected payoff of each strategy in an infinite population. */
export interface Payoffs {
  C: number;
  D: number;
  L: number;
}

/**
 * Infinite-population payoffs of Hauert, De Monte, Hofbauer and Sigmund (2002) J Theor
 * Biol 218:187-194 (their eqs. with a general cost c), at shares x (C), y (D), z (L):
 *
 *   P_L = sigma
 *   P_D = sigma z^{N-1} + r c (x / (1 - z)) (1 - (1 - z^N) / (N (1 - z)))
 *   P_C = P_D - c F(z),  F(z) = 1 + (r - 1) z^{N-1} - (r / N) (1 - z^N) / (1 - z)
 *
 * Derivation: the number m of participants among the N - 1 co-players is
 * Binomial(N - 1, 1 - z) and, given m, the co-operators among them number m x/(1-z) on
 * average; with sum_m B(m)/(m+1) = (1 - z^N)/(N (1 - z)) the sums close to the above.
 * Computed in the cancellation-free form (1 - z^N)/(1 - z) = sum_{k<N} z^k and
 * (1 - (1 - z^N)/(N(1 - z)))/(1 - z) = (1/N) sum_{k=1}^{N-1} sum_{j<k} z^j, so z -> 1
 * is smooth (all payoffs tend to sigma). `y` is implied (1 - x - z) and only checked.
 */
export function infinitePayoffs(
  p: { N: number; r: number; c: number; sigma: number },
  x: number,
  y: number,
  z: number,
): Payoffs {
  if (Math.abs(x + y + z - 1) > 1e-9) throw new RangeError(`shares must sum to 1, got ${x + y + z}`);
  const N = p.N;
  let geo = 0; // sum_{k=0}^{N-1} z^k = (1 - z^N)/(1 - z)
  let nested = 0; // sum_{k=1}^{N-1} sum_{j<k} z^j
  let zk = 1; // z^k
  let zN1 = 1; // z^{N-1}
  for (let k = 0; k < N; k++) {
    nested += geo; // geo holds sum_{j<k} z^j here
    geo += zk;
    if (k === N - 1) zN1 = zk;
    zk *= z;
  }
  const PD = p.sigma * zN1 + (p.r * p.c * x * nested) / N;
  const F = 1 + (p.r - 1) * zN1 - (p.r / N) * geo;
  return { C: PD - p.c * F, D: PD, L: p.sigma };
}

export const model: Model<OptionalPggParams, OptionalPggState> = {
  name: 'optional-pgg',
  title: 'Optional public goods game (with loners)',
  description:
    'N-player public goods game with voluntary participation in a finite well-mixed population of Z agents: cooperators pay c, defectors free-ride, loners stay out for a fixed payoff sigma; the pot r c n_c is shared among the participants of the group.',
  references: [
    'Hauert C, De Monte S, Hofbauer J, Sigmund K (2002) Volunteering as Red Queen mechanism for cooperation in public goods games. Science 296:1129-1132.',
    'Hauert C, De Monte S, Hofbauer J, Sigmund K (2002) Replicator dynamics for optional public good games. J Theor Biol 218:187-194.',
    'Traulsen A, Nowak MA, Pacheco JM (2006) Stochastic dynamics of invasion and fixation. Phys Rev E 74:011909.',
  ],
  params,
  layout: () => ({ games: ['pgg'], strategies: ['C', 'D', 'L'] }),
  vocabularies: {
    strategies: [
      { id: 'C', label: 'C cooperate', color: '#0072B2' },
      { id: 'D', label: 'D defect', color: '#D55E00' },
      { id: 'L', label: 'L loner (stay out)', color: '#009E73' },
    ],
  },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 3);
    assignShares(pop, 0, [p.initial.C, p.initial.D, p.initial.L], rng);
    return {
      pop,
      p,
      lf: logFactorials(p.Z),
      group: new Int32Array(p.N),
      cacheKC: new Int32Array(CACHE_SLOTS).fill(-1),
      cacheKD: new Int32Array(CACHE_SLOTS).fill(-1),
      cachePay: new Float64Array(2 * CACHE_SLOTS),
    };
  },
  payoff(state, agent, _game, s, rng) {
    const { pop, p } = state;
    if (s === L) return p.sigma;
    if (p.payoffs === 'expected') {
      const own = pop.choice[agent];
      return cachedPayoff(state, pop.counts[C] - (own === C ? 1 : 0), pop.counts[D] - (own === D ? 1 : 0), s);
    }
    sampleOthers(rng, p.Z, agent, p.N - 1, state.group);
    let nc = s === C ? 1 : 0;
    let participants = 1;
    for (let i = 0; i < p.N - 1; i++) {
      const k = pop.choice[state.group[i]];
      if (k === C) nc++;
      if (k !== L) participants++;
    }
    if (participants === 1) return p.sigma;
    return (p.r * p.c * nc) / participants - (s === C ? p.c : 0);
  },
  // a lone cooperator among N - 1 defectors earns r c / N - c; defectors earn >= 0
  minPayoff: (p) => Math.min(0, p.sigma, (p.r * p.c) / p.N - p.c),
  metrics: [
    {
      name: 'mean_payoff',
      description: 'population mean of the expected payoff (exact, from the counts)',
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const { p, pop } = state;
        const nC = pop.counts[C];
        const nD = pop.counts[D];
        const nL = pop.counts[L];
        const total =
          (nC > 0 ? nC * cachedPayoff(state, nC - 1, nD, C) : 0) +
          (nD > 0 ? nD * cachedPayoff(state, nC, nD - 1, D) : 0) +
          nL * p.sigma;
        return total / p.Z;
      },
    },
    {
      name: 'cooperation_among_participants',
      description: 'share of cooperators among the participants, C / (C + D) (0 when there are none)',
      unit: 'share of participants',
      kind: 'share',
      value(state) {
        const { pop } = state;
        const participants = pop.counts[C] + pop.counts[D];
        return participants > 0 ? pop.counts[C] / participants : 0;
      },
    },
  ],
};

export default model;
