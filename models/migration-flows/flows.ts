// One round of movement in each issue area, as deterministic expected flows (people
// are real-valued stocks, so every share is exact and conservation holds to rounding).
// Each step is a pure function of the world, the parameters, the effective levels
// (lvl[i * 3 + area]: 0 U, 1 C, 2 M, after the club and minimum-participation rules)
// and, for refugees, the stocks at the start of the round; it writes into buffers it
// is given and allocates nothing. Cost: O(N x k) in each area (irregular migrants
// summed over the forest their routes form, not walked origin by origin: docs/model.md
// §5.10). The model calls them in onRound; the
// measured goods properties call them again on counterfactual levels.
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
if (U !== P.U || C !== P.C || M !== P.M || REFUGEE !== P.REFUGEE || IRREGULAR !== P.IRREGULAR || SKILLED !== P.SKILLED) throw new Error('flows.ts: a level or area constant differs from parameters.ts');
import type { World } from './world.ts';

/**
 * What three optional mechanisms change in how institutions act on the flows
 * (docs/model.md §5.6); the model keeps one in its state and passes it to every step,
 * the metrics' counterfactual rounds too. Undefined, or every field null or false: the
 * steps act exactly as without the mechanisms.
 */
export interface InstitutionTerms {
  /** confidence building: the standard in force of each institution, at g x (R + 1) + k for area g and institution k (clubs k < R, the regime R): protection (refugee), enforcement (irregular), openness (skilled); null: the level's standard */
  readonly std: Float64Array | null;
  /** confidence building: the share of each institution's rules that operates, laid out as std (burden-sharing pools that share of each member's stock); null: all of it */
  readonly strength: Float64Array | null;
  /** power asymmetry: each state's weight in burden-sharing quotas, capacity^(1 - a); null: its capacity */
  readonly weight: Float64Array | null;
  /** venue shopping (irregular area): a member of one institution keeps the other's enforcement on flows bound for it */
  readonly shopping: boolean;
}

/** Refugee stocks, per link e = (origin o -> first-asylum host nbr[e]) of o's row. */
export interface RefugeeStocks {
  /** hosted at the first-asylum host */
  readonly S1: Float64Array;
  /** moved on from the first-asylum host and hosted among its richer neighbours (by onwardShare) */
  readonly S2: Float64Array;
  /** in transit: left the first-asylum host this round, arrive next round */
  readonly T: Float64Array;
  /** [displaced ever, returned ever] */
  readonly totals: Float64Array;
}

export function createStocks(E: number): RefugeeStocks {
  return { S1: new Float64Array(E), S2: new Float64Array(E), T: new Float64Array(E), totals: new Float64Array(2) };
}

export function copyStocks(from: RefugeeStocks, to: RefugeeStocks): void {
  to.S1.set(from.S1);
  to.S2.set(from.S2);
  to.T.set(from.T);
  to.totals.set(from.totals);
}

/** What one refugee step leaves, per state and in total. */
export interface RefugeeRound {
  /** physically hosted before burden-sharing */
  readonly phys: Float64Array;
  /** hosted after burden-sharing (resettlement among members by capacity) */
  readonly hosted: Float64Array;
  /** protection delivered (share of the hosted protected) at the end of the round */
  readonly prot: Float64Array;
  /** first-asylum arrivals this round */
  readonly firstIn: Float64Array;
  /** onward movers who left this state this round */
  readonly onwardOut: Float64Array;
  /** onward movers heading to this state (they arrive next round) */
  readonly onwardTo: Float64Array;
  /** scratch: per-state sums of link stocks */
  readonly scratch: Float64Array;
  /** pools of burden-sharing: per club (R) and the regime (index R): hosted, capacity, and the members' quota weights (power asymmetry) */
  readonly poolH: Float64Array;
  readonly poolCap: Float64Array;
  readonly poolW: Float64Array;
  /** [hosted, in transit, protected, displaced this round, returned this round] */
  readonly sums: Float64Array;
}

export function createRefugeeRound(N: number, R: number): RefugeeRound {
  const f = () => new Float64Array(N);
  return { phys: f(), hosted: f(), prot: f(), firstIn: f(), onwardOut: f(), onwardTo: f(), scratch: f(), poolH: new Float64Array(R + 1), poolCap: new Float64Array(R + 1), poolW: new Float64Array(R + 1), sums: new Float64Array(5) };
}

