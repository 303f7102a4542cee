// `migov slurm`: a sweep as a Slurm job array of shards plus a dependent merge job;
// its status; and re-submitting only the shards that failed or went missing.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SpecError } from '../experiment/errors.ts';
import { resolveSpec } from '../experiment/load.ts';
import { planSweep } from '../sweep/plan.ts';
import { checkBudget } from '../experiment/budget.ts';
import { thisMachine } from '../sweep/executor.ts';
import { MERGED_DIR, clusterStatus, formatStatus, resubmitMissing, submitJobs, writeSlurmScripts } from '../sweep/slurm.ts';

interface SlurmCliOptions {
  shards?: string;
  partition?: string;
  time?: string;
  mem?: string;
  cpus: string;
  sbatchArg: string[];
  seed?: string;
  set: string[];
  out?: string;
  results: string;
  report: boolean;
  allowLarge?: boolean;
  submit?: boolean;
  force?: boolean;
  status?: string;
  resubmitMissing?: string;
  json?: boolean;
}

function usage(message: string, allowed: string): never {
  throw new SpecError('migov slurm', [{ field: '', message, allowed }]);
}

function positiveInt(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new SpecError(flag, [{ field: '', message: `got ${JSON.stringify(text)}`, allowed: `an integer from 1 to ${max}` }]);
  return n;
}

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
      if (opts.status !== undefined || opts.resubmitMissing !== undefined) {
        if (file !== undefined || opts.shards !== undefined || opts.submit) usage('--status and --resubmit-missing take a work folder, not a spec, --shards or --submit', 'migov slurm --status <dir>, or migov slurm --resubmit-missing <dir>');
        if (opts.status !== undefined && opts.resubmitMissing !== undefined) usage('both --status and --resubmit-missing given', 'one of them');
      }
      if (opts.status !== undefined) {
        const s = clusterStatus(opts.status);
        console.log(opts.json ? JSON.stringify(s, null, 2) : formatStatus(s));
        const bad = s.shards.some((x) => x.state === 'failed' || x.state === 'missing') || s.merge.state === 'failed';
        process.exitCode = bad ? 1 : 0;
        return;
      }
      if (opts.resubmitMissing !== undefined) {
        const r = resubmitMissing(opts.resubmitMissing);
        if (r.cancelledMerge) console.log(`Cancelled merge job ${r.cancelledMerge} (it waited on a shard that failed).`);
        if (!r.submission) {
          console.log(`Nothing submitted: ${r.why}.`);
          return;
        }
        const s = r.submission;
        console.log(
          `${r.why}: ${s.arrayJobId ? `submitted shard(s) ${s.shards.join(', ')} as array job ${s.arrayJobId}, and ` : 'submitted '}merge job ${s.mergeJobId}${s.arrayJobId ? ` (afterok:${s.arrayJobId})` : ''}.`,
        );
        return;
      }
      if (file === undefined) usage('no spec given', 'migov slurm <spec> --shards n [--submit], or --status <dir>, or --resubmit-missing <dir>');
      if (opts.shards === undefined) usage('--shards is missing', '--shards n: the number of array tasks, e.g. --shards 16');
      const shards = positiveInt('--shards', opts.shards, 100000);
      const cpus = positiveInt('--cpus', opts.cpus, 1024);
      const spec = resolveSpec(file, opts.set, opts.seed);
      // what one shard will cost, and the design's plan here, before it is generated (src/experiment/budget.ts)
      checkBudget(spec, file, { command: 'sweep', shards, allowLarge: opts.allowLarge, machine: thisMachine() });
      // every design point is validated here, before anything is written or submitted
      const plan = planSweep(spec, file);
      if (shards > plan.tasks.length) throw new SpecError('--shards', [{ field: '', message: `got ${shards}, but the sweep has only ${plan.tasks.length} runs`, allowed: `1 to ${plan.tasks.length}` }]);
      const dir = resolve(opts.out ?? `${opts.results}/${spec.name}.slurm`);
      const scripts = writeSlurmScripts(
        {
          specFile: file,
          name: spec.name,
          specHash: plan.specHash,
          runs: plan.tasks.length,
          cwd: process.cwd(),
          dir,
          shards,
          cpus,
          partition: opts.partition,
          time: opts.time,
          mem: opts.mem,
          sbatchArgs: opts.sbatchArg,
          seed: opts.seed,
          set: opts.set,
          report: opts.report,
          allowLarge: opts.allowLarge,
        },
        opts.force,
      );
      console.log(`${spec.name}: ${plan.tasks.length} runs in ${shards} shard(s) of about ${Math.ceil(plan.tasks.length / shards)} runs, ${cpus} CPU(s) each`);
      console.log(`Scripts: ${scripts.shards}\n         ${scripts.merge}`);
      if (!opts.submit) {
        console.log(`Submit them with --submit, or by hand:\n  id=$(sbatch --parsable ${scripts.shards})\n  sbatch --dependency=afterok:$id ${scripts.merge}`);
        return;
      }
      const s = submitJobs(dir);
      console.log(`Submitted array job ${s.arrayJobId} (shards 0-${shards - 1}) and merge job ${s.mergeJobId} (afterok:${s.arrayJobId}).`);
      console.log(`Status: migov slurm --status ${dir}\nResults, once merged: ${resolve(dir, MERGED_DIR)}`);
    });
}
