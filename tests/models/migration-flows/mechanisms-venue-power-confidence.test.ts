// migration-flows: venue shopping, power asymmetry and confidence building
// (docs/model.md §5.6). Each is absent by default and leaves every run byte-identical
// to a spec without it; each acts on clubs and the regime by the same rule; and each
// can raise the payoff of a level for one state and lower it for another, the sign
// coming from the flows (and, for power asymmetry, from the state's size among the
// members and the sign of a). The running aggregates the mechanisms add are checked
// against a rebuild, the O(1) forecasts against the round's own flows, and people
// are conserved with all three on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { params as schema, type StateRow } from '../../../models/migration-flows/parameters.ts';
import { irregularValue, levelCost, payoff, refugeeValue, skilledValue } from '../../../models/migration-flows/payoffs.ts';
import { onRound, onSwitch, rebuild, zAll, type FlowsState } from '../../../models/migration-flows/state.ts';
import { setChoice } from '../../../src/engine/population.ts';
import type { Protocol } from '../../../src/engine/protocol.ts';
import { createRng } from '../../../src/engine/rng.ts';
import { createSimulation, simulate } from '../../../src/engine/simulate.ts';

const U = 0;
const C = 1;
const M = 2;
const REFUGEE = 0;
const IRREGULAR = 1;
const SKILLED = 2;

const BASE = { world: { N: 24, regions: 3 }, refugee: { crisisRate: 0.2 }, irregular: { propensity: 0.05 }, regime: { minParticipation: 0.2 }, initial: { U: 0.4, C: 0.3, M: 0.3 } };
const ALL_ON = { venueShopping: true, powerAsymmetry: 0.5, confidenceBuilding: { halfLife: 3, floor: 0.2 } };
const LOGIT: Protocol = { rule: 'logit', temperature: 0.05, revisionRate: 0.3, updating: 'async', mutation: 0.01 };

function init(spec: Record<string, unknown>, seed: string): FlowsState {
  return model.init(schema.parse(spec), createRng(seed)) as FlowsState;
}

/** Puts state i at levels[i] in every area (or in the areas given), keeping the aggregates. */
function place(st: FlowsState, levels: readonly number[], areas: readonly number[] = [0, 1, 2]): void {
  levels.forEach((l, i) => {
    for (const g of areas) {
      const from = setChoice(st.pop, i, g, l);
      if (from !== l) onSwitch(st, i, g, from, l);
    }
  });
}

function rounds(st: FlowsState, n: number): FlowsState {
  for (let t = 0; t < n; t++) onRound(st, t);
  return st;
}

function allPayoffs(st: FlowsState): number[] {
  const out: number[] = [];
  for (let i = 0; i < st.w.N; i++) for (let g = 0; g < 3; g++) for (let l = 0; l < 3; l++) out.push(payoff(st, i, g, l));
  return out;
}

const security = { rights: 0, security: 0.9, economy: 0.1, concentration: 1e6 };
const economy = { rights: 0, security: 0.1, economy: 0.9, concentration: 1e6 };

