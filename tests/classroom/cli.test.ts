// `migov classroom` refusals before anything listens or is written: too many seats, a
// spec with several replications, an --out folder holding the user's files; and
// `migov sweep` refusing a spec with moves.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'migov-classroom-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function migov(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const e = console.error;
  const l = console.log;
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  console.log = () => {};
  try {
    return { code: await main(['node', 'migov', ...args]), err: err.join('\n') };
  } finally {
    console.error = e;
    console.log = l;
  }
}

describe('migov classroom refuses before it starts', () => {
  it('more seats than states (exit 2, nothing written)', async () => {
    const out = join(dir, 'a');
    const r = await migov(['classroom', '--seats', '13', '--port', '0', '--host', '127.0.0.1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seats: got 13; the game has 12 states/);
    expect(existsSync(out)).toBe(false);
  });

  it('a spec with more than one replication', async () => {
    const r = await migov(['classroom', '--set', 'replications=3', '--port', '0', '--out', join(dir, 'b')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/replications must be 1/);
  });

  it("an --out folder holding the user's files, left as it was", async () => {
    const out = join(dir, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    const r = await migov(['classroom', '--port', '0', '--host', '127.0.0.1', '--out', out]);
    expect(r.code).toBe(2);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes');
  });
});

describe('migov sweep with moves', () => {
  it('is refused: a sweep would drop the held choices', async () => {
    const spec = join(dir, 'sweep.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'held',
        model: 'migration-governance',
        params: { states: { N: 12, regions: 3 } },
        rounds: 2,
        moves: [{ round: 1, state: 0, area: 'refugee', level: 'M' }],
        sweep: { design: 'grid', factors: [{ path: 'params.multiplier', values: [1, 2] }] },
      }),
    );
    const r = await migov(['sweep', spec, '--out', join(dir, 'sw')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/moves.*a sweep would run every point without the held choices/s);
    expect(existsSync(join(dir, 'sw'))).toBe(false);
  });
});
