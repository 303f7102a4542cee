// The migration-governance game (../shared/MODEL.md; docs/model.md §4 gives every
// rule with its source and the decisions taken where MODEL.md is silent or wrong).
//
// N states in R regions choose, per issue area, a level: unilateral (U), the club of
// their region (C) or the global regime (M). Institutions pool contributions; what a
// state gets from each depends on the good's excludability, rivalry and reach, and
// what it pays on the level's transaction cost times its sovereignty sensitivity.
// Mechanisms (norms, minimum participation, linkage, side payments, transit
// leverage, facilitation, power asymmetry, confidence building, shocks) are
// parameters, each neutral at one setting.
//
// Everything a payoff reads is a running aggregate per (issue area, institution) or
// per (issue area, region), kept by onSwitch, so a decision costs
// O(levels x issue areas) whatever N; only recording welfare and the burden Gini
// scans the states.
import { z } from 'zod';
import type { Metric as MetricOf, Model, ModelState } from '../src/engine/model.ts';
import { createPopulation, type Population } from '../src/engine/population.ts';
import type { Rng } from '../src/engine/rng.ts';

export const U = 0;
export const C = 1;
export const M = 2;
export const LEVELS = ['U', 'C', 'M'] as const;
export const ROLES = ['origin', 'transit', 'destination'] as const;
const ORIGIN = 0;
const TRANSIT = 1;
const DEST = 2;

const unit = z.number().min(0).max(1);
const roleValues = z
  .object({
    origin: z.number().min(0).max(100).describe('value to an origin state'),
    transit: z.number().min(0).max(100).describe('value to a transit state'),
    destination: z.number().min(0).max(100).describe('value to a destination state'),
  })
  .strict();

export const issueAreaSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter').describe('short name, used in metric names'),
    excludability: unit.describe('share of an institution\'s benefit withheld from non-members (0: public good)'),
    rivalry: unit.describe('0: every member enjoys all of the provision; 1: each gets back its own contribution\'s worth'),
    reach: unit.describe('worth of provision in another region relative to one\'s own (1: a global problem)'),
    aggregation: z.enum(['summation', 'weakest-link', 'best-shot']).default('summation').describe('how members\' contributions make provision (Sandler)'),
    need: z.number().min(0).max(100).default(1).describe('provision the issue area needs, as a share of what all states contributing together would provide'),
    valuation: roleValues.describe('value of one unit of provision, by role (seed 002: rights, security, economy)'),
  })
  .strict();

export type IssueArea = z.infer<typeof issueAreaSchema>;

/** One state as a state table gives it (CSV: name, region, origin, transit, destination, capacity, sovereignty). */
export const stateRowSchema = z
  .object({
    name: z.string().min(1),
    region: z.number().int().min(0).max(999),
    origin: unit,
    transit: unit,
    destination: unit,
    capacity: z.number().gt(0).max(1e9),
    sovereignty: z.number().min(0).max(100).default(1),
  })
  .strict()
  .refine((s) => Math.abs(s.origin + s.transit + s.destination - 1) < 1e-6, {
    message: 'role weights origin + transit + destination must sum to 1',
  });

export type StateRow = z.infer<typeof stateRowSchema>;

/**
 * Betts' three issue areas (seed 002, "Global Migration Governance"): refugee
 * protection a public good, irregular/low-skilled migration a club good, high-skilled
 * migration a private good. The numbers and the passages behind them are in
 * docs/model.md §4.2.
 */
export const BETTS_ISSUE_AREAS: IssueArea[] = [
  {
    name: 'refugee',
    excludability: 0,
    rivalry: 0,
    reach: 0.9,
    aggregation: 'summation',
    need: 1,
    valuation: { origin: 0.8, transit: 0.7, destination: 0.6 },
  },
  {
    name: 'irregular',
    excludability: 0.6,
    rivalry: 0.3,
    reach: 0.1,
    aggregation: 'summation',
    need: 1,
    valuation: { origin: 0.5, transit: 0.8, destination: 0.8 },
  },
  {
    name: 'skilled',
    excludability: 0.9,
    rivalry: 1,
    reach: 0.1,
    aggregation: 'summation',
    need: 1,
    valuation: { origin: 0.4, transit: 0.5, destination: 0.9 },
  },
];

const shock = {
  start: z.number().int().min(0).max(1e9).describe('first round of the shock'),
  duration: z.number().int().min(0).max(1e9).describe('rounds it lasts'),
};

