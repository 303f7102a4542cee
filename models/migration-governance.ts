// The migration-governance game (docs/design/reduced-form.md; docs/model.md §4 gives every
// rule with its source and the decisions taken where that design is silent or wrong).
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
// O(levels x issue areas) whatever N under summation (the default). The weakest-link
// and best-shot technologies need an institution's extreme contribution: its members
// are kept ordered by contribution (a PositionSet per issue area and kind of
// institution), so that costs O(log N) per payoff and per switch. What scans the
// states: the metrics that need every state (welfare, burden by role, the burden
// Gini), at record time only.
//
// The three payoffs of one revision (one state, one issue area, levels U, C, M) share
// most of their terms: absolutePayoff computes those once per (state, issue area) and
// keeps them in st.hoist until an aggregate changes (see hoist). Every term is the
// same expression, evaluated in the same order, as when each payoff computed it
// afresh, so every payoff is the same double.
import { z } from 'zod';
import type { Metric as MetricOf, Model, ModelState, Term } from '../src/engine/model.ts';
import { createPopulation, type Population } from '../src/engine/population.ts';
import type { Rng } from '../src/engine/rng.ts';
import { maxOf } from '../src/engine/stats.ts';

export const U = 0;
export const C = 1;
export const M = 2;
export const LEVELS = ['U', 'C', 'M'] as const;
export const ROLES = ['origin', 'transit', 'destination'] as const;

