// `migov sweep --shard i/n` and `migov merge` as a user runs them, in real child
// processes: the merged folder, charts and report included, has the bytes of a
// single-machine `migov sweep` of the same spec, but for the times, versions and git
// state recorded in manifest.json and shown in report.html.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migov, tempDir, writeSpec } from './helpers.ts';
import { expectSameSweep } from './shard-helpers.ts';
import { GRID_SPEC } from './sweep-helpers.ts';

describe('migov sweep --shard, then migov merge', () => {
  const dir = tempDir();
  beforeAll(() => {
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
  });

  it('gives the folder of a single-machine sweep, byte for byte but for the recorded times and versions', () => {
    const single = migov(['sweep', 'grid.yaml', '--out', 'single', '--workers', '1', '--quiet'], dir);
    expect(single.stderr).toBe('');
    expect(single.code).toBe(0);
    for (const i of [0, 1, 2]) {
      const r = migov(['sweep', 'grid.yaml', '--shard', `${i}/3`, '--workers', i === 1 ? '2' : '1', '--quiet'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`grid-small shard ${i}/3: grid design, 6 points x 3 replications = 18 runs, 6 in this shard; 0 already done, 6 run now`);
      // the default folder; a shard writes no tables and no report
      const folder = join(dir, 'results', `grid-small.shard-${i}-of-3`);
      expect(readdirSync(folder).sort()).toEqual(['.migov', 'journal.jsonl', 'shard.json', 'sweep.json']);
    }
    const m = migov(['merge', 'results/grid-small.shard-2-of-3', 'results/grid-small.shard-0-of-3', 'results/grid-small.shard-1-of-3', '--out', 'merged'], dir);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('grid-small: merged 3 shard(s): grid design, 6 points x 3 replications = 18 runs');
    expect(m.stdout).toContain(`Report: ${join(dir, 'merged', 'report.html')}`);
    expectSameSweep(join(dir, 'merged'), join(dir, 'single'));
    // the session log says which shard ran what
    const sessions = (JSON.parse(readFileSync(join(dir, 'merged', 'sweep.json'), 'utf8')) as { sessions: { shard?: string; ran?: number; merged?: number }[] }).sessions;
    expect(sessions.map((s) => s.shard ?? `merged ${s.merged}`)).toEqual(['0/3', '1/3', '2/3', 'merged 3']);
  });

  it('exits 2 naming the missing shard, and writes nothing', () => {
    const r = migov(['merge', 'results/grid-small.shard-0-of-3', 'results/grid-small.shard-2-of-3', '--out', 'partial'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: cannot merge: shard 1\/3 is missing/);
    expect(existsSync(join(dir, 'partial'))).toBe(false);
  });

  it('refuses a malformed --shard with exit 2 before running anything', () => {
    const r = migov(['sweep', 'grid.yaml', '--shard', '3/3', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard: the file: got "3\/3"; allowed: i\/n/);
    expect(existsSync(join(dir, 'results', 'grid-small.shard-3-of-3'))).toBe(false);
  });
});
