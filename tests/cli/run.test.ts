import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/rng.ts';
import { SMALL_SPEC, migov, tempDir, writeSpec } from './helpers.ts';

describe('migov run', () => {
  it('runs a spec, prints a summary and writes a self-describing result folder', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    const r = migov(['run', 'small.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/share_C/);
    expect(r.stdout).toMatch(/Results: .*results\/small/);
    const out = join(dir, 'results', 'small');
    expect(readdirSync(out).sort()).toEqual(['.migov', 'charts', 'final.csv', 'manifest.json', 'outcomes.csv', 'report.html', 'series.csv']);
    expect(r.stdout).toMatch(/Report: .*results\/small\/report\.html/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.spec.params).toMatchObject({ Z: 50, N: 5, r: 3, c: 1, payoffs: 'expected' });
    expect(manifest.replications).toHaveLength(3);
    expect(manifest.versions.node).toBe(process.version);
    for (const f of ['series.csv', 'final.csv']) {
      expect(manifest.files[f]).toBe(sha256Hex(readFileSync(join(out, f), 'utf8')));
    }
    const final = readFileSync(join(out, 'final.csv'), 'utf8').trim().split('\n');
    expect(final[0]).toBe('replication,seed,rounds_run,stopped_by,share_C,share_D,mean_payoff');
    expect(final).toHaveLength(4);
    const series = readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n');
    // 3 replications x rounds 0,5,10,15,20 x 3 metrics, plus the header
    expect(series).toHaveLength(1 + 3 * 5 * 3);
    // outcomes.csv: the same rows, long, with each metric's declared dimensions, kind and unit
    const long = readFileSync(join(out, 'outcomes.csv'), 'utf8').trim().split('\n');
    expect(long[0]).toBe('replication,seed,round,metric,issue_area,level,role,strategy,kind,unit,value');
    expect(long).toHaveLength(series.length);
    const [rep, seed, round, , value] = series[1].split(',');
    expect(long[1]).toBe(`${rep},${seed},${round},share_C,,,,C,share,share of agents,${value}`);
    expect(long.find((l) => l.split(',')[3] === 'mean_payoff')).toMatch(/,mean_payoff,,,,,welfare,payoff units,/);
    expect(manifest.files['outcomes.csv']).toBe(sha256Hex(readFileSync(join(out, 'outcomes.csv'), 'utf8')));
    // the manifest carries what the metrics mean
    expect(manifest.outcomes.metrics.map((m: { name: string }) => m.name)).toEqual(['share_C', 'share_D', 'mean_payoff']);
    expect(manifest.outcomes.metrics[2]).toEqual({ name: 'mean_payoff', description: 'population mean of the expected payoff', unit: 'payoff units', kind: 'welfare' });
    expect(manifest.outcomes.vocabularies.strategies[0]).toEqual({ id: 'C', label: 'C cooperate', color: '#0072B2' });
  });

  it('gives byte-identical CSVs for the same spec and seed, and different ones for another seed', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--out', 'a'], dir).code).toBe(0);
    expect(migov(['run', 'small.yaml', '--out', 'b'], dir).code).toBe(0);
    expect(migov(['run', 'small.yaml', '--out', 'c', '--seed', '12'], dir).code).toBe(0);
    for (const f of ['series.csv', 'final.csv', 'outcomes.csv']) {
      expect(readFileSync(join(dir, 'a', f))).toEqual(readFileSync(join(dir, 'b', f)));
      expect(readFileSync(join(dir, 'a', f))).not.toEqual(readFileSync(join(dir, 'c', f)));
    }
  });

  it('applies --set overrides before validation', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    const r = migov(['run', 'small.yaml', '--set', 'params.r=6', '--set', 'replications=2', '--out', 'o'], dir);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'o', 'manifest.json'), 'utf8'));
    expect(manifest.spec.params.r).toBe(6);
    expect(manifest.replications).toHaveLength(2);
  });

  it('replaces an earlier result folder only once the new one is complete', () => {
    const dir = tempDir();
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--out', 'o'], dir).code).toBe(0);
    const before = readFileSync(join(dir, 'o', 'series.csv'));
    expect(migov(['run', 'small.yaml', '--out', 'o', '--set', 'params.r=-1'], dir).code).toBe(2);
    expect(readFileSync(join(dir, 'o', 'series.csv'))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('migov models and help', () => {
  it('lists every model with its parameters, defaults and ranges', () => {
    const r = migov(['models'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/linear-pgg: Linear public goods game/);
    expect(r.stdout).toMatch(/r\s+3\s+0\.\.1000\s+multiplication factor/);
  });

  it('has help for the program and each command', () => {
    const dir = tempDir();
    const top = migov(['--help'], dir);
    expect(top.code).toBe(0);
    for (const cmd of ['run', 'models', 'schema']) expect(top.stdout).toContain(cmd);
    const run = migov(['run', '--help'], dir);
    expect(run.stdout).toMatch(/--set <path=value>/);
    expect(run.stdout).toMatch(/--seed <seed>/);
    expect(run.stdout).toMatch(/--out <dir>/);
  });

  it('writes a JSON Schema of spec files that matches the one in the repository', () => {
    const dir = tempDir();
    const r = migov(['schema', '--out', 'spec.schema.json'], dir);
    expect(r.code).toBe(0);
    const written = readFileSync(join(dir, 'spec.schema.json'), 'utf8');
    const committed = join(import.meta.dirname, '../../schema/spec.schema.json');
    expect(existsSync(committed)).toBe(true);
    expect(written).toBe(readFileSync(committed, 'utf8'));
    expect(JSON.parse(written).properties.model.enum).toContain('linear-pgg');
  });
});
