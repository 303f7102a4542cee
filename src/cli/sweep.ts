// `migov sweep <spec>`: runs (or resumes) a parameter sweep.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { SweepCliOptions } from './actions/sweep.ts';

export function register(program: Command): void {
  program
    .command('sweep')
    .description("run a parameter sweep: the spec's sweep section (design, factors), every point x replication, in parallel, resumable")
    .argument('<spec>', "experiment spec file with a sweep section (YAML or JSON), or a sweep folder's manifest.json to rerun what made it")
    .option('--workers <n>', `worker threads (default: available cores, here ${availableParallelism()})`)
    .option('--seed <seed>', "master seed, overriding the spec's `seed`")
    .option('--set <path=value>', 'override a spec field, e.g. --set replications=50 (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--out <dir>', 'result folder (default <results>/<name>)')
    .option('--results <dir>', 'parent folder of the result folders', 'results')
    .option('--retry-failed', 're-run only the runs that failed in an earlier session')
    .option('--force', 'if the folder holds results of another spec, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .option('-q, --quiet', 'no progress, only the summary')
    .option('--no-report', 'skip the charts and report.html')
    .option('--allow-large', 'run a sweep above the default budget (runs, decisions, recorded values, memory, workers per core; see README, "Budgets"); never one beyond what this machine can hold')
    .option('--shard <i/n>', 'run only shard i of n (runs k with k % n == i; default folder <results>/<name>.shard-<i>-of-<n>); `migov merge` joins the n shards')
    .addHelpText(
      'after',
      `
Runs are scheduled replication by replication (every point's first replication,
then every point's second, ...), so a partial sweep already covers the design.
Finished runs go to <dir>/journal.jsonl as they finish; run the same command
again after an interruption (Ctrl-C, kill, power loss) and only the missing runs
run. The outputs (runs.csv, summary.csv, sensitivity.csv for sobol/morris designs,
series.csv if sweep.series, failures.csv, manifest.json) are byte-identical
whatever --workers and however often the sweep was interrupted. A run that throws
is recorded in failures.csv and the command exits with code 1. It ends with a
results table: the metrics the spec chose (charts:, else metrics:; at most 6, or the
model's first 4) per design point, mean ± 95% CI over replications; for more than 20
points, the top and bottom 5 by the first metric.

With \`design: adaptive\` (README, "Adaptive search") it runs in waves: a coarse
grid, then bisection of the cells where the class changes and more replications
where a point's class is undecided, up to sweep.adaptive.budget runs; it also writes
adaptive.csv and boundary.csv and says how many runs a full grid at the same
resolution would need. It resumes the same way (the waves are planned again from the
journal) and cannot be sharded.

Given <folder>/manifest.json, it reruns the spec (sweep section included), seed and
defaults recorded there (refused if the spec no longer matches its recorded hash),
into <results>/<name>, or <results>/<name>-rerun when that is the manifest's folder.

With --shard i/n the sweep runs only its slice (for a cluster: one Slurm array
task per shard, see \`migov slurm\`) and writes shard.json (spec hash, master seed,
shard, run count, sha256 of its journal) instead of the tables and report; a shard
resumes like any sweep. \`migov merge <shard folders> --out <dir>\` then writes the
folder a single-machine sweep of the spec writes.

Examples:
  migov sweep experiments/betts-phase.yaml
  migov sweep experiments/mechanisms-sobol.yaml --workers 4
  migov sweep experiments/betts-phase.yaml --shard 0/4 --workers 8
  migov sweep results/betts-phase/manifest.json --out results/betts-phase-again`,
    )
    .action(async (file: string, opts: SweepCliOptions) => {
      // the command's code (and with it the models, yaml, ...) is loaded only when it runs
      process.exitCode = await (await import('./actions/sweep.ts')).sweepCommand(file, opts);
    });
}
