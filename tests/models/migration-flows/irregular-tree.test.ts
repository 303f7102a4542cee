// migration-flows: the irregular step as one pass over the forest the routes form
// (models/migration-flows/flows.ts, issue 14's round cost) against the walk along each
// origin's route that it replaced, kept below as the independent reference (the old
// loop copied verbatim from flows.ts at e02e72d, only renamed). Same rule, summed in
// another order: every per-state quantity and every total equal to 1e-12 relative on
// random worlds (positions, incomes, populations, regions, neighbours, club kinds),
// random levels and random options (enforcement, diversion, propensity, confidence
// building's standards in force, venue shopping). Also the forest world.ts keeps
// (next state, destination, order) against the stored routes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIrregularRound, irregularStep, type InstitutionTerms, type IrregularRound } from '../../../models/migration-flows/flows.ts';
import { params as schema, type FlowsParams, type StateRow } from '../../../models/migration-flows/parameters.ts';
import { buildWorld, type ClubSpec, type World } from '../../../models/migration-flows/world.ts';

const U = 0;
const C = 1;
const M = 2;
const IRREGULAR = 1;

// ---- reference: the per-origin walk (flows.ts before the forest pass), verbatim ----

function divert(w: World, lvl: Uint8Array, s: number, prev: number, rule: number, amount: number, divIn: Float64Array, cand: Int32Array): number {
  const { nbrStart, nbr, region } = w;
  let n = 0;
  for (let e = nbrStart[s]; e < nbrStart[s + 1]; e++) {
    const j = nbr[e];
    if (j !== prev && !inside(lvl, region, s, j, rule)) cand[n++] = j;
  }
  if (n === 0) return amount;
  for (let t = 0; t < n; t++) divIn[cand[t]] += amount / n;
  return 0;
}

function inside(lvl: Uint8Array, region: Int32Array, s: number, j: number, rule: number): boolean {
  const lj = lvl[j * 3 + IRREGULAR];
  if (rule === M) return lj === M;
  if (rule === C) return lj === C && region[j] === region[s];
  return false;
}

function irregularStepWalk(w: World, p: FlowsParams, lvl: Uint8Array, out: IrregularRound, terms?: InstitutionTerms): void {
  const { N, R, region, population, routeStart, routeNodes } = w;
  const en = p.irregular.enforcement;
  const div = p.irregular.diversion;
  const { reachU, reachC, reachM, thruC, thruR, thruB, thruO, stays, transit, divIn, emitted, clubOn } = out;
  const opStd = terms?.std ?? null;
  const base = IRREGULAR * (R + 1);
  const eReg = opStd === null ? en.M : opStd[base + R];
  const shop = terms?.shopping === true;
  let regimeOn = false;
  if (shop) {
    clubOn.fill(0);
    for (let j = 0; j < N; j++) {
      const l = lvl[j * 3 + IRREGULAR];
      if (l === M) regimeOn = true;
      else if (l === C) clubOn[region[j]] = 1;
    }
  }
  reachU.fill(0);
  reachC.fill(0);
  reachM.fill(0);
  thruC.fill(0);
  thruR.fill(0);
  thruB.fill(0);
  thruO.fill(0);
  stays.fill(0);
  transit.fill(0);
  divIn.fill(0);
  emitted.fill(0);
  let sent = 0;
  let arrived = 0;
  let diverted = 0;
  let stopped = 0;
  let deterred = 0;
  for (let o = 0; o < N; o++) {
    const a = routeStart[o];
    const b = routeStart[o + 1];
    if (a === b) continue;
    const m = p.irregular.propensity * population[o];
    if (m <= 0) continue;
    emitted[o] = m;
    sent += m;
    const d = routeNodes[b - 1];
    const dr = region[d];
    const ld = lvl[d * 3 + IRREGULAR];
    const eClub = opStd === null ? en.C : opStd[base + dr];
    // venue shopping: were d in its club, the regime covers it too (accR); were d in the regime, its club does (accC)
    const accR = shop && regimeOn;
    const accC = shop && clubOn[dr] === 1;
    let f = m; // actual
    let fU = m; // as if d were at U
    let fC = m; // as if d were an effective club member
    let fM = m; // as if d were a member of the regime in force
    let prev = o;
    for (let t = a; t < b; t++) {
      const s = routeNodes[t];
      const ls = lvl[s * 3 + IRREGULAR];
      if (t === b - 1) {
        reachU[s] += fU;
        reachC[s] += fC;
        reachM[s] += fM;
        const rule = ls;
        const e = ls === U ? en.U : ls === C ? eClub : eReg;
        const cut = f * e;
        stays[s] += f - cut;
        arrived += f - cut;
        const dv = cut * div;
        const nowhere = divert(w, lvl, s, prev, rule, dv, divIn, out.cand);
        diverted += dv - nowhere;
        deterred += nowhere;
        stopped += cut - dv;
        break;
      }
      // what s would cut at C or M depends on whom the flow is bound for
      const same = region[s] === dr;
      const covC = same && (ld === C || (ld === M && accC));
      const covR = ld === M || (ld === C && accR);
      if (covC && covR) thruB[s] += f;
      else if (covC) thruC[s] += f;
      else if (covR) thruR[s] += f;
      else thruO[s] += f;
      // s's cut were d in its club (eC) or in the regime (eM), and the institution whose rule cuts
      const eC = ls === C && same ? eClub : ls === M && accR ? eReg : en.U;
      const eM = ls === M ? eReg : ls === C && same && accC ? eClub : en.U;
      const e = ld === C ? eC : ld === M ? eM : en.U;
      const rule = ld === C ? (ls === C && same ? C : ls === M && accR ? M : U) : ld === M ? (ls === M ? M : ls === C && same && accC ? C : U) : U;
      const cut = f * e;
      transit[s] += f - cut;
      const dv = cut * div;
      const nowhere = divert(w, lvl, s, prev, rule, dv, divIn, out.cand);
      diverted += dv - nowhere;
      deterred += nowhere;
      stopped += cut - dv;
      f -= cut;
      fU *= 1 - en.U;
      fC *= 1 - eC;
      fM *= 1 - eM;
      prev = s;
    }
  }
  out.sums[0] = sent;
  out.sums[1] = arrived;
  out.sums[2] = diverted;
  out.sums[3] = stopped;
  out.sums[4] = deterred;
}