// The levels and roles as every chart, table and the demo show them. Colours from
// the Okabe-Ito palette (Okabe & Ito 2008), distinguishable under the common
// colour-vision deficiencies: U vermillion, C blue, M bluish green.
export const LEVEL_TERMS: readonly Term[] = [
  { id: 'U', label: 'U unilateral', color: '#D55E00' },
  { id: 'C', label: 'C club', color: '#0072B2' },
  { id: 'M', label: 'M multilateral', color: '#009E73' },
];
export const ROLE_TERMS: readonly Term[] = [
  { id: 'origin', label: 'origin', color: '#E69F00' },
  { id: 'transit', label: 'transit', color: '#CC79A7' },
  { id: 'destination', label: 'destination', color: '#56B4E9' },
];
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
    excludability: unit.meta({ title: 'excludability', unit: '0-1' }).describe('share of an institution\'s benefit withheld from non-members (0: public good)'),
    rivalry: unit.meta({ title: 'rivalry', unit: '0-1' }).describe('0: every member enjoys all of the provision; 1: each gets back its own contribution\'s worth'),
    reach: unit.meta({ title: 'reach', unit: '0-1' }).describe('worth of provision in another region relative to one\'s own (1: a global problem)'),
    aggregation: z.enum(['summation', 'weakest-link', 'best-shot']).default('summation').describe('how members\' contributions make provision (Sandler)'),
    need: z.number().min(0).max(100).default(1).meta({ title: 'need', unit: 'share of full provision' }).describe('provision the issue area needs, as a share of what all states contributing together would provide'),
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
    values: z.record(z.string(), z.number().min(0).max(100)).optional().describe('per-issue-area valuations overriding the role-based ones'),
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
        N: z.number().int().min(2).max(10_000_000).default(60).meta({ title: 'number of states', unit: 'states' }).describe('number of states (ignored with a state table)'),
        regions: z.number().int().min(1).max(1000).default(5).meta({ title: 'number of regions', unit: 'regions' }).describe('number of regions; state i is in region i mod regions'),
        roleShares: z
          .object({ origin: unit, transit: unit, destination: unit })
          .strict()
          .default({ origin: 0.5, transit: 0.2, destination: 0.3 })
          .refine((r) => Math.abs(r.origin + r.transit + r.destination - 1) < 1e-9, { message: 'role shares must sum to 1' })
          .describe('share of states whose main role is origin, transit, destination'),
        mixedShare: unit.default(0.3).meta({ title: 'share of mixed-role states', unit: '0-1' }).describe('share of states with a mixed role (half their main role, the rest split at random)'),
        capacityShape: z.number().min(1.01).max(100).default(1.5).meta({ title: 'capacity tail index', unit: 'Pareto index' }).describe('Pareto tail index of capacity (smaller: more unequal)'),
        destinationCapacity: z.number().min(1).max(1000).default(3).meta({ title: 'destination capacity multiplier' }).describe('capacity multiplier of a destination state (role and capacity correlate)'),
        sovereignty: z.number().min(0).max(100).default(1).meta({ title: 'mean sovereignty sensitivity' }).describe('mean sovereignty sensitivity'),
        sovereigntySpread: unit.default(0.5).meta({ title: 'sovereignty spread', unit: '0-1' }).describe('sovereignty sensitivity is uniform on mean x (1 +/- spread)'),
        table: z.string().optional().describe('a state table (CSV) read instead of the generator; see docs/model.md'),
        rows: z.array(stateRowSchema).optional().describe('the state table\'s rows (filled in from `table` when the spec is loaded)'),
      })
      .strict()
      .default({ N: 60, regions: 5, roleShares: { origin: 0.5, transit: 0.2, destination: 0.3 }, mixedShare: 0.3, capacityShape: 1.5, destinationCapacity: 3, sovereignty: 1, sovereigntySpread: 0.5 }),
    issueAreas: z.array(issueAreaSchema).min(1).max(32).default(BETTS_ISSUE_AREAS).describe('the issue areas (default: Betts\' three)'),
    clubs: z.enum(['regional', 'plurilateral', 'bilateral']).default('regional').describe("who a state's club is: its region; or a destination with its region's origin/transit states shared among the region's destinations (plurilateral); or a destination and one partner (bilateral)"),
    multiplier: z.number().min(0).max(100).default(1.25).meta({ title: 'multiplier m', unit: 'provision per unit contributed' }).describe('m: provision per unit contributed'),
    transactionCost: z
      .object({ U: z.number().min(0).max(100), C: z.number().min(0).max(100), M: z.number().min(0).max(100) })
      .strict()
      .default({ U: 0, C: 0.1, M: 0.3 })
      .describe('cost per unit contributed at each level, times sovereignty sensitivity'),
    mechanisms: z
      .object({
        minimumParticipation: unit.default(0.1).meta({ title: 'minimum participation', unit: 'share of states, 0-1' }).describe('theta: the regime is in force only with at least theta x N members'),
        norms: unit.default(0.3).meta({ title: 'norms', unit: 'share of benefit, 0-1' }).describe('share of an in-force regime\'s benefit that norms deny to states outside it (0: off)'),
        // optional without a default, so that the parsed parameters (which run seeds derive from) stay as they were
        normsOnClubs: z
          .boolean()
          .optional()
          .describe('level-symmetric norms: norms also deny every club\'s benefit to states outside it, as they deny the regime\'s (default false: the regime only)'),
        linkage: unit.default(0).meta({ title: 'linkage', unit: 'share of benefit, 0-1' }).describe('share of an institution\'s benefit that its destination members withhold from origin/transit outsiders, scaled by their share of destination capacity (0: off)'),
        sidePayments: z.number().min(0).max(100).default(0).meta({ title: 'side payments', unit: 'per unit contributed' }).describe('transfer per unit contributed from destination to origin/transit members (0: off)'),
        transitLeverage: z.number().min(0).max(100).default(0).meta({ title: 'transit leverage', unit: 'per unit contributed' }).describe('extra transfer per unit contributed that transit members demand from destinations (0: off)'),
        facilitation: unit.default(0.2).meta({ title: 'facilitation', unit: 'share of cost removed, 0-1' }).describe('share of club and regime transaction costs that an international organisation removes (0: off)'),
        facilitationFee: z.number().min(0).max(100).default(0.01).meta({ title: 'facilitation fee', unit: 'per unit contributed' }).describe('what club and regime members pay per unit contributed to fund the facilitating organisation (only while facilitation > 0)'),
        venueShopping: z.boolean().default(false).describe('a state in a club keeps member access to the regime and vice versa, contributing only where its level is'),
        powerAsymmetry: unit.default(0).meta({ title: 'power asymmetry', unit: '0-1' }).describe('0: contributions proportional to capacity; 1: equal contributions whatever the capacity'),
        confidenceBuilding: unit.default(0).meta({ title: 'confidence building', unit: 'share of cost, 0-1' }).describe('share of an institution\'s transaction cost that falls away as it ages (0: off)'),
        confidenceHalfLife: z.number().min(0.01).max(1e6).default(20).meta({ title: 'confidence half-life', unit: 'rounds' }).describe('rounds for half of that fall'),
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
      .default({
        minimumParticipation: 0.1,
        norms: 0.3,
        linkage: 0,
        sidePayments: 0,
        transitLeverage: 0,
        facilitation: 0.2,
        facilitationFee: 0.01,
        venueShopping: false,
        powerAsymmetry: 0,
        confidenceBuilding: 0,
        confidenceHalfLife: 20,
      }),
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
    const regions = p.states.rows ? maxOf(p.states.rows.map((r) => r.region)) + 1 : p.states.regions;
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
  /** regions */
  readonly R: number;
  /** clubs (one per region when clubs are regional) */
  readonly K: number;
  readonly names: string[];
  /** per state */
  readonly region: Int32Array;
  readonly club: Int32Array;
  readonly role: Float64Array; // N x 3 weights
  readonly mainRole: Uint8Array;
  readonly capacity: Float64Array;
  readonly contribution: Float64Array;
  readonly sovereignty: Float64Array;
  readonly value: Float64Array; // N x G base valuations
  readonly provides: Uint8Array; // N x G: would provide alone (at U)
  /** per club */
  readonly clubRegion: Int32Array;
  /** destination capacity (w_dest x c) of the states a club is open to */
  readonly Dk: Float64Array;
  /** per issue area */
  readonly e: Float64Array;
  readonly rho: Float64Array;
  readonly lambda: Float64Array;
  readonly need: Float64Array;
  readonly aggregation: Uint8Array; // 0 summation, 1 weakest-link, 2 best-shot
  readonly potential: Float64Array; // m x sum of contributions
  /** regime aggregates per issue area */
  readonly nM: Float64Array;
  readonly QM: Float64Array;
  readonly nMr: Float64Array; // G x R
  readonly QMr: Float64Array; // G x R
  readonly DM: Float64Array; // sum of w_dest x c of members
  readonly OTM: Float64Array; // sum of (w_origin + w_transit) x c of members
  readonly TM: Float64Array; // sum of w_transit x c of members
  readonly ageM: Float64Array;
  /** transactionCost of the regime at its age (kept by setCosts when the ages change) */
  readonly tauM: Float64Array;
  /** club aggregates per (issue area, club) */
  readonly nC: Float64Array;
  readonly QC: Float64Array;
  readonly DC: Float64Array;
  readonly OTC: Float64Array;
  readonly TC: Float64Array;
  readonly ageC: Float64Array;
  /** transactionCost of each club at its age */
  readonly tauC: Float64Array;
  /** (effective contributions) / max(1, n)^rho per (g, club), and its sums per (g, region) and per g */
  readonly termC: Float64Array;
  readonly sumTermCr: Float64Array;
  readonly sumTermC: Float64Array;
  /** n^rho and (1/n)^rho per (g, member count n = 0..N), filled as first needed (NaN until then): see powCount */
  readonly powRho: Float64Array;
  readonly powInvRho: Float64Array;
  /** weakest-link and best-shot issue areas: the members of each institution ordered by contribution (null when every issue area sums) */
  readonly ranked: RankedMembers | null;
  /** the terms that the payoffs of state i in issue area g share across levels (slots H_*), valid while hoistKey is i x G + g; -1: none */
  hoistKey: number;
  readonly hoist: Float64Array;
  /** issue areas with rivalry strictly between 0 and 1 (fractionalAreas of them; fractionalIndex per issue area, -1 for the others) and per (state, such area, level C/M) the last x and x^rho of memberShare */
  readonly fractionalAreas: number;
  readonly fractionalIndex: Int32Array;
  shareMemo: Float64Array;
  /** unilateral providers per (issue area, region) */
  readonly QU: Float64Array;
  readonly QUall: Float64Array; // per g
  readonly nUprov: Float64Array; // per g
  readonly Dall: number;
  /** role weights and main-role counts by level: ((g * 3 + level) * 3 + role) */
  readonly roleLevel: Float64Array;
  readonly mainLevel: Float64Array;
  readonly roleTotal: Float64Array; // 3
  readonly mainTotal: Float64Array; // 3
  readonly minMembers: number;
  /** parameters the payoff reads, as the payoff computed them from p: multiplier m, the facilitation fee (0 without facilitation), venue shopping, whether side payments or transit leverage are on, tau_U */
  readonly m: number;
  readonly fee: number;
  readonly venueShopping: boolean;
  readonly transfersOn: boolean;
  readonly tauU: number;
  /** what norms leave outsiders of a club: 1 - norms with level-symmetric norms, else 1 */
  readonly clubNorms: number;
  crisisOn: boolean;
  nationalismOn: boolean;
  /** the crisis schedule: params.mechanisms.crisis, until a crisis event (a teacher's, `events` in a spec) replaces it */
  crisis: CrisisSpec | undefined;
  /** the issue area the crisis hits (-1: none) */
  crisisG: number;
}

type CrisisSpec = NonNullable<MigrationParams['mechanisms']['crisis']>;

/**
 * A set of positions 0..size-1 kept as a tree of 32-bit words: bit p of level 0 says
 * whether p is in the set, bit q of level l + 1 whether word q of level l has any bit
 * set. Adding, removing and finding the next or previous member from a position cost
 * O(log_32 size) (3 levels for 20,000 positions).
 */
export interface PositionSet {
  readonly size: number;
  readonly levels: number;
  /** where each level starts in `words` */
  readonly offset: Int32Array;
  /** words per level */
  readonly count: Int32Array;
  readonly words: Int32Array;
}

export function createPositionSet(size: number): PositionSet {
  const counts: number[] = [];
  let n = Math.max(1, size);
  do {
    n = Math.ceil(n / 32);
    counts.push(n);
  } while (n > 1);
  const offset = new Int32Array(counts.length);
  let total = 0;
  counts.forEach((c, l) => {
    offset[l] = total;
    total += c;
  });
  return { size, levels: counts.length, offset, count: Int32Array.from(counts), words: new Int32Array(total) };
}

export function positionAdd(s: PositionSet, p: number): void {
  for (let l = 0; l < s.levels; l++) {
    const idx = s.offset[l] + (p >>> 5);
    const w = s.words[idx];
    s.words[idx] = w | (1 << (p & 31));
    if (w !== 0) return;
    p >>>= 5;
  }
}

export function positionRemove(s: PositionSet, p: number): void {
  for (let l = 0; l < s.levels; l++) {
    const idx = s.offset[l] + (p >>> 5);
    const w = s.words[idx] & ~(1 << (p & 31));
    s.words[idx] = w;
    if (w !== 0) return;
    p >>>= 5;
  }
}

/** The lowest set bit of a non-zero word. */
const lowBit = (w: number): number => 31 - Math.clz32(w & -w);

/** The smallest member >= p, or -1. */
export function positionNext(s: PositionSet, p: number): number {
  if (p >= s.size) return -1;
  let q = p < 0 ? 0 : p;
  let l = 0;
  for (;;) {
    const w = s.words[s.offset[l] + (q >>> 5)] & (-1 << (q & 31));
    if (w !== 0) {
      let pos = (q & ~31) | lowBit(w);
      while (l > 0) {
        l--;
        pos = (pos << 5) | lowBit(s.words[s.offset[l] + pos]);
      }
      return pos;
    }
    q = (q >>> 5) + 1;
    l++;
    if (l === s.levels || q >>> 5 >= s.count[l]) return -1;
  }
}

/** The largest member <= p, or -1. */
export function positionPrev(s: PositionSet, p: number): number {
  if (p < 0) return -1;
  let q = p >= s.size ? s.size - 1 : p;
  let l = 0;
  for (;;) {
    const w = s.words[s.offset[l] + (q >>> 5)] & (-1 >>> (31 - (q & 31)));
    if (w !== 0) {
      let pos = (q & ~31) | (31 - Math.clz32(w));
      while (l > 0) {
        l--;
        pos = (pos << 5) | (31 - Math.clz32(s.words[s.offset[l] + pos]));
      }
      return pos;
    }
    q = (q >>> 5) - 1;
    l++;
    if (q < 0 || l === s.levels) return -1;
  }
}

/**
 * The members of every institution ordered by contribution, for weakest-link and
 * best-shot: the states sorted by (contribution, index) give each state a position
 * (rankM; sortedM the contribution there), and, grouped by club first, a position
 * among its club's states (rankC, sortedC; club k's states hold positions
 * clubStart[k] to clubStart[k + 1] - 1). Per weakest-link or best-shot issue area, the
 * regime's members are a PositionSet over rankM and every club's members one over
 * rankC (null for a summation issue area). Contributions are fixed for a run, so the
 * positions are too; account keeps the sets.
 */
export interface RankedMembers {
  readonly rankM: Int32Array;
  readonly sortedM: Float64Array;
  readonly rankC: Int32Array;
  readonly sortedC: Float64Array;
  readonly clubStart: Int32Array;
  readonly setM: (PositionSet | null)[];
  readonly setC: (PositionSet | null)[];
  /** per (issue area, institution: 0 the regime, 1 + k club k) three slots that findExtremes fills (NaN: to find again) */
  readonly extreme: Float64Array;
}

function rankMembers(contribution: Float64Array, club: Int32Array, K: number, aggregation: Uint8Array): RankedMembers {
  const N = contribution.length;
  const byContribution = (a: number, b: number): number => contribution[a] - contribution[b] || a - b;
  const order = Array.from({ length: N }, (_, i) => i).sort(byContribution);
  const orderC = Array.from({ length: N }, (_, i) => i).sort((a, b) => club[a] - club[b] || byContribution(a, b));
  const rankM = new Int32Array(N);
  const sortedM = new Float64Array(N);
  const rankC = new Int32Array(N);
  const sortedC = new Float64Array(N);
  const clubStart = new Int32Array(K + 1);
  for (let p = 0; p < N; p++) {
    rankM[order[p]] = p;
    sortedM[p] = contribution[order[p]];
    rankC[orderC[p]] = p;
    sortedC[p] = contribution[orderC[p]];
    clubStart[club[orderC[p]] + 1] = p + 1;
  }
  // a club with no states (none here, but keep the bounds monotone) starts where the last one ended
  for (let k = 1; k <= K; k++) if (clubStart[k] < clubStart[k - 1]) clubStart[k] = clubStart[k - 1];
  const sets = () => Array.from(aggregation, (t) => (t === SUMMATION ? null : createPositionSet(N)));
  return { rankM, sortedM, rankC, sortedC, clubStart, setM: sets(), setC: sets(), extreme: new Float64Array(aggregation.length * (K + 1) * 3).fill(NaN) };
}

const SUMMATION = 0;
const WEAKEST_LINK = 1;
const BEST_SHOT = 2;

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
  return st.crisisOn && g === st.crisisG && st.region[i] === st.crisis!.region ? v * st.crisis!.stakeFactor : v;
}

