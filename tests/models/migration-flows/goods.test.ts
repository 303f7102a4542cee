// migration-flows: measured excludability and rivalry (issue 14) against values
// computed by hand on worlds built so that the answer is known: a regime whose
// transit member cuts irregular crossings bound for a regime member downstream, to
// the gain of the non-member between them (a public good), a regional club whose
// enforcement diverts crossings onto an outsider (a club good), and a skilled mobility agreement (a private good, by a brute-force
// O(N^2) evaluation of the choice rule written out here, not the model's aggregates).
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { measureGoods } from '../../../models/migration-flows/metrics.ts';
import { IRREGULAR, SKILLED, params as schema, type StateRow } from '../../../models/migration-flows/parameters.ts';
import { onRound, onSwitch, type FlowsState } from '../../../models/migration-flows/state.ts';
import { setChoice } from '../../../src/engine/population.ts';
import { createRng } from '../../../src/engine/rng.ts';

const row = (name: string, x: number, y: number, income: number, region = 0): StateRow => ({ name, x, y, population: 1, income, region });

/** A state of the model on the given rows with the given choices (area, state, level), aims set to one weight, and one round of flows. */
function world(rows: StateRow[], k: number, choices: [number, number, number][], aims: { rights: number; security: number; economy: number }, extra: Record<string, unknown> = {}): FlowsState {
  const p = schema.parse({ world: { rows, neighbours: k }, refugee: { crisisRate: 0 }, ...extra });
  const st = model.init(p, createRng('goods')) as FlowsState;
  for (const [g, i, l] of choices) {
    const from = setChoice(st.pop, i, g, l);
    onSwitch(st, i, g, from, l);
  }
  st.wR.fill(aims.rights);
  st.wS.fill(aims.security);
  st.wE.fill(aims.economy);
  onRound(st, 0);
  measureGoods(st);
  return st;
}

const SECURITY = { rights: 0, security: 1, economy: 0 };

