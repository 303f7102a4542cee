// The model's state: the world, each state's aims, the stocks and this round's flows,
// and the running aggregates that let one decision cost O(levels x issue areas):
// members per club and in the regime, their refugee pools (hosted, capacity,
// protectable), the protected total, and the skilled weights. init builds it;
// onRound moves people (flows.ts) and rebuilds the aggregates; onSwitch keeps them
// when a state changes level.
import type { ModelState } from '../../src/engine/model.ts';
import { createPopulation, type Population } from '../../src/engine/population.ts';
import { createRng, type Rng } from '../../src/engine/rng.ts';
import {
  copyStocks,
  createIrregularRound,
  createRefugeeRound,
  createSkilledRound,
  createStocks,
  irregularStep,
  refugeeStep,
  skilledStep,
  type InstitutionTerms,
  type IrregularRound,
  type RefugeeRound,
  type RefugeeStocks,
  type SkilledRound,
} from './flows.ts';
import type { FlowsParams } from './parameters.ts';
import * as P from './parameters.ts';
// Levels and areas as module-local constants, not imported bindings: under tsx's
// loader every use of an imported binding goes through a getter, which took about a
// quarter of a round at N = 20,000 (bench/flows.ts, node --cpu-prof). Checked
// against parameters.ts when the module loads.
const U = 0;
const C = 1;
const M = 2;
const REFUGEE = 0;
const IRREGULAR = 1;
const SKILLED = 2;
const G = 3;
if (U !== P.U || C !== P.C || M !== P.M || REFUGEE !== P.REFUGEE || IRREGULAR !== P.IRREGULAR || SKILLED !== P.SKILLED || G !== P.G) throw new Error('state.ts: a level or area constant differs from parameters.ts');
import { buildWorld, generateRows, type World } from './world.ts';

