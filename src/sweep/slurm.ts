// Sweeps on a Slurm cluster, through the scheduler the cluster already has: a job
// array with one task per shard (`migov sweep --shard $SLURM_ARRAY_TASK_ID/n`, each
// task a local worker pool of $SLURM_CPUS_PER_TASK threads) and a merge job that
// depends on it (afterok). Slurm is not an Executor: it places whole shards, and each
// shard runs its runs with a local executor, so a model never knows where it runs.
//
// The work folder <dir> holds slurm/shards.sbatch, slurm/merge.sbatch, slurm/jobs.json
// (the sweep and every submission's job ids), slurm/logs/, the shard folders
// shard-<i> and, once merged, merged/. Status comes from the shard folders (shard.json
// = done) and from squeue (and sacct, where accounting is on) for the rest.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DamagedFileError } from './damaged.ts';
import { JOURNAL_FILE, readJournal } from './journal.ts';
import { SHARD_FILE, readShardManifest, sha256OfFile, shardLabel } from './shard.ts';
import { zodProblems } from './sweep-file.ts';
import { claimOutput, readMarker, writeMarker } from './folder.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The migov command as cluster nodes run it: node and this checkout's bin, by absolute paths. */
export const MIGOV_BIN = join(ROOT, 'bin', 'migov.js');

export const SLURM_DIR = 'slurm';
export const JOBS_FILE = 'jobs.json';
export const SHARDS_SCRIPT = 'shards.sbatch';
export const MERGE_SCRIPT = 'merge.sbatch';
export const MERGED_DIR = 'merged';

/** A Slurm command that failed or cannot run; the CLI prints it and exits with code 2. */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmError';
  }
}

export interface SlurmJobOptions {
  /** The spec file, as given (resolved against `cwd` on the node). */
  readonly specFile: string;
  readonly name: string;
  readonly specHash: string;
  /** Runs in the whole sweep. */
  readonly runs: number;
  /** Absolute working directory of the jobs (where the spec path is resolved). */
  readonly cwd: string;
  /** Absolute work folder. */
  readonly dir: string;
  readonly shards: number;
  readonly cpus: number;
  readonly partition?: string;
  readonly time?: string;
  readonly mem?: string;
  /** More `#SBATCH` options for both jobs, e.g. `--account=abc` or `--qos=short`. */
  readonly sbatchArgs?: readonly string[];
  readonly seed?: string;
  readonly set?: readonly string[];
  /** Make the charts and report.html in the merge job (default true). */
  readonly report?: boolean;
  /** Pass --allow-large to the shard jobs (the spec was accepted above the default budget). */
  readonly allowLarge?: boolean;
  /** Absolute path of node (default: the node running this). */
  readonly node?: string;
}