export const params = z
  .object({
    states: z
      .object({
        N: z.number().int().min(2).max(10_000_000).default(60).describe('number of states (ignored with a state table)'),
        regions: z.number().int().min(1).max(1000).default(5).describe('number of regions; state i is in region i mod regions'),
        roleShares: z
          .object({ origin: unit, transit: unit, destination: unit })
          .strict()
          .default({ origin: 0.5, transit: 0.2, destination: 0.3 })
          .refine((r) => Math.abs(r.origin + r.transit + r.destination - 1) < 1e-9, { message: 'role shares must sum to 1' })
          .describe('share of states whose main role is origin, transit, destination'),
        mixedShare: unit.default(0.3).describe('share of states with a mixed role (half their main role, the rest split at random)'),
        capacityShape: z.number().min(1.01).max(100).default(1.5).describe('Pareto tail index of capacity (smaller: more unequal)'),
        destinationCapacity: z.number().min(1).max(1000).default(3).describe('capacity multiplier of a destination state (role and capacity correlate)'),
        sovereignty: z.number().min(0).max(100).default(1).describe('mean sovereignty sensitivity'),
        sovereigntySpread: unit.default(0.5).describe('sovereignty sensitivity is uniform on mean x (1 +/- spread)'),
        table: z.string().optional().describe('a state table (CSV) read instead of the generator; see docs/model.md'),
        rows: z.array(stateRowSchema).optional().describe('the state table\'s rows (filled in from `table` when the spec is loaded)'),
      })
      .strict()
      .default({ N: 60, regions: 5, roleShares: { origin: 0.5, transit: 0.2, destination: 0.3 }, mixedShare: 0.3, capacityShape: 1.5, destinationCapacity: 3, sovereignty: 1, sovereigntySpread: 0.5 }),
    issueAreas: z.array(issueAreaSchema).min(1).max(32).default(BETTS_ISSUE_AREAS).describe('the issue areas (default: Betts\' three)'),
    multiplier: z.number().min(0).max(100).default(1.25).describe('m: provision per unit contributed'),
    transactionCost: z
      .object({ U: z.number().min(0).max(100), C: z.number().min(0).max(100), M: z.number().min(0).max(100) })
      .strict()
      .default({ U: 0, C: 0.1, M: 0.3 })
      .describe('cost per unit contributed at each level, times sovereignty sensitivity'),
    mechanisms: z
      .object({
        minimumParticipation: unit.default(0.1).describe('theta: the regime is in force only with at least theta x N members'),
        norms: unit.default(0.3).describe('share of an in-force regime\'s benefit that norms deny to states outside it (0: off)'),
        linkage: unit.default(0).describe('share of an institution\'s benefit that its destination members withhold from origin/transit outsiders, scaled by their share of destination capacity (0: off)'),
        sidePayments: z.number().min(0).max(100).default(0).describe('transfer per unit contributed from destination to origin/transit members (0: off)'),
        transitLeverage: z.number().min(0).max(100).default(0).describe('extra transfer per unit contributed that transit members demand from destinations (0: off)'),
        facilitation: unit.default(0.2).describe('share of club and regime transaction costs that an international organisation removes (0: off)'),
        powerAsymmetry: unit.default(0).describe('0: contributions proportional to capacity; 1: equal contributions whatever the capacity'),
        confidenceBuilding: unit.default(0).describe('share of an institution\'s transaction cost that falls away as it ages (0: off)'),
        confidenceHalfLife: z.number().min(0.01).max(1e6).default(20).describe('rounds for half of that fall'),
        crisis: z
          .object({
            issueArea: z.string().describe('name of the issue area hit'),
            region: z.number().int().min(0).describe('region hit'),
            ...shock,
            stakeFactor: z.number().min(0).max(1000).default(2).describe('valuation multiplier for states in the region'),
            needFactor: z.number().min(0).max(1000).default(2).describe('need multiplier of the issue area'),
          })
          .strict()
          .optional()
          .describe('a crisis: for some rounds one issue area\'s stakes and need rise in one region'),
        nationalism: z
          .object({ ...shock, factor: z.number().min(0).max(1000).default(2).describe('sovereignty sensitivity multiplier') })
          .strict()
          .optional()
          .describe('a nationalist turn: sovereignty sensitivity rises everywhere for some rounds'),
      })
      .strict()
      .default({ minimumParticipation: 0.1, norms: 0.3, linkage: 0, sidePayments: 0, transitLeverage: 0, facilitation: 0.2, powerAsymmetry: 0, confidenceBuilding: 0, confidenceHalfLife: 20 }),
    initial: z
      .object({ U: unit, C: unit, M: unit })
      .strict()
      .default({ U: 1, C: 0, M: 0 })
      .refine((o) => Math.abs(o.U + o.C + o.M - 1) < 1e-9, { message: 'shares of U, C, M must sum to 1' })
      .describe('initial share of each level, in every issue area'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const names = p.issueAreas.map((g) => g.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['issueAreas', i, 'name'], message: `issue area name ${JSON.stringify(n)} is used twice` });
    });
    const crisis = p.mechanisms.crisis;
    if (crisis && !names.includes(crisis.issueArea)) {
      ctx.addIssue({ code: 'custom', path: ['mechanisms', 'crisis', 'issueArea'], message: `unknown issue area ${JSON.stringify(crisis.issueArea)}; the issue areas are ${names.join(', ')}` });
    }
    const regions = p.states.rows ? Math.max(...p.states.rows.map((r) => r.region)) + 1 : p.states.regions;
    if (crisis && crisis.region >= regions) {
      ctx.addIssue({ code: 'custom', path: ['mechanisms', 'crisis', 'region'], message: `region ${crisis.region} does not exist; regions are 0..${regions - 1}` });
    }
    if (p.states.table !== undefined && p.states.rows === undefined) {
      ctx.addIssue({ code: 'custom', path: ['states', 'table'], message: 'the state table was not loaded (give the spec as a file, or pass states.rows)' });
    }
  });