// ---- random worlds ----

interface Case {
  rows: StateRow[];
  k: number;
  clubs: ClubSpec;
  levels: number[];
  enforcement: { U: number; C: number; M: number };
  diversion: number;
  propensity: number;
  std: number[] | null;
  shopping: boolean;
}

// shares 0, 1 or within [1e-3, 1 - 1e-3] (and a propensity of 0 or at least 1e-3).
// Products of shares far below 1e-3 fall into subnormal numbers, where no relative
// bound holds; and what passes a border, f - f x e, keeps the rounding of f x e,
// eps / (1 - e) relative, in both codes alike (2.6e-12 at e = 1 - 4e-5), so the
// comparison at 1e-12 needs e at least 1e-3 from 1 unless it is 1 (then exactly 0)
const unit = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 1e-3, max: 1 - 1e-3, noNaN: true }));
// a plane of scattered states, or a line (k small: long routes through many origins)
const rowsArb = fc.oneof(
  fc.array(
    fc.record({ x: fc.double({ min: -3, max: 3, noNaN: true }), y: fc.double({ min: -3, max: 3, noNaN: true }), population: fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 20, noNaN: true })), income: fc.double({ min: 0.05, max: 20, noNaN: true }), region: fc.integer({ min: 0, max: 4 }) }),
    { minLength: 2, maxLength: 70 },
  ),
  fc.array(
    fc.record({ population: fc.double({ min: 0.05, max: 20, noNaN: true }), income: fc.double({ min: 0.05, max: 20, noNaN: true }), region: fc.integer({ min: 0, max: 2 }), jitter: fc.double({ min: 0, max: 0.4, noNaN: true }) }),
    { minLength: 2, maxLength: 120 },
  ).map((a) => a.map((r, i) => ({ x: i, y: r.jitter, population: r.population, income: r.income, region: r.region }))),
);

const caseArb: fc.Arbitrary<Case> = rowsArb
  .filter((a) => a.some((r) => r.population > 0))
  .chain((raw) => {
    const N = raw.length;
    // regions numbered 0..R-1 with none empty, as parameters.ts requires of a table
    const used = [...new Set(raw.map((r) => r.region))].sort((a, b) => a - b);
    const rows: StateRow[] = raw.map((r, i) => ({ name: `s${i}`, x: r.x, y: r.y, population: r.population, income: r.income, region: used.indexOf(r.region) }));
    return fc.record({
      rows: fc.constant(rows),
      k: fc.integer({ min: 1, max: Math.min(6, N - 1) }),
      clubs: fc.constantFrom<ClubSpec>({ kind: 'regional', size: 3 }, { kind: 'bilateral', size: 2 }, { kind: 'plurilateral', size: 3 }),
      levels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3 * N, maxLength: 3 * N }),
      enforcement: fc.record({ U: unit, C: unit, M: unit }),
      diversion: unit,
      propensity: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 5, noNaN: true })),
      std: fc.option(fc.array(unit, { minLength: 3 * (N + 1), maxLength: 3 * (N + 1) }), { nil: null }),
      shopping: fc.boolean(),
    });
  });

