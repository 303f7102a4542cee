// The public typed API: `import { run } from 'migov'` does what `migov run` does.
import { join } from 'node:path';
import { applyOverrides, loadSpec, validateSpec } from './experiment/load.ts';
import type { Spec, SpecInput } from './experiment/schema.ts';
import { type ExperimentResult, type MetricSummary, runExperiment, summarise } from './sweep/experiment.ts';
import { checkWritable, writeResults } from './sweep/store.ts';

export interface RunOptions {
  /** Master seed, overriding the spec's. */
  seed?: string | number;
  /** Overrides as `path=value` strings, exactly as `--set` takes them. */
  set?: readonly string[];
  /** Result folder; default `<resultsDir>/<name>`; `false` writes nothing. */
  out?: string | false;
  /** Parent of the result folders (default `results`). */
  resultsDir?: string;
}

export interface RunOutput {
  readonly spec: Spec;
  readonly result: ExperimentResult;
  readonly summary: MetricSummary[];
  /** Absolute path of the result folder, or null when `out` is false. */
  readonly dir: string | null;
}

/**
 * Runs one experiment spec, given as a file path or as an object, with all its
 * replications; validates it first (throwing SpecError, with nothing written) and
 * writes the result folder unless `out` is false.
 */
export function run(spec: string | SpecInput, options: RunOptions = {}): RunOutput {
  const overrides = [...(options.set ?? []), ...(options.seed !== undefined ? [`seed=${options.seed}`] : [])];
  let valid: Spec;
  if (typeof spec === 'string') {
    valid = loadSpec(spec, overrides);
  } else {
    const raw = structuredClone(spec) as unknown;
    valid = validateSpec(raw, '<spec object>', applyOverrides('<spec object>', raw, overrides));
  }
  const dir = options.out === false ? null : (options.out ?? join(options.resultsDir ?? 'results', valid.name));
  if (dir !== null) checkWritable(dir);
  const result = runExperiment(valid);
  const written = dir !== null ? writeResults(dir, result, typeof spec === 'string' ? spec : null) : null;
  return { spec: valid, result, summary: summarise(result), dir: written?.dir ?? null };
}

export { loadSpec, validateSpec, specJsonSchema } from './experiment/load.ts';
export { SpecError, type SpecProblem } from './experiment/errors.ts';
export type { Spec, SpecInput, ProtocolSpec } from './experiment/schema.ts';
export { runExperiment, summarise, runIdentity, specHash } from './sweep/experiment.ts';
export type { ExperimentResult, ReplicationResult, MetricSummary } from './sweep/experiment.ts';
export { OutputError, writeResults } from './sweep/store.ts';
export { models, findModel } from '../models/index.ts';
export { simulate, createSimulation, metricNames } from './engine/simulate.ts';
export type { RunResult, Simulation, SimulationOptions, StopRule } from './engine/simulate.ts';
export type { Model, AnyModel, ModelState, Metric, GameLayout } from './engine/model.ts';
export type { Protocol, LogitProtocol, FermiProtocol, RothErevProtocol } from './engine/protocol.ts';
export { createRng, runSeed, canonicalJson, type Rng } from './engine/rng.ts';
export { createPopulation, setChoice, assignShares, type Population } from './engine/population.ts';