describe('absent by default', () => {
  it('a spec without the keys parses without them, so run seeds are unchanged', () => {
    const m = schema.parse(BASE).mechanisms;
    expect('venueShopping' in m || 'powerAsymmetry' in m || 'confidenceBuilding' in m).toBe(false);
  });

  it('venueShopping false and powerAsymmetry 0 give runs byte-identical to a spec without them', () => {
    for (const seed of ['vpc-off-1', 'vpc-off-2']) {
      const a = simulate(model, schema.parse(BASE), LOGIT, { seed, rounds: 25, recordEvery: 5 });
      const b = simulate(model, schema.parse({ ...BASE, mechanisms: { venueShopping: false, powerAsymmetry: 0 } }), LOGIT, { seed, rounds: 25, recordEvery: 5 });
      expect(JSON.stringify(b.values)).toBe(JSON.stringify(a.values));
      expect(allPayoffs(rounds(init({ ...BASE, mechanisms: { venueShopping: false, powerAsymmetry: 0 } }, seed), 4))).toEqual(allPayoffs(rounds(init(BASE, seed), 4)));
    }
  });

  it('confidence building with floor 1 (every rule in full from the first round) gives the payoffs of a run without it', () => {
    for (const burdenSharing of [true, false]) {
      const off = rounds(init({ ...BASE, burdenSharing }, 'vpc-floor'), 6);
      const on = rounds(init({ ...BASE, burdenSharing, mechanisms: { confidenceBuilding: { halfLife: 5, floor: 1 } } }, 'vpc-floor'), 6);
      const a = allPayoffs(off);
      allPayoffs(on).forEach((v, k) => expect(v).toBeCloseTo(a[k], 10));
    }
  });

  it('all three on: a run is deterministic and its metrics (the measured goods properties included) are numbers or NaN where undefined', () => {
    const p = schema.parse({ ...BASE, mechanisms: ALL_ON });
    const a = simulate(model, p, LOGIT, { seed: 'vpc-all', rounds: 20, recordEvery: 5 });
    const b = simulate(model, p, LOGIT, { seed: 'vpc-all', rounds: 20, recordEvery: 5 });
    expect(JSON.stringify(b.values)).toBe(JSON.stringify(a.values));
    const last = a.values[a.values.length - 1];
    a.metrics.forEach((name, m) => {
      if (!/excludability|rivalry|^refugee_protected$|hosted_low_income/.test(name)) expect(Number.isFinite(last[m]), name).toBe(true);
    });
  });
});

