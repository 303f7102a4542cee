// What `migov analyze` does once its command line is parsed (its options and help are in
// ../analyze.ts, which loads this module only when the command runs).
import { formatAnalysis } from '../../analysis/format.ts';
import { analyzeLevels, formatLevels } from '../../analysis/levels.ts';
import { LEVEL_MODELS, analyzeSpec, checkAnalysable } from '../../experiment/analysis.ts';
import { SpecError } from '../../experiment/errors.ts';
import { analyzeFlows, formatFlows } from '../../analysis/levels-flows.ts';
import { checkBudget } from '../../experiment/budget.ts';
import { thisMachine } from '../../sweep/executor.ts';
import { claimOutput, makeTemp, removeTemp, replaceFolder } from '../../sweep/folder.ts';
import { specHash } from '../../sweep/experiment.ts';
import { writeFileSync } from 'node:fs';
import type { TwinComparison } from '../../analysis/twin.ts';
import type { SimulatedBeside } from '../../charts/analysis.ts';
import { modelOf, resolveSpec } from '../../experiment/load.ts';
import type { Spec } from '../../experiment/schema.ts';
import { readResults } from '../../report/read.ts';
import { twinOf } from '../../report/twin-section.ts';
import { join, relative } from 'node:path';

export interface AnalyzeOptions {
  seed?: string;
  allowLarge?: boolean;
  set: string[];
  out?: string;
  force?: boolean;
  beside?: string;
}

/** A run folder's replications to set beside the analysis: the same model and population size, else SpecError (exit 2). */
function besideOf(folder: string, spec: Spec): { simulated: SimulatedBeside; twin: TwinComparison | null } {
  const data = readResults(folder);
  const run = data.manifest?.spec as { model?: string; params?: Record<string, unknown>; sweep?: unknown } | undefined;
  const problem = !run?.model
    ? 'it has no spec in its manifest.json'
    : run.model !== spec.model
      ? `it is a run of ${run.model}, the spec analyses ${spec.model}`
      : run.sweep || data.runs
        ? 'it is a sweep; give the folder of one migov run'
        : run.params?.Z !== spec.params.Z
          ? `its population size Z ${String(run.params?.Z)} differs from the spec's ${String(spec.params.Z)}`
          : null;
  if (problem) throw new SpecError(`--beside ${folder}`, [{ field: '', message: problem, allowed: 'the result folder of a `migov run` of the same model and Z' }]);
  const first = modelOf(spec).layout(spec.params).strategies[0];
  const finalShares = data.final.map((row) => Number(row[`share_${first}`])).filter((x) => Number.isFinite(x));
  return { simulated: { folder, finalShares }, twin: twinOf(data) };
}

// loaded only when a folder is written: it renders charts, and vega and resvg take a moment to load
const reportAnalysis = () => import('../../report/analysis.ts');

export async function analyzeCommand(file: string, opts: AnalyzeOptions): Promise<void> {
  const spec = resolveSpec(file, opts.set, opts.seed);
  if (spec.model === 'migration-flows') {
    await analyzeFlowsCommand(file, spec, opts);
    return;
  }
  if ((LEVEL_MODELS as readonly string[]).includes(spec.model)) {
    const levels = analyzeLevels(spec, { temperatures: spec.analysis?.temperatures });
    if (opts.out !== undefined) {
      const claim = claimOutput(opts.out, { kind: 'analysis', force: opts.force, specFiles: [file] });
      try {
        const tmp = makeTemp(claim.dir, 'analysis', specHash(spec));
        try {
          writeFileSync(join(tmp, 'levels.json'), (await reportAnalysis()).analysisJson({ command: 'analyze', specFile: file, spec, specHash: specHash(spec), levels }), { flag: 'wx' });
          replaceFolder(tmp, claim.dir);
        } catch (e) {
          removeTemp(tmp);
          throw e;
        }
      } finally {
        claim.lock.release();
      }
    }
    console.log(formatLevels(levels));
    if (opts.out !== undefined) console.log(`\nWrote ${relative(process.cwd(), opts.out) || opts.out}/levels.json`);
    return;
  }
  // every check before the folder is claimed, so a bad spec writes nothing
  checkAnalysable(spec, file);
  const beside = opts.beside !== undefined ? besideOf(opts.beside, spec) : undefined;
  const claim = opts.out !== undefined ? claimOutput(opts.out, { kind: 'analysis', force: opts.force, specFiles: [file] }) : null;
  try {
    if (claim?.movedAside) console.log(`Moved the folder that was at ${claim.dir} to ${claim.movedAside}`);
    const analysis = analyzeSpec(spec, file);
    console.log(formatAnalysis(analysis, spec.name));
    if (beside) {
      const t = beside.twin;
      console.log(
        t
          ? `\nBeside ${beside.simulated.folder} (${t.replications} replications): ${t.description}: analytic ${t.analytic.toPrecision(4)}, simulated ${t.simulated.toPrecision(4)} (standard error ${t.standardError.toPrecision(3)}), z ${Number.isFinite(t.z) ? t.z.toFixed(2) : '-'}`
          : `\nBeside ${beside.simulated.folder}: its protocol and start have no exact counterpart here (two strategies; runs from one mutant absorbed, or with mutation); its replications are drawn beside the full chain only`,
      );
    }
    if (claim) {
      const dir = await (await reportAnalysis()).writeAnalysisFolder(claim, spec, file, analysis, beside);
      console.log(`\nWrote ${relative(process.cwd(), dir) || dir}: analysis.json, CSV tables, charts/`);
    }
  } finally {
    claim?.lock.release();
  }
}

/** A migration-flows spec: the budget first (its replications are run), then the one-shot best responses at each final state (src/analysis/levels-flows.ts). */
async function analyzeFlowsCommand(file: string, spec: Spec, opts: AnalyzeOptions): Promise<void> {
  // nothing is recorded but the final state: the budget of the runs themselves (decisions, memory)
  checkBudget({ ...spec, recordEvery: spec.rounds }, file, { command: 'run', streamsSeries: true, allowLarge: opts.allowLarge, machine: thisMachine() });
  if (opts.beside !== undefined) throw new SpecError(`--beside ${opts.beside}`, [{ field: '', message: 'migration-flows has no exact value to set a run beside (no stage game)', allowed: 'a textbook game spec (linear-pgg, optional-pgg, threshold-pgg, club-good, matrix-game)' }]);
  const claim = opts.out !== undefined ? claimOutput(opts.out, { kind: 'analysis', force: opts.force, specFiles: [file] }) : null;
  try {
    if (claim?.movedAside) console.log(`Moved the folder that was at ${claim.dir} to ${claim.movedAside}`);
    const flows = analyzeFlows(spec);
    console.log(formatFlows(flows));
    if (claim) {
      const dir = (await reportAnalysis()).writeFlowsFolder(claim, spec, file, flows);
      console.log(`\nWrote ${relative(process.cwd(), dir) || dir}: flows.json, best-responses.csv`);
    }
  } finally {
    claim?.lock.release();
  }
}
