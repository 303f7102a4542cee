// `migov sweep` and folders it must not spoil: a folder made by another spec is
// refused (exit 2) unless --force, which moves it aside and never deletes it; bad
// specs are refused before anything is written; runs that failed make the command
// exit 1 and --retry-failed re-runs only them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweep } from '../../src/index.ts';
import type { Executor } from '../../src/sweep/executor.ts';
import { inProcessExecutor } from '../../src/sweep/executor.ts';
import { SMALL_SPEC, migov, tempDir, writeSpec } from './helpers.ts';
import { GRID_SPEC, readCsv, sessions, stableBytes } from './sweep-helpers.ts';

/** Every file in a folder and its subfolders, path -> bytes. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => join(e.parentPath, e.name)).sort().map((f) => [f.slice(dir.length + 1), readFileSync(f, 'utf8')]));
}

/** Runs the tasks of the given keys on a model that does not exist, so that they fail. */
function failing(inner: Executor, keys: ReadonlySet<string>): Executor {
  return {
    workers: inner.workers,
    execute: (tasks, onOutcome, stopped) => inner.execute(tasks.map((t) => (keys.has(t.key) ? { ...t, model: 'no-such-model' } : t)), onOutcome, stopped),
    close: () => inner.close(),
  };
}

describe('a folder made by something else', () => {
  it('is refused with exit 2 and left untouched; --force moves it to <dir>.old-N, never deleting it', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    writeSpec(dir, 'other.yaml', GRID_SPEC.replace('seed: 17', 'seed: 18'));
    expect(migov(['sweep', 'grid.yaml', '--out', 'out', '--workers', '1', '--quiet', '--no-report'], dir).code).toBe(0);
    const out = join(dir, 'out');
    const original = snapshot(out);

    const refused = migov(['sweep', 'other.yaml', '--out', 'out', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${out}: cannot write results there: it holds a sweep of a different spec; use another --out, or --force to move it aside`);
    expect(snapshot(out)).toEqual(original);

    const forced = migov(['sweep', 'other.yaml', '--out', 'out', '--workers', '1', '--quiet', '--force', '--no-report'], dir);
    expect(forced.code).toBe(0);
    expect(snapshot(`${out}.old-1`)).toEqual(original);
    const other = snapshot(out);
    expect(other['runs.csv']).not.toBe(original['runs.csv']);

    // a second --force picks the next free name; the first stays as it was
    expect(migov(['sweep', 'grid.yaml', '--out', 'out', '--workers', '1', '--quiet', '--force', '--no-report'], dir).code).toBe(0);
    expect(snapshot(`${out}.old-1`)).toEqual(original);
    expect(snapshot(`${out}.old-2`)).toEqual(other);
    expect(stableBytes(out)).toEqual(stableBytes(`${out}.old-1`));
    expect(readdirSync(dir).sort()).toEqual(['grid.yaml', 'other.yaml', 'out', 'out.old-1', 'out.old-2']);
  });

  it('refuses the result folder of `migov run` too', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    expect(migov(['run', 'small.yaml', '--out', 'r', '--no-report'], dir).code).toBe(0);
    const before = snapshot(join(dir, 'r'));
    const r = migov(['sweep', 'grid.yaml', '--out', 'r', '--quiet', '--no-report'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it holds the results of a `migov run`, not a `migov sweep` folder; use another --out, or --force to move it aside');
    expect(snapshot(join(dir, 'r'))).toEqual(before);
  });
});

describe('bad sweep specs', () => {
  it('are refused with exit 2 and a message naming the field, before any folder is made', () => {
    const dir = tempDir();
    const cases: [string, string, RegExp][] = [
      ['nosweep.yaml', GRID_SPEC.replace(/sweep:[\s\S]*$/, ''), /field "sweep": missing: `migov sweep` needs a sweep section/],
      ['design.yaml', GRID_SPEC.replace('design: grid', 'design: factorial'), /field "sweep\.design"/],
      ['path.yaml', GRID_SPEC.replace('path: params.r,', 'path: parms.r,'), /field "sweep\.factors\.0\.path"/],
      ['lhs.yaml', GRID_SPEC.replace('design: grid', 'design: lhs'), /field "sweep\.(factors\.0|samples)"/],
      ['point.yaml', GRID_SPEC.replace('values: [2, 4, 6]', 'values: [2, -4, 6]'), /field "params\.r".*at sweep point 2: params\.r=-4, protocol\.mutation=0\.01/],
    ];
    for (const [name, text, message] of cases) {
      writeSpec(dir, name, text);
      const r = migov(['sweep', name, '--results', 'results', '--quiet', '--no-report'], dir);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(existsSync(join(dir, 'results')), name).toBe(false);
    }
    const w = migov(['sweep', 'nosweep.yaml', '--workers', '0'], dir);
    expect(w.code).toBe(2);
  });
});

describe('failed runs', () => {
  it('are reported with exit 1, and --retry-failed re-runs only them', async () => {
    const dir = tempDir();
    const file = writeSpec(dir, 'grid.yaml', GRID_SPEC);
    // a session in which three runs throw (through the API, with an executor that breaks them)
    const broken = new Set(['1-0', '4-1', '2-2']);
    const first = await sweep(file, { out: join(dir, 'f'), executor: failing(inProcessExecutor(), broken) });
    expect(first.complete).toBe(true);
    expect(first.failed.map((o) => o.key)).toEqual(['1-0', '2-2', '4-1']);
    const failures = readCsv(join(dir, 'f'), 'failures.csv');
    expect(failures.map((f) => `${f.point}-${f.replication}`)).toEqual(['1-0', '2-2', '4-1']);
    expect(failures[0]).toMatchObject({ parameters: '{"params.r":2,"protocol.mutation":0.1}', error: 'unknown model no-such-model' });
    expect(failures[0].seed).toBe(first.plan.tasks.find((t) => t.key === '1-0')!.seed);
    expect(readCsv(join(dir, 'f'), 'runs.csv')).toHaveLength(18 - 3);

    // the same command again: nothing to run, but the failures still fail the command
    const again = migov(['sweep', 'grid.yaml', '--out', 'f', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('18 already done, 0 run now');
    expect(again.stdout).toContain('3 run(s) failed');
    expect(again.stdout).toContain('--retry-failed');
    expect(again.stdout).toMatch(/point 1, replication 0, seed [0-9a-f]{32}: unknown model no-such-model/);

    // --retry-failed runs exactly those three, and the folder is then a clean sweep's
    const retried = migov(['sweep', 'grid.yaml', '--out', 'f', '--workers', '2', '--quiet', '--retry-failed', '--no-report'], dir);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('15 already done, 3 run now');
    expect(sessions(join(dir, 'f')).map((s) => [s.alreadyDone, s.ran])).toEqual([[0, 18], [18, 0], [15, 3]]);
    expect(migov(['sweep', 'grid.yaml', '--out', 'clean', '--workers', '1', '--quiet', '--no-report'], dir).code).toBe(0);
    expect(stableBytes(join(dir, 'f'))).toEqual(stableBytes(join(dir, 'clean')));
  });
});