/**
 * Physically hosted per state from link stocks: S1 at the host, S2 spread over the
 * host's richer neighbours other than the refugees' own origin (by income). Links whose
 * origin is not among the host's richer neighbours share the host's onwardShare and are
 * summed first; the others (origin richer than the host) are spread one by one.
 */
function physical(w: World, st: RefugeeStocks, out: RefugeeRound): void {
  const { N, nbrStart, nbr, onwardShare, income } = w;
  const phys = out.phys;
  const s2In = out.scratch;
  phys.fill(0);
  s2In.fill(0);
  for (let o = 0; o < N; o++) {
    const yo = income[o];
    for (let e = nbrStart[o]; e < nbrStart[o + 1]; e++) {
      const h = nbr[e];
      phys[h] += st.S1[e];
      const s = st.S2[e];
      if (s === 0) continue;
      if (yo > income[h]) spreadOnward(w, h, o, s, phys);
      else s2In[h] += s;
    }
  }
  for (let h = 0; h < N; h++) {
    const s = s2In[h];
    if (s === 0) continue;
    for (let e = nbrStart[h]; e < nbrStart[h + 1]; e++) if (onwardShare[e] > 0) phys[nbr[e]] += s * onwardShare[e];
  }
}

/** Adds `amount` onward movers from host h (origin o, richer than h) to h's richer neighbours other than o, by income. */
function spreadOnward(w: World, h: number, o: number, amount: number, into: Float64Array): void {
  const { nbrStart, nbr, onwardShare, income, richerIncome } = w;
  const denom = richerIncome[h] - income[o];
  for (let e = nbrStart[h]; e < nbrStart[h + 1]; e++) {
    const j = nbr[e];
    if (onwardShare[e] > 0 && j !== o) into[j] += (amount * income[j]) / denom;
  }
}

/** Can refugees from origin o, first hosted at h, move on (h has a richer neighbour other than o)? */
function canMoveOnFrom(w: World, h: number, o: number): boolean {
  return w.richerCount[h] - (w.income[o] > w.income[h] ? 1 : 0) > 0;
}

/**
 * Burden-sharing and protection: with burdenSharing, the members of each effective
 * club and of the regime in force host their pooled stock in proportion to capacity
 * (resettlement), so each member's hosted stock per unit of capacity is the pool's;
 * protection delivered is the level's standard, thinned where the hosted stock
 * exceeds what the host (or the pool) can absorb: std x min(1, absorption x capacity / hosted).
 * Power asymmetry (terms.weight): quotas by capacity^(1 - a) instead of capacity; the
 * pool's protection is unchanged. Confidence building (terms.strength, terms.std): the
 * institution's standard in force, and only the operating share sigma of each member's
 * stock is pooled; the rest stays with its host, protected as the host alone would
 * (std x min(stock, absorption x capacity), capacity split in the same shares).
 */
function shareAndProtect(w: World, p: FlowsParams, lvl: Uint8Array, out: RefugeeRound, terms?: InstitutionTerms): void {
  const { N, R, capacity, region } = w;
  const { phys, hosted, prot, poolH, poolCap, poolW } = out;
  const std = p.refugee.protection;
  const abs = p.refugee.absorption;
  const opStd = terms?.std ?? null; // refugee institutions at 0..R
  const strength = terms?.strength ?? null;
  const weight = terms?.weight ?? null;
  poolH.fill(0);
  poolCap.fill(0);
  poolW.fill(0);
  const share = p.burdenSharing;
  if (share) {
    for (let i = 0; i < N; i++) {
      const l = lvl[i * 3 + REFUGEE];
      if (l === U) continue;
      const k = l === C ? region[i] : R;
      poolH[k] += phys[i];
      poolCap[k] += capacity[i];
      if (weight !== null) poolW[k] += weight[i];
    }
  }
  for (let i = 0; i < N; i++) {
    const l = lvl[i * 3 + REFUGEE];
    const s = l === U ? std.U : opStd !== null ? opStd[l === C ? region[i] : R] : l === C ? std.C : std.M;
    if (share && l !== U) {
      const k = l === C ? region[i] : R;
      if (strength === null) {
        hosted[i] = weight === null ? (poolH[k] * capacity[i]) / poolCap[k] : (poolH[k] * weight[i]) / poolW[k];
        prot[i] = poolH[k] > 0 ? s * Math.min(1, (abs * poolCap[k]) / poolH[k]) : s;
      } else {
        const sg = strength[k];
        const part = weight === null ? capacity[i] / poolCap[k] : weight[i] / poolW[k];
        hosted[i] = (1 - sg) * phys[i] + sg * poolH[k] * part;
        const q = s * ((1 - sg) * Math.min(phys[i], abs * capacity[i]) + sg * Math.min(poolH[k], abs * poolCap[k]) * part);
        prot[i] = hosted[i] > 0 ? q / hosted[i] : s;
      }
    } else {
      hosted[i] = phys[i];
      prot[i] = phys[i] > 0 ? s * Math.min(1, (abs * capacity[i]) / phys[i]) : s;
    }
  }
}