describe('the O(1) forecasts and the running aggregates with all three on', () => {
  it('at its own level, right after the round, a state earns its value of the flows per unit of capacity minus its level\'s cost share', () => {
    for (const burdenSharing of [true, false]) {
      const st = rounds(init({ ...BASE, burdenSharing, mechanisms: ALL_ON }, 'vpc-own'), 8);
      for (let i = 0; i < st.w.N; i++) {
        const cap = st.w.capacity[i];
        const values = [refugeeValue(st, i, st.ref), irregularValue(st, i, st.irr), skilledValue(st, i, st.sk)];
        for (let g = 0; g < 3; g++) {
          const l = st.pop.choice[i * 3 + g];
          let share = 1;
          if (l !== U) {
            // power asymmetry: the members' summed cost shared by capacity^(1 - a)
            let Cap = 0;
            let W = 0;
            for (let j = 0; j < st.w.N; j++) {
              if (st.pop.choice[j * 3 + g] !== l || (l === C && st.w.region[j] !== st.w.region[i])) continue;
              Cap += st.w.capacity[j];
              W += Math.pow(st.w.capacity[j], 0.5);
            }
            share = (Cap * Math.pow(cap, 0.5)) / (W * cap);
          }
          expect(payoff(st, i, g, l)).toBeCloseTo(values[g] / cap - levelCost(st.p, l, false) * share, 9);
        }
      }
    }
  });

  it('onSwitch keeps every aggregate, the mechanisms\' included, equal to a rebuild from scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.boolean(), fc.double({ min: -1, max: 1, noNaN: true }), fc.array(fc.tuple(fc.nat(23), fc.nat(2), fc.nat(2)), { maxLength: 60 }), (seed, burdenSharing, a, moves) => {
        const st = rounds(init({ ...BASE, burdenSharing, mechanisms: { ...ALL_ON, powerAsymmetry: a } }, `vpc-agg-${seed}`), 3);
        for (const [i, g, l] of moves) {
          const from = setChoice(st.pop, i, g, l);
          if (from !== l) onSwitch(st, i, g, from, l);
        }
        const read = () => [Array.from(st.refAgg), Array.from(st.poolH), Array.from(st.poolCap), Array.from(st.poolF), Array.from(st.poolQ), zAll(st), Array.from(st.skBonus), Array.from(st.capC), Array.from(st.capM), Array.from(st.wC), Array.from(st.wM), Array.from(st.transitC), Array.from(st.transitM)].flat() as number[];
        const kept = read();
        rebuild(st);
        read().forEach((v, k) => expect(kept[k]).toBeCloseTo(v, 9));
      }),
      { numRuns: 40 },
    );
  });

  it('people are conserved with all three on: displaced = hosted + in transit + returned, resettlement moves no one in or out, irregular flows add up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 16 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 999 }), (N, regions, burdenSharing, a, seed) => {
        const p = schema.parse({
          world: { N, regions, neighbours: Math.min(2, N - 1) },
          refugee: { crisisRate: 0.3, crises: [{ region: 0, onset: 1, duration: 4, size: 0.5 }] },
          irregular: { propensity: 0.05 },
          regime: { minParticipation: 0.2 },
          burdenSharing,
          initial: { U: 0.2, C: 0.4, M: 0.4 },
          mechanisms: { venueShopping: true, powerAsymmetry: a, confidenceBuilding: { halfLife: 2, floor: 0.1 } },
        });
        const sim = createSimulation<FlowsState>(model, p, LOGIT, `vpc-conservation-${seed}`);
        const st = sim.state;
        for (let t = 0; t < 10; t++) {
          sim.step();
          const [displaced, returned] = st.stocks.totals;
          const [hosted, transit] = st.ref.sums;
          const tol = 1e-9 * Math.max(1, displaced);
          expect(Math.abs(displaced - hosted - transit - returned)).toBeLessThan(tol);
          let phys = 0;
          let shared = 0;
          for (let i = 0; i < st.w.N; i++) {
            expect(st.ref.hosted[i]).toBeGreaterThanOrEqual(-1e-12);
            expect(st.ref.prot[i]).toBeGreaterThanOrEqual(0);
            expect(st.ref.prot[i]).toBeLessThanOrEqual(1 + 1e-12);
            phys += st.ref.phys[i];
            shared += st.ref.hosted[i];
          }
          expect(Math.abs(phys - shared)).toBeLessThan(tol);
          const [sent, dest, div, stopped, deterred] = st.irr.sums;
          expect(Math.abs(sent - dest - div - stopped - deterred)).toBeLessThan(1e-9);
        }
      }),
      { numRuns: 30 },
    );
  });
});

// A route o -> t -> d (d the richest state), z a low-income neighbour of t, x a
// neighbour of d; everyone in region 0. The regime needs one member (minParticipation 0.2 of 5).
const routeRows = (): StateRow[] => [
  { name: 'o', population: 1, income: 0.1, region: 0, neighbours: 't' },
  { name: 't', population: 1, income: 0.5, region: 0, neighbours: 'o;d;z' },
  { name: 'd', population: 1, income: 5, region: 0, neighbours: 't;x' },
  { name: 'x', population: 1, income: 1, region: 0, neighbours: 'd' },
  { name: 'z', population: 1, income: 0.3, region: 0, neighbours: 't' },
];
const T = 1;
const D = 2;
const Z = 4;
function routeWorld(valuation: typeof security, levels: number[], mechanisms: Record<string, unknown>, n = 3): FlowsState {
  const st = init({ world: { rows: routeRows() }, valuation, refugee: { crisisRate: 0 }, irregular: { propensity: 0.1 }, regime: { minParticipation: 0.2 }, mechanisms }, 'vpc-route');
  place(st, levels);
  return rounds(st, n);
}

