// A club good after Buchanan (1965) in a finite, well-mixed population.
//
// Z agents; each is either Out (O) or a member who has Joined (J). The n members
// share a fixed provision cost K equally and enjoy a good that is non-rival but
// congestible: a member's gross benefit falls linearly with the other members,
// b (1 - kappa (n - 1) / (Z - 1)) (kappa = 0: a pure public good among members;
// kappa = 1: the benefit is gone when all Z agents crowd in; kappa > 1: it turns
// into a cost before that). The good is excludable to degree e: an outsider gets
// (1 - e) times a member's gross benefit and pays nothing (e = 1, the default, is
// Buchanan's club: outsiders get nothing; e = 0 is a public good that outsiders free-
// ride on). With n >= 1 members,
//
//   pi_J(n) = b (1 - kappa (n - 1) / (Z - 1)) - K / n,
//   pi_O(n) = (1 - e) b (1 - kappa (n - 1) / (Z - 1)),
//
// and with no members nothing is provided, pi_O(0) = 0. Outsiders are assumed not to
// congest (only members count in n); a choice, documented here.
//
// A payoff is the deviation payoff the revision protocols need: an agent asking
// what it would get from J counts itself as a member (n = others + 1); from O, n is
// the members among the others.
//
// Two benchmark sizes (continuous approximations, exported below):
//  - Buchanan's optimal club size maximises a member's utility pi_J(n):
//      d pi_J / dn = -b kappa / (Z - 1) + K / n^2 = 0  =>  n_opt = sqrt(K (Z - 1) / (b kappa));
//  - the free-entry (open-access) sizes solve pi_J(n) = pi_O(n), i.e.
//      e b (1 - kappa (n - 1) / (Z - 1)) = K / n,
//    a quadratic (e b kappa / (Z - 1)) n^2 - e b (1 + kappa / (Z - 1)) n + K = 0 with
//    roots n_low < n*: below n_low a club is too small to pay for itself (unstable:
//    members leave and it dies out); n* is the stable size that entry drives the club
//    to, where a member is no better off than an outsider. n* > n_opt whenever both
//    exist: open access over-crowds the club and dissipates the surplus of the members.
import { z } from 'zod';
import type { Model, ModelState } from '../src/engine/model.ts';
import { assignShares, createPopulation, type Population } from '../src/engine/population.ts';
import { shareSchema } from '../src/engine/params.ts';

export const params = z
  .object({
    Z: z.number().int().min(2).max(10_000_000).default(1000).meta({ title: 'population size', unit: 'agents' }).describe('population size (agents)'),
    b: z.number().min(0).max(1e6).default(1).meta({ title: 'member benefit b', unit: 'payoff units' }).describe("a member's benefit from an uncongested club"),
    K: z.number().min(0).max(1e9).default(20).meta({ title: 'provision cost K', unit: 'payoff units' }).describe('fixed provision cost, shared equally by the members'),
    kappa: z.number().min(0).max(1000).default(2).meta({ title: 'congestion kappa', unit: 'share of benefit' }).describe('congestion: share of the benefit lost when all Z agents are members'),
    e: z.number().min(0).max(1).default(1).meta({ title: 'excludability e', unit: '0-1' }).describe('excludability: outsiders get (1 - e) of the members gross benefit'),
    initial: shareSchema(['O', 'J']).default({ O: 0.5, J: 0.5 }).describe('initial share of each strategy (sums to 1)'),
  })
  .strict();

export type ClubGoodParams = z.infer<typeof params>;

export const O = 0;
export const J = 1;

/** The parameters the payoffs depend on. */
export type ClubGame = Pick<ClubGoodParams, 'Z' | 'b' | 'K' | 'kappa' | 'e'>;

/** A member's gross benefit with n members: b (1 - kappa (n - 1) / (Z - 1)). */
export function grossBenefit(p: ClubGame, n: number): number {
  return p.b * (1 - (p.kappa * (n - 1)) / (p.Z - 1));
}