function sovereigntyOf(st: MigrationState, i: number): number {
  return st.nationalismOn ? st.sovereignty[i] * st.p.mechanisms.nationalism!.factor : st.sovereignty[i];
}

/** Keeps tauM and tauC, the transaction costs of the regime and the clubs at their ages (called when the ages change). */
function setCosts(st: MigrationState): void {
  for (let g = 0; g < st.G; g++) {
    st.tauM[g] = transactionCost(st, M, st.ageM[g]);
    for (let k = 0; k < st.K; k++) st.tauC[g * st.K + k] = transactionCost(st, C, st.ageC[g * st.K + k]);
  }
}

/** Transaction cost of a level, after facilitation and confidence building (the institution's age). */
function transactionCost(st: MigrationState, level: number, age: number): number {
  const tc = st.p.transactionCost;
  const mech = st.p.mechanisms;
  if (level === U) return tc.U;
  const base = level === C ? tc.C : tc.M;
  const confidence = mech.confidenceBuilding > 0 ? mech.confidenceBuilding * (1 - Math.pow(2, -age / mech.confidenceHalfLife)) : 0;
  return base * (1 - mech.facilitation) * (1 - confidence);
}

/**
 * Weakest-link and best-shot aggregation: the lowest (highest) contribution among
 * the states at `level` (M or C) in issue area g (for clubs, in club k), leaving out
 * state `skip` (-1: none); Infinity (-Infinity) when there is none: the first
 * (last) member of the ordered members (RankedMembers), or the one after (before) it
 * when that is `skip`. Both are kept per institution (findExtremes), found again in
 * O(log N) after a member comes or goes. Ties are equal doubles, so which of two tied
 * states is found does not matter.
 */
export function extremeContribution(st: MigrationState, g: number, level: number, k: number, skip: number, highest: boolean): number {
  const rk = st.ranked!;
  const slot = (g * (st.K + 1) + (level === M ? 0 : 1 + k)) * 3;
  const ext = rk.extreme;
  if (ext[slot] !== ext[slot]) findExtremes(st, g, level, k, highest, slot);
  const at = skip < 0 ? -2 : level === M ? rk.rankM[skip] : rk.rankC[skip];
  return ext[slot] === at ? ext[slot + 2] : ext[slot + 1];
}

/**
 * Fills rk.extreme at `slot` for the regime (level M) or club k of issue area g: the
 * position of its lowest (highest) member, -1 if none; that member's contribution;
 * and the next lowest (highest) member's, +-Infinity if none. Leaving out a state
 * is then reading one or the other. account clears the slot when a member comes or
 * goes.
 */
function findExtremes(st: MigrationState, g: number, level: number, k: number, highest: boolean, slot: number): void {
  const rk = st.ranked!;
  const ext = rk.extreme;
  const none = highest ? -Infinity : Infinity;
  let first: number;
  let second: number;
  let sorted: Float64Array;
  if (level === M) {
    const set = rk.setM[g]!;
    sorted = rk.sortedM;
    first = highest ? positionPrev(set, st.N - 1) : positionNext(set, 0);
    second = first < 0 ? -1 : highest ? positionPrev(set, first - 1) : positionNext(set, first + 1);
  } else {
    const set = rk.setC[g]!;
    sorted = rk.sortedC;
    const lo = rk.clubStart[k];
    const hi = rk.clubStart[k + 1];
    const inClub = (p: number): number => (p >= lo && p < hi ? p : -1);
    first = inClub(highest ? positionPrev(set, hi - 1) : positionNext(set, lo));
    second = first < 0 ? -1 : inClub(highest ? positionPrev(set, first - 1) : positionNext(set, first + 1));
  }
  ext[slot] = first;
  ext[slot + 1] = first < 0 ? none : sorted[first];
  ext[slot + 2] = second < 0 ? none : sorted[second];
}

