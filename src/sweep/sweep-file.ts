// sweep.json: which spec (and which shard of it) a sweep folder belongs to, and the log
// of its sessions. It is read before any run starts and checked against a schema, so a
// damaged one is named at once (DamagedFileError), never found after every run is done.
import { existsSync, lstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DamagedFileError } from './damaged.ts';
import type { Shard } from './shard.ts';

export const SWEEP_FILE = 'sweep.json';

/** One session's entry; sessions of a shard carry its label and a merge adds `{ merged, at }`, so beyond an object nothing is required. */
export type SweepSession = Record<string, unknown>;

export interface SweepMarker {
  readonly specHash: string;
  readonly shard?: Shard;
  readonly sessions: SweepSession[];
}

const sweepMarkerSchema = z.object({
  specHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits (the sha256 of the spec)'),
  shard: z
    .object({ index: z.number().int().min(0), count: z.number().int().min(1) })
    .refine((s) => s.index < s.count, 'index must be below count')
    .optional(),
  sessions: z.array(z.record(z.string(), z.unknown())),
});

/** What to do about a damaged sweep.json. */
function remedy(path: string): string {
  return (
    `Its runs are kept in journal.jsonl beside it. To resume from them, move it aside (e.g. \`mv ${path} ${path}.damaged\`) and run the same command again: ` +
    'every journal record is checked against the plan, and only the missing runs run. Or use --force to move the whole folder aside and start over (nothing is deleted).'
  );
}

/** The problems of a value that fails a zod schema, as `field: message` parts. */
export function zodProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? `field "${i.path.join('.')}"` : 'the file'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads a folder's sweep.json: null when there is none; a DamagedFileError naming it
 * when it is not a file, not JSON, or not what `migov sweep` writes.
 */
export function readSweepMarker(dir: string): SweepMarker | null {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path) && !isLink(path)) return null;
  const st = lstatSync(path);
  if (!st.isFile()) throw new DamagedFileError(path, `it is ${st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, not the file \`migov sweep\` writes`, remedy(path));
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DamagedFileError(path, `not valid JSON, perhaps cut short (${(e as Error).message})`, remedy(path));
  }
  const parsed = sweepMarkerSchema.safeParse(value);
  if (!parsed.success) throw new DamagedFileError(path, `not a sweep's record: ${zodProblems(parsed.error)}`, remedy(path));
  return parsed.data as SweepMarker;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes sweep.json through a temporary file, so a kill leaves the old one or the new one. */
export function writeSweepMarker(dir: string, marker: SweepMarker): void {
  const path = join(dir, SWEEP_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
