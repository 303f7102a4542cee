// migration-flows mechanisms (docs/model.md §5.6): each is off by default, leaving every
// payoff bit-identical to the model without it, and each can raise or lower the payoff
// of the same level for the same state, depending on the world it is in.
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { params as schema } from '../../../models/migration-flows/parameters.ts';
import { payoff } from '../../../models/migration-flows/payoffs.ts';
import { onRound, type FlowsState } from '../../../models/migration-flows/state.ts';
import { createRng } from '../../../src/engine/rng.ts';

const BASE = { world: { N: 24, regions: 3 }, refugee: { crisisRate: 0.2 }, regime: { minParticipation: 0.2 }, initial: { U: 0.4, C: 0.3, M: 0.3 } };

function run(spec: Record<string, unknown>, seed: string, rounds = 5): FlowsState {
  const st = model.init(schema.parse(spec), createRng(seed)) as FlowsState;
  for (let t = 0; t < rounds; t++) onRound(st, t);
  return st;
}

function allPayoffs(st: FlowsState): number[] {
  const out: number[] = [];
  for (let i = 0; i < st.w.N; i++) for (let g = 0; g < 3; g++) for (let l = 0; l < 3; l++) out.push(payoff(st, i, g, l));
  return out;
}

/** A 6-state world: state 0 (income 1) shares region 0 with two states of income `others`; region 1 holds three states of income 1. */
function rows(others: number) {
  const r = [
    { name: 'a', x: 0, y: 0, population: 1, income: 1, region: 0 },
    { name: 'b', x: 0.1, y: 0, population: 1, income: others, region: 0 },
    { name: 'c', x: 0, y: 0.1, population: 1, income: others, region: 0 },
    { name: 'd', x: 5, y: 5, population: 1, income: 1, region: 1 },
    { name: 'e', x: 5.1, y: 5, population: 1, income: 1, region: 1 },
    { name: 'f', x: 5, y: 5.1, population: 1, income: 1, region: 1 },
  ];
  return r;
}

describe('mechanisms are off by default', () => {
  it('an explicit 0 for each mechanism gives bit-identical payoffs to the defaults', () => {
    for (const seed of ['mech-1', 'mech-2']) {
      const a = allPayoffs(run(BASE, seed));
      const b = allPayoffs(run({ ...BASE, mechanisms: { norms: 0, sidePayments: 0, linkage: 0, transitLeverage: 0 } }, seed));
      expect(b).toEqual(a);
      // absent, not 0, by default: a run's seed hashes its parameters (src/engine/rng.ts)
      expect(Object.keys(schema.parse(BASE).mechanisms)).toEqual(['norms']);
      expect(schema.parse({ ...BASE, mechanisms: {} }).mechanisms).toEqual({ norms: 0 });
    }
  });
});

describe('side payments', () => {
  const sideEffect = (others: number, level: number) => {
    // everyone in the level tested, so the institution's members are known
    const initial = { U: level === 0 ? 1 : 0, C: level === 1 ? 1 : 0, M: level === 2 ? 1 : 0 };
    const spec = (s: number) => ({ world: { rows: rows(others), neighbours: 2 }, regime: { minParticipation: 0.2 }, initial, mechanisms: { sidePayments: s } });
    const on = run(spec(0.1), 'mech-side');
    const off = run(spec(0), 'mech-side');
    return [0, 1, 2].map((g) => payoff(on, 0, g, level) - payoff(off, 0, g, level));
  };

  it('raise the payoff of a club for a state poorer than its fellow members and lower it for one richer, in every area', () => {
    for (const d of sideEffect(10, 1)) expect(d).toBeGreaterThan(0);
    for (const d of sideEffect(0.1, 1)) expect(d).toBeLessThan(0);
  });

  it('act on the regime by the same rule: a state below the members\' mean capacity gains, one above it pays', () => {
    for (const d of sideEffect(10, 2)) expect(d).toBeGreaterThan(0);
    for (const d of sideEffect(0.1, 2)) expect(d).toBeLessThan(0);
  });

  it('leave the unilateral level alone', () => {
    for (const d of sideEffect(10, 0)) expect(d).toBe(0);
  });
});