/**
 * Effective contributions of an institution as state i would find it: the sum under
 * summation; members x the lowest (weakest-link) or highest (best-shot)
 * contribution otherwise. `n` and `sum` already include or exclude i as the
 * hypothesis says; `withI` tells whether i is a member in it.
 */
function effective(st: MigrationState, g: number, level: number, k: number, i: number, n: number, sum: number, withI: boolean): number {
  const tech = st.aggregation[g];
  if (tech === SUMMATION || n <= 0) return n <= 0 ? 0 : sum;
  return effectiveOf(tech, extremeContribution(st, g, level, k, i, tech === BEST_SHOT), st.contribution[i], n, withI);
}

/** effective's last step: n x the extreme of the other members' contributions (`others`) and, if withI, c. */
function effectiveOf(tech: number, others: number, c: number, n: number, withI: boolean): number {
  const x = withI ? (tech === BEST_SHOT ? Math.max(others, c) : Math.min(others, c)) : others;
  return Number.isFinite(x) ? n * x : 0;
}

/**
 * extremeContribution of the regime (level M, into st.hoist[H_OTHERS_M]) or of i's
 * club (C, H_OTHERS_C) leaving out i: the same for each level i asks about, so kept
 * while st.hoist holds.
 */
function findOthers(st: MigrationState, g: number, level: number, k: number, i: number): void {
  st.hoist[level === M ? H_OTHERS_M : H_OTHERS_C] = extremeContribution(st, g, level, k, i, st.aggregation[g] === BEST_SHOT);
}

/**
 * n^rho_g for a member count n (an integer from 0 to N): Math.pow(n, rho_g) computed
 * once per (g, n) and kept, so a payoff reads a table instead of calling pow; the very
 * same double, so every trajectory is unchanged.
 */
function powCount(st: MigrationState, g: number, n: number): number {
  const idx = g * (st.N + 1) + n;
  const x = st.powRho[idx];
  // NaN (not yet computed) is the only value unequal to itself
  if (x === x) return x;
  return (st.powRho[idx] = Math.pow(n, st.rho[g]));
}

/** (1/n)^rho_g for a member count n, as powCount: the double Math.pow(1 / n, rho_g) gives. */
function powInvCount(st: MigrationState, g: number, n: number): number {
  const idx = g * (st.N + 1) + n;
  const x = st.powInvRho[idx];
  if (x === x) return x;
  return (st.powInvRho[idx] = Math.pow(1 / n, st.rho[g]));
}

/**
 * A member's share (c_i / Q)^rho = x^rho (summation, rho > 0): pow(x, 1) is exactly x
 * (IEEE 754), so it is skipped; otherwise Math.pow, remembered with its x per
 * (state, issue area, level C or M) in st.shareMemo, since Q changes only when a
 * member comes or goes and a state asks again and again while it does not.
 */
function memberShare(st: MigrationState, i: number, g: number, level: number, x: number, rho: number): number {
  if (rho === 1) return x;
  // made when first needed: a run where no state asks for its share as a member never holds it
  if (st.shareMemo.length === 0) st.shareMemo = new Float64Array(st.N * st.fractionalAreas * 4).fill(NaN);
  const memo = st.shareMemo;
  const idx = ((i * st.fractionalAreas + st.fractionalIndex[g]) * 2 + (level === M ? 1 : 0)) * 2;
  if (memo[idx] === x) return memo[idx + 1];
  const y = Math.pow(x, rho);
  memo[idx] = x;
  memo[idx + 1] = y;
  return y;
}

function setClubTerm(st: MigrationState, g: number, k: number): void {
  const idx = g * st.K + k;
  const n = st.nC[idx];
  let eff = st.QC[idx];
  if (st.aggregation[g] !== SUMMATION && n > 0) {
    const x = extremeContribution(st, g, C, k, -1, st.aggregation[g] === BEST_SHOT);
    eff = Number.isFinite(x) ? n * x : 0;
  }
  const term = n > 0 ? eff / powCount(st, g, n) : 0;
  const delta = term - st.termC[idx];
  st.termC[idx] = term;
  st.sumTermCr[g * st.R + st.clubRegion[k]] += delta;
  st.sumTermC[g] += delta;
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
  st.hoistKey = -1;
  if (level === M) {
    const set = st.ranked?.setM[g];
    if (set) {
      if (sign > 0) positionAdd(set, st.ranked!.rankM[i]);
      else positionRemove(set, st.ranked!.rankM[i]);
      st.ranked!.extreme[g * (st.K + 1) * 3] = NaN;
    }
    st.nM[g] += sign;
    st.QM[g] += sign * c;
    st.nMr[g * st.R + r] += sign;
    st.QMr[g * st.R + r] += sign * c;
    st.DM[g] += sign * wD * c;
    st.OTM[g] += sign * (wO + wT) * c;
    st.TM[g] += sign * wT * c;
  } else if (level === C) {
    const k = st.club[i];
    const idx = g * st.K + k;
    const set = st.ranked?.setC[g];
    if (set) {
      if (sign > 0) positionAdd(set, st.ranked!.rankC[i]);
      else positionRemove(set, st.ranked!.rankC[i]);
      st.ranked!.extreme[(g * (st.K + 1) + 1 + k) * 3] = NaN;
    }
    st.nC[idx] += sign;
    st.QC[idx] += sign * c;
    st.DC[idx] += sign * wD * c;
    st.OTC[idx] += sign * (wO + wT) * c;
    st.TC[idx] += sign * wT * c;
    setClubTerm(st, g, k);
  } else if (st.provides[i * st.G + g]) {
    st.QU[g * st.R + r] += sign * c;
    st.QUall[g] += sign * c;
    st.nUprov[g] += sign;
  }
}

/** Whether each state acting alone provides: its own benefit v m exceeds its cost 1 + tau_U s (G4). */
function refreshProvides(st: MigrationState): void {
  const m = st.p.multiplier;
  st.hoistKey = -1;
  for (let g = 0; g < st.G; g++) {
    for (let i = 0; i < st.N; i++) {
      const atU = st.pop.choice[i * st.G + g] === U;
      if (atU) account(st, i, g, U, -1);
      st.provides[i * st.G + g] = valueOf(st, i, g) * m > 1 + st.p.transactionCost.U * sovereigntyOf(st, i) ? 1 : 0;
      if (atU) account(st, i, g, U, +1);
    }
  }
}

// Slots of st.hoist: what the payoffs of state i in issue area g at the three levels
// share (hoist fills the first four; the others are found when first asked, NaN
// until then). Each is the expression the payoff evaluated before it kept them, in
// the same order, so the doubles are those it computed every time.
/** valueOf(i, g) */
const H_V = 0;
/** sovereigntyOf(i) */
const H_S = 1;
/** G3: the other clubs seen from outside */
const H_G3 = 2;
/** G4: the other unilateral providers' spill-over */
const H_G4 = 3;
/** G1 as an outsider of the regime, without (OUT) and with (DUAL, venue shopping) member access */
const H_G1_OUT = 4;
const H_G1_DUAL = 5;
/** G2 as an outsider of i's club, without and with member access */
const H_G2_OUT = 6;
const H_G2_DUAL = 7;
/** weakest-link and best-shot: extremeContribution of the regime's (M) and i's club's (C) members other than i */
const H_OTHERS_M = 8;
const H_OTHERS_C = 9;
/** the payoff computePayoff found last (a function that returns a double it computed, when not inlined, allocates a box for it) */
const H_PAYOFF = 10;
const HOIST_SLOTS = 11;

