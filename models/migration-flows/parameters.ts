// The parameters of the migration-flows model: one zod schema with defaults, ranges
// and a description per field. Every default and the source or decision behind it is
// in docs/model.md §5.
import { z } from 'zod';

const unit = z.number().min(0).max(1);
const perLevel = (what: string, d: { U: number; C: number; M: number }) =>
  z
    .object({ U: unit.describe(`${what} at the unilateral level`), C: unit.describe(`${what} in a club`), M: unit.describe(`${what} in the regime (when in force)`) })
    .strict()
    .default(d);

/** One state as a state table gives it (CSV: name, x, y, population, income, region). */
export const stateRowSchema = z
  .object({
    name: z.string().min(1),
    x: z.number().min(-1e6).max(1e6).optional().describe('position, east-west (any unit; distances are taken in it); may be left out, in every row, when a neighbours column gives the links'),
    y: z.number().min(-1e6).max(1e6).optional().describe('position, north-south (with x: both or neither, in every row)'),
    population: z.number().gt(0).max(1e12).describe('population (any unit; normalised to mean 1)'),
    income: z.number().gt(0).max(1e12).describe('income per head (any unit; normalised to mean 1)'),
    region: z.number().int().min(0).max(999).describe('region (0-based); the club of a state is its region'),
    neighbours: z.string().max(100_000).optional().describe('the names of its neighbours, separated by ";" (optional column: when given, it is the neighbour graph, links made symmetric, instead of the k nearest; distances are Euclidean with positions, 1 a link without)'),
  })
  .strict();

export type StateRow = z.infer<typeof stateRowSchema>;

export const crisisSchema = z
  .object({
    region: z.number().int().min(0).max(999).describe('region hit; the crisis starts in its lowest-income state'),
    onset: z.number().int().min(0).max(1e9).describe('first round of displacement'),
    duration: z.number().int().min(1).max(1e9).describe('rounds of displacement'),
    size: z.number().min(0).max(1e6).describe('people displaced per round (mean state population is 1)'),
  })
  .strict();

const worldDefault = { N: 60, regions: 4, neighbours: 4, capacityTail: 1.5, incomeSpread: 0.8, spread: 0.35 };
const valuationDefault = { rights: 1 / 3, security: 1 / 3, economy: 1 / 3, concentration: 10 };
const refugeeDefault = {
  crisisRate: 0.01,
  crisisDuration: 10,
  crisisSize: 0.02,
  crises: [],
  decay: 0.3,
  onward: 0.3,
  absorption: 0.05,
  hostingCost: 1,
  returnRate: 0.05,
  protection: { U: 0.4, C: 0.7, M: 0.7 },
};
const irregularDefault = { propensity: 0.01, enforcement: { U: 0.2, C: 0.4, M: 0.4 }, diversion: 0.5, arrivalCost: 1, labour: 0.5 };
const skilledDefault = { pool: 0.01, incomeElasticity: 1, openness: { U: 0.5, C: 1, M: 1 }, value: 1 };
const costsDefault = { unilateral: 0, club: 0.01, regime: 0.02 };
// Mechanisms added after the pre-registered runs are optional with no default: a run's
// seed hashes its parameters with every default filled in (src/engine/rng.ts runSeed),
// so a new default key would change every run's seed and every recorded result.
const mechanismsDefault = { norms: 0 };