describe('measured goods properties', () => {
  it('a public good: a regime member in transit cuts crossings bound for a regime member downstream, and the non-member between them gains too', () => {
    // O -> T1 -> T2 -> D on a line; O and T1 are low-income (T1 also sends, along T1 -> T2 -> D), D the only
    // top-quartile state. The regime is T1 and D (in force with 2 of 4). Since the level-symmetry change
    // (docs/model.md §5.12) a regime member cuts only flows bound for regime members, as a club member does.
    const rows = [row('O', 0, 0, 0.2), row('T1', 1, 0, 0.6), row('T2', 2, 0, 0.7), row('D', 3, 0, 2.3)];
    const st = world(rows, 1, [[IRREGULAR, 1, 2], [IRREGULAR, 3, 2]], SECURITY, { irregular: { diversion: 0 }, regime: { minParticipation: 0.5 } });
    expect(Array.from(st.w.routeNodes.subarray(st.w.routeStart[0], st.w.routeStart[1]))).toEqual([1, 2, 3]);
    expect(Array.from(st.w.routeNodes.subarray(st.w.routeStart[1], st.w.routeStart[2]))).toEqual([2, 3]);
    const { U: eU, M: eM } = st.p.irregular.enforcement;
    const m = st.p.irregular.propensity;
    // security cost 1 per crossing or stay. Without the regime everyone cuts at eU.
    // T1 sees O's flow: m (1 - eM) instead of m (1 - eU);
    const bT1 = m * (eM - eU);
    // T2 (outside) sees O's flow after T1's cut: m (1 - eM)(1 - eU) instead of m (1 - eU)^2; T1's flow is unchanged;
    const bT2 = m * (1 - eU) * (eM - eU);
    // D keeps m (1 - eM)(1 - eU)(1 - eM) of O's flow and m (1 - eU)(1 - eM) of T1's, instead of m (1 - eU)^3 and m (1 - eU)^2
    const bD = m * ((1 - eU) ** 3 + (1 - eU) ** 2 - (1 - eM) ** 2 * (1 - eU) - (1 - eU) * (1 - eM));
    expect(st.goods[IRREGULAR * 2]).toBeCloseTo(bT2 / (bT1 + bT2 + bD), 12);
    // the joiner (T2, largest capacity outside) cuts both flows at eM: T1 unchanged, D keeps m (1 - eM)^3 + m (1 - eM)^2
    const bD1 = m * ((1 - eU) ** 3 + (1 - eU) ** 2 - (1 - eM) ** 3 - (1 - eM) ** 2);
    const B = bT1 + bD;
    expect(st.goods[IRREGULAR * 2 + 1]).toBeCloseTo((B - (bT1 + bD1)) / B, 12);
    // no refugee or skilled institution: undefined
    expect(st.goods[0]).toBeNaN();
    expect(st.goods[SKILLED * 2]).toBeNaN();
  });

  it('a regime member no longer cuts flows bound for a non-member (level symmetry): a lone regime member in transit changes nothing', () => {
    const rows = [row('O', 0, 0, 0.2), row('T', 1, 0, 0.5), row('D', 2, 0, 2.3)];
    const st = world(rows, 1, [[IRREGULAR, 1, 2]], SECURITY, { irregular: { diversion: 0 }, regime: { minParticipation: 0.3 } });
    expect(st.lvl[1 * 3 + IRREGULAR]).toBe(2);
    const eU = st.p.irregular.enforcement.U;
    expect(st.irr.transit[1]).toBeCloseTo(st.p.irregular.propensity * (1 - eU), 14);
    // nobody gains from the institution: undefined
    expect(st.goods[IRREGULAR * 2]).toBeNaN();
  });

  it('a club good: a club\'s enforcement on flows to its members diverts crossings onto an outsider, who gains nothing: excludability 0', () => {
    // O(1) -> T(0) -> D(0), X(1) beside T and D; club of region 0: T and D
    const rows = [row('O', 0, 0, 0.2, 1), row('T', 1, 0, 0.5, 0), row('D', 2, 0, 2.3, 0), row('X', 1, 1, 1, 1)];
    const st = world(rows, 2, [[IRREGULAR, 1, 1], [IRREGULAR, 2, 1]], SECURITY, { irregular: { diversion: 0.5 } });
    expect(Array.from(st.w.routeNodes.subarray(st.w.routeStart[0], st.w.routeStart[1]))).toEqual([1, 2]);
    expect(st.lvl[1 * 3 + IRREGULAR]).toBe(1);
    expect(st.goods[IRREGULAR * 2]).toBe(0);
    // no state of region 0 is left to join
    expect(st.goods[IRREGULAR * 2 + 1]).toBeNaN();
  });

  it('a private good: a skilled mobility agreement between A and B draws skills from J; excludability and rivalry as the choice rule gives them by brute force', () => {
    const rows = [row('A', 0, 0, 1.5), row('B', 1, 0, 1.2), row('J', 0, 1, 0.3)];
    const st = world(rows, 2, [[SKILLED, 0, 1], [SKILLED, 1, 1]], { rights: 0, security: 0, economy: 1 });
    const o = st.p.skilled.openness;
    const eps = st.p.skilled.incomeElasticity;
    const pool = st.p.skilled.pool;
    const y = st.w.income;
    // V_i = immigrants - emigrants, by the definition: origin o weighs home 2 y_o^eps, j != o by y_j^eps (1 + openness of j toward o)
    const values = (level: number[]): number[] => {
      const V = [0, 0, 0];
      for (let a = 0; a < 3; a++) {
        const w = [0, 1, 2].map((j) => (j === a ? 2 : 1 + (level[j] === 1 && level[a] === 1 ? o.C : level[j] === 2 && level[a] === 2 ? o.M : o.U)) * Math.pow(y[j], eps));
        const Z = w[0] + w[1] + w[2];
        for (let j = 0; j < 3; j++) {
          if (j === a) continue;
          V[j] += (pool * w[j]) / Z;
          V[a] -= (pool * w[j]) / Z;
        }
      }
      return V;
    };
    const without = values([0, 0, 0]);
    const withClub = values([1, 1, 0]);
    const withJ = values([1, 1, 1]);
    const d = withClub.map((v, i) => v - without[i]);
    const pos = d.map((x) => Math.max(0, x));
    expect(st.goods[SKILLED * 2]).toBeCloseTo(pos[2] / (pos[0] + pos[1] + pos[2]), 12);
    expect(d[2]).toBeLessThan(0);
    const B = d[0] + d[1];
    const B1 = withJ[0] - without[0] + (withJ[1] - without[1]);
    expect(st.goods[SKILLED * 2 + 1]).toBeCloseTo((B - B1) / B, 12);
  });

  it('the regime\'s mobility agreement acts like a club\'s (level symmetry): open to the members\' nationals only, by brute force', () => {
    const rows = [row('A', 0, 0, 1.5), row('B', 1, 0, 1.2), row('J', 0, 1, 0.3)];
    const st = world(rows, 2, [[SKILLED, 0, 2], [SKILLED, 1, 2]], { rights: 0, security: 0, economy: 1 }, { regime: { minParticipation: 0.5 } });
    expect(st.lvl[0 * 3 + SKILLED]).toBe(2);
    const o = st.p.skilled.openness;
    const eps = st.p.skilled.incomeElasticity;
    const pool = st.p.skilled.pool;
    const y = st.w.income;
    // V_i = immigrants - emigrants, by the definition: origin o weighs home 2 y_o^eps, j != o by y_j^eps (1 + openness of j toward o)
    const values = (level: number[]): number[] => {
      const V = [0, 0, 0];
      for (let a = 0; a < 3; a++) {
        const w = [0, 1, 2].map((j) => (j === a ? 2 : 1 + (level[j] === 1 && level[a] === 1 ? o.C : level[j] === 2 && level[a] === 2 ? o.M : o.U)) * Math.pow(y[j], eps));
        const Z = w[0] + w[1] + w[2];
        for (let j = 0; j < 3; j++) {
          if (j === a) continue;
          V[j] += (pool * w[j]) / Z;
          V[a] -= (pool * w[j]) / Z;
        }
      }
      return V;
    };
    const without = values([0, 0, 0]);
    const withClub = values([2, 2, 0]);
    const withJ = values([2, 2, 2]);
    const d = withClub.map((v, i) => v - without[i]);
    const pos = d.map((x) => Math.max(0, x));
    expect(st.goods[SKILLED * 2]).toBeCloseTo(pos[2] / (pos[0] + pos[1] + pos[2]), 12);
    expect(d[2]).toBeLessThan(0);
    const B = d[0] + d[1];
    const B1 = withJ[0] - without[0] + (withJ[1] - without[1]);
    expect(st.goods[SKILLED * 2 + 1]).toBeCloseTo((B - B1) / B, 12);
  });
});
