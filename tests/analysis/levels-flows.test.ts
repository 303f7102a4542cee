// One-shot best responses of the flows model at a run's final state (src/analysis/levels-flows.ts).
import { describe, expect, it } from 'vitest';
import { FLOWS_NO_STAGE_GAME, flowsBestResponses } from '../../src/analysis/levels-flows.ts';
import { analyze } from '../../src/index.ts';
import { runIdentity, runSeed } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { modelOf, resolveSpec } from '../../src/experiment/load.ts';

function spec(temperature: number) {
  return resolveSpec('experiments/flows-baseline.yaml', ['rounds=20', 'recordEvery=20', `protocol.temperature=${temperature}`]);
}

describe('flowsBestResponses', () => {
  it('evaluates the same final state as the run (same seed): its level shares are the run\'s final shares', () => {
    const s = spec(0.1);
    const res = flowsBestResponses(s, { replications: 1 });
    const run = simulate(modelOf(s), s.params, s.protocol, { seed: runSeed(s.seed, runIdentity(s.model, s.params, s.protocol), 0), rounds: s.rounds, recordEvery: s.recordEvery });
    const last = run.values[run.values.length - 1];
    for (const r of res) {
      for (const [l, name] of ['U', 'C', 'M'].entries()) {
        expect(r.shares[l]).toBeCloseTo(last[run.metrics.indexOf(`share_${r.issueArea}_${name}`)], 12);
      }
    }
  });

  it('shares sum to 1, a Nash equilibrium is exactly every state at a best response, and near T 0 the logit response is the best response', () => {
    const res = flowsBestResponses(spec(1e-6), { replications: 1 });
    expect(res.map((r) => r.issueArea)).toEqual(['refugee', 'irregular', 'skilled']);
    for (const r of res) {
      for (const s of [r.shares, r.bestShares, r.logitShares!]) expect(s[0] + s[1] + s[2]).toBeCloseTo(1, 12);
      expect(r.nash).toBe(r.atBestResponse === 1);
      expect(r.nash).toBe(r.largestGain <= 1e-9);
      for (let l = 0; l < 3; l++) expect(r.logitShares![l]).toBeCloseTo(r.bestShares[l], 6);
    }
  });

  it('refuses another model', () => {
    expect(() => flowsBestResponses('experiments/baseline.yaml')).toThrow(/not migration-flows/);
  });

  it('analyze() in the API answers for a flows spec with flows (no analysis), after the budget check', async () => {
    const s = spec(0.1);
    const res = await analyze({ name: 'api-flows', model: 'migration-flows', protocol: { rule: 'logit', temperature: 0.1 }, rounds: 10, replications: 2, seed: s.seed });
    expect(res.analysis).toBeNull();
    expect(res.dir).toBeNull();
    const flows = res.flows!;
    expect(flows.statement).toBe(FLOWS_NO_STAGE_GAME);
    expect(flows.areas).toHaveLength(6);
    for (const a of flows.areas) {
      expect(a.levels).toHaveLength(flows.states.length);
      // the per-state lists agree with the shares and the Nash verdict
      for (let l = 0; l < 3; l++) expect(a.bestResponses.filter((b) => b === l).length / flows.states.length).toBeCloseTo(a.bestShares[l], 12);
      expect(a.nash).toBe(a.gains.every((g) => g <= flows.tolerance));
    }
    for (const m of flows.summary) expect(m.nashCount).toBe(flows.areas.filter((a) => a.issueArea === m.issueArea && a.nash).length);
    await expect(analyze({ name: 'huge', model: 'migration-flows', rounds: 1_000_000, replications: 100_000 })).rejects.toThrow(/allowLarge: true/);
  }, 60_000);
});
