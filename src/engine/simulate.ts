// The step loop: rounds of revisions, metrics recorded every k rounds, and the stop
// conditions (a number of rounds, an absorbing state, convergence).
import { type AnyModel, type ModelState, modelMetrics, outcomeDeclarations } from './model.ts';
import { setChoice } from './population.ts';
import { type Protocol, makeDecide, makeFermiRound } from './protocol.ts';
import { type Rng, createRng } from './rng.ts';

export interface StopRule {
  /** Stop once the population can no longer change (imitation without mutation, every game monomorphic). */
  absorbing?: boolean;
  /** Stop once every recorded metric has moved by at most `tolerance` over the last `window` records. */
  convergence?: { window: number; tolerance: number };
}

export interface SimulationOptions {
  /** The run's seed (see runSeed); the run draws every random number from it. */
  seed: string;
  /** The most rounds to run; a round is `size` revision opportunities. */
  rounds: number;
  /** Record metrics at round 0, every `recordEvery` rounds, and at the last round. */
  recordEvery: number;
  stop?: StopRule;
  /** Choices forced on some agents in some rounds (a classroom's students, replayed); absent in an ordinary run. */
  moves?: readonly ForcedMove[];
  /** Events the model takes at given rounds (a classroom teacher's crisis, replayed); absent in an ordinary run. */
  events?: readonly RunEvent[];
}

/**
 * An event of the model's (`kind` one of its `events`) applied when `round` starts
 * (1: the first round played), before the model's onRound. `fields` have been
 * checked against the event's schema (src/experiment/moves.ts).
 */
