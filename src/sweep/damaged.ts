// A file that migov wrote and now reads back (journal.jsonl, sweep.json, shard.json,
// a Slurm shard folder's files) that is not what migov writes: cut short, edited, or
// replaced. The message names the file, what is wrong with it and what to do; the CLI
// prints it and exits with code 2. Nothing is written once one is found.
//
// What the checks catch and what they cannot: the sha256 checksums in the journal and
// in shard.json and manifest.json are unkeyed. They catch accidents (a write torn by
// kill -9 or a power loss, truncation, bit rot, a file from another sweep copied in),
// and the checks of each record against the plan (its run in the plan, the planned
// seed, the metrics the model reports, numbers where numbers go) catch most edits by
// hand. They do not stop someone who edits a value and recomputes the checksums: a key
// kept beside the files would be readable by anyone able to edit them.

export class DamagedFileError extends Error {
  constructor(
    /** The damaged file (as given: absolute or relative to the working folder). */
    readonly file: string,
    /** What is wrong with it. */
    readonly problem: string,
    /** What to do about it. */
    readonly remedy: string,
  ) {
    super(`${file} is damaged: ${problem}. ${remedy}`);
    this.name = 'DamagedFileError';
  }
}

/** A value for a message: JSON, cut to a readable length. */
export function shown(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
