// An independent reference for the migration-governance model: the payoff of one
// state in one issue area at one level, computed by scanning every state (O(N)),
// from the rules as models/migration-governance.ts documents them (G1-G7 and the
// helpers' comments, the parameter descriptions in its schema). It reads only what
// a state *is* (region, club, role weights, capacity, sovereignty, the level it
// holds) and the parameters; it recomputes contributions, valuations, membership,
// provision, destination capacity, unilateral providers, institution ages and the
// shock flags itself and never reads the model's running aggregates.
//
// The rules, as re-derived here (i the state, g the issue area, l the level asked
// about, every other state j keeping its level; v_i its valuation, s_i its
// sovereignty sensitivity, c_i its contribution, m the multiplier, e, rho, lambda
// the issue area's excludability, rivalry, reach):
//  contribution  c_j = capacity_j^(1-alpha) * mean(capacity)^alpha  (power asymmetry alpha)
//  valuation     v_j = the state row's own value for g, else sum over roles of w_jk * valuation_k;
//                times crisis.stakeFactor while a crisis of g is on in j's region
//  sovereignty   s_j, times nationalism.factor while a nationalist turn is on
//  provides_j    v_j m > 1 + tau_U s_j (a state at U provides for itself only where that pays)
//  in force      the regime's members n_M >= theta N (minimum participation)
//  x(S)          the effective contribution per member of a member set S: the mean under
//                summation (sum / n), the lowest under weakest-link, the highest under best-shot
//  G1 regime (in force, n_M > 0): seen = m x(S_M) (n_Mr + lambda (n_M - n_Mr)) under
//     weakest-link/best-shot, m (Q_Mr + lambda (Q_M - Q_Mr)) under summation (r: i's region);
//     member: v seen share, share = 1 if rho = 0, else (c_i / Q_M)^rho (summation) or (1 / n_M)^rho;
//     outsider: v access seen / n_M^rho, access = 1 with venue shopping at C, otherwise
//     (1 - e)(1 - norms)(1 - linkage (w_o + w_t) D_M / D_all), D = sum of w_d c over a set
//  G2 own club k (its members S_k, n_k > 0): provision = m n_k x(S_k); member: v provision share
//     (as in G1 with Q_k, n_k); outsider: v access provision / n_k^rho, access = 1 with venue
//     shopping at M, otherwise (1 - e)(1 - linkage (w_o + w_t) D(S_k) / D(club k's states))
//  G3 every other club k' (n > 0): v (1 - e) m n x / n^rho, times lambda outside i's region
//  G4 at U and providing: + v m c_i - c_i (1 + tau_U s_i); always: the other unilateral
//     providers' spill-over v (1 - e) m sum_j c_j (1 in i's region, lambda elsewhere)
//  G5 at C, or at M with the regime in force: cost c_i (1 + tau_l s_i + fee); at M, not in
//     force: c_i tau_M s_i (ratifying costs sovereignty, nothing is contributed);
//     tau_l = base_l (1 - facilitation)(1 - confidence (1 - 2^(-age / halfLife)));
//     an institution's age counts, at the start of each round, the rounds it has had at
//     least one member without a break (talks before a treaty is in force build confidence too)
//  G6 transfers, for i's club and (in force) the regime, whatever i's level: each origin/transit
//     member receives (sp (w_o + w_t) + tl w_t) c; the destinations the institution serves
//     (a club: the states it is open to; the regime: every state) pay the members' total in
//     proportion to w_d c, members or not: - [sum_S (sp (w_o + w_t) + tl w_t) c_j] w_d,i c_i / D,
//     D = sum of w_d c over the states served (nothing paid or received when D = 0)
//  G7 fee = facilitationFee while facilitation > 0, else 0.
import type { MigrationParams, MigrationState } from '../../models/migration-governance.ts';

export const U = 0;
export const C = 1;
export const M = 2;

