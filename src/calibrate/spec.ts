// The `calibration:` section of a spec (README, "Calibration"): the parameters with
// their prior ranges, the targets (a declared metric at a round, with a mean and an
// sd) and the settings of history matching. Validated strictly, before anything is
// written: its shape by zod, then against the spec and the model (a metric the model
// declares and the spec keeps, a round the runs record, a mean a share can take, a
// prior box whose corners are valid specs). Every problem is a SpecError naming the
// file, the field, the value and what is allowed.
import { z } from 'zod';
import { SpecError, type SpecProblem } from '../experiment/errors.ts';
import { modelOf } from '../experiment/load.ts';
import type { Spec } from '../experiment/schema.ts';
import { outcomeDeclarations } from '../engine/model.ts';

const parameter = z
  .object({
    path: z.string().regex(/^(params|protocol)\.[A-Za-z0-9_.-]+$/),
    min: z.number().finite(),
    max: z.number().finite(),
    scale: z.enum(['linear', 'log']).default('linear'),
  })
  .strict();

const target = z
  .object({
    metric: z.string().min(1),
    round: z.number().int().min(0),
    mean: z.number().finite(),
    sd: z.number().finite().positive(),
    label: z.string().max(200).optional(),
  })
  .strict();

export const calibrationSchema = z
  .object({
    parameters: z.array(parameter).min(1).max(12),
    targets: z.array(target).min(1).max(100),
    discrepancy: z.number().finite().min(0).default(0),
    waves: z.number().int().min(1).max(10).default(3),
    samples: z.number().int().min(10).max(5000).default(40),
    candidates: z.number().int().min(100).max(1_000_000).default(10000),
    cutoff: z.number().finite().positive().default(3),
  })
  .strict();

export type Calibration = z.infer<typeof calibrationSchema>;
export type CalibrationParameter = Calibration['parameters'][number];

/** What each field allows, for the messages. */
const ALLOWED: Record<string, string> = {
  parameters: 'a list of 1 to 12 parameters, each { path, min, max, scale }',
  path: 'a dotted path into params or protocol, e.g. params.mechanisms.facilitation or protocol.temperature',
  min: 'a finite number below max (above 0 for scale: log)',
  max: 'a finite number above min',
  scale: 'linear or log',
  targets: 'a list of 1 to 100 targets, each { metric, round, mean, sd, label }',
  metric: "one of the model's declared metrics (migov models <model>)",
  round: 'a whole number of rounds, 0 to the spec\'s rounds, that the runs record',
  mean: 'a finite number',
  sd: 'a number above 0 (the target\'s standard deviation, in the metric\'s unit)',
  label: 'text of at most 200 characters',
  discrepancy: 'a number >= 0 (model discrepancy sd, added to every target)',
  waves: 'a whole number from 1 to 10',
  samples: 'a whole number of design points per wave, 10 to 5000',
  candidates: 'a whole number of candidate points per wave, 100 to 1,000,000',
  cutoff: 'a number above 0 (the implausibility cut-off; 3 by Pukelsheim\'s rule)',
};

