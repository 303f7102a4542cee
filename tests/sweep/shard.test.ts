// Shards and merge, in this process (no Slurm): the slices of a plan are disjoint and
// cover it; shards run and merged give the bytes of a single-machine sweep; and merge
// refuses, naming the shard and writing nothing, when a shard is missing, unfinished,
// corrupt, duplicated, of another spec or of another split.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/rng.ts';
import { loadSpec } from '../../src/experiment/load.ts';
import { SpecError } from '../../src/experiment/errors.ts';
import { inProcessExecutor } from '../../src/sweep/executor.ts';
import { formatRecord, readJournal } from '../../src/sweep/journal.ts';
import { MergeError, mergeShards } from '../../src/sweep/merge.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { parseShard, shardTasks } from '../../src/sweep/shard.ts';
import { shardSize } from '../../src/sweep/slurm.ts';
import { OutputError } from '../../src/sweep/store.ts';
import { runSweep } from '../../src/sweep/sweep.ts';
import { tempDir, writeSpec } from '../cli/helpers.ts';
import { GRID_SPEC, SOBOL_SPEC, STABLE_FILES, stableBytes } from '../cli/sweep-helpers.ts';

/** Manifest fields that record when, where and with what a folder was written. */
const VOLATILE = ['startedAt', 'endedAt', 'versions', 'git', 'platform', 'migov'] as const;

function manifestWithoutVolatile(dir: string): Record<string, unknown> {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  for (const k of VOLATILE) {
    expect(m, `manifest.json has ${k}`).toHaveProperty(k);
    delete m[k];
  }
  return m;
}

describe('shard slices', () => {
  const dir = tempDir();
  const plans = [GRID_SPEC, SOBOL_SPEC].map((text, i) => {
    const file = writeSpec(dir, `s${i}.yaml`, text);
    return planSweep(loadSpec(file), file);
  });

  it('are disjoint, cover the plan, keep its order and have the sizes slurm.ts counts with, for any n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 200 }), (p, n) => {
        const tasks = plans[p].tasks;
        const seen = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const slice = shardTasks(tasks, { index: i, count: n });
          expect(slice.length).toBe(shardSize(tasks.length, n, i));
          // plan order kept within a shard
          const at = slice.map((t) => tasks.indexOf(t));
          expect(at).toEqual([...at].sort((a, b) => a - b));
          expect(at.every((k) => k % n === i)).toBe(true);
          for (const t of slice) {
            expect(seen.has(t.key), `${t.key} in two shards`).toBe(false);
            seen.set(t.key, i);
          }
        }
        expect([...seen.keys()].sort()).toEqual(tasks.map((t) => t.key).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('spread each shard over the design: with n dividing the points, shard i gets replication 0 of points i, i+n, ...', () => {
    const slice = shardTasks(plans[0].tasks, { index: 1, count: 3 });
    expect(slice.slice(0, 2).map((t) => t.key)).toEqual(['1-0', '4-0']);
  });

  it('parseShard takes i/n and names --shard for anything else', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    for (const bad of ['4/4', '-1/4', '1/0', '1', 'a/b', '1/4/2', '1.5/4']) {
      expect(() => parseShard(bad), bad).toThrow(SpecError);
      expect(() => parseShard(bad), bad).toThrow(/--shard.*i\/n/);
    }
  });
});