export type MigrationParams = z.infer<typeof params>;

export interface MigrationState extends ModelState {
  readonly pop: Population;
  readonly p: MigrationParams;
  readonly N: number;
  readonly G: number;
  readonly R: number;
  readonly names: string[];
  /** per state */
  readonly region: Int32Array;
  readonly role: Float64Array; // N x 3 weights
  readonly mainRole: Uint8Array;
  readonly capacity: Float64Array;
  readonly contribution: Float64Array;
  readonly sovereignty: Float64Array;
  readonly value: Float64Array; // N x G base valuations
  readonly provides: Uint8Array; // N x G: would provide alone (at U)
  /** per issue area */
  readonly e: Float64Array;
  readonly rho: Float64Array;
  readonly lambda: Float64Array;
  readonly need: Float64Array;
  readonly potential: Float64Array; // m x sum of contributions
  /** regime aggregates per issue area */
  readonly nM: Float64Array;
  readonly QM: Float64Array;
  readonly QMr: Float64Array; // G x R
  readonly DM: Float64Array; // sum of w_dest x c of members
  readonly OTM: Float64Array; // sum of (w_origin + w_transit) x c of members
  readonly TM: Float64Array; // sum of w_transit x c of members
  readonly ageM: Float64Array;
  /** club aggregates per (issue area, region) */
  readonly nC: Float64Array;
  readonly QC: Float64Array;
  readonly DC: Float64Array;
  readonly OTC: Float64Array;
  readonly TC: Float64Array;
  readonly ageC: Float64Array;
  readonly termC: Float64Array; // QC / max(1, nC)^rho per (g, r)
  readonly sumTermC: Float64Array; // per g
  /** unilateral providers per (issue area, region) */
  readonly QU: Float64Array;
  readonly nUprov: Float64Array; // per g
  /** destination capacity (w_dest x c) in all and per region */
  readonly Dall: number;
  readonly Dr: Float64Array;
  /** role weights and main-role counts by level: ((g * 3 + level) * 3 + role) */
  readonly roleLevel: Float64Array;
  readonly mainLevel: Float64Array;
  readonly roleTotal: Float64Array; // 3
  readonly mainTotal: Float64Array; // 3
  readonly minMembers: number;
  crisisOn: boolean;
  nationalismOn: boolean;
  readonly crisisG: number;
}

/** Draws a population of states from the generator (docs/model.md §4.1). */
function generateStates(p: MigrationParams, rng: Rng): StateRow[] {
  const s = p.states;
  const shares = [s.roleShares.origin, s.roleShares.transit, s.roleShares.destination];
  const rows: StateRow[] = [];
  for (let i = 0; i < s.N; i++) {
    const u = rng();
    const main = u < shares[0] ? ORIGIN : u < shares[0] + shares[1] ? TRANSIT : DEST;
    const w = [0, 0, 0];
    if (rng() < s.mixedShare) {
      const split = rng();
      w[main] = 0.5;
      w[(main + 1) % 3] = 0.5 * split;
      w[(main + 2) % 3] = 0.5 * (1 - split);
    } else {
      w[main] = 1;
    }
    // Pareto(x_min = 1, shape); 1 - rng() is in (0, 1]
    const pareto = Math.pow(1 - rng(), -1 / s.capacityShape);
    const capacity = pareto * (1 + (s.destinationCapacity - 1) * w[DEST]);
    const sovereignty = s.sovereignty * (1 + s.sovereigntySpread * (2 * rng() - 1));
    rows.push({ name: `state-${i}`, region: i % s.regions, origin: w[0], transit: w[1], destination: w[2], capacity, sovereignty });
  }
  return rows;
}

