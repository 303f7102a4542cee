// Tampered files: a finished sweep, two finished shards and a Slurm work folder are
// made once; each case copies one of them, damages one file in one way, and runs the
// command that reads it (resuming `migov sweep`, `migov merge`, `migov report`,
// `migov slurm --status`). Each must stop with exit 2 and a message naming the damaged
// file, with no stack trace, and change nothing outside the copied folder. The
// commands run in this process through the CLI's `main` (as bin/migov.js does), so
// that some forty cases take seconds; one case runs the real command to check that
// the process exits the same way.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';

const SPEC = `# a tiny grid sweep for the tampered-file tests
name: tamper
model: linear-pgg
params: { Z: 20, N: 4, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 6
recordEvery: 3
replications: 2
seed: 29
sweep:
  design: grid
  series: true
  factors:
    - { path: params.r, values: [2, 4] }
`;

let root: string;
let spec: string;
let base: string;

interface Output {
  code: number;
  out: string;
}

/** Runs `migov <args>` in this process, capturing what it prints. */
async function cli(args: readonly string[]): Promise<Output> {
  const lines: string[] = [];
  const keep = (...xs: unknown[]) => {
    lines.push(xs.map(String).join(' '));
  };
  const log = vi.spyOn(console, 'log').mockImplementation(keep);
  const error = vi.spyOn(console, 'error').mockImplementation(keep);
  const warn = vi.spyOn(console, 'warn').mockImplementation(keep);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'migov', ...args]);
    return { code, out: lines.join('\n') };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
    stderr.mockRestore();
  }
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Every file under `dir` but those under `skip`, with its sha256. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (p === skip) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), sha256(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

// --- ways to damage a file ---------------------------------------------------------

/** A journal line as migov writes it: the sha256 of the text, a space, the text. */
const record = (json: string) => `${sha256(json)} ${json}`;

/** Replaces line `n` (1-based) of a journal by `make(the old record's object)`, with a valid checksum. */
function editLine(file: string, n: number, make: (o: Record<string, unknown>) => unknown): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const o = JSON.parse(lines[n - 1].slice(65)) as Record<string, unknown>;
  const next = make(o);
  lines[n - 1] = record(typeof next === 'string' ? next : JSON.stringify(next));
  writeFileSync(file, lines.join('\n'));
}

/** Replaces a file by a folder of that name. */
function toFolder(file: string): void {
  rmSync(file);
  mkdirSync(file);
  writeFileSync(join(file, 'x'), 'x\n');
}

function truncate(file: string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
}

function editJson(file: string, edit: (o: Record<string, unknown>) => unknown): void {
  const next = edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  writeFileSync(file, typeof next === 'string' ? next : `${JSON.stringify(next, null, 2)}\n`);
}

/** Records a shard file's new sha256 in its shard.json, as a careful editor would. */
function rehash(shardDir: string, file: string): void {
  editJson(join(shardDir, 'shard.json'), (m) => {
    (m.files as Record<string, string>)[file] = sha256(readFileSync(join(shardDir, file)));
    return m;
  });
}

// --- the cases -----------------------------------------------------------------------

type Base = 'sweep' | 'shards' | 'slurm';

interface Case {
  readonly name: string;
  readonly base: Base;
  /** The damaged file, relative to the copied folder: the message must name it. */
  readonly file: string;
  readonly damage: (dir: string) => void;
  /** The words the message must hold besides the file (what is wrong). */
  readonly says?: RegExp;
}

const J = 'journal.jsonl';
const S0 = 'shard-0';

