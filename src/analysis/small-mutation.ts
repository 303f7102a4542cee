// The small-mutation limit: when mutants are rare, a mutant's lineage fixes or dies
// out before the next mutant arises, so the population is almost always monomorphic
// and moves between monomorphic states as an embedded Markov chain whose transition
// from state a to b is the chance that the next mutant is a b-player times its
// fixation probability (Fudenberg D, Imhof LA (2006) J Econ Theory 131:251-262;
// Imhof LA, Fudenberg D, Nowak MA (2005) PNAS 102:10797-10800). Between populations
// (roles), the state is a profile of one strategy per population and a mutant arises
// in one population, fixing there against the others' monomorphic strategies
// (Veller C, Hayward LK (2016) J Econ Theory 162:93-113; Vasconcelos VV, Santos FP,
// Santos FC, Pacheco JM (2017) Phys Rev Lett 118:058301).
//
// Both mutation conventions give the same embedded chain: a mutant that picks its own
// strategy ('any') changes nothing, so the next mutant that matters is uniform over
// the other strategies either way; only the time between transitions differs.
import { fermiFixation } from './birth-death.ts';
import { type WellMixedGame, gameOfPayoffs } from './game.ts';
import { LN10, logAddExp, logSumExp } from './logspace.ts';

export interface EmbeddedTransition {
  readonly from: number;
  readonly to: number;
  /** the population whose strategy changes (0 for a one-population game) */
  readonly population: number;
  /** fixation probability of one mutant against the residents */
  readonly rho: number;
  readonly rhoLog10: number;
  /** the embedded chain's transition probability (per mutation that changes a strategy) */
  readonly probability: number;
  readonly log10: number;
}

export interface EmbeddedChain {
  /** names of the monomorphic states: a strategy, or one strategy per population joined by '/' */
  readonly states: readonly string[];
  /** for each state, the strategy index per population */
  readonly profiles: readonly (readonly number[])[];
  readonly transitions: readonly EmbeddedTransition[];
  /** stationary distribution over the states */
  readonly stationary: Float64Array;
  readonly stationaryLog10: Float64Array;
  /** share of the mutations that arise in each population */
  readonly populationWeights: readonly number[];
}

/**
 * Stationary distribution of an irreducible chain given by the logs of its off-diagonal
 * transition probabilities (logP[i][j], -Infinity for none), by the
 * Grassmann-Taksar-Heyman elimination (Grassmann WK, Taksar MI, Heyman DP (1985) Oper
 * Res 33:1107-1116), which only adds, multiplies and divides positive numbers and so is
 * accurate however small the probabilities; here in log space, so that none underflows.
 * O(n^3). Throws when the chain is not irreducible.
 */
export function stationaryGth(logP: Float64Array[]): { p: Float64Array; log10: Float64Array } {
  const n = logP.length;
  const a = logP.map((row) => Float64Array.from(row));
  for (let k = n - 1; k >= 1; k--) {
    const s = logSumExp(a[k], k);
    if (s === -Infinity) throw new Error(`the chain is not irreducible: state ${k} cannot reach a lower state`);
    for (let i = 0; i < k; i++) a[i][k] -= s;
    for (let i = 0; i < k; i++) {
      const aik = a[i][k];
      if (aik === -Infinity) continue;
      const ai = a[i];
      const ak = a[k];
      for (let j = 0; j < k; j++) if (j !== i) ai[j] = logAddExp(ai[j], aik + ak[j]);
    }
  }
  const logPi = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    let acc = -Infinity;
    for (let i = 0; i < k; i++) acc = logAddExp(acc, logPi[i] + a[i][k]);
    logPi[k] = acc;
  }
  const total = logSumExp(logPi);
  const p = new Float64Array(n);
  const log10 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    p[k] = Math.exp(logPi[k] - total);
    log10[k] = (logPi[k] - total) / LN10;
  }
  return { p, log10 };
}

function finish(states: string[], profiles: number[][], transitions: EmbeddedTransition[], logT: Float64Array[], weights: number[]): EmbeddedChain {
  const st = stationaryGth(logT);
  return { states, profiles, transitions, stationary: st.p, stationaryLog10: st.log10, populationWeights: weights };
}

/**
 * The embedded chain of a one-population game under the Fermi process at selection
 * intensity beta: from all-a to all-b with probability rho_{b,a} / (S - 1).
 */
export function smallMutationLimit(game: WellMixedGame, beta: number): EmbeddedChain {
  const S = game.strategies.length;
  const logT = Array.from({ length: S }, () => new Float64Array(S).fill(-Infinity));
  const transitions: EmbeddedTransition[] = [];
  for (let a = 0; a < S; a++) {
    for (let b = 0; b < S; b++) {
      if (a === b) continue;
      const f = fermiFixation(game.edge(b, a), game.Z, beta);
      const log10 = f.log10 - Math.log10(S - 1);
      logT[a][b] = log10 * LN10;
      transitions.push({ from: a, to: b, population: 0, rho: f.rho, rhoLog10: f.log10, probability: 10 ** log10, log10 });
    }
  }
  return finish([...game.strategies], game.strategies.map((_, s) => [s]), transitions, logT, [1]);
}

