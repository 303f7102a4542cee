// `migov slurm`: a sweep as a Slurm job array of shards plus a dependent merge job;
// its status; and re-submitting only the shards that failed or went missing.
import type { Command } from 'commander';
import type { SlurmCliOptions } from './actions/slurm.ts';

export function register(program: Command): void {
  program
    .command('slurm')
    .description('run a sweep on a Slurm cluster: a job array of shards and a merge job after it; --status; --resubmit-missing')
    .argument('[spec]', 'experiment spec file with a sweep section (not with --status or --resubmit-missing)')
    .option('--shards <n>', 'number of shards = array tasks (each runs the runs k with k % n == i)')
    .option('--cpus <c>', 'CPUs per shard (--cpus-per-task; the shard runs that many worker threads)', '1')
    .option('--partition <p>', 'Slurm partition (default: the cluster default)')
    .option('--time <t>', 'time limit per shard and for the merge, e.g. 01:00:00')
    .option('--mem <m>', 'memory per shard and for the merge, e.g. 4G')
    .option('--sbatch-arg <option>', 'one more #SBATCH option for both jobs, e.g. --sbatch-arg=--account=abc (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--seed <seed>', "master seed, overriding the spec's `seed`")
    .option('--set <path=value>', 'override a spec field (repeatable), as for `migov sweep`', (v: string, p: string[]) => [...p, v], [])
    .option('--out <dir>', 'work folder: slurm/ (scripts, jobs.json, logs), shard-<i>/ and merged/ (default <results>/<name>.slurm)')
    .option('--results <dir>', 'parent folder of the result folders', 'results')
    .option('--no-report', 'the merge job skips the charts and report.html')
    .option('--allow-large', 'accept a sweep above the default budget per shard (see README, "Budgets"); the shard jobs get --allow-large too')
    .option('--submit', 'submit both jobs with sbatch and record their ids in <dir>/slurm/jobs.json')
    .option('--force', 'if the work folder holds another sweep\'s jobs, move it aside (never deleted)')
    .option('--status <dir>', 'show each shard (done, pending, running, failed, missing) and the merge')
    .option('--json', 'with --status: print the status as JSON')
    .option('--resubmit-missing <dir>', 're-submit only the failed or missing shards, and a new merge job after them')
    .addHelpText(
      'after',
      `
Writes <dir>/slurm/shards.sbatch, a job array with one task per shard, each
running \`node <abs>/bin/migov.js sweep <spec> --shard $SLURM_ARRAY_TASK_ID/n
--workers $SLURM_CPUS_PER_TASK --no-report --out <dir>/shard-$SLURM_ARRAY_TASK_ID\`,
and <dir>/slurm/merge.sbatch, which runs \`migov merge\` of the n shard folders
into <dir>/merged once the array has succeeded (--dependency=afterok). A shard
that is killed resumes from its journal when it runs again. The merged folder is
byte-identical to a single-machine \`migov sweep\` of the spec (manifest.json and
report.html differ only in the times, versions, git state and platform they record).

Examples:
  migov slurm experiments/betts-phase.yaml --shards 16 --cpus 8 --time 02:00:00 --submit
  migov slurm --status results/betts-phase.slurm
  migov slurm --resubmit-missing results/betts-phase.slurm`,
    )
    .action(async (file: string | undefined, opts: SlurmCliOptions) => {
      // the command's code (and with it the models, yaml, ...) is loaded only when it runs
      await (await import('./actions/slurm.ts')).slurmCommand(file, opts);
    });
}
