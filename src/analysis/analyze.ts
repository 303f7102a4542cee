// Everything the analytic twin computes for one model at one parameter set and one
// protocol, as plain data (src/cli/analyze.ts prints it, src/report/analysis.ts writes
// it). Pure: no files, no clock, no randomness.
import type { AnyModel } from '../engine/model.ts';
import type { Protocol } from '../engine/protocol.ts';
import {
  type GradientRoot,
  type MutationConvention,
  type Rule,
  fermiFixation,
  gradient,
  gradientRoots,
  stationaryDistribution,
  stochasticallyStable,
  transitions,
} from './birth-death.ts';
import { expectedParams, gameOfModel, notWellMixed } from './game.ts';
import { sharePayoffs } from './infinite.ts';
import { type RestPoint, logitEquilibria, meanFieldRestPoints, replicatorRestPoints } from './replicator.ts';
import { type EmbeddedChain, smallMutationLimit } from './small-mutation.ts';

/** What a spec's `analysis:` section may set (src/experiment/schema.ts validates it). */
export interface AnalysisOptions {
  /** who a mutant becomes (default 'any', migov's engine) */
  readonly mutation?: MutationConvention;
  /** selection intensity for fixation and the small-mutation limit when the protocol is not Fermi (default 1) */
  readonly selectionIntensity?: number;
  /** fixation probabilities against beta at these values (default: 25 from beta / 100 to 10 beta, log-spaced) */
  readonly selectionIntensities?: readonly number[];
  /** fixation probabilities against Z at these sizes (default 10 to 5,000 and the spec's Z) */
  readonly populationSizes?: readonly number[];
  /** logit equilibria at these temperatures (default: the protocol's, if logit, and 0.02, 0.05, 0.1, 0.3, 1) */
  readonly temperatures?: readonly number[];
}

export interface FixationRow {
  readonly mutant: string;
  readonly resident: string;
  readonly beta: number;
  readonly Z: number;
  readonly rho: number;
  readonly log10: number;
  /** 1 / Z, the neutral fixation probability */
  readonly neutral: number;
}

export interface GradientRow {
  /** number of players of the first strategy */
  readonly k: number;
  readonly x: number;
  /** T+(k) - T-(k) with the protocol's mutation, per revision opportunity */
  readonly gradient: number;
  /** the same without mutation */
  readonly withoutMutation: number;
}

export interface DistributionRow {
  readonly k: number;
  readonly x: number;
  readonly probability: number;
  readonly log10: number;
}

export interface Analysis {
  readonly model: string;
  readonly title: string;
  readonly Z: number;
  readonly strategies: readonly string[];
  readonly protocol: Protocol;
  /** the mutation convention of every result that depends on it */
  readonly mutationConvention: MutationConvention;
  /** the selection intensity of the fixation probabilities and the small-mutation limit */
  readonly beta: number;
  /** what was assumed or left out, in plain words */
  readonly notes: readonly string[];
  /** fixation of one mutant of each strategy among residents of each other */
  readonly fixation: readonly FixationRow[];
  readonly fixationByBeta: readonly FixationRow[];
  readonly fixationBySize: readonly FixationRow[];
  readonly smallMutation: EmbeddedChain;
  /** two strategies: the gradient of selection along k, the number of players of the first */
  readonly gradient: readonly GradientRow[] | null;
  readonly gradientRoots: readonly GradientRoot[] | null;
  /** two strategies, a chain with mutation (or logit noise): its stationary distribution */
  readonly fullChain: { readonly rule: string; readonly mutation: number; readonly distribution: readonly DistributionRow[]; readonly mean: number } | null;
  readonly replicator: readonly RestPoint[] | null;
  /** rest points of the Fermi process's mean field at the protocol's beta and mutation (Fermi protocols) */
  readonly meanField: readonly RestPoint[] | null;
  readonly logitEquilibria: readonly { readonly temperature: number; readonly points: readonly RestPoint[] }[] | null;
  /** two strategies: the compositions (k players of the first) that logit (T -> 0) and best response with mutation (eps -> 0) select */
  readonly stochasticallyStable: { readonly logit: readonly number[]; readonly kmr: readonly number[] } | null;
}

function logSpaced(lo: number, hi: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((lo * (hi / lo) ** (i / (n - 1))).toPrecision(6)));
  return out;
}

const DEFAULT_SIZES = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const DEFAULT_TEMPERATURES = [0.02, 0.05, 0.1, 0.3, 1];

/** Why `analyze` cannot take a model at these parameters and this protocol; null when it can. */
export function notAnalysable(model: AnyModel, params: object): string | null {
  return notWellMixed(model, params);
}

/**
 * The analytic twin of a run of `model` at `params` under `protocol`: fixation
 * probabilities, the small-mutation limit, the gradient of selection and the full
 * chain's stationary distribution (two strategies), the rest points of the replicator
 * and mean-field equations, logit equilibria and the stochastically stable states.
 */
