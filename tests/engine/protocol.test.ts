// The revision protocols one decision at a time (src/engine/protocol.ts): makeDecide
// on a fixed population, with tiny models whose payoffs are written out here.
//
// Frequencies are checked to 5 standard errors of a binomial proportion,
// sqrt(p (1 - p) / n): a false alarm has probability about 6e-7 per check.
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/engine/model.ts';
import { type FermiProtocol, type LogitProtocol, makeDecide, type RothErevProtocol } from '../../src/engine/protocol.ts';
import { type TinyState, tableModel } from './table-model.ts';
import { createRng, type Rng } from '../../src/engine/rng.ts';

const base = { revisionRate: 1, mutation: 0, updating: 'async' as const };
const fermi = (selectionIntensity: number): FermiProtocol => ({ ...base, rule: 'fermi', selectionIntensity });
const logit = (temperature: number): LogitProtocol => ({ ...base, rule: 'logit', temperature });

/** How often decide(agent, 0) returns each strategy over n calls. The population does not change. */
function frequencies(model: Model<object, TinyState>, protocol: FermiProtocol | LogitProtocol, agent: number, n: number, seed: string): number[] {
  const rng = createRng(seed);
  const state = model.init({}, rng);
  const decide = makeDecide(model, {}, state, protocol, rng);
  const out = new Array<number>(state.pop.strategies).fill(0);
  for (let i = 0; i < n; i++) out[decide(agent, 0)]++;
  return out.map((x) => x / n);
}

function expectProportion(observed: number, p: number, n: number): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  if (se === 0) expect(observed).toBe(p);
  else expect(Math.abs(observed - p)).toBeLessThan(5 * se);
}

describe('Fermi rule', () => {
  it('adopts a better or worse strategy with probability 1 / (1 + exp(-beta (pb - pa)))', () => {
    // Traulsen, Nowak and Pacheco (2006), Phys Rev E 74:011909, eq. (2).
    const n = 20_000;
    for (const [beta, delta] of [
      [1, 0.5],
      [2, -1],
      [0, 3],
      [10, 0.1],
    ]) {
      // two agents: agent 0 on strategy 0 (payoff 0), agent 1 on strategy 1 (payoff delta)
      const f = frequencies(tableModel([0, delta], [0, 1]), fermi(beta), 0, n, `fermi-${beta}-${delta}`);
      expectProportion(f[1], 1 / (1 + Math.exp(-beta * delta)), n);
    }
  });

  it('meets each other agent with equal probability and never itself', () => {
    // five agents on five different strategies with equal payoffs: agent 2 keeps its
    // own with probability 1/2 and adopts each other agent's with probability 1/8
    const n = 40_000;
    const f = frequencies(tableModel([0, 0, 0, 0, 0], [0, 1, 2, 3, 4]), fermi(1), 2, n, 'fermi-partner');
    f.forEach((x, k) => expectProportion(x, k === 2 ? 1 / 2 : 1 / 8, n));
  });

  it('keeps the strategy when the partner plays the same one, whatever the payoffs', () => {
    expect(frequencies(tableModel([5, -100], [1, 1, 1, 1]), fermi(5), 0, 1000, 'same')).toEqual([0, 1]);
    // one of three partners plays the far better strategy 0: adopted only when met (1/3)
    const n = 20_000;
    const f = frequencies(tableModel([5, -100], [1, 1, 1, 0]), fermi(5), 0, n, 'same-2');
    expectProportion(f[0], 1 / 3, n);
  });

  it('never changes a lone agent', () => {
    const f = frequencies(tableModel([0, 1], [0]), fermi(1), 0, 100, 'lone');
    expect(f).toEqual([1, 0]);
  });
});

describe('logit rule', () => {
  it('with temperature 0 picks the best response', () => {
    const f = frequencies(tableModel([2, 5, 1], [0, 0]), logit(0), 0, 1000, 'best');
    expect(f).toEqual([0, 1, 0]);
  });

  it('with temperature 0 breaks ties uniformly at random', () => {
    const n = 30_000;
    const f = frequencies(tableModel([1, 3, 3, 0, 3], [0, 0]), logit(0), 0, n, 'ties');
    expect(f[0]).toBe(0);
    expect(f[3]).toBe(0);
    for (const k of [1, 2, 4]) expectProportion(f[k], 1 / 3, n);
  });

  it('with temperature T picks s with probability exp(p_s / T) / sum_j exp(p_j / T)', () => {
    const n = 30_000;
    for (const [table, T] of [
      [[0, 1, 2], 1],
      [[0.3, 0.1, 0.2, 0.25], 0.1],
      [[1000, 1001], 0.5],
    ] as const) {
      const f = frequencies(tableModel(table, [0, 0]), logit(T), 0, n, `logit-${T}`);
      const w = table.map((p) => Math.exp((p - Math.max(...table)) / T));
      const total = w.reduce((a, b) => a + b, 0);
      f.forEach((x, k) => expectProportion(x, w[k] / total, n));
    }
  });
});