/**
 * Fills st.hoist for state i in issue area g (see H_*). Everything they read changes
 * only through account (which clears hoistKey), onRound and a crisis event (which
 * clear it too: the shock flags change valuations and sovereignty, the ages costs).
 */
function hoist(st: MigrationState, i: number, g: number): void {
  const h = st.hoist;
  const R = st.R;
  const r = st.region[i];
  const c = st.contribution[i];
  const v = valueOf(st, i, g);
  const e = st.e[g];
  const lambda = st.lambda[g];
  const m = st.m;
  const cur = st.pop.choice[i * st.G + g];
  const kc = g * st.K + st.club[i];
  const own = cur === U && st.provides[i * st.G + g] ? c : 0;
  const QUr = st.QU[g * R + r] - own;
  const QUall = st.QUall[g] - own;
  const clubNorms = st.clubNorms;
  const ownTerm = st.termC[kc];
  const sameRegion = Math.max(0, st.sumTermCr[g * R + r] - ownTerm);
  const elsewhere = Math.max(0, st.sumTermC[g] - st.sumTermCr[g * R + r]);
  h[H_V] = v;
  h[H_S] = sovereigntyOf(st, i);
  h[H_G3] = v * (1 - e) * clubNorms * m * (sameRegion + lambda * elsewhere);
  h[H_G4] = v * (1 - e) * m * (QUr + lambda * (QUall - QUr));
  h[H_G1_OUT] = NaN;
  h[H_G1_DUAL] = NaN;
  h[H_G2_OUT] = NaN;
  h[H_G2_DUAL] = NaN;
  h[H_OTHERS_M] = NaN;
  h[H_OTHERS_C] = NaN;
  st.hoistKey = i * st.G + g;
}

/**
 * G1 for state i outside the regime (at U, or at C), the regime in force with
 * members: what it sees of the regime's provision, times its access (1 with venue
 * shopping at C: `dual`), over n_M^rho, into st.hoist[slot].
 */
function regimeOutsider(st: MigrationState, i: number, g: number, dual: boolean, slot: number): void {
  const R = st.R;
  const r = st.region[i];
  const c = st.contribution[i];
  const v = st.hoist[H_V];
  const e = st.e[g];
  const lambda = st.lambda[g];
  const m = st.m;
  const mech = st.p.mechanisms;
  const wOT = st.role[i * 3 + ORIGIN] + st.role[i * 3 + TRANSIT];
  const wD = st.role[i * 3 + DEST];
  const wasM = st.pop.choice[i * st.G + g] === M ? 1 : 0;
  // the general formula's terms with inM = 0, as it wrote them
  const inM = 0;
  const nM = st.nM[g] - wasM + inM;
  const QM = st.QM[g] - wasM * c + inM * c;
  let seen: number;
  if (st.aggregation[g] === SUMMATION) {
    const QMr = st.QMr[g * R + r] - wasM * c + inM * c;
    seen = m * (QMr + lambda * (QM - QMr));
  } else {
    const nMr = st.nMr[g * R + r] - wasM + inM;
    if (st.hoist[H_OTHERS_M] !== st.hoist[H_OTHERS_M]) findOthers(st, g, M, 0, i);
    const x = effectiveOf(st.aggregation[g], st.hoist[H_OTHERS_M], c, nM, false) / nM;
    seen = m * x * (nMr + lambda * (nM - nMr));
  }
  const dShare = st.Dall > 0 ? (st.DM[g] - wasM * wD * c) / st.Dall : 0;
  const access = dual ? 1 : (1 - e) * (1 - mech.norms) * (1 - mech.linkage * wOT * dShare);
  st.hoist[slot] = (v * access * seen) / powCount(st, g, nM);
}

/**
 * G2 for state i outside its club k (at U, or at M), the club with members: its
 * provision times i's access (1 with venue shopping at M: `dual`) over n_k^rho.
 * Into st.hoist[slot].
 */
function clubOutsider(st: MigrationState, i: number, g: number, dual: boolean, slot: number): void {
  const c = st.contribution[i];
  const v = st.hoist[H_V];
  const e = st.e[g];
  const m = st.m;
  const mech = st.p.mechanisms;
  const wOT = st.role[i * 3 + ORIGIN] + st.role[i * 3 + TRANSIT];
  const wD = st.role[i * 3 + DEST];
  const k = st.club[i];
  const kc = g * st.K + k;
  const wasC = st.pop.choice[i * st.G + g] === C ? 1 : 0;
  const clubNorms = st.clubNorms;
  // the general formula's terms with inC = 0, as it wrote them
  const inC = 0;
  const nC = st.nC[kc] - wasC + inC;
  const QC = st.QC[kc] - wasC * c + inC * c;
  if (st.aggregation[g] !== SUMMATION && st.hoist[H_OTHERS_C] !== st.hoist[H_OTHERS_C]) findOthers(st, g, C, k, i);
  const provision = m * (st.aggregation[g] === SUMMATION ? QC : effectiveOf(st.aggregation[g], st.hoist[H_OTHERS_C], c, nC, false));
  const dShare = st.Dk[k] > 0 ? (st.DC[kc] - wasC * wD * c) / st.Dk[k] : 0;
  const access = dual ? 1 : (1 - e) * clubNorms * (1 - mech.linkage * wOT * dShare);
  st.hoist[slot] = (v * access * provision) / powCount(st, g, nC);
}

/**
 * The payoff of state i in issue area g at `level`, every other state keeping its
 * level (docs/model.md §4.4, equations G1-G7), in absolute terms.
 */
export function absolutePayoff(st: MigrationState, i: number, g: number, level: number): number {
  computePayoff(st, i, g, level);
  return st.hoist[H_PAYOFF];
}

/**
 * absolutePayoff, into st.hoist[H_PAYOFF]. The terms that do not depend on the level
 * are taken from st.hoist (see hoist), so the three payoffs of one revision compute
 * them once.
 */
