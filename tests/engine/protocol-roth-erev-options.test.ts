// Roth-Erev's options (src/engine/protocol.ts): the reinforcement ('payoff', 'raw',
// 'advantage') and per-strategy initial propensities, one decision at a time on a
// tiny model whose payoffs are written out here; the spec validation of the new
// fields; and the outputs of specs without them, locked to the bytes they gave
// before the options existed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/engine/model.ts';
import { makeDecide, RAW_PROPENSITY_FLOOR, type RothErevProtocol } from '../../src/engine/protocol.ts';
import { type TinyState, tableModel } from './table-model.ts';
import { createRng, runIdentity, runSeed, type Rng } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { SpecError } from '../../src/experiment/errors.ts';
import { modelOf, resolveSpec } from '../../src/experiment/load.ts';

const roth = (extra: Partial<RothErevProtocol>): RothErevProtocol => ({ revisionRate: 1, mutation: 0, updating: 'async', rule: 'roth-erev', forgetting: 0.1, experimentation: 0.2, initialPropensity: 1, ...extra });

/** Agent 0's decisions, fed a scripted list of uniform draws (each decision draws exactly one here). */
function scripted(model: Model<object, TinyState>, protocol: RothErevProtocol) {
  return (draws: readonly number[]): number[] => {
    let i = 0;
    const rng: Rng = () => {
      if (i >= draws.length) throw new Error('script ran out of draws');
      return draws[i++];
    };
    const state = model.init({}, rng);
    const decide = makeDecide(model, {}, state, protocol, rng);
    return draws.map(() => decide(0, 0));
  };
}

/**
 * The choice probabilities after a history, read from outside: strategy k is picked
 * iff u * total falls in [q_0 + ... + q_{k-1}, q_0 + ... + q_k), so the cumulative
 * shares are the draws where the pick changes, found by bisection on replays.
 */
function shares(run: (draws: readonly number[]) => number[], history: readonly number[], K: number): number[] {
  const cumulative: number[] = [];
  for (let k = 0; k < K - 1; k++) {
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (run([...history, mid]).at(-1)! <= k) lo = mid;
      else hi = mid;
    }
    cumulative.push(lo);
  }
  cumulative.push(1);
  return cumulative.map((c, k) => c - (k === 0 ? 0 : cumulative[k - 1]));
}

const expectShares = (got: number[], q: number[]) => {
  const total = q.reduce((a, b) => a + b, 0);
  got.forEach((x, k) => expect(x).toBeCloseTo(q[k] / total, 12));
};

describe('Roth-Erev reinforcement, two rounds by hand', () => {
  // Three strategies paying 3, -2, 2; the model's lowest payoff -2; forgetting 0.1,
  // experimentation 0.2 (so 0.1 to each other strategy); every propensity 1; the agent
  // currently plays strategy 2. Draw 0 picks strategy 0; draw 0.7 then picks strategy 1
  // in all three cases below (0.7 x total falls between q_0 and q_0 + q_1).
  const table = [3, -2, 2];
  const history = [0, 0.7];

  it("'payoff' (the default): R = payoff - lowest payoff", () => {
    // round 1: s 0, R = 3 + 2 = 5: q = (0.9 + 4, 0.9 + 0.5, 0.9 + 0.5) = (4.9, 1.4, 1.4), total 7.7
    // round 2: 0.7 x 7.7 = 5.39 in [4.9, 6.3): s 1, R = -2 + 2 = 0: q = (4.41, 1.26, 1.26)
    for (const p of [roth({}), roth({ reinforce: 'payoff' })]) {
      const run = scripted(tableModel(table, [2], -2), p);
      expect(run(history)).toEqual([0, 1]);
      expectShares(shares(run, [0], 3), [4.9, 1.4, 1.4]);
      expectShares(shares(run, history, 3), [4.41, 1.26, 1.26]);
    }
  });

  it("'raw': R = the payoff itself, and no propensity below 0.0001 (Erev and Roth 1998)", () => {
    expect(RAW_PROPENSITY_FLOOR).toBe(1e-4);
    // round 1: s 0, R = 3: q = (0.9 + 2.4, 0.9 + 0.3, 0.9 + 0.3) = (3.3, 1.2, 1.2), total 5.7
    // round 2: 0.7 x 5.7 = 3.99 in [3.3, 4.5): s 1, R = -2:
    //   q = (2.97 - 0.2, 1.08 - 1.6, 1.08 - 0.2) = (2.77, -0.52, 0.88), floored: (2.77, 0.0001, 0.88)
    const run = scripted(tableModel(table, [2], -2), roth({ reinforce: 'raw' }));
    expect(run(history)).toEqual([0, 1]);
    expectShares(shares(run, [0], 3), [3.3, 1.2, 1.2]);
    expectShares(shares(run, history, 3), [2.77, 1e-4, 0.88]);
    // the floored strategy is still picked, with probability 0.0001 / 3.6501
    expect(run([...history, 2.77 / 3.6501 + 0.5e-4 / 3.6501]).at(-1)).toBe(1);
  });

  it("'advantage': R = max(0, payoff - the status quo's payoff)", () => {
    // status quo strategy 2 pays 2
    // round 1: s 0, R = 3 - 2 = 1: q = (0.9 + 0.8, 0.9 + 0.1, 0.9 + 0.1) = (1.7, 1.0, 1.0), total 3.7
    // round 2: 0.7 x 3.7 = 2.59 in [1.7, 2.7): s 1, R = max(0, -2 - 2) = 0: q = (1.53, 0.9, 0.9)
    const run = scripted(tableModel(table, [2], -2), roth({ reinforce: 'advantage' }));
    expect(run(history)).toEqual([0, 1]);
    expectShares(shares(run, [0], 3), [1.7, 1, 1]);
    expectShares(shares(run, history, 3), [1.53, 0.9, 0.9]);
  });
});

