// The experiment spec: what a user writes in experiments/*.yaml. Validated in two
// passes: this schema checks the spec's shape and the protocol; the model named in
// `model` then checks `params` with its own schema (see load.ts).
import { z } from 'zod';

const base = {
  revisionRate: z.number().min(0).max(1).default(1).meta({ title: 'revision rate', unit: 'probability per opportunity' }).describe('chance that an agent given a revision opportunity revises (inertia = 1 - revisionRate)'),
  mutation: z.number().min(0).max(1).default(0).meta({ title: 'mutation', unit: 'probability per revision' }).describe('chance that a revising agent picks a strategy uniformly at random instead'),
  updating: z.enum(['async', 'sync']).default('async').describe("'async': random sequential, a round is Z opportunities; 'sync': everyone decides on the round's start state"),
};

export const protocolSchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('fermi').describe('pairwise imitation with the Fermi rule'),
      selectionIntensity: z.number().min(0).max(1e6).default(1).meta({ title: 'selection intensity beta' }).describe('beta: 0 is random drift, large is imitate-the-better'),
      // no defaults: an absent field is today's rule, and the parsed spec (which run seeds derive from) stays as it was
      peers: z
        .enum(['all', 'class'])
        .optional()
        .describe("whom a revising agent imitates: 'all' (default) any other agent; 'class' one of its own peer class (the model's roles or capacity terciles)"),
      compare: z
        .enum(['payoff', 'perCapacity'])
        .optional()
        .describe("what is compared: 'payoff' (default) the payoffs; 'perCapacity' each payoff divided by its agent's capacity"),
      ...base,
    })
    .strict(),
  z
    .object({
      rule: z.literal('logit').describe('logit (smoothed) best response'),
      temperature: z.number().min(0).max(1e6).default(0.1).meta({ title: 'logit temperature', unit: 'payoff units' }).describe('noise of the choice: 0 is exact best response'),
      ...base,
    })
    .strict(),
  z
    .object({
      rule: z.literal('roth-erev').describe('Roth-Erev reinforcement learning'),
      forgetting: z.number().min(0).max(1).default(0.05).meta({ title: 'forgetting', unit: 'share per revision' }).describe('share of every propensity lost each revision'),
      experimentation: z.number().min(0).max(1).default(0.05).meta({ title: 'experimentation', unit: '0-1' }).describe('share of the reinforcement spread over the other strategies'),
      initialPropensity: z
        .union([z.number().min(0).max(1e9), z.array(z.number().min(0).max(1e9)).min(1)])
        .default(1)
        .meta({ title: 'initial propensity' })
        .describe("every propensity at the start: one number for all strategies, or a list with one value per strategy in the model's order"),
      reinforce: z
        .enum(['payoff', 'raw', 'advantage'])
        .optional()
        .describe("what reinforces: 'payoff' (default) payoff minus the model's lowest; 'raw' the payoff itself (Erev and Roth 1998), propensities kept at or above 0.0001; 'advantage' max(0, payoff minus the payoff of keeping the current strategy)"),
      ...base,
    })
    .strict(),
]);

export const stopSchema = z
  .object({
    absorbing: z.boolean().default(false).describe('stop when the population can no longer change (imitation, no mutation, monomorphic)'),
    convergence: z
      .object({
        window: z.number().int().min(2).max(1e6).describe('number of consecutive records compared'),
        tolerance: z.number().min(0).describe('largest change of any metric over the window that counts as converged'),
      })
      .strict()
      .optional()
      .describe('stop when every metric moved at most `tolerance` over the last `window` records'),
  })
  .strict();

/** The factor path that sweeps the learning rule: its values name protocols of `sweep.protocols`. */
export const PROTOCOL_FACTOR = 'protocol';
const PROTOCOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const factorSchema = z
  .object({
    path: z
      .string()
      // __proto__, prototype and constructor would reach Object.prototype when the path is set
      .regex(
        /^(params|protocol|rounds|recordEvery)(\.(?!(?:__proto__|prototype|constructor)(?:\.|$))[A-Za-z0-9_-]+)*$/,
        'a dotted path into the spec starting with params, protocol, rounds or recordEvery (no __proto__, prototype or constructor)',
      )
      .describe('the spec field that varies, e.g. params.mechanisms.norms or params.issueAreas.0.excludability; `protocol` (values naming sweep.protocols) varies the learning rule'),
    values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1).optional().describe('grid: the values, in order; lhs, sobol, morris: a categorical factor, u in [0, 1) taking values[floor(u x length)]'),
    min: z.number().optional().describe('lower bound (grid range, or sampled designs)'),
    max: z.number().optional().describe('upper bound'),
    steps: z.number().int().min(1).max(1e6).optional().describe('grid: number of evenly spaced values from min to max'),
    scale: z.enum(['linear', 'log']).default('linear').describe('sampled designs: uniform on the range or on its logarithm'),
    integer: z.boolean().default(false).describe('round sampled values down to integers'),
  })
  .strict();