describe('Roth-Erev rule', () => {
  /** A decision function fed a scripted list of uniform draws (each decision draws exactly one here). */
  function scripted(table: readonly number[], protocol: RothErevProtocol, floor: number) {
    return (draws: readonly number[]): number[] => {
      let i = 0;
      const rng: Rng = () => {
        if (i >= draws.length) throw new Error('script ran out of draws');
        return draws[i++];
      };
      const model = tableModel(table, [0], floor);
      const state = model.init({}, rng);
      const decide = makeDecide(model, {}, state, protocol, rng);
      return draws.map(() => decide(0, 0));
    };
  }

  /**
   * The share q_0 / sum_j q_j after a history of draws, read from outside: the
   * largest next draw u for which the agent still picks strategy 0 (it picks 0 iff
   * u * total < q_0), found by bisection on fresh replays of the history.
   */
  function shareOfFirst(run: (draws: readonly number[]) => number[], history: readonly number[]): number {
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      const picks = run([...history, mid]);
      if (picks[picks.length - 1] === 0) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  const protocol = (forgetting: number, experimentation: number, initialPropensity: number): RothErevProtocol => ({
    ...base,
    rule: 'roth-erev',
    forgetting,
    experimentation,
    initialPropensity,
  });

  it('follows the documented update on a worked example', () => {
    // Erev and Roth (1998), Am Econ Rev 88:848-881: q_j <- (1 - phi) q_j + E_j with
    // E_s = R (1 - eps), E_j = R eps / (S - 1), R = payoff - minPayoff.
    // Three strategies paying 3, 1, 2; minPayoff 0.5; phi = 0.1, eps = 0.2; q = (1, 1, 1).
    //  decision 1, draw 0   -> s = 0, R = 2.5: q = (0.9 + 2.0, 0.9 + 0.25, 0.9 + 0.25) = (2.9, 1.15, 1.15), total 5.2
    //  decision 2, draw 0.9 -> 0.9 * 5.2 = 4.68 >= 2.9 + 1.15 = 4.05, so s = 2, R = 1.5:
    //     q = (2.61 + 0.15, 1.035 + 0.15, 1.035 + 1.2) = (2.76, 1.185, 2.235), total 6.18
    //  decision 3 picks 0 iff u < 2.76 / 6.18, 1 iff u < (2.76 + 1.185) / 6.18, else 2.
    const run = scripted([3, 1, 2], protocol(0.1, 0.2, 1), 0.5);
    const history = [0, 0.9];
    expect(run(history)).toEqual([0, 2]);
    const t0 = 2.76 / 6.18;
    const t1 = 3.945 / 6.18;
    const d = 1e-9;
    expect(run([...history, t0 - d]).at(-1)).toBe(0);
    expect(run([...history, t0 + d]).at(-1)).toBe(1);
    expect(run([...history, t1 - d]).at(-1)).toBe(1);
    expect(run([...history, t1 + d]).at(-1)).toBe(2);
    expect(shareOfFirst(run, history)).toBeCloseTo(t0, 12);
  });

  it('reinforces nothing when the payoff is the model minimum, and picks uniformly when every propensity is 0', () => {
    // initial propensity 0: the first pick is floor(u * S); a payoff at the minimum
    // leaves every propensity at 0, so picks stay uniform
    const run = scripted([0, 0, 0], protocol(0.1, 0.2, 0), 0);
    expect(run([0.1, 0.5, 0.9, 0.4])).toEqual([0, 1, 2, 1]);
  });

  it('forgetting bounds the total propensity by max(q_total(0), R / phi); without it the total grows as R t', () => {
    // Both strategies pay R = 1 above the minimum; with eps = 0 every decision adds R
    // to the total, so total(t+1) = (1 - phi) total(t) + R. The total is read from two
    // consecutive shares: after a decision for strategy 1, p0' = (1 - phi) p0 T / ((1 - phi) T + R),
    // so T = p0' R / ((1 - phi) (p0 - p0')).
    const R = 1;
    const total = (phi: number, t: number): number => {
      const run = scripted([R, R], protocol(phi, 0, 1), 0);
      // t decisions, alternately for strategy 0 (draw 0) and 1 (a draw just below 1)
      const history = Array.from({ length: t }, (_, i) => (i % 2 === 0 ? 0 : 1 - 1e-12));
      const p0 = shareOfFirst(run, history);
      const p1 = shareOfFirst(run, [...history, 1 - 1e-12]); // then one for strategy 1
      return (p1 * R) / ((1 - phi) * (p0 - p1));
    };
    const phi = 0.05;
    for (const t of [0, 10, 100, 1000]) {
      const expected = (1 - phi) ** t * 2 + (R * (1 - (1 - phi) ** t)) / phi;
      expect(total(phi, t)).toBeCloseTo(expected, 6);
      expect(total(phi, t)).toBeLessThan(Math.max(2, R / phi) + 1e-6);
    }
    expect(total(0, 1000)).toBeCloseTo(2 + 1000 * R, 4);
  });

  it('chooses in proportion to propensities: a reinforced strategy is picked more often', () => {
    // one agent, strategy 0 pays 1 above the minimum and strategy 1 nothing, no
    // forgetting, no experimentation: q_1 stays 1 while q_0 grows by 1 each time it
    // is picked, so after many decisions strategy 1 is rare
    const rng = createRng('reinforce');
    const model = tableModel([1, 0], [0], 0);
    const state = model.init({}, rng);
    const decide = makeDecide(model, {}, state, protocol(0, 0, 1), rng);
    let late1 = 0;
    for (let i = 0; i < 2000; i++) {
      const s = decide(0, 0);
      if (i >= 1000 && s === 1) late1++;
    }
    // by then q_0 is about 1000: the chance of 1 is about 1/1000 per decision
    expect(late1).toBeLessThan(15);
  });
});