/** A mechanism the reference can leave out altogether (for the neutrality tests). */
export type Mechanism =
  | 'minimumParticipation'
  | 'norms'
  | 'linkage'
  | 'sidePayments'
  | 'transitLeverage'
  | 'facilitation'
  | 'venueShopping'
  | 'powerAsymmetry'
  | 'confidenceBuilding'
  | 'crisis'
  | 'nationalism';

/**
 * What changes with time rather than with choices, kept by the reference itself:
 * the shock flags and the ages of the institutions. Call `startRound` just before
 * each `sim.step()`, as the engine calls the model's onRound.
 */
export interface RefClock {
  crisisOn: boolean;
  nationalismOn: boolean;
  /** per issue area */
  ageM: Float64Array;
  /** per (issue area, club), club ids as the state lists them */
  ageC: Float64Array;
}

export function createClock(st: MigrationState): RefClock {
  const K = clubCount(st);
  return { crisisOn: false, nationalismOn: false, ageM: new Float64Array(st.G), ageC: new Float64Array(st.G * K) };
}

function clubCount(st: MigrationState): number {
  return st.clubRegion.length;
}

function minimumMembers(p: MigrationParams, N: number): number {
  // "in force only with at least theta x N members"; the tolerance absorbs 0.1 * 30 = 3.0000000000000004
  return p.mechanisms.minimumParticipation * N - 1e-9;
}

export function startRound(st: MigrationState, clock: RefClock, round: number): void {
  const mech = st.p.mechanisms;
  const active = (s: { start: number; duration: number } | undefined) => s !== undefined && round >= s.start && round < s.start + s.duration;
  clock.crisisOn = active(mech.crisis);
  clock.nationalismOn = active(mech.nationalism);
  const K = clubCount(st);
  for (let g = 0; g < st.G; g++) {
    let nM = 0;
    const nC = new Float64Array(K);
    for (let j = 0; j < st.N; j++) {
      const lvl = st.pop.choice[j * st.G + g];
      if (lvl === M) nM++;
      else if (lvl === C) nC[st.club[j]]++;
    }
    // an institution ages from its first member on, and starts again when it empties
    clock.ageM[g] = nM >= 1 ? clock.ageM[g] + 1 : 0;
    for (let k = 0; k < K; k++) clock.ageC[g * K + k] = nC[k] >= 1 ? clock.ageC[g * K + k] + 1 : 0;
  }
}

/** c_j for every state, from capacities and power asymmetry. */
export function contributions(st: MigrationState, off: ReadonlySet<Mechanism> = new Set()): Float64Array {
  const alpha = off.has('powerAsymmetry') ? 0 : st.p.mechanisms.powerAsymmetry;
  let sum = 0;
  for (let j = 0; j < st.N; j++) sum += st.capacity[j];
  const mean = sum / st.N;
  const c = new Float64Array(st.N);
  for (let j = 0; j < st.N; j++) c[j] = alpha === 0 ? st.capacity[j] : Math.pow(st.capacity[j], 1 - alpha) * Math.pow(mean, alpha);
  return c;
}

export function valuation(st: MigrationState, clock: RefClock, j: number, g: number, off: ReadonlySet<Mechanism> = new Set()): number {
  const area = st.p.issueAreas[g];
  const own = st.p.states.rows?.[j]?.values?.[area.name];
  const w = (k: number) => st.role[j * 3 + k];
  const base = own ?? w(0) * area.valuation.origin + w(1) * area.valuation.transit + w(2) * area.valuation.destination;
  const crisis = st.p.mechanisms.crisis;
  if (!off.has('crisis') && clock.crisisOn && crisis && crisis.issueArea === area.name && st.region[j] === crisis.region) {
    return base * crisis.stakeFactor;
  }
  return base;
}

export function sovereignty(st: MigrationState, clock: RefClock, j: number, off: ReadonlySet<Mechanism> = new Set()): number {
  const nat = st.p.mechanisms.nationalism;
  return !off.has('nationalism') && clock.nationalismOn && nat ? st.sovereignty[j] * nat.factor : st.sovereignty[j];
}

export function providesAlone(st: MigrationState, clock: RefClock, j: number, g: number, off: ReadonlySet<Mechanism> = new Set()): boolean {
  return valuation(st, clock, j, g, off) * st.p.multiplier > 1 + st.p.transactionCost.U * sovereignty(st, clock, j, off);
}

