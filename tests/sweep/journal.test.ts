// The journal's record format: what goes in comes back, non-finite values included
// (JSON has none: a NaN read back as null would print "null" in runs.csv and count as
// 0 in a mean after a resume, where a fresh sweep has NaN).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/rng.ts';
import { formatRecord, readJournal } from '../../src/sweep/journal.ts';
import type { RunOutcome } from '../../src/sweep/run-task.ts';

const dir = mkdtempSync(join(tmpdir(), 'migov-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcome: RunOutcome = {
  key: '0-1',
  point: 0,
  replication: 1,
  seed: 'abc',
  ok: true,
  metrics: ['a', 'b', 'c', 'd'],
  final: [NaN, Infinity, -Infinity, 0.5],
  roundsRun: 3,
  stoppedBy: 'rounds',
  series: { rounds: [0, 3], values: [[1, NaN, 2, 3], [NaN, Infinity, -Infinity, -0.25]] },
};

describe('journal records', () => {
  it('read back NaN and infinities as they were written', () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, formatRecord(outcome));
    const back = readJournal(file).outcomes.get('0-1')!;
    expect(back).toEqual(outcome);
    expect(formatRecord(back)).toBe(formatRecord(outcome));
  });

  it('read null (as journals before non-finite values were spelled out wrote them) as NaN', () => {
    const file = join(dir, 'b.jsonl');
    const json = JSON.stringify({ ...outcome, final: [null, 1, 2, 3], series: undefined });
    writeFileSync(file, `${sha256Hex(json)} ${json}\n`);
    expect(readJournal(file).outcomes.get('0-1')!.final).toEqual([NaN, 1, 2, 3]);
  });

  it('keep a record without series without one', () => {
    const file = join(dir, 'c.jsonl');
    const { series: _, ...bare } = outcome;
    writeFileSync(file, formatRecord(bare));
    const back = readJournal(file).outcomes.get('0-1')!;
    expect('series' in back).toBe(false);
    expect(formatRecord(back)).toBe(formatRecord(bare));
  });
});