describe('venue shopping (irregular area)', () => {
  // d is the destination of o's and z's flows, which cross t. At C (with x) d keeps the
  // access of the regime t is in: t cuts flows bound for d at the regime's standard;
  // at M d keeps the access of its region's club t and x are in. The same rule.
  const worlds: [string, number, number[]][] = [
    ['a club member (d at C) keeps the regime\'s access', C, [U, M, C, C, U]],
    ['a regime member (d at M) keeps its club\'s access', M, [U, C, M, C, U]],
  ];
  for (const [what, level, levels] of worlds) {
    it(`${what}: fewer entries reach d; its payoff rises when it weighs security and falls when it weighs the economy; an outsider the cut flows are diverted to loses`, () => {
      const on = routeWorld(security, levels, { venueShopping: true });
      const off = routeWorld(security, levels, {});
      expect(on.irr.stays[D]).toBeLessThan(off.irr.stays[D]);
      expect(on.irr.transit[T]).toBeLessThan(off.irr.transit[T]);
      expect(payoff(on, D, IRREGULAR, level)).toBeGreaterThan(payoff(off, D, IRREGULAR, level));
      expect(payoff(on, Z, IRREGULAR, U)).toBeLessThan(payoff(off, Z, IRREGULAR, U));
      const onE = routeWorld(economy, levels, { venueShopping: true });
      const offE = routeWorld(economy, levels, {});
      expect(payoff(onE, D, IRREGULAR, level)).toBeLessThan(payoff(offE, D, IRREGULAR, level));
    });
  }

  it('needs the other institution in effect: with no regime member, a club member gets nothing more', () => {
    const levels = [U, U, C, C, U];
    const on = routeWorld(security, levels, { venueShopping: true });
    const off = routeWorld(security, levels, {});
    for (let i = 0; i < 5; i++) for (let l = 0; l < 3; l++) expect(payoff(on, i, IRREGULAR, l)).toBe(payoff(off, i, IRREGULAR, l));
  });

  it('acts on the irregular area only', () => {
    const on = rounds(init({ ...BASE, mechanisms: { venueShopping: true } }, 'vpc-shop-areas'), 4);
    const off = rounds(init(BASE, 'vpc-shop-areas'), 4);
    for (let i = 0; i < on.w.N; i++) for (const g of [REFUGEE, SKILLED]) for (let l = 0; l < 3; l++) expect(payoff(on, i, g, l)).toBe(payoff(off, i, g, l));
  });
});

/** A 6-state world: state 0 (income 1) shares region 0 with two states of income `others`; region 1 holds three states of income 1 (tests/models/migration-flows/mechanisms.test.ts). */
function sixRows(others: number): StateRow[] {
  return [
    { name: 'a', x: 0, y: 0, population: 1, income: 1, region: 0 },
    { name: 'b', x: 0.1, y: 0, population: 1, income: others, region: 0 },
    { name: 'c', x: 0, y: 0.1, population: 1, income: others, region: 0 },
    { name: 'd', x: 5, y: 5, population: 1, income: 1, region: 1 },
    { name: 'e', x: 5.1, y: 5, population: 1, income: 1, region: 1 },
    { name: 'f', x: 5, y: 5.1, population: 1, income: 1, region: 1 },
  ];
}

