// `migov analyze <spec>`: the analytic twin of a spec (docs/theory.md): prints the
// exact results and, with --out, writes them as a result folder.
import type { Command } from 'commander';
import { formatAnalysis } from '../analysis/format.ts';
import { analyzeLevels, formatLevels } from '../analysis/levels.ts';
import { LEVEL_MODELS, analyzeSpec, checkAnalysable } from '../experiment/analysis.ts';
import { SpecError } from '../experiment/errors.ts';
import { resolveSpec } from '../experiment/load.ts';
import { claimOutput } from '../sweep/folder.ts';
import { analysisJson, writeAnalysisFolder } from '../report/analysis.ts';
import { makeTemp, removeTemp, replaceFolder } from '../sweep/folder.ts';
import { specHash } from '../sweep/experiment.ts';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface AnalyzeOptions {
  seed?: string;
  set: string[];
  out?: string;
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('exact results beside the simulation: fixation probabilities, stationary distributions, gradient of selection, rest points, logit equilibria, stochastically stable states')
    .argument('<spec>', 'an experiment spec file (YAML or JSON); its optional analysis: section sets the mutation convention and the values of beta, Z and T')
    .option('--seed <seed>', "master seed, overriding the spec's (the migration levels draw their states with the runs' seeds)")
    .option('--set <path=value>', 'override a spec field, e.g. --set params.r=2.5 --set analysis.mutation=other (repeatable)', collect, [])
    .option('--out <dir>', 'also write a result folder: analysis.json, CSV tables and charts')
    .option('--force', 'if the --out folder exists and is not a migov result folder, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .addHelpText(
      'after',
      `
For a model with one game in a well-mixed population (linear-pgg, optional-pgg,
threshold-pgg, club-good, matrix-game): Fermi fixation probabilities in log space, the
small-mutation limit, and for two strategies the gradient of selection, the full
chain's stationary distribution and the stochastically stable states; the replicator,
mean-field and logit rest points with their stability. For migration-governance: the
levels of each issue area as a theory (equilibria, stochastic stability).
The spec is validated first; a bad spec exits with code 2 and writes nothing.

Examples:
  migov analyze experiments/public-goods.yaml
  migov analyze experiments/public-goods.yaml --set analysis.mutation=other --out results/pgg-analysis`,
    )
    .action(async (file: string, opts: AnalyzeOptions) => {
      await analyzeCommand(file, opts);
    });
}

async function analyzeCommand(file: string, opts: AnalyzeOptions): Promise<void> {
  const spec = resolveSpec(file, opts.set, opts.seed);
  if ((LEVEL_MODELS as readonly string[]).includes(spec.model)) {
    if (spec.model !== 'migration-governance') {
      throw new SpecError(file, [{ field: 'model', message: `got "${spec.model}": migov analyze has no level analysis for this model yet (the API's flowsBestResponses(spec) gives its one-shot best responses at a run's final state)`, allowed: 'migration-governance (levels), or a textbook game (linear-pgg, optional-pgg, threshold-pgg, club-good, matrix-game)' }]);
    }
    const levels = analyzeLevels(spec, { temperatures: spec.analysis?.temperatures });
    if (opts.out !== undefined) {
      const claim = claimOutput(opts.out, { kind: 'analysis', force: opts.force, specFiles: [file] });
      try {
        const tmp = makeTemp(claim.dir, 'analysis', specHash(spec));
        try {
          writeFileSync(join(tmp, 'levels.json'), analysisJson({ command: 'analyze', specFile: file, spec, specHash: specHash(spec), levels }), { flag: 'wx' });
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
  const claim = opts.out !== undefined ? claimOutput(opts.out, { kind: 'analysis', force: opts.force, specFiles: [file] }) : null;
  try {
    if (claim?.movedAside) console.log(`Moved the folder that was at ${claim.dir} to ${claim.movedAside}`);
    const analysis = analyzeSpec(spec, file);
    console.log(formatAnalysis(analysis, spec.name));
    if (claim) {
      const dir = await writeAnalysisFolder(claim, spec, file, analysis);
      console.log(`\nWrote ${relative(process.cwd(), dir) || dir}: analysis.json, CSV tables, charts/`);
    }
  } finally {
    claim?.lock.release();
  }
}
