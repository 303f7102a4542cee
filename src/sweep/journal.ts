// The sweep journal: one line per finished run, appended as runs finish, so that an
// interrupted sweep resumes without redoing them. Each line is
//   <sha256 of the JSON, 64 hex> <JSON of the RunOutcome>\n
// A line whose checksum does not match (a write cut short by kill -9 or a power
// loss) is dropped and its run redone, never merged. Lines are written with one
// write each and fsync'd at most every `syncEvery` lines or 200 ms, and always on close.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { sha256Hex } from '../engine/rng.ts';
import type { RunOutcome } from './run-task.ts';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalContents {
  /** The last valid record of each run key. */
  readonly outcomes: Map<string, RunOutcome>;
  /** Lines dropped because their checksum failed (cut-short writes). */
  readonly dropped: number;
  /** Valid records in the file, repeats included (for checking that nothing was redone). */
  readonly records: number;
}

export function formatRecord(o: RunOutcome): string {
  const json = JSON.stringify(o);
  return `${sha256Hex(json)} ${json}\n`;
}

export function readJournal(file: string): JournalContents {
  const outcomes = new Map<string, RunOutcome>();
  let dropped = 0;
  let records = 0;
  if (!existsSync(file)) return { outcomes, dropped, records };
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // a last line without its newline was cut short
  if (lines[lines.length - 1] !== '') {
    dropped++;
  }
  lines.pop();
  for (const line of lines) {
    const space = line.indexOf(' ');
    const sum = line.slice(0, space);
    const json = line.slice(space + 1);
    if (space !== 64 || sha256Hex(json) !== sum) {
      dropped++;
      continue;
    }
    const o = JSON.parse(json) as RunOutcome;
    outcomes.set(o.key, o);
    records++;
  }
  return { outcomes, dropped, records };
}

export interface JournalWriter {
  append(o: RunOutcome): void;
  close(): void;
}

/** Opens the journal for appending; first rewrites it with only its valid records, so a torn tail is gone. */
export function openJournal(file: string, valid: Iterable<RunOutcome>, syncEvery = 256): JournalWriter {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, [...valid].map(formatRecord).join(''));
  renameSync(tmp, file);
  const fd = openSync(file, 'a');
  let unsynced = 0;
  let last = Date.now();
  return {
    append(o) {
      writeSync(fd, formatRecord(o));
      unsynced++;
      const now = Date.now();
      if (unsynced >= syncEvery || now - last > 200) {
        fsyncSync(fd);
        unsynced = 0;
        last = now;
      }
    },
    close() {
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/** Rewrites the journal sorted by design point and replication, so a finished sweep's journal has the same bytes however it ran. */
export function sortJournal(file: string, outcomes: Iterable<RunOutcome>): void {
  const sorted = [...outcomes].sort((a, b) => a.point - b.point || a.replication - b.replication);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  for (let i = 0; i < sorted.length; i += 1000) writeSync(fd, sorted.slice(i, i + 1000).map(formatRecord).join(''));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}
