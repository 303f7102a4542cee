// Resuming: a real `kill -9` of a `migov sweep` child process mid-run, then the same
// command again; and a journal whose last line was torn and one of whose records was
// corrupted. Either way the finished folder must have the same bytes as a sweep that
// was never interrupted, and the session log must show that no finished run was redone.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/experiment/load.ts';
import { readJournal } from '../../src/sweep/journal.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { BIN, migov, tempDir, writeSpec } from './helpers.ts';
import { GRID_SPEC, SLOW_SPEC, journalKeys, sessions, stableBytes } from './sweep-helpers.ts';

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
}

describe('kill -9 mid-sweep, then the same command', () => {
  it('resumes without redoing a run and ends byte-identical to an uninterrupted sweep', async () => {
    const dir = tempDir();
    const file = writeSpec(dir, 'slow.yaml', SLOW_SPEC);
    const plan = planSweep(loadSpec(file), file);
    const total = plan.tasks.length;
    expect(total).toBe(80);

    // the interrupted sweep, one worker so that the journal's order is the schedule's
    const out = join(dir, 'k');
    const journal = join(out, 'journal.jsonl');
    const child = spawn(process.execPath, [BIN, 'sweep', 'slow.yaml', '--out', 'k', '--workers', '1', '--quiet', '--no-report'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => lines(journal) >= 8 || child.exitCode !== null, 'the journal to fill');
    child.kill('SIGKILL');
    expect(await exited, 'the sweep must still be running when killed').toBe('SIGKILL');

    // what the killed session left: whole checksummed records, no tables
    const before = readJournal(journal);
    const kept = before.outcomes.size;
    expect(kept).toBeGreaterThanOrEqual(8);
    expect(kept).toBeLessThan(total);
    expect(before.records).toBe(kept);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
    // replication-major: the runs done are the schedule's first ones, point by point of replication 0
    expect(journalKeys(out)).toEqual(plan.tasks.slice(0, journalKeys(out).length).map((t) => t.key));
    expect(plan.tasks.slice(0, 20).map((t) => t.key)).toEqual([...Array(20).keys()].map((p) => `${p}-0`));

    // resume with a different number of workers
    const resumed = migov(['sweep', 'slow.yaml', '--out', 'k', '--workers', '2', '--quiet', '--no-report'], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const alreadyDone = before.outcomes.size;
    expect(resumed.stdout).toContain(`${alreadyDone} already done, ${total - alreadyDone} run now`);
    const log = sessions(out);
    // the killed session never reached its log entry; the resumed one ran exactly the rest
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ alreadyDone, ran: total - alreadyDone, droppedRecords: 0, workers: 2 });

    // an uninterrupted sweep for comparison
    const clean = migov(['sweep', 'slow.yaml', '--out', 'c', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(clean.code).toBe(0);
    const cleanBytes = stableBytes(join(dir, 'c'));
    expect(cleanBytes['runs.csv']!.split('\n')).toHaveLength(total + 2);
    expect(stableBytes(out)).toEqual(cleanBytes);

    // and running it once more redoes nothing
    const again = migov(['sweep', 'slow.yaml', '--out', 'k', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(again.code).toBe(0);
    expect(sessions(out)[1]).toMatchObject({ alreadyDone: total, ran: 0 });
    expect(stableBytes(out)).toEqual(cleanBytes);
  });
});

describe('a torn or corrupted journal', () => {
  it('drops the bad records, redoes those runs and merges nothing from them', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    expect(migov(['sweep', 'grid.yaml', '--out', 'clean', '--workers', '1', '--quiet', '--no-report'], dir).code).toBe(0);
    const clean = stableBytes(join(dir, 'clean'));
    expect(migov(['sweep', 'grid.yaml', '--out', 'torn', '--workers', '1', '--quiet', '--no-report'], dir).code).toBe(0);
    const out = join(dir, 'torn');
    const journal = join(out, 'journal.jsonl');
    const all = readFileSync(journal, 'utf8').split('\n').slice(0, -1);
    expect(all).toHaveLength(18);

    // keep 10 records; change a value in record 4 (its checksum no longer matches);
    // then a last record cut short, as kill -9 or a power loss mid-write would leave it
    const kept = all.slice(0, 10);
    const tampered = kept[4].replace(/"final":\[([0-9.]+)/, (_m, x: string) => `"final":[${Number(x) + 0.5}`);
    expect(tampered).not.toBe(kept[4]);
    kept[4] = tampered;
    writeFileSync(journal, `${kept.join('\n')}\n`);
    appendFileSync(journal, all[10].slice(0, 90));
    expect(readJournal(journal)).toMatchObject({ dropped: 2, records: 9 });

    const r = migov(['sweep', 'grid.yaml', '--out', 'torn', '--workers', '2', '--quiet', '--no-report'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('9 already done, 9 run now');
    expect(sessions(out)[1]).toMatchObject({ alreadyDone: 9, ran: 9, droppedRecords: 2 });
    expect(stableBytes(out)).toEqual(clean);
  });
});
