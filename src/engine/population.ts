// Populations as structs of typed arrays. An agent holds one strategy per game (a
// model may run several games at once, one per issue area); the number of agents
// on each strategy of each game is kept as a running count so that no decision has
// to scan the population.
import { type Rng, randomInt } from './rng.ts';

export interface Population {
  /** Number of agents. */
  readonly size: number;
  /** Number of games each agent plays at once. */
  readonly games: number;
  /** Strategies per game (the same for every game of a model). */
  readonly strategies: number;
  /** choice[agent * games + game] = the strategy the agent holds in that game. */
  readonly choice: Uint8Array;
  /** counts[game * strategies + strategy] = agents holding that strategy in that game. */
  readonly counts: Int32Array;
}

export function createPopulation(size: number, games: number, strategies: number): Population {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`population size must be a positive integer, got ${size}`);
  if (!Number.isInteger(games) || games < 1) throw new RangeError(`games must be a positive integer, got ${games}`);
  if (!Number.isInteger(strategies) || strategies < 1 || strategies > 255) {
    throw new RangeError(`strategies must be an integer in 1..255, got ${strategies}`);
  }
  const choice = new Uint8Array(size * games);
  const counts = new Int32Array(games * strategies);
  for (let g = 0; g < games; g++) counts[g * strategies] = size;
  return { size, games, strategies, choice, counts };
}

/** Moves one agent to a strategy in one game, keeping the counts. Returns the old strategy. */
export function setChoice(pop: Population, agent: number, game: number, strategy: number): number {
  const i = agent * pop.games + game;
  const old = pop.choice[i];
  if (old !== strategy) {
    pop.choice[i] = strategy;
    pop.counts[game * pop.strategies + old]--;
    pop.counts[game * pop.strategies + strategy]++;
  }
  return old;
}

export function getChoice(pop: Population, agent: number, game: number): number {
  return pop.choice[agent * pop.games + game];
}

export function count(pop: Population, game: number, strategy: number): number {
  return pop.counts[game * pop.strategies + strategy];
}

/**
 * Exact counts from shares by largest remainder (ties to the lower strategy
 * index), so that shares of 1/size give exactly one agent.
 */
export function countsFromShares(size: number, shares: readonly number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('initial shares must have a positive sum');
  const exact = shares.map((s) => (s / total) * size);
  const counts = exact.map((x) => Math.floor(x + 1e-9));
  let left = size - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x + 1e-9) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts;
}

/**
 * Gives one game's strategies to the agents in the exact counts that the shares
 * imply, placed at random (a seeded Fisher-Yates shuffle of the agents).
 */
export function assignShares(pop: Population, game: number, shares: readonly number[], rng: Rng): void {
  if (shares.length !== pop.strategies) {
    throw new RangeError(`expected ${pop.strategies} initial shares, got ${shares.length}`);
  }
  const counts = countsFromShares(pop.size, shares);
  const order = new Int32Array(pop.size);
  for (let a = 0; a < pop.size; a++) order[a] = a;
  for (let a = pop.size - 1; a > 0; a--) {
    const j = randomInt(rng, a + 1);
    const t = order[a];
    order[a] = order[j];
    order[j] = t;
  }
  let k = 0;
  for (let s = 0; s < counts.length; s++) {
    for (let n = 0; n < counts[s]; n++) setChoice(pop, order[k++], game, s);
  }
}