const journalCases = (base: Base, cmd: string, prefix: string): Case[] => {
  const j = prefix ? `${prefix}/${J}` : J;
  const after = (dir: string) => {
    if (base === 'shards') rehash(join(dir, prefix), J);
  };
  const c = (name: string, damage: (file: string) => void, says: RegExp): Case => ({
    name: `${cmd}: ${name}`,
    base,
    file: j,
    says,
    damage: (dir) => {
      damage(join(dir, j));
      after(dir);
    },
  });
  return [
    c('a journal line `null` with a valid checksum', (f) => editLine(f, 2, () => 'null'), /line 2.*not a run outcome/),
    c('a journal line of broken JSON with a valid checksum', (f) => editLine(f, 1, () => '{"key": "0-0", "point":'), /line 1.*not valid JSON/),
    c('a journal line whose seed is not the planned one', (f) => editLine(f, 2, (o) => ({ ...o, seed: '0123456789abcdef0123456789abcdef' })), /line 2.*not the planned/),
    c('a journal line for a run outside the plan', (f) => editLine(f, 1, (o) => ({ ...o, key: '7-0', point: 7 })), /line 1.*not in/),
    c('a journal line whose key is not its point and replication', (f) => editLine(f, 1, (o) => ({ ...o, key: '1-1' })), /line 1.*"key"/),
    c('a journal line with a renamed metric', (f) => editLine(f, 1, (o) => ({ ...o, metrics: (o.metrics as string[]).map((m, i) => (i === 0 ? 'share_X' : m)) })), /line 1.*metrics/),
    c('a journal line with a value that is not a number', (f) => editLine(f, 1, (o) => ({ ...o, final: (o.final as number[]).map((x, i) => (i === 0 ? String(x) : x)) })), /line 1.*"final"/),
    c('a journal line with a value missing', (f) => editLine(f, 1, (o) => ({ ...o, final: (o.final as number[]).slice(1) })), /line 1.*final value/),
    c('a journal line whose series lost a value', (f) => editLine(f, 1, (o) => ({ ...o, series: { ...(o.series as object), values: [[1]] } })), /line 1.*"series"/),
    c('a journal line that is a failed run without its error', (f) => editLine(f, 1, (o) => ({ ...o, ok: false, metrics: [], final: [] })), /line 1.*error/),
    {
      name: `${cmd}: journal.jsonl replaced by a folder`,
      base,
      file: j,
      says: /folder|not a regular file/,
      damage: (dir) => toFolder(join(dir, j)),
    },
  ];
};