export interface RefPayoff {
  benefit: number;
  cost: number;
  total: number;
}

/** A member set's totals, built by a scan. */
interface Members {
  n: number;
  Q: number;
  /** members in i's region and their contributions */
  nr: number;
  Qr: number;
  lo: number;
  hi: number;
  D: number;
  OT: number;
  T: number;
}

function emptyMembers(): Members {
  return { n: 0, Q: 0, nr: 0, Qr: 0, lo: Infinity, hi: -Infinity, D: 0, OT: 0, T: 0 };
}

function add(set: Members, st: MigrationState, j: number, c: number, sameRegion: boolean): void {
  set.n++;
  set.Q += c;
  if (sameRegion) {
    set.nr++;
    set.Qr += c;
  }
  if (c < set.lo) set.lo = c;
  if (c > set.hi) set.hi = c;
  set.D += st.role[j * 3 + 2] * c;
  set.OT += (st.role[j * 3] + st.role[j * 3 + 1]) * c;
  set.T += st.role[j * 3 + 1] * c;
}

/** Effective contribution per member: the mean, the lowest or the highest. */
function perMember(st: MigrationState, g: number, set: Members): number {
  const tech = st.p.issueAreas[g].aggregation;
  return tech === 'summation' ? set.Q / set.n : tech === 'weakest-link' ? set.lo : set.hi;
}

/**
 * The payoff of state i in issue area g at `level`, everyone else keeping its
 * level, in absolute terms (the model's payoff times i's capacity). `off` leaves
 * mechanisms out of the rules altogether.
 */