describe('shards merged', () => {
  const dir = tempDir();
  const file = writeSpec(dir, 'sobol.yaml', SOBOL_SPEC);
  const spec = loadSpec(file);
  const shardDir = (i: number, n = 3) => join(dir, `shard-${i}-of-${n}`);

  beforeAll(async () => {
    await runSweep(spec, { file, dir: join(dir, 'whole'), executor: inProcessExecutor() });
    for (let i = 0; i < 3; i++) {
      const r = await runSweep(spec, { file, dir: shardDir(i), executor: inProcessExecutor(), shard: { index: i, count: 3 } });
      expect(r.complete).toBe(true);
      expect(r.total).toBe(shardSize(160, 3, i));
    }
  });

  it('a shard writes its journal, sweep.json and shard.json (with the journal sha256), never the tables', () => {
    const files = readdirSync(shardDir(1)).sort();
    expect(files).toEqual(['.migov', 'journal.jsonl', 'shard.json', 'sweep.json']);
    const m = JSON.parse(readFileSync(join(shardDir(1), 'shard.json'), 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({ kind: 'sweep-shard', shard: { index: 1, count: 3 }, seed: 5, runs: 53, failed: 0, specFile: file, question: 'a small Sobol sweep for tests' });
    expect((m.files as Record<string, string>)['journal.jsonl']).toBe(sha256Hex(readFileSync(join(shardDir(1), 'journal.jsonl'), 'utf8')));
    expect(readJournal(join(shardDir(1), 'journal.jsonl')).outcomes.size).toBe(53);
  });

  it('merge writes the bytes of the single-machine sweep; the manifest differs only in times and versions', async () => {
    const out = join(dir, 'merged');
    const r = await mergeShards([shardDir(2), shardDir(0), shardDir(1)], { out });
    expect(r.total).toBe(160);
    expect(r.failed).toEqual([]);
    const whole = stableBytes(join(dir, 'whole'));
    for (const f of STABLE_FILES) expect(whole[f], f).not.toBeNull();
    expect(stableBytes(out)).toEqual(whole);
    expect(manifestWithoutVolatile(out)).toEqual(manifestWithoutVolatile(join(dir, 'whole')));
    // no temporary folder left beside it
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    // the merged folder is a finished sweep of the spec: resuming it runs nothing and changes no table
    const again = await runSweep(spec, { file, dir: out, executor: inProcessExecutor() });
    expect(again.ran).toBe(0);
    expect(stableBytes(out)).toEqual(whole);
  });

  it('a report that fails (finish throws) leaves nothing written', async () => {
    const out = join(dir, 'failed-report');
    await expect(mergeShards([shardDir(0), shardDir(1), shardDir(2)], { out, finish: async () => { throw new Error('render failed'); } })).rejects.toThrow('render failed');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a shard folder resumes only as the same shard', async () => {
    await expect(runSweep(spec, { file, dir: shardDir(1), executor: inProcessExecutor(), shard: { index: 2, count: 3 } })).rejects.toThrow(OutputError);
    await expect(runSweep(spec, { file, dir: shardDir(1), executor: inProcessExecutor() })).rejects.toThrow(/a shard of a `migov sweep --shard`, not a `migov sweep` folder/);
    const same = await runSweep(spec, { file, dir: shardDir(1), executor: inProcessExecutor(), shard: { index: 1, count: 3 } });
    expect(same.ran).toBe(0);
    expect(same.resumed).toBe(53);
  });
});

describe('merge refuses, naming the shard, and writes nothing', () => {
  const dir = tempDir();
  const file = writeSpec(dir, 'grid.yaml', GRID_SPEC);
  const other = writeSpec(dir, 'other.yaml', GRID_SPEC.replace('seed: 17', 'seed: 18'));
  let n = 0;

  /** Fresh shards of a spec (so that each case can damage its own). */
  async function shards(count: number, specFile = file, only?: number[]): Promise<string[]> {
    const spec = loadSpec(specFile);
    const base = join(dir, `set-${n++}`);
    const out: string[] = [];
    for (const i of only ?? [...Array(count).keys()]) {
      const d = join(base, `shard-${i}`);
      await runSweep(spec, { file: specFile, dir: d, executor: inProcessExecutor(), shard: { index: i, count } });
      out.push(d);
    }
    return out;
  }

  async function refuses(folders: string[], message: RegExp): Promise<void> {
    const out = join(dir, `out-${n++}`);
    let err: unknown;
    try {
      await mergeShards(folders, { out });
    } catch (e) {
      err = e;
    }
    expect(err, 'merge must throw').toBeInstanceOf(MergeError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/Nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  }

  /** Rewrites a shard's shard.json so that its recorded sha256 of the journal matches again. */
  function resign(folder: string): void {
    const path = join(folder, 'shard.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, string> };
    m.files['journal.jsonl'] = sha256Hex(readFileSync(join(folder, 'journal.jsonl'), 'utf8'));
    writeFileSync(path, JSON.stringify(m));
  }

  it('a missing shard', async () => {
    const s = await shards(3, file, [0, 2]);
    await refuses(s, /shard 1\/3 is missing/);
  });

  it('an unfinished shard (no shard.json), with how many runs it holds', async () => {
    const s = await shards(3);
    const spec = loadSpec(file);
    // stop shard 1 after two runs
    const unfinished = join(dir, `unfinished-${n++}`);
    let k = 0;
    const r = await runSweep(spec, { file, dir: unfinished, executor: inProcessExecutor(), shard: { index: 1, count: 3 }, onProgress: (d) => (k = d), stopped: () => k >= 2 });
    expect(r.complete).toBe(false);
    await refuses([s[0], unfinished, s[2]], new RegExp(`shard 1/3 \\(${unfinished}\\) has not finished: no shard.json, 2 run\\(s\\) in its journal`));
  });

  it('a corrupted journal (one byte changed)', async () => {
    const s = await shards(3);
    const j = join(s[1], 'journal.jsonl');
    const text = readFileSync(j, 'utf8');
    writeFileSync(j, text.replace('"share_C"', '"share_X"'));
    await refuses(s, new RegExp(`shard 1/3: ${j} is corrupt: its sha256 does not match shard.json`));
  });

  it('a corrupt shard.json', async () => {
    const s = await shards(2);
    writeFileSync(join(s[0], 'shard.json'), '{"kind": "sweep-shard", ');
    await refuses(s, /shard-0\/shard.json is damaged: not valid JSON/);
  });

  it('a run duplicated in two shards (checksums re-signed, so only the runs give it away)', async () => {
    const s = await shards(3);
    const stray = [...readJournal(join(s[0], 'journal.jsonl')).outcomes.values()][0];
    writeFileSync(join(s[1], 'journal.jsonl'), readFileSync(join(s[1], 'journal.jsonl'), 'utf8') + formatRecord(stray));
    resign(s[1]);
    await refuses(s, new RegExp(`run ${stray.key} is duplicated: in shard 0/3 .* and in shard 1/3`));
  });

  it('a run missing from a shard\'s journal (re-signed)', async () => {
    const s = await shards(3);
    const j = join(s[2], 'journal.jsonl');
    const lines = readFileSync(j, 'utf8').split('\n');
    writeFileSync(j, lines.slice(1).join('\n'));
    resign(s[2]);
    await refuses(s, /shard 2\/3 .*: 1 run\(s\) of its slice missing from its journal/);
  });

  it('shards of a different spec (another master seed)', async () => {
    const a = await shards(2);
    const b = await shards(2, other);
    await refuses([a[0], b[1]], /shard-1: shard of a different spec/);
  });

  it('shards of a different split, and the same shard given twice', async () => {
    const a = await shards(2);
    const b = await shards(3);
    await refuses([a[0], a[1], b[2]], /shard 2\/3 of a 3-way split, not 2/);
    await refuses([a[0], a[0], a[1]], /shard 0\/2 given twice/);
  });

  it('into a folder that is not empty, unless --force (which moves it aside)', async () => {
    const s = await shards(2);
    const out = join(dir, `taken-${n++}`);
    await mergeShards(s, { out });
    await expect(mergeShards(s, { out })).rejects.toThrow(OutputError);
    await mergeShards(s, { out, force: true });
    expect(existsSync(`${out}.old-1/runs.csv`)).toBe(true);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8')).toBe(readFileSync(`${out}.old-1/runs.csv`, 'utf8'));
  });
});

describe('the typed API', () => {
  it('sweep({ shard }) and merge() do what `migov sweep --shard` and `migov merge` do', async () => {
    const { sweep, merge } = await import('../../src/index.ts');
    const dir = tempDir();
    const file = writeSpec(dir, 'grid.yaml', GRID_SPEC);
    const whole = await sweep(file, { workers: 1, out: join(dir, 'whole'), report: false });
    const a = await sweep(file, { workers: 1, shard: '0/2', resultsDir: dir });
    const b = await sweep(file, { workers: 1, shard: { index: 1, count: 2 }, resultsDir: dir });
    expect([a.dir, b.dir]).toEqual([join(dir, 'grid-small.shard-0-of-2'), join(dir, 'grid-small.shard-1-of-2')]);
    expect(a.total + b.total).toBe(whole.total);
    expect(existsSync(join(a.dir, 'report.html'))).toBe(false);
    const m = await merge([a.dir, b.dir], { out: join(dir, 'merged'), report: false });
    expect(stableBytes(m.dir)).toEqual(stableBytes(whole.dir));
    await expect(sweep(file, { shard: '2/2', resultsDir: dir })).rejects.toThrow(/<options>.shard/);
  });
});