/** `design: adaptive` (src/sweep/adaptive.ts): which runs are in the class, how sure a point's class must be, how far to refine, at what cost. */
export const adaptiveSchema = z
  .object({
    class: z.string().min(1).max(2000).describe('the outcome class: a condition on the declared metrics, in the language of `migov discover --where`, e.g. "share_refugee_M > share_refugee_C"'),
    confidence: z.number().gt(0.5).lt(1).default(0.95).describe("a point's class is decided when the Clopper-Pearson interval of its share of runs in the class, at this level Bonferroni-corrected over the looks a point can get, excludes 0.5"),
    maxReplications: z.number().int().min(1).max(10_000).default(40).describe('the most replications a point gets; still undecided then, it is marked mixed'),
    depth: z.number().int().min(0).max(12).default(3).describe('bisections of a grid cell: the finest cell is 1/2^depth of a coarse one per factor'),
    budget: z.number().int().min(1).max(1e8).describe('the most runs the search may spend'),
  })
  .strict();

export const sweepSchema = z
  .object({
    design: z.enum(['grid', 'lhs', 'sobol', 'morris', 'adaptive']).describe('grid: full factorial; lhs: Latin hypercube; sobol: Saltelli sampling for Sobol indices; morris: elementary effects; adaptive: a coarse grid refined where an outcome class changes (sweep.adaptive)'),
    factors: z.array(factorSchema).min(1).max(64).describe('the parameters that vary'),
    samples: z.number().int().min(1).max(1e6).optional().describe('lhs: points; sobol: base samples N (the design has N (k + 2) points); morris: trajectories'),
    levels: z.number().int().min(2).max(100).default(4).describe('morris: levels of the grid'),
    bootstrap: z.number().int().min(0).max(1e5).default(200).describe('sobol: bootstrap resamples for the confidence intervals'),
    series: z.boolean().default(false).describe('also write series.csv (every run x recorded round x metric)'),
    adaptive: adaptiveSchema.optional().describe('design adaptive: the outcome class, its confidence, the refinement depth and the budget of runs (src/sweep/adaptive.ts)'),
    // no default: a spec without it parses as before, so its hash and run seeds stay as they were
    protocols: z
      .record(z.string().regex(PROTOCOL_NAME, 'letters, digits, _ and -, starting with a letter or digit').max(80), protocolSchema)
      .optional()
      .describe(
        'named protocols (a learning rule with its settings), for a factor with path `protocol` whose values are these names: the learning rule as a categorical factor. Each is a whole protocol: unset fields take the protocol defaults, not those of the spec\'s protocol',
      ),
  })
  .strict()
  .superRefine((s, ctx) => {
    const named = s.protocols === undefined ? [] : Object.keys(s.protocols);
    s.factors.forEach((f, i) => {
      if (f.path === PROTOCOL_FACTOR) {
        // the learning rule as a factor: its values name whole protocols in sweep.protocols
        if (f.values === undefined || f.min !== undefined || f.max !== undefined || f.steps !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['factors', i], message: 'factor protocol takes values naming protocols of sweep.protocols, not a range', params: { allowed: `{ path: protocol, values: [${named.join(', ') || 'names of sweep.protocols'}] }` } });
          return;
        }
        if (s.protocols === undefined) {
          ctx.addIssue({ code: 'custom', path: ['factors', i, 'values'], message: 'factor protocol needs sweep.protocols, the named protocols its values pick', params: { allowed: 'sweep.protocols: { <name>: { rule: logit | fermi | roth-erev, ... }, ... }' } });
          return;
        }
        f.values.forEach((v, j) => {
          if (typeof v !== 'string' || !Object.hasOwn(s.protocols!, v)) {
            ctx.addIssue({ code: 'custom', path: ['factors', i, 'values', j], message: `factor protocol: value ${JSON.stringify(v)} names no protocol in sweep.protocols`, params: { allowed: named.join(', ') } });
          }
        });
        return;
      }
      if (s.design === 'adaptive') {
        if (f.values !== undefined || f.min === undefined || f.max === undefined || f.steps === undefined || f.steps < 2 || !(f.min < f.max) || f.scale !== 'linear' || f.integer) {
          ctx.addIssue({ code: 'custom', path: ['factors', i], message: `adaptive factor ${f.path} needs min < max and steps >= 2 (the coarse grid), no values, no log scale, not integer`, params: { allowed: `{ path: ${f.path}, min: <number>, max: <larger number>, steps: <2 or more> }` } });
        }
        return;
      }
      if (s.design === 'grid') {
        if (f.values === undefined && (f.min === undefined || f.max === undefined || f.steps === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['factors', i], message: `grid factor ${f.path} needs values, or min, max and steps` });
        }
      } else if (f.values !== undefined) {
        // a categorical factor: u in [0, 1) picks values[floor(u x length)]
        if (f.min !== undefined || f.max !== undefined || f.steps !== undefined) ctx.addIssue({ code: 'custom', path: ['factors', i], message: `${s.design} factor ${f.path} gives values (categorical) and a range: give one or the other` });
      } else if (f.min === undefined || f.max === undefined) {
        ctx.addIssue({ code: 'custom', path: ['factors', i], message: `${s.design} factor ${f.path} needs min and max, or values (categorical)` });
      } else if (f.max < f.min || (f.scale === 'log' && f.min <= 0)) {
        ctx.addIssue({ code: 'custom', path: ['factors', i], message: `factor ${f.path}: need min <= max${f.scale === 'log' ? ' and min > 0 for a log scale' : ''}` });
      }
    });
    if (s.design === 'adaptive') {
      s.factors.forEach((f, i) => {
        if (f.path === PROTOCOL_FACTOR) ctx.addIssue({ code: 'custom', path: ['factors', i], message: 'the adaptive design refines numeric factors; the learning rule cannot be a factor of it', params: { allowed: 'numeric factors under params, protocol.<field>, rounds or recordEvery' } });
      });
      if (s.factors.length > 3) ctx.addIssue({ code: 'custom', path: ['factors'], message: `the adaptive design takes 1 to 3 numeric factors, not ${s.factors.length}`, params: { allowed: '1, 2 or 3 factors with min, max and steps' } });
      if (s.adaptive === undefined) ctx.addIssue({ code: 'custom', path: ['adaptive'], message: 'the adaptive design needs sweep.adaptive (at least class and budget)', params: { allowed: 'adaptive: { class: "<condition on the metrics>", budget: <runs>, confidence: 0.95, maxReplications: 40, depth: 3 }' } });
    } else if (s.adaptive !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['adaptive'], message: `sweep.adaptive is given but the design is ${s.design}`, params: { allowed: 'design: adaptive, or no sweep.adaptive' } });
    }
    if (s.design !== 'grid' && s.design !== 'adaptive' && s.samples === undefined) ctx.addIssue({ code: 'custom', path: ['samples'], message: `the ${s.design} design needs samples` });
    // the Sobol sequence is exact for its first 2^19 points (see sobolPoints in designs.ts)
    if (s.design === 'sobol' && s.samples !== undefined && s.samples > 2 ** 19) {
      ctx.addIssue({ code: 'custom', path: ['samples'], message: `the sobol design takes at most 2^19 = 524288 base samples` });
    }
    const paths = s.factors.map((f) => f.path);
    paths.forEach((p, i) => {
      if (paths.indexOf(p) !== i) ctx.addIssue({ code: 'custom', path: ['factors', i, 'path'], message: `${p} is swept twice` });
    });
    if (s.protocols !== undefined && !paths.includes(PROTOCOL_FACTOR)) {
      ctx.addIssue({ code: 'custom', path: ['protocols'], message: 'sweep.protocols is given but no factor has path protocol to pick them', params: { allowed: `a factor { path: protocol, values: [${named.join(', ')}] }, or no sweep.protocols` } });
    }
  });