function valueOf(st: MigrationState, i: number, g: number): number {
  const v = st.value[i * st.G + g];
  return st.crisisOn && g === st.crisisG && st.region[i] === st.p.mechanisms.crisis!.region ? v * st.p.mechanisms.crisis!.stakeFactor : v;
}

function sovereigntyOf(st: MigrationState, i: number): number {
  return st.nationalismOn ? st.sovereignty[i] * st.p.mechanisms.nationalism!.factor : st.sovereignty[i];
}

/** Transaction cost of a level for a state, after facilitation and confidence building. */
function transactionCost(st: MigrationState, level: number, age: number): number {
  const tc = st.p.transactionCost;
  const mech = st.p.mechanisms;
  if (level === U) return tc.U;
  const base = level === C ? tc.C : tc.M;
  const confidence = mech.confidenceBuilding > 0 ? mech.confidenceBuilding * (1 - Math.pow(2, -age / mech.confidenceHalfLife)) : 0;
  return base * (1 - mech.facilitation) * (1 - confidence);
}

function updateClubTerm(st: MigrationState, g: number, r: number): void {
  const k = g * st.R + r;
  st.termC[k] = st.nC[k] > 0 ? st.QC[k] / Math.pow(st.nC[k], st.rho[g]) : 0;
  let sum = 0;
  for (let q = 0; q < st.R; q++) sum += st.termC[g * st.R + q];
  st.sumTermC[g] = sum;
}

/** Adds (sign +1) or removes (-1) state i at a level of issue area g in the aggregates. */
function account(st: MigrationState, i: number, g: number, level: number, sign: number): void {
  const r = st.region[i];
  const c = st.contribution[i];
  const wO = st.role[i * 3 + ORIGIN];
  const wT = st.role[i * 3 + TRANSIT];
  const wD = st.role[i * 3 + DEST];
  for (let k = 0; k < 3; k++) st.roleLevel[(g * 3 + level) * 3 + k] += sign * st.role[i * 3 + k];
  st.mainLevel[(g * 3 + level) * 3 + st.mainRole[i]] += sign;
  if (level === M) {
    st.nM[g] += sign;
    st.QM[g] += sign * c;
    st.QMr[g * st.R + r] += sign * c;
    st.DM[g] += sign * wD * c;
    st.OTM[g] += sign * (wO + wT) * c;
    st.TM[g] += sign * wT * c;
  } else if (level === C) {
    const k = g * st.R + r;
    st.nC[k] += sign;
    st.QC[k] += sign * c;
    st.DC[k] += sign * wD * c;
    st.OTC[k] += sign * (wO + wT) * c;
    st.TC[k] += sign * wT * c;
    updateClubTerm(st, g, r);
  } else if (st.provides[i * st.G + g]) {
    st.QU[g * st.R + r] += sign * c;
    st.nUprov[g] += sign;
  }
}

/** Whether a state acting alone provides: own benefit v m exceeds its cost 1 + tau_U s. */
function refreshProvides(st: MigrationState): void {
  const m = st.p.multiplier;
  for (let g = 0; g < st.G; g++) {
    for (let i = 0; i < st.N; i++) {
      const atU = st.pop.choice[i * st.G + g] === U;
      if (atU) account(st, i, g, U, -1);
      st.provides[i * st.G + g] = valueOf(st, i, g) * m > 1 + st.p.transactionCost.U * sovereigntyOf(st, i) ? 1 : 0;
      if (atU) account(st, i, g, U, +1);
    }
  }
}

/**
 * The payoff of state i in issue area g at `level`, every other state keeping its
 * level (docs/model.md §4.4, equations G1-G6), in absolute terms.
 */
