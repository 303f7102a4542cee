// The folder rules of src/sweep/folder.ts, in-process: what claimOutput accepts,
// refuses and moves aside, the swap and its recovery after a kill, leftovers, the
// legacy folders, and the lock. The CLI cases are in tests/attack/paths.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError, claimOutput, folderKind, legacyKind, lockFolder, lockPath, makeTemp, readMarker, replaceFolder, writeMarker } from '../../src/sweep/folder.ts';
import { tempDir } from '../cli/helpers.ts';

/** A pid that no process has now (a child that has exited). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

function runFolder(dir: string, content = 'a'): void {
  mkdirSync(dir, { recursive: true });
  writeMarker(dir, 'run', 'abc');
  writeFileSync(join(dir, 'manifest.json'), `{"migov":"0.1.0","files":{}}\n`);
  writeFileSync(join(dir, 'final.csv'), content);
}

describe('claimOutput', () => {
  it('takes a new, an empty or its own folder, and holds the lock until released', () => {
    const root = tempDir();
    const a = claimOutput(join(root, 'new'), { kind: 'run' });
    expect(a.state).toBe('new');
    expect(existsSync(lockPath(join(root, 'new')))).toBe(true);
    a.lock.release();
    expect(existsSync(lockPath(join(root, 'new')))).toBe(false);
    mkdirSync(join(root, 'empty'));
    const b = claimOutput(join(root, 'empty'), { kind: 'run' });
    expect(b.state).toBe('empty');
    b.lock.release();
    runFolder(join(root, 'ours'));
    const c = claimOutput(join(root, 'ours'), { kind: 'run' });
    expect(c.state).toBe('ours');
    c.lock.release();
  });

  it('refuses a folder of another kind, or one its reuse check rejects; --force moves it aside to the first free .old-N', () => {
    const root = tempDir();
    runFolder(join(root, 'r'));
    expect(() => claimOutput(join(root, 'r'), { kind: 'sweep' })).toThrow(/it holds the results of a `migov run`, not a `migov sweep` folder/);
    expect(() => claimOutput(join(root, 'r'), { kind: 'run', reuse: () => 'it holds another spec' })).toThrow(/it holds another spec; use another --out, or --force/);
    mkdirSync(join(root, 'r.old-1'));
    const c = claimOutput(join(root, 'r'), { kind: 'sweep', force: true });
    c.lock.release();
    expect(c.movedAside).toBe(join(root, 'r.old-2'));
    expect(readFileSync(join(root, 'r.old-2', 'final.csv'), 'utf8')).toBe('a');
    expect(existsSync(join(root, 'r'))).toBe(false);
  });

  it('throws OutputError, and leaves no lock, for what it refuses', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), 'x');
    for (const d of ['', join(root, 'file')]) {
      expect(() => claimOutput(d, { kind: 'run', force: true })).toThrow(OutputError);
    }
    expect(readdirSync(root)).toEqual(['file']);
  });
});

describe('legacy folders (written before the marker)', () => {
  it('are migov\'s when they hold only files migov writes', () => {
    const root = tempDir();
    runFolder(join(root, 'r'));
    rmSync(join(root, 'r', '.migov'));
    expect(legacyKind(join(root, 'r'))).toBe('run');
    mkdirSync(join(root, 'r', 'charts'));
    writeFileSync(join(root, 'r', 'charts', 'a-chart.svg'), '<svg/>');
    expect(folderKind(join(root, 'r'))).toBe('run');
    writeFileSync(join(root, 'r', 'charts', 'my figure.png'), 'x');
    expect(folderKind(join(root, 'r'))).toBe(null);
    rmSync(join(root, 'r', 'charts'), { recursive: true });
    writeFileSync(join(root, 'r', 'thesis.tex'), 'x');
    expect(folderKind(join(root, 'r'))).toBe(null);
    mkdirSync(join(root, 's'));
    writeFileSync(join(root, 's', 'sweep.json'), `{"specHash":"abc","sessions":[]}`);
    writeFileSync(join(root, 's', 'journal.jsonl'), '');
    expect(folderKind(join(root, 's'))).toBe('sweep');
    writeFileSync(join(root, 's', 'sweep.json'), `{"specHash":"abc","shard":{"index":0,"count":2},"sessions":[]}`);
    expect(folderKind(join(root, 's'))).toBe('shard');
    // a manifest of someone else's program does not make a folder migov's
    mkdirSync(join(root, 'o'));
    writeFileSync(join(root, 'o', 'manifest.json'), '{"name":"my app"}');
    expect(folderKind(join(root, 'o'))).toBe(null);
  });
});

describe('replaceFolder and a kill between its renames', () => {
  it('swaps a complete temporary folder in and removes the old one', () => {
    const root = tempDir();
    const target = join(root, 'r');
    runFolder(target, 'old');
    const tmp = makeTemp(target, 'run', 'abc');
    writeFileSync(join(tmp, 'final.csv'), 'new');
    replaceFolder(tmp, target);
    expect(readFileSync(join(target, 'final.csv'), 'utf8')).toBe('new');
    expect(readMarker(target)).toEqual({ migov: 'run', specHash: 'abc' });
    expect(readdirSync(root)).toEqual(['r']);
  });

  it('puts the old folder back when a command died with it under its hidden name, and cleans marked leftovers only', () => {
    const root = tempDir();
    const pid = deadPid();
    runFolder(join(root, `.r.old-${pid}`), 'old');
    runFolder(join(root, `.r.tmp-${pid}`), 'half');
    mkdirSync(join(root, `.r.tmp-${pid + 1}`));
    writeFileSync(join(root, `.r.tmp-${pid + 1}`, 'not-ours.txt'), 'x');
    writeFileSync(join(root, `.r.migov.lock`), JSON.stringify({ pid, host: hostname(), startedAt: '', command: '' }));
    const c = claimOutput(join(root, 'r'), { kind: 'run' });
    c.lock.release();
    expect(c.state).toBe('ours');
    expect(readFileSync(join(root, 'r', 'final.csv'), 'utf8')).toBe('old');
    // the marked temporary folder is gone; the unmarked one (not migov's, or a live process's) stays
    expect(readdirSync(root).sort()).toEqual([`.r.tmp-${pid + 1}`, 'r']);
  });
});

describe('lockFolder', () => {
  it('refuses while a live process holds the lock, names it, and takes over a dead one\'s', () => {
    const root = tempDir();
    const dir = join(root, 'f');
    const held = lockFolder(dir, 'sweep x');
    expect(() => lockFolder(dir)).toThrow(new RegExp(`another migov command is writing it: process ${process.pid} on ${hostname()}, since .* \\(migov sweep x\\)`));
    held.release();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '', command: '' }));
    const taken = lockFolder(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    taken.release();
    // a lock from another host is never taken over
    writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '', command: '' }));
    expect(() => lockFolder(dir)).toThrow(/process 1 on elsewhere/);
  });
});

describe('a folder killed before its marker was in place', () => {
  it('holds only the marker\'s temporary file and is taken as empty', () => {
    const root = tempDir();
    mkdirSync(join(root, 'sw'));
    writeFileSync(join(root, 'sw', `.migov.tmp-${deadPid()}`), '{"mig');
    const c = claimOutput(join(root, 'sw'), { kind: 'sweep' });
    c.lock.release();
    expect(c.state).toBe('empty');
    expect(readdirSync(join(root, 'sw'))).toEqual([]);
  });
});

describe('a folder killed right after its marker was written', () => {
  it('holds only the marker and is taken as empty, whatever kind the marker names', () => {
    const root = tempDir();
    mkdirSync(join(root, 'sw'));
    writeMarker(join(root, 'sw'), 'demo');
    const c = claimOutput(join(root, 'sw'), { kind: 'sweep', reuse: () => 'never reached' });
    c.lock.release();
    expect(c.state).toBe('empty');
  });
});

describe('the working folder and the folders above it', () => {
  it('are refused even when a folder on the way is named like ..x', () => {
    const root = tempDir();
    const cwd = join(root, '..odd', 'work');
    mkdirSync(cwd, { recursive: true });
    const was = process.cwd();
    process.chdir(cwd);
    try {
      expect(() => claimOutput(root, { kind: 'run', force: true })).toThrow(/a folder above the working folder/);
      expect(() => claimOutput(join(root, '..odd'), { kind: 'run', force: true })).toThrow(/a folder above the working folder/);
      expect(() => claimOutput('.', { kind: 'run', force: true })).toThrow(/the working folder/);
    } finally {
      process.chdir(was);
    }
  });
});
