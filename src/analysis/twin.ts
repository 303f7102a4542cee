// The analytic value beside the simulated estimate (issue 15 part 5): for a run of a
// well-mixed game with two strategies, the exact quantity the run's replications
// estimate, with the z-score of their mean. Two cases have one:
//  - fixation: runs from one mutant (its initial count is 1), no mutation, Fermi
//    imitation, stopped when absorbed: the share of replications in which the mutant
//    took over estimates its fixation probability (binomial standard error);
//  - stationary: mutation > 0 (or logit noise): each replication's last share of the
//    first strategy is a draw from the full chain's stationary distribution once the
//    run has forgotten its start, so their mean estimates the stationary mean
//    (standard error from their spread); a run too short to forget its start shows as
//    a large z.
import type { AnyModel } from '../engine/model.ts';
import type { Protocol } from '../engine/protocol.ts';
import { fermiFixation, stationaryDistribution, transitions } from './birth-death.ts';
import { expectedParams, gameOfModel, notWellMixed } from './game.ts';

export interface TwinComparison {
  readonly quantity: 'fixation' | 'stationary mean';
  /** the metric of the result folder it is read from */
  readonly metric: string;
  /** what is compared, in words */
  readonly description: string;
  readonly analytic: number;
  readonly simulated: number;
  readonly standardError: number;
  /** (simulated - analytic) / standard error; NaN when the standard error is 0 */
  readonly z: number;
  readonly replications: number;
}

/**
 * The comparison for a run of `model` (one game, two strategies) from the last value
 * of the share of each strategy per replication (`finalShares[s][replication]`), or
 * null when the run has no exact counterpart here. Mutation convention: migov's ('any').
 */
export function twinComparison(
  model: AnyModel,
  rawParams: Record<string, unknown>,
  protocol: Protocol,
  finalShares: readonly (readonly number[])[],
): TwinComparison | null {
  if (notWellMixed(model, rawParams) !== null) return null;
  const { params } = expectedParams(model, rawParams);
  const strategies = model.layout(params).strategies;
  if (strategies.length !== 2 || finalShares.length !== 2) return null;
  const n = finalShares[0].length;
  if (n < 2 || protocol.updating === 'sync' || protocol.rule === 'roth-erev') return null;
  // the report must stay quick: the exact chain is O(Z), built only up to the analysis's limit
  if (typeof params.Z === 'number' && params.Z > 100_000) return null;
  const game = gameOfModel(model, params);
  const Z = game.Z;
  const initial = params.initial as Record<string, number> | undefined;
  if (protocol.mutation === 0 && protocol.rule === 'fermi' && initial) {
    const counts = strategies.map((s) => Math.round((initial[s] ?? 0) * Z));
    const mutant = counts.findIndex((c) => c === 1);
    if (mutant < 0) return null;
    const finals = finalShares[mutant];
    // every replication absorbed: its last share is 0 or 1
    if (!finals.every((x) => x === 0 || x === 1)) return null;
    const rho = fermiFixation(game.edge(mutant, 1 - mutant), Z, protocol.selectionIntensity).rho;
    const fixed = finals.filter((x) => x === 1).length / n;
    const se = Math.sqrt((rho * (1 - rho)) / n);
    return {
      quantity: 'fixation',
      metric: `share_${strategies[mutant]}`,
      description: `fixation probability of one ${strategies[mutant]} among ${Z - 1} ${strategies[1 - mutant]} (share of replications in which it took over)`,
      analytic: rho,
      simulated: fixed,
      standardError: se,
      z: se > 0 ? (fixed - rho) / se : NaN,
      replications: n,
    };
  }
  const rule = protocol.rule === 'logit' ? { rule: 'logit' as const, temperature: protocol.temperature } : { rule: 'fermi' as const, beta: protocol.selectionIntensity };
  const t = transitions(game.edge(0, 1), Z, rule, { rate: protocol.mutation, convention: 'any', strategies: 2 });
  const st = stationaryDistribution(t.logUp, t.logDown);
  if (!st) return null;
  let mean = 0;
  for (let k = 0; k <= Z; k++) mean += (st.p[k] * k) / Z;
  const xs = finalShares[0];
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1) / n);
  return {
    quantity: 'stationary mean',
    metric: `share_${strategies[0]}`,
    description: `long-run mean share of ${strategies[0]} (exact stationary distribution of the ${rule.rule} chain with mutation ${protocol.mutation}) against the mean of the replications' last share`,
    analytic: mean,
    simulated: m,
    standardError: se,
    z: se > 0 ? (m - mean) / se : NaN,
    replications: n,
  };
}