export function absolutePayoff(st: MigrationState, i: number, g: number, level: number): number {
  const cur = st.pop.choice[i * st.G + g];
  const R = st.R;
  const r = st.region[i];
  const c = st.contribution[i];
  const v = valueOf(st, i, g);
  const s = sovereigntyOf(st, i);
  const e = st.e[g];
  const rho = st.rho[g];
  const lambda = st.lambda[g];
  const m = st.p.multiplier;
  const mech = st.p.mechanisms;
  const wO = st.role[i * 3 + ORIGIN];
  const wT = st.role[i * 3 + TRANSIT];
  const wD = st.role[i * 3 + DEST];
  const wOT = wO + wT;
  const inM = level === M ? 1 : 0;
  const inC = level === C ? 1 : 0;
  const wasM = cur === M ? 1 : 0;
  const wasC = cur === C ? 1 : 0;

  // the regime as it would be
  const nM = st.nM[g] - wasM + inM;
  const QM = st.QM[g] - wasM * c + inM * c;
  const QMr = st.QMr[g * R + r] - wasM * c + inM * c;
  const inForce = nM >= st.minMembers;
  // the own region's club as it would be
  const kc = g * R + r;
  const nC = st.nC[kc] - wasC + inC;
  const QC = st.QC[kc] - wasC * c + inC * c;
  // unilateral providers other than i
  const own = cur === U && st.provides[i * st.G + g] ? c : 0;
  const QUr = st.QU[kc] - own;
  let QUall = -own;
  for (let q = 0; q < R; q++) QUall += st.QU[g * R + q];

  let benefit = 0;
  let cost = 0;

  // G1: the regime
  if (inForce && nM > 0) {
    const seen = m * (QMr + lambda * (QM - QMr));
    if (inM) {
      benefit += v * seen * (rho === 0 ? 1 : Math.pow(c / QM, rho));
    } else {
      const dShare = st.Dall > 0 ? (st.DM[g] - wasM * wD * c) / st.Dall : 0;
      const access = (1 - e) * (1 - mech.norms) * (1 - mech.linkage * wOT * dShare);
      benefit += (v * access * seen) / Math.pow(nM, rho);
    }
  }
  // G2: the own region's club
  if (nC > 0) {
    const provision = m * QC;
    if (inC) {
      benefit += v * provision * (rho === 0 ? 1 : Math.pow(c / QC, rho));
    } else {
      const dShare = st.Dr[r] > 0 ? (st.DC[kc] - wasC * wD * c) / st.Dr[r] : 0;
      const access = (1 - e) * (1 - mech.linkage * wOT * dShare);
      benefit += (v * access * provision) / Math.pow(nC, rho);
    }
  }
  // G3: other regions' clubs, seen from outside at reach lambda
  benefit += v * (1 - e) * lambda * m * (st.sumTermC[g] - st.termC[kc]);
  // G4: unilateral provision, own and others' spill-over
  if (level === U && st.provides[i * st.G + g]) {
    benefit += v * m * c;
    cost += c * (1 + st.p.transactionCost.U * s);
  }
  benefit += v * (1 - e) * m * (QUr + lambda * (QUall - QUr));

  // G5: costs of membership, and G6: transfers between members
  if (inC) {
    cost += c * (1 + transactionCost(st, C, st.ageC[kc]) * s);
    benefit += transfers(st, c, wOT, wT, wD, st.OTC[kc] - wasC * wOT * c + wOT * c, st.TC[kc] - wasC * wT * c + wT * c, st.DC[kc] - wasC * wD * c + wD * c);
  } else if (inM && !inForce) {
    // ratified but not yet in force: the sovereignty cost of ratifying, no contribution (Barrett 2003)
    cost += c * transactionCost(st, M, st.ageM[g]) * s;
  } else if (inM && inForce) {
    cost += c * (1 + transactionCost(st, M, st.ageM[g]) * s);
    benefit += transfers(st, c, wOT, wT, wD, st.OTM[g] - wasM * wOT * c + wOT * c, st.TM[g] - wasM * wT * c + wT * c, st.DM[g] - wasM * wD * c + wD * c);
  }
  return benefit - cost;
}

/**
 * G6: side payments and transit leverage inside one institution. Each origin/transit
 * member receives (sidePayments x (w_o + w_t) + transitLeverage x w_t) x c; the
 * destination members pay the total in proportion to w_d x c. With no destination
 * member nobody pays and nothing is received.
 */
function transfers(st: MigrationState, c: number, wOT: number, wT: number, wD: number, OT: number, T: number, D: number): number {
  const mech = st.p.mechanisms;
  if ((mech.sidePayments === 0 && mech.transitLeverage === 0) || D <= 0) return 0;
  const receive = (mech.sidePayments * wOT + mech.transitLeverage * wT) * c;
  const total = mech.sidePayments * OT + mech.transitLeverage * T;
  return receive - (total * wD * c) / D;
}

