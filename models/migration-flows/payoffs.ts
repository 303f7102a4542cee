// What the flows are worth to a state, and what it earns at each level.
//
// value*: a state's valuation of the flows it faces in one area (payoff units; costs
// of levels excluded), read from a round's flow buffers. Used by the metrics on
// factual and counterfactual rounds.
//
// payoff: what state i would earn per unit of capacity in area g at `level`, the
// others' levels and the round's flows held fixed (partial equilibrium): its own
// level is substituted into the running aggregates (its refugee pool, the protected
// total, its enforcement on the flows that reach it, its skilled openness), so a
// call is O(1) and never scans the states.
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
if (U !== P.U || C !== P.C || M !== P.M || REFUGEE !== P.REFUGEE || IRREGULAR !== P.IRREGULAR || SKILLED !== P.SKILLED) throw new Error('payoffs.ts: a level or area constant differs from parameters.ts');
import { effectiveLevel, poolProtected, protectable, standardOf, zAll, type FlowsState } from './state.ts';
import type { IrregularRound, RefugeeRound, SkilledRound } from './flows.ts';

/** Refugees: rights x capacity x share of the hosted protected, minus hosting cost, minus security x onward movers heading here. */
export function refugeeValue(st: FlowsState, i: number, r: RefugeeRound): number {
  const p = st.p;
  const cap = st.w.capacity[i];
  const H = r.sums[0];
  const rights = H > 0 ? (st.wR[i] * cap * r.sums[2]) / H : 0;
  const h = r.hosted[i];
  return rights - (p.refugee.hostingCost * h * h) / cap - st.wS[i] * p.irregular.arrivalCost * r.onwardTo[i];
}

/** Irregular migrants: labour value less security cost of those who stay, security cost of those in transit. */
export function irregularValue(st: FlowsState, i: number, r: IrregularRound): number {
  const ir = st.p.irregular;
  const perStay = st.wE[i] * ir.labour - st.wS[i] * ir.arrivalCost;
  return perStay * (r.stays[i] + r.divIn[i]) - st.wS[i] * ir.arrivalCost * r.transit[i];
}

/** Skilled migrants: economy x value x (immigrants - emigrants). */
export function skilledValue(st: FlowsState, i: number, r: SkilledRound): number {
  return st.wE[i] * st.p.skilled.value * (r.immigrants[i] - r.emigrants[i]);
}

/** Per-round cost of acting at a level, per unit of capacity (club and regime costs times the nationalism factor while it lasts, less the share facilitation removes). */
export function levelCost(p: FlowsParams, level: number, nationalism: boolean): number {
  const c = p.costs;
  const f = nationalism && p.mechanisms.nationalism ? p.mechanisms.nationalism.factor : 1;
  if (level === U) return c.unilateral;
  const cost = level === C ? c.club * f : c.regime * f;
  const fac = p.mechanisms.facilitation;
  return fac === undefined ? cost : cost * (1 - fac.share);
}

/** The effective level state i would have at `level`, the others as they are (it counts itself in). */
function effectiveFor(st: FlowsState, i: number, g: number, level: number): number {
  const cur = st.pop.choice[i * 3 + g];
  if (level === C) {
    const n = st.nC[g * st.w.R + st.w.region[i]] - (cur === C ? 1 : 0) + 1;
    return effectiveLevel(st, C, n);
  }
  if (level === M) return effectiveLevel(st, M, st.nM[g] - (cur === M ? 1 : 0) + 1);
  return U;
}

/** The pool index of a level for state i: its club (region) or the regime (R); -1 for U. */
function poolOf(st: FlowsState, i: number, level: number): number {
  return level === U ? -1 : level === C ? st.w.region[i] : st.w.R;
}

function poolMembers(st: FlowsState, k: number): number {
  return k < st.w.R ? st.nC[REFUGEE * st.w.R + k] : st.nM[REFUGEE];
}

