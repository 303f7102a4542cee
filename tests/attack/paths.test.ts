// Attack: result paths that would have destroyed a user's files (issue 12). Each case
// plants a researcher's files (a thesis, data, the spec, a nested folder, a figure in
// charts/), runs the real CLI, and checks the exit code, the message and that every
// planted byte is still there. The rule under test is src/sweep/folder.ts: a command
// writes only into a folder it made (.migov marker), a new or an empty one; the rest
// is refused with exit 2, and --force moves a folder aside, never deletes it.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, SMALL_SPEC, migov, tempDir } from '../cli/helpers.ts';
import { GRID_SPEC } from '../cli/sweep-helpers.ts';

/** Every file, folder and link under `dir`: path -> sha256 of the bytes, 'dir', or 'link -> target'. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(join(dir, r))}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else out[r] = createHash('sha256').update(readFileSync(join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}

/** The entries of `before` (all, or those under `prefix`, re-rooted at `to`) as they are in `after`. */
function pick(t: Record<string, string>, prefix: string, to = prefix): Record<string, string> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => k === prefix || k.startsWith(`${prefix}/`)).map(([k, v]) => [to + k.slice(prefix.length), v]));
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 250, 251, 252]);

// Folders made once (by the real CLI) and copied into each case that needs them: a
// run with its report, a run without, a sweep, and the two shards of a sweep.
let made = '';
function copy(name: string, d: string, as = name): void {
  cpSync(join(made, name), join(d, as), { recursive: true, verbatimSymlinks: true });
}

/** A researcher's folder: a thesis, data, the spec, a nested folder of notes, a figure in charts/, and a sweep spec. */
function plant(): string {
  const dir = tempDir('migov-attack-');
  writeFileSync(join(dir, 'thesis.tex'), '\\documentclass{article}\n% three years of work\n');
  writeFileSync(join(dir, 'data.csv'), 'id,value\n1,=SUM(A1)\n2,3.5\n');
  writeFileSync(join(dir, 'small.yaml'), SMALL_SPEC);
  writeFileSync(join(dir, 'grid.yaml'), GRID_SPEC);
  mkdirSync(join(dir, 'notes', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'notes', 'todo.md'), '- finish chapter 3\n');
  writeFileSync(join(dir, 'notes', 'deep', 'draft.txt'), 'draft\n');
  mkdirSync(join(dir, 'charts'));
  writeFileSync(join(dir, 'charts', 'my-figure.png'), PNG);
  return dir;
}

interface Case {
  readonly name: string;
  /** Arguments of `migov`. */
  readonly args: readonly string[];
  /** Extra setup in the planted folder (before the tree is hashed). */
  readonly setup?: (dir: string) => void;
  /** Folder (under the planted one) to run in; default the planted folder. */
  readonly cwd?: string;
  readonly code: number;
  readonly stderr?: RegExp;
  /** Paths (relative to the planted folder) the command may add or change; every other entry must be as before. */
  readonly writes?: readonly string[];
  /** More checks after the command. */
  readonly after?: (dir: string, before: Record<string, string>) => void;
}

const NO_REPORT = ['--no-report'];