describe('facilitation', () => {
  // The organisation removes a share of the level's transaction cost and charges a
  // fee: where the level is dear, the saving exceeds the fee; where it is cheap, the
  // fee exceeds the saving.
  const facEffect = (costs: { club: number; regime: number }, level: number) => {
    const initial = { U: level === 0 ? 1 : 0, C: level === 1 ? 1 : 0, M: level === 2 ? 1 : 0 };
    const spec = (fac?: { share: number; fee: number }) => ({ world: { rows: rows(1), neighbours: 2 }, regime: { minParticipation: 0.2 }, costs, initial, mechanisms: fac ? { facilitation: fac } : {} });
    const on = run(spec({ share: 0.2, fee: 0.01 }), 'mech-fac');
    const off = run(spec(), 'mech-fac');
    return [0, 1, 2].map((g) => payoff(on, 0, g, level) - payoff(off, 0, g, level));
  };

  it('raise the payoff of a club or the regime where its transaction cost is high and lower it where it is low, in every area', () => {
    for (const level of [1, 2]) {
      for (const d of facEffect({ club: 0.1, regime: 0.1 }, level)) expect(d).toBeCloseTo(0.2 * 0.1 - 0.01, 12);
      for (const d of facEffect({ club: 0.01, regime: 0.01 }, level)) expect(d).toBeCloseTo(0.2 * 0.01 - 0.01, 12);
    }
  });

  it('leave the unilateral level alone', () => {
    for (const d of facEffect({ club: 0.1, regime: 0.1 }, 0)) expect(d).toBe(0);
  });
});

describe('transit leverage', () => {
  // Irregular area, everyone in the level tested: the members fund, by capacity, what
  // the states the members' routes cross receive, so a member crossed more than on
  // average per unit of capacity gains and the others pay; the transfers balance.
  const leverage = (level: number) => {
    const initial = { U: 0, C: level === 1 ? 1 : 0, M: level === 2 ? 1 : 0 };
    const spec = (tau?: number) => ({ ...BASE, irregular: { propensity: 0.05 }, initial, mechanisms: tau === undefined ? {} : { transitLeverage: tau } });
    const on = run(spec(0.5), 'mech-transit', 3);
    const off = run(spec(), 'mech-transit', 3);
    const d: number[] = [];
    for (let i = 0; i < on.w.N; i++) d.push(payoff(on, i, 1, level) - payoff(off, i, 1, level));
    return { d, st: on };
  };

  it('raise the payoff of a club or the regime for a state its members\' routes cross and lower it for one they do not, and balance', () => {
    for (const level of [1, 2]) {
      const { d, st } = leverage(level);
      expect(Math.max(...d)).toBeGreaterThan(0);
      expect(Math.min(...d)).toBeLessThan(0);
      // in the regime, every member's transfer x capacity sums to 0
      if (level === 2) expect(d.reduce((a, x, i) => a + x * st.w.capacity[i], 0)).toBeCloseTo(0, 12);
    }
  });

  it('act on the irregular area only', () => {
    const initial = { U: 0, C: 1, M: 0 };
    const on = run({ ...BASE, initial, mechanisms: { transitLeverage: 0.5 } }, 'mech-transit', 3);
    const off = run({ ...BASE, initial }, 'mech-transit', 3);
    for (let i = 0; i < on.w.N; i++) for (const g of [0, 2]) for (const l of [0, 1, 2]) expect(payoff(on, i, g, l)).toBe(payoff(off, i, g, l));
  });
});

describe('linkage', () => {
  // State 0 is richer than its club fellows, so irregular migrants from them stay with
  // it; no crises, so only the irregular area is linked to the skilled one. A state
  // that weighs security gains from the club's enforcement; one that weighs the
  // economy loses the migrants' labour by it.
  const security = { rights: 0, security: 0.9, economy: 0.1, concentration: 1e6 };
  const economy = { rights: 0, security: 0.1, economy: 0.9, concentration: 1e6 };
  const linkEffect = (valuation: typeof security, level: number) => {
    const initial = { U: level === 0 ? 1 : 0, C: level === 1 ? 1 : 0, M: level === 2 ? 1 : 0 };
    const spec = (lam: number) => ({ world: { rows: rows(0.1), neighbours: 2 }, regime: { minParticipation: 0.2 }, valuation, refugee: { crisisRate: 0 }, initial, mechanisms: { linkage: lam } });
    const on = run(spec(0.5), 'mech-link');
    const off = run(spec(0), 'mech-link');
    return payoff(on, 0, 2, level) - payoff(off, 0, 2, level);
  };

  it('raise the payoff of a skilled mobility agreement when the linked readmission cooperation pays the state, and lower it when it costs, at C and at M alike', () => {
    for (const level of [1, 2]) {
      expect(linkEffect(security, level)).toBeGreaterThan(0);
      expect(linkEffect(economy, level)).toBeLessThan(0);
    }
  });

  it('leave the unilateral level alone', () => {
    expect(linkEffect(security, 0)).toBe(0);
  });
});