export interface FlowsState extends ModelState {
  readonly pop: Population;
  readonly p: FlowsParams;
  readonly w: World;
  /** each state's weights of rights, security and economy (sum 1) */
  readonly wR: Float64Array;
  readonly wS: Float64Array;
  readonly wE: Float64Array;
  readonly minMembers: number;
  /** members by choice: per (area, club) and per area in the regime */
  readonly nC: Float64Array;
  readonly nM: Float64Array;
  /** capacity of the members by choice, laid out as nC and nM (side payments) */
  readonly capC: Float64Array;
  readonly capM: Float64Array;
  /** irregular area: transit entries bound for members, summed over the members by choice, per club and in the regime (transit leverage) */
  readonly transitC: Float64Array;
  readonly transitM: Float64Array;
  /** power asymmetry: the members' quota weights, capacity^(1 - a), laid out as capC and capM (zeros when off) */
  readonly wC: Float64Array;
  readonly wM: Float64Array;
  /** confidence building: each institution's trust in [0, 1], at g x (R + 1) + k (clubs k < R, the regime R) */
  readonly trust: Float64Array;
  /** what confidence building, power asymmetry and venue shopping change in how institutions act (flows.ts); fields null or false when off */
  readonly terms: InstitutionTerms;
  /** effective levels at the start of this round (what the round's flows used), N x 3 */
  readonly lvl: Uint8Array;
  /** refugee pools by choice, per club k < R and the regime (R): hosted, capacity, protectable min(hosted, absorption x capacity) */
  readonly poolH: Float64Array;
  readonly poolCap: Float64Array;
  readonly poolF: Float64Array;
  /** protected amount of each pool as it stands, and of the states at U */
  readonly poolQ: Float64Array;
  /** [protectable at U, protected total, hosted total] */
  readonly refAgg: Float64Array;
  /** skilled weights by choice: [sum over all of wt x (1 + open U), sum over M choosers of wt]; per club: sum over C choosers of wt x (oC - oU) */
  readonly skAgg: Float64Array;
  readonly skBonus: Float64Array;
  /** crises: rounds left and displacement per round of a random crisis; this round's displaced; 1 where a crisis is on */
  readonly crisisLeft: Int32Array;
  readonly crisisSize: Float64Array;
  readonly displaced: Float64Array;
  readonly active: Uint8Array;
  /** the stream of random crisis onsets (its own, so the decision stream is untouched by the flows) */
  readonly flowRng: Rng;
  /** refugee stocks now, and at the start of this round (for counterfactual rounds) */
  readonly stocks: RefugeeStocks;
  readonly before: RefugeeStocks;
  readonly ref: RefugeeRound;
  readonly irr: IrregularRound;
  readonly sk: SkilledRound;
  /** measured role of each state this round: 0 origin, 1 transit, 2 destination, -1 none */
  readonly role: Int8Array;
  /** scratch for counterfactual rounds (metrics) */
  readonly scratch: {
    readonly stocks: RefugeeStocks;
    readonly ref: RefugeeRound;
    readonly irr: IrregularRound;
    readonly sk: SkilledRound;
    readonly lvlA: Uint8Array;
    readonly lvlB: Uint8Array;
    readonly vA: Float64Array;
    readonly vB: Float64Array;
    readonly vC: Float64Array;
  };
  /** [round, nationalism on (0/1), version] */
  readonly clock: Float64Array;
  /** measured goods properties per area at the version they were measured: [excludability, rivalry] x 3, and the version */
  readonly goods: Float64Array;
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by the boost gamma(shape + 1) x U^(1/shape). */
function gamma(rng: Rng, shape: number): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = 1 - rng();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function init(p: FlowsParams, rng: Rng): FlowsState {
  const rows = p.world.rows ?? generateRows(p, rng);
  const w = buildWorld(rows, p.world.neighbours, p.clubs ?? { kind: 'regional', size: 3 });
  const { N, R } = w;
  const E = w.nbr.length;
  const pop = createPopulation(N, G, 3);
  const v = p.valuation;
  const total = v.rights + v.security + v.economy;
  const wR = new Float64Array(N);
  const wS = new Float64Array(N);
  const wE = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const a = gamma(rng, (v.concentration * v.rights) / total);
    const b = gamma(rng, (v.concentration * v.security) / total);
    const c = gamma(rng, (v.concentration * v.economy) / total);
    const s = a + b + c;
    if (s > 0) {
      wR[i] = a / s;
      wS[i] = b / s;
      wE[i] = c / s;
    } else {
      wR[i] = v.rights / total;
      wS[i] = v.security / total;
      wE[i] = v.economy / total;
    }
  }
  const st: FlowsState = {
    pop,
    p,
    w,
    wR,
    wS,
    wE,
    minMembers: Math.max(1, Math.ceil(p.regime.minParticipation * N - 1e-9)),
    nC: new Float64Array(G * R),
    nM: new Float64Array(G),
    capC: new Float64Array(G * R),
    capM: new Float64Array(G),
    transitC: new Float64Array(R),
    transitM: new Float64Array(1),
    wC: new Float64Array(G * R),
    wM: new Float64Array(G),
    trust: new Float64Array(G * (R + 1)),
    terms: createTerms(p, w),
    lvl: new Uint8Array(N * G),
    poolH: new Float64Array(R + 1),
    poolCap: new Float64Array(R + 1),
    poolF: new Float64Array(R + 1),
    poolQ: new Float64Array(R + 1),
    refAgg: new Float64Array(3),
    skAgg: new Float64Array(2),
    skBonus: new Float64Array(R),
    crisisLeft: new Int32Array(N),
    crisisSize: new Float64Array(N),
    displaced: new Float64Array(N),
    active: new Uint8Array(N),
    flowRng: createRng(`migration-flows:${rng()}`),
    stocks: createStocks(E),
    before: createStocks(E),
    ref: createRefugeeRound(N, R),
    irr: createIrregularRound(N),
    sk: createSkilledRound(N, R),
    role: new Int8Array(N).fill(-1),
    scratch: {
      stocks: createStocks(E),
      ref: createRefugeeRound(N, R),
      irr: createIrregularRound(N),
      sk: createSkilledRound(N, R),
      lvlA: new Uint8Array(N * G),
      lvlB: new Uint8Array(N * G),
      vA: new Float64Array(N),
      vB: new Float64Array(N),
      vC: new Float64Array(N),
    },
    clock: new Float64Array(3),
    goods: new Float64Array(7).fill(NaN),
  };
  // initial levels, drawn per state and area
  // params.start (an option, absent by default): every state at one level, as `initial` of 1 at it
  const cut1 = p.start === undefined ? p.initial.U : p.start === 'U' ? 1 : 0;
  const cut2 = p.start === undefined ? p.initial.U + p.initial.C : p.start === 'M' ? 0 : 1;
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) {
      const u = rng();
      const level = u < cut1 ? U : u < cut2 ? C : M;
      if (level !== U) {
        pop.choice[i * G + g] = level;
        pop.counts[g * 3 + U]--;
        pop.counts[g * 3 + level]++;
      }
      if (level === C) st.nC[g * R + w.region[i]]++;
      if (level === M) st.nM[g]++;
    }
  }
  // the flows of "round -1": no one has moved yet, so metrics at round 0 read zeros
  effectiveLevels(st, st.lvl);
  applyTrust(st);
  skilledStep(w, p, st.lvl, st.sk, st.terms);
  irregularStep(w, p, st.lvl, st.irr, st.terms);
  rebuild(st);
  return st;
}