function computePayoff(st: MigrationState, i: number, g: number, level: number): void {
  const G = st.G;
  if (st.hoistKey !== i * G + g) hoist(st, i, g);
  const h = st.hoist;
  const cur = st.pop.choice[i * G + g];
  const c = st.contribution[i];
  const v = h[H_V];
  const s = h[H_S];
  const rho = st.rho[g];
  const m = st.m;
  const tech = st.aggregation[g];
  const summation = tech === SUMMATION;
  const inM = level === M ? 1 : 0;
  const inC = level === C ? 1 : 0;
  const wasM = cur === M ? 1 : 0;
  const wasC = cur === C ? 1 : 0;

  // the regime as it would be
  const nM = st.nM[g] - wasM + inM;
  const inForce = nM >= st.minMembers;
  // the own club as it would be
  const k = st.club[i];
  const kc = g * st.K + k;
  const nC = st.nC[kc] - wasC + inC;

  let benefit = 0;
  let cost = 0;

  // G1: the regime; members in one's own region count fully, the others at reach lambda
  if (inForce && nM > 0) {
    if (inM) {
      const R = st.R;
      const r = st.region[i];
      const QM = st.QM[g] - wasM * c + inM * c;
      let seen: number;
      if (summation) {
        const QMr = st.QMr[g * R + r] - wasM * c + inM * c;
        seen = m * (QMr + st.lambda[g] * (QM - QMr));
      } else {
        const nMr = st.nMr[g * R + r] - wasM + inM;
        if (h[H_OTHERS_M] !== h[H_OTHERS_M]) findOthers(st, g, M, 0, i);
        const x = effectiveOf(tech, h[H_OTHERS_M], c, nM, true) / nM;
        seen = m * x * (nMr + st.lambda[g] * (nM - nMr));
      }
      benefit += v * seen * (rho === 0 ? 1 : summation ? memberShare(st, i, g, M, c / QM, rho) : powInvCount(st, g, nM));
    } else {
      const slot = st.venueShopping && inC === 1 ? H_G1_DUAL : H_G1_OUT;
      if (h[slot] !== h[slot]) regimeOutsider(st, i, g, slot === H_G1_DUAL, slot);
      benefit += h[slot];
    }
  }
  // G2: the own club
  if (nC > 0) {
    if (inC) {
      const QC = st.QC[kc] - wasC * c + inC * c;
      if (!summation && h[H_OTHERS_C] !== h[H_OTHERS_C]) findOthers(st, g, C, k, i);
      const provision = m * (summation ? QC : effectiveOf(tech, h[H_OTHERS_C], c, nC, true));
      benefit += v * provision * (rho === 0 ? 1 : summation ? memberShare(st, i, g, C, c / QC, rho) : powInvCount(st, g, nC));
    } else {
      const slot = st.venueShopping && inM === 1 ? H_G2_DUAL : H_G2_OUT;
      if (h[slot] !== h[slot]) clubOutsider(st, i, g, slot === H_G2_DUAL, slot);
      benefit += h[slot];
    }
  }
  // G3: other clubs, seen from outside: in one's own region fully, elsewhere at reach lambda
  benefit += h[H_G3];
  // G4: unilateral provision, one's own and the others' spill-over
  if (level === U && st.provides[i * G + g]) {
    benefit += v * m * c;
    cost += c * (1 + st.tauU * s);
  }
  benefit += h[H_G4];

  // G5: costs of membership (G7: the facilitation fee)
  const fee = st.fee;
  if (inC) {
    cost += c * (1 + st.tauC[kc] * s + fee);
  } else if (inM && !inForce) {
    // ratified but not in force: the sovereignty cost of ratifying, no contribution (Barrett 2003)
    cost += c * st.tauM[g] * s;
  } else if (inM) {
    cost += c * (1 + st.tauM[g] * s + fee);
  }
  // G6: transfers: the own club's, and the regime's while in force
  if (st.transfersOn) {
    const wO = st.role[i * 3 + ORIGIN];
    const wT = st.role[i * 3 + TRANSIT];
    const wD = st.role[i * 3 + DEST];
    const wOT = wO + wT;
    benefit += transfers(st, c, wOT, wT, wD, inC === 1, st.OTC[kc] - wasC * wOT * c + inC * wOT * c, st.TC[kc] - wasC * wT * c + inC * wT * c, st.Dk[k]);
    if (inForce) benefit += transfers(st, c, wOT, wT, wD, inM === 1, st.OTM[g] - wasM * wOT * c + inM * wOT * c, st.TM[g] - wasM * wT * c + inM * wT * c, st.Dall);
  }
  h[H_PAYOFF] = benefit - cost;
}

/**
 * G6: side payments and transit leverage for one institution. Each origin/transit
 * member receives (sidePayments x (w_o + w_t) + transitLeverage x w_t) x c. The
 * destinations that the institution serves (for a club, every state it is open to;
 * for the regime, every state) fund the total in proportion to w_d x c, members or
 * not: development cooperation is paid from destination budgets for the partners'
 * cooperation, not as a fee for the payer's own seat. (Charging destination members
 * only would let a destination save its share by leaving, so payments would empty
 * clubs of their largest contributors.) With no destination capacity nobody pays
 * and nothing is received. `OT` and `T` are the members' weighted contributions.
 */
function transfers(st: MigrationState, c: number, wOT: number, wT: number, wD: number, member: boolean, OT: number, T: number, D: number): number {
  const mech = st.p.mechanisms;
  if (D <= 0) return 0;
  const receive = member ? (mech.sidePayments * wOT + mech.transitLeverage * wT) * c : 0;
  const total = mech.sidePayments * OT + mech.transitLeverage * T;
  return receive - (total * wD * c) / D;
}

/**
 * Club membership (who may join which club): a state's region; or, plurilateral,
 * a destination of the region and the origin/transit states dealt out in turn to
 * the region's destinations; or, bilateral, a destination and one partner (the
 * states left over form clubs of their own). A region without destinations has one
 * club. Returns the club of every state and each club's region.
 */
function assignClubs(kind: MigrationParams['clubs'], region: Int32Array, mainRole: Uint8Array, R: number): { club: Int32Array; clubRegion: number[] } {
  const N = region.length;
  const club = new Int32Array(N);
  const clubRegion: number[] = [];
  if (kind === 'regional') {
    for (let i = 0; i < N; i++) club[i] = region[i];
    for (let r = 0; r < R; r++) clubRegion.push(r);
    return { club, clubRegion };
  }
  for (let r = 0; r < R; r++) {
    const members: number[] = [];
    for (let i = 0; i < N; i++) if (region[i] === r) members.push(i);
    const hubs = members.filter((i) => mainRole[i] === DEST);
    const others = members.filter((i) => mainRole[i] !== DEST);
    if (hubs.length === 0) {
      // no destination to pair with: plurilateral, one club of the region; bilateral, each state alone
      if (kind === 'bilateral') {
        for (const i of members) {
          club[i] = clubRegion.length;
          clubRegion.push(r);
        }
      } else {
        const id = clubRegion.length;
        clubRegion.push(r);
        for (const i of members) club[i] = id;
      }
      continue;
    }
    const hubClub = hubs.map((h) => {
      const id = clubRegion.length;
      clubRegion.push(r);
      club[h] = id;
      return id;
    });
    others.forEach((i, n) => {
      if (kind === 'plurilateral' || n < hubs.length) {
        club[i] = hubClub[n % hubs.length];
      } else {
        club[i] = clubRegion.length;
        clubRegion.push(r);
      }
    });
  }
  return { club, clubRegion };
}