/**
 * One refugee round from stocks `from` into `to` (which may be the same object):
 * last round's onward movers arrive; refugees of crises that have ended return at
 * returnRate; this round's displaced (displaced[o]) reach first asylum among o's
 * neighbours with weights exp(-distance/decay) x (1 + protection), protection as the
 * hosts deliver it at the start of the round; of those arriving at a host that
 * leaves a share 1 - protection unprotected, a share `onward` moves on toward the
 * host's richer neighbours other than the refugees' own origin (in transit until next
 * round; none where there is no such neighbour).
 */
export function refugeeStep(w: World, p: FlowsParams, lvl: Uint8Array, displaced: Float64Array, active: Uint8Array, from: RefugeeStocks, to: RefugeeStocks, out: RefugeeRound, terms?: InstitutionTerms): void {
  if (from !== to) copyStocks(from, to);
  const { N, nbrStart, nbr, dist, onwardShare, income } = w;
  const { S1, S2, T } = to;
  const rr = p.refugee.returnRate;
  // arrivals of last round's onward movers
  for (let e = 0; e < nbr.length; e++) {
    S2[e] += T[e];
    T[e] = 0;
  }
  // returns from crises that have ended
  let returned = 0;
  if (rr > 0) {
    for (let o = 0; o < N; o++) {
      if (active[o]) continue;
      for (let e = nbrStart[o]; e < nbrStart[o + 1]; e++) {
        const r = rr * (S1[e] + S2[e]);
        if (r === 0) continue;
        S1[e] *= 1 - rr;
        S2[e] *= 1 - rr;
        returned += r;
      }
    }
  }
  // protection at the start of the round, with this round's levels
  physical(w, to, out);
  shareAndProtect(w, p, lvl, out, terms);
  const prot = out.prot;
  const { firstIn, onwardOut, onwardTo } = out;
  firstIn.fill(0);
  onwardOut.fill(0);
  onwardTo.fill(0);
  const onwardBy = out.scratch; // free between the two calls of physical()
  onwardBy.fill(0);
  const decay = p.refugee.decay;
  const onward = p.refugee.onward;
  let newly = 0;
  for (let o = 0; o < N; o++) {
    const d = displaced[o];
    if (d <= 0) continue;
    newly += d;
    let sum = 0;
    for (let e = nbrStart[o]; e < nbrStart[o + 1]; e++) sum += Math.exp(-dist[e] / decay) * (1 + prot[nbr[e]]);
    for (let e = nbrStart[o]; e < nbrStart[o + 1]; e++) {
      const h = nbr[e];
      const f = (d * Math.exp(-dist[e] / decay) * (1 + prot[h])) / sum;
      const move = canMoveOnFrom(w, h, o) ? f * onward * (1 - prot[h]) : 0;
      S1[e] += f - move;
      T[e] += move;
      firstIn[h] += f;
      onwardOut[h] += move;
      // movers whose origin is a richer neighbour of h skip it (spread now); the rest by h's onwardShare (below)
      if (move > 0) {
        if (income[o] > income[h]) spreadOnward(w, h, o, move, onwardTo);
        else onwardBy[h] += move;
      }
    }
  }
  for (let h = 0; h < N; h++) {
    const m = onwardBy[h];
    if (m === 0) continue;
    for (let e = nbrStart[h]; e < nbrStart[h + 1]; e++) if (onwardShare[e] > 0) onwardTo[nbr[e]] += m * onwardShare[e];
  }
  to.totals[0] += newly;
  to.totals[1] += returned;
  // the end of the round: who hosts how many, and how many are protected
  physical(w, to, out);
  shareAndProtect(w, p, lvl, out, terms);
  let hostedSum = 0;
  let protectedSum = 0;
  let transit = 0;
  for (let i = 0; i < N; i++) {
    hostedSum += out.hosted[i];
    protectedSum += out.prot[i] * out.hosted[i];
  }
  for (let e = 0; e < nbr.length; e++) transit += T[e];
  out.sums[0] = hostedSum;
  out.sums[1] = transit;
  out.sums[2] = protectedSum;
  out.sums[3] = newly;
  out.sums[4] = returned;
}