function setUp(c: Case): { w: World; p: FlowsParams; lvl: Uint8Array; terms: InstitutionTerms | undefined } {
  const w = buildWorld(c.rows, c.k, c.clubs);
  const p = schema.parse({ irregular: { enforcement: c.enforcement, diversion: c.diversion, propensity: c.propensity } });
  const lvl = Uint8Array.from(c.levels);
  // standards in force laid out per area and institution (R clubs and the regime); at most N clubs
  const std = c.std === null ? null : Float64Array.from(c.std.slice(0, 3 * (w.R + 1)));
  const terms = std === null && !c.shopping ? undefined : { std, strength: null, weight: null, shopping: c.shopping };
  return { w, p, lvl, terms };
}

const PER_STATE = ['reachU', 'reachC', 'reachM', 'thruC', 'thruR', 'thruB', 'thruO', 'stays', 'transit', 'divIn', 'emitted'] as const;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y))) expect.fail(`${what}[${i}]: forest ${x}, walk ${y}`);
  }
}

function expectSame(tree: IrregularRound, walk: IrregularRound): void {
  for (const key of PER_STATE) expectClose(tree[key], walk[key], key);
  expectClose(tree.sums, walk.sums, 'sums');
}

describe('the irregular step over the route forest equals the walk along each route', () => {
  it('every per-state quantity and total within 1e-12 relative, on random worlds, levels and options (venue shopping and standards in force included)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { w, p, lvl, terms } = setUp(c);
        const tree = createIrregularRound(w.N);
        const walk = createIrregularRound(w.N);
        irregularStepWalk(w, p, lvl, walk, terms);
        irregularStep(w, p, lvl, tree, terms);
        expectSame(tree, walk);
        // again into the same buffers with other levels: nothing is left over from the last round
        const other = lvl.map((l, i) => (l + 1 + (i % 2)) % 3);
        irregularStepWalk(w, p, other, walk, terms);
        irregularStep(w, p, other, tree, terms);
        expectSame(tree, walk);
      }),
      { numRuns: 300 },
    );
  });

  it('a line where every route meets: origins crossing origins, flow summed at each border and cut once per state it comes from', () => {
    // 0 (poor) - 1 (poor) - 2 (poor) - 3 (middle) - 4 (rich) - 5 (richest), k = 1 on a line; 4 and 5 are the top quartile
    const rows: StateRow[] = [0.2, 0.3, 0.25, 0.4, 0.6, 5].map((income, i) => ({ name: `s${i}`, x: i, y: 0, population: 1 + i, income, region: i < 3 ? 0 : 1 }));
    const w = buildWorld(rows, 1);
    expect(Array.from(w.routeNodes.subarray(w.routeStart[0], w.routeStart[1]))).toEqual([1, 2, 3, 4]);
    const p = schema.parse({ irregular: { enforcement: { U: 0.3, C: 0.6, M: 0.5 }, diversion: 0.4, propensity: 0.1 } });
    for (const levels of [[0, 0, 0, 0, 0, 0], [1, 1, 2, 2, 1, 1], [2, 1, 1, 2, 2, 0]]) {
      const lvl = new Uint8Array(18);
      levels.forEach((l, i) => (lvl[i * 3 + IRREGULAR] = l));
      for (const terms of [undefined, { std: null, strength: null, weight: null, shopping: true }]) {
        const tree = createIrregularRound(6);
        const walk = createIrregularRound(6);
        irregularStepWalk(w, p, lvl, walk, terms);
        irregularStep(w, p, lvl, tree, terms);
        expectSame(tree, walk);
        expect(tree.transit[2]).toBeGreaterThan(0);
      }
    }
  });
});

describe('the route forest world.ts keeps', () => {
  it('each route follows the next state to its destination; routeOrder holds every state that passes flow on, each before the next state of its routes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const w = buildWorld(c.rows, c.k, c.clubs);
        const pos = new Int32Array(w.N).fill(-1);
        w.routeOrder.forEach((s, t) => (pos[s] = t));
        const onRoute = new Uint8Array(w.N);
        for (let o = 0; o < w.N; o++) {
          const a = w.routeStart[o];
          const b = w.routeStart[o + 1];
          if (a === b) continue;
          let prev = o;
          for (let t = a; t < b; t++) {
            const s = w.routeNodes[t];
            expect(w.routeNext[prev]).toBe(s);
            expect(w.routeDest[prev]).toBe(w.routeNodes[b - 1]);
            expect(pos[prev]).toBeGreaterThanOrEqual(0);
            if (t < b - 1) expect(pos[s]).toBeGreaterThan(pos[prev]);
            onRoute[prev] = 1;
            prev = s;
          }
          expect(w.routeNext[prev]).toBe(-1);
          expect(w.routeDest[prev]).toBe(prev);
        }
        // nothing else: every state in routeOrder is an origin or crossed by a route before its destination
        for (const s of w.routeOrder) expect(onRoute[s]).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});