function init(p: MigrationParams, rng: Rng): MigrationState {
  const rows = p.states.rows ?? generateStates(p, rng);
  const N = rows.length;
  const G = p.issueAreas.length;
  const R = p.states.rows ? Math.max(...rows.map((r) => r.region)) + 1 : p.states.regions;
  const pop = createPopulation(N, G, 3);
  const region = new Int32Array(N);
  const role = new Float64Array(N * 3);
  const mainRole = new Uint8Array(N);
  const capacity = new Float64Array(N);
  const sovereignty = new Float64Array(N);
  let capMean = 0;
  rows.forEach((row, i) => {
    region[i] = row.region;
    role[i * 3] = row.origin;
    role[i * 3 + 1] = row.transit;
    role[i * 3 + 2] = row.destination;
    mainRole[i] = row.destination >= row.origin && row.destination >= row.transit ? DEST : row.transit > row.origin ? TRANSIT : ORIGIN;
    capacity[i] = row.capacity;
    sovereignty[i] = row.sovereignty;
    capMean += row.capacity / N;
  });
  const alpha = p.mechanisms.powerAsymmetry;
  const contribution = new Float64Array(N);
  for (let i = 0; i < N; i++) contribution[i] = Math.pow(capacity[i], 1 - alpha) * Math.pow(capMean, alpha);
  const value = new Float64Array(N * G);
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) {
      const val = p.issueAreas[g].valuation;
      value[i * G + g] = role[i * 3] * val.origin + role[i * 3 + 1] * val.transit + role[i * 3 + 2] * val.destination;
    }
  }
  let Dall = 0;
  const Dr = new Float64Array(R);
  const roleTotal = new Float64Array(3);
  const mainTotal = new Float64Array(3);
  for (let i = 0; i < N; i++) {
    Dall += role[i * 3 + 2] * contribution[i];
    Dr[region[i]] += role[i * 3 + 2] * contribution[i];
    for (let k = 0; k < 3; k++) roleTotal[k] += role[i * 3 + k];
    mainTotal[mainRole[i]]++;
  }
  let totalC = 0;
  for (let i = 0; i < N; i++) totalC += contribution[i];
  const st: MigrationState = {
    pop,
    p,
    N,
    G,
    R,
    names: p.issueAreas.map((g) => g.name),
    region,
    role,
    mainRole,
    capacity,
    contribution,
    sovereignty,
    value,
    provides: new Uint8Array(N * G),
    e: Float64Array.from(p.issueAreas.map((g) => g.excludability)),
    rho: Float64Array.from(p.issueAreas.map((g) => g.rivalry)),
    lambda: Float64Array.from(p.issueAreas.map((g) => g.reach)),
    need: Float64Array.from(p.issueAreas.map((g) => g.need)),
    potential: Float64Array.from(p.issueAreas.map(() => p.multiplier * totalC)),
    nM: new Float64Array(G),
    QM: new Float64Array(G),
    QMr: new Float64Array(G * R),
    DM: new Float64Array(G),
    OTM: new Float64Array(G),
    TM: new Float64Array(G),
    ageM: new Float64Array(G),
    nC: new Float64Array(G * R),
    QC: new Float64Array(G * R),
    DC: new Float64Array(G * R),
    OTC: new Float64Array(G * R),
    TC: new Float64Array(G * R),
    ageC: new Float64Array(G * R),
    termC: new Float64Array(G * R),
    sumTermC: new Float64Array(G),
    QU: new Float64Array(G * R),
    nUprov: new Float64Array(G),
    Dall,
    Dr,
    roleLevel: new Float64Array(G * 9),
    mainLevel: new Float64Array(G * 9),
    roleTotal,
    mainTotal,
    minMembers: Math.max(1, Math.ceil(p.mechanisms.minimumParticipation * N - 1e-9)),
    crisisOn: false,
    nationalismOn: false,
    crisisG: p.mechanisms.crisis ? p.issueAreas.findIndex((g) => g.name === p.mechanisms.crisis!.issueArea) : -1,
  };
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) st.provides[i * G + g] = value[i * G + g] * p.multiplier > 1 + p.transactionCost.U * sovereignty[i] ? 1 : 0;
  }
  // every state starts at U (counts already say so); account them, then draw initial levels
  for (let g = 0; g < G; g++) for (let i = 0; i < N; i++) account(st, i, g, U, +1);
  const cut1 = p.initial.U;
  const cut2 = p.initial.U + p.initial.C;
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) {
      const u = rng();
      const level = u < cut1 ? U : u < cut2 ? C : M;
      if (level !== U) {
        pop.choice[i * G + g] = level;
        pop.counts[g * 3 + U]--;
        pop.counts[g * 3 + level]++;
        account(st, i, g, U, -1);
        account(st, i, g, level, +1);
      }
    }
  }
  return st;
}