/** Power asymmetry: the quota weights of refugee pool k's members by choice. */
function poolWeight(st: FlowsState, k: number): number {
  return k < st.w.R ? st.wC[REFUGEE * st.w.R + k] : st.wM[REFUGEE];
}

function refugeePayoffValue(st: FlowsState, i: number, level: number): number {
  const p = st.p;
  const cap = st.w.capacity[i];
  const phys = st.ref.phys[i];
  const f = protectable(st, i);
  const stdU = p.refugee.protection.U;
  const cur = st.pop.choice[i * 3 + REFUGEE];
  const kc = poolOf(st, i, cur);
  // the protected total without i
  let Q = st.refAgg[1];
  if (kc < 0) Q -= stdU * f;
  else Q += poolProtected(st, kc, poolMembers(st, kc) - 1, st.poolH[kc] - phys, st.poolCap[kc] - cap, st.poolF[kc] - f) - st.poolQ[kc];
  let hosted = phys;
  const k = poolOf(st, i, level);
  if (k < 0) Q += stdU * f;
  else {
    const mine = k === kc;
    const n = poolMembers(st, k) - (mine ? 1 : 0);
    const H = st.poolH[k] - (mine ? phys : 0);
    const Cap = st.poolCap[k] - (mine ? cap : 0);
    const F = st.poolF[k] - (mine ? f : 0);
    const without = mine ? poolProtected(st, k, n, H, Cap, F) : st.poolQ[k];
    Q += poolProtected(st, k, n + 1, H + phys, Cap + cap, F + f) - without;
    if (p.burdenSharing && effectiveFor(st, i, REFUGEE, level) !== U) {
      const { weight, strength } = st.terms;
      if (weight === null && strength === null) hosted = ((H + phys) * cap) / (Cap + cap);
      else {
        // power asymmetry: its quota by weight; confidence building: a share sigma of the stock pooled
        const wi = weight === null ? cap : weight[i];
        const W = weight === null ? Cap + cap : poolWeight(st, k) - (mine ? wi : 0) + wi;
        const pooled = ((H + phys) * wi) / W;
        hosted = strength === null ? pooled : (1 - strength[k]) * phys + strength[k] * pooled;
      }
    }
  }
  const Htot = st.refAgg[2];
  const rights = Htot > 0 ? (st.wR[i] * cap * Q) / Htot : 0;
  // onward movers heading here are expected to scale with the unprotected stock
  const unprotNow = Htot - st.refAgg[1];
  const scale = unprotNow > 1e-12 ? Math.max(0, Htot - Q) / unprotNow : 1;
  return rights - (p.refugee.hostingCost * hosted * hosted) / cap - st.wS[i] * p.irregular.arrivalCost * st.ref.onwardTo[i] * scale;
}

function irregularPayoffValue(st: FlowsState, i: number, level: number): number {
  const p = st.p;
  const r = st.irr;
  const l = effectiveFor(st, i, IRREGULAR, level);
  const eU = p.irregular.enforcement.U;
  let stays: number;
  let transit: number;
  // the institution's standard in force (confidence building); flows bound for a state both institutions cover (thruB, venue shopping) are cut at either
  if (l === C) {
    const eC = standardOf(st, IRREGULAR, st.w.region[i]);
    stays = r.reachC[i] * (1 - eC);
    transit = (r.thruC[i] + r.thruB[i]) * (1 - eC) + (r.thruR[i] + r.thruO[i]) * (1 - eU);
  } else if (l === M) {
    const eM = standardOf(st, IRREGULAR, st.w.R);
    stays = r.reachM[i] * (1 - eM);
    transit = (r.thruR[i] + r.thruB[i]) * (1 - eM) + (r.thruC[i] + r.thruO[i]) * (1 - eU);
  } else {
    stays = r.reachU[i] * (1 - eU);
    transit = (r.thruC[i] + r.thruR[i] + r.thruB[i] + r.thruO[i]) * (1 - eU);
  }
  const ir = p.irregular;
  return (st.wE[i] * ir.labour - st.wS[i] * ir.arrivalCost) * (stays + r.divIn[i]) - st.wS[i] * ir.arrivalCost * transit;
}