/** A word for bash, single-quoted unless it is plainly safe. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function directives(o: SlurmJobOptions, lines: string[]): string[] {
  const out = lines.map((l) => `#SBATCH ${l}`);
  if (o.partition) out.push(`#SBATCH --partition=${o.partition}`);
  if (o.time) out.push(`#SBATCH --time=${o.time}`);
  if (o.mem) out.push(`#SBATCH --mem=${o.mem}`);
  for (const a of o.sbatchArgs ?? []) out.push(`#SBATCH ${a}`);
  return out;
}

function checkLine(what: string, value: string): void {
  if (/[\n\r]/.test(value)) throw new SlurmError(`${what} ${JSON.stringify(value)} holds a line break; an sbatch script cannot carry it`);
}

/** The job array script: task i runs shard i/n into <dir>/shard-<i>. */
export function shardScript(o: SlurmJobOptions): string {
  const node = o.node ?? process.execPath;
  const overrides = [...(o.seed !== undefined ? ['--seed', o.seed] : []), ...(o.set ?? []).flatMap((s) => ['--set', s]), ...(o.allowLarge ? ['--allow-large'] : [])];
  return [
    '#!/bin/bash',
    `# migov sweep of ${o.name} as a Slurm job array: task i runs shard i/${o.shards} of the sweep's ${o.runs} runs`,
    `# (runs k with k % ${o.shards} == i) into ${o.dir}/shard-<i>, resuming what an earlier try left.`,
    `# Written by \`migov slurm\`; \`migov slurm --status ${o.dir}\` shows the shards, and`,
    `# \`migov slurm --resubmit-missing ${o.dir}\` submits this script again for failed or missing shards only.`,
    ...directives(o, [
      `--job-name=migov-${o.name}`,
      `--array=0-${o.shards - 1}`,
      '--ntasks=1',
      `--cpus-per-task=${o.cpus}`,
      `--output=${join(o.dir, SLURM_DIR, 'logs', 'shard-%a.%A.out')}`,
      `--chdir=${o.cwd}`,
    ]),
    'set -euo pipefail',
    `cd ${shq(o.cwd)}`,
    `exec ${shq(node)} ${shq(MIGOV_BIN)} sweep ${shq(o.specFile)} --shard "$SLURM_ARRAY_TASK_ID/${o.shards}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --no-report --out ${shq(o.dir)}/shard-"$SLURM_ARRAY_TASK_ID"${overrides.map((w) => ` ${shq(w)}`).join('')}`,
    '',
  ].join('\n');
}

/** The merge job script (submitted with --dependency=afterok:<the array's job id>). */
export function mergeScript(o: SlurmJobOptions): string {
  const node = o.node ?? process.execPath;
  return [
    '#!/bin/bash',
    `# migov merge of ${o.name}'s ${o.shards} shards into ${join(o.dir, MERGED_DIR)}; submitted by \`migov slurm --submit\``,
    '# with --dependency=afterok:<the shard array job id>, so it starts once every shard has succeeded.',
    '# An earlier merged folder is moved aside (merged.old-N), never deleted.',
    ...directives(o, [`--job-name=migov-${o.name}-merge`, '--ntasks=1', '--cpus-per-task=1', `--output=${join(o.dir, SLURM_DIR, 'logs', 'merge.%j.out')}`, `--chdir=${o.cwd}`]),
    'set -euo pipefail',
    `cd ${shq(o.cwd)}`,
    'shards=()',
    `for i in $(seq 0 ${o.shards - 1}); do shards+=(${shq(o.dir)}/shard-"$i"); done`,
    `exec ${shq(node)} ${shq(MIGOV_BIN)} merge "\${shards[@]}" --out ${shq(join(o.dir, MERGED_DIR))} --force${o.report === false ? ' --no-report' : ''}`,
    '',
  ].join('\n');
}

export interface Submission {
  readonly submittedAt: string;
  /** The shard indices of this array job. */
  readonly shards: readonly number[];
  readonly arrayJobId: string | null;
  readonly mergeJobId: string;
}

export interface JobsFile {
  readonly name: string;
  readonly specFile: string;
  readonly specHash: string;
  readonly runs: number;
  readonly shards: number;
  readonly cwd: string;
  readonly submissions: Submission[];
}

function jobsPath(dir: string): string {
  return join(dir, SLURM_DIR, JOBS_FILE);
}

export function readJobs(dir: string): JobsFile {
  const path = jobsPath(resolve(dir));
  if (!existsSync(path)) throw new SlurmError(`${resolve(dir)}: not a migov Slurm work folder (no ${SLURM_DIR}/${JOBS_FILE}); \`migov slurm <spec> --shards n --out <dir>\` makes one`);
  const remedy = `Restore it from a copy, or write it anew with the same \`migov slurm <spec> --shards n --out ${resolve(dir)}\` (the shard folders are kept; job ids of earlier submissions are then forgotten)`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DamagedFileError(path, `not valid JSON, perhaps cut short (${(e as Error).message})`, remedy);
  }
  const parsed = jobsSchema.safeParse(value);
  if (!parsed.success) throw new DamagedFileError(path, `not a record of Slurm jobs: ${zodProblems(parsed.error)}`, remedy);
  return parsed.data;
}