function init(p: MigrationParams, rng: Rng): MigrationState {
  const rows = p.states.rows ?? generateStates(p, rng);
  const N = rows.length;
  const G = p.issueAreas.length;
  const R = p.states.rows ? maxOf(rows.map((r) => r.region)) + 1 : p.states.regions;
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
  rows.forEach((row, i) => {
    p.issueAreas.forEach((area, g) => {
      const val = area.valuation;
      // own keys only: an issue area called "constructor" must not read Object.prototype.constructor
      const own = row.values && Object.hasOwn(row.values, area.name) ? row.values[area.name] : undefined;
      value[i * G + g] = own ?? role[i * 3] * val.origin + role[i * 3 + 1] * val.transit + role[i * 3 + 2] * val.destination;
    });
  });
  const { club, clubRegion } = assignClubs(p.clubs, region, mainRole, R);
  const K = clubRegion.length;
  let Dall = 0;
  const Dk = new Float64Array(K);
  const roleTotal = new Float64Array(3);
  const mainTotal = new Float64Array(3);
  let totalC = 0;
  let maxC = 0;
  for (let i = 0; i < N; i++) {
    if (contribution[i] > maxC) maxC = contribution[i];
    Dall += role[i * 3 + 2] * contribution[i];
    Dk[club[i]] += role[i * 3 + 2] * contribution[i];
    for (let k = 0; k < 3; k++) roleTotal[k] += role[i * 3 + k];
    mainTotal[mainRole[i]]++;
    totalC += contribution[i];
  }
  const tech = { summation: SUMMATION, 'weakest-link': WEAKEST_LINK, 'best-shot': BEST_SHOT } as const;
  const aggregation = Uint8Array.from(p.issueAreas.map((g) => tech[g.aggregation]));
  let fractionalAreas = 0;
  const fractionalIndex = Int32Array.from(p.issueAreas, (g) => (g.rivalry > 0 && g.rivalry < 1 ? fractionalAreas++ : -1));
  const st: MigrationState = {
    pop,
    p,
    N,
    G,
    R,
    K,
    names: p.issueAreas.map((g) => g.name),
    region,
    club,
    role,
    mainRole,
    capacity,
    contribution,
    sovereignty,
    value,
    provides: new Uint8Array(N * G),
    clubRegion: Int32Array.from(clubRegion),
    Dk,
    e: Float64Array.from(p.issueAreas.map((g) => g.excludability)),
    rho: Float64Array.from(p.issueAreas.map((g) => g.rivalry)),
    lambda: Float64Array.from(p.issueAreas.map((g) => g.reach)),
    need: Float64Array.from(p.issueAreas.map((g) => g.need)),
    aggregation,
    // what all states would provide together, the bound of provision: summation and
    // weakest-link m sum c (a weakest-link institution provides n min c <= its sum);
    // best-shot m N max c
    potential: Float64Array.from(p.issueAreas.map((area) => p.multiplier * (area.aggregation === 'best-shot' ? N * maxC : totalC))),
    nM: new Float64Array(G),
    QM: new Float64Array(G),
    nMr: new Float64Array(G * R),
    QMr: new Float64Array(G * R),
    DM: new Float64Array(G),
    OTM: new Float64Array(G),
    TM: new Float64Array(G),
    ageM: new Float64Array(G),
    tauM: new Float64Array(G),
    nC: new Float64Array(G * K),
    QC: new Float64Array(G * K),
    DC: new Float64Array(G * K),
    OTC: new Float64Array(G * K),
    TC: new Float64Array(G * K),
    ageC: new Float64Array(G * K),
    tauC: new Float64Array(G * K),
    termC: new Float64Array(G * K),
    sumTermCr: new Float64Array(G * R),
    sumTermC: new Float64Array(G),
    powRho: new Float64Array(G * (N + 1)).fill(NaN),
    powInvRho: new Float64Array(G * (N + 1)).fill(NaN),
    ranked: aggregation.some((t) => t !== SUMMATION) ? rankMembers(contribution, club, K, aggregation) : null,
    hoistKey: -1,
    hoist: new Float64Array(HOIST_SLOTS),
    fractionalAreas,
    fractionalIndex,
    shareMemo: new Float64Array(0),
    QU: new Float64Array(G * R),
    QUall: new Float64Array(G),
    nUprov: new Float64Array(G),
    Dall,
    roleLevel: new Float64Array(G * 9),
    mainLevel: new Float64Array(G * 9),
    roleTotal,
    mainTotal,
    minMembers: Math.max(1, Math.ceil(p.mechanisms.minimumParticipation * N - 1e-9)),
    m: p.multiplier,
    fee: p.mechanisms.facilitation > 0 ? p.mechanisms.facilitationFee : 0,
    venueShopping: p.mechanisms.venueShopping,
    transfersOn: p.mechanisms.sidePayments > 0 || p.mechanisms.transitLeverage > 0,
    tauU: p.transactionCost.U,
    clubNorms: p.mechanisms.normsOnClubs ? 1 - p.mechanisms.norms : 1,
    crisisOn: false,
    nationalismOn: false,
    crisis: p.mechanisms.crisis,
    crisisG: p.mechanisms.crisis ? p.issueAreas.findIndex((g) => g.name === p.mechanisms.crisis!.issueArea) : -1,
  };
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < G; g++) st.provides[i * G + g] = value[i * G + g] * p.multiplier > 1 + p.transactionCost.U * sovereignty[i] ? 1 : 0;
  }
  setCosts(st);
  // every state starts at U (the counts already say so): account for it, then draw initial levels
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

/** A crisis event's fields: the crisis mechanism's, less its start (the event's round is its start). */
function crisisEventSchema(p: MigrationParams) {
  const names = p.issueAreas.map((g) => g.name) as [string, ...string[]];
  const regions = p.states.rows ? maxOf(p.states.rows.map((r) => r.region)) + 1 : p.states.regions;
  return z
    .object({
      issueArea: z.enum(names).describe('name of the issue area hit'),
      region: z.number().int().min(0).max(regions - 1).describe('region hit'),
      duration: shock.duration,
      stakeFactor: z.number().min(0).max(1000).default(2).describe('valuation multiplier for states in the region'),
      needFactor: z.number().min(0).max(1000).default(2).describe('need multiplier of the issue area'),
    })
    .strict();
}

/**
 * A crisis from `round` (1: the first round played) on: it replaces the crisis
 * schedule with one that starts then, as params.mechanisms.crisis with start
 * round - 1 would (onRound is given the rounds already run), and onRound turns it on.
 */
function applyCrisis(st: MigrationState, fields: Readonly<Record<string, unknown>>, round: number): void {
  const f = fields as Omit<CrisisSpec, 'start'>;
  const g = st.p.issueAreas.findIndex((a) => a.name === f.issueArea);
  if (g < 0) throw new RangeError(`crisis event: unknown issue area ${JSON.stringify(f.issueArea)}`);
  if (st.crisisOn) {
    // the crisis in force ends here, so that onRound starts the new one from a clean slate
    st.crisisOn = false;
    refreshProvides(st);
  }
  st.crisis = { issueArea: f.issueArea, region: f.region, start: round - 1, duration: f.duration, stakeFactor: f.stakeFactor, needFactor: f.needFactor };
  st.crisisG = g;
  st.hoistKey = -1;
}

function onRound(st: MigrationState, round: number): void {
  const mech = st.p.mechanisms;
  // the shock flags change valuations and sovereignty, which st.hoist keeps
  st.hoistKey = -1;
  const active = (s: { start: number; duration: number } | undefined) => s !== undefined && round >= s.start && round < s.start + s.duration;
  const crisisOn = active(st.crisis);
  const nationalismOn = active(mech.nationalism);
  if (crisisOn !== st.crisisOn || nationalismOn !== st.nationalismOn) {
    st.crisisOn = crisisOn;
    st.nationalismOn = nationalismOn;
    refreshProvides(st);
  }
  // confidence building: an institution ages from its first member on (talks before a treaty is in force
  // build confidence too: seed 000's step-by-step consultation), and starts again when it empties
  for (let g = 0; g < st.G; g++) {
    st.ageM[g] = st.nM[g] >= 1 ? st.ageM[g] + 1 : 0;
    for (let k = 0; k < st.K; k++) {
      const idx = g * st.K + k;
      st.ageC[idx] = st.nC[idx] >= 1 ? st.ageC[idx] + 1 : 0;
    }
  }
  setCosts(st);
}

/** Provision of issue area g now (effective contributions x m), as a share of the potential (all states contributing). */
export function provisionShare(st: MigrationState, g: number): number {
  let q = st.nM[g] >= st.minMembers && st.nM[g] > 0 ? effective(st, g, M, 0, -1, st.nM[g], st.QM[g], false) : 0;
  for (let k = 0; k < st.K; k++) q += st.termC[g * st.K + k] * Math.pow(Math.max(1, st.nC[g * st.K + k]), st.rho[g]);
  q += st.QUall[g];
  return st.potential[g] > 0 ? (st.p.multiplier * q) / st.potential[g] : 0;
}