export function analyzeModel(model: AnyModel, rawParams: Record<string, unknown>, protocol: Protocol, options: AnalysisOptions = {}): Analysis {
  const problem = notAnalysable(model, rawParams);
  if (problem) throw new Error(problem);
  const notes: string[] = [];
  const { params, changed } = expectedParams(model, rawParams);
  if (changed) notes.push(`payoffs: the spec samples groups ('${String(rawParams.payoffs)}'); the analysis uses the exact expected payoffs ('expected'), their mean`);
  if (protocol.updating === 'sync') notes.push('updating: the spec updates synchronously; the chains here are of asynchronous (random sequential) updating, one revision opportunity at a time');
  const convention = options.mutation ?? 'any';
  const game = gameOfModel(model, params);
  const { Z, strategies } = game;
  const S = strategies.length;
  const beta = protocol.rule === 'fermi' ? protocol.selectionIntensity : (options.selectionIntensity ?? 1);
  if (protocol.rule !== 'fermi') notes.push(`fixation and the small-mutation limit are of the Fermi (imitation) process, here at beta = ${beta}${options.selectionIntensity === undefined ? ' (analysis.selectionIntensity, default 1)' : ''}; the spec's protocol is ${protocol.rule}`);
  const mu = protocol.mutation;

  const fixationAt = (g: typeof game, b: number): FixationRow[] => {
    const rows: FixationRow[] = [];
    for (let m = 0; m < S; m++) {
      for (let r = 0; r < S; r++) {
        if (m === r) continue;
        const f = fermiFixation(g.edge(m, r), g.Z, b);
        rows.push({ mutant: strategies[m], resident: strategies[r], beta: b, Z: g.Z, rho: f.rho, log10: f.log10, neutral: 1 / g.Z });
      }
    }
    return rows;
  };
  const fixation = fixationAt(game, beta);
  const betas = options.selectionIntensities ?? (beta > 0 ? logSpaced(beta / 100, beta * 10, 25) : logSpaced(0.001, 10, 25));
  const fixationByBeta = betas.flatMap((b) => fixationAt(game, b));
  const fixationBySize: FixationRow[] = [];
  const sizes = [...new Set([...(options.populationSizes ?? DEFAULT_SIZES), Z])].sort((a, b) => a - b);
  const skipped: number[] = [];
  for (const size of sizes) {
    if (size === Z) {
      fixationBySize.push(...fixation);
      continue;
    }
    const parsed = model.params.safeParse({ ...params, Z: size });
    if (!parsed.success) {
      skipped.push(size);
      continue;
    }
    fixationBySize.push(...fixationAt(gameOfModel(model, parsed.data as object), beta));
  }
  if (skipped.length) notes.push(`fixation against Z: the model's parameters are not valid at Z = ${skipped.join(', ')} (e.g. a group larger than the population), left out`);

  const smallMutation = smallMutationLimit(game, beta);

  let gradientRows: GradientRow[] | null = null;
  let roots: GradientRoot[] | null = null;
  let fullChain: Analysis['fullChain'] = null;
  let sss: Analysis['stochasticallyStable'] = null;
  if (S === 2) {
    const edge = game.edge(0, 1);
    const rule: Rule = protocol.rule === 'logit' ? { rule: 'logit', temperature: protocol.temperature } : { rule: 'fermi', beta };
    const m = { rate: mu, convention, strategies: S };
    const withMu = transitions(edge, Z, rule, m);
    const without = transitions(edge, Z, rule, { ...m, rate: 0 });
    const g = gradient(withMu.logUp, withMu.logDown);
    const g0 = gradient(without.logUp, without.logDown);
    gradientRows = Array.from({ length: Z + 1 }, (_, k) => ({ k, x: k / Z, gradient: g[k], withoutMutation: g0[k] }));
    roots = gradientRoots(g0, Z);
    if (protocol.rule === 'roth-erev') notes.push('full chain: Roth-Erev learning keeps propensities, not a birth-death chain of the composition; the gradient and stationary distribution shown are of the Fermi process at the same beta');
    const st = stationaryDistribution(withMu.logUp, withMu.logDown);
    if (st) {
      const distribution = Array.from({ length: Z + 1 }, (_, k) => ({ k, x: k / Z, probability: st.p[k], log10: st.log10[k] }));
      fullChain = { rule: rule.rule, mutation: mu, distribution, mean: distribution.reduce((a, r) => a + r.probability * r.x, 0) };
    } else {
      notes.push(`full chain: without mutation the ${rule.rule} chain is absorbed in a monomorphic state, so it has no unique stationary distribution; see the small-mutation limit (or set protocol.mutation > 0)`);
    }
    const ss = stochasticallyStable(edge, Z);
    sss = { logit: ss.logit, kmr: ss.kmr };
  } else {
    notes.push(`gradient, full chain and stochastic stability: computed for two strategies; this game has ${S} (the small-mutation limit covers every strategy)`);
  }

  const shares = sharePayoffs(model, params);
  let replicator: RestPoint[] | null = null;
  let meanField: RestPoint[] | null = null;
  let logit: Analysis['logitEquilibria'] = null;
  if (shares && S <= 3) {
    replicator = replicatorRestPoints(shares, S);
    if (protocol.rule === 'fermi') meanField = meanFieldRestPoints(shares, S, beta, mu, convention);
    const temps = [...new Set([...(protocol.rule === 'logit' && protocol.temperature > 0 ? [protocol.temperature] : []), ...(options.temperatures ?? DEFAULT_TEMPERATURES)])].sort((a, b) => a - b);
    logit = temps.map((T) => ({ temperature: T, points: logitEquilibria(shares, S, T) }));
  } else {
    notes.push(shares ? `replicator and logit equilibria: computed for up to three strategies` : `replicator and logit equilibria: model ${model.name} has no infinite-population payoffs in src/analysis/infinite.ts`);
  }
  return {
    model: model.name,
    title: model.title,
    Z,
    strategies,
    protocol,
    mutationConvention: convention,
    beta,
    notes,
    fixation,
    fixationByBeta,
    fixationBySize,
    smallMutation,
    gradient: gradientRows,
    gradientRoots: roots,
    fullChain,
    replicator,
    meanField,
    logitEquilibria: logit,
    stochasticallyStable: sss,
  };
}
