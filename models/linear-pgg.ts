// The linear public goods game in a finite, well-mixed population.
//
// Z agents; a game is played in a group of N: the focal agent and N - 1 others
// drawn at random without replacement. Cooperators (C) pay c into a pot, the pot
// is multiplied by r and shared equally among the N group members; defectors (D)
// pay nothing. With k cooperators in a group a defector earns r c k / N and a
// cooperator r c k / N - c.
//
// payoffs: 'expected' is the exact expectation over every group the agent could be
// sampled into (hypergeometric), the payoff that the analytic results of Traulsen,
// Pacheco and Nowak assume. Linearity makes it closed form: with k_o cooperators
// among the Z - 1 others, the expected number of cooperators among the N - 1
// co-players is (N - 1) k_o / (Z - 1). 'sampled' draws one actual group each time
// a payoff is needed (noisy, as in an agent-based simulation with explicit groups).
import { z } from 'zod';
import type { Model, ModelState } from '../src/engine/model.ts';
import { assignShares, createPopulation, type Population } from '../src/engine/population.ts';
import { sampleOthers } from '../src/engine/groups.ts';
import { shareSchema } from '../src/engine/params.ts';

export const params = z
  .object({
    Z: z.number().int().min(2).max(10_000_000).default(1000).meta({ title: 'population size', unit: 'agents' }).describe('population size (agents)'),
    N: z.number().int().min(2).max(1000).default(5).meta({ title: 'group size', unit: 'agents per group' }).describe('group size (must not exceed Z)'),
    r: z.number().min(0).max(1000).default(3).meta({ title: 'multiplication factor r' }).describe('multiplication factor of the pot'),
    c: z.number().min(0).max(1000).default(1).meta({ title: 'cost of cooperating', unit: 'payoff units' }).describe('cost of cooperating'),
    payoffs: z.enum(['expected', 'sampled']).default('expected').describe('exact hypergeometric expectation, or one sampled group per payoff'),
    initial: shareSchema(['C', 'D']).default({ C: 0.5, D: 0.5 }).describe('initial share of each strategy (sums to 1)'),
  })
  .strict()
  .refine((p) => p.N <= p.Z, { message: 'group size N must not exceed population size Z', path: ['N'] });

export type LinearPggParams = z.infer<typeof params>;

export const C = 0;
export const D = 1;

export interface LinearPggState extends ModelState {
  readonly pop: Population;
  readonly p: LinearPggParams;
  /** Scratch for one sampled group. */
  readonly group: Int32Array;
}

/** Expected payoff of a focal agent playing `s` when `others` of the Z - 1 others cooperate. */
export function expectedPayoff(p: LinearPggParams, others: number, s: number): number {
  const coPlayers = ((p.N - 1) * others) / (p.Z - 1);
  return s === C ? (p.r * p.c * (coPlayers + 1)) / p.N - p.c : (p.r * p.c * coPlayers) / p.N;
}

export const model: Model<LinearPggParams, LinearPggState> = {
  name: 'linear-pgg',
  title: 'Linear public goods game',
  description:
    'N-player public goods game in a finite well-mixed population of Z agents: cooperators pay c, the pot is multiplied by r and shared among the N group members.',
  references: [
    'Traulsen A, Pacheco JM, Nowak MA (2007) Pairwise comparison and selection temperature in evolutionary game dynamics. J Theor Biol 246:522-529.',
    'Hauert C, De Monte S, Hofbauer J, Sigmund K (2002) Volunteering as Red Queen mechanism for cooperation in public goods games. Science 296:1129-1132.',
  ],
  params,
  layout: () => ({ games: ['pgg'], strategies: ['C', 'D'] }),
  vocabularies: {
    strategies: [
      { id: 'C', label: 'C cooperate', color: '#0072B2' },
      { id: 'D', label: 'D defect', color: '#D55E00' },
    ],
  },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 2);
    assignShares(pop, 0, [p.initial.C, p.initial.D], rng);
    return { pop, p, group: new Int32Array(p.N) };
  },
  payoff(state, agent, _game, s, rng) {
    const { pop, p } = state;
    if (p.payoffs === 'expected') {
      const others = pop.counts[C] - (pop.choice[agent] === C ? 1 : 0);
      return expectedPayoff(p, others, s);
    }
    sampleOthers(rng, p.Z, agent, p.N - 1, state.group);
    let k = s === C ? 1 : 0;
    for (let i = 0; i < p.N - 1; i++) if (pop.choice[state.group[i]] === C) k++;
    return (p.r * p.c * k) / p.N - (s === C ? p.c : 0);
  },
  minPayoff: (p) => -p.c,
  metrics: [
    {
      name: 'mean_payoff',
      description: 'population mean of the expected payoff',
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const { p, pop } = state;
        const k = pop.counts[C];
        const total = (k > 0 ? k * expectedPayoff(p, k - 1, C) : 0) + (k < p.Z ? (p.Z - k) * expectedPayoff(p, k, D) : 0);
        return total / p.Z;
      },
    },
  ],
};

export default model;