/** The terms of the optional mechanisms (docs/model.md §5.6): null or false where a mechanism is off, so the flows are computed exactly as without it. */
function createTerms(p: FlowsParams, w: World): InstitutionTerms {
  const mech = p.mechanisms;
  const a = mech.powerAsymmetry;
  let weight: Float64Array | null = null;
  if (a !== undefined && a !== 0) {
    weight = new Float64Array(w.N);
    for (let i = 0; i < w.N; i++) weight[i] = Math.pow(w.capacity[i], 1 - a);
  }
  const conf = mech.confidenceBuilding !== undefined;
  return {
    std: conf ? new Float64Array(G * (w.R + 1)) : null,
    strength: conf ? new Float64Array(G * (w.R + 1)) : null,
    weight,
    shopping: mech.venueShopping === true,
  };
}

/**
 * Confidence building: each institution's operating share sigma = floor + (1 - floor) x
 * trust, and its standard in force U + sigma x (level - U) in each area (protection,
 * enforcement, openness). O(levels x areas x clubs); nothing when off.
 */
function applyTrust(st: FlowsState): void {
  const cb = st.p.mechanisms.confidenceBuilding;
  const { std, strength } = st.terms;
  if (cb === undefined || std === null || strength === null) return;
  const R = st.w.R;
  const p = st.p;
  for (let g = 0; g < G; g++) {
    const s = g === REFUGEE ? p.refugee.protection : g === IRREGULAR ? p.irregular.enforcement : p.skilled.openness;
    for (let k = 0; k <= R; k++) {
      const x = g * (R + 1) + k;
      const sg = cb.floor + (1 - cb.floor) * st.trust[x];
      strength[x] = sg;
      std[x] = s.U + sg * ((k < R ? s.C : s.M) - s.U);
    }
  }
}

/**
 * Confidence building, once a round with the round's effective levels: the trust of
 * each club (two or more members) and of the regime in force grows by a share 1 -
 * 2^(-1/halfLife) of its gap to 1; a lapsed institution's trust falls by the same
 * share (the regime's half-life may differ: regimeHalfLife).
 */
function updateTrust(st: FlowsState): void {
  const cb = st.p.mechanisms.confidenceBuilding;
  if (cb === undefined) return;
  const R = st.w.R;
  const rC = 1 - Math.pow(2, -1 / cb.halfLife);
  const rM = 1 - Math.pow(2, -1 / (cb.regimeHalfLife ?? cb.halfLife));
  for (let g = 0; g < G; g++) {
    for (let k = 0; k <= R; k++) {
      const on = k < R ? st.nC[g * R + k] >= 2 : st.nM[g] >= st.minMembers;
      const r = k < R ? rC : rM;
      const x = g * (R + 1) + k;
      st.trust[x] = on ? st.trust[x] + r * (1 - st.trust[x]) : st.trust[x] * (1 - r);
    }
  }
  applyTrust(st);
}

/** The standard in force of institution k (a club k < R, the regime R) in area g: with confidence building, its own; otherwise the level's. */
export function standardOf(st: FlowsState, g: number, k: number): number {
  const std = st.terms.std;
  if (std !== null) return std[g * (st.w.R + 1) + k];
  const s = g === REFUGEE ? st.p.refugee.protection : g === IRREGULAR ? st.p.irregular.enforcement : st.p.skilled.openness;
  return k < st.w.R ? s.C : s.M;
}

/** Is the club of state i's region in area g effective with `n` members (2 or more)? Is the regime in force with `n`? */
export function effectiveLevel(st: FlowsState, level: number, nMembers: number): number {
  if (level === C) return nMembers >= 2 ? C : U;
  if (level === M) return nMembers >= st.minMembers ? M : U;
  return U;
}

/** Effective levels of every state now (a club needs two members, the regime its minimum participation), into out (N x 3). */
export function effectiveLevels(st: FlowsState, out: Uint8Array): void {
  const { N, R, region } = st.w;
  const choice = st.pop.choice;
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) {
      const l = choice[i * G + g];
      out[i * G + g] = l === C ? effectiveLevel(st, C, st.nC[g * R + region[i]]) : l === M ? effectiveLevel(st, M, st.nM[g]) : U;
    }
  }
}

