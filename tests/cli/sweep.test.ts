// `migov sweep` as a user runs it, in real child processes: the same bytes whatever
// --workers, and the designs (grid, Latin hypercube, Sobol, Morris) through the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/rng.ts';
import { migov, tempDir, writeSpec } from './helpers.ts';
import { GRID_SPEC, SOBOL_SPEC, STABLE_FILES, readCsv, sessions, stableBytes } from './sweep-helpers.ts';

describe('migov sweep --workers 1, 2 and 4', () => {
  const dir = tempDir();
  const out: Record<number, string> = {};

  beforeAll(() => {
    writeSpec(dir, 'sobol.yaml', SOBOL_SPEC);
    for (const w of [1, 2, 4]) {
      const r = migov(['sweep', 'sobol.yaml', '--out', `w${w}`, '--workers', String(w), '--quiet', '--no-report'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`sobol design, 80 points x 2 replications = 160 runs; 0 already done, 160 run now in .* with ${w} worker`));
      out[w] = join(dir, `w${w}`);
    }
  });

  it('write byte-identical runs, summary, sensitivity, series, failures and journal', () => {
    const one = stableBytes(out[1]);
    for (const f of STABLE_FILES) expect(one[f], f).not.toBeNull();
    expect(stableBytes(out[2])).toEqual(one);
    expect(stableBytes(out[4])).toEqual(one);
    // and the manifests agree on those hashes
    const hashes = (d: string) => (JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { files: Record<string, string> }).files;
    expect(hashes(out[2])).toEqual(hashes(out[1]));
    expect(hashes(out[4])).toEqual(hashes(out[1]));
    for (const f of STABLE_FILES.filter((x) => x !== 'journal.jsonl')) expect(hashes(out[1])[f]).toBe(sha256Hex(one[f]!));
    expect(sessions(out[4]).map((s) => s.workers)).toEqual([4]);
  });

  it('run every Saltelli point, and write S1 and ST with bootstrap intervals for each factor and metric', () => {
    const runs = readCsv(out[1], 'runs.csv');
    expect(runs).toHaveLength(160);
    expect(new Set(runs.map((r) => r.point)).size).toBe(16 * (3 + 2));
    expect(readCsv(out[1], 'failures.csv')).toEqual([]);
    const series = readCsv(out[1], 'series.csv');
    // rounds 0, 5, 10 x 3 metrics per run
    expect(series).toHaveLength(160 * 3 * 3);

    const sens = readCsv(out[1], 'sensitivity.csv');
    const factors = ['params.r', 'protocol.mutation', 'protocol.selectionIntensity'];
    const metrics = ['share_C', 'share_D', 'mean_payoff'];
    expect(sens).toHaveLength(factors.length * metrics.length * 2);
    for (const m of metrics) {
      for (const f of factors) {
        for (const index of ['S1', 'ST']) {
          const row = sens.find((r) => r.metric === m && r.factor === f && r.index === index);
          expect(row, `${m} ${f} ${index}`).toBeDefined();
          expect(row!.method).toBe('sobol');
          const [v, lo, hi] = [Number(row!.value), Number(row!.ci_low), Number(row!.ci_high)];
          expect(Number.isFinite(v) && Number.isFinite(lo) && Number.isFinite(hi)).toBe(true);
          expect(lo).toBeLessThanOrEqual(hi);
        }
      }
    }
    // r drives cooperation in a linear PGG far more than the noise levels do
    const st = (f: string) => Number(sens.find((r) => r.metric === 'share_C' && r.factor === f && r.index === 'ST')!.value);
    expect(st('params.r')).toBeGreaterThan(st('protocol.mutation'));
    expect(st('params.r')).toBeGreaterThan(st('protocol.selectionIntensity'));
  });
});