export function referencePayoff(
  st: MigrationState,
  clock: RefClock,
  i: number,
  g: number,
  level: number,
  off: ReadonlySet<Mechanism> = new Set(),
): RefPayoff {
  const p = st.p;
  const mech = p.mechanisms;
  const area = p.issueAreas[g];
  const N = st.N;
  const K = clubCount(st);
  const m = p.multiplier;
  const e = area.excludability;
  const rho = area.rivalry;
  const lambda = area.reach;
  const summation = area.aggregation === 'summation';
  const contribution = contributions(st, off);
  const c = contribution[i];
  const v = valuation(st, clock, i, g, off);
  const s = sovereignty(st, clock, i, off);
  const r = st.region[i];
  const k = st.club[i];
  const wO = st.role[i * 3];
  const wT = st.role[i * 3 + 1];
  const wD = st.role[i * 3 + 2];
  const norms = off.has('norms') ? 0 : mech.norms;
  const linkage = off.has('linkage') ? 0 : mech.linkage;
  const venue = off.has('venueShopping') ? false : mech.venueShopping;

  // one scan: the regime, every club, the destination capacity of each club's states, unilateral providers
  const regime = emptyMembers();
  const clubs: Members[] = [];
  for (let q = 0; q < K; q++) clubs.push(emptyMembers());
  const clubStatesD = new Float64Array(K);
  let Dall = 0;
  let spillOwnRegion = 0;
  let spillElsewhere = 0;
  for (let j = 0; j < N; j++) {
    const lvl = j === i ? level : st.pop.choice[j * st.G + g];
    const cj = contribution[j];
    const same = st.region[j] === r;
    Dall += st.role[j * 3 + 2] * cj;
    clubStatesD[st.club[j]] += st.role[j * 3 + 2] * cj;
    if (lvl === M) add(regime, st, j, cj, same);
    else if (lvl === C) add(clubs[st.club[j]], st, j, cj, same);
    else if (j !== i && providesAlone(st, clock, j, g, off)) {
      if (same) spillOwnRegion += cj;
      else spillElsewhere += cj;
    }
  }

  let benefit = 0;
  let cost = 0;
  const theta = off.has('minimumParticipation') ? 0 : minimumMembers(p, N);
  const inForce = regime.n > 0 && regime.n >= theta;

  // G1: the regime
  if (inForce) {
    const x = perMember(st, g, regime);
    const seen = summation ? m * (regime.Qr + lambda * (regime.Q - regime.Qr)) : m * x * (regime.nr + lambda * (regime.n - regime.nr));
    if (level === M) {
      const share = rho === 0 ? 1 : summation ? Math.pow(c / regime.Q, rho) : Math.pow(1 / regime.n, rho);
      benefit += v * seen * share;
    } else {
      const dShare = Dall > 0 ? regime.D / Dall : 0;
      const access = venue && level === C ? 1 : (1 - e) * (1 - norms) * (1 - linkage * (wO + wT) * dShare);
      benefit += (v * access * seen) / Math.pow(regime.n, rho);
    }
  }
  // G2: the own club
  const own = clubs[k];
  if (own.n > 0) {
    const provision = m * own.n * perMember(st, g, own);
    if (level === C) {
      const share = rho === 0 ? 1 : summation ? Math.pow(c / own.Q, rho) : Math.pow(1 / own.n, rho);
      benefit += v * provision * share;
    } else {
      const dShare = clubStatesD[k] > 0 ? own.D / clubStatesD[k] : 0;
      const access = venue && level === M ? 1 : (1 - e) * (1 - linkage * (wO + wT) * dShare);
      benefit += (v * access * provision) / Math.pow(own.n, rho);
    }
  }
  // G3: the other clubs, from outside
  for (let q = 0; q < K; q++) {
    const club = clubs[q];
    if (q === k || club.n === 0) continue;
    const term = (club.n * perMember(st, g, club)) / Math.pow(club.n, rho);
    benefit += v * (1 - e) * m * term * (st.clubRegion[q] === r ? 1 : lambda);
  }
  // G4: unilateral provision
  if (level === U && providesAlone(st, clock, i, g, off)) {
    benefit += v * m * c;
    cost += c * (1 + p.transactionCost.U * s);
  }
  benefit += v * (1 - e) * m * (spillOwnRegion + lambda * spillElsewhere);

  // G5-G7: membership costs, the fee, transfers
  const facilitation = off.has('facilitation') ? 0 : mech.facilitation;
  const fee = facilitation > 0 ? mech.facilitationFee : 0;
  const tau = (base: number, age: number) => {
    const cb = off.has('confidenceBuilding') ? 0 : mech.confidenceBuilding;
    return base * (1 - facilitation) * (1 - cb * (1 - Math.pow(2, -age / mech.confidenceHalfLife)));
  };
  // G6: every origin/transit member of an institution receives; the destinations it serves
  // (a club: every state it is open to; the regime: every state) pay the total by w_d c
  const transfers = (set: Members, member: boolean, served: number): number => {
    const sp = off.has('sidePayments') ? 0 : mech.sidePayments;
    const tl = off.has('transitLeverage') ? 0 : mech.transitLeverage;
    if (!(served > 0)) return 0;
    const receive = member ? (sp * (wO + wT) + tl * wT) * c : 0;
    return receive - ((sp * set.OT + tl * set.T) * wD * c) / served;
  };
  if (level === C) {
    cost += c * (1 + tau(p.transactionCost.C, clock.ageC[g * K + k]) * s + fee);
  } else if (level === M && !inForce) {
    cost += c * tau(p.transactionCost.M, clock.ageM[g]) * s;
  } else if (level === M) {
    cost += c * (1 + tau(p.transactionCost.M, clock.ageM[g]) * s + fee);
  }
  benefit += transfers(own, level === C, clubStatesD[k]);
  if (inForce) benefit += transfers(regime, level === M, Dall);
  return { benefit, cost, total: benefit - cost };
}

/** The aggregates the model keeps, recounted from the states (the names are the model's). */
export interface Recount {
  nM: number[];
  QM: number[];
  nMr: number[];
  QMr: number[];
  DM: number[];
  OTM: number[];
  TM: number[];
  nC: number[];
  QC: number[];
  DC: number[];
  OTC: number[];
  TC: number[];
  /** effective contributions / max(1, n)^rho per (g, club), and sums per (g, region) and g */
  termC: number[];
  sumTermCr: number[];
  sumTermC: number[];
  QU: number[];
  QUall: number[];
  nUprov: number[];
  roleLevel: number[];
  mainLevel: number[];
  Dk: number[];
  Dall: number;
  provides: number[];
  /** provision (effective contributions of the in-force regime, every club and unilateral providers) / potential */
  provisionShare: number[];
}