describe('Roth-Erev per-strategy initial propensities', () => {
  const q0 = [1, 2, 7];

  it('set the first choice probabilities exactly: q_k / sum q', () => {
    const run = scripted(tableModel([1, 1, 1], [0], 0), roth({ initialPropensity: q0 }));
    expectShares(shares(run, [], 3), q0);
    // and the first update starts from them: s 2 (draw 0.9), R 1: q = (0.9 + 0.1, 1.8 + 0.1, 6.3 + 0.8)
    expectShares(shares(run, [0.9], 3), [1, 1.9, 7.1]);
  });

  it('over 30,000 agents, seeded, the first choices fit 0.1, 0.2, 0.7 (chi-square, 2 df, below 27.6: p 1e-6)', () => {
    const n = 30_000;
    const model = tableModel([1, 1, 1], new Array<number>(n).fill(0), 0);
    const rng = createRng('initial-propensities');
    const state = model.init({}, rng);
    const decide = makeDecide(model, {}, state, roth({ initialPropensity: q0 }), rng);
    const counts = [0, 0, 0];
    for (let a = 0; a < n; a++) counts[decide(a, 0)]++;
    const chi2 = counts.reduce((sum, c, k) => sum + (c - (n * q0[k]) / 10) ** 2 / ((n * q0[k]) / 10), 0);
    expect(chi2).toBeLessThan(27.6);
    // the same test would see a uniform start: its chi-square is in the thousands
    const uniform = counts.reduce((sum, c) => sum + (c - n / 3) ** 2 / (n / 3), 0);
    expect(uniform).toBeGreaterThan(1000);
  });

  it('equal to one number, give the same run as that number (same seed)', () => {
    const spec = resolveSpec({ name: 'a', model: 'linear-pgg', params: { Z: 30, N: 5, r: 3 }, rounds: 40, protocol: { rule: 'roth-erev', initialPropensity: 2 } });
    const list = { ...spec.protocol, initialPropensity: [2, 2] } as RothErevProtocol;
    const opts = { seed: 'same', rounds: 40, recordEvery: 1 };
    expect(simulate(modelOf(spec), spec.params, list, opts)).toEqual(simulate(modelOf(spec), spec.params, spec.protocol, opts));
  });
});

describe('Roth-Erev options in a spec', () => {
  const spec = (protocol: Record<string, unknown>) => ({ name: 'r', model: 'linear-pgg', params: { Z: 30, N: 5, r: 3 }, protocol: { rule: 'roth-erev', ...protocol } });

  it('accepts raw reinforcement and one initial propensity per strategy', () => {
    const s = resolveSpec(spec({ reinforce: 'raw', initialPropensity: [1, 3] }));
    expect(s.protocol).toMatchObject({ reinforce: 'raw', initialPropensity: [1, 3] });
  });

  it('refuses a list of the wrong length, naming the field, the values and the strategies', () => {
    let error: unknown;
    try {
      resolveSpec(spec({ initialPropensity: [1, 2, 3] }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const text = String((error as Error).message);
    expect(text).toContain('protocol.initialPropensity');
    expect(text).toContain('got 3 values [1, 2, 3]');
    expect(text).toMatch(/2 strategies \(C, D\)/);
  });

  it('refuses a negative propensity, an empty list and an unknown reinforcement', () => {
    for (const [p, field] of [
      [{ initialPropensity: [1, -1] }, 'protocol.initialPropensity'],
      [{ initialPropensity: [] }, 'protocol.initialPropensity'],
      [{ reinforce: 'payoffs' }, 'protocol.reinforce'],
    ] as const) {
      expect(() => resolveSpec(spec(p))).toThrow(field);
    }
  });

  it('regression, locked to the bytes before the options existed: specs without them give the same runs', () => {
    // sha256 of JSON.stringify(simulate(...)) computed with the code before reinforce 'raw'
    // and list-valued initialPropensity were added, for the seed a run of the spec gets
    const expected = [
      ['7bb07f8782cbac725c7a7cfccf778dc8', '5fbf13da283136a769d6c28fdd11b9d7e82f26334a4e610b886933df63d5a389'],
      ['7d92e4af7924d21e2657de0d9fbc6f07', '524a8c37d1f0f7d04ebe33711bb31ef04c76f1fabc8a0cac22906ee1430ab862'],
    ];
    const protocols = [{ rule: 'roth-erev' }, { rule: 'roth-erev', reinforce: 'advantage', initialPropensity: 2 }];
    protocols.forEach((protocol, i) => {
      const s = resolveSpec({ name: 'g', model: 'linear-pgg', seed: 7, params: { Z: 40, N: 5, r: 3 }, rounds: 60, protocol });
      expect(Object.keys(s.protocol)).not.toContain(i === 0 ? 'reinforce' : 'none');
      const seed = runSeed(s.seed, runIdentity(s.model, s.params, s.protocol), 0);
      const res = simulate(modelOf(s), s.params, s.protocol, { seed, rounds: s.rounds, recordEvery: 1 });
      expect([seed, createHash('sha256').update(JSON.stringify(res)).digest('hex')]).toEqual(expected[i]);
    });
  });
});