function skilledPayoffValue(st: FlowsState, i: number, level: number): number {
  const p = st.p;
  const sk = st.sk;
  const o = p.skilled.openness;
  const l = effectiveFor(st, i, SKILLED, level);
  const wt = sk.wt[i];
  const R = st.w.R;
  const r = st.w.region[i];
  const own = sk.pool[i] / sk.Z[i];
  const roundLevel = st.lvl[i * 3 + SKILLED];
  // immigrants: everyone's skilled at i's own visas, plus its institution's members' at the agreement's openness
  // openness in force of its club's and the regime's agreement (confidence building)
  const oC = standardOf(st, SKILLED, r);
  const oM = standardOf(st, SKILLED, R);
  let imm = wt * (1 + o.U) * (sk.sums[3] - own);
  if (l === C) imm += wt * (oC - o.U) * (sk.Sk[r] - (roundLevel === C ? own : 0));
  else if (l === M) imm += wt * (oM - o.U) * (sk.Sk[R] - (roundLevel === M ? own : 0));
  // emigrants: the others' weights toward i's nationals, its institution's members opening to them
  const cur = st.pop.choice[i * 3 + SKILLED];
  let z = zAll(st) - wt * (1 + o.U) + 2 * wt;
  if (l === C) z += st.skBonus[r] - (cur === C ? wt * (oC - o.U) : 0);
  else if (l === M) z += (oM - o.U) * (st.skAgg[1] - (cur === M ? wt : 0));
  const emi = sk.pool[i] * (1 - (2 * wt) / z);
  return st.wE[i] * p.skilled.value * (imm - emi);
}

/**
 * Side payments to state i per unit of capacity at `level` in area g (it counts itself
 * in): it pays s x its capacity and receives an equal share s x Cap / n of the fund, so
 * the net is s x (mean member capacity / its capacity - 1): positive below the members'
 * mean capacity, negative above it. The same rule at C and M; 0 at U.
 */
function sidePayment(st: FlowsState, i: number, g: number, level: number, s: number): number {
  const cap = st.w.capacity[i];
  const cur = st.pop.choice[i * 3 + g];
  let n: number;
  let Cap: number;
  if (level === C) {
    const k = g * st.w.R + st.w.region[i];
    n = st.nC[k] - (cur === C ? 1 : 0) + 1;
    Cap = st.capC[k] - (cur === C ? cap : 0) + cap;
  } else {
    n = st.nM[g] - (cur === M ? 1 : 0) + 1;
    Cap = st.capM[g] - (cur === M ? cap : 0) + cap;
  }
  return s * (Cap / (n * cap) - 1);
}

/**
 * Transit leverage to state i per unit of capacity at `level` in the irregular area (it
 * counts itself in): the members pay, by capacity, tau per transit entry bound for a
 * member that crosses a member, and each member receives tau per such entry crossing
 * it: tau x (its entries / its capacity - the members' entries / their capacity).
 * Positive for a member whose territory the members' routes cross more than on
 * average per unit of capacity, negative for the others; the same at C and M.
 */
function transitLeverage(st: FlowsState, i: number, level: number, tau: number): number {
  const cap = st.w.capacity[i];
  const cur = st.pop.choice[i * 3 + IRREGULAR];
  let own: number;
  let T: number;
  let Cap: number;
  // entries bound for a state the institution covers (with venue shopping, thruB too)
  if (level === C) {
    const k = st.w.region[i];
    own = st.irr.thruC[i] + st.irr.thruB[i];
    T = st.transitC[k] - (cur === C ? own : 0) + own;
    Cap = st.capC[IRREGULAR * st.w.R + k] - (cur === C ? cap : 0) + cap;
  } else {
    own = st.irr.thruR[i] + st.irr.thruB[i];
    T = st.transitM[0] - (cur === M ? own : 0) + own;
    Cap = st.capM[IRREGULAR] - (cur === M ? cap : 0) + cap;
  }
  return tau * (own / cap - T / Cap);
}

