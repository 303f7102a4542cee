// The experiment spec: what a user writes in experiments/*.yaml. Validated in two
// passes: this schema checks the spec's shape and the protocol; the model named in
// `model` then checks `params` with its own schema (see load.ts).
import { z } from 'zod';

const base = {
  revisionRate: z.number().min(0).max(1).default(1).describe('chance that an agent given a revision opportunity revises (inertia = 1 - revisionRate)'),
  mutation: z.number().min(0).max(1).default(0).describe('chance that a revising agent picks a strategy uniformly at random instead'),
  updating: z.enum(['async', 'sync']).default('async').describe("'async': random sequential, a round is Z opportunities; 'sync': everyone decides on the round's start state"),
};

export const protocolSchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('fermi').describe('pairwise imitation with the Fermi rule'),
      selectionIntensity: z.number().min(0).max(1e6).default(1).describe('beta: 0 is random drift, large is imitate-the-better'),
      ...base,
    })
    .strict(),
  z
    .object({
      rule: z.literal('logit').describe('logit (smoothed) best response'),
      temperature: z.number().min(0).max(1e6).default(0.1).describe('noise of the choice: 0 is exact best response'),
      ...base,
    })
    .strict(),
  z
    .object({
      rule: z.literal('roth-erev').describe('Roth-Erev reinforcement learning'),
      forgetting: z.number().min(0).max(1).default(0.05).describe('share of every propensity lost each revision'),
      experimentation: z.number().min(0).max(1).default(0.05).describe('share of the reinforcement spread over the other strategies'),
      initialPropensity: z.number().min(0).max(1e9).default(1).describe('every propensity at the start'),
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
    rounds: z.number().int().min(0).max(1e9).default(100).describe('the most rounds per run; a round is Z revision opportunities'),
    recordEvery: z.number().int().min(1).max(1e9).default(1).describe('record metrics every this many rounds (and at round 0 and the last round)'),
    stop: stopSchema.default({ absorbing: false }),
    replications: z.number().int().min(1).max(1e6).default(1).describe('independent runs of the spec, each with its own seed'),
    seed: z.union([z.number().int(), z.string().min(1)]).default(1).describe('the master seed; run seeds derive from it'),
    metrics: z.array(z.string()).optional().describe('metrics to keep (default: all of the model\'s)'),
  })
  .strict();

/** A spec as written (before defaults). */
export type SpecInput = z.input<typeof specSchema>;
/** A spec after validation, with every default filled in and params checked by the model. */
export type Spec = z.output<typeof specSchema> & { params: Record<string, unknown> };
export type ProtocolSpec = z.output<typeof protocolSchema>;