/** True when anything is provided in issue area g: a provider at U, a club with members, or a regime in force. */
function anyProvision(st: MigrationState, g: number): boolean {
  if (st.nUprov[g] > 0 || (st.nM[g] >= st.minMembers && st.nM[g] > 0)) return true;
  for (let k = 0; k < st.K; k++) if (st.nC[g * st.K + k] > 0) return true;
  return false;
}

function needShare(st: MigrationState, g: number): number {
  const crisis = st.crisis;
  return st.crisisOn && g === st.crisisG && crisis ? st.need[g] * crisis.needFactor : st.need[g];
}

/** What state i pays into issue area g at its current level (for burden metrics). */
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
          description: `share of ${roleName} role weight at level ${LEVEL_TERMS[level].label} in ${name}`,
          unit: 'share of role weight',
          kind: 'share',
          dimensions: { issueArea: name, level: LEVELS[level], role: roleName },
          value: (st) => (st.roleTotal[k] > 0 ? st.roleLevel[(g * 3 + level) * 3 + k] / st.roleTotal[k] : 0),
        });
      });
    }
    ROLES.forEach((roleName, k) => {
      out.push({
        name: `${name}_ratified_${roleName}`,
        description: `members of the ${name} regime whose main role is ${roleName}`,
        unit: 'states',
        kind: 'count',
        dimensions: { issueArea: name, level: 'M', role: roleName },
        value: (st) => st.mainLevel[(g * 3 + M) * 3 + k],
      });
    });
    out.push({ name: `${name}_in_force`, description: `1 when the ${name} regime is in force`, unit: 'indicator (0/1)', kind: 'indicator', dimensions: { issueArea: name }, value: (st) => (st.nM[g] >= st.minMembers && st.nM[g] > 0 ? 1 : 0) });
    out.push({ name: `${name}_provision`, description: `provision in ${name}, as a share of what all states together would provide`, unit: 'share of full provision', kind: 'amount', dimensions: { issueArea: name }, target: { metric: `${name}_need`, gap: `${name}_gap` }, value: (st) => provisionShare(st, g) });
    out.push({ name: `${name}_need`, description: `need in ${name}, as a share of what all states together would provide`, unit: 'share of full provision', kind: 'amount', dimensions: { issueArea: name }, value: (st) => needShare(st, g) });
    out.push({
      name: `${name}_gap`,
      description: `protection gap: share of the need in ${name} that no one meets`,
      unit: 'share of need',
      kind: 'share',
      dimensions: { issueArea: name },
      value: (st) => {
        const need = needShare(st, g);
        return need > 0 ? Math.max(0, need - provisionShare(st, g)) / need : 0;
      },
    });
    out.push({
      name: `${name}_free_riders`,
      description: `share of states in ${name} that belong to no institution and provide nothing while others provide`,
      unit: 'share of states',
      kind: 'share',
      dimensions: { issueArea: name },
      value: (st) => {
        const idle = st.pop.counts[g * 3 + U] - st.nUprov[g];
        return anyProvision(st, g) ? idle / st.N : 0;
      },
    });
    out.push({
      name: `${name}_institutions`,
      description: `working institutions in ${name}: clubs with two or more members, plus the regime if in force with two or more members`,
      unit: 'institutions',
      kind: 'count',
      dimensions: { issueArea: name },
      value: (st) => {
        let n = st.nM[g] >= st.minMembers && st.nM[g] >= 2 ? 1 : 0;
        for (let k = 0; k < st.K; k++) if (st.nC[g * st.K + k] >= 2) n++;
        return n;
      },
    });
    out.push({
      name: `${name}_hhi`,
      description: `Herfindahl index of membership across the institutions of ${name} (1: one institution holds every member)`,
      unit: 'index (0-1)',
      kind: 'index',
      dimensions: { issueArea: name },
      value: (st) => {
        let total = st.nM[g];
        for (let k = 0; k < st.K; k++) total += st.nC[g * st.K + k];
        if (total === 0) return 0;
        let h = (st.nM[g] / total) ** 2;
        for (let k = 0; k < st.K; k++) h += (st.nC[g * st.K + k] / total) ** 2;
        return h;
      },
    });
    ROLES.forEach((roleName, k) => {
      out.push({
        name: `${name}_burden_${roleName}`,
        description: `share of what is contributed in ${name} that ${roleName} role weight carries`,
        unit: 'share of contributions',
        kind: 'share',
        dimensions: { issueArea: name, role: roleName },
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
  out.push({ name: 'welfare', description: 'mean payoff per state, summed over issue areas', unit: 'payoff units per state', kind: 'welfare', value: welfare(null) });
  ROLES.forEach((roleName, k) => out.push({ name: `welfare_${roleName}`, description: `mean payoff per unit of ${roleName} role weight`, unit: 'payoff units per state', kind: 'welfare', dimensions: { role: roleName }, value: welfare(k) }));
  out.push({
    name: 'burden_gini',
    description: 'Gini coefficient of contributions over capacity (burden-sharing inequality)',
    unit: 'index (0-1)',
    kind: 'index',
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
  layout: (p) => ({ games: p.issueAreas.map((g) => g.name), strategies: [...LEVELS], namedGames: true, gamesAre: 'issueArea', strategiesAre: 'level', agents: 'states' }),
  vocabularies: (p) => ({ levels: LEVEL_TERMS, roles: ROLE_TERMS, issueAreas: p.issueAreas.map((g) => ({ id: g.name, label: g.name })) }),
  populationSize: (p) => (p.states.rows ? { size: p.states.rows.length, field: 'params.states.table' } : { size: p.states.N, field: 'params.states.N' }),
  // a generated state is a row object until init copies it into typed arrays (region,
  // role, capacity, contribution, sovereignty, club), and per issue area a value and
  // the provides flag: bench/migration.ts measures under 500 bytes a state; and per
  // issue area two entries of the n^rho tables (powCount); per issue area with
  // rivalry strictly between 0 and 1 four entries of shareMemo; with weakest-link or
  // best-shot the positions by contribution (RankedMembers) and their sets
  bytesPerAgent: (p) =>
    400 + 25 * p.issueAreas.length + 32 * p.issueAreas.filter((g) => g.rivalry > 0 && g.rivalry < 1).length + (p.issueAreas.some((g) => g.aggregation !== 'summation') ? 24 + p.issueAreas.length : 0),
  // Weakest-link and best-shot payoffs read ordered member sets in O(log N): npm run
  // bench measures them at 1.0-1.35x the cost of summation at N = 200 to 20,000, and
  // the budget counts them as 2 summed payoffs (rounded up, so it never undercounts).
  decisionCost: (p) => (p.issueAreas.some((g) => g.aggregation !== 'summation') ? 2 : 1),
  init,
  payoff: (st, i, g, level) => {
    computePayoff(st, i, g, level);
    return st.hoist[H_PAYOFF] / st.capacity[i];
  },
  onSwitch(st, i, g, from, to) {
    account(st, i, g, from, -1);
    account(st, i, g, to, +1);
  },
  onRound,
  events: {
    crisis: {
      description: 'a crisis from this round on: for `duration` rounds the stakes of the states in `region` in `issueArea` are multiplied by stakeFactor, and the issue area\'s need by needFactor (the crisis mechanism, started by an event rather than the schedule; it replaces a scheduled crisis)',
      schema: crisisEventSchema,
      apply: applyCrisis,
    },
  },
  // imitation among states of the same main role (origin, transit, destination); no
  // `capacity` is declared because the payoff above is already per unit of capacity
  peerClasses: () => ({ count: 3, basis: 'main role' }),
  peerClass: (st, i) => st.mainRole[i],
  metrics: (p) => metricsOf(p),
};

export default model;
