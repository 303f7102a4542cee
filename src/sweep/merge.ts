// `migov merge`: the shards of one sweep (see shard.ts) into the folder a
// single-machine sweep of the same spec writes. Every check runs before anything is
// written: each folder's shard.json (same spec hash, master seed and shard count;
// shards 0..n-1 each present once), each file's sha256 against it, each journal's
// runs against the shard's slice of the plan (none missing, none elsewhere too). The
// folder is then written in a temporary folder beside the target, through the same
// writeSweepOutputs as runSweep (then `finish`, where the CLI and the API make the
// report: report/ sits above sweep/), and renamed into place at the end.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { specHash } from './experiment.ts';
import { DamagedFileError } from './damaged.ts';
import { JOURNAL_FILE, readJournal } from './journal.ts';
import { type SweepPlan, planSweep } from './plan.ts';
import type { RunOutcome } from './run-task.ts';
import { SHARD_FILE, type ShardManifest, readShardManifest, sha256OfFile, shardLabel, shardOfFolder, shardTasks } from './shard.ts';
import { type SweepMarker, readSweepMarker } from './sweep-file.ts';
import { claimOutput, makeTemp, removeTemp, replaceFolder } from './folder.ts';
import { SWEEP_FILE, writeSweepOutputs } from './sweep.ts';

/** Shards that cannot be merged: each problem names the folder or the shard. Nothing was written. */
export class MergeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot merge: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}\nNothing was written.`);
    this.name = 'MergeError';
  }
}

export interface MergeOptions {
  /** The merged folder (must not exist, or be empty, unless `force`). */
  readonly out: string;
  /** Move an existing `out` aside (to `<out>.old-N`, never deleted) instead of refusing. */
  readonly force?: boolean;
  /** Called on the complete temporary folder before the rename (e.g. writeReport); a throw leaves nothing written. */
  readonly finish?: (dir: string) => Promise<void>;
}

export interface MergeResult {
  readonly dir: string;
  readonly plan: SweepPlan;
  readonly shards: number;
  readonly total: number;
  readonly failed: readonly RunOutcome[];
  /** sha256 of each file in the merged manifest (after `finish`). */
  readonly files: Record<string, string>;
}

interface LoadedShard {
  readonly folder: string;
  readonly manifest: ShardManifest;
}

/** A folder's shard.json, or null with the problem recorded (and, when its sweep.json says which shard it is, that shard in `named`). */
function loadShardManifest(folder: string, problems: string[], named: Set<string>): ShardManifest | null {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    problems.push(`${folder}: no such folder`);
    return null;
  }
  const s = shardOfFolder(folder);
  let m: ShardManifest | null;
  try {
    m = readShardManifest(folder);
  } catch (e) {
    if (!(e instanceof DamagedFileError)) throw e;
    if (s) named.add(shardLabel(s));
    problems.push(`${e.message}${s ? ` (shard ${shardLabel(s)}, by its ${SWEEP_FILE})` : ''}`);
    return null;
  }
  if (!m) {
    let runs = 0;
    try {
      runs = readJournal(join(folder, JOURNAL_FILE)).outcomes.size;
    } catch (e) {
      if (!(e instanceof DamagedFileError)) throw e;
      problems.push(e.message);
    }
    if (s) named.add(shardLabel(s));
    problems.push(
      s
        ? `shard ${shardLabel(s)} (${folder}) has not finished: no ${SHARD_FILE}, ${runs} run(s) in its journal; run the same \`migov sweep --shard ${shardLabel(s)}\` again to resume it`
        : `${folder}: no ${SHARD_FILE}; not a finished shard of a sweep (\`migov sweep <spec> --shard i/n\` writes one)`,
    );
    return null;
  }
  return m;
}

/**
 * Checks the shard folders and merges them into `opts.out`. Throws MergeError (every
 * problem found, each naming its shard or folder) or OutputError, with nothing written.
 */
