// A sweep that keeps no outcome in memory (issue 18): the journal is read and rewritten
// record by record, and the tables are written from the sorted journal. These hold the
// streaming pieces to what the in-memory ones gave: the rewritten journal of a resume
// has openJournal's bytes, long lines and chunk boundaries read whole, a journal that
// cannot be sorted line by line is sorted from its records, and a sweep whose first
// design points failed still summarises them in point order.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/experiment/load.ts';
import type { Executor } from '../../src/sweep/executor.ts';
import { inProcessExecutor } from '../../src/sweep/executor.ts';
import { formatRecord, openJournal, readJournal, reopenJournal, scanJournal, sortJournal, sortJournalRuns } from '../../src/sweep/journal.ts';
import type { RunOutcome } from '../../src/sweep/run-task.ts';
import { runSweep } from '../../src/sweep/sweep.ts';
import { tempDir } from '../cli/helpers.ts';
import { readCsv } from '../cli/sweep-helpers.ts';

const outcome = (point: number, replication: number, extra: Partial<RunOutcome> = {}): RunOutcome => ({
  key: `${point}-${replication}`,
  point,
  replication,
  seed: `s${point}-${replication}`,
  ok: true,
  metrics: ['a', 'b'],
  final: [point + replication / 10, NaN],
  roundsRun: 3,
  stoppedBy: 'rounds',
  ...extra,
});

const failedOutcome = (point: number, replication: number): RunOutcome => ({ ...outcome(point, replication), ok: false, error: 'it threw', metrics: [], final: [], roundsRun: 0, stoppedBy: 'error' });

/** A journal with a repeated run (its later record wins), a failed run, a line with a bad checksum and a torn tail. */
function messyJournal(file: string): void {
  const lines = [
    formatRecord(outcome(2, 0)),
    formatRecord(outcome(0, 1, { final: [1, 2] })),
    `${'0'.repeat(64)} {"key":"1-1"}\n`,
    formatRecord(failedOutcome(1, 0)),
    formatRecord(outcome(0, 1, { final: [3, Infinity] })),
    formatRecord(outcome(0, 0)),
  ];
  writeFileSync(file, `${lines.join('')}${formatRecord(outcome(1, 1)).slice(0, 40)}`);
}

const slots = ['0-0', '0-1', '1-0', '1-1', '2-0', '2-1'];
const slotOf = (key: string) => slots.indexOf(key);

describe('a sweep that keeps no outcomes', () => {
  it('rewrites a resumed journal with the bytes openJournal writes from readJournal, with and without the failed runs', () => {
    const dir = tempDir('migov-flat-');
    for (const dropFailed of [false, true]) {
      const a = join(dir, `a${dropFailed}.jsonl`);
      const b = join(dir, `b${dropFailed}.jsonl`);
      messyJournal(a);
      messyJournal(b);
      const read = readJournal(a);
      const kept = [...read.outcomes.values()].filter((o) => o.ok || !dropFailed);
      openJournal(a, kept).close();

      const ok = new Map<number, boolean>();
      const scan = scanJournal(b, undefined, slots.length, slotOf, (o, slot) => ok.set(slot, o.ok));
      // no scope check here: the test's runs are not a plan's
      expect({ dropped: scan.dropped, records: scan.records }).toEqual({ dropped: read.dropped, records: read.records });
      reopenJournal(b, scan, (slot) => ok.get(slot) === true || !dropFailed).close();
      expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
      expect(readFileSync(b, 'utf8').split('\n').length - 1).toBe(dropFailed ? 3 : 4);
    }
  });

  it('reads lines longer than its read buffer and lines across its chunks whole', () => {
    const dir = tempDir('migov-flat-');
    const file = join(dir, 'journal.jsonl');
    // 3 series of 60,000 values (each line over 1 MB), then many short lines
    const long = [0, 1, 2].map((r) => outcome(0, r, { series: { rounds: Array.from({ length: 60_000 }, (_, i) => i), values: Array.from({ length: 60_000 }, (_, i) => [i / 7, -i - 1]) } }));
    const short = Array.from({ length: 5_000 }, (_, i) => outcome(1 + (i % 50), Math.floor(i / 50)));
    writeFileSync(file, [...long, ...short].map(formatRecord).join(''));
    const back = readJournal(file);
    expect(back.records).toBe(5_003);
    expect(back.dropped).toBe(0);
    expect(back.outcomes.get('0-2')).toEqual(long[2]);
    expect(back.outcomes.get('50-99')).toEqual(short[4_999]);
  });

  it('sorts a journal that repeats a run from its records, keeping the last', () => {
    const dir = tempDir('migov-flat-');
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const records = [outcome(1, 0), outcome(0, 0, { final: [9, 9] }), outcome(0, 1), outcome(0, 0)];
    writeFileSync(a, records.map(formatRecord).join(''));
    writeFileSync(b, records.map(formatRecord).join(''));
    const done = readJournal(a).outcomes;
    sortJournal(a, done);
    sortJournalRuns(b, { size: 3, has: (key) => done.has(key) });
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    expect(readFileSync(b, 'utf8')).toBe([outcome(0, 0), outcome(0, 1), outcome(1, 0)].map(formatRecord).join(''));
  });

  it('summarises design points whose runs all failed, in point order, also when they come first', async () => {
    const dir = tempDir('migov-flat-');
    const spec = validateSpec(
      {
        name: 'first-fail',
        model: 'linear-pgg',
        params: { Z: 30, N: 3, r: 3, c: 1 },
        protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.05 },
        rounds: 4,
        recordEvery: 2,
        replications: 2,
        seed: 'flat',
        sweep: { design: 'grid', factors: [{ path: 'params.r', values: [2, 3, 4, 5] }] },
      },
      '<test>',
    );
    const inner = inProcessExecutor();
    // points 0 and 2 fail in every replication
    const failing: Executor = {
      workers: 1,
      execute: (tasks, onOutcome, stopped) => inner.execute(tasks, (o) => onOutcome(o.point % 2 === 0 ? { ...failedOutcome(o.point, o.replication), seed: o.seed } : o), stopped),
      close: () => inner.close(),
    };
    const r = await runSweep(spec, { file: '<test>', dir: join(dir, 'out'), executor: failing });
    expect(r.complete).toBe(true);
    expect(r.failed.map((o) => o.key)).toEqual(['0-0', '0-1', '2-0', '2-1']);
    const summary = readCsv(r.dir, 'summary.csv');
    const metrics = [...new Set(summary.map((s) => s.metric))];
    expect(metrics.length).toBeGreaterThan(0);
    expect(summary.map((s) => `${s.point}:${s.metric}`)).toEqual([0, 1, 2, 3].flatMap((p) => metrics.map((m) => `${p}:${m}`)));
    expect(summary.filter((s) => s.point === '0' || s.point === '2').every((s) => s.n === '0' && s.mean === '')).toBe(true);
    expect(summary.filter((s) => s.point === '1' || s.point === '3').every((s) => s.n === '2')).toBe(true);
    expect(readCsv(r.dir, 'runs.csv').map((x) => x.point)).toEqual(['1', '1', '3', '3']);
    expect(readCsv(r.dir, 'failures.csv').map((x) => `${x.point}-${x.replication}`)).toEqual(['0-0', '0-1', '2-0', '2-1']);
  });
});