const jobsSchema = z.object({
  name: z.string(),
  specFile: z.string(),
  specHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 hex digits)'),
  runs: z.number().int().min(0),
  shards: z.number().int().min(1).max(100000),
  cwd: z.string(),
  submissions: z.array(
    z.object({
      submittedAt: z.string(),
      shards: z.array(z.number().int().min(0)),
      arrayJobId: z.string().regex(/^\d+$/).nullable(),
      mergeJobId: z.string().regex(/^\d*$/),
    }),
  ),
});

function writeJobs(dir: string, jobs: JobsFile): void {
  const path = jobsPath(dir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(jobs, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/**
 * Writes <dir>/slurm/shards.sbatch, merge.sbatch and jobs.json (keeping earlier
 * submissions of the same sweep). A folder holding another sweep's jobs is refused
 * unless `force` (then moved aside to <dir>.old-N, never deleted).
 */
export function writeSlurmScripts(o: SlurmJobOptions, force = false): { shards: string; merge: string } {
  for (const [what, v] of [['spec path', o.specFile], ['folder', o.dir], ['working directory', o.cwd], ...(o.sbatchArgs ?? []).map((a) => ['--sbatch-arg', a])]) checkLine(what, v);
  let submissions: Submission[] = [];
  // the folder is claimed as migov's (see folder.ts): a folder of someone else's files, a file or a link is refused
  const claim = claimOutput(o.dir, {
    kind: 'slurm',
    force,
    specFiles: [o.specFile],
    reuse: () => {
      if (!existsSync(jobsPath(o.dir))) return null;
      const old = readJobs(o.dir);
      if (old.specHash === o.specHash && old.shards === o.shards) {
        submissions = old.submissions;
        return null;
      }
      return `it holds the Slurm jobs of ${old.specHash === o.specHash ? `a ${old.shards}-shard split` : 'another spec'} (${jobsPath(o.dir)})`;
    },
  });
  try {
    mkdirSync(claim.dir, { recursive: true });
    if (claim.state !== 'ours' || readMarker(claim.dir) === null) writeMarker(claim.dir, 'slurm', o.specHash);
  } finally {
    claim.lock.release();
  }
  const slurmDir = join(o.dir, SLURM_DIR);
  mkdirSync(join(slurmDir, 'logs'), { recursive: true });
  const files = { shards: join(slurmDir, SHARDS_SCRIPT), merge: join(slurmDir, MERGE_SCRIPT) };
  writeFileSync(files.shards, shardScript(o), { mode: 0o755 });
  writeFileSync(files.merge, mergeScript(o), { mode: 0o755 });
  writeJobs(o.dir, { name: o.name, specFile: o.specFile, specHash: o.specHash, runs: o.runs, shards: o.shards, cwd: o.cwd, submissions });
  return files;
}

/** Runs a Slurm command; SlurmError naming it when it is missing or fails. */
function slurmCmd(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; status?: number };
    if (err.code === 'ENOENT') throw new SlurmError(`${cmd} not found on PATH: this needs a machine that can submit Slurm jobs (a login node)`);
    throw new SlurmError(`${cmd} ${args.join(' ')} failed${err.status !== undefined ? ` (exit ${err.status})` : ''}: ${(err.stderr ?? err.message).trim()}`);
  }
}

function sbatch(args: readonly string[]): string {
  const out = slurmCmd('sbatch', ['--parsable', ...args]).trim();
  const id = out.split(';')[0];
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch ${args.join(' ')} printed ${JSON.stringify(out)}, not a job id`);
  return id;
}

/** `1,3,5-7` for Slurm's --array. */
export function arraySpec(indices: readonly number[]): string {
  const s = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : String(s[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Submits the array for `indices` (all shards by default; none submits the merge
 * only) and the merge job after it, and records both in jobs.json. `after` are
 * earlier array jobs whose tasks still run: the merge waits for them too (afterany).
 */
export function submitJobs(dir: string, indices?: readonly number[], after: readonly string[] = []): Submission {
  const target = resolve(dir);
  const jobs = readJobs(target);
  const shards = indices ?? Array.from({ length: jobs.shards }, (_, i) => i);
  const scripts = join(target, SLURM_DIR);
  const arrayJobId = shards.length ? sbatch([`--array=${arraySpec(shards)}`, join(scripts, SHARDS_SCRIPT)]) : null;
  const deps = [...(arrayJobId ? [`afterok:${arrayJobId}`] : []), ...after.map((id) => `afterany:${id}`)];
  let mergeJobId: string;
  try {
    mergeJobId = sbatch([...(deps.length ? [`--dependency=${deps.join(',')}`] : []), join(scripts, MERGE_SCRIPT)]);
  } catch (e) {
    // never leave an array behind that jobs.json does not know of
    if (arrayJobId) jobs.submissions.push({ submittedAt: new Date().toISOString(), shards, arrayJobId, mergeJobId: '' });
    writeJobs(target, jobs);
    throw e;
  }
  const s: Submission = { submittedAt: new Date().toISOString(), shards, arrayJobId, mergeJobId };
  jobs.submissions.push(s);
  writeJobs(target, jobs);
  return s;
}

export type ShardState = 'done' | 'pending' | 'running' | 'failed' | 'missing';

export interface ShardStatus {
  readonly index: number;
  readonly state: ShardState;
  /** Slurm's own word for the job (PENDING, RUNNING, CANCELLED, FAILED, TIMEOUT, ...), when known. */
  readonly slurm?: string;
  /** `<array job id>_<index>` of its latest submission, when it was submitted. */
  readonly job?: string;
  /** Runs in its journal, and in its slice of the plan. */
  readonly runsDone: number;
  readonly runs: number;
  /** Failed runs, for a done shard. */
  readonly failedRuns?: number;
}

export interface ClusterStatus {
  readonly dir: string;
  readonly name: string;
  readonly shards: readonly ShardStatus[];
  readonly merge: { readonly state: 'done' | 'pending' | 'running' | 'failed' | 'none'; readonly job?: string; readonly slurm?: string; readonly reason?: string };
  /** Whether squeue (or sacct) answered, or nothing needed asking (else states other than done come from the folders only). */
  readonly slurmAnswered: boolean;
}

const RUNNING = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'STAGE_OUT', 'SIGNALING', 'RESIZING']);
const PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'SUSPENDED', 'STOPPED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);

interface JobState {
  state: string;
  reason: string;
}

/** States of a job's tasks (key: array index, or '' for a plain job), from squeue, then sacct; null when neither answers. */
function jobStates(jobId: string): Map<string, JobState> | null {
  const out = new Map<string, JobState>();
  let answered = false;
  try {
    const text = execFileSync('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%F|%K|%T|%r'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    answered = true;
    for (const line of text.split('\n')) {
      const [job, task, state, reason] = line.trim().split('|');
      if (job !== jobId || !state) continue;
      out.set(task === 'N/A' ? '' : task, { state, reason: reason ?? '' });
    }
  } catch {
    // squeue absent, or the job gone from its memory (it exits 1 for an id it no longer knows)
  }
  if (out.size) return out;
  try {
    const text = execFileSync('sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'JobID,State'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    answered = true;
    for (const line of text.split('\n')) {
      const [id, state] = line.trim().split('|');
      if (!id || !state) continue;
      const m = /^(\d+)(?:_(\d+))?$/.exec(id);
      if (!m || m[1] !== jobId) continue;
      out.set(m[2] ?? '', { state: state.split(' ')[0], reason: '' });
    }
  } catch {
    // no accounting
  }
  return answered ? out : null;
}

/** How many runs shard i of n holds when the sweep has `runs` runs. */
export function shardSize(runs: number, shards: number, index: number): number {
  return index < runs ? Math.ceil((runs - index) / shards) : 0;
}

/** Where each shard and the merge stand, from the folders and Slurm. */
export function clusterStatus(dir: string): ClusterStatus {
  const target = resolve(dir);
  const jobs = readJobs(target);
  const cache = new Map<string, Map<string, JobState> | null>();
  let asked = false;
  let answered = false;
  const states = (id: string) => {
    if (!cache.has(id)) {
      const s = jobStates(id);
      asked = true;
      if (s) answered = true;
      cache.set(id, s);
    }
    return cache.get(id) ?? null;
  };
  const shards: ShardStatus[] = [];
  for (let i = 0; i < jobs.shards; i++) {
    const folder = join(target, `shard-${i}`);
    const runs = shardSize(jobs.runs, jobs.shards, i);
    const journal = join(folder, JOURNAL_FILE);
    // a damaged journal or shard.json is named (DamagedFileError), not counted as done or as missing
    const runsDone = existsSync(journal) ? readJournal(journal).outcomes.size : 0;
    const sub = [...jobs.submissions].reverse().find((s) => s.arrayJobId && s.shards.includes(i));
    const job = sub ? `${sub.arrayJobId}_${i}` : undefined;
    const manifest = readShardManifest(folder);
    if (manifest) {
      const path = join(folder, SHARD_FILE);
      const remedy = `Run shard ${i} again (\`migov slurm --resubmit-missing ${target}\` after moving ${path} aside, or \`migov sweep <spec> --shard ${i}/${jobs.shards} --out ${folder}\`)`;
      if (manifest.specHash !== jobs.specHash) throw new DamagedFileError(path, `it belongs to spec ${manifest.specHash.slice(0, 12)}…, not to this work folder's ${jobs.specHash.slice(0, 12)}…`, remedy);
      if (manifest.shard.index !== i || manifest.shard.count !== jobs.shards) throw new DamagedFileError(path, `it is shard ${shardLabel(manifest.shard)}, but the folder is shard ${i}/${jobs.shards}`, remedy);
      if (manifest.runs !== runs || runsDone !== runs) throw new DamagedFileError(path, `it says ${manifest.runs} runs; the shard has ${runs} and its journal holds ${runsDone}`, remedy);
      for (const [file, sum] of Object.entries(manifest.files)) {
        const p = join(folder, file);
        if (!existsSync(p)) throw new DamagedFileError(p, `it is missing, but ${SHARD_FILE} lists it`, remedy);
        if (!statSync(p).isFile()) throw new DamagedFileError(p, 'it is not a regular file', remedy);
        if (sha256OfFile(p) !== sum) throw new DamagedFileError(p, `its sha256 does not match the one ${SHARD_FILE} records`, remedy);
      }
      shards.push({ index: i, state: 'done', job, runsDone, runs, failedRuns: manifest.failed });
      continue;
    }
    const s = sub ? states(sub.arrayJobId!)?.get(String(i)) : undefined;
    let state: ShardState = 'missing';
    if (s) state = RUNNING.has(s.state) ? 'running' : PENDING.has(s.state) ? 'pending' : 'failed';
    shards.push({ index: i, state, slurm: s?.state, job, runsDone, runs });
  }
  const last = jobs.submissions.at(-1);
  let merge: ClusterStatus['merge'] = { state: 'none' };
  if (existsSync(join(target, MERGED_DIR, 'manifest.json'))) merge = { state: 'done', job: last?.mergeJobId || undefined };
  else if (last?.mergeJobId) {
    const s = states(last.mergeJobId)?.get('');
    merge = {
      state: !s ? 'none' : RUNNING.has(s.state) ? 'running' : PENDING.has(s.state) ? 'pending' : 'failed',
      job: last.mergeJobId,
      slurm: s?.state,
      reason: s?.reason && s.reason !== 'None' ? s.reason : undefined,
    };
  }
  return { dir: target, name: jobs.name, shards, merge, slurmAnswered: answered || !asked };
}

