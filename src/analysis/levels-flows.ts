// What the levels' theory can say of the structural flows model (models/migration-flows/;
// docs/theory.md, "The migration levels", and docs/model.md §5.6).
//
// In the flows model a level's payoff is the value of the round's flows with the
// state's own level substituted, everyone else's level and the round's flows held
// fixed (partial equilibrium), and the flows themselves are a state of the world
// that moves every round with everyone's levels (stocks of hosted refugees, routes,
// the skilled pool). So the stage game of analyzeLevels does not exist here: a
// profile of levels does not fix the payoffs, the history does. What can be computed
// exactly is the one-shot game at a given world: at the end of a run, which level is
// each state's best response to the others' levels and the flows as they stand, and
// whether the final profile is a Nash equilibrium of that one-shot game. That is what
// flowsBestResponses gives, by calling the model's own payoff on the run's final state.
import type { AnyModel } from '../engine/model.ts';
import { createRng, runIdentity, runSeed } from '../engine/rng.ts';
import { createSimulation } from '../engine/simulate.ts';
import { modelOf, resolveSpec } from '../experiment/load.ts';
import type { Spec } from '../experiment/schema.ts';

type Shares = [number, number, number];

export interface FlowsAreaBestResponses {
  readonly issueArea: string;
  readonly replication: number;
  /** share of states at U, C, M at the end of the run */
  readonly shares: Shares;
  /** share of states whose best response (to the others and the flows at the end) is U, C, M (ties to the lower level) */
  readonly bestShares: Shares;
  /** share of states whose final level is a best response */
  readonly atBestResponse: number;
  /** the final profile is a Nash equilibrium of the one-shot game at the final world */
  readonly nash: boolean;
  /** the largest payoff gain (per unit of capacity) any state would get by switching */
  readonly largestGain: number;
  /** mean logit response shares at the spec's temperature (logit specs only) */
  readonly logitShares?: Shares;
}

export interface FlowsBestResponsesOptions {
  readonly replications?: number;
  /** payoff differences at most this are ties (default 1e-9) */
  readonly tolerance?: number;
}

/** Runs each replication of a flows spec to its rounds (the same seed as `migov run`) and evaluates every state's best response at the final state. */
export function flowsBestResponses(spec: Spec | string, options: FlowsBestResponsesOptions = {}): FlowsAreaBestResponses[] {
  const s = typeof spec === 'string' ? resolveSpec(spec) : spec;
  const model: AnyModel = modelOf(s);
  if (model.name !== 'migration-flows') throw new Error(`flowsBestResponses: model ${model.name} is not migration-flows`);
  const tol = options.tolerance ?? 1e-9;
  const names = model.layout(s.params).games;
  const T = s.protocol.rule === 'logit' ? s.protocol.temperature : undefined;
  const out: FlowsAreaBestResponses[] = [];
  for (let r = 0; r < (options.replications ?? 1); r++) {
    const seed = runSeed(s.seed, runIdentity(s.model, s.params, s.protocol), r);
    const sim = createSimulation(model, s.params, s.protocol, seed);
    for (let k = 0; k < s.rounds; k++) sim.step();
    const st = sim.state;
    const pop = st.pop;
    const payoff = model.payoff as (state: typeof st, i: number, g: number, l: number, rng: () => number) => number;
    const rng = createRng(`flows-best-responses:${seed}`);
    for (let g = 0; g < pop.games; g++) {
      const shares: Shares = [0, 0, 0];
      const best: Shares = [0, 0, 0];
      const logit: Shares = [0, 0, 0];
      let at = 0;
      let largestGain = 0;
      for (let i = 0; i < pop.size; i++) {
        const p = [0, 1, 2].map((l) => payoff(st, i, g, l, rng));
        const cur = pop.choice[i * pop.games + g];
        const top = Math.max(...p);
        const b = p.indexOf(top);
        shares[cur] += 1 / pop.size;
        best[b] += 1 / pop.size;
        if (top - p[cur] <= tol) at++;
        largestGain = Math.max(largestGain, top - p[cur]);
        if (T !== undefined && T > 0) {
          const w = p.map((x) => Math.exp((x - top) / T));
          const z = w[0] + w[1] + w[2];
          for (let l = 0; l < 3; l++) logit[l] += w[l] / z / pop.size;
        }
      }
      out.push({
        issueArea: names[g],
        replication: r,
        shares,
        bestShares: best,
        atBestResponse: at / pop.size,
        nash: at === pop.size,
        largestGain,
        ...(T !== undefined && T > 0 ? { logitShares: logit } : {}),
      });
    }
  }
  return out;
}