const sweepJsonCases: Case[] = [
  ['truncated', truncate, /not valid JSON/],
  ['without sessions', (f: string) => editJson(f, ({ sessions: _, ...rest }) => rest), /sessions/],
  ['`null`', (f: string) => writeFileSync(f, 'null\n'), /not a sweep's record/],
  ['with sessions that are not a list', (f: string) => editJson(f, (m) => ({ ...m, sessions: {} })), /sessions/],
  ['with a spec hash that is not a sha256', (f: string) => editJson(f, (m) => ({ ...m, specHash: 'abc' })), /specHash/],
  ['with a shard index beyond its count', (f: string) => editJson(f, (m) => ({ ...m, shard: { index: 3, count: 2 } })), /shard/],
  ['replaced by a folder', toFolder, /folder/],
].map(([what, damage, says]) => ({
  name: `sweep (resume): sweep.json ${what as string}`,
  base: 'sweep' as const,
  file: 'sweep.json',
  says: says as RegExp,
  damage: (dir: string) => (damage as (f: string) => void)(join(dir, 'sweep.json')),
}));

const shardJsonCases: Case[] = [
  ['truncated', truncate, /not valid JSON/],
  ['`null`', (f: string) => writeFileSync(f, 'null\n'), /not a shard manifest/],
  ['listing a file outside the folder', (f: string) => editJson(f, (m) => ({ ...m, files: { ...(m.files as object), '../../outside.txt': '0'.repeat(64) } })), /may be listed/],
  ['without the journal in its files', (f: string) => editJson(f, (m) => ({ ...m, files: { 'sweep.json': (m.files as Record<string, string>)['sweep.json'] } })), /must list/],
  ['with an edited failed count', (f: string) => editJson(f, (m) => ({ ...m, failed: 1 })), /failed/],
  ['with an edited run count', (f: string) => editJson(f, (m) => ({ ...m, runs: 5 })), /runs/],
  ['with an edited spec', (f: string) => editJson(f, (m) => ({ ...m, spec: { ...(m.spec as object), rounds: 7 } })), /specHash/],
  ['with an edited master seed', (f: string) => editJson(f, (m) => ({ ...m, seed: 30 })), /seed 30 is not its spec's 29/],
  ['replaced by a folder', toFolder, /folder/],
].map(([what, damage, says]) => ({
  name: `merge: shard.json ${what as string}`,
  base: 'shards' as const,
  file: `${S0}/shard.json`,
  says: says as RegExp,
  damage: (dir: string) => (damage as (f: string) => void)(join(dir, S0, 'shard.json')),
}));

const mergeSweepJsonCases: Case[] = [
  {
    name: "merge: a shard's sweep.json missing",
    base: 'shards',
    file: `${S0}/sweep.json`,
    says: /missing/,
    damage: (dir) => rmSync(join(dir, S0, 'sweep.json')),
  },
  {
    name: "merge: a shard's sweep.json truncated, its sha256 recorded anew",
    base: 'shards',
    file: `${S0}/sweep.json`,
    says: /not valid JSON/,
    damage: (dir) => {
      truncate(join(dir, S0, 'sweep.json'));
      rehash(join(dir, S0), 'sweep.json');
    },
  },
  {
    name: "merge: a shard's sweep.json without sessions, its sha256 recorded anew",
    base: 'shards',
    file: `${S0}/sweep.json`,
    says: /sessions/,
    damage: (dir) => {
      editJson(join(dir, S0, 'sweep.json'), ({ sessions: _, ...rest }) => rest);
      rehash(join(dir, S0), 'sweep.json');
    },
  },
  {
    name: "merge: the other shard's sweep.json copied in, its sha256 recorded anew",
    base: 'shards',
    file: `${S0}/sweep.json`,
    says: /not to this shard/,
    damage: (dir) => {
      cpSync(join(dir, 'shard-1', 'sweep.json'), join(dir, S0, 'sweep.json'));
      rehash(join(dir, S0), 'sweep.json');
    },
  },
  {
    name: "merge: a shard's journal edited after shard.json was written",
    base: 'shards',
    file: `${S0}/${J}`,
    says: /sha256 does not match/,
    damage: (dir) => editLine(join(dir, S0, J), 1, (o) => ({ ...o, roundsRun: 5 })),
  },
];

const slurmCases: Case[] = [
  {
    name: 'slurm --status: slurm/jobs.json truncated',
    base: 'slurm',
    file: 'slurm/jobs.json',
    says: /not valid JSON/,
    damage: (dir) => truncate(join(dir, 'slurm', 'jobs.json')),
  },
  {
    name: 'slurm --status: slurm/jobs.json without submissions',
    base: 'slurm',
    file: 'slurm/jobs.json',
    says: /submissions/,
    damage: (dir) => editJson(join(dir, 'slurm', 'jobs.json'), ({ submissions: _, ...rest }) => rest),
  },
  {
    name: "slurm --status: a shard's shard.json truncated",
    base: 'slurm',
    file: `${S0}/shard.json`,
    says: /not valid JSON/,
    damage: (dir) => truncate(join(dir, S0, 'shard.json')),
  },
  {
    name: "slurm --status: a shard's shard.json of another shard",
    base: 'slurm',
    file: `${S0}/shard.json`,
    says: /shard 1\/2/,
    damage: (dir) => cpSync(join(dir, 'shard-1', 'shard.json'), join(dir, S0, 'shard.json')),
  },
  {
    name: "slurm --status: a shard's journal line `null` with a valid checksum",
    base: 'slurm',
    file: `${S0}/${J}`,
    says: /line 1.*not a run outcome/,
    damage: (dir) => editLine(join(dir, S0, J), 1, () => 'null'),
  },
  {
    name: "slurm --status: a shard's journal edited after shard.json was written",
    base: 'slurm',
    file: `${S0}/${J}`,
    says: /sha256 does not match/,
    damage: (dir) => editLine(join(dir, S0, J), 1, (o) => ({ ...o, roundsRun: 5 })),
  },
  {
    name: "slurm --status: a shard's journal replaced by a folder",
    base: 'slurm',
    file: `shard-1/${J}`,
    says: /folder/,
    damage: (dir) => toFolder(join(dir, 'shard-1', J)),
  },
];

const reportCases: Case[] = [
  ['manifest.json truncated', 'manifest.json', (d: string) => truncate(join(d, 'manifest.json')), /not valid JSON/],
  ['manifest.json a list', 'manifest.json', (d: string) => writeFileSync(join(d, 'manifest.json'), '[]\n'), /not a JSON object/],
  ['manifest.json without its spec', 'manifest.json', (d: string) => editJson(join(d, 'manifest.json'), ({ spec: _, ...rest }) => rest), /"spec"/],
  ['manifest.json listing a file outside the folder', 'manifest.json', (d: string) => editJson(join(d, 'manifest.json'), (m) => ({ ...m, files: { ...(m.files as object), '../outside.txt': '0'.repeat(64) } })), /not a file inside the folder/],
  ['manifest.json with a hash that is not a sha256', 'manifest.json', (d: string) => editJson(join(d, 'manifest.json'), (m) => ({ ...m, files: { ...(m.files as object), 'runs.csv': 'x' } })), /sha256/],
  ['manifest.json replaced by a folder', 'manifest.json', (d: string) => toFolder(join(d, 'manifest.json')), /not a regular file/],
  ['runs.csv replaced by a folder', 'runs.csv', (d: string) => toFolder(join(d, 'runs.csv')), /not a regular file/],
].map(([what, file, damage, says]) => ({
  name: `report: ${what as string}`,
  base: 'sweep' as const,
  file: file as string,
  says: says as RegExp,
  damage: damage as (d: string) => void,
}));

const CASES: Case[] = [
  ...journalCases('sweep', 'sweep (resume)', ''),
  ...sweepJsonCases,
  ...journalCases('shards', 'merge', S0),
  ...shardJsonCases,
  ...mergeSweepJsonCases,
  ...slurmCases,
  ...reportCases,
];

/** The command each kind of folder is read by. */
function command(c: Case, dir: string): string[] {
  if (c.name.startsWith('report:')) return ['report', dir];
  if (c.base === 'sweep') return ['sweep', spec, '--out', dir, '--workers', '1', '--no-report', '-q'];
  if (c.base === 'shards') return ['merge', join(dir, S0), join(dir, 'shard-1'), '--out', join(dir, 'merged'), '--no-report'];
  return ['slurm', '--status', dir];
}

beforeAll(async () => {
  root = tempDir('migov-tamper-');
  spec = writeSpec(root, 'tamper.yaml', SPEC);
  base = join(root, 'base');
  const ok = (r: Output) => expect(r.code, r.out).toBe(0);
  ok(await cli(['sweep', spec, '--out', join(base, 'sweep'), '--workers', '1', '--no-report', '-q']));
  for (const i of [0, 1]) ok(await cli(['sweep', spec, '--shard', `${i}/2`, '--out', join(base, 'shards', `shard-${i}`), '--workers', '1', '-q']));
  ok(await cli(['slurm', spec, '--shards', '2', '--out', join(base, 'slurm')]));
  for (const i of [0, 1]) cpSync(join(base, 'shards', `shard-${i}`), join(base, 'slurm', `shard-${i}`), { recursive: true });
  mkdirSync(join(root, 'cases'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** A fresh copy of a base folder. */
function copy(b: Base): string {
  const dir = join(root, 'cases', `${b}-${++n}`);
  cpSync(join(base, b), dir, { recursive: true });
  return dir;
}

describe('tampered files', () => {
  it('has the cases the issue asks for', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(['sweep', 'shards', 'slurm'] as const)('an untouched %s folder is read without complaint (the cases below start from it)', async (b) => {
    const dir = copy(b);
    const r = await cli(command({ name: '', base: b, file: '', damage: () => {} }, dir));
    expect(r.code, r.out).toBe(0);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: exit 2, the file named, no stack trace, nothing outside changed', async (_, c) => {
    const dir = copy(c.base);
    c.damage(dir);
    const before = snapshot(root, dir);
    const r = await cli(command(c, dir));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(join(dir, c.file));
    if (c.says) expect(r.out).toMatch(c.says);
    expect(r.out).not.toMatch(/^\s+at /m);
    expect(snapshot(root, dir)).toEqual(before);
    if (c.base === 'shards') expect(existsSync(join(dir, 'merged'))).toBe(false);
  });

  it('a damaged sweep.json says how to keep the journal, and moving it aside resumes with no run redone', async () => {
    const dir = copy('sweep');
    truncate(join(dir, 'sweep.json'));
    const r = await cli(command(sweepJsonCases[0], dir));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/mv .*sweep\.json/);
    expect(r.out).not.toMatch(/different spec/);
    renameSync(join(dir, 'sweep.json'), join(dir, 'sweep.json.damaged'));
    const again = await cli(command(sweepJsonCases[0], dir));
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/4 already done, 0 run now/);
    for (const f of ['runs.csv', 'summary.csv', 'series.csv', J]) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(base, 'sweep', f), 'utf8'));
    const log = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { sessions: { rebuiltFrom?: string }[] };
    expect(log.sessions.at(-1)?.rebuiltFrom).toBe(J);
  });

  it('an edited journal line, once removed as the message says, is run again and the sweep finishes as before', async () => {
    const dir = copy('sweep');
    const file = join(dir, J);
    const text = readFileSync(file, 'utf8');
    editLine(file, 3, () => 'null');
    const r = await cli(command(sweepJsonCases[0], dir));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/Remove line 3/);
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter((_, i) => i !== 2).join('\n'));
    const again = await cli(command(sweepJsonCases[0], dir));
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/3 already done, 1 run now/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8')).toBe(readFileSync(join(base, 'sweep', 'runs.csv'), 'utf8'));
  });

  it('a damaged shard.json is written anew by running the shard again, and the shards then merge', async () => {
    const dir = copy('shards');
    truncate(join(dir, S0, 'shard.json'));
    const r = await cli(['sweep', spec, '--shard', '0/2', '--out', join(dir, S0), '--workers', '1', '-q']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/2 already done, 0 run now/);
    const merged = await cli(command({ name: '', base: 'shards', file: '', damage: () => {} }, dir));
    expect(merged.code, merged.out).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'runs.csv'), 'utf8')).toBe(readFileSync(join(base, 'sweep', 'runs.csv'), 'utf8'));
  });

  it('a journal line cut short by a crash is still dropped and its run redone (not damage)', async () => {
    const dir = copy('sweep');
    const file = join(dir, J);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 20));
    const r = await cli(command(sweepJsonCases[0], dir));
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/3 already done, 1 run now/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('the real command exits 2 with the message and no stack trace', () => {
    const dir = copy('sweep');
    editLine(join(dir, J), 2, () => 'null');
    const r = migov(command(sweepJsonCases[0], dir), root);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(join(dir, J));
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a value forged with recomputed checksums is accepted (what the README says the unkeyed checksums cannot catch)', async () => {
    const dir = copy('sweep');
    editLine(join(dir, J), 1, (o) => ({ ...o, final: (o.final as number[]).map(() => 0.125) }));
    const r = await cli(command(sweepJsonCases[0], dir));
    expect(r.code, r.out).toBe(0);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8')).toContain('0.125');
  });
});