/** What one irregular round leaves, per state and in total. */
export interface IrregularRound {
  /** flow reaching a state's border as its destination, were it at U (reachU), an effective member of its region's club (reachC) or of the regime in force (reachM) */
  readonly reachU: Float64Array;
  readonly reachC: Float64Array;
  readonly reachM: Float64Array;
  /** flow reaching a state's border in transit, bound for a state its region's club covers (thruC: a club member of its region), the regime covers (thruR: a regime member), both (thruB: with venue shopping only), or neither (thruO) */
  readonly thruC: Float64Array;
  readonly thruR: Float64Array;
  readonly thruB: Float64Array;
  readonly thruO: Float64Array;
  /** entries that stay (at the destination), entries in transit, and diverted people who settle here */
  readonly stays: Float64Array;
  readonly transit: Float64Array;
  readonly divIn: Float64Array;
  /** left this round (origins) */
  readonly emitted: Float64Array;
  /** [emitted, arrived at destinations, diverted (settled elsewhere), stopped, deterred (diverted with nowhere to go)] */
  readonly sums: Float64Array;
  /** scratch: the neighbours a diverted flow goes to (a state has at most N - 1) */
  readonly cand: Int32Array;
  /** scratch (venue shopping): 1 for each club with effective members this round (there are at most N clubs) */
  readonly clubOn: Uint8Array;
  /** scratch: flow that has passed each state's border in transit so far this round, actual (passF) and as it would be were the destination at U, C or M (passU, passC, passM) */
  readonly passF: Float64Array;
  readonly passU: Float64Array;
  readonly passC: Float64Array;
  readonly passM: Float64Array;
}

export function createIrregularRound(N: number): IrregularRound {
  const f = () => new Float64Array(N);
  return { reachU: f(), reachC: f(), reachM: f(), thruC: f(), thruR: f(), thruB: f(), thruO: f(), stays: f(), transit: f(), divIn: f(), emitted: f(), sums: new Float64Array(5), cand: new Int32Array(N), clubOn: new Uint8Array(N), passF: f(), passU: f(), passC: f(), passM: f() };
}

/**
 * Splits a diverted amount among the neighbours of s outside its institution (and not
 * prev); returns what found nowhere to go. One pass over the neighbours collects them
 * into `cand` (scratch of at least s's degree), then each gets amount / n, in
 * neighbour order.
 */
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

/** Is j inside the institution whose rule cut the flow at s (U: s alone; C: s's club; M: the regime)? */
function inside(lvl: Uint8Array, region: Int32Array, s: number, j: number, rule: number): boolean {
  const lj = lvl[j * 3 + IRREGULAR];
  if (rule === M) return lj === M;
  if (rule === C) return lj === C && region[j] === region[s];
  return false;
}