function echo(v: unknown): string {
  const text = v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} chars)` : text;
}

function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const k of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[k as string];
  }
  return node;
}

/** Checks the section's shape; returns it with defaults filled in. */
export function parseCalibration(raw: unknown, file: string): Calibration {
  if (raw === undefined) throw new SpecError(file, [{ field: 'calibration', message: 'is missing: migov calibrate needs a calibration section', allowed: '{ parameters: [...], targets: [...] } (README, "Calibration")' }]);
  const r = calibrationSchema.safeParse(raw);
  if (r.success) {
    const c = r.data;
    const problems: SpecProblem[] = [];
    c.parameters.forEach((p, i) => {
      if (!(p.min < p.max)) problems.push({ field: `calibration.parameters.${i}`, message: `min ${p.min} is not below max ${p.max}`, allowed: ALLOWED.min });
      else if (p.scale === 'log' && p.min <= 0) problems.push({ field: `calibration.parameters.${i}.min`, message: `got ${p.min} with scale: log`, allowed: 'a number above 0 for a log scale' });
      const first = c.parameters.findIndex((q) => q.path === p.path);
      if (first !== i) problems.push({ field: `calibration.parameters.${i}.path`, message: `${p.path} is given twice (also at parameters.${first})`, allowed: 'each path once' });
    });
    c.targets.forEach((t, i) => {
      const first = c.targets.findIndex((u) => u.metric === t.metric && u.round === t.round);
      if (first !== i) problems.push({ field: `calibration.targets.${i}`, message: `${t.metric} at round ${t.round} is given twice (also at targets.${first})`, allowed: 'each metric and round once' });
    });
    if (problems.length > 0) throw new SpecError(file, problems);
    return c;
  }
  const problems: SpecProblem[] = r.error.issues.map((issue) => {
    const path = issue.path;
    const field = ['calibration', ...path.map(String)].join('.');
    const last = [...path].reverse().find((k) => typeof k === 'string') as string | undefined;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys?: string[] }).keys ?? [];
      const shape = path.length === 0 ? Object.keys(calibrationSchema.shape) : path[0] === 'parameters' ? Object.keys(parameter.shape) : Object.keys(target.shape);
      return { field, message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}`, allowed: shape.join(', ') };
    }
    return { field, message: `got ${echo(at(raw, path))}`, allowed: (last && ALLOWED[last]) ?? issue.message };
  });
  throw new SpecError(file, problems);
}

/** The parameter's value at u in [0, 1] of its prior (log-uniform for scale: log), as the sweep's LHS maps it. */
export function fromUnit(p: CalibrationParameter, u: number): number {
  return p.scale === 'log' ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
}

/** The inverse of fromUnit. */
export function toUnit(p: CalibrationParameter, v: number): number {
  return p.scale === 'log' ? (Math.log(v) - Math.log(p.min)) / (Math.log(p.max) - Math.log(p.min)) : (v - p.min) / (p.max - p.min);
}

/** Checks the section against the validated spec and its model: metrics, rounds, means, replications, no sweep section. */
export function checkAgainstSpec(c: Calibration, spec: Spec, file: string): void {
  const problems: SpecProblem[] = [];
  if (spec.sweep) problems.push({ field: 'sweep', message: 'a calibration spec has a sweep section; migov calibrate makes its own sweeps (one LHS a wave)', allowed: 'no sweep section (use calibration.parameters for the ranges)' });
  if (spec.replications < 2) problems.push({ field: 'replications', message: `got ${spec.replications}`, allowed: '2 or more: the replications give the model\'s own variance in the implausibility' });
  const model = modelOf(spec);
  const declared = outcomeDeclarations(model, spec.params as object).metrics;
  const kept = spec.metrics ? new Set(spec.metrics) : null;
  c.targets.forEach((t, i) => {
    const field = `calibration.targets.${i}`;
    const decl = declared.find((m) => m.name === t.metric);
    if (!decl) {
      problems.push({ field: `${field}.metric`, message: `got ${echo(t.metric)}, which ${spec.model} does not declare`, allowed: `one of ${declared.map((m) => m.name).slice(0, 30).join(', ')}${declared.length > 30 ? ', …' : ''}` });
    } else if (kept && !kept.has(t.metric)) {
      problems.push({ field: `${field}.metric`, message: `got ${echo(t.metric)}, which the spec's metrics: list leaves out`, allowed: `one of ${[...kept].join(', ')}, or add it to metrics:` });
    } else if ((decl.kind === 'share' || decl.kind === 'indicator') && !(t.mean >= 0 && t.mean <= 1)) {
      problems.push({ field: `${field}.mean`, message: `got ${t.mean} for ${t.metric}, a ${decl.kind} (0 to 1)`, allowed: 'a number from 0 to 1' });
    }
    if (t.round > spec.rounds) problems.push({ field: `${field}.round`, message: `got ${t.round}, after the last round (rounds: ${spec.rounds})`, allowed: `0 to ${spec.rounds}` });
    else if (t.round % spec.recordEvery !== 0 && t.round !== spec.rounds) problems.push({ field: `${field}.round`, message: `got ${t.round}, a round the runs do not record (recordEvery: ${spec.recordEvery})`, allowed: `a multiple of ${spec.recordEvery}, or ${spec.rounds}` });
  });
  if (problems.length > 0) throw new SpecError(file, problems);
}
