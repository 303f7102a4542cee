// Fixation of a single mutant in the linear public goods game under the pairwise
// comparison (Fermi) process, against the closed form of Traulsen, Pacheco and Nowak.
//
// Sources: Traulsen A, Nowak MA, Pacheco JM (2006) Stochastic dynamics of invasion and
// fixation. Phys Rev E 74:011909; Traulsen A, Pacheco JM, Nowak MA (2007) Pairwise
// comparison and selection temperature in evolutionary game dynamics. J Theor Biol
// 246:522-529.
//
// With j cooperators in a population of Z, the pairwise comparison process (random
// sequential, no mutation) moves j by one with
//   T+(j) = (Z - j)/Z * j/(Z - 1) * 1 / (1 + e^{-beta (pi_C(j) - pi_D(j))}),
//   T-(j) = j/Z * (Z - j)/(Z - 1) * 1 / (1 + e^{+beta (pi_C(j) - pi_D(j))}),
// so T-(j)/T+(j) = e^{-beta (pi_C(j) - pi_D(j))}, and the fixation probability of a
// single cooperator is
//   rho_C = 1 / sum_{k=0}^{Z-1} prod_{j=1}^{k} T-(j)/T+(j),
// and of a single defector
//   rho_D = 1 / sum_{k=0}^{Z-1} prod_{j=Z-k}^{Z-1} T+(j)/T-(j).
// For the linear PGG with groups of N drawn without replacement (hypergeometric),
//   pi_C(j) - pi_D(j) = -c (1 - r (Z - N) / (N (Z - 1))) =: delta
// does not depend on j, so with g = e^{-beta delta} the sums are geometric:
//   rho_C = (1 - g) / (1 - g^Z),  rho_D = (1 - 1/g) / (1 - g^{-Z})   (both 1/Z when g = 1).
// Cooperation is favoured (delta > 0) only when r > N (Z - 1)/(Z - N), which is more
// than N in a finite population: one of the sets below has N < r < N (Z - 1)/(Z - N).
import { describe, expect, it } from 'vitest';
import model, { C, D, expectedPayoff, type LinearPggParams, params as schema } from '../../models/linear-pgg.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { fermiFixation, gameOfModel } from '../../src/analysis/index.ts';
import { simulate } from '../../src/engine/simulate.ts';

const MASTER = 'linear-pgg-fixation';

/**
 * The general product formula with the model's own expected payoffs, as the package
 * computes it (src/analysis: fermiFixation on the edge read from the model, in log space).
 */
function rhoProduct(p: LinearPggParams, beta: number, mutant: 'C' | 'D'): number {
  const game = gameOfModel(model, p);
  return fermiFixation(mutant === 'C' ? game.edge(C, D) : game.edge(D, C), p.Z, beta).rho;
}

/** The payoff difference pi_C - pi_D of the linear PGG with hypergeometric groups. */
function payoffGap(p: LinearPggParams): number {
  return -p.c * (1 - (p.r * (p.Z - p.N)) / (p.N * (p.Z - 1)));
}

/** The geometric closed form. */
function rhoClosed(p: LinearPggParams, beta: number, mutant: 'C' | 'D'): number {
  const g = Math.exp(-beta * payoffGap(p));
  if (Math.abs(g - 1) < 1e-15) return 1 / p.Z;
  return mutant === 'C' ? (1 - g) / (1 - g ** p.Z) : (1 - 1 / g) / (1 - g ** -p.Z);
}

interface Case {
  Z: number;
  N: number;
  r: number;
  beta: number;
  /** what the case shows */
  note: string;
}

const cases: Case[] = [
  { Z: 20, N: 5, r: 3, beta: 0.2, note: 'r < N: cooperation disfavoured' },
  { Z: 20, N: 5, r: 6, beta: 3, note: 'N < r < N(Z-1)/(Z-N): r > N yet disfavoured in a finite population' },
  { Z: 20, N: 5, r: 8, beta: 0.5, note: 'r > N(Z-1)/(Z-N): cooperation favoured' },
  { Z: 30, N: 4, r: 2, beta: 0.1, note: 'r < N, larger population' },
  { Z: 10, N: 3, r: 5, beta: 0.5, note: 'r > N, small population' },
];