/**
 * One irregular round: each low-income origin sends propensity x population along its
 * route. At every state on the route the flow is cut by that state's enforcement, the
 * same rule at both institution levels: a club member (C) cuts flows bound for a member
 * of its club at the club's standard, a regime member (M) flows bound for a member of
 * the regime at the regime's standard (shared enforcement and readmission along
 * members' routes), each its own (U) otherwise. Of a cut, a share `diversion` reroutes
 * into the cutting state's neighbours outside its institution and settles there; the
 * rest is stopped. Whatever passes the destination's border (cut at the destination's
 * own level) stays.
 * Confidence building (terms.std): each club and the regime cut at their standard in
 * force. Venue shopping (terms.shopping): a club member is also covered by the regime
 * in force (a regime member on its route cuts flows bound for it at the regime's
 * standard), a regime member by its region's club when that club has effective
 * members; each state still cuts only for the institution it is in. "In force" and
 * "effective" are as in lvl (the forecasts reachC and reachM too: partial equilibrium).
 *
 * Computed as one pass over the forest the routes form (world.ts: each route follows
 * the next state to its tree's root, the destination of every origin in the tree), not
 * origin by origin: the cut at a state depends only on the state, the destination and
 * the levels, and the flows (actual and as if the destination were at U, C or M) are
 * linear in what the origins emit, so the flow that leaves a state toward the next is
 * its own emission plus what passed its border, and each state's cut and diversion
 * are applied once per state it receives flow from (the diverted share does not go
 * back to that state). O(N x k) however long the routes; the same quantities as the walk
 * along each route, summed in another order (equal to about 1e-12 relative,
 * tests/models/migration-flows/irregular-tree.test.ts).
 */