/** The protected amount of refugee pool k (a club k < R, the regime R) with n members, hosted H, capacity Cap and protectable F. */
export function poolProtected(st: FlowsState, k: number, n: number, H: number, Cap: number, F: number): number {
  const std = st.p.refugee.protection;
  const isClub = k < st.w.R;
  const level = effectiveLevel(st, isClub ? C : M, n);
  if (level === U) return std.U * F;
  const strength = st.terms.strength;
  if (strength === null) {
    const s = isClub ? std.C : std.M;
    return st.p.burdenSharing ? s * Math.min(H, st.p.refugee.absorption * Cap) : s * F;
  }
  // confidence building: the standard in force; a share sigma of the stock pooled, the rest protected where it is
  const s = standardOf(st, REFUGEE, k);
  if (!st.p.burdenSharing) return s * F;
  const sg = strength[k];
  return s * ((1 - sg) * F + sg * Math.min(H, st.p.refugee.absorption * Cap));
}

/** What state i can protect alone: min(hosted, absorption x capacity). */
export function protectable(st: FlowsState, i: number): number {
  return Math.min(st.ref.phys[i], st.p.refugee.absorption * st.w.capacity[i]);
}

function refreshPool(st: FlowsState, k: number): void {
  const n = k < st.w.R ? st.nC[REFUGEE * st.w.R + k] : st.nM[REFUGEE];
  const q = poolProtected(st, k, n, st.poolH[k], st.poolCap[k], st.poolF[k]);
  st.refAgg[1] += q - st.poolQ[k];
  st.poolQ[k] = q;
}

/** Rebuilds every aggregate from the choices and this round's flows. O(N). */
export function rebuild(st: FlowsState): void {
  const { N, R, region, capacity } = st.w;
  const p = st.p;
  const choice = st.pop.choice;
  st.poolH.fill(0);
  st.poolCap.fill(0);
  st.poolF.fill(0);
  st.poolQ.fill(0);
  st.skBonus.fill(0);
  st.capC.fill(0);
  st.capM.fill(0);
  st.transitC.fill(0);
  st.transitM.fill(0);
  st.wC.fill(0);
  st.wM.fill(0);
  const weight = st.terms.weight;
  let FU = 0;
  let WU = 0;
  let WM = 0;
  const oU = p.skilled.openness.U;
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) {
      const lg = choice[i * G + g];
      if (lg === C) st.capC[g * R + region[i]] += capacity[i];
      else if (lg === M) st.capM[g] += capacity[i];
      if (weight !== null && lg === C) st.wC[g * R + region[i]] += weight[i];
      else if (weight !== null && lg === M) st.wM[g] += weight[i];
    }
    const li = choice[i * G + IRREGULAR];
    if (li === C) st.transitC[region[i]] += st.irr.thruC[i] + st.irr.thruB[i];
    else if (li === M) st.transitM[0] += st.irr.thruR[i] + st.irr.thruB[i];
    const f = protectable(st, i);
    const l = choice[i * G + REFUGEE];
    if (l === U) FU += f;
    else {
      const k = l === C ? region[i] : R;
      st.poolH[k] += st.ref.phys[i];
      st.poolCap[k] += capacity[i];
      st.poolF[k] += f;
    }
    const wt = st.sk.wt[i];
    WU += wt * (1 + oU);
    const ls = choice[i * G + SKILLED];
    if (ls === M) WM += wt;
    if (ls === C) st.skBonus[region[i]] += wt * (standardOf(st, SKILLED, region[i]) - oU);
  }
  st.refAgg[0] = FU;
  st.refAgg[1] = p.refugee.protection.U * FU;
  st.refAgg[2] = st.ref.sums[0];
  for (let k = 0; k <= R; k++) refreshPool(st, k);
  st.skAgg[0] = WU;
  st.skAgg[1] = WM;
}

/** Skilled destination weights toward a national of no mobility agreement: sum over all states of wt x (1 + openness U). */
export function zAll(st: FlowsState): number {
  return st.skAgg[0];
}

