// The analytic twin against the simulator: every exact result here is one the
// simulation can measure, and they must agree within 4 standard errors (two-sided;
// a false alarm chance of 6e-5 per check, 3 checks).
//
// Seeds: the master seed 'analysis-twin-simulated' was written into this file before
// its first run and is used by no other test; run seeds derive from it with runSeed as
// for any run. Sizes are kept small (Z 10 and 12) so the file runs in seconds.
import { describe, expect, it } from 'vitest';
import linear, { params as linearParams } from '../../models/linear-pgg.ts';
import matrix, { params as matrixParams } from '../../models/matrix-game.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { createSimulation, simulate } from '../../src/engine/simulate.ts';
import { fermiFixation, gameOfModel, stationaryDistribution, transitions } from '../../src/analysis/index.ts';

const MASTER = 'analysis-twin-simulated';
const K_SE = 4;

describe('fixation probabilities: analytic against simulated', () => {
  // Z 10, N 3, r 5, beta 0.5: cooperation favoured (r > N (Z - 1)/(Z - N) = 3.86), so
  // rho_C is well above 1/Z and rho_D well below; RUNS runs from one mutant each.
  const RUNS = 4000;
  for (const mutant of ['C', 'D'] as const) {
    it(`linear PGG Z 10, one ${mutant}`, () => {
      const Z = 10;
      const initial = mutant === 'C' ? { C: 0.1, D: 0.9 } : { C: 0.9, D: 0.1 };
      const p = linearParams.parse({ Z, N: 3, r: 5, initial });
      const protocol: FermiProtocol = { rule: 'fermi', selectionIntensity: 0.5, revisionRate: 1, mutation: 0, updating: 'async' };
      const game = gameOfModel(linear, p);
      const rho = fermiFixation(mutant === 'C' ? game.edge(0, 1) : game.edge(1, 0), Z, 0.5).rho;
      const se = Math.sqrt((rho * (1 - rho)) / RUNS);
      // discriminating: the neutral 1/Z lies outside the band
      expect(Math.abs(rho - 1 / Z)).toBeGreaterThan(2 * K_SE * se);
      let fixed = 0;
      for (let i = 0; i < RUNS; i++) {
        const res = simulate(linear, p, protocol, { seed: runSeed(MASTER, { model: 'linear-pgg', ...p, protocol }, i), rounds: 100_000, recordEvery: 100_000, stop: { absorbing: true } });
        const finalC = res.values[res.values.length - 1][0];
        if (mutant === 'C' ? finalC === 1 : finalC === 0) fixed++;
      }
      const frac = fixed / RUNS;
      expect(Math.abs(frac - rho), `simulated ${frac}, analytic ${rho}, SE ${se}`).toBeLessThanOrEqual(K_SE * se);
    });
  }
});

describe('full-chain stationary distribution: analytic against simulated', () => {
  // Stag hunt (defaults 4, 0, 3, 3), Z 12, Fermi beta 1, mutation 0.05. REPLICATIONS
  // independent runs, each burnt in and observed every round; the spread of their
  // time averages gives the standard error of the mean share of A.
  const REPLICATIONS = 40;
  const BURN_IN = 200;
  const OBSERVED = 1500;
  for (const convention of ['any'] as const) {
    it(`stag hunt Z 12, mutation 0.05 (convention '${convention}', the engine's)`, () => {
      const Z = 12;
      const p = matrixParams.parse({ Z });
      const protocol: FermiProtocol = { rule: 'fermi', selectionIntensity: 1, revisionRate: 1, mutation: 0.05, updating: 'async' };
      const edge = gameOfModel(matrix, p).edge(0, 1);
      const t = transitions(edge, Z, { rule: 'fermi', beta: 1 }, { rate: 0.05, convention, strategies: 2 });
      const pi = stationaryDistribution(t.logUp, t.logDown)!;
      const exact = Array.from(pi.p).reduce((s, x, k) => s + (x * k) / Z, 0);
      // the other convention's mean, which the check must tell apart
      const o = transitions(edge, Z, { rule: 'fermi', beta: 1 }, { rate: 0.05, convention: 'other', strategies: 2 });
      const other = Array.from(stationaryDistribution(o.logUp, o.logDown)!.p).reduce((s, x, k) => s + (x * k) / Z, 0);
      const means: number[] = [];
      for (let rep = 0; rep < REPLICATIONS; rep++) {
        const sim = createSimulation(matrix, p, protocol, runSeed(MASTER, { model: 'matrix-game', ...p, protocol }, rep));
        for (let s = 0; s < BURN_IN; s++) sim.step();
        let acc = 0;
        for (let s = 0; s < OBSERVED; s++) {
          sim.step();
          acc += sim.state.pop.counts[0] / Z;
        }
        means.push(acc / OBSERVED);
      }
      const m = means.reduce((a, b) => a + b, 0) / REPLICATIONS;
      const se = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (REPLICATIONS - 1) / REPLICATIONS);
      expect(Math.abs(other - exact)).toBeGreaterThan(2 * K_SE * se);
      expect(Math.abs(m - exact), `simulated ${m}, exact ${exact}, SE ${se}, other convention ${other}`).toBeLessThanOrEqual(K_SE * se);
    });
  }
});