function onRound(st: MigrationState, round: number): void {
  const mech = st.p.mechanisms;
  const active = (s: { start: number; duration: number } | undefined) => s !== undefined && round >= s.start && round < s.start + s.duration;
  const crisisOn = active(mech.crisis);
  const nationalismOn = active(mech.nationalism);
  if (crisisOn !== st.crisisOn || nationalismOn !== st.nationalismOn) {
    st.crisisOn = crisisOn;
    st.nationalismOn = nationalismOn;
    refreshProvides(st);
  }
  // confidence building: an institution ages while it works (a club with two or more members, a regime in force)
  for (let g = 0; g < st.G; g++) {
    st.ageM[g] = st.nM[g] >= Math.max(2, st.minMembers) ? st.ageM[g] + 1 : 0;
    for (let r = 0; r < st.R; r++) {
      const k = g * st.R + r;
      st.ageC[k] = st.nC[k] >= 2 ? st.ageC[k] + 1 : 0;
    }
  }
}

/** Provision of issue area g now, as a share of the potential (all states contributing). */
export function provisionShare(st: MigrationState, g: number): number {
  let q = st.nM[g] >= st.minMembers ? st.QM[g] : 0;
  for (let r = 0; r < st.R; r++) q += st.QC[g * st.R + r] + st.QU[g * st.R + r];
  return (st.p.multiplier * q) / st.potential[g];
}

function needShare(st: MigrationState, g: number): number {
  const crisis = st.p.mechanisms.crisis;
  return st.crisisOn && g === st.crisisG && crisis ? st.need[g] * crisis.needFactor : st.need[g];
}

/** What state i actually contributes in issue area g at its current level. */
function contributed(st: MigrationState, i: number, g: number): number {
  const level = st.pop.choice[i * st.G + g];
  if (level === C) return st.contribution[i];
  if (level === M) return st.nM[g] >= st.minMembers ? st.contribution[i] : 0;
  return st.provides[i * st.G + g] ? st.contribution[i] : 0;
}

function gini(xs: Float64Array): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < n; k++) {
    sum += sorted[k];
    weighted += (k + 1) * sorted[k];
  }
  return sum > 0 ? (2 * weighted) / (n * sum) - (n + 1) / n : 0;
}

type Metric = MetricOf<MigrationState>;