export function onSwitch(st: FlowsState, i: number, g: number, from: number, to: number): void {
  const { R, region, capacity } = st.w;
  const r = region[i];
  const regimeWas = st.nM[g] >= st.minMembers;
  if (from === C) st.nC[g * R + r]--;
  if (from === M) st.nM[g]--;
  if (to === C) st.nC[g * R + r]++;
  if (to === M) st.nM[g]++;
  if (from === C) st.capC[g * R + r] -= capacity[i];
  if (from === M) st.capM[g] -= capacity[i];
  if (to === C) st.capC[g * R + r] += capacity[i];
  if (to === M) st.capM[g] += capacity[i];
  const weight = st.terms.weight;
  if (weight !== null) {
    if (from === C) st.wC[g * R + r] -= weight[i];
    if (from === M) st.wM[g] -= weight[i];
    if (to === C) st.wC[g * R + r] += weight[i];
    if (to === M) st.wM[g] += weight[i];
  }
  if (g === IRREGULAR) {
    const tC = st.irr.thruC[i] + st.irr.thruB[i];
    const tR = st.irr.thruR[i] + st.irr.thruB[i];
    if (from === C) st.transitC[r] -= tC;
    if (from === M) st.transitM[0] -= tR;
    if (to === C) st.transitC[r] += tC;
    if (to === M) st.transitM[0] += tR;
  }
  st.clock[2]++;
  if (g === REFUGEE) {
    const f = protectable(st, i);
    const phys = st.ref.phys[i];
    const stdU = st.p.refugee.protection.U;
    const move = (level: number, sign: number) => {
      if (level === U) {
        st.refAgg[0] += sign * f;
        st.refAgg[1] += sign * stdU * f;
        return;
      }
      const k = level === C ? r : R;
      st.poolH[k] += sign * phys;
      st.poolCap[k] += sign * capacity[i];
      st.poolF[k] += sign * f;
    };
    move(from, -1);
    move(to, +1);
    if (from === C || to === C) refreshPool(st, r);
    if (from === M || to === M || regimeWas !== st.nM[g] >= st.minMembers) refreshPool(st, R);
  } else if (g === SKILLED) {
    const o = st.p.skilled.openness;
    const wt = st.sk.wt[i];
    if (from === M) st.skAgg[1] -= wt;
    if (to === M) st.skAgg[1] += wt;
    if (from === C) st.skBonus[r] -= wt * (standardOf(st, SKILLED, r) - o.U);
    if (to === C) st.skBonus[r] += wt * (standardOf(st, SKILLED, r) - o.U);
  }
  void IRREGULAR;
}

/**
 * The start of a round: crises start (random onsets at crisisRate x 2 / (1 + capacity),
 * from the flows' own stream; scheduled ones by the calendar), people move in each
 * area with the levels in place, roles are measured, the aggregates rebuilt.
 */
export function onRound(st: FlowsState, round: number): void {
  const { p, w } = st;
  const { N } = w;
  st.clock[0] = round;
  const nat = p.mechanisms.nationalism;
  st.clock[1] = nat && round >= nat.start && round < nat.start + nat.duration ? 1 : 0;
  const rf = p.refugee;
  for (let i = 0; i < N; i++) {
    const u = st.flowRng();
    if (st.crisisLeft[i] === 0 && u < (rf.crisisRate * 2) / (1 + w.capacity[i])) {
      st.crisisLeft[i] = rf.crisisDuration;
      st.crisisSize[i] = rf.crisisSize * w.population[i];
    }
    st.displaced[i] = st.crisisLeft[i] > 0 ? st.crisisSize[i] : 0;
    if (st.crisisLeft[i] > 0) st.crisisLeft[i]--;
  }
  for (const c of rf.crises) {
    if (round >= c.onset && round < c.onset + c.duration) st.displaced[w.crisisState[c.region]] += c.size;
  }
  for (let i = 0; i < N; i++) st.active[i] = st.displaced[i] > 0 ? 1 : 0;
  effectiveLevels(st, st.lvl);
  updateTrust(st);
  copyStocks(st.stocks, st.before);
  refugeeStep(w, p, st.lvl, st.displaced, st.active, st.before, st.stocks, st.ref, st.terms);
  irregularStep(w, p, st.lvl, st.irr, st.terms);
  skilledStep(w, p, st.lvl, st.sk, st.terms);
  measureRoles(st);
  rebuild(st);
  st.clock[2]++;
}

/**
 * Each state's role this round, from its gross flows of people in all three areas:
 * out = refugees displaced from it + irregular migrants leaving it + skilled
 * emigrants; through = irregular migrants entering in transit + refugees moving on
 * from it; in = first-asylum and onward refugee arrivals + irregular migrants who
 * stay (at their destination or diverted) + skilled immigrants. The role is the
 * largest of the three (ties: origin, then transit); none when all are 0.
 */
export function measureRoles(st: FlowsState): void {
  const { N } = st.w;
  const { ref, irr, sk } = st;
  for (let i = 0; i < N; i++) {
    const out = st.displaced[i] + irr.emitted[i] + sk.emigrants[i];
    const through = irr.transit[i] + ref.onwardOut[i];
    const inflow = ref.firstIn[i] + ref.onwardTo[i] + irr.stays[i] + irr.divIn[i] + sk.immigrants[i];
    let role = -1;
    if (out > 0 || through > 0 || inflow > 0) role = out >= through && out >= inflow ? 0 : through >= inflow ? 1 : 2;
    st.role[i] = role;
  }
}

export { C, M, U };