export function irregularStep(w: World, p: FlowsParams, lvl: Uint8Array, out: IrregularRound, terms?: InstitutionTerms): void {
  const { N, R, region, population, routeStart, routeNext, routeDest, routeOrder } = w;
  const en = p.irregular.enforcement;
  const div = p.irregular.diversion;
  const { reachU, reachC, reachM, thruC, thruR, thruB, thruO, stays, transit, divIn, emitted, clubOn, passF, passU, passC, passM } = out;
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
  passF.fill(0);
  passU.fill(0);
  passC.fill(0);
  passM.fill(0);
  let sent = 0;
  let arrived = 0;
  let diverted = 0;
  let stopped = 0;
  let deterred = 0;
  for (let o = 0; o < N; o++) {
    if (routeStart[o] === routeStart[o + 1]) continue;
    const m = p.irregular.propensity * population[o];
    if (m <= 0) continue;
    emitted[o] = m;
    sent += m;
  }
  // venue shopping: were d in its club, the regime covers it too (accR); were d in the regime, its club does (accC)
  const accR = shop && regimeOn;
  for (let t = 0; t < routeOrder.length; t++) {
    const c = routeOrder[t];
    const m = emitted[c];
    // the flow leaving c for s: c's own emission and what passed c's border
    const f = passF[c] + m; // actual
    const fU = passU[c] + m; // as if d were at U
    const fC = passC[c] + m; // as if d were an effective club member
    const fM = passM[c] + m; // as if d were a member of the regime in force
    if (f === 0 && fU === 0 && fC === 0 && fM === 0) continue;
    const s = routeNext[c];
    const d = routeDest[c];
    const dr = region[d];
    const ld = lvl[d * 3 + IRREGULAR];
    const eClub = opStd === null ? en.C : opStd[base + dr];
    const accC = shop && clubOn[dr] === 1;
    const ls = lvl[s * 3 + IRREGULAR];
    if (s === d) {
      reachU[s] += fU;
      reachC[s] += fC;
      reachM[s] += fM;
      const rule = ls;
      const e = ls === U ? en.U : ls === C ? eClub : eReg;
      const cut = f * e;
      stays[s] += f - cut;
      arrived += f - cut;
      const dv = cut * div;
      const nowhere = divert(w, lvl, s, c, rule, dv, divIn, out.cand);
      diverted += dv - nowhere;
      deterred += nowhere;
      stopped += cut - dv;
      continue;
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
    const nowhere = divert(w, lvl, s, c, rule, dv, divIn, out.cand);
    diverted += dv - nowhere;
    deterred += nowhere;
    stopped += cut - dv;
    passF[s] += f - cut;
    passU[s] += fU * (1 - en.U);
    passC[s] += fC * (1 - eC);
    passM[s] += fM * (1 - eM);
  }
  out.sums[0] = sent;
  out.sums[1] = arrived;
  out.sums[2] = diverted;
  out.sums[3] = stopped;
  out.sums[4] = deterred;
}

/** What one skilled round leaves, per state and in total. */
export interface SkilledRound {
  /** income^elasticity */
  readonly wt: Float64Array;
  /** choosing this round, per origin */
  readonly pool: Float64Array;
  /** each origin's sum of destination weights */
  readonly Z: Float64Array;
  readonly immigrants: Float64Array;
  readonly emigrants: Float64Array;
  /** per institution (clubs k < R, the regime R): sum over its effective members o of pool[o] / Z[o]; and the institution's bonus weight, sum over its members j of wt[j] x (open - openness U) */
  readonly Sk: Float64Array;
  readonly bonus: Float64Array;
  /** [pool, moved, Zall (sum of wt x (1 + openness U)), Sg (sum over origins of pool / Z)] */
  readonly sums: Float64Array;
}

export function createSkilledRound(N: number, R: number): SkilledRound {
  const f = () => new Float64Array(N);
  return { wt: f(), pool: f(), Z: f(), immigrants: f(), emigrants: f(), Sk: new Float64Array(R + 1), bonus: new Float64Array(R + 1), sums: new Float64Array(4) };
}

/** The institution whose mobility agreement state i is in at effective level l: its club (region), the regime (R), or -1 (U). */
function agreementOf(region: Int32Array, R: number, i: number, l: number): number {
  return l === C ? region[i] : l === M ? R : -1;
}

/**
 * One skilled round: pool x population skilled people in each state choose a country
 * (home included, open to them: weight income^elasticity x 2) with weights
 * income^elasticity x (1 + openness of the destination toward them). The same rule at
 * both institution levels: a member's mobility agreement opens it, at its level's
 * openness, to the nationals of the other members of its institution (its club's, or
 * the regime's), its own visas (U) toward everyone else. The pool is finite: what one
 * destination draws, the others do not.
 */
export function skilledStep(w: World, p: FlowsParams, lvl: Uint8Array, out: SkilledRound, terms?: InstitutionTerms): void {
  const { N, R, region, income, population } = w;
  const eps = p.skilled.incomeElasticity;
  const o = p.skilled.openness;
  const oU = o.U;
  // confidence building: each agreement opens at its openness in force
  const opStd = terms?.std ?? null;
  const base = SKILLED * (R + 1);
  const { wt, pool, Z, immigrants, emigrants, Sk, bonus } = out;
  Sk.fill(0);
  bonus.fill(0);
  let Zall = 0;
  for (let j = 0; j < N; j++) {
    wt[j] = Math.pow(income[j], eps);
    Zall += wt[j] * (1 + oU);
    const l = lvl[j * 3 + SKILLED];
    const k = agreementOf(region, R, j, l);
    if (k >= 0) bonus[k] += wt[j] * ((opStd !== null ? opStd[base + k] : l === C ? o.C : o.M) - oU);
  }
  let Sg = 0;
  let total = 0;
  let moved = 0;
  for (let i = 0; i < N; i++) {
    const l = lvl[i * 3 + SKILLED];
    const k = agreementOf(region, R, i, l);
    const home = 2 * wt[i];
    let z = Zall - wt[i] * (1 + oU) + home;
    if (k >= 0) z += bonus[k] - wt[i] * ((opStd !== null ? opStd[base + k] : l === C ? o.C : o.M) - oU);
    Z[i] = z;
    pool[i] = p.skilled.pool * population[i];
    total += pool[i];
    Sg += pool[i] / z;
    if (k >= 0) Sk[k] += pool[i] / z;
    emigrants[i] = pool[i] * (1 - home / z);
    moved += emigrants[i];
  }
  for (let j = 0; j < N; j++) {
    const l = lvl[j * 3 + SKILLED];
    const k = agreementOf(region, R, j, l);
    const own = pool[j] / Z[j];
    let imm = wt[j] * (1 + oU) * (Sg - own);
    if (k >= 0) imm += wt[j] * ((opStd !== null ? opStd[base + k] : l === C ? o.C : o.M) - oU) * (Sk[k] - own);
    immigrants[j] = imm;
  }
  out.sums[0] = total;
  out.sums[1] = moved;
  out.sums[2] = Zall;
  out.sums[3] = Sg;
}
