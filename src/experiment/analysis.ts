// A validated spec to its analytic twin (`migov analyze`, `analyze()` in the API):
// which analysis a spec's model gets, and the limits that keep it within a second or
// two, checked before anything is computed or written.
import { type Analysis, analyzeModel, notAnalysable } from '../analysis/analyze.ts';
import { populationSizeOf } from '../analysis/game.ts';
import { SpecError } from './errors.ts';
import { modelOf } from './load.ts';
import type { Spec } from './schema.ts';

/** The largest population the exact chains are computed for (O(Z) memory and time per edge). */
export const ANALYSIS_MAX_Z = 100_000;

/** The models whose levels are analysed as a theory (src/analysis/levels.ts), not as a well-mixed game. */
export const LEVEL_MODELS = ['migration-governance', 'migration-flows'] as const;

/** Checks what the analysis needs of a spec beyond its schema; throws SpecError naming the field. */
export function checkAnalysable(spec: Spec, file: string): void {
  const model = modelOf(spec);
  const why = notAnalysable(model, spec.params);
  if (why) throw new SpecError(file, [{ field: 'model', message: `got "${spec.model}": ${why}`, allowed: 'a model with one game in a well-mixed population (linear-pgg, optional-pgg, threshold-pgg, club-good, matrix-game); for the levels of migration-governance, migov analyze or analyzeLevels in the API' }]);
  const Z = populationSizeOf(model, spec.params);
  if (Z > ANALYSIS_MAX_Z) throw new SpecError(file, [{ field: 'params.Z', message: `got ${Z}: the exact chains are computed for populations of at most ${ANALYSIS_MAX_Z.toLocaleString('en')}`, allowed: `an integer 2..${ANALYSIS_MAX_Z}` }]);
  for (const size of spec.analysis?.populationSizes ?? []) {
    if (size > ANALYSIS_MAX_Z) throw new SpecError(file, [{ field: 'analysis.populationSizes', message: `got ${size}`, allowed: `sizes 2..${ANALYSIS_MAX_Z}` }]);
  }
}

/** The analytic twin of a validated spec of a well-mixed game (see analyzeModel). */
export function analyzeSpec(spec: Spec, file: string): Analysis {
  checkAnalysable(spec, file);
  const a = spec.analysis;
  return analyzeModel(modelOf(spec), spec.params, spec.protocol, {
    mutation: a?.mutation,
    selectionIntensity: a?.selectionIntensity,
    selectionIntensities: a?.selectionIntensities,
    populationSizes: a?.populationSizes,
    temperatures: a?.temperatures,
  });
}
