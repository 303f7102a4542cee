// The symmetric 2x2 matrix game (models/matrix-game.ts): payoffs against the whole population.
import { modelMetrics } from '../../src/engine/model.ts';
import { describe, expect, it } from 'vitest';
import model, { A, B, expectedPayoff, params as schema } from '../../models/matrix-game.ts';
import { findModel } from '../../models/index.ts';
import { setChoice } from '../../src/engine/population.ts';
import { createRng } from '../../src/engine/rng.ts';

describe('matrix-game payoffs', () => {
  it('defaults to the stag hunt 4, 0, 3, 3 with B (hare) risk dominant', () => {
    const p = schema.parse({});
    expect([p.a, p.b, p.c, p.d]).toEqual([4, 0, 3, 3]);
    // risk dominance of B: d - b > a - c
    expect(p.d - p.b).toBeGreaterThan(p.a - p.c);
    expect(findModel('matrix-game')).toBe(model);
  });

  it('averages the matrix entries over the other Z - 1 agents, excluding the focal agent', () => {
    // Z = 5 with 2 A-players (agents 0 and 1) and 3 B-players.
    const p = schema.parse({ Z: 5, a: 5, b: 1, c: 2, d: 7, initial: { A: 0.4, B: 0.6 } });
    const state = model.init(p, createRng('unit'));
    for (let i = 0; i < 5; i++) setChoice(state.pop, i, 0, i < 2 ? A : B);
    const rng = createRng('unused');
    // focal A (agent 0): others are 1 A and 3 B
    expect(model.payoff(state, 0, 0, A, rng)).toBeCloseTo((5 * 1 + 1 * 3) / 4, 12);
    expect(model.payoff(state, 0, 0, B, rng)).toBeCloseTo((2 * 1 + 7 * 3) / 4, 12);
    // focal B (agent 4): others are 2 A and 2 B
    expect(model.payoff(state, 4, 0, A, rng)).toBeCloseTo((5 * 2 + 1 * 2) / 4, 12);
    expect(model.payoff(state, 4, 0, B, rng)).toBeCloseTo((2 * 2 + 7 * 2) / 4, 12);
    expect(expectedPayoff(p, 2, A)).toBeCloseTo(3, 12);
    // mean payoff: 2 A-players earn 2 each, 3 B-players earn 4.5 each
    const mean = modelMetrics(model, {}).find((m) => m.name === 'mean_payoff');
    expect(mean?.value(state)).toBeCloseTo((2 * 2 + 3 * 4.5) / 5, 12);
    expect(model.minPayoff?.(p)).toBe(1);
  });

  it('sampled payoffs are matrix entries whose average is the expected payoff', () => {
    const p = schema.parse({ Z: 10, payoffs: 'sampled', initial: { A: 0.3, B: 0.7 } });
    const state = model.init(p, createRng('unit-sampled'));
    const rng = createRng('draws');
    const focal = Array.from(state.pop.choice).indexOf(B);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = model.payoff(state, focal, 0, A, rng);
      expect(v === p.a || v === p.b).toBe(true);
      sum += v;
    }
    // 3 of the 9 others play A: expectation 4 * 3/9 = 4/3; the entry has sd 4 sqrt(2/9),
    // so the mean of n draws has standard error 1.886 / sqrt(n) = 0.0133; 4 SE.
    const expected = expectedPayoff({ ...p, payoffs: 'expected' }, 3, A);
    expect(expected).toBeCloseTo(4 / 3, 12);
    expect(Math.abs(sum / n - expected)).toBeLessThan((4 * 4 * Math.sqrt(2 / 9)) / Math.sqrt(n));
  });
});
