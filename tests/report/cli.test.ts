// `migov report <folder>`, and `migov run` making the report by default, through the real command.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.ts';
import { SMALL_SPEC, migov, tempDir, writeSpec } from '../cli/helpers.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('migov run and migov report', () => {
  it('`migov run` writes the charts and report.html after the results, and prints where the report is', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    const r = migov(['run', 'small.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = join(dir, 'results', 'small');
    expect(r.stdout).toMatch(new RegExp(`Results: ${out}\\nReport: ${out}/report\\.html\\n`));
    expect(readdirSync(out).sort()).toEqual(['.migov', 'charts', 'final.csv', 'manifest.json', 'outcomes.csv', 'report.html', 'series.csv']);
    // a textbook model: the strategy shares over rounds
    expect(readdirSync(join(out, 'charts')).sort()).toEqual(['metric-mean-payoff.png', 'metric-mean-payoff.svg', 'metric-mean-payoff.vl.json', 'strategy-shares.png', 'strategy-shares.svg', 'strategy-shares.vl.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const f of Object.keys(manifest.files)) expect(manifest.files[f], f).toBe(sha(join(out, f)));
    expect(Object.keys(manifest.files)).toContain('report.html');
    // the question is the spec's comment header
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<p>a small spec for tests</p>');
  });

  it('`migov run --no-report` writes only the results; `migov report` then makes the same report', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--out', 'a'], dir).code).toBe(0);
    const r = migov(['run', 'small.yaml', '--out', 'b', '--no-report'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Report:/);
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(['.migov', 'final.csv', 'manifest.json', 'outcomes.csv', 'series.csv']);
    const rep = migov(['report', 'b'], dir);
    expect(rep.stderr).toBe('');
    expect(rep.code).toBe(0);
    expect(rep.stdout).toBe(`Report: ${join(dir, 'b', 'report.html')}\n`);
    // the same spec and seed give the same charts (to the byte) whether made by run or by report
    for (const f of ['charts/strategy-shares.vl.json', 'charts/strategy-shares.svg', 'charts/strategy-shares.png']) {
      expect(sha(join(dir, 'b', f)), f).toBe(sha(join(dir, 'a', f)));
    }
    // and made again from the same folder, report.html and the manifest too
    const before = [sha(join(dir, 'b', 'report.html')), sha(join(dir, 'b', 'manifest.json'))];
    expect(migov(['report', 'b', '--quiet'], dir).stdout).toBe('');
    expect([sha(join(dir, 'b', 'report.html')), sha(join(dir, 'b', 'manifest.json'))]).toEqual(before);
  });

  it('`migov report` exits with code 2 and names the folder and the file when one is missing', () => {
    const dir = tempDir();
    run({ name: 'o', model: 'linear-pgg', params: { Z: 30 }, rounds: 10, replications: 2 }, { out: join(dir, 'o'), report: false });
    rmSync(join(dir, 'o', 'final.csv'));
    const r = migov(['report', 'o'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: o\/final\.csv: missing; /);
    expect(existsSync(join(dir, 'o', 'report.html'))).toBe(false);
    const none = migov(['report', 'nowhere'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: nowhere: no such folder/);
  });

  it('run() in the API makes the report unless report is false', () => {
    const dir = tempDir();
    const spec = { name: 'api', model: 'linear-pgg', params: { Z: 30 }, rounds: 10, replications: 2 };
    const with_ = run(spec, { out: join(dir, 'with') });
    expect(with_.report).toBe(join(dir, 'with', 'report.html'));
    expect(existsSync(with_.report!)).toBe(true);
    const without = run(spec, { out: join(dir, 'without'), report: false });
    expect(without.report).toBeNull();
    expect(existsSync(join(dir, 'without', 'report.html'))).toBe(false);
  });
});