/** The status as lines for a person. */
export function formatStatus(s: ClusterStatus): string {
  const count = (st: ShardState) => s.shards.filter((x) => x.state === st).length;
  const lines = [`${s.name}: ${s.shards.length} shard(s) in ${s.dir}`];
  for (const x of s.shards) {
    const slurm = x.slurm ? ` (${x.slurm}${x.job ? `, job ${x.job}` : ''})` : x.job ? ` (job ${x.job})` : '';
    const failed = x.failedRuns ? `, ${x.failedRuns} failed` : '';
    lines.push(`  shard ${x.index}: ${x.state}${slurm}: ${x.runsDone} of ${x.runs} runs${failed}`);
  }
  const m = s.merge;
  const mergeWord = m.state === 'done' ? `done: ${join(s.dir, MERGED_DIR)}` : m.state === 'none' ? 'not submitted' : m.state;
  lines.push(`  merge: ${mergeWord}${m.job && m.state !== 'done' ? ` (job ${m.job}${m.slurm ? `, ${m.slurm}` : ''}${m.reason ? `, ${m.reason}` : ''})` : ''}`);
  const bad = count('failed') + count('missing');
  lines.push(`${count('done')} done, ${count('running')} running, ${count('pending')} pending, ${count('failed')} failed, ${count('missing')} missing${s.slurmAnswered ? '' : ' (Slurm did not answer: states other than done come from the folders only)'}`);
  if (bad) lines.push(`Re-run only those: migov slurm --resubmit-missing ${s.dir}`);
  return lines.join('\n');
}