/** `migov analyze`'s options (src/analysis/analyze.ts, docs/theory.md); absent: the defaults. Runs ignore it. */
export const analysisSchema = z
  .object({
    mutation: z
      .enum(['any', 'other'])
      .default('any')
      .describe("who a mutant becomes: 'any' a strategy drawn from all, its own included (migov's engine, a switch to a given other one with chance mu/S); 'other' always another one (mu/(S-1))"),
    selectionIntensity: z.number().min(0).max(1e6).optional().meta({ title: 'selection intensity beta' }).describe('beta of the fixation probabilities and the small-mutation limit when the protocol is not fermi (default 1)'),
    selectionIntensities: z.array(z.number().min(0).max(1e6)).min(1).max(200).optional().describe('fixation against beta at these values (default 25 log-spaced from beta/100 to 10 beta)'),
    populationSizes: z.array(z.number().int().min(2).max(100_000)).min(1).max(50).optional().describe('fixation against Z at these population sizes (default 10 to 5,000 and the spec\'s Z)'),
    temperatures: z.array(z.number().gt(0).max(1e6)).min(1).max(50).optional().describe('logit equilibria (and the migration levels\' weights) at these temperatures (default 0.02, 0.05, 0.1, 0.3, 1 and a logit protocol\'s own)'),
  })
  .strict();

export type AnalysisSpec = z.output<typeof analysisSchema>;

/** The chart kinds a spec's `charts:` names (src/charts/chosen.ts draws them). */
export const CHART_KINDS = ['series', 'response', 'phase'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** A swept factor's path, as `charts:` names it (checked against the sweep's factors in charts.ts). */
const chartAxis = z.string().min(1).max(200);