/** Runs per mutant and case. */
const RUNS = 10_000;
/**
 * Tolerance in binomial standard errors. The fixation count of RUNS independent runs
 * is Binomial(RUNS, rho); each check is two-sided and there are 2 x 5 = 10 of them, so
 * with 4 SE the chance that a correct engine fails any of them is about
 * 10 x 6.3e-5 < 1e-3 (normal approximation; RUNS x rho >= 75 in every case below).
 */
const K_SE = 4;

describe('linear PGG, Fermi process: fixation probability of a single mutant (Traulsen, Pacheco and Nowak 2006, 2007)', () => {
  it('the product formula with the model payoffs equals the geometric closed form', () => {
    for (const k of cases) {
      const p = schema.parse({ Z: k.Z, N: k.N, r: k.r, c: 1, payoffs: 'expected' });
      // pi_C(j) - pi_D(j) is the same for every j
      for (let j = 1; j < k.Z; j++) {
        expect(expectedPayoff(p, j - 1, C) - expectedPayoff(p, j, D)).toBeCloseTo(payoffGap(p), 12);
      }
      for (const m of ['C', 'D'] as const) {
        expect(Math.abs(rhoProduct(p, k.beta, m) / rhoClosed(p, k.beta, m) - 1)).toBeLessThan(1e-10);
      }
      // neutral selection gives 1/Z
      expect(rhoClosed(p, 0, 'C')).toBeCloseTo(1 / k.Z, 12);
      expect(rhoProduct(p, 0, 'D')).toBeCloseTo(1 / k.Z, 12);
    }
  });

  for (const k of cases) {
    for (const mutant of ['C', 'D'] as const) {
      it(`Z=${k.Z} N=${k.N} r=${k.r} beta=${k.beta}, one ${mutant} (${k.note})`, () => {
        const one = 1 / k.Z;
        const initial = mutant === 'C' ? { C: one, D: 1 - one } : { C: 1 - one, D: one };
        const p = schema.parse({ Z: k.Z, N: k.N, r: k.r, c: 1, payoffs: 'expected', initial });
        const protocol: FermiProtocol = {
          rule: 'fermi',
          selectionIntensity: k.beta,
          revisionRate: 1,
          mutation: 0,
          updating: 'async',
        };
        const rho = rhoProduct(p, k.beta, mutant);
        const se = Math.sqrt((rho * (1 - rho)) / RUNS);
        // The test discriminates: a process with neutral fixation 1/Z would give a
        // fraction within K_SE of its own SE of 1/Z, which lies outside rho +- K_SE SE.
        const seNeutral = Math.sqrt((one * (1 - one)) / RUNS);
        expect(Math.abs(rho - one)).toBeGreaterThan(K_SE * (se + seNeutral));

        const start = initial.C * k.Z;
        let fixed = 0;
        for (let i = 0; i < RUNS; i++) {
          const seed = runSeed(MASTER, { model: model.name, ...p, protocol }, i);
          const res = simulate(model, p, protocol, { seed, rounds: 1_000_000, recordEvery: 1_000_000, stop: { absorbing: true } });
          expect(res.stoppedBy).toBe('absorbing');
          expect(res.values[0][0] * k.Z).toBeCloseTo(start, 9);
          const finalC = res.values[res.values.length - 1][0];
          if (mutant === 'C' ? finalC === 1 : finalC === 0) fixed++;
        }
        const frac = fixed / RUNS;
        const line =
          `fixation Z=${k.Z} N=${k.N} r=${k.r} beta=${k.beta} mutant ${mutant}: simulated ${frac.toFixed(4)}, analytic ${rho.toFixed(4)}, ` +
            `SE ${se.toFixed(4)}, z ${((frac - rho) / se).toFixed(2)}, neutral ${one.toFixed(4)}`;
        if (process.env.MIGOV_VERBOSE) console.log(line);
        expect(Math.abs(frac - rho), line).toBeLessThanOrEqual(K_SE * se);
      });
    }
  }
});
