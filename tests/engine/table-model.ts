// A one-game test model whose payoff is a fixed table, shared by the protocol tests
// (tests/engine/protocol.test.ts, protocol-roth-erev-options.test.ts).
import { z } from 'zod';
import type { Model, ModelState } from '../../src/engine/model.ts';
import { createPopulation, type Population, setChoice } from '../../src/engine/population.ts';

export interface TinyState extends ModelState {
  readonly pop: Population;
}

/**
 * A model with one game whose payoff is a fixed table: payoff(strategy) =
 * table[strategy] (the same for every agent and every state). Agents start on the
 * strategies listed in `start` (agent i on start[i]); `minPayoff`, when given, is the
 * lowest payoff the model declares.
 */
export function tableModel(table: readonly number[], start: readonly number[], minPayoff?: number): Model<object, TinyState> {
  return {
    name: 'table',
    title: 'payoff table',
    description: 'test model',
    references: [],
    params: z.object({}),
    layout: () => ({ games: ['g'], strategies: table.map((_, k) => `s${k}`) }),
    init() {
      const pop = createPopulation(start.length, 1, table.length);
      start.forEach((s, a) => setChoice(pop, a, 0, s));
      return { pop };
    },
    payoff: (_state, _agent, _game, s) => table[s],
    ...(minPayoff === undefined ? {} : { minPayoff: () => minPayoff }),
    metrics: [],
  };
}
