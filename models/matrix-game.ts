// A symmetric two-strategy matrix game in a finite, well-mixed population.
//
// Z agents, strategies A and B. The payoff matrix gives the row player's payoff:
//
//            A   B
//       A    a   b
//       B    c   d
//
// The defaults a, b, c, d = 4, 0, 3, 3 are a stag hunt: A is stag, B is hare. Both
// monomorphic states are strict equilibria; A is payoff dominant (a > d) and B is
// risk dominant (d - b > a - c), the case of Kandori, Mailath and Rob (1993) and
// Young (1993) in which stochastically stable play selects the risk-dominant one.
//
// payoffs: a choice of this model.
//  - 'expected' (default): each agent plays against the whole population, earning the
//    average of its payoffs against each of the other Z - 1 agents (no self-play).
//    With n_A of the others playing A, a focal A earns (a n_A + b (Z - 1 - n_A)) / (Z - 1)
//    and a focal B (c n_A + d (Z - 1 - n_A)) / (Z - 1). This is the payoff under which
//    logit dynamics are reversible with the stationary distribution of Blume (1993),
//    and the one the validation tests use.
//  - 'sampled': one opponent drawn uniformly from the other Z - 1 agents each time a
//    payoff is needed (the matrix entry against that opponent; noisy, expectation the
//    same as 'expected').
import { z } from 'zod';
import type { Model, ModelState } from '../src/engine/model.ts';
import { assignShares, createPopulation, type Population } from '../src/engine/population.ts';
import { shareSchema } from '../src/engine/params.ts';

export const params = z
  .object({
    Z: z.number().int().min(2).max(10_000_000).default(1000).meta({ title: 'population size', unit: 'agents' }).describe('population size (agents)'),
    a: z.number().min(-1e6).max(1e6).default(4).describe("row player's payoff when both play A"),
    b: z.number().min(-1e6).max(1e6).default(0).describe("row player's payoff playing A against B"),
    c: z.number().min(-1e6).max(1e6).default(3).describe("row player's payoff playing B against A"),
    d: z.number().min(-1e6).max(1e6).default(3).describe("row player's payoff when both play B"),
    payoffs: z
      .enum(['expected', 'sampled'])
      .default('expected')
      .describe('average against all Z - 1 others, or against one sampled opponent per payoff'),
    initial: shareSchema(['A', 'B']).default({ A: 0.5, B: 0.5 }).describe('initial share of each strategy (sums to 1)'),
  })
  .strict();

export type MatrixGameParams = z.infer<typeof params>;

export const A = 0;
export const B = 1;

export interface MatrixGameState extends ModelState {
  readonly pop: Population;
  readonly p: MatrixGameParams;
}

/** Expected payoff of a focal agent playing `s` when `others` of the Z - 1 others play A. */
export function expectedPayoff(p: MatrixGameParams, others: number, s: number): number {
  const rest = p.Z - 1 - others;
  return s === A ? (p.a * others + p.b * rest) / (p.Z - 1) : (p.c * others + p.d * rest) / (p.Z - 1);
}

export const model: Model<MatrixGameParams, MatrixGameState> = {
  name: 'matrix-game',
  title: 'Symmetric 2x2 matrix game',
  description:
    'Symmetric two-strategy game (payoffs a, b, c, d) played against the whole of a finite well-mixed population of Z agents; defaults to a stag hunt.',
  references: [
    'Blume LE (1993) The statistical mechanics of strategic interaction. Games Econ Behav 5:387-424.',
    'Kandori M, Mailath GJ, Rob R (1993) Learning, mutation, and long run equilibria in games. Econometrica 61:29-56.',
    'Sandholm WH (2010) Population Games and Evolutionary Dynamics. MIT Press, ch. 11-12.',
  ],
  params,
  layout: () => ({ games: ['game'], strategies: ['A', 'B'] }),
  vocabularies: {
    strategies: [
      { id: 'A', label: 'A (earns a against A, b against B)', color: '#0072B2' },
      { id: 'B', label: 'B (earns c against A, d against B)', color: '#D55E00' },
    ],
  },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 2);
    assignShares(pop, 0, [p.initial.A, p.initial.B], rng);
    return { pop, p };
  },
  payoff(state, agent, _game, s, rng) {
    const { pop, p } = state;
    if (p.payoffs === 'expected') {
      const others = pop.counts[A] - (pop.choice[agent] === A ? 1 : 0);
      return expectedPayoff(p, others, s);
    }
    let o = Math.floor(rng() * (p.Z - 1));
    if (o >= agent) o++;
    const opponentA = pop.choice[o] === A;
    return s === A ? (opponentA ? p.a : p.b) : opponentA ? p.c : p.d;
  },
  minPayoff: (p) => Math.min(p.a, p.b, p.c, p.d),
  metrics: [
    {
      name: 'mean_payoff',
      description: 'population mean of the expected payoff',
      unit: 'payoff units', kind: 'welfare',
      value(state) {
        const { p, pop } = state;
        const k = pop.counts[A];
        const total = (k > 0 ? k * expectedPayoff(p, k - 1, A) : 0) + (k < p.Z ? (p.Z - k) * expectedPayoff(p, k, B) : 0);
        return total / p.Z;
      },
    },
  ],
};

export default model;