export function recount(st: MigrationState, clock: RefClock): Recount {
  const { N, G } = st;
  const K = clubCount(st);
  const R = st.R;
  const c = contributions(st);
  const z = (n: number) => new Array<number>(n).fill(0);
  const out: Recount = {
    nM: z(G), QM: z(G), nMr: z(G * R), QMr: z(G * R), DM: z(G), OTM: z(G), TM: z(G),
    nC: z(G * K), QC: z(G * K), DC: z(G * K), OTC: z(G * K), TC: z(G * K),
    termC: z(G * K), sumTermCr: z(G * R), sumTermC: z(G),
    QU: z(G * R), QUall: z(G), nUprov: z(G), roleLevel: z(G * 9), mainLevel: z(G * 9),
    Dk: z(K), Dall: 0, provides: z(N * G), provisionShare: z(G),
  };
  let total = 0;
  for (let j = 0; j < N; j++) {
    out.Dk[st.club[j]] += st.role[j * 3 + 2] * c[j];
    out.Dall += st.role[j * 3 + 2] * c[j];
    total += c[j];
  }
  for (let g = 0; g < G; g++) {
    const area = st.p.issueAreas[g];
    const regime = emptyMembers();
    const clubs: Members[] = [];
    for (let q = 0; q < K; q++) clubs.push(emptyMembers());
    for (let j = 0; j < N; j++) {
      const lvl = st.pop.choice[j * G + g];
      const wO = st.role[j * 3];
      const wT = st.role[j * 3 + 1];
      const wD = st.role[j * 3 + 2];
      const r = st.region[j];
      for (let k = 0; k < 3; k++) out.roleLevel[(g * 3 + lvl) * 3 + k] += st.role[j * 3 + k];
      out.mainLevel[(g * 3 + lvl) * 3 + st.mainRole[j]]++;
      const prov = providesAlone(st, clock, j, g);
      out.provides[j * G + g] = prov ? 1 : 0;
      if (lvl === M) {
        add(regime, st, j, c[j], false);
        out.nM[g]++;
        out.QM[g] += c[j];
        out.nMr[g * R + r]++;
        out.QMr[g * R + r] += c[j];
        out.DM[g] += wD * c[j];
        out.OTM[g] += (wO + wT) * c[j];
        out.TM[g] += wT * c[j];
      } else if (lvl === C) {
        const idx = g * K + st.club[j];
        add(clubs[st.club[j]], st, j, c[j], false);
        out.nC[idx]++;
        out.QC[idx] += c[j];
        out.DC[idx] += wD * c[j];
        out.OTC[idx] += (wO + wT) * c[j];
        out.TC[idx] += wT * c[j];
      } else if (prov) {
        out.QU[g * R + r] += c[j];
        out.QUall[g] += c[j];
        out.nUprov[g]++;
      }
    }
    let provided = out.QUall[g];
    const inForce = regime.n > 0 && regime.n >= minimumMembers(st.p, N);
    if (inForce) provided += regime.n * perMember(st, g, regime);
    for (let q = 0; q < K; q++) {
      const club = clubs[q];
      if (club.n === 0) continue;
      const eff = club.n * perMember(st, g, club);
      provided += eff;
      const term = eff / Math.pow(club.n, area.rivalry);
      out.termC[g * K + q] = term;
      out.sumTermCr[g * R + st.clubRegion[q]] += term;
      out.sumTermC[g] += term;
    }
    // the bound: m sum c under summation and weakest-link, m N max c under best-shot
    const bound = area.aggregation === 'best-shot' ? N * Math.max(...Array.from(c)) : total;
    out.provisionShare[g] = bound > 0 ? provided / bound : 0;
  }
  return out;
}
