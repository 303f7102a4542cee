// A game with a finite strategy set in one well-mixed population of Z agents, as the
// analytic methods see it: the payoff of each strategy in each composition of the
// population. `gameOfModel` builds one from any migov model with one game, by
// setting the model's own state to each composition and asking the model's own
// payoff function, so the analysis uses exactly the payoffs the simulation uses
// (the models' exact hypergeometric expectations where they have them).
import { type AnyModel, type ModelState } from '../engine/model.ts';
import { setChoice } from '../engine/population.ts';
import { createRng, type Rng } from '../engine/rng.ts';

/**
 * Payoffs along the edge of the simplex where only strategies i and j are played,
 * indexed by k, the number of agents playing i (the other Z - k play j). Each array
 * has Z + 1 entries; an entry that has no meaning (an i-player when k = 0) is NaN.
 */
export interface EdgePayoffs {
  readonly i: number;
  readonly j: number;
  /** what an i-player earns, k = 1..Z */
  readonly iPlays: Float64Array;
  /** what a j-player earns, k = 0..Z-1 */
  readonly jPlays: Float64Array;
  /** what a j-player would earn by switching to i while the others keep theirs, k = 0..Z-1 */
  readonly jTriesI: Float64Array;
  /** what an i-player would earn by switching to j while the others keep theirs, k = 1..Z */
  readonly iTriesJ: Float64Array;
}

export interface WellMixedGame {
  /** population size */
  readonly Z: number;
  /** short names of the strategies */
  readonly strategies: readonly string[];
  /** the payoffs along the edge between strategies i and j (i != j) */
  edge(i: number, j: number): EdgePayoffs;
}

/** Why a model cannot be analysed as a one-population game with a finite strategy set; null when it can. */
export function notWellMixed(model: AnyModel, params: object): string | null {
  const layout = model.layout(params);
  if (layout.games.length !== 1) return `model ${model.name} has ${layout.games.length} games (${layout.games.join(', ')}); the well-mixed analysis takes a model with one game`;
  if (model.onRound) return `model ${model.name} changes its payoffs with time (onRound); the analysis takes a game whose payoffs depend on the strategies only`;
  if (model.peerClasses) return `model ${model.name} has peer classes (agents differ beyond their strategy); the analysis takes a well-mixed population of alike agents`;
  return null;
}

/** The parameters with the model's exact expected payoffs: a model that offers `payoffs: 'expected' | 'sampled'` is analysed with 'expected' (the mean of 'sampled'). */
export function expectedParams(model: AnyModel, params: Record<string, unknown>): { params: Record<string, unknown>; changed: boolean } {
  if (params.payoffs === undefined || params.payoffs === 'expected') return { params, changed: false };
  return { params: model.params.parse({ ...params, payoffs: 'expected' }) as Record<string, unknown>, changed: true };
}

/** The population size a model's parameters make (its `populationSize` or `params.Z`). */
export function populationSizeOf(model: AnyModel, params: Record<string, unknown>): number {
  if (model.populationSize) return model.populationSize(params).size;
  const Z = params.Z;
  if (typeof Z !== 'number') throw new Error(`model ${model.name} declares no population size and has no parameter Z`);
  return Z;
}

/**
 * The game a model plays, read from the model itself. Every edge costs one model
 * state (made by the model's init) and Z switches and 4 Z payoff reads, O(Z) for the
 * models whose payoffs are O(1); edges are computed when first asked for and kept.
 */
export function gameOfModel(model: AnyModel, params: object): WellMixedGame {
  const problem = notWellMixed(model, params);
  if (problem) throw new Error(problem);
  const layout = model.layout(params);
  const strategies = layout.strategies;
  // no payoff the analysis reads draws a number (expected payoffs); the stream is only for init's placement
  const rng: Rng = createRng('migov-analysis');
  const payoff = model.payoff as (s: ModelState, a: number, g: number, k: number, r: Rng) => number;
  const onSwitch = model.onSwitch as ((s: ModelState, a: number, g: number, f: number, t: number) => void) | undefined;
  const cache = new Map<string, EdgePayoffs>();
  const edge = (i: number, j: number): EdgePayoffs => {
    if (i === j || i < 0 || j < 0 || i >= strategies.length || j >= strategies.length) throw new RangeError(`no edge between strategies ${i} and ${j}`);
    const key = `${i},${j}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const state = model.init(params, rng) as ModelState;
    const pop = state.pop;
    const Z = pop.size;
    const move = (a: number, to: number) => {
      const from = setChoice(pop, a, 0, to);
      if (from !== to && onSwitch) onSwitch(state, a, 0, from, to);
    };
    for (let a = 0; a < Z; a++) move(a, j);
    const iPlays = new Float64Array(Z + 1).fill(NaN);
    const jPlays = new Float64Array(Z + 1).fill(NaN);
    const jTriesI = new Float64Array(Z + 1).fill(NaN);
    const iTriesJ = new Float64Array(Z + 1).fill(NaN);
    // agents 0..k-1 play i, agents k..Z-1 play j
    for (let k = 0; k <= Z; k++) {
      if (k >= 1) {
        iPlays[k] = payoff(state, 0, 0, i, rng);
        iTriesJ[k] = payoff(state, 0, 0, j, rng);
      }
      if (k <= Z - 1) {
        jPlays[k] = payoff(state, Z - 1, 0, j, rng);
        jTriesI[k] = payoff(state, Z - 1, 0, i, rng);
        move(k, i);
      }
    }
    const out = { i, j, iPlays, jPlays, jTriesI, iTriesJ };
    cache.set(key, out);
    return out;
  };
  const size = populationSizeOf(model, params as Record<string, unknown>);
  return { Z: size, strategies, edge };
}

/**
 * A game given by its payoffs: `payoff(s, others)` is what a player of strategy s
 * earns when the Z - 1 others hold `others[t]` players of each strategy t. For games
 * written down rather than taken from a model (tests, the API).
 */
export function gameOfPayoffs(Z: number, strategies: readonly string[], payoff: (s: number, others: readonly number[]) => number): WellMixedGame {
  const S = strategies.length;
  const edge = (i: number, j: number): EdgePayoffs => {
    const iPlays = new Float64Array(Z + 1).fill(NaN);
    const jPlays = new Float64Array(Z + 1).fill(NaN);
    const jTriesI = new Float64Array(Z + 1).fill(NaN);
    const iTriesJ = new Float64Array(Z + 1).fill(NaN);
    const others = new Array<number>(S).fill(0);
    for (let k = 0; k <= Z; k++) {
      if (k >= 1) {
        others[i] = k - 1;
        others[j] = Z - k;
        iPlays[k] = payoff(i, others);
        iTriesJ[k] = payoff(j, others);
      }
      if (k <= Z - 1) {
        others[i] = k;
        others[j] = Z - k - 1;
        jPlays[k] = payoff(j, others);
        jTriesI[k] = payoff(i, others);
      }
      others[i] = others[j] = 0;
    }
    return { i, j, iPlays, jPlays, jTriesI, iTriesJ };
  };
  return { Z, strategies, edge };
}
