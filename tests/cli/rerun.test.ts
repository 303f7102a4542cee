// Rerunning from what a result folder records (`migov run|sweep <folder>/manifest.json`),
// and what the terminal says: the sweep's results table, `migov run --workers`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_SPEC, migov, tempDir, writeSpec } from './helpers.ts';
import { GRID_SPEC, STABLE_FILES } from './sweep-helpers.ts';

const RUN_TABLES = ['series.csv', 'final.csv', 'outcomes.csv'];

function same(a: string, b: string, files: readonly string[]): string[] {
  const compared: string[] = [];
  for (const f of files) {
    if (!existsSync(join(a, f))) continue;
    expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    compared.push(f);
  }
  return compared;
}

describe('rerun from a manifest', () => {
  it('migov run <folder>/manifest.json writes the same tables byte for byte, beside the folder it came from', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--no-report'], dir).code).toBe(0);
    const r = migov(['run', 'results/small/manifest.json', '--no-report'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // never into the folder the manifest is in: that folder is kept as it was
    expect(r.stdout).toMatch(/Rerunning results\/small\/manifest\.json into results\/small-rerun/);
    expect(same(join(dir, 'results/small'), join(dir, 'results/small-rerun'), RUN_TABLES)).toEqual(expect.arrayContaining(['series.csv', 'final.csv']));
    const m = JSON.parse(readFileSync(join(dir, 'results/small-rerun/manifest.json'), 'utf8'));
    const m0 = JSON.parse(readFileSync(join(dir, 'results/small/manifest.json'), 'utf8'));
    expect(m.specHash).toBe(m0.specHash);
    expect(m.question).toBe('a small spec for tests');
    // --out names any other folder; the manifest's own folder stays refused by the folder rules
    expect(migov(['run', 'results/small/manifest.json', '--no-report', '--out', 'again'], dir).code).toBe(0);
    same(join(dir, 'results/small'), join(dir, 'again'), RUN_TABLES);
    const own = migov(['run', 'results/small/manifest.json', '--no-report', '--out', 'results/small'], dir);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/holds the spec file/);
  });

  it('migov sweep <folder>/manifest.json writes the same runs.csv, summary.csv and journal byte for byte', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    expect(migov(['sweep', 'grid.yaml', '--no-report', '-q', '--workers', '2'], dir).code).toBe(0);
    const r = migov(['sweep', 'results/grid-small/manifest.json', '--no-report', '--workers', '1', '--out', 'rerun'], dir);
    expect(r.code).toBe(0);
    expect(same(join(dir, 'results/grid-small'), join(dir, 'rerun'), STABLE_FILES)).toEqual(expect.arrayContaining(['runs.csv', 'summary.csv', 'journal.jsonl', 'series.csv']));
    // a sweep's manifest is not a `migov run` spec: the refusal names the command that reruns it
    const run = migov(['run', 'results/grid-small/manifest.json', '--no-report'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/migov sweep results\/grid-small\/manifest\.json/);
  });

  it('refuses a manifest whose spec no longer matches its recorded hash, writing nothing', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--no-report', '--out', 'a'], dir).code).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'a/manifest.json'), 'utf8'));
    m.spec.params.r = 4;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(m, null, 2));
    const r = migov(['run', 'tampered.json', '--no-report', '--out', 'b'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/specHash/);
    expect(r.stderr).toMatch(/changed after the run/);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('records a version for every dependency, the fonts included', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--no-report', '--out', 'a'], dir).code).toBe(0);
    const versions = JSON.parse(readFileSync(join(dir, 'a/manifest.json'), 'utf8')).versions as Record<string, string>;
    expect(versions['dejavu-fonts-ttf']).toMatch(/^\d+\.\d+/);
    expect(Object.entries(versions).filter(([, v]) => v === 'unknown')).toEqual([]);
  });
});

describe('the terminal says what happened', () => {
  it('migov run gives byte-identical tables with --workers 1 and --workers 2', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC.replace('replications: 3', 'replications: 9'));
    const one = migov(['run', 'small.yaml', '--no-report', '--workers', '1', '--out', 'w1'], dir);
    const two = migov(['run', 'small.yaml', '--no-report', '--workers', '2', '--out', 'w2'], dir);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(one.stdout).toMatch(/1 worker\(s\)/);
    expect(two.stdout).toMatch(/2 worker\(s\)/);
    expect(same(join(dir, 'w1'), join(dir, 'w2'), RUN_TABLES)).toEqual(expect.arrayContaining(['series.csv', 'final.csv', 'outcomes.csv']));
  });

  it('migov sweep ends with the metrics per design point, mean ± CI', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    const r = migov(['sweep', 'grid.yaml', '--no-report', '-q', '--workers', '1'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => /^point\s+params\.r\s+protocol\.mutation\s+share_C\s+share_D\s+mean_payoff$/.test(l));
    expect(lines[head - 1]).toBe('Final values, mean ± 95% CI over replications:');
    expect(head).toBeGreaterThanOrEqual(0);
    // 6 design points, one line each
    expect(lines.slice(head + 2, head + 8).every((l) => /^\d\s.*±/.test(l))).toBe(true);
  });
});
