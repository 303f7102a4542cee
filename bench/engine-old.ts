// The engine's loop as it was before makeFermiRound (src/engine/simulate.ts and
// protocol.ts at commit 01a092b), kept as the baseline that bench/engine.ts measures
// the engine against: the step loop's asynchronous path with its revise and apply
// closures, its per-game loop and its forced-move check, around makeDecide's plain
// Fermi decision and the model's own payoff. Copied, not imported, so that later
// changes to the engine leave it as it was; the same draws and results.
import { setChoice } from '../src/engine/population.ts';
import { createRng, type Rng } from '../src/engine/rng.ts';
import linearPgg, { type LinearPggState } from '../models/linear-pgg.ts';
import { CORE, type CoreLoop } from './engine-floor.ts';

export function oldEngineLoop(Z: number, seed: string): CoreLoop {
  const rng = createRng(seed);
  const { N, r, c, selectionIntensity: beta, mutation: mu } = CORE;
  const model = linearPgg;
  const state = model.init(model.params.parse({ Z, N, r, c }), rng);
  const pop = state.pop;
  const G = pop.games;
  const K = pop.strategies;
  const choice = pop.choice;
  const payoff = model.payoff as (s: LinearPggState, a: number, g: number, k: number, r: Rng) => number;
  const onSwitch = model.onSwitch as ((s: LinearPggState, a: number, g: number, f: number, t: number) => void) | undefined;
  const protocol = { revisionRate: 1, mutation: mu, updating: 'async' };
  const rate = protocol.revisionRate;

  // makeDecide's plain Fermi decision
  const decide = (a: number, g: number): number => {
    const sa = choice[a * G + g];
    let b = Math.floor(rng() * (Z - 1));
    b += (a - b - 1) >>> 31;
    const sb = choice[b * G + g];
    if (sb === sa) return sa;
    const pa = payoff(state, a, g, sa, rng);
    const pb = payoff(state, b, g, sb, rng);
    return rng() * (1 + Math.exp(-beta * (pb - pa))) < 1 ? sb : sa;
  };
  // createSimulation's step loop, asynchronous path
  const revise = (a: number, g: number): number => (mu > 0 && rng() < mu ? Math.floor(rng() * K) : decide(a, g));
  const apply = (a: number, g: number, to: number): void => {
    const from = setChoice(pop, a, g, to);
    if (from !== to && onSwitch) onSwitch(state, a, g, from, to);
  };
  const onRound = model.onRound as ((s: LinearPggState, round: number) => void) | undefined;
  const next = (protocol.updating as string) === 'sync' ? new Uint8Array(Z * G) : null;
  let held: Uint8Array | null = null;
  let holding = false;
  const hold = (forced: readonly { agent: number; game: number; strategy: number }[]): void => {
    held ??= new Uint8Array(Z * G);
    held.fill(0);
    for (const f of forced) {
      if (f.strategy !== pop.choice[f.agent * G + f.game]) apply(f.agent, f.game, f.strategy);
      held[f.agent * G + f.game] = 1;
    }
    holding = forced.length > 0;
  };
  let round = 0;
  return {
    // createSimulation's step(), models' events left out (linear-pgg has none)
    step(forced?: readonly { agent: number; game: number; strategy: number }[]) {
      if (onRound) onRound(state, round);
      if (forced !== undefined) hold(forced);
      if (next === null) {
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
      round++;
    },
    cooperators: () => pop.counts[0],
  };
}