describe('power asymmetry', () => {
  const everyone = (level: number) => ({ U: level === U ? 1 : 0, C: level === C ? 1 : 0, M: level === M ? 1 : 0 });
  const effect = (others: number, level: number, a: number, g: number) => {
    const spec = (mech: Record<string, unknown>) => ({ world: { rows: sixRows(others), neighbours: 2 }, refugee: { crisisRate: 0 }, regime: { minParticipation: 0.2 }, initial: everyone(level), mechanisms: mech });
    const on = rounds(init(spec({ powerAsymmetry: a }), 'vpc-power'), 4);
    const off = rounds(init(spec({}), 'vpc-power'), 4);
    return payoff(on, 0, g, level) - payoff(off, 0, g, level);
  };

  it('a > 0 (the strong set the terms): a member smaller than its fellows pays more than its capacity share and loses, a larger one gains; a < 0 the reverse; at C and at M alike', () => {
    for (const level of [C, M]) {
      for (const g of [IRREGULAR, SKILLED]) {
        expect(effect(10, level, 0.5, g)).toBeLessThan(0);
        expect(effect(0.1, level, 0.5, g)).toBeGreaterThan(0);
        expect(effect(10, level, -0.5, g)).toBeGreaterThan(0);
        expect(effect(0.1, level, -0.5, g)).toBeLessThan(0);
      }
    }
  });

  it('leaves the unilateral level alone', () => {
    for (const g of [REFUGEE, IRREGULAR, SKILLED]) expect(effect(10, U, 0.5, g)).toBe(0);
  });

  it('sets burden-sharing quotas: members host their pool by capacity^(1 - a), and the pool\'s protection is unchanged', () => {
    for (const level of [C, M]) {
      for (const a of [-1, -0.5, 0.5, 1]) {
        const spec = (mech: Record<string, unknown>) => ({ world: { rows: sixRows(10), neighbours: 2 }, refugee: { crisisRate: 0, crises: [{ region: 0, onset: 0, duration: 5, size: 0.5 }] }, regime: { minParticipation: 0.2 }, initial: everyone(level), mechanisms: mech });
        const on = rounds(init(spec({ powerAsymmetry: a }), 'vpc-quota'), 4);
        const off = rounds(init(spec({}), 'vpc-quota'), 4);
        const cap = on.w.capacity;
        const members = level === C ? [0, 1, 2] : [0, 1, 2, 3, 4, 5];
        let W = 0;
        let H = 0;
        for (const j of members) {
          W += Math.pow(cap[j], 1 - a);
          H += on.ref.phys[j];
        }
        expect(H).toBeGreaterThan(0);
        for (const j of members) expect(on.ref.hosted[j]).toBeCloseTo((H * Math.pow(cap[j], 1 - a)) / W, 10);
        expect(on.ref.sums[2]).toBeCloseTo(off.ref.sums[2], 10);
        // a > 0: the smallest member (a, income 1 among 10s) hosts more than by capacity and loses; a < 0 less, and gains
        const d = payoff(on, 0, REFUGEE, level) - payoff(off, 0, REFUGEE, level);
        if (a > 0) expect(d).toBeLessThan(0);
        else expect(d).toBeGreaterThan(0);
      }
    }
  });
});

