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
// flowsBestResponses gives, by calling the model's own payoff on the run's final state;
// analyzeFlows gathers it for `migov analyze` and the API's analyze().
import type { FlowsState } from '../../models/migration-flows/state.ts';
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
  /** each state's level at the end of the run (0 U, 1 C, 2 M), in the order of the model's states */
  readonly levels: readonly number[];
  /** each state's best response at the end of the run (0 U, 1 C, 2 M; ties to the lower level) */
  readonly bestResponses: readonly number[];
  /** each state's gain (per unit of capacity) from switching to its best response; at most the tolerance means it is at a best response */
  readonly gains: readonly number[];
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
      const levels: number[] = [];
      const bestResponses: number[] = [];
      const gains: number[] = [];
      let at = 0;
      let largestGain = 0;
      for (let i = 0; i < pop.size; i++) {
        const p = [0, 1, 2].map((l) => payoff(st, i, g, l, rng));
        const cur = pop.choice[i * pop.games + g];
        const top = Math.max(...p);
        const b = p.indexOf(top);
        levels.push(cur);
        bestResponses.push(b);
        gains.push(top - p[cur]);
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
        levels,
        bestResponses,
        gains,
      });
    }
  }
  return out;
}

/** What `migov analyze` and analyze() say before the numbers of a flows spec. */
export const FLOWS_NO_STAGE_GAME =
  "The flows model has no stage game: a level's payoff depends on the round's flows, which depend on the history, so a profile of levels does not fix the payoffs; equilibria and stochastic stability are not computed (docs/theory.md, \"The flows model: what can and cannot be computed\"). What follows is the one-shot game at each replication's final state: each state's best response to the others' levels and the flows as they stand, and whether the final profile is a Nash equilibrium of that one-shot game.";

/** The answer of `migov analyze` (and analyze() in the API) for a migration-flows spec. */
export interface FlowsAnalysis {
  readonly model: 'migration-flows';
  readonly spec: string;
  /** FLOWS_NO_STAGE_GAME */
  readonly statement: string;
  readonly rounds: number;
  readonly replications: number;
  /** the spec's logit temperature, if it is a logit spec */
  readonly temperature?: number;
  /** payoff differences at most this are ties */
  readonly tolerance: number;
  /** the states' names, in the order of each area's levels and bestResponses */
  readonly states: readonly string[];
  /** one entry per replication and issue area */
  readonly areas: readonly FlowsAreaBestResponses[];
  /** per issue area, over the replications: mean shares, mean best-response shares, mean share at a best response, and how many final profiles are one-shot Nash equilibria */
  readonly summary: readonly { readonly issueArea: string; readonly shares: Shares; readonly bestShares: Shares; readonly atBestResponse: number; readonly nashCount: number }[];
}

/** Every replication of a flows spec (spec.replications, the seeds of `migov run`) evaluated at its final state; no budget check here (the caller's). */
export function analyzeFlows(spec: Spec | string, options: { readonly tolerance?: number } = {}): FlowsAnalysis {
  const s = typeof spec === 'string' ? resolveSpec(spec) : spec;
  const areas = flowsBestResponses(s, { replications: s.replications, tolerance: options.tolerance });
  const model: AnyModel = modelOf(s);
  const st = model.init(s.params, createRng('flows-names')) as FlowsState;
  return {
    model: 'migration-flows',
    spec: s.name,
    statement: FLOWS_NO_STAGE_GAME,
    rounds: s.rounds,
    replications: s.replications,
    ...(s.protocol.rule === 'logit' ? { temperature: s.protocol.temperature } : {}),
    tolerance: options.tolerance ?? 1e-9,
    states: [...st.w.names],
    areas,
    summary: model.layout(s.params).games.map((issueArea) => {
      const rs = areas.filter((r) => r.issueArea === issueArea);
      const mean = (f: (r: FlowsAreaBestResponses) => number) => rs.reduce((t, r) => t + f(r), 0) / rs.length;
      return {
        issueArea,
        shares: [0, 1, 2].map((l) => mean((r) => r.shares[l])) as Shares,
        bestShares: [0, 1, 2].map((l) => mean((r) => r.bestShares[l])) as Shares,
        atBestResponse: mean((r) => r.atBestResponse),
        nashCount: rs.filter((r) => r.nash).length,
      };
    }),
  };
}

const LEVEL_NAMES = ['U', 'C', 'M'] as const;
const three = (x: Shares) => `U ${x[0].toFixed(2)} C ${x[1].toFixed(2)} M ${x[2].toFixed(2)}`;

/** A plain-text account of a flows analysis, as `migov analyze` prints it: per area and replication, the final levels beside the best responses, then the states off a best response. */
export function formatFlows(a: FlowsAnalysis): string {
  const lines = [`${a.spec}: migration-flows levels at the final state (${a.replications} replication${a.replications === 1 ? '' : 's'} of ${a.rounds} rounds)`, '', a.statement];
  for (const r of a.areas) {
    lines.push('', `${r.issueArea} (replication ${r.replication}, ${r.levels.length} states)`);
    lines.push(`  final levels:                 ${three(r.shares)}`);
    lines.push(`  best responses (one-shot):    ${three(r.bestShares)}`);
    if (r.logitShares) lines.push(`  logit response at T ${a.temperature}: ${three(r.logitShares)}`);
    lines.push(`  states at a best response: ${(r.atBestResponse * 100).toFixed(1)}%; largest gain from switching ${r.largestGain.toPrecision(3)} per unit of capacity`);
    lines.push(`  final profile a Nash equilibrium of the one-shot game: ${r.nash ? 'yes' : 'no'}`);
    const off = r.levels.flatMap((l, i) => (r.gains[i] > a.tolerance ? [`${a.states[i]} ${LEVEL_NAMES[l]}->${LEVEL_NAMES[r.bestResponses[i]]}`] : []));
    if (off.length) lines.push(`  states off a best response (level->best response): ${off.slice(0, 20).join(', ')}${off.length > 20 ? `, and ${off.length - 20} more` : ''}`);
  }
  if (a.replications > 1) {
    lines.push('', `Over the ${a.replications} replications (means):`);
    for (const m of a.summary) lines.push(`  ${m.issueArea}: final levels ${three(m.shares)}; best responses ${three(m.bestShares)}; at a best response ${(m.atBestResponse * 100).toFixed(1)}%; final profile an equilibrium in ${m.nashCount} of ${a.replications}`);
  }
  return lines.join('\n');
}
