// What a model is, in the engine's terms: data plus a few functions (after
// Agents.jl). A model file under models/ exports one `Model`: its parameter schema,
// an `init` that builds the population, a payoff for one agent and one strategy, and
// its metrics. No classes with hidden state, no globals.
import type { z } from 'zod';
import type { Population } from './population.ts';
import type { Rng } from './rng.ts';

/** The least a model's state holds: the population. Models add their own aggregates. */
export interface ModelState {
  readonly pop: Population;
}

export interface Metric<S extends ModelState> {
  readonly name: string;
  readonly description: string;
  /** Reads aggregates only; called every `recordEvery` rounds. */
  value(state: S): number;
}

export interface GameLayout {
  /** One name per game an agent plays at once (for a model with one game, one name). */
  readonly games: readonly string[];
  /** Short names of the strategies, the same in every game (e.g. C, D, L). */
  readonly strategies: readonly string[];
  /** Name share metrics by game even when there is only one (`share_<game>_<strategy>`): for models whose games are named things, like issue areas. */
  readonly namedGames?: boolean;
}

export interface Model<P extends object = object, S extends ModelState = ModelState> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Published sources of the model and of the results it is validated against. */
  readonly references: readonly string[];
  /** zod schema of the parameters, with defaults, ranges and a description per field. */
  readonly params: z.ZodType<P>;
  layout(params: P): GameLayout;
  init(params: P, rng: Rng): S;
  /**
   * What `agent` earns in `game` if it plays `strategy` while every other agent keeps
   * its current strategy. Must read only running aggregates (and, for sampled
   * payoffs, a few random others), never scan the population.
   */
  payoff(state: S, agent: number, game: number, strategy: number, rng: Rng): number;
  /** Keeps the model's own aggregates after an agent changes strategy (counts are kept by the engine). */
  onSwitch?(state: S, agent: number, game: number, from: number, to: number): void;
  /**
   * Called at the start of every round with the number of rounds already run, for
   * what changes with time rather than with choices (shocks, the age of an
   * institution). Must keep the model's aggregates consistent.
   */
  onRound?(state: S, round: number): void;
  /** The lowest payoff the model can give; Roth-Erev reinforces with payoff minus this. */
  minPayoff?(params: P): number;
  /**
   * How many agents a parameter set makes, and the spec field that says so, for the
   * cost estimate made before anything runs (src/experiment/budget.ts). Without it
   * the estimate reads `params.Z`.
   */
  populationSize?(params: P): { readonly size: number; readonly field: string };
  /** Bytes the model's state holds per agent beyond its strategies (its own typed arrays), for the memory estimate; default 64. */
  bytesPerAgent?(params: P): number;
  /** Work of one decision relative to a payoff read from aggregates, for the cost estimate (e.g. the population size for a payoff that scans it); default 1. */
  decisionCost?(params: P): number;
  /** The model's metrics, or a function giving them for a parameter set (when they depend on it, e.g. one per issue area). */
  readonly metrics: readonly Metric<S>[] | ((params: P) => readonly Metric<S>[]);
}

/** A model's metrics for one parameter set. */
export function modelMetrics<S extends ModelState>(model: AnyModel, params: object): readonly Metric<S>[] {
  return typeof model.metrics === 'function' ? model.metrics(params) : model.metrics;
}

/** A model of unknown parameter and state types, as held in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