export interface RunEvent {
  readonly round: number;
  readonly kind: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * A choice held by one agent in one game for one round (a student's move in a
 * classroom, or its replay): it is set when the round starts (after the model's
 * onRound) and the agent does not revise that game during the round. `round` is the
 * round being played, 1 for the first `step()`.
 */
export interface ForcedMove {
  readonly round: number;
  readonly agent: number;
  readonly game: number;
  readonly strategy: number;
}

export type StopReason = 'rounds' | 'absorbing' | 'convergence';

export interface RunResult {
  readonly metrics: readonly string[];
  /** The round of each record. */
  readonly rounds: number[];
  /** values[i][m] = metric m at record i. */
  readonly values: number[][];
  /** Rounds actually run. */
  readonly roundsRun: number;
  readonly stoppedBy: StopReason;
}

/** A running simulation that can be stepped a round at a time (for the demo and for tests). */
export interface Simulation<S extends ModelState = ModelState> {
  readonly state: S;
  readonly rng: Rng;
  readonly metrics: readonly string[];
  round: number;
  /** Runs one round; `forced` are the moves held this round, `events` the model's events that start it (their `round` is not read). */
  step(forced?: readonly ForcedMove[], events?: readonly RunEvent[]): void;
  /** The current value of every metric, in the order of `metrics`. */
  measure(): number[];
  /** True when no revision can change the population any more. */
  absorbed(): boolean;
}

/**
 * Metric names: the engine's share of each strategy in each game, then the model's
 * own. A one-game model's shares are `share_<strategy>` (unless its layout says
 * `namedGames`); with several games, `share_<game>_<strategy>`.
 */
export function metricNames(model: AnyModel, params: object): string[] {
  return outcomeDeclarations(model, params).metrics.map((m) => m.name);
}

export function createSimulation<S extends ModelState>(
  model: AnyModel,
  params: object,
  protocol: Protocol,
  seed: string,
): Simulation<S> {
  const rng = createRng(seed);
  const state = model.init(params, rng) as S;
  const pop = state.pop;
  const Z = pop.size;
  const G = pop.games;
  const K = pop.strategies;
  const decide = makeDecide(model, params, state, protocol, rng);
  const onSwitch = model.onSwitch as ((s: S, a: number, g: number, f: number, t: number) => void) | undefined;
  const onRound = model.onRound as ((s: S, round: number) => void) | undefined;
  const rate = protocol.revisionRate;
  const mu = protocol.mutation;
  const names = metricNames(model, params);
  const metrics = modelMetrics<S>(model, params);

  // without mutation a revision is the protocol's decision itself (no draw, no wrapper)
  const revise = mu > 0 ? (a: number, g: number): number => (rng() < mu ? Math.floor(rng() * K) : decide(a, g)) : decide;

  const apply = (a: number, g: number, to: number): void => {
    const from = setChoice(pop, a, g, to);
    if (from !== to && onSwitch) onSwitch(state, a, g, from, to);
  };

  const next = protocol.updating === 'sync' ? new Uint8Array(Z * G) : null;
  // the common case in one loop (same draws, same results); null when it does not apply
  const fermiRound = makeFermiRound(model, state, protocol, rng);
  // (agent, game) pairs held this round by a forced move; made on the first forced round
  let held: Uint8Array | null = null;
  let holding = false;
  const hold = (forced: readonly ForcedMove[]): void => {
    held ??= new Uint8Array(Z * G);
    held.fill(0);
    for (const f of forced) {
      if (!(Number.isInteger(f.agent) && f.agent >= 0 && f.agent < Z && Number.isInteger(f.game) && f.game >= 0 && f.game < G && Number.isInteger(f.strategy) && f.strategy >= 0 && f.strategy < K)) {
        throw new RangeError(`forced move ${JSON.stringify(f)}: agent must be 0..${Z - 1}, game 0..${G - 1}, strategy 0..${K - 1}`);
      }
      if (f.strategy !== pop.choice[f.agent * G + f.game]) apply(f.agent, f.game, f.strategy);
      held[f.agent * G + f.game] = 1;
    }
    holding = forced.length > 0;
  };

  const sim: Simulation<S> = {
    state,
    rng,
    metrics: names,
    round: 0,
    step(forced, events) {
      if (events !== undefined) {
        for (const e of events) {
          const declared = model.events?.[e.kind];
          if (!declared) throw new RangeError(`event ${JSON.stringify(e.kind)}: model ${model.name} has ${Object.keys(model.events ?? {}).join(', ') || 'no events'}`);
          declared.apply(state, e.fields, sim.round + 1);
        }
      }
      if (onRound) onRound(state, sim.round);
      if (forced !== undefined) hold(forced);
      if (fermiRound !== null && !holding) {
        fermiRound();
      } else if (next === null) {
        for (let i = 0; i < Z; i++) {
          const a = Math.floor(rng() * Z);
          if (rate < 1 && rng() >= rate) continue;
          for (let g = 0; g < G; g++) {
            if (holding && held![a * G + g] === 1) continue;
            const to = revise(a, g);
            if (to !== pop.choice[a * G + g]) apply(a, g, to);
          }
        }
      } else {
        next.set(pop.choice);
        for (let a = 0; a < Z; a++) {
          if (rate < 1 && rng() >= rate) continue;
          for (let g = 0; g < G; g++) {
            if (holding && held![a * G + g] === 1) continue;
            next[a * G + g] = revise(a, g);
          }
        }
        for (let a = 0; a < Z; a++) {
          for (let g = 0; g < G; g++) {
            const to = next[a * G + g];
            if (to !== pop.choice[a * G + g]) apply(a, g, to);
          }
        }
      }
      holding = false;
      sim.round++;
    },
    measure() {
      const out: number[] = [];
      for (let g = 0; g < G; g++) for (let k = 0; k < K; k++) out.push(pop.counts[g * K + k] / Z);
      for (const m of metrics) out.push(m.value(state));
      return out;
    },
    absorbed() {
      if (protocol.rule !== 'fermi' || mu > 0) return false;
      for (let g = 0; g < G; g++) {
        let mono = false;
        for (let k = 0; k < K; k++) if (pop.counts[g * K + k] === Z) mono = true;
        if (!mono) return false;
      }
      return true;
    },
  };
  return sim;
}

/** Runs one simulation to its stop and returns the recorded series. */
export function simulate(model: AnyModel, params: object, protocol: Protocol, options: SimulationOptions): RunResult {
  const sim = createSimulation(model, params, protocol, options.seed);
  const byRound = movesByRound(options.moves);
  const eventsByRound = movesByRound(options.events);
  const every = Math.max(1, Math.floor(options.recordEvery));
  const rounds: number[] = [0];
  const values: number[][] = [sim.measure()];
  const window = options.stop?.convergence?.window ?? 0;
  const tolerance = options.stop?.convergence?.tolerance ?? 0;
  let stoppedBy: StopReason = 'rounds';

  const converged = (): boolean => {
    if (window < 2 || values.length < window) return false;
    const from = values.length - window;
    for (let m = 0; m < sim.metrics.length; m++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = from; i < values.length; i++) {
        const v = values[i][m];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > tolerance) return false;
    }
    return true;
  };

  if (options.stop?.absorbing && sim.absorbed()) {
    stoppedBy = 'absorbing';
  } else {
    while (sim.round < options.rounds) {
      if (byRound === null && eventsByRound === null) sim.step();
      else sim.step(byRound?.get(sim.round + 1) ?? [], eventsByRound?.get(sim.round + 1));
      const last = sim.round === options.rounds;
      const absorbed = options.stop?.absorbing === true && sim.absorbed();
      if (sim.round % every === 0 || last || absorbed) {
        rounds.push(sim.round);
        values.push(sim.measure());
      }
      if (absorbed) {
        stoppedBy = 'absorbing';
        break;
      }
      if (sim.round % every === 0 && converged()) {
        stoppedBy = 'convergence';
        break;
      }
    }
  }
  return { metrics: sim.metrics, rounds, values, roundsRun: sim.round, stoppedBy };
}

/** Forced moves (or events) grouped by the round they hold in; null when there are none. */
function movesByRound<T extends { readonly round: number }>(moves: readonly T[] | undefined): Map<number, T[]> | null {
  if (!moves || moves.length === 0) return null;
  const out = new Map<number, T[]>();
  for (const m of moves) {
    const list = out.get(m.round);
    if (list) list.push(m);
    else out.set(m.round, [m]);
  }
  return out;
}
