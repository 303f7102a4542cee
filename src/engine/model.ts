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

/**
 * What kind of quantity a metric is, a small closed set that charts and tables read
 * (docs/model.md, "Metric kinds"):
 * - share: a part of a whole, 0 to 1 (share of states at a level, of role weight, of agents playing a strategy)
 * - count: a whole number of things (members, institutions)
 * - indicator: 0 or 1 (a regime in force)
 * - welfare: a payoff per agent or per unit of weight, in payoff units
 * - amount: a quantity provided, contributed or needed (money, provision), in the unit given
 * - index: a dimensionless summary statistic (Gini, Herfindahl)
 * - rate: a quantity per round
 * - number: a plain number, nothing more known (only for result folders written before metrics were declared; no model declares it)
 */
export const METRIC_KINDS = ['share', 'count', 'indicator', 'welfare', 'amount', 'index', 'rate', 'number'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** What a metric is about: ids from the model's vocabularies; absent when the metric is not broken down that way. */
export interface MetricDimensions {
  readonly issueArea?: string;
  readonly level?: string;
  readonly role?: string;
  readonly strategy?: string;
}

export const DIMENSIONS = ['issueArea', 'level', 'role', 'strategy'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A metric as declared: what it means, its unit, its kind and its dimensions, without the function that measures it. */
export interface MetricDeclaration {
  readonly name: string;
  /** One phrase a reader understands without the docs, e.g. 'share of states at the multilateral level in refugee'. */
  readonly description: string;
  /** e.g. 'share of states', 'states', 'payoff units', 'indicator (0/1)', 'rounds'. */
  readonly unit: string;
  readonly kind: MetricKind;
  readonly dimensions?: MetricDimensions;
  /** A metric this one is measured against (provision against need), and the one that gives the shortfall between them, if any. */
  readonly target?: { readonly metric: string; readonly gap?: string };
}

export interface Metric<S extends ModelState> extends MetricDeclaration {
  /** Reads aggregates only; called every `recordEvery` rounds. */
  value(state: S): number;
}

/** One word of a model's vocabulary: a level, role, strategy or issue area. */
export interface Term {
  /** The id metrics use in their dimensions (e.g. 'M', 'origin', 'C', 'refugee'). */
  readonly id: string;
  /** Spelled out, for legends and tables (e.g. 'M multilateral', 'C cooperate'). */
  readonly label: string;
  /** A colour (hex) that the term has in every chart; the charts' palette when absent. */
  readonly color?: string;
}

/** The words a model's metrics are broken down by, declared once. */
export interface Vocabularies {
  readonly levels?: readonly Term[];
  readonly roles?: readonly Term[];
  readonly strategies?: readonly Term[];
  readonly issueAreas?: readonly Term[];
}

/** Everything a result needs to explain its numbers: every metric's declaration, in record order, and the vocabularies. */
export interface Outcomes {
  readonly metrics: readonly MetricDeclaration[];
  readonly vocabularies: Vocabularies;
}

export interface GameLayout {
  /** One name per game an agent plays at once (for a model with one game, one name). */
  readonly games: readonly string[];
  /** Short names of the strategies, the same in every game (e.g. C, D, L). */
  readonly strategies: readonly string[];
  /** Name share metrics by game even when there is only one (`share_<game>_<strategy>`): for models whose games are named things, like issue areas. */
  readonly namedGames?: boolean;
  /** What the games are, for the share metrics' dimensions: 'issueArea' puts the game in the issueArea dimension; default none. */
  readonly gamesAre?: 'issueArea';
  /** What the strategies are: 'level' puts the strategy in the level dimension; default 'strategy'. */
  readonly strategiesAre?: 'strategy' | 'level';
  /** The agents in plain words, for the share metrics' unit ('share of states'); default 'agents'. */
  readonly agents?: string;
}

/** One flow on a map: along `path` (agent indices, the first the source, the last the destination), in `game` (an issue area), of `amount`. */
export interface MapFlow {
  readonly game: number;
  readonly path: readonly number[];
  readonly amount: number;
}

/** What a model's map shows: each agent's position and group (region), the larger flows, and what a flow's amount is. */
export interface AgentMap {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly group: readonly number[];
  readonly flows: readonly MapFlow[];
  /** per game: what its flows are, in plain words (e.g. 'refugees hosted, from origin to first-asylum host') */
  readonly flowLabels: readonly string[];
}

/**
 * An event a model can take during a run (a crisis a classroom's teacher fires): the
 * schema of its fields (its round aside) for a parameter set, and what it does to
 * the state. A spec's `events` name it by its key in the model's `events`; they are
 * not parameters, so they leave a run's seed as it is.
 */
export interface EventDeclaration<P extends object = object, S extends ModelState = ModelState> {
  /** One sentence for the reader: what the event does. */
  readonly description: string;
  /** The event's fields, checked against the parameters (e.g. that its issue area exists). */
  schema(params: P): z.ZodType<Record<string, unknown>>;
  /**
   * Applies the event when `round` starts (1: the first round played), before the
   * model's onRound; must keep the model's aggregates consistent.
   */
  apply(state: S, fields: Readonly<Record<string, unknown>>, round: number): void;
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
  /**
   * How many peer classes the model's agents fall in (e.g. roles, capacity terciles),
   * for imitation within a class (protocol `peers: class`). With it, `peerClass`.
   */
  peerClasses?(params: P): { readonly count: number; readonly basis: string };
  /** The peer class of an agent, 0 to count - 1; read once when a run starts (classes are fixed during a run). */
  peerClass?(state: S, agent: number): number;
  /** An agent's capacity (> 0), for imitation on payoffs per unit of capacity (protocol `compare: perCapacity`); read once when a run starts. */
  capacity?(state: S, agent: number): number;
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
  /** Work of one decision relative to a payoff read from aggregates, for the cost estimate (e.g. the population size for a payoff that scans it, 2 for the migration model's ordered member sets); default 1. */
  decisionCost?(params: P): number;
  /**
   * A map of the agents for the teaching demo (optional): their positions and the
   * larger flows between them as the state stands. Called between rounds only, so it
   * may allocate; it must not change the state or draw random numbers.
   */
  map?(state: S): AgentMap;
  /** Events a run can take at a given round (a spec's `events`), by kind; none when absent. */
  readonly events?: Readonly<Record<string, EventDeclaration<P, S>>>;
  /** The model's metrics, or a function giving them for a parameter set (when they depend on it, e.g. one per issue area). */
  readonly metrics: readonly Metric<S>[] | ((params: P) => readonly Metric<S>[]);
  /** The levels, roles, strategies and issue areas the metrics' dimensions name, with labels and colours (or a function of the parameters). */
  readonly vocabularies?: Vocabularies | ((params: P) => Vocabularies);
}

/** A model's metrics for one parameter set. */
export function modelMetrics<S extends ModelState>(model: AnyModel, params: object): readonly Metric<S>[] {
  return typeof model.metrics === 'function' ? model.metrics(params) : model.metrics;
}

/** A model's vocabularies for one parameter set (the strategies default to the layout's, labelled by their short names). */
export function modelVocabularies(model: AnyModel, params: object): Vocabularies {
  const declared: Vocabularies = (typeof model.vocabularies === 'function' ? model.vocabularies(params) : model.vocabularies) ?? {};
  const layout = model.layout(params);
  const strategiesAre = layout.strategiesAre ?? 'strategy';
  const out: { -readonly [K in keyof Vocabularies]: Vocabularies[K] } = { ...declared };
  if (strategiesAre === 'strategy' && !out.strategies) out.strategies = layout.strategies.map((id) => ({ id, label: id }));
  if (strategiesAre === 'level' && !out.levels) out.levels = layout.strategies.map((id) => ({ id, label: id }));
  if (layout.gamesAre === 'issueArea' && !out.issueAreas) out.issueAreas = layout.games.map((id) => ({ id, label: id }));
  return out;
}

/**
 * Every metric a run of `model` records, declared, in record order: the engine's
 * share of each strategy in each game (`share_<strategy>` for a one-game model
 * unless its layout says `namedGames`, else `share_<game>_<strategy>`), then the
 * model's own; and the model's vocabularies. Names are identifiers; the
 * declarations carry the meaning.
 */
export function outcomeDeclarations(model: AnyModel, params: object): Outcomes {
  const layout = model.layout(params);
  const { games, strategies, namedGames } = layout;
  const vocabularies = modelVocabularies(model, params);
  const strategiesAre = layout.strategiesAre ?? 'strategy';
  const terms = strategiesAre === 'level' ? vocabularies.levels : vocabularies.strategies;
  const labelOf = (id: string) => terms?.find((t) => t.id === id)?.label ?? id;
  const agents = layout.agents ?? 'agents';
  const metrics: MetricDeclaration[] = [];
  for (const g of games) {
    for (const s of strategies) {
      const oneGame = games.length === 1 && !namedGames;
      const dimensions: { -readonly [K in keyof MetricDimensions]: MetricDimensions[K] } = {};
      if (layout.gamesAre === 'issueArea') dimensions.issueArea = g;
      dimensions[strategiesAre] = s;
      const at = strategiesAre === 'level' ? `at level ${labelOf(s)}` : `playing ${labelOf(s)}`;
      metrics.push({
        name: oneGame ? `share_${s}` : `share_${g}_${s}`,
        description: oneGame ? `share of ${agents} ${at}` : `share of ${agents} ${at} in ${g}`,
        unit: `share of ${agents}`,
        kind: 'share',
        dimensions,
      });
    }
  }
  for (const m of modelMetrics(model, params)) {
    metrics.push({
      name: m.name,
      description: m.description,
      unit: m.unit,
      kind: m.kind,
      ...(m.dimensions ? { dimensions: { ...m.dimensions } } : {}),
      ...(m.target ? { target: { ...m.target } } : {}),
    });
  }
  return { metrics, vocabularies };
}

/** What a result folder without declarations says of a metric: a plain number of unknown unit, no dimensions. */
export function undeclaredMetric(name: string): MetricDeclaration {
  return { name, description: name, unit: 'unit unknown', kind: 'number' };
}

/** The declarations of `names` (the metrics a result holds, in its order): each one's own, or undeclaredMetric when the model does not declare it. */
export function declarationsOf(outcomes: Outcomes, names: readonly string[]): Outcomes {
  const byName = new Map(outcomes.metrics.map((m) => [m.name, m]));
  return { metrics: names.map((n) => byName.get(n) ?? undeclaredMetric(n)), vocabularies: outcomes.vocabularies };
}

/** A model of unknown parameter and state types, as held in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