describe('confidence building', () => {
  it('trust grows while an institution is effective, 1 - 2^(-t / halfLife) after t rounds, and decays by 2^(-1 / halfLife) a round once it lapses; clubs and the regime alike unless regimeHalfLife says otherwise', () => {
    const h = 4;
    const st = init({ world: { rows: sixRows(1), neighbours: 2 }, regime: { minParticipation: 0.2 }, mechanisms: { confidenceBuilding: { halfLife: h } } }, 'vpc-trust');
    place(st, [C, C, C, M, M, M]);
    const R = st.w.R;
    const club = (g: number) => st.trust[g * (R + 1) + 0];
    const regime = (g: number) => st.trust[g * (R + 1) + R];
    for (let t = 1; t <= 6; t++) {
      onRound(st, t);
      for (let g = 0; g < 3; g++) {
        expect(club(g)).toBeCloseTo(1 - Math.pow(2, -t / h), 12);
        expect(regime(g)).toBe(club(g));
        expect(st.trust[g * (R + 1) + 1]).toBe(0); // region 1's club has no member
      }
    }
    const peak = club(0);
    place(st, [U, U, C, M, M, M]); // the club lapses (one member left)
    for (let t = 1; t <= 3; t++) {
      onRound(st, 6 + t);
      expect(club(0)).toBeCloseTo(peak * Math.pow(2, -t / h), 12);
      expect(regime(0)).toBeCloseTo(1 - Math.pow(2, -(6 + t) / h), 12);
    }
    const slow = init({ world: { rows: sixRows(1), neighbours: 2 }, regime: { minParticipation: 0.2 }, mechanisms: { confidenceBuilding: { halfLife: h, regimeHalfLife: 4 * h } } }, 'vpc-trust');
    place(slow, [C, C, C, M, M, M]);
    rounds(slow, 4);
    expect(slow.trust[R]).toBeLessThan(slow.trust[0]);
  });

  const levelsAt = (level: number): number[] => (level === C ? [U, U, C, C, U] : [U, U, M, U, U]);

  it('irregular area: a young club or regime cuts less; its destination member gains when it weighs the economy and loses when it weighs security, at C and at M alike', () => {
    for (const level of [C, M]) {
      const cb = { confidenceBuilding: { halfLife: 5 } };
      const onS = routeWorld(security, levelsAt(level), cb);
      const offS = routeWorld(security, levelsAt(level), {});
      expect(onS.irr.stays[D]).toBeGreaterThan(offS.irr.stays[D]);
      expect(payoff(onS, D, IRREGULAR, level)).toBeLessThan(payoff(offS, D, IRREGULAR, level));
      const onE = routeWorld(economy, levelsAt(level), cb);
      const offE = routeWorld(economy, levelsAt(level), {});
      expect(payoff(onE, D, IRREGULAR, level)).toBeGreaterThan(payoff(offE, D, IRREGULAR, level));
      // the unilateral level is untouched
      expect(payoff(onS, D, IRREGULAR, U)).toBe(payoff(offS, D, IRREGULAR, U));
    }
  });

  it('refugee area: a young institution pools less; the heavy host near the crisis loses and the member far from it (or the crisis state itself) gains, at C and at M alike', () => {
    for (const level of [C, M]) {
      const initial = { U: 0, C: level === C ? 1 : 0, M: level === M ? 1 : 0 };
      const spec = (mech: Record<string, unknown>) => ({ world: { rows: sixRows(10), neighbours: 2 }, refugee: { crisisRate: 0, crises: [{ region: 0, onset: 0, duration: 6, size: 0.5 }] }, regime: { minParticipation: 0.2 }, initial, mechanisms: mech });
      const on = rounds(init(spec({ confidenceBuilding: { halfLife: 5 } }), 'vpc-conf-ref'), 4);
      const off = rounds(init(spec({}), 'vpc-conf-ref'), 4);
      const d = (i: number) => payoff(on, i, REFUGEE, level) - payoff(off, i, REFUGEE, level);
      // b (index 1) is a first-asylum host of the crisis in a (index 0)
      expect(on.ref.phys[1]).toBeGreaterThan(on.ref.hosted[1]);
      expect(d(1)).toBeLessThan(0);
      expect(d(0)).toBeGreaterThan(0);
      if (level === M) expect(d(3)).toBeGreaterThan(0);
    }
  });

  it('skilled area: a young mobility agreement opens less; a draws less from its poorer fellow members and loses, while other members gain (their emigration falls more than their immigration), at C and at M alike', () => {
    for (const level of [C, M]) {
      const initial = { U: 0, C: level === C ? 1 : 0, M: level === M ? 1 : 0 };
      const spec = (mech: Record<string, unknown>) => ({ world: { rows: sixRows(0.1), neighbours: 2 }, refugee: { crisisRate: 0 }, regime: { minParticipation: 0.2 }, initial, mechanisms: mech });
      const on = rounds(init(spec({ confidenceBuilding: { halfLife: 5 } }), 'vpc-conf-sk'), 3);
      const off = rounds(init(spec({}), 'vpc-conf-sk'), 3);
      const d = [0, 1, 2, 3, 4, 5].map((i) => payoff(on, i, SKILLED, level) - payoff(off, i, SKILLED, level));
      expect(on.sk.immigrants[0]).toBeLessThan(off.sk.immigrants[0]);
      expect(d[0]).toBeLessThan(0);
      expect(Math.max(...d)).toBeGreaterThan(0);
    }
  });
});
