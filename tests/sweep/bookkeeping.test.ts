// The sweep's cheap bookkeeping gives the bytes of the plain way: sortJournal copies
// the journal's own lines in order (the bytes of formatting every outcome again),
// and falls back to formatting when the file does not hold exactly one line per
// outcome; csvLine (the tables' row writer) gives csv-stringify's bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_OPTIONS, csvLine } from '../../src/sweep/csv.ts';
import { formatRecord, sortJournal, sortJournalLines } from '../../src/sweep/journal.ts';
import type { RunOutcome } from '../../src/sweep/run-task.ts';

const dir = mkdtempSync(join(tmpdir(), 'migov-bookkeeping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function outcome(point: number, replication: number, width: number): RunOutcome {
  const final = Array.from({ length: width }, (_, i) => (i === 1 ? NaN : (point * 31 + replication * 7 + i) / 3));
  return { key: `${point}-${replication}`, point, replication, seed: `s${point}x${replication}`, ok: true, metrics: final.map((_, i) => `m${i}`), final, roundsRun: 5, stoppedBy: 'rounds' };
}

const sortedText = (done: Map<string, RunOutcome>) =>
  [...done.values()]
    .sort((a, b) => a.point - b.point || a.replication - b.replication)
    .map(formatRecord)
    .join('');

describe('sortJournal', () => {
  it('property: a journal in any order, of lines of any length, is rewritten as its outcomes sorted and formatted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4000 }), fc.nat(), (points, reps, width, shuffle) => {
        const all: RunOutcome[] = [];
        for (let r = 0; r < reps; r++) for (let p = 0; p < points; p++) all.push(outcome(p, r, width));
        // a fixed shuffle from the drawn number
        for (let i = all.length - 1; i > 0; i--) {
          const j = (shuffle + i * 7919) % (i + 1);
          [all[i], all[j]] = [all[j], all[i]];
        }
        const done = new Map(all.map((o) => [o.key, o]));
        const file = join(dir, 'j.jsonl');
        writeFileSync(file, all.map(formatRecord).join(''));
        // the fast path itself, not the fallback
        expect(sortJournalLines(file, done)).toBe(true);
        expect(readFileSync(file, 'utf8')).toBe(sortedText(done));
      }),
      { numRuns: 25 },
    );
  });

  it('writes from the outcomes when the file lacks a run, repeats one, has a torn line or is missing', () => {
    const all = [outcome(0, 0, 3), outcome(1, 0, 3), outcome(0, 1, 3)];
    const done = new Map(all.map((o) => [o.key, o]));
    const file = join(dir, 'k.jsonl');
    for (const text of [formatRecord(all[0]) + formatRecord(all[1]), all.map(formatRecord).join('') + formatRecord(all[0]), all.map(formatRecord).join('').slice(0, -5), 'not a journal\n']) {
      writeFileSync(file, text);
      expect(sortJournalLines(file, done)).toBe(false);
      sortJournal(file, done);
      expect(readFileSync(file, 'utf8')).toBe(sortedText(done));
    }
    rmSync(file);
    sortJournal(file, done);
    expect(readFileSync(file, 'utf8')).toBe(sortedText(done));
  });
});

describe('csvLine', () => {
  it("property: gives csv-stringify's bytes under CSV_OPTIONS for any cells", () => {
    const cell = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string({ unit: fc.constantFrom('a', '1', '-', '=', '+', '@', '\t', '\r', '\n', '"', ',', "'", ' ', '.', 'e', 'é', 'Infinity') }),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        expect(csvLine(cells)).toBe(stringify([cells], CSV_OPTIONS));
      }),
      { numRuns: 2000 },
    );
  });
});