function flowValue(st: FlowsState, i: number, g: number, level: number): number {
  return g === REFUGEE ? refugeePayoffValue(st, i, level) : g === IRREGULAR ? irregularPayoffValue(st, i, level) : skilledPayoffValue(st, i, level);
}

/**
 * Linkage, per unit of capacity: at an institution level, area g is tied to every other
 * area h in which state i already holds the same level effectively, so acting at the
 * level in g carries lam x what the level is worth to i in h over U there (flow values,
 * the same forecast as the payoff's): positive where the linked agreement pays, negative
 * where it costs. The same rule at C and M.
 */
function linkageValue(st: FlowsState, i: number, g: number, level: number, lam: number): number {
  let sum = 0;
  for (let h = 0; h < 3; h++) {
    if (h === g || st.pop.choice[i * 3 + h] !== level || effectiveFor(st, i, h, level) === U) continue;
    sum += flowValue(st, i, h, level) - flowValue(st, i, h, U);
  }
  return (lam * sum) / st.w.capacity[i];
}

/**
 * Power asymmetry: state i's share of its institution's level costs, relative to a
 * share by capacity: the members (by choice, i counted in) pay their summed cost
 * Cap x cost in shares weight / W, so per unit of capacity i pays cost x (Cap x
 * weight_i) / (W x cap_i): below 1 for a member above the members' weighted size when
 * a > 0, above 1 when a < 0. The same rule at C and M.
 */
function costShare(st: FlowsState, i: number, g: number, level: number, weight: Float64Array): number {
  const cap = st.w.capacity[i];
  const wi = weight[i];
  const cur = st.pop.choice[i * 3 + g];
  let Cap: number;
  let W: number;
  if (level === C) {
    const k = g * st.w.R + st.w.region[i];
    Cap = st.capC[k] - (cur === C ? cap : 0) + cap;
    W = st.wC[k] - (cur === C ? wi : 0) + wi;
  } else {
    Cap = st.capM[g] - (cur === M ? cap : 0) + cap;
    W = st.wM[g] - (cur === M ? wi : 0) + wi;
  }
  return (Cap * wi) / (W * cap);
}

/** State i's payoff per unit of capacity in area g at `level`: flow value, minus the level's cost (shared by power with power asymmetry), plus norms, side payments and linkage for an effective institution, less the facilitation fee. */
export function payoff(st: FlowsState, i: number, g: number, level: number): number {
  const cap = st.w.capacity[i];
  const v = flowValue(st, i, g, level);
  const eff = effectiveFor(st, i, g, level);
  const mech = st.p.mechanisms;
  let extra = 0;
  if (eff !== U) {
    extra = mech.norms;
    const sp = mech.sidePayments;
    if (sp !== undefined && sp > 0) extra += sidePayment(st, i, g, level, sp);
    const lam = mech.linkage;
    if (lam !== undefined && lam > 0) extra += linkageValue(st, i, g, level, lam);
    const tau = mech.transitLeverage;
    if (tau !== undefined && tau > 0 && g === IRREGULAR) extra += transitLeverage(st, i, level, tau);
    const fac = mech.facilitation;
    if (fac !== undefined) extra -= fac.fee;
  }
  const weight = st.terms.weight;
  const cost = weight === null || level === U ? levelCost(st.p, level, st.clock[1] === 1) : levelCost(st.p, level, st.clock[1] === 1) * costShare(st, i, g, level, weight);
  return v / cap - cost + extra;
}

export { M };
