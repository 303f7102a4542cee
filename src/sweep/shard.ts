// Shards: one sweep split over n machines (or Slurm array tasks). Shard i of n runs
// the plan's tasks whose index k (in the plan's replication-major order) has
// k % n == i, so every shard covers the whole design a little, the shards are
// disjoint and their union is the plan. A shard runs like any sweep (its own
// sweep.json and journal, so it resumes), and when every run of its slice has an
// outcome it writes shard.json instead of the tables: what `migov merge` checks.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SpecError } from '../experiment/errors.ts';
import { DamagedFileError } from './damaged.ts';
import type { RunTask, SweepPlan } from './plan.ts';
import { versions } from './store.ts';
import { SWEEP_FILE, zodProblems } from './sweep-file.ts';

export const SHARD_FILE = 'shard.json';

export interface Shard {
  /** 0 .. count - 1, as Slurm's $SLURM_ARRAY_TASK_ID with --array=0-(count-1). */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` (e.g. `--shard 3/8`); a SpecError naming `source` when malformed. */
export function parseShard(text: string, source = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > 100000 || index >= count) {
    throw new SpecError(source, [{ field: '', message: `got ${JSON.stringify(text)}`, allowed: 'i/n with n from 1 to 100000 and i from 0 to n-1, e.g. 0/4 (Slurm: --shard $SLURM_ARRAY_TASK_ID/4 with --array=0-3)' }]);
  }
  return { index, count };
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The tasks of one shard: index k in the plan with k % count == index, in plan order. */
export function shardTasks(tasks: readonly RunTask[], shard: Shard): RunTask[] {
  return tasks.filter((_, k) => k % shard.count === shard.index);
}

/** The folder a shard writes to by default: <results>/<name>.shard-<i>-of-<n>. */
export function defaultShardDir(name: string, shard: Shard, resultsDir = 'results'): string {
  return join(resultsDir, `${name}.shard-${shard.index}-of-${shard.count}`);
}

/** What a finished shard says about itself in shard.json. */
export interface ShardManifest {
  readonly kind: 'sweep-shard';
  readonly migov: string;
  readonly shard: Shard;
  readonly specFile: string;
  /** The spec file's header comment when the shard ran (the merged manifest's `question`). */
  readonly question: string;
  readonly spec: SweepPlan['spec'];
  readonly specHash: string;
  readonly seed: SweepPlan['spec']['seed'];
  /** Runs in this shard's slice of the plan (each has one record in the journal). */
  readonly runs: number;
  /** Runs of the slice that failed (recorded in the journal with their error). */
  readonly failed: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly node: string;
  /** sha256 of each file of the shard that merge reads. */
  readonly files: Record<string, string>;
}

/** The files a shard.json may list: the ones merge reads (a name outside the folder is refused, never read). */
export const SHARD_FILES = ['journal.jsonl', SWEEP_FILE] as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 hex digits)');
const isoTime = z.string().min(1);

const shardManifestSchema = z.object({
  kind: z.literal('sweep-shard'),
  migov: z.string(),
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1).max(100000) }).refine((s) => s.index < s.count, 'index must be below count'),
  specFile: z.string(),
  question: z.string(),
  spec: z.record(z.string(), z.unknown()),
  specHash: sha256Hex,
  seed: z.union([z.number().int(), z.string().min(1)]),
  runs: z.number().int().min(0),
  failed: z.number().int().min(0),
  startedAt: isoTime,
  endedAt: isoTime,
  node: z.string(),
  files: z
    .record(z.string(), sha256Hex)
    .refine((f) => Object.keys(f).every((name) => (SHARD_FILES as readonly string[]).includes(name)), `only ${SHARD_FILES.join(' and ')} may be listed`)
    .refine((f) => SHARD_FILES.every((name) => name in f), `must list ${SHARD_FILES.join(' and ')}`),
});

/**
 * A folder's shard.json: null when it has none; a DamagedFileError naming it when it
 * is not a file, not JSON, or not what a finished shard writes. Its files' hashes and
 * its spec hash are checked by `migov merge`.
 */
export function readShardManifest(folder: string): ShardManifest | null {
  const path = join(folder, SHARD_FILE);
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  const remedy = `Run the shard's \`migov sweep <spec> --shard i/n --out ${folder}\` again: it checks the journal and writes shard.json anew (no finished run is run again)`;
  if (!st.isFile()) throw new DamagedFileError(path, `it is ${st.isDirectory() ? 'a folder' : 'not a regular file'}, not the shard manifest a finished shard writes`, `Move it aside. ${remedy}`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DamagedFileError(path, `not valid JSON, perhaps cut short (${(e as Error).message})`, remedy);
  }
  const parsed = shardManifestSchema.safeParse(value);
  if (!parsed.success) throw new DamagedFileError(path, `not a shard manifest: ${zodProblems(parsed.error)}`, remedy);
  return parsed.data as unknown as ShardManifest;
}

export function sha256OfFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function writeShardManifest(
  dir: string,
  plan: SweepPlan,
  shard: Shard,
  meta: { file: string; question: string; runs: number; failed: number; startedAt: string; endedAt: string },
  fileNames: readonly string[],
): ShardManifest {
  const files: Record<string, string> = {};
  for (const f of [...fileNames].sort()) files[f] = sha256OfFile(join(dir, f));
  const manifest: ShardManifest = {
    kind: 'sweep-shard',
    migov: versions().migov,
    shard,
    specFile: meta.file,
    question: meta.question,
    spec: plan.spec,
    specHash: plan.specHash,
    seed: plan.spec.seed,
    runs: meta.runs,
    failed: meta.failed,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    node: process.version,
    files,
  };
  const path = join(dir, SHARD_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return manifest;
}

/** The shard a folder belongs to, from its shard.json or (while unfinished) its sweep.json; null if neither says. */
export function shardOfFolder(dir: string): Shard | null {
  for (const f of [SHARD_FILE, SWEEP_FILE]) {
    const path = join(dir, f);
    if (!existsSync(path)) continue;
    try {
      const s = (JSON.parse(readFileSync(path, 'utf8')) as { shard?: Shard }).shard;
      if (s && Number.isInteger(s.index) && Number.isInteger(s.count)) return { index: s.index, count: s.count };
    } catch {
      // unreadable: not a shard we can name
    }
  }
  return null;
}