export interface Resubmission {
  readonly shards: readonly number[];
  readonly submission: Submission | null;
  /** A stale merge job cancelled first (its dependency can no longer be met). */
  readonly cancelledMerge: string | null;
  readonly why: string;
}

/**
 * Submits again only the shards that failed or are missing (one array of just those
 * indices, resuming their folders) and a new merge job after them; cancels the earlier
 * merge job when it still waits (its afterok can no longer be met). With every shard
 * done but no merged folder and no merge job waiting, submits the merge alone.
 */
export function resubmitMissing(dir: string): Resubmission {
  const target = resolve(dir);
  const status = clusterStatus(target);
  if (!status.slurmAnswered && readJobs(target).submissions.length > 0) {
    // without squeue a running shard looks missing: submitting it again would run it twice
    throw new SlurmError('squeue did not answer, so running shards cannot be told from missing ones; run this where Slurm answers');
  }
  if (status.merge.state === 'done') return { shards: [], submission: null, cancelledMerge: null, why: `already merged: ${join(target, MERGED_DIR)}` };
  const todo = status.shards.filter((s) => s.state === 'failed' || s.state === 'missing').map((s) => s.index);
  const busy = status.shards.filter((s) => s.state === 'pending' || s.state === 'running');
  if (todo.length === 0 && busy.length > 0) return { shards: [], submission: null, cancelledMerge: null, why: `${busy.length} shard(s) still pending or running; nothing failed` };
  if (todo.length === 0 && (status.merge.state === 'pending' || status.merge.state === 'running')) {
    return { shards: [], submission: null, cancelledMerge: null, why: `every shard is done and merge job ${status.merge.job} is ${status.merge.state}` };
  }
  let cancelledMerge: string | null = null;
  if (status.merge.job && status.merge.state === 'pending') {
    slurmCmd('scancel', [status.merge.job]);
    cancelledMerge = status.merge.job;
  }
  const after = [...new Set(busy.map((s) => s.job!.split('_')[0]))];
  const submission = submitJobs(target, todo, after);
  return { shards: todo, submission, cancelledMerge, why: todo.length ? `${todo.length} shard(s) failed or missing` : 'every shard is done; merge only' };
}