/** pi_J(n): a member's payoff in a club of n >= 1 members. */
export function memberPayoff(p: ClubGame, n: number): number {
  return grossBenefit(p, n) - p.K / n;
}

/** pi_O(n): an outsider's payoff when the club has n members (0 when there is no club). */
export function outsiderPayoff(p: ClubGame, n: number): number {
  return n >= 1 ? (1 - p.e) * grossBenefit(p, n) : 0;
}

/** Buchanan's optimal club size (continuous): n_opt = sqrt(K (Z - 1) / (b kappa)); Infinity without congestion. */
export function optimalClubSize(p: ClubGame): number {
  return Math.sqrt((p.K * (p.Z - 1)) / (p.b * p.kappa));
}

/**
 * Free-entry sizes (continuous): the roots of pi_J(n) = pi_O(n), ascending
 * ({ low, high } = { n_low (unstable), n* (stable) }); null when a club never pays
 * (no real root). Without congestion n* is Infinity (all agents join once n > n_low).
 * Continuous roots: n_low below 1 means a club of one already pays; n* above Z means
 * that every agent joins.
 */
export function freeEntrySizes(p: ClubGame): { low: number; high: number } | null {
  const B = p.e * p.b;
  if (B <= 0) return null;
  const a = (B * p.kappa) / (p.Z - 1);
  const bb = B * (1 + p.kappa / (p.Z - 1));
  if (a === 0) return { low: p.K / bb, high: Infinity };
  const disc = bb * bb - 4 * a * p.K;
  if (disc < 0) return null;
  const s = Math.sqrt(disc);
  // the small root as K / (a n*), which avoids the cancellation in (bb - s)
  const high = (bb + s) / (2 * a);
  const low = p.K / (a * high);
  return { low, high };
}

export interface ClubGoodState extends ModelState {
  readonly pop: Population;
  readonly p: ClubGoodParams;
}

export const model: Model<ClubGoodParams, ClubGoodState> = {
  name: 'club-good',
  title: 'Club good (Buchanan)',
  description:
    'Agents choose to join a club that provides an excludable, congestible good at a fixed cost K shared equally by its members, or to stay out; the members share is share_J.',
  references: [
    'Buchanan JM (1965) An economic theory of clubs. Economica 32:1-14.',
    'Sandler T, Tschirhart J (1997) Club theory: thirty years later. Public Choice 93:335-355.',
  ],
  params,
  layout: () => ({ games: ['club'], strategies: ['O', 'J'] }),
  vocabularies: {
    strategies: [
      { id: 'O', label: 'O stay out', color: '#0072B2' },
      { id: 'J', label: 'J join the club', color: '#D55E00' },
    ],
  },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 2);
    assignShares(pop, 0, [p.initial.O, p.initial.J], rng);
    return { pop, p };
  },
  payoff(state, agent, _game, s) {
    const { pop, p } = state;
    const others = pop.counts[J] - (pop.choice[agent] === J ? 1 : 0);
    return s === J ? memberPayoff(p, others + 1) : outsiderPayoff(p, others);
  },
  minPayoff(p) {
    // pi_J is concave in n, so its least value on 1..Z is at an end; the gross benefit is least at n = Z.
    return Math.min(0, memberPayoff(p, 1), memberPayoff(p, p.Z), outsiderPayoff(p, p.Z));
  },
  metrics: [
    {
      name: 'club_size',
      description: 'number of members n',
      unit: 'agents',
      kind: 'count',
      value: (state) => state.pop.counts[J],
    },
    {
      name: 'mean_payoff',
      description: 'population mean payoff (members and outsiders)',
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const { p, pop } = state;
        const n = pop.counts[J];
        return ((n > 0 ? n * memberPayoff(p, n) : 0) + (p.Z - n) * outsiderPayoff(p, n)) / p.Z;
      },
    },
    {
      name: 'member_utility',
      description: "a member's payoff pi_J(n) (0 when there is no club)",
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const n = state.pop.counts[J];
        return n > 0 ? memberPayoff(state.p, n) : 0;
      },
    },
  ],
};

export default model;