export const params = z
  .object({
    world: z
      .object({
        N: z.number().int().min(3).max(1_000_000).default(60).describe('number of states (ignored with a state table)'),
        regions: z.number().int().min(1).max(1000).default(4).describe('number of regions, spatial clusters of states (ignored with a state table)'),
        neighbours: z.number().int().min(1).max(64).default(4).describe('k: each state is linked to its k nearest states, links made symmetric'),
        capacityTail: z.number().min(1.01).max(100).default(1.5).describe('Pareto tail index of population (smaller: more unequal); capacity is population x income'),
        incomeSpread: z.number().min(0).max(5).default(0.8).describe('standard deviation of log income per head between regions (within a region: half of it)'),
        spread: z.number().min(0.01).max(10).default(0.35).describe('standard deviation of a state\'s position around its region\'s centre (centres on the unit circle)'),
        table: z.string().optional().describe('a state table (CSV: name, x, y, population, income, region) read instead of the generator'),
        rows: z.array(stateRowSchema).optional().describe('the state table\'s rows (filled in from `table` when the spec is loaded)'),
      })
      .strict()
      .default(worldDefault),
    valuation: z
      .object({
        rights: unit.default(1 / 3).describe('mean weight of human rights (refugees protected anywhere) in a state\'s aims (seed 002)'),
        security: unit.default(1 / 3).describe('mean weight of security (irregular and onward arrivals)'),
        economy: unit.default(1 / 3).describe('mean weight of the economy (skills and labour gained)'),
        concentration: z.number().min(0.01).max(1e6).default(10).describe('Dirichlet concentration of each state\'s own weights around the means (large: all alike)'),
      })
      .strict()
      .default(valuationDefault)
      .refine((v) => v.rights + v.security + v.economy > 0, { message: 'at least one of rights, security, economy must be positive' }),
    refugee: z
      .object({
        crisisRate: unit.default(0.01).describe('chance per state and round that a crisis starts there, at mean capacity; it falls with capacity as 2/(1 + capacity)'),
        crisisDuration: z.number().int().min(1).max(1e6).default(10).describe('rounds a random crisis displaces people'),
        crisisSize: z.number().min(0).max(100).default(0.02).describe('people displaced per round by a random crisis, per unit of the origin\'s population'),
        crises: z.array(crisisSchema).max(1000).default([]).describe('scheduled crises'),
        decay: z.number().min(1e-6).max(1e6).default(0.3).describe('distance-decay length of first asylum: a neighbour\'s weight is exp(-distance/decay) x (1 + protection there)'),
        onward: unit.default(0.3).describe('share of the unprotected refugees at a first-asylum host who move on toward richer neighbours'),
        absorption: z.number().min(0).max(1e6).default(0.05).describe('refugees a state can protect per unit of capacity; beyond it protection thins out'),
        hostingCost: z.number().min(0).max(1e6).default(1).describe('hosting cost: hostingCost x (hosted / capacity)^2 per unit of capacity'),
        returnRate: unit.default(0.05).describe('share of a crisis\'s refugees who return home each round once it has ended'),
        protection: perLevel('protection standard (share of hosted refugees protected)', refugeeDefault.protection),
      })
      .strict()
      .default(refugeeDefault),
    irregular: z
      .object({
        propensity: z.number().min(0).max(100).default(0.01).describe('people leaving a low-income state each round along its route, per unit of population'),
        enforcement: perLevel('share of the flow cut at a state\'s border', irregularDefault.enforcement),
        diversion: unit.default(0.5).describe('share of a cut flow that reroutes into the cutting state\'s neighbours outside its institution'),
        arrivalCost: z.number().min(0).max(1e6).default(1).describe('security cost of one irregular entry (weighted by a state\'s security weight)'),
        labour: z.number().min(0).max(1e6).default(0.5).describe('economic value of one irregular migrant who stays (weighted by the economy weight)'),
      })
      .strict()
      .default(irregularDefault),
    skilled: z
      .object({
        pool: z.number().min(0).max(100).default(0.01).describe('skilled people choosing a country each round, per unit of population'),
        incomeElasticity: z.number().min(0).max(20).default(1).describe('a destination\'s weight is income^elasticity x (1 + openness)'),
        openness: perLevel('visa openness to skilled migrants', skilledDefault.openness),
        value: z.number().min(0).max(1e6).default(1).describe('economic value of one skilled person gained (lost when one leaves)'),
      })
      .strict()
      .default(skilledDefault),
    costs: z
      .object({
        unilateral: z.number().min(0).max(1e6).default(0).describe('per-round cost of acting alone, per unit of capacity'),
        club: z.number().min(0).max(1e6).default(0.01).describe('per-round transaction and sovereignty cost of club membership, per unit of capacity'),
        regime: z.number().min(0).max(1e6).default(0.02).describe('per-round transaction and sovereignty cost of regime membership, per unit of capacity'),
      })
      .strict()
      .default(costsDefault),
    clubs: z
      .object({
        kind: z.enum(['regional', 'bilateral', 'plurilateral']).default('regional').describe('what a club is: a state\'s region (regional), a pair of neighbours matched nearest first (bilateral), or a group of up to `size` neighbouring states around the largest (plurilateral); docs/model.md §5.3'),
        size: z.number().int().min(2).max(64).default(3).describe('most members of a plurilateral club (ignored by the other kinds)'),
      })
      .strict()
      .optional()
      .describe('club kind (absent: regional, as in the pre-registered runs; optional with no default, see the note above mechanismsDefault)'),
    regime: z
      .object({ minParticipation: unit.default(0.1).describe('share of states that must be members for the regime to be in force') })
      .strict()
      .default({ minParticipation: 0.1 }),
    burdenSharing: z.boolean().default(true).describe('members of an effective club or regime resettle their hosted refugees among themselves by capacity (false: institutions set standards only)'),
    mechanisms: z
      .object({
        norms: z.number().min(0).max(1e6).default(0).describe('value per round, per unit of capacity, of belonging to an effective institution, the same at C and M (0: off)'),
        sidePayments: z
          .number()
          .min(0)
          .max(1e6)
          .optional()
          .describe('side payments: each member of an effective club or regime pays this x its capacity per round into a fund shared equally among the members, so low-capacity members gain and high-capacity members pay, the same at C and M (absent or 0: off)'),
        linkage: z
          .number()
          .min(0)
          .max(1e6)
          .optional()
          .describe('linkage: acting at C or M in one area carries this share of what the same level, held effectively, is worth to the state in each other area over U (either sign), the same at C and M (absent or 0: off)'),
        transitLeverage: z
          .number()
          .min(0)
          .max(1e6)
          .optional()
          .describe('transit leverage, irregular area: members of an effective club or regime pay, by capacity, this much per transit entry bound for a member that crosses a member, and each member receives it per such entry crossing it, the same at C and M (absent or 0: off)'),
        facilitation: z
          .object({
            share: unit.describe('share of club and regime transaction costs an international organisation removes'),
            fee: z.number().min(0).max(100).default(0.01).describe('what each member of an effective club or regime pays the organisation per round, per unit of capacity'),
          })
          .strict()
          .optional()
          .describe('facilitation by an international organisation (IOM): club and regime costs x (1 - share), funded by a fee from the members of effective institutions, the same at C and M (absent: off)'),
        venueShopping: z
          .boolean()
          .optional()
          .describe('venue shopping, irregular area: a member of an effective club keeps the access of the regime in force (regime members cut flows bound for it as for a member) and a regime member keeps the access of its region\'s effective club, while each cuts only the flows bound for members of its own institution, the same at C and M (seed 003_b647b389d7a18109.txt: "venue-shopping" ... "free to choose the institutional context that offers the best prospects", affluent destinations "seeking to tighten their control over migratory movements"; absent or false: off)'),
        powerAsymmetry: z
          .number()
          .min(-1)
          .max(1)
          .optional()
          .describe('power asymmetry a: in every club and the regime, burden-sharing quotas and the members\' level costs are shared by capacity^(1 - a) instead of capacity; a > 0 the strong shift them toward the weak (1: equal shares; seed 001_420ddb378f391374.txt: destinations "have disproportionate power to define the terms"), a < 0 the weak toward the strong (seed 003_b647b389d7a18109.txt: "the distribution of bargaining power can change too"), the same at C and M (absent or 0: off)'),
        confidenceBuilding: z
          .object({
            halfLife: z.number().min(0.01).max(1e6).describe('rounds of continuous effectiveness in which an institution\'s trust closes half of its gap to full (and, lapsed, loses half of itself)'),
            floor: unit.default(0).describe('share of an institution\'s rules that operates before any trust is built'),
            regimeHalfLife: z
              .number()
              .min(0.01)
              .max(1e6)
              .optional()
              .describe('the regime\'s half-life where it differs from the clubs\' (an asymmetry; seed 003_b647b389d7a18109.txt: "The advantage of regional approaches is their confidence-building effect"; absent: halfLife)'),
          })
          .strict()
          .optional()
          .describe('confidence building: the share of a club\'s or the regime\'s rules that operates (protection standard, burden-sharing, enforcement, openness above U) is floor + (1 - floor) x trust, trust growing toward 1 while the institution is effective and decaying while it lapses, the same at C and M (seed 000_7345d14c4987a097.txt: "step-by-step process of consultation, cooperation and confidence-building"; seed 004_f4611914185bb780.txt par. 27; absent: off)'),
        nationalism: z
          .object({
            start: z.number().int().min(0).max(1e9),
            duration: z.number().int().min(0).max(1e9),
            factor: z.number().min(0).max(1000).default(2).describe('multiplier of club and regime costs'),
          })
          .strict()
          .optional()
          .describe('a nationalist turn: club and regime costs multiplied alike for some rounds'),
      })
      .strict()
      .default(mechanismsDefault),
    initial: z
      .object({ U: unit, C: unit, M: unit })
      .strict()
      .default({ U: 1, C: 0, M: 0 })
      .refine((o) => Math.abs(o.U + o.C + o.M - 1) < 1e-9, { message: 'shares of U, C, M must sum to 1' })
      .describe('initial share of each level, in every issue area'),
    start: z
      .enum(['U', 'C', 'M'])
      .optional()
      .describe('every state starts at this level in every area, in place of `initial` (absent: `initial`; one categorical value, so a sampled design can vary the start; optional with no default so pre-registered runs keep their seeds)'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const rows = p.world.rows;
    if (p.world.table !== undefined && rows === undefined) {
      ctx.addIssue({ code: 'custom', path: ['world', 'table'], message: 'the state table was not loaded (give the spec as a file, or pass world.rows)' });
    }
    const n = rows ? rows.length : p.world.N;
    if (rows && rows.length < 3) ctx.addIssue({ code: 'custom', path: ['world', 'rows'], message: `a world needs at least 3 states; the table has ${rows.length}` });
    if (rows) rowProblems(rows, (i, column, message) => ctx.addIssue({ code: 'custom', path: ['world', 'rows', i, column], message }));
    const listed = rows !== undefined && rows.some((r) => r.neighbours !== undefined);
    if (!listed && p.world.neighbours >= n) ctx.addIssue({ code: 'custom', path: ['world', 'neighbours'], message: `k = ${p.world.neighbours} nearest neighbours needs more than k states (there are ${n})` });
    const regions = rows ? Math.max(...rows.map((r) => r.region)) + 1 : p.world.regions;
    p.refugee.crises.forEach((c, i) => {
      if (c.region >= regions) ctx.addIssue({ code: 'custom', path: ['refugee', 'crises', i, 'region'], message: `region ${c.region} does not exist; regions are 0..${regions - 1}` });
    });
  });

/**
 * A state table's cross-row rules (docs/model.md §5.1): positions in every row or in
 * none; without positions, a neighbours column; a neighbours cell names other states of
 * the table, each once, not the state itself; a link listed one way only is made
 * symmetric (as the k-nearest graph is); the listed graph must connect every state.
 */
function rowProblems(rows: readonly StateRow[], add: (i: number, column: string, message: string) => void): void {
  const withX = rows.filter((r) => r.x !== undefined && r.y !== undefined).length;
  const listed = rows.some((r) => r.neighbours !== undefined);
  rows.forEach((r, i) => {
    if ((r.x === undefined) !== (r.y === undefined)) add(i, r.x === undefined ? 'x' : 'y', 'a position needs both x and y');
    else if (withX > 0 && withX < rows.length && r.x === undefined) add(i, 'x', `no position, but ${withX} other rows have one: give positions in every row or in none`);
    else if (withX === 0 && !listed && i === 0) add(i, 'x', 'no positions and no neighbours column: give x and y, or the neighbours of each state');
  });
  if (!listed) return;
  const index = new Map(rows.map((r, i) => [r.name, i]));
  const adj: Set<number>[] = rows.map(() => new Set<number>());
  rows.forEach((r, i) => {
    if (r.neighbours === undefined || r.neighbours.trim() === '') return;
    const mine = new Set<number>();
    for (const raw of r.neighbours.split(';')) {
      const name = raw.trim();
      const j = index.get(name);
      if (name === '') add(i, 'neighbours', `got an empty name in ${JSON.stringify(r.neighbours)}: names separated by ";"`);
      else if (j === undefined) add(i, 'neighbours', `got ${JSON.stringify(name)}, which is not the name of a state in the table`);
      else if (j === i) add(i, 'neighbours', `got its own name ${JSON.stringify(name)}: a state is not its own neighbour`);
      else if (mine.has(j)) add(i, 'neighbours', `names ${JSON.stringify(name)} twice`);
      else {
        mine.add(j);
        adj[i].add(j);
        adj[j].add(i);
      }
    }
  });
  const seen = new Uint8Array(rows.length);
  const list = [0];
  seen[0] = 1;
  for (let t = 0; t < list.length; t++) for (const j of adj[list[t]]) if (!seen[j]) { seen[j] = 1; list.push(j); }
  if (list.length < rows.length) {
    const i = seen.indexOf(0);
    add(i, 'neighbours', `${JSON.stringify(rows[i].name)} cannot be reached from ${JSON.stringify(rows[0].name)} over the listed links: the neighbours must connect every state`);
  }
}

export type FlowsParams = z.infer<typeof params>;

export const AREAS = ['refugee', 'irregular', 'skilled'] as const;
export const REFUGEE = 0;
export const IRREGULAR = 1;
export const SKILLED = 2;
export const G = 3;
export const U = 0;
export const C = 1;
export const M = 2;
export const LEVELS = ['U', 'C', 'M'] as const;
export const ROLES = ['origin', 'transit', 'destination'] as const;
