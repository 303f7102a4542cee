// The engine's decision written out by hand in one loop, as the floor that the engine
// is measured against in bench/engine.ts: the linear PGG with expected payoffs,
// Fermi imitation, mutation and asynchronous updating at revision rate 1, exactly
// as createSimulation runs it (the same draws in the same order, the same
// floating-point operations), so that its final counts must equal the engine's.
// No closures, no model object, no game loop, no protocol switch: what is left is
// the work of the decision itself.
import { createRng } from '../src/engine/rng.ts';
import linearPgg from '../models/linear-pgg.ts';

/** The settings every loop in bench/engine.ts runs with. */
export const CORE = { N: 5, r: 3, c: 1, selectionIntensity: 1, mutation: 0.01 } as const;

export interface CoreLoop {
  /** Runs one round: Z revision opportunities. */
  step(): void;
  /** Agents playing C (strategy 0). */
  cooperators(): number;
}

export function handWrittenLoop(Z: number, seed: string): CoreLoop {
  const rng = createRng(seed);
  const { N, r, c, selectionIntensity: beta, mutation: mu } = CORE;
  // the model's own init, so that the initial placement draws the same numbers
  const { pop } = linearPgg.init(linearPgg.params.parse({ Z, N, r, c }), rng);
  const choice = pop.choice;
  const counts = pop.counts;
  return {
    step() {
      for (let i = 0; i < Z; i++) {
        const a = Math.floor(rng() * Z);
        const sa = choice[a];
        let to = sa;
        if (rng() < mu) {
          to = Math.floor(rng() * 2);
        } else {
          let b = Math.floor(rng() * (Z - 1));
          b += (a - b - 1) >>> 31;
          const sb = choice[b];
          if (sb !== sa) {
            const ca = ((N - 1) * (counts[0] - (sa === 0 ? 1 : 0))) / (Z - 1);
            const pa = sa === 0 ? (r * c * (ca + 1)) / N - c : (r * c * ca) / N;
            const cb = ((N - 1) * (counts[0] - (sb === 0 ? 1 : 0))) / (Z - 1);
            const pb = sb === 0 ? (r * c * (cb + 1)) / N - c : (r * c * cb) / N;
            if (rng() * (1 + Math.exp(-beta * (pb - pa))) < 1) to = sb;
          }
        }
        if (to !== sa) {
          choice[a] = to;
          counts[sa]--;
          counts[to]++;
        }
      }
    },
    cooperators: () => counts[0],
  };
}
