// migration-flows: movement (issue 14). Conservation over random small worlds and
// parameters (fast-check), first asylum against the distance-decay rule on a line of
// three states and a star (exact: flows are expected values), determinism.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { createIrregularRound, createRefugeeRound, createSkilledRound, createStocks, irregularStep, refugeeStep, skilledStep } from '../../../models/migration-flows/flows.ts';
import { params as schema, type StateRow } from '../../../models/migration-flows/parameters.ts';
import type { FlowsState } from '../../../models/migration-flows/state.ts';
import { buildWorld } from '../../../models/migration-flows/world.ts';
import { createSimulation, simulate } from '../../../src/engine/simulate.ts';
import type { Protocol } from '../../../src/engine/protocol.ts';

const LOGIT: Protocol = { rule: 'logit', temperature: 0.1, revisionRate: 0.5, updating: 'async', mutation: 0 };

const row = (name: string, x: number, y: number, income = 1, region = 0, population = 1): StateRow => ({ name, x, y, population, income, region });

describe('conservation', () => {
  it('displaced = hosted + in transit + returned every round; the skilled pool and irregular flows are conserved; no stock is negative', () => {
    fc.assert(
      fc.property(
        fc.record({
          N: fc.integer({ min: 4, max: 16 }),
          regions: fc.integer({ min: 1, max: 3 }),
          k: fc.integer({ min: 1, max: 3 }),
          onward: fc.double({ min: 0, max: 1, noNaN: true }),
          returnRate: fc.double({ min: 0, max: 1, noNaN: true }),
          crisisRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
          diversion: fc.double({ min: 0, max: 1, noNaN: true }),
          burdenSharing: fc.boolean(),
          start: fc.constantFrom({ U: 1, C: 0, M: 0 }, { U: 0.2, C: 0.4, M: 0.4 }, { U: 0, C: 1, M: 0 }),
          seed: fc.integer({ min: 0, max: 999 }),
        }),
        (c) => {
          const p = schema.parse({
            world: { N: c.N, regions: c.regions, neighbours: Math.min(c.k, c.N - 1) },
            refugee: { onward: c.onward, returnRate: c.returnRate, crisisRate: c.crisisRate, crises: [{ region: 0, onset: 2, duration: 3, size: 0.5 }] },
            irregular: { diversion: c.diversion },
            regime: { minParticipation: 0.2 },
            burdenSharing: c.burdenSharing,
            initial: c.start,
          });
          const sim = createSimulation<FlowsState>(model, p, LOGIT, `conservation-${c.seed}`);
          const st = sim.state;
          for (let t = 0; t < 15; t++) {
            sim.step();
            const [displaced, returned] = st.stocks.totals;
            const [hosted, transit] = st.ref.sums;
            const tol = 1e-9 * Math.max(1, displaced);
            expect(Math.abs(displaced - hosted - transit - returned)).toBeLessThan(tol);
            let phys = 0;
            let shared = 0;
            for (let i = 0; i < st.w.N; i++) {
              expect(st.ref.hosted[i]).toBeGreaterThanOrEqual(-1e-12);
              phys += st.ref.phys[i];
              shared += st.ref.hosted[i];
            }
            expect(Math.abs(phys - shared)).toBeLessThan(tol);
            for (const a of [st.stocks.S1, st.stocks.S2, st.stocks.T]) for (const v of a) expect(v).toBeGreaterThanOrEqual(-1e-12);
            let arrived = 0;
            for (let i = 0; i < st.w.N; i++) arrived += st.sk.immigrants[i] + st.sk.pool[i] - st.sk.emigrants[i];
            expect(Math.abs(arrived - st.sk.sums[0])).toBeLessThan(1e-9);
            const [sent, dest, div, stopped, deterred] = st.irr.sums;
            expect(Math.abs(sent - dest - div - stopped - deterred)).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('first asylum follows the distance-decay rule exactly', () => {
  const p = schema.parse({ refugee: { decay: 0.7, onward: 0.4 }, world: { neighbours: 1 } });
  const prot = p.refugee.protection;

  it('a line of three states: a crisis in the middle sends exp(-d/decay) x (1 + protection) shares to each side', () => {
    // A at 0, B at 1, C at 3: links A-B and B-C; A protects at the regime's standard (M), C at U
    const w = buildWorld([row('A', 0, 0, 1), row('B', 1, 0, 1), row('C', 3, 0, 1)], 1);
    expect(Array.from(w.nbr.subarray(w.nbrStart[1], w.nbrStart[2]))).toEqual([0, 2]);
    const lvl = new Uint8Array(9);
    lvl[0 * 3] = 2;
    const displaced = Float64Array.from([0, 1, 0]);
    const out = createRefugeeRound(3, w.R);
    const stocks = createStocks(w.nbr.length);
    refugeeStep(w, p, lvl, displaced, Uint8Array.from([0, 1, 0]), stocks, stocks, out);
    const a = Math.exp(-1 / 0.7) * (1 + prot.M);
    const c = Math.exp(-2 / 0.7) * (1 + prot.U);
    expect(out.firstIn[0]).toBeCloseTo(a / (a + c), 14);
    expect(out.firstIn[2]).toBeCloseTo(c / (a + c), 14);
    expect(out.firstIn[1]).toBe(0);
    // equal incomes: no richer neighbour, nobody moves on
    expect(out.sums[1]).toBe(0);
  });

  it('a star: the centre\'s displaced go to the leaves in proportion to exp(-d/decay) x (1 + protection); a poorer leaf whose one richer neighbour is the origin sends nobody back there', () => {
    const d = [0.5, 1, 1.5, 2];
    const rows = [row('hub', 0, 0, 1), ...d.map((r, j) => row(`leaf${j}`, r * Math.cos((j * Math.PI) / 2), r * Math.sin((j * Math.PI) / 2), j === 0 ? 0.5 : 1))];
    const w = buildWorld(rows, 1);
    // every leaf's nearest is the hub
    expect(w.nbrStart[1] - w.nbrStart[0]).toBe(4);
    const lvl = new Uint8Array(15);
    const displaced = Float64Array.from([2, 0, 0, 0, 0]);
    const out = createRefugeeRound(5, w.R);
    const stocks = createStocks(w.nbr.length);
    refugeeStep(w, p, lvl, displaced, Uint8Array.from([1, 0, 0, 0, 0]), stocks, stocks, out);
    const weights = d.map((r) => Math.exp(-r / 0.7) * (1 + prot.U));
    const total = weights.reduce((x, y) => x + y, 0);
    d.forEach((_, j) => expect(out.firstIn[j + 1]).toBeCloseTo((2 * weights[j]) / total, 13));
    // leaf0 is poorer than the hub, its one neighbour, but the hub is the refugees' origin:
    // onward movers never go back to their origin (a fix made on development seeds, docs/model.md §5.12)
    expect(out.onwardOut[1]).toBe(0);
    expect(out.sums[1]).toBe(0);
    expect(out.onwardTo[0]).toBe(0);
  });

  it('onward movement at the onward share, toward the first host\'s richer neighbours other than the origin', () => {
    // a line O - H - J: O's displaced reach H (its one neighbour); H is poorer than both O and J
    const w = buildWorld([row('O', 0, 0, 1), row('H', 1, 0, 0.5), row('J', 2, 0, 2)], 1);
    expect(Array.from(w.nbr.subarray(w.nbrStart[1], w.nbrStart[2]))).toEqual([0, 2]);
    const lvl = new Uint8Array(9);
    const out = createRefugeeRound(3, w.R);
    const stocks = createStocks(w.nbr.length);
    refugeeStep(w, p, lvl, Float64Array.from([1, 0, 0]), Uint8Array.from([1, 0, 0]), stocks, stocks, out);
    expect(out.firstIn[1]).toBeCloseTo(1, 14);
    const moved = p.refugee.onward * (1 - prot.U);
    expect(out.onwardOut[1]).toBeCloseTo(moved, 14);
    // all to J: O is richer than H but is the origin (before the fix it drew 1 / 3 of them)
    expect(out.onwardTo[2]).toBeCloseTo(moved, 14);
    expect(out.onwardTo[0]).toBe(0);
    // the next round they arrive and are hosted at J
    refugeeStep(w, p, lvl, Float64Array.from([0, 0, 0]), Uint8Array.from([1, 0, 0]), stocks, stocks, out);
    expect(out.phys[2]).toBeCloseTo(moved, 14);
    expect(out.phys[0]).toBe(0);
    expect(out.phys[1] + out.phys[2]).toBeCloseTo(1, 14);
  });

  it('irregular and skilled steps on the line: a route A -> B -> C cut by each border in turn; a finite skilled pool', () => {
    const q = schema.parse({ world: { neighbours: 1 }, irregular: { diversion: 0, propensity: 0.1 } });
    const w = buildWorld([row('A', 0, 0, 0.2), row('B', 1, 0, 0.5), row('C', 3, 0, 2.3)], 1);
    expect(Array.from(w.routeNodes.subarray(w.routeStart[0], w.routeStart[1]))).toEqual([1, 2]);
    const lvl = new Uint8Array(9);
    const irr = createIrregularRound(3);
    irregularStep(w, q, lvl, irr);
    const e = q.irregular.enforcement.U;
    expect(irr.transit[1]).toBeCloseTo(0.1 * (1 - e), 14);
    expect(irr.stays[2]).toBeCloseTo(0.1 * (1 - e) * (1 - e), 14);
    const sk = createSkilledRound(3, w.R);
    skilledStep(w, q, lvl, sk);
    let total = 0;
    for (let i = 0; i < 3; i++) total += sk.immigrants[i] + sk.pool[i] - sk.emigrants[i];
    expect(total).toBeCloseTo(sk.sums[0], 14);
  });
});

describe('determinism', () => {
  it('the same seed gives identical metrics; another seed does not', () => {
    const p = schema.parse({ world: { N: 20 } });
    const run = (seed: string) => simulate(model, p, LOGIT, { seed, rounds: 20, recordEvery: 5 });
    const a = run('11');
    expect(run('11').values).toEqual(a.values);
    expect(run('12').values).not.toEqual(a.values);
  });
});