describe('designs through the CLI', () => {
  it('grid: every combination, the last factor fastest, with a summary per point and no sensitivity.csv', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    const r = migov(['sweep', 'grid.yaml', '--out', 'g', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(r.code).toBe(0);
    const out = join(dir, 'g');
    const runs = readCsv(out, 'runs.csv');
    expect(runs).toHaveLength(6 * 3);
    const points = [...new Map(runs.map((x) => [x.point, `${x['params.r']}|${x['protocol.mutation']}`])).values()];
    expect(points).toEqual(['2|0.01', '2|0.1', '4|0.01', '4|0.1', '6|0.01', '6|0.1']);
    expect(Object.keys(runs[0])).toEqual(['point', 'replication', 'seed', 'params.r', 'protocol.mutation', 'rounds_run', 'stopped_by', 'share_C', 'share_D', 'mean_payoff']);
    const summary = readCsv(out, 'summary.csv');
    expect(summary).toHaveLength(6 * 3);
    expect(summary.every((s) => s.n === '3')).toBe(true);
    // the summary's mean is the mean of the runs
    const p0 = runs.filter((x) => x.point === '0').map((x) => Number(x.share_C));
    const s0 = summary.find((s) => s.point === '0' && s.metric === 'share_C')!;
    expect(Number(s0.mean)).toBeCloseTo(p0.reduce((a, b) => a + b, 0) / 3, 10);
    expect(existsSync(join(out, 'sensitivity.csv'))).toBe(false);
  });

  it('lhs: `samples` points, each of the n strata of every factor hit exactly once', () => {
    const dir = tempDir();
    writeSpec(
      dir,
      'lhs.yaml',
      GRID_SPEC.replace(/sweep:[\s\S]*$/, `sweep:
  design: lhs
  samples: 7
  factors:
    - { path: params.r, min: 1, max: 8 }
    - { path: protocol.mutation, min: 0, max: 0.2 }
`),
    );
    const r = migov(['sweep', 'lhs.yaml', '--out', 'l', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(r.stdout).toMatch(/lhs design, 7 points x 3 replications = 21 runs/);
    expect(r.code).toBe(0);
    const runs = readCsv(join(dir, 'l'), 'runs.csv');
    expect(runs).toHaveLength(21);
    const points = [...new Map(runs.map((x) => [x.point, x])).values()];
    expect(points).toHaveLength(7);
    for (const [f, min, max] of [['params.r', 1, 8], ['protocol.mutation', 0, 0.2]] as const) {
      const strata = points.map((p) => Math.floor(((Number(p[f]) - min) / (max - min)) * 7)).sort();
      expect(strata, f).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
    expect(existsSync(join(dir, 'l', 'sensitivity.csv'))).toBe(false);
  });

  it('morris: r (k + 1) points, each step moving one factor by delta, and mu*, mu, sigma per factor and metric', () => {
    const dir = tempDir();
    writeSpec(
      dir,
      'morris.yaml',
      GRID_SPEC.replace(/replications: 3/, 'replications: 1').replace(/sweep:[\s\S]*$/, `sweep:
  design: morris
  samples: 4
  levels: 4
  factors:
    - { path: params.r, min: 1, max: 7 }
    - { path: protocol.mutation, min: 0, max: 0.3 }
    - { path: protocol.selectionIntensity, min: 0, max: 3 }
`),
    );
    const r = migov(['sweep', 'morris.yaml', '--out', 'm', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(r.stdout).toMatch(/morris design, 16 points x 1 replications = 16 runs/);
    expect(r.code).toBe(0);
    const runs = readCsv(join(dir, 'm'), 'runs.csv');
    expect(runs.map((x) => Number(x.point))).toEqual([...Array(16).keys()]);
    // delta = p / (2 (p - 1)) = 2/3 of each range
    const ranges: Record<string, number> = { 'params.r': 6, 'protocol.mutation': 0.3, 'protocol.selectionIntensity': 3 };
    for (let t = 0; t < 4; t++) {
      const moved: string[] = [];
      for (let s = 1; s <= 3; s++) {
        const [a, b] = [runs[t * 4 + s - 1], runs[t * 4 + s]];
        const changed = Object.keys(ranges).filter((f) => a[f] !== b[f]);
        expect(changed, `trajectory ${t} step ${s}`).toHaveLength(1);
        const f = changed[0];
        expect(Math.abs(Number(b[f]) - Number(a[f])) / ranges[f]).toBeCloseTo(2 / 3, 9);
        moved.push(f);
      }
      expect(moved.sort()).toEqual(Object.keys(ranges).sort());
    }
    const sens = readCsv(join(dir, 'm'), 'sensitivity.csv');
    expect(sens).toHaveLength(3 * 3 * 3);
    expect(new Set(sens.map((s) => `${s.method}:${s.index}`))).toEqual(new Set(['morris:mu_star', 'morris:mu', 'morris:sigma']));
    for (const s of sens.filter((x) => x.index === 'mu_star')) {
      const mu = Number(sens.find((x) => x.factor === s.factor && x.metric === s.metric && x.index === 'mu')!.value);
      // mu* = mean |EE| >= |mean EE| = |mu|
      expect(Number(s.value)).toBeGreaterThanOrEqual(Math.abs(mu) - 1e-12);
    }
  });
});
