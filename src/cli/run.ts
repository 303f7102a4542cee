// `migov run <spec...>`: runs each spec's replications, prints a summary, writes results/<name>/.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { RunOptions } from './actions/run.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run experiment spec(s): every replication, a summary table, and a result folder per spec')
    .argument('<specs...>', "experiment spec files (YAML or JSON), or a result folder's manifest.json to rerun what made it")
    .option('--seed <seed>', 'master seed, overriding the spec\'s `seed` (an integer or a string)')
    .option('--set <path=value>', 'override a spec field, e.g. --set params.r=2.5 --set rounds=200 (repeatable)', collect, [])
    .option('--out <dir>', 'result folder (one spec only; default <results>/<name>)')
    .option('--results <dir>', 'parent folder of the result folders', 'results')
    .option('--workers <n>', `worker threads for the replications (default: available cores, here ${availableParallelism()}, or this process alone for a few seconds' work); the results are the same for any number`)
    .option('-q, --quiet', 'print only where the results are (no progress)')
    .option('--no-report', 'skip the charts and report.html (`migov report <folder>` makes them later)')
    .option('--allow-large', 'run a spec above the default budget (runs, decisions, recorded values, memory; see README, "Budgets"); never one beyond what this machine can hold')
    .option('--force', 'if the result folder exists and is not a migov result folder, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .addHelpText(
      'after',
      `
Writes <results>/<name>/manifest.json (spec, hashes, seeds, versions, commit, timings),
series.csv (replication x round x metric) and final.csv (one row per replication),
then the charts (charts/<id>.vl.json, .svg, .png) and report.html unless --no-report.
Every spec is validated before anything runs or is written; a bad spec exits with code 2.
Replications run on --workers threads and are written in replication order, so the
files are byte-identical for any number of workers; progress goes to stderr.
Given <folder>/manifest.json, it reruns the spec, seed and defaults recorded there
(refused if the spec no longer matches its recorded hash); the rerun goes to
<results>/<name>, or <results>/<name>-rerun when that is the manifest's own folder.
The folder is built beside the old one and swapped in at the end, report included, so
a kill leaves the earlier complete folder. Only a folder migov made (it holds a .migov
marker) is replaced; any other existing folder or file, a symlink, the working folder
or one above it is refused with code 2 (--force moves a folder aside, never deletes).

Examples:
  migov run experiments/public-goods.yaml
  migov run experiments/public-goods.yaml --seed 7 --set params.r=6 --out results/r6
  migov run results/public-goods/manifest.json --out results/public-goods-again`,
    )
    .action(async (specs: string[], opts: RunOptions) => {
      // the command's code (and with it the models, yaml, ...) is loaded only when it runs
      await (await import('./actions/run.ts')).runCommand(specs, opts);
    });
}
