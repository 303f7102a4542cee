// What `migov slurm` does once its command line is parsed (its options and help are in
// ../slurm.ts, which loads this module only when the command runs).
import { resolve } from 'node:path';
import { SpecError } from '../../experiment/errors.ts';
import { resolveSpec } from '../../experiment/load.ts';
import { planSweep } from '../../sweep/plan.ts';
import { checkBudget } from '../../experiment/budget.ts';
import { thisMachine } from '../../sweep/executor.ts';
import { MERGED_DIR, clusterStatus, formatStatus, resubmitMissing, submitJobs, writeSlurmScripts } from '../../sweep/slurm.ts';

export interface SlurmCliOptions {
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

export async function slurmCommand(file: string | undefined, opts: SlurmCliOptions): Promise<void> {
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
}
