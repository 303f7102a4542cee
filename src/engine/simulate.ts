// The step loop: rounds of revisions, metrics recorded every k rounds, and the stop
// conditions (a number of rounds, an absorbing state, convergence).
import { type AnyModel, type ModelState, modelMetrics, outcomeDeclarations } from './model.ts';
import { setChoice } from './population.ts';
import { type Protocol, makeDecide } from './protocol.ts';
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
  /** Runs one round. */
  step(): void;
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

  const revise = (a: number, g: number): number =>
    mu > 0 && rng() < mu ? Math.floor(rng() * K) : decide(a, g);

  const apply = (a: number, g: number, to: number): void => {
    const from = setChoice(pop, a, g, to);
    if (from !== to && onSwitch) onSwitch(state, a, g, from, to);
  };

  const next = protocol.updating === 'sync' ? new Uint8Array(Z * G) : null;

  const sim: Simulation<S> = {
    state,
    rng,
    metrics: names,
    round: 0,
    step() {
      if (onRound) onRound(state, sim.round);
      if (next === null) {
        for (let i = 0; i < Z; i++) {
          const a = Math.floor(rng() * Z);
          if (rate < 1 && rng() >= rate) continue;
          for (let g = 0; g < G; g++) {
            const to = revise(a, g);
            if (to !== pop.choice[a * G + g]) apply(a, g, to);
          }
        }
      } else {
        next.set(pop.choice);
        for (let a = 0; a < Z; a++) {
          if (rate < 1 && rng() >= rate) continue;
          for (let g = 0; g < G; g++) next[a * G + g] = revise(a, g);
        }
        for (let a = 0; a < Z; a++) {
          for (let g = 0; g < G; g++) {
            const to = next[a * G + g];
            if (to !== pop.choice[a * G + g]) apply(a, g, to);
          }
        }
      }
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
      sim.step();
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