export const chartRequestSchema = z
  .object({
    metric: z.string().min(1).max(200).describe('the metric to draw (see `migov models`; one of `metrics:` when that list is given)'),
    kind: z
      .enum(CHART_KINDS)
      .describe("series: the metric over rounds (a run, not a sweep); response: its mean final value against a swept factor; phase: a heatmap over two swept factors"),
    x: chartAxis.optional().describe('response, phase: the swept factor on the x axis (its path, e.g. params.mechanisms.minimumParticipation); default the first factor'),
    y: chartAxis.optional().describe('phase: the swept factor on the y axis; default the first factor other than x'),
    by: chartAxis
      .optional()
      .describe('response (grid designs): one line per value of this swept factor; default the first other factor of a grid; `none` averages over it, saying so'),
  })
  .strict();

export type ChartRequest = z.output<typeof chartRequestSchema>;

/** One held choice: in `round` (1 is the first round played), agent `state` (0-based) plays `level` in issue area (game) `area`. */
export const moveSchema = z
  .object({
    round: z.number().int().min(1).max(1e9).describe('the round the choice holds in (1: the first round)'),
    state: z.number().int().min(0).max(1e9).describe('the agent (state) index, 0-based'),
    area: z.string().min(1).max(64).describe('the issue area (game) by name'),
    level: z.string().min(1).max(16).describe('the level (strategy) by its short name, e.g. U, C, M'),
  })
  .strict();

export type MoveSpec = z.output<typeof moveSchema>;

/** One model event: when `round` starts (1 is the first round played), the model's event `kind` with the other fields (e.g. a crisis: issueArea, region, duration). */
export const eventSchema = z
  .object({
    round: z.number().int().min(1).max(1e9).describe('the round the event starts (1: the first round)'),
    kind: z.string().min(1).max(64).describe("the event, one the model declares (migration-governance: crisis)"),
  })
  .catchall(z.unknown());

export type EventSpec = z.output<typeof eventSchema>;

export const specSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter or digit')
      .max(80)
      .describe('the experiment name; results go to results/<name>/'),
    description: z.string().optional().describe('what the experiment asks'),
    model: z.string().min(1).describe('the model to run (see `migov models`)'),
    params: z.record(z.string(), z.unknown()).default({}).describe("the model's parameters (see `migov models`); unset ones take their defaults"),
    protocol: protocolSchema.default({ rule: 'fermi', selectionIntensity: 1, revisionRate: 1, mutation: 0, updating: 'async' }),
    rounds: z.number().int().min(0).max(1e9).default(100).meta({ title: 'rounds', unit: 'rounds' }).describe('the most rounds per run; a round is Z revision opportunities'),
    recordEvery: z.number().int().min(1).max(1e9).default(1).meta({ title: 'record interval', unit: 'rounds' }).describe('record metrics every this many rounds (and at round 0 and the last round)'),
    stop: stopSchema.default({ absorbing: false }),
    replications: z.number().int().min(1).max(1e6).default(1).meta({ title: 'replications', unit: 'runs' }).describe('independent runs of the spec, each with its own seed'),
    seed: z.union([z.number().int(), z.string().min(1)]).default(1).describe('the master seed; run seeds derive from it'),
    metrics: z.array(z.string()).optional().describe('metrics to keep (default: all of the model\'s)'),
    sweep: sweepSchema.optional().describe('for `migov sweep`: which parameters vary and how'),
    charts: z
      .array(chartRequestSchema)
      .max(64)
      .optional()
      .describe('the charts to draw, each a metric and a kind (default: every metric in `metrics:`, with the charts the model\'s declarations give)'),
    analysis: analysisSchema.optional().describe('for `migov analyze`: the mutation convention and the values of beta, Z and temperature at which the exact results are given'),
    moves: z
      .array(moveSchema)
      .max(100_000)
      .optional()
      .describe('for `migov run`: choices held by some states in some rounds (a `migov classroom` session\'s students), the rest played by the learning rule; absent in an ordinary run'),
    events: z
      .array(eventSchema)
      .max(10_000)
      .optional()
      .describe('for `migov run`: the model\'s events at given rounds (a `migov classroom` teacher\'s crisis), not parameters, so the run\'s seed is as without them; absent in an ordinary run'),
  })
  .strict();

export type SweepSpec = z.output<typeof sweepSchema>;
export type Factor = z.output<typeof factorSchema>;

/** A spec as written (before defaults). */
export type SpecInput = z.input<typeof specSchema>;
/** A spec after validation, with every default filled in and params checked by the model. */
export type Spec = z.output<typeof specSchema> & { params: Record<string, unknown> };
export type ProtocolSpec = z.output<typeof protocolSchema>;