const cases: Case[] = [
  { name: 'run --out . (the working folder)', args: ['run', 'small.yaml', '--out', '.', ...NO_REPORT], code: 2, stderr: /it is the working folder/ },
  { name: 'run --out . --force', args: ['run', 'small.yaml', '--out', '.', '--force', ...NO_REPORT], code: 2, stderr: /the working folder.*even with --force/ },
  { name: 'run --out .. (the folder above the working one)', args: ['run', '../small.yaml', '--out', '..', ...NO_REPORT], cwd: 'notes', code: 2, stderr: /a folder above the working folder/ },
  { name: 'run --out ..', args: ['run', 'notes/../small.yaml', '--out', 'notes/..', ...NO_REPORT], code: 2, stderr: /the working folder/ },
  { name: 'run --out "" (an empty path)', args: ['run', 'small.yaml', '--out', '', ...NO_REPORT], code: 2, stderr: /--out is empty/ },
  { name: 'run --out <a folder of user files>', args: ['run', 'small.yaml', '--out', 'notes', ...NO_REPORT], code: 2, stderr: /notes: cannot write results there: it is a folder that migov did not make.*--force to move it aside to notes\.old-N/ },
  { name: 'run --out <the charts folder holding a figure>', args: ['run', 'small.yaml', '--out', 'charts', ...NO_REPORT], code: 2, stderr: /did not make/ },
  { name: 'run --out <an existing regular file>', args: ['run', 'small.yaml', '--out', 'thesis.tex', ...NO_REPORT], code: 2, stderr: /thesis\.tex: cannot write results there: it is a file/ },
  { name: 'run --out <a file> --force', args: ['run', 'small.yaml', '--out', 'data.csv', '--force', ...NO_REPORT], code: 2, stderr: /it is a file.*even with --force/ },
  { name: 'run --out <the spec file itself>', args: ['run', 'small.yaml', '--out', 'small.yaml', '--force', ...NO_REPORT], code: 2, stderr: /small\.yaml: cannot write results there/ },
  {
    name: 'run --results R where R/<name> is a user folder',
    setup: (d) => {
      mkdirSync(join(d, 'R', 'small'), { recursive: true });
      writeFileSync(join(d, 'R', 'small', 'chapter.tex'), 'mine\n');
    },
    args: ['run', 'small.yaml', '--results', 'R', ...NO_REPORT],
    code: 2,
    stderr: /R\/small: cannot write results there: it is a folder that migov did not make \(it holds chapter\.tex/,
  },
  {
    name: 'run --out <a folder holding the spec> --force',
    setup: (d) => {
      mkdirSync(join(d, 'exp'));
      writeFileSync(join(d, 'exp', 'small.yaml'), SMALL_SPEC);
    },
    args: ['run', 'exp/small.yaml', '--out', 'exp', '--force', ...NO_REPORT],
    code: 2,
    stderr: /it holds the spec file exp\/small\.yaml/,
  },
  {
    name: 'run --out <a symlink to a user folder>',
    setup: (d) => symlinkSync(join(d, 'notes'), join(d, 'link')),
    args: ['run', 'small.yaml', '--out', 'link', ...NO_REPORT],
    code: 2,
    stderr: /link: cannot write results there: it is a symbolic link/,
  },
  {
    name: 'run --out <a symlink to a user folder> --force',
    setup: (d) => symlinkSync(join(d, 'notes'), join(d, 'link')),
    args: ['run', 'small.yaml', '--out', 'link', '--force', ...NO_REPORT],
    code: 2,
    stderr: /it is a symbolic link.*even with --force/,
  },
  {
    name: 'run --out <a dangling symlink>',
    setup: (d) => symlinkSync(join(d, 'nowhere'), join(d, 'link')),
    args: ['run', 'small.yaml', '--out', 'link', ...NO_REPORT],
    code: 2,
    stderr: /it is a symbolic link/,
  },
  {
    name: 'run with two specs of one name (one folder for two experiments)',
    setup: (d) => writeFileSync(join(d, 'other.yaml'), SMALL_SPEC.replace('seed: 11', 'seed: 12')),
    args: ['run', 'small.yaml', 'other.yaml', '--results', 'res', ...NO_REPORT],
    code: 2,
    stderr: /small\.yaml and other\.yaml both write it \(both are named "small"\)/,
  },
  { name: 'run of a spec with a sweep section', args: ['run', 'grid.yaml', ...NO_REPORT], code: 2, stderr: /grid\.yaml: field "sweep": .*allowed: `migov sweep grid\.yaml`/ },
  {
    name: 'run of a sweep spec into its sweep folder',
    setup: (d) => copy('sw', d),
    args: ['run', 'grid.yaml', '--out', 'sw', ...NO_REPORT],
    code: 2,
    stderr: /migov sweep grid\.yaml/,
  },
  {
    name: 'run into a sweep folder (another kind of folder)',
    setup: (d) => copy('sw', d),
    args: ['run', 'small.yaml', '--out', 'sw', ...NO_REPORT],
    code: 2,
    stderr: /it holds a `migov sweep` folder, not the results of a `migov run`/,
  },
  {
    name: 'run --out <a user folder> --force moves it aside, whole',
    args: ['run', 'small.yaml', '--out', 'notes', '--force', ...NO_REPORT],
    code: 0,
    writes: ['notes', 'notes.old-1'],
    after: (d, before) => {
      expect(pick(tree(d), 'notes.old-1')).toEqual(pick(before, 'notes', 'notes.old-1'));
      expect(existsSync(join(d, 'notes', '.migov'))).toBe(true);
    },
  },
  {
    name: 'run into its own folder again replaces it, and nothing beside it',
    setup: (d) => copy('plain', d, 'r'),
    args: ['run', 'small.yaml', '--out', 'r', '--seed', '5', ...NO_REPORT],
    code: 0,
    writes: ['r'],
    after: (d) => expect(readdirSync(d).filter((n) => n.startsWith('.'))).toEqual([]),
  },
  {
    name: 'run while another live process holds the folder\'s lock',
    setup: (d) => writeFileSync(join(d, '.r.migov.lock'), `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'now', command: 'run x' })}\n`),
    args: ['run', 'small.yaml', '--out', 'r', ...NO_REPORT],
    code: 2,
    stderr: new RegExp(`another migov command is writing it: process ${process.pid}`),
  },
  {
    name: 'run takes over the lock of a process that is gone',
    setup: (d) => {
      const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
      writeFileSync(join(d, '.r.migov.lock'), `${JSON.stringify({ pid: Number(gone.stdout.trim()), host: hostname(), startedAt: 'then', command: 'run x' })}\n`);
    },
    args: ['run', 'small.yaml', '--out', 'r', ...NO_REPORT],
    code: 0,
    writes: ['r', '.r.migov.lock'],
    after: (d) => expect(existsSync(join(d, '.r.migov.lock'))).toBe(false),
  },
  {
    name: 'report keeps the user\'s own file in charts/',
    setup: (d) => {
      copy('reported', d, 'r');
      writeFileSync(join(d, 'r', 'charts', 'my-figure.png'), PNG);
      writeFileSync(join(d, 'r', 'charts', 'old-idea.svg'), '<svg/>');
    },
    args: ['report', 'r'],
    code: 0,
    writes: ['r/manifest.json', 'r/report.html', 'r/charts/strategy-shares.png', 'r/charts/strategy-shares.svg', 'r/charts/strategy-shares.vl.json'],
  },
  {
    name: 'report refuses to write over a user file with a chart\'s name',
    setup: (d) => {
      copy('plain', d, 'r');
      mkdirSync(join(d, 'r', 'charts'));
      writeFileSync(join(d, 'r', 'charts', 'strategy-shares.png'), PNG);
    },
    args: ['report', 'r'],
    code: 2,
    stderr: /charts\/strategy-shares\.png: exists but is not a file an earlier report made/,
  },
  {
    name: 'report refuses a charts symlink to a user folder',
    setup: (d) => {
      copy('plain', d, 'r');
      symlinkSync(join(d, 'notes'), join(d, 'r', 'charts'));
    },
    args: ['report', 'r'],
    code: 2,
    stderr: /r\/charts: is a symbolic link, which `migov report` never follows/,
  },
  {
    name: 'report refuses a charts symlink even after an earlier report',
    setup: (d) => {
      copy('reported', d, 'r');
      // the user swaps the charts for a link to their own folder
      renameSync(join(d, 'r', 'charts'), join(d, 'kept-charts'));
      symlinkSync(join(d, 'charts'), join(d, 'r', 'charts'));
    },
    args: ['report', 'r'],
    code: 2,
    stderr: /is a symbolic link/,
  },
  {
    name: 'report refuses a report.html symlink to a user file',
    setup: (d) => {
      copy('plain', d, 'r');
      symlinkSync(join(d, 'thesis.tex'), join(d, 'r', 'report.html'));
    },
    args: ['report', 'r'],
    code: 2,
    stderr: /report\.html: is a symbolic link/,
  },
  {
    name: 'report of a symlink to a results folder',
    setup: (d) => {
      copy('plain', d, 'r');
      symlinkSync(join(d, 'r'), join(d, 'rl'));
    },
    args: ['report', 'rl'],
    code: 2,
    stderr: /is a symbolic link/,
  },
  { name: 'sweep --out . --force (the working folder)', args: ['sweep', 'grid.yaml', '--out', '.', '--force', '--quiet', ...NO_REPORT], code: 2, stderr: /it is the working folder.*even with --force/ },
  { name: 'sweep --out .. --force', args: ['sweep', '../grid.yaml', '--out', '..', '--force', '--quiet', ...NO_REPORT], cwd: 'notes', code: 2, stderr: /above the working folder/ },
  {
    name: 'sweep --out <a symlink>',
    setup: (d) => symlinkSync(join(d, 'notes'), join(d, 'link')),
    args: ['sweep', 'grid.yaml', '--out', 'link', '--quiet', ...NO_REPORT],
    code: 2,
    stderr: /it is a symbolic link/,
  },
  {
    name: 'sweep --out <a symlink> --force',
    setup: (d) => symlinkSync(join(d, 'notes'), join(d, 'link')),
    args: ['sweep', 'grid.yaml', '--out', 'link', '--force', '--quiet', ...NO_REPORT],
    code: 2,
    stderr: /it is a symbolic link/,
  },
  { name: 'sweep --out <a user folder>', args: ['sweep', 'grid.yaml', '--out', 'notes', '--quiet', ...NO_REPORT], code: 2, stderr: /did not make/ },
  { name: 'sweep --out ""', args: ['sweep', 'grid.yaml', '--out', '', '--quiet', ...NO_REPORT], code: 2, stderr: /--out is empty/ },
  {
    name: 'sweep --results R where R/<name> is a user folder',
    setup: (d) => {
      mkdirSync(join(d, 'R', 'grid-small'), { recursive: true });
      writeFileSync(join(d, 'R', 'grid-small', 'runs.csv'), 'my own runs\n');
    },
    args: ['sweep', 'grid.yaml', '--results', 'R', '--quiet', ...NO_REPORT],
    code: 2,
    stderr: /did not make/,
  },
  {
    name: 'merge --out <a user folder>',
    setup: shards,
    args: ['merge', 's0', 's1', '--out', 'notes', ...NO_REPORT],
    code: 2,
    stderr: /notes: cannot write results there: it is a folder that migov did not make/,
  },
  {
    name: 'merge --out <a user folder> --force moves it aside',
    setup: shards,
    args: ['merge', 's0', 's1', '--out', 'notes', '--force', ...NO_REPORT],
    code: 0,
    writes: ['notes', 'notes.old-1'],
    after: (d, before) => expect(pick(tree(d), 'notes.old-1')).toEqual(pick(before, 'notes', 'notes.old-1')),
  },
  { name: 'merge --out .', setup: shards, args: ['merge', 's0', 's1', '--out', '.', '--force', ...NO_REPORT], code: 2, stderr: /the working folder/ },
  {
    name: 'merge --out <a symlink>',
    setup: (d) => {
      shards(d);
      symlinkSync(join(d, 'notes'), join(d, 'link'));
    },
    args: ['merge', 's0', 's1', '--out', 'link', '--force', ...NO_REPORT],
    code: 2,
    stderr: /symbolic link/,
  },
  { name: 'slurm --out <a user folder>', args: ['slurm', 'grid.yaml', '--shards', '2', '--out', 'notes'], code: 2, stderr: /did not make/ },
  { name: 'slurm --out .', args: ['slurm', 'grid.yaml', '--shards', '2', '--out', '.', '--force'], code: 2, stderr: /the working folder/ },
  { name: 'demo --out <a user folder>', args: ['demo', '--out', 'notes'], code: 2, stderr: /did not make/ },
  { name: 'demo --out .', args: ['demo', '--out', '.'], code: 2, stderr: /the working folder/ },
  { name: 'schema --out <a user file>', args: ['schema', '--out', 'thesis.tex'], code: 2, stderr: /not a JSON Schema/ },
  { name: 'schema --out <a folder>', args: ['schema', '--out', 'notes'], code: 2, stderr: /it is a folder/ },
  {
    name: 'schema --out <a symlink to a user file>',
    setup: (d) => symlinkSync(join(d, 'thesis.tex'), join(d, 'link.json')),
    args: ['schema', '--out', 'link.json'],
    code: 2,
    stderr: /symbolic link/,
  },
  { name: 'schema --out <a new file> writes only it', args: ['schema', '--out', 'spec.schema.json'], code: 0, writes: ['spec.schema.json'] },
];

function shards(d: string): void {
  copy('s0', d);
  copy('s1', d);
}

describe('a result path that would destroy user files', () => {
  beforeAll(() => {
    made = tempDir('migov-attack-made-');
    writeFileSync(join(made, 'small.yaml'), SMALL_SPEC);
    writeFileSync(join(made, 'grid.yaml'), GRID_SPEC);
    const runs: string[][] = [
      ['run', 'small.yaml', '--out', 'reported'],
      ['run', 'small.yaml', '--out', 'plain', ...NO_REPORT],
      ['sweep', 'grid.yaml', '--out', 'sw', '--workers', '1', '--quiet', ...NO_REPORT],
      ['sweep', 'grid.yaml', '--shard', '0/2', '--out', 's0', '--workers', '1', '--quiet'],
      ['sweep', 'grid.yaml', '--shard', '1/2', '--out', 's1', '--workers', '1', '--quiet'],
    ];
    for (const args of runs) expect(migov(args, made).code, args.join(' ')).toBe(0);
  }, 120_000);

  it.each(cases)('$name', (c) => {
    const dir = plant();
    c.setup?.(dir);
    const before = tree(dir);
    const r = migov(c.args, c.cwd ? join(dir, c.cwd) : dir);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(c.code);
    if (c.stderr) expect(r.stderr).toMatch(c.stderr);
    if (c.code === 2) {
      // a clear message, not a stack trace
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const after = tree(dir);
    const writes = c.writes ?? [];
    const mayChange = (k: string) => writes.some((w) => k === w || k.startsWith(`${w}/`));
    // every planted byte (and everything else that was there) is as it was
    for (const [k, v] of Object.entries(before)) if (!mayChange(k)) expect(after[k], k).toBe(v);
    // a refusal writes nothing at all; a command that ran writes only where it may
    for (const k of Object.keys(after)) if (!(k in before)) expect(mayChange(k), `${k} was written`).toBe(true);
    c.after?.(dir, before);
  });
});

describe('two commands on one folder at once', () => {
  it('the second is refused with exit 2, naming the first; a killed holder\'s lock is taken over', async () => {
    const dir = plant();
    // a sweep that runs long enough to be caught running (it is stopped below)
    writeFileSync(join(dir, 'slow.yaml'), GRID_SPEC.replace('Z: 40', 'Z: 400').replace('rounds: 10', 'rounds: 100000').replace('recordEvery: 5', 'recordEvery: 1000'));
    const first = spawn(process.execPath, [BIN, 'sweep', 'slow.yaml', '--out', 'sw', '--workers', '1', '--quiet', ...NO_REPORT], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => first.on('exit', (code) => done(code)));
    const lock = join(dir, '.sw.migov.lock');
    while (!existsSync(lock) && first.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(lock), 'the first sweep holds the lock while it runs').toBe(true);
    for (const args of [
      ['sweep', 'slow.yaml', '--out', 'sw', '--workers', '1', '--quiet', ...NO_REPORT],
      ['run', 'small.yaml', '--out', 'sw', '--force', ...NO_REPORT],
      ['report', 'sw'],
    ]) {
      const second = migov(args, dir);
      expect(second.code, args.join(' ')).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`another migov command is writing it: process ${first.pid} on ${hostname()}`));
    }
    expect(first.exitCode, 'the first sweep was still running').toBe(null);
    // killed, it leaves its lock behind; the next command on the folder takes it over (and here is refused for another reason)
    first.kill('SIGKILL');
    await exited;
    expect(existsSync(lock)).toBe(true);
    const next = migov(['sweep', 'slow.yaml', '--out', 'sw', '--set', 'seed=18', '--quiet', ...NO_REPORT], dir);
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/it holds a sweep of a different spec/);
    expect(existsSync(lock)).toBe(false);
  });
});