/** One population of a game between populations. */
export interface PopulationSpec {
  readonly name: string;
  readonly size: number;
  readonly strategies: readonly string[];
}

/**
 * A game between populations (roles). `payoff(p, s, others)` is what a member of
 * population p playing s earns when the agents it may meet hold others[q][t] players
 * of strategy t in population q (its own population counted without itself). A game
 * whose payoff for p reads only others[p] has populations that do not interact.
 */
export interface PopulationGame {
  readonly populations: readonly PopulationSpec[];
  payoff(p: number, s: number, others: readonly (readonly number[])[]): number;
}

export interface MultiPopulationOptions {
  /** selection intensity of the Fermi process within each population */
  readonly beta: number;
  /** where mutations arise: in proportion to population sizes (per agent, the default) or equally in each population */
  readonly mutationsBy?: 'size' | 'equal';
}

/**
 * The embedded chain of monomorphic profiles of a game between populations. From a
 * profile, the next mutation arises in population p with probability w_p (by size or
 * equal) and makes one of its other S_p - 1 strategies, each alike; it fixes in p with
 * the Fermi fixation probability computed against the other populations held at their
 * monomorphic strategies (imitation within the population only). States: the product
 * of the strategy sets, in mixed radix with the last population fastest. The work is
 * (profiles) x (sum_p (S_p - 1)) fixation probabilities of O(Z_p) each, and the
 * stationary distribution O(profiles^3).
 */
export function multiPopulationLimit(game: PopulationGame, options: MultiPopulationOptions): EmbeddedChain {
  const pops = game.populations;
  const P = pops.length;
  const sizes = pops.map((p) => p.strategies.length);
  const n = sizes.reduce((a, b) => a * b, 1);
  const totalZ = pops.reduce((a, p) => a + p.size, 0);
  const weights = pops.map((p) => (options.mutationsBy === 'equal' ? 1 / P : p.size / totalZ));
  const profiles: number[][] = [];
  for (let idx = 0; idx < n; idx++) {
    const prof = new Array<number>(P);
    let r = idx;
    for (let q = P - 1; q >= 0; q--) {
      prof[q] = r % sizes[q];
      r = Math.floor(r / sizes[q]);
    }
    profiles.push(prof);
  }
  const indexOf = (prof: readonly number[]) => prof.reduce((acc, s, q) => acc * sizes[q] + s, 0);
  const states = profiles.map((prof) => prof.map((s, q) => pops[q].strategies[s]).join('/'));
  const logT = Array.from({ length: n }, () => new Float64Array(n).fill(-Infinity));
  const transitions: EmbeddedTransition[] = [];
  // scratch: others[q][t]
  const others = pops.map((p) => new Array<number>(p.strategies.length).fill(0));
  for (let from = 0; from < n; from++) {
    const prof = profiles[from];
    for (let p = 0; p < P; p++) {
      const Sp = sizes[p];
      const a = prof[p];
      for (let b = 0; b < Sp; b++) {
        if (b === a) continue;
        // population p holds b (mutant) and a (resident); every other population is monomorphic
        for (let q = 0; q < P; q++) {
          others[q].fill(0);
          if (q !== p) others[q][prof[q]] = pops[q].size;
        }
        const edgeGame = gameOfPayoffs(pops[p].size, pops[p].strategies, (s, own) => {
          for (let t = 0; t < Sp; t++) others[p][t] = own[t];
          return game.payoff(p, s, others);
        });
        const f = fermiFixation(edgeGame.edge(b, a), pops[p].size, options.beta);
        const to = [...prof];
        to[p] = b;
        const toIdx = indexOf(to);
        const log10 = f.log10 + Math.log10(weights[p]) - Math.log10(Sp - 1);
        logT[from][toIdx] = log10 * LN10;
        transitions.push({ from, to: toIdx, population: p, rho: f.rho, rhoLog10: f.log10, probability: 10 ** log10, log10 });
      }
    }
  }
  return finish(states, profiles, transitions, logT, weights);
}

/**
 * A game between populations given by payoff tables: payoffs[p][s][q][t] is what a
 * member of p playing s earns from meeting one member of q playing t (q = p: a member
 * of its own population), and the payoff is the average over everyone it meets:
 * sum over q of sum_t payoffs[p][s][q][t] others[q][t] / (agents of q it meets), with
 * the populations it meets those with `meets[p][q]` true (default: every other one).
 */
export function tableGame(
  populations: readonly PopulationSpec[],
  payoffs: readonly (readonly (readonly (readonly number[])[])[])[],
  meets?: readonly (readonly boolean[])[],
): PopulationGame {
  const P = populations.length;
  const meet = meets ?? populations.map((_, p) => populations.map((__, q) => q !== p));
  return {
    populations,
    payoff(p, s, others) {
      let total = 0;
      for (let q = 0; q < P; q++) {
        if (!meet[p][q]) continue;
        const row = payoffs[p][s][q];
        let n = 0;
        let sum = 0;
        for (let t = 0; t < others[q].length; t++) {
          n += others[q][t];
          sum += row[t] * others[q][t];
        }
        if (n > 0) total += sum / n;
      }
      return total;
    },
  };
}