function metricsFor(p: MigrationParams): Metric[] {
  const out: Metric[] = [];
  p.issueAreas.forEach((area, g) => {
    const name = area.name;
    for (let level = 0; level < 3; level++) {
      ROLES.forEach((roleName, k) => {
        out.push({
          name: `${name}_${LEVELS[level]}_${roleName}`,
          description: `share of ${roleName} role weight at level ${LEVELS[level]} in ${name}`,
          value: (st) => (st.roleTotal[k] > 0 ? st.roleLevel[(g * 3 + level) * 3 + k] / st.roleTotal[k] : 0),
        });
      });
    }
    ROLES.forEach((roleName, k) => {
      out.push({
        name: `${name}_ratified_${roleName}`,
        description: `members of the ${name} regime whose main role is ${roleName}`,
        value: (st) => st.mainLevel[(g * 3 + M) * 3 + k],
      });
    });
    out.push({ name: `${name}_in_force`, description: `1 when the ${name} regime is in force`, value: (st) => (st.nM[g] >= st.minMembers && st.nM[g] > 0 ? 1 : 0) });
    out.push({ name: `${name}_provision`, description: `provision in ${name}, as a share of what all states together would provide`, value: (st) => provisionShare(st, g) });
    out.push({ name: `${name}_need`, description: `need in ${name}, same unit`, value: (st) => needShare(st, g) });
    out.push({
      name: `${name}_gap`,
      description: `protection gap: share of the need in ${name} that no one meets`,
      value: (st) => {
        const need = needShare(st, g);
        return need > 0 ? Math.max(0, need - provisionShare(st, g)) / need : 0;
      },
    });
    out.push({
      name: `${name}_free_riders`,
      description: `share of states in ${name} that belong to no institution and provide nothing while others provide`,
      value: (st) => {
        const idle = st.pop.counts[g * 3 + U] - st.nUprov[g];
        return provisionShare(st, g) > 0 ? idle / st.N : 0;
      },
    });
    out.push({
      name: `${name}_institutions`,
      description: `working institutions in ${name}: clubs with two or more members, plus the regime if in force`,
      value: (st) => {
        let n = st.nM[g] >= st.minMembers && st.nM[g] >= 2 ? 1 : 0;
        for (let r = 0; r < st.R; r++) if (st.nC[g * st.R + r] >= 2) n++;
        return n;
      },
    });
    out.push({
      name: `${name}_hhi`,
      description: `Herfindahl index of membership across the institutions of ${name} (1: one institution holds every member)`,
      value: (st) => {
        let total = st.nM[g];
        for (let r = 0; r < st.R; r++) total += st.nC[g * st.R + r];
        if (total === 0) return 0;
        let h = (st.nM[g] / total) ** 2;
        for (let r = 0; r < st.R; r++) h += (st.nC[g * st.R + r] / total) ** 2;
        return h;
      },
    });
    ROLES.forEach((roleName, k) => {
      out.push({
        name: `${name}_burden_${roleName}`,
        description: `share of what is contributed in ${name} that ${roleName} role weight carries`,
        value: (st) => {
          let total = 0;
          let part = 0;
          for (let i = 0; i < st.N; i++) {
            const x = contributed(st, i, g);
            total += x;
            part += x * st.role[i * 3 + k];
          }
          return total > 0 ? part / total : 0;
        },
      });
    });
  });
  const welfare = (k: number | null) => (st: MigrationState) => {
    let sum = 0;
    let weight = 0;
    for (let i = 0; i < st.N; i++) {
      let w = 0;
      for (let g = 0; g < st.G; g++) w += absolutePayoff(st, i, g, st.pop.choice[i * st.G + g]);
      const wt = k === null ? 1 : st.role[i * 3 + k];
      sum += wt * w;
      weight += wt;
    }
    return weight > 0 ? sum / weight : 0;
  };
  out.push({ name: 'welfare', description: 'mean payoff per state, summed over issue areas', value: welfare(null) });
  ROLES.forEach((roleName, k) => out.push({ name: `welfare_${roleName}`, description: `mean payoff per unit of ${roleName} role weight`, value: welfare(k) }));
  out.push({
    name: 'burden_gini',
    description: 'Gini coefficient of contributions over capacity (burden-sharing inequality)',
    value: (st) => {
      const ratio = new Float64Array(st.N);
      for (let i = 0; i < st.N; i++) {
        let x = 0;
        for (let g = 0; g < st.G; g++) x += contributed(st, i, g);
        ratio[i] = x / st.capacity[i];
      }
      return gini(ratio);
    },
  });
  return out;
}

// Metrics depend on the issue areas, so the model's metric list is built per
// parameter set; the engine reads `metrics` once per run through layoutMetrics.
const metricCache = new WeakMap<object, Metric[]>();
function metricsOf(p: MigrationParams): Metric[] {
  let m = metricCache.get(p);
  if (!m) {
    m = metricsFor(p);
    metricCache.set(p, m);
  }
  return m;
}

export const model: Model<MigrationParams, MigrationState> = {
  name: 'migration-governance',
  title: 'Migration governance: unilateral, club or multilateral cooperation',
  description:
    'N origin, transit and destination states in R regions choose, per issue area, to act alone (U), in their regional club (C) or in the global regime (M); payoffs follow the goods\' excludability, rivalry and reach, with norms, minimum participation, linkage, side payments, facilitation, confidence building and shocks as levers.',
  references: [
    'Betts A (2010) Global Migration Governance - the Emergence of a New Debate. (seed 002)',
    'Betts A (2011) Global Migration Governance. Oxford University Press.',
    'Barrett S (2003) Environment and Statecraft: The Strategy of Environmental Treaty-Making. Oxford University Press.',
    'Sandler T (2004) Global Collective Action. Cambridge University Press.',
    'Buchanan JM (1965) An economic theory of clubs. Economica 32:1-14.',
  ],
  params,
  layout: (p) => ({ games: p.issueAreas.map((g) => g.name), strategies: [...LEVELS] }),
  init,
  payoff: (st, i, g, level) => absolutePayoff(st, i, g, level) / st.capacity[i],
  onSwitch(st, i, g, from, to) {
    account(st, i, g, from, -1);
    account(st, i, g, to, +1);
  },
  onRound,
  metrics: (p) => metricsOf(p),
};

export default model;