export async function mergeShards(folders: readonly string[], opts: MergeOptions): Promise<MergeResult> {
  const problems: string[] = [];
  if (folders.length === 0) throw new MergeError(['no shard folders given']);

  // 1. every folder a finished shard, all of one sweep
  const loaded: LoadedShard[] = [];
  const named = new Set<string>();
  for (const f of folders) {
    const m = loadShardManifest(resolve(f), problems, named);
    if (m) loaded.push({ folder: resolve(f), manifest: m });
  }
  const first = loaded[0]?.manifest;
  if (!first) throw new MergeError(problems);
  const unreadable = problems.length;
  for (const { folder, manifest: m } of loaded.slice(1)) {
    if (m.specHash !== first.specHash) problems.push(`${folder}: shard of a different spec (spec hash ${m.specHash.slice(0, 12)}…, not ${first.specHash.slice(0, 12)}… as ${loaded[0].folder})`);
    else if (JSON.stringify(m.seed) !== JSON.stringify(first.seed)) problems.push(`${folder}: master seed ${JSON.stringify(m.seed)}, not ${JSON.stringify(first.seed)} as ${loaded[0].folder}`);
    if (m.shard.count !== first.shard.count) problems.push(`${folder}: shard ${shardLabel(m.shard)} of a ${m.shard.count}-way split, not ${first.shard.count} as ${loaded[0].folder}`);
  }
  // the spec recorded must be the one hashed (a hand-edited shard.json is corrupt)
  for (const { folder, manifest: m } of loaded) {
    if (specHash(m.spec) !== m.specHash) problems.push(`${join(folder, SHARD_FILE)}: corrupt: its spec does not hash to its specHash`);
    else if (JSON.stringify(m.seed) !== JSON.stringify(m.spec.seed)) problems.push(`${join(folder, SHARD_FILE)}: corrupt: its seed ${JSON.stringify(m.seed)} is not its spec's ${JSON.stringify(m.spec.seed)}`);
  }
  if (problems.length > unreadable) throw new MergeError(problems);

  // 2. shards 0..n-1, each once (a folder that could not be read above is still named, and so is the shard it should have been)
  const n = first.shard.count;
  const byIndex = new Map<number, LoadedShard>();
  for (const s of loaded) {
    const i = s.manifest.shard.index;
    if (i < 0 || i >= n) problems.push(`${s.folder}: shard index ${i} is outside 0..${n - 1}`);
    else if (byIndex.has(i)) problems.push(`shard ${i}/${n} given twice: ${byIndex.get(i)!.folder} and ${s.folder}`);
    else byIndex.set(i, s);
  }
  const absent = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i) && !named.has(`${i}/${n}`));
  for (const i of absent) problems.push(`shard ${i}/${n} is missing: none of the folders given is that shard (run \`migov sweep <spec> --shard ${i}/${n}\`, or \`migov slurm --resubmit-missing <dir>\`)`);

  // 3. every file as its shard.json recorded it
  for (const { folder, manifest: m } of byIndex.values()) {
    for (const [file, sum] of Object.entries(m.files)) {
      const path = join(folder, file);
      if (!existsSync(path)) problems.push(`shard ${shardLabel(m.shard)}: ${path} is missing`);
      else if (!statSync(path).isFile()) problems.push(`shard ${shardLabel(m.shard)}: ${path} is damaged: not a regular file`);
      else if (sha256OfFile(path) !== sum) problems.push(`shard ${shardLabel(m.shard)}: ${path} is corrupt: its sha256 does not match ${SHARD_FILE}`);
    }
  }
  if (problems.length) throw new MergeError(problems);

  // the session logs, read now so that a damaged one stops the merge before anything is written
  const logs = new Map<number, SweepMarker>();
  for (const [i, { folder, manifest: m }] of byIndex) {
    try {
      const marker = readSweepMarker(folder);
      if (!marker) problems.push(`shard ${shardLabel(m.shard)}: ${join(folder, SWEEP_FILE)} is missing`);
      else if (marker.specHash !== m.specHash || marker.shard?.index !== m.shard.index || marker.shard?.count !== m.shard.count) {
        problems.push(`shard ${shardLabel(m.shard)}: ${join(folder, SWEEP_FILE)} is damaged: it belongs to ${marker.shard ? `shard ${shardLabel(marker.shard)}` : 'a whole sweep'} of spec ${marker.specHash.slice(0, 12)}…, not to this shard`);
      } else logs.set(i, marker);
    } catch (e) {
      if (!(e instanceof DamagedFileError)) throw e;
      problems.push(`shard ${shardLabel(m.shard)}: ${e.message}`);
    }
  }
  if (problems.length) throw new MergeError(problems);

  // 4. every run of the plan exactly once, in the shard whose slice holds it
  const plan = planSweep(first.spec, first.specFile);
  const planScope = { tasks: new Map(plan.tasks.map((t) => [t.key, t])), name: 'the plan' };
  const outcomes = new Map<string, RunOutcome>();
  const holder = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const { folder, manifest: m } = byIndex.get(i)!;
    const label = `shard ${shardLabel(m.shard)} (${folder})`;
    const slice = new Map(shardTasks(plan.tasks, m.shard).map((t) => [t.key, t]));
    let journal: ReturnType<typeof readJournal>;
    try {
      // checked against the whole plan: a run of another shard's slice is named below, with the shard that holds it
      journal = readJournal(join(folder, JOURNAL_FILE), planScope);
    } catch (e) {
      if (!(e instanceof DamagedFileError)) throw e;
      problems.push(`${label}: ${e.message}`);
      continue;
    }
    if (journal.dropped > 0) problems.push(`${label}: ${journal.dropped} journal line(s) fail their checksum`);
    if (journal.records !== journal.outcomes.size) problems.push(`${label}: the journal holds ${journal.records - journal.outcomes.size} repeated record(s)`);
    for (const [key, o] of journal.outcomes) {
      if (holder.has(key)) {
        problems.push(`run ${key} is duplicated: in ${holder.get(key)} and in ${label}`);
        continue;
      }
      holder.set(key, label);
      const task = slice.get(key);
      if (!task) problems.push(`${label}: run ${key} does not belong to this shard's slice of the plan`);
      else if (task.seed !== o.seed) problems.push(`${label}: run ${key} has seed ${o.seed}, not the plan's ${task.seed}`);
      outcomes.set(key, o);
    }
    const lacking = [...slice.keys()].filter((k) => !journal.outcomes.has(k));
    if (lacking.length) problems.push(`${label}: ${lacking.length} run(s) of its slice missing from its journal (${lacking.slice(0, 5).join(', ')}${lacking.length > 5 ? ', …' : ''})`);
    if (slice.size !== m.runs) problems.push(`${label}: ${join(folder, SHARD_FILE)} is damaged: it says ${m.runs} runs, but its slice of the plan has ${slice.size}`);
    const failed = [...journal.outcomes.values()].filter((o) => !o.ok).length;
    if (failed !== m.failed) problems.push(`${label}: ${join(folder, SHARD_FILE)} is damaged: it says ${m.failed} failed run(s), but its journal records ${failed}`);
  }
  if (problems.length) throw new MergeError(problems);

  // 5. write beside the target, then swap it into place (see folder.ts)
  const claim = claimOutput(opts.out, { kind: 'merge', force: opts.force, reuse: () => 'it exists and is not empty' });
  const target = claim.dir;
  let tmp: string;
  try {
    tmp = makeTemp(target, 'merge', plan.specHash);
  } catch (e) {
    claim.lock.release();
    throw e;
  }
  try {
    const ordered = Array.from({ length: n }, (_, i) => byIndex.get(i)!);
    const shards = ordered.map((s) => s.manifest);
    const startedAt = shards.map((m) => m.startedAt).sort()[0];
    const endedAt = new Date().toISOString();
    // sweep.json: the session log, each shard's sessions tagged with it, then this merge
    const sessions: unknown[] = [];
    for (const s of ordered) {
      for (const session of logs.get(s.manifest.shard.index)!.sessions) sessions.push({ shard: shardLabel(s.manifest.shard), ...session });
    }
    sessions.push({ merged: n, at: endedAt });
    writeFileSync(join(tmp, SWEEP_FILE), `${JSON.stringify({ specHash: plan.specHash, sessions }, null, 2)}\n`);

    writeSweepOutputs(tmp, plan, outcomes, { file: first.specFile, question: first.question, startedAt, endedAt });
    await opts.finish?.(tmp);
    const files = (JSON.parse(readFileSync(join(tmp, 'manifest.json'), 'utf8')) as { files: Record<string, string> }).files;
    replaceFolder(tmp, target);
    const failed = [...outcomes.values()].filter((o) => !o.ok).sort((a, b) => a.point - b.point || a.replication - b.replication);
    return { dir: target, plan, shards: n, total: plan.tasks.length, failed, files };
  } catch (e) {
    removeTemp(tmp);
    throw e;
  } finally {
    claim.lock.release();
  }
}
