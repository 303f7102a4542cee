// The bundled CLI (scripts/bundle.js): it never runs code older than the sources, and
// it gives the same bytes as the TypeScript sources run through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import { bundledMain } from '../../scripts/bundle.js';
import { planSweep } from '../../src/sweep/plan.ts';
import { type RunOutcome, runTask } from '../../src/sweep/run-task.ts';
import { loadSpec } from '../../src/experiment/load.ts';
import { BIN, SMALL_SPEC, tempDir, writeSpec } from './helpers.ts';
import { GRID_SPEC, STABLE_FILES } from './sweep-helpers.ts';

const REPO = resolve(import.meta.dirname, '../..');

/** A copy of the repository's sources whose node_modules links to the real packages (so its bundle cache is its own). */
function copyOfRepo(): string {
  const root = tempDir('migov-startup-');
  for (const path of ['bin', 'scripts', 'src', 'models', 'package.json', 'tsconfig.json']) cpSync(join(REPO, path), join(root, path), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(join(REPO, 'node_modules', name), join(root, 'node_modules', name));
  }
  return root;
}

function cli(bin: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function currentBundle(root: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules/.cache/migov/current.json'), 'utf8')) as { dir: string }).dir;
  } catch {
    return undefined;
  }
}

describe('the bundled CLI', () => {
  it('is rebuilt when a source it was built from changes, so edited code always runs', { timeout: 120_000 }, () => {
    const root = copyOfRepo();
    const bin = join(root, 'bin/migov.js');
    const model = join(root, 'models/linear-pgg.ts');
    const source = readFileSync(model, 'utf8');
    const word = 'Linear public goods game';
    expect(source).toContain(word);

    const first = cli(bin, ['models'], root);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(word);
    const built = currentBundle(root);
    expect(built).toBeDefined();

    // an ordinary edit
    writeFileSync(model, source.replace(word, 'Linear public goods GAME'));
    const edited = cli(bin, ['models'], root);
    expect(edited.stdout).toContain('Linear public goods GAME');
    const rebuilt = currentBundle(root);
    expect(rebuilt).not.toBe(built);

    // an edit of the same size with the old modification time put back
    const before = statSync(model);
    writeFileSync(model, source.replace(word, 'Linear public goods gamE'));
    utimesSync(model, before.atime, before.mtime);
    expect(statSync(model).size).toBe(before.size);
    const sneaky = cli(bin, ['models'], root);
    expect(sneaky.stdout).toContain('Linear public goods gamE');
    const rebuiltAgain = currentBundle(root);
    expect(rebuiltAgain).not.toBe(rebuilt);

    // a touch that leaves the bytes as they are: the bundle stays
    utimesSync(model, new Date(), new Date(Date.now() + 5000));
    expect(cli(bin, ['models'], root).stdout).toContain('Linear public goods gamE');
    expect(currentBundle(root)).toBe(rebuiltAgain);

    // a bundled file removed: rebuilt
    writeFileSync(join(root, 'node_modules/.cache/migov', rebuiltAgain!, 'main.js'), '');
    expect(cli(bin, ['models'], root).stdout).toContain('Linear public goods gamE');
  });

  it('gives the same bytes as the sources through tsx, for a run and a sweep on 2 workers', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const spec = writeSpec(dir, 'small.yaml', SMALL_SPEC);
    const grid = writeSpec(dir, 'grid.yaml', GRID_SPEC);
    for (const [name, env] of [
      ['bundle', {}],
      ['tsx', { MIGOV_NO_BUNDLE: '1' }],
    ] as const) {
      expect(cli(BIN, ['run', spec, '--out', join(dir, `run-${name}`), '--no-report', '--workers', '2', '-q'], dir, env).code).toBe(0);
      expect(cli(BIN, ['sweep', grid, '--out', join(dir, `sweep-${name}`), '--no-report', '--workers', '2', '-q'], dir, env).code).toBe(0);
    }
    for (const file of ['series.csv', 'final.csv']) expect(readFileSync(join(dir, 'run-bundle', file), 'utf8')).toBe(readFileSync(join(dir, 'run-tsx', file), 'utf8'));
    let compared = 0;
    for (const file of STABLE_FILES) {
      let tsx: string;
      try {
        tsx = readFileSync(join(dir, 'sweep-tsx', file), 'utf8');
      } catch {
        continue;
      }
      expect(readFileSync(join(dir, 'sweep-bundle', file), 'utf8'), file).toBe(tsx);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    expect(currentBundle(REPO)).toBeDefined();
  });

  it('is not used when MIGOV_NO_BUNDLE is set or the cache cannot be written (the command then runs through tsx)', async () => {
    const saved = process.env.MIGOV_NO_BUNDLE;
    process.env.MIGOV_NO_BUNDLE = '1';
    try {
      expect(await bundledMain()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.MIGOV_NO_BUNDLE;
      else process.env.MIGOV_NO_BUNDLE = saved;
    }
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect(await bundledMain({ cache: join(file, 'cache') })).toBeUndefined();
  });

  it("runs the pool's threads from the bundled worker, with the outcomes of the sources", { timeout: 60_000 }, async () => {
    const main = await bundledMain();
    expect(main).toBeDefined();
    const worker = pathToFileURL(join(REPO, 'node_modules/.cache/migov', currentBundle(REPO)!, 'worker.cjs')).href;
    const dir = tempDir();
    const { tasks } = planSweep(loadSpec(writeSpec(dir, 'grid.yaml', GRID_SPEC)), 'grid.yaml');
    const pool = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });
    try {
      const bundled = (await pool.run(tasks)) as RunOutcome[];
      expect(bundled).toEqual(tasks.map(runTask));
    } finally {
      await pool.destroy();
    }
  });
});
