import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../src/report/errors.ts';
import { checkFiles, readResults } from '../../src/report/read.ts';
import { tempDir } from '../cli/helpers.ts';
import { smallFolder } from './fixtures.ts';

let folder: string;
beforeAll(() => {
  folder = smallFolder();
});

/** A copy of the small folder with one file replaced (or removed, for null). */
function variant(file: string, content: string | null): string {
  const dir = join(tempDir('migov-read-'), 'v');
  mkdirSync(dir);
  for (const f of ['manifest.json', 'series.csv', 'final.csv']) writeFileSync(join(dir, f), readFileSync(join(folder, f)));
  if (content === null) rmSync(join(dir, file));
  else writeFileSync(join(dir, file), content);
  return dir;
}

function thrown(f: () => unknown): ReportError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ReportError);
    return e as ReportError;
  }
  throw new Error('expected a ReportError');
}

describe('reading a results folder', () => {
  it('parses series.csv and final.csv into numbers, keeping seeds as strings', () => {
    const data = readResults(folder);
    expect(data.manifest.spec.name).toBe('small');
    expect(data.manifest.question).toMatch(/^Does cooperation survive/);
    // 3 replications x rounds 0, 5, 10, 15, 20 x 3 metrics (share_C, share_D, mean_payoff)
    expect(data.series).toHaveLength(3 * 5 * 3);
    expect(data.series[0]).toEqual({ replication: 0, seed: expect.any(String), round: 0, metric: 'share_C', value: expect.any(Number) });
    expect(new Set(data.series.map((r) => r.round))).toEqual(new Set([0, 5, 10, 15, 20]));
    expect(data.final).toHaveLength(3);
    const row = data.final[2];
    expect(row.replication).toBe(2);
    expect(row.rounds_run).toBe(20);
    expect(typeof row.seed).toBe('string');
    expect(row.stopped_by).toBe('rounds');
    expect(typeof row.share_C).toBe('number');
    // the final row is the series' last record
    const last = data.series.find((r) => r.replication === 2 && r.round === 20 && r.metric === 'share_C');
    expect(row.share_C).toBe(last?.value);
    expect(data.runs).toBeUndefined();
  });

  it('reads the sweep tables when present, with empty cells as NaN and categorical columns as strings', () => {
    const dir = variant('runs.csv', 'point,replication,seed,params.r,params.payoffs,share_C\n0,0,00ab,2.5,expected,0.25\n1,0,0123,3,sampled,0.5\n');
    rmSync(join(dir, 'series.csv'));
    rmSync(join(dir, 'final.csv'));
    writeFileSync(join(dir, 'summary.csv'), 'params.r,metric,mean,sd,ci95,n\n2.5,share_C,0.25,,,1\n3,share_C,0.5,0.1,0.2,2\n');
    writeFileSync(join(dir, 'sensitivity.csv'), 'method,parameter,metric,index,value,ci_low,ci_high\nsobol,params.r,share_C,S1,0.7,0.6,0.8\n');
    const data = readResults(dir);
    expect(data.series).toEqual([]);
    expect(data.final).toEqual([]);
    expect(data.runs).toEqual([
      { point: 0, replication: 0, seed: '00ab', 'params.r': 2.5, 'params.payoffs': 'expected', share_C: 0.25 },
      { point: 1, replication: 0, seed: '0123', 'params.r': 3, 'params.payoffs': 'sampled', share_C: 0.5 },
    ]);
    expect(data.summary?.[0]).toEqual({ 'params.r': 2.5, metric: 'share_C', mean: 0.25, sd: NaN, ci95: NaN, n: 1 });
    expect(data.sensitivity).toEqual([{ method: 'sobol', parameter: 'params.r', metric: 'share_C', index: 'S1', value: 0.7, ci_low: 0.6, ci_high: 0.8 }]);
  });

  it('names the folder and the file when a file is missing', () => {
    expect(thrown(() => readResults(join(folder, 'nope'))).message).toMatch(/nope: no such folder/);
    for (const f of ['manifest.json', 'series.csv', 'final.csv']) {
      const dir = variant(f, null);
      const e = thrown(() => readResults(dir));
      expect(e.message).toBe(`${dir}/${f}: missing; a results folder written by \`migov run\` holds manifest.json, series.csv and final.csv`);
    }
  });

  it('names the file, row, line and column of a malformed value', () => {
    const series = readFileSync(join(folder, 'series.csv'), 'utf8').split('\n');
    series[3] = series[3].replace(/,[^,]*$/, ',abc');
    let e = thrown(() => readResults(variant('series.csv', series.join('\n'))));
    expect(e.message).toMatch(/\/series\.csv: data row 3 \(line 4\), column "value": "abc" is not a number$/);
    series[3] = series[3].replace(/^0,/, '-1,');
    e = thrown(() => readResults(variant('series.csv', series.join('\n'))));
    expect(e.message).toMatch(/column "replication": "-1" is not a replication number/);
    const final = readFileSync(join(folder, 'final.csv'), 'utf8').split('\n');
    final[2] = final[2].replace(/,[^,]*$/, ',oops');
    expect(thrown(() => readResults(variant('final.csv', final.join('\n')))).message).toMatch(/\/final\.csv: data row 2 \(line 3\), column "mean_payoff": "oops" is not a number$/);
  });

  it('names a missing column, broken CSV and broken JSON', () => {
    expect(thrown(() => readResults(variant('series.csv', 'replication,seed,round,value\n0,a,0,1\n'))).message).toMatch(/series\.csv: header has no column "metric"; header is replication,seed,round,value$/);
    expect(thrown(() => readResults(variant('series.csv', 'replication,seed,round,metric,value\n0,a,0,m\n'))).message).toMatch(/series\.csv: not valid CSV at line 2/);
    expect(thrown(() => readResults(variant('manifest.json', '{"spec": '))).message).toMatch(/manifest\.json: not valid JSON/);
    expect(thrown(() => readResults(variant('manifest.json', '{"spec": {"name": "x"}}'))).message).toMatch(/manifest\.json: field "spec\.model" is undefined; expected a string/);
  });

  it('checks the input files against the sha256 the manifest records', () => {
    expect(checkFiles(folder, readResults(folder).manifest).map((c) => [c.file, c.actual === c.recorded])).toEqual([
      ['series.csv', true],
      ['outcomes.csv', true],
      ['final.csv', true],
    ]);
    const dir = variant('final.csv', `${readFileSync(join(folder, 'final.csv'), 'utf8')}\n`);
    const manifest = readResults(dir).manifest;
    const final = checkFiles(dir, manifest).find((c) => c.file === 'final.csv')!;
    expect(final.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(final.actual).not.toBe(final.recorded);
    rmSync(join(dir, 'series.csv'));
    expect(checkFiles(dir, manifest).find((c) => c.file === 'series.csv')?.actual).toBeNull();
  });
});

describe('reading the outcome declarations', () => {
  it('reads the declarations the manifest carries, in the metrics order', () => {
    const data = readResults(folder);
    expect(data.outcomes!.metrics.map((m) => m.name)).toEqual(['share_C', 'share_D', 'mean_payoff']);
    expect(data.outcomes!.metrics[2]).toMatchObject({ kind: 'welfare', unit: 'payoff units' });
    expect(data.outcomes!.vocabularies.strategies?.map((t) => t.label)).toEqual(['C cooperate', 'D defect']);
  });

  it('reads a folder written before declarations as plain numbers of unknown unit, never guessing from names', () => {
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    delete manifest.outcomes;
    const data = readResults(variant('manifest.json', JSON.stringify(manifest)));
    expect(data.outcomes!.metrics.map((m) => [m.name, m.kind, m.unit, m.dimensions])).toEqual([
      ['share_C', 'number', 'unit unknown', undefined],
      ['share_D', 'number', 'unit unknown', undefined],
      ['mean_payoff', 'number', 'unit unknown', undefined],
    ]);
  });

  it('takes a tampered declaration as undeclared, and drops a colour that is not a hex colour', () => {
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    manifest.outcomes.metrics[0].kind = 'danger';
    manifest.outcomes.metrics[1].dimensions = { strategy: 42, role: 'x' };
    manifest.outcomes.vocabularies.strategies[0].color = 'red" onload="alert(1)';
    const data = readResults(variant('manifest.json', JSON.stringify(manifest)));
    expect(data.outcomes!.metrics[0]).toMatchObject({ name: 'share_C', kind: 'number', unit: 'unit unknown' });
    expect(data.outcomes!.metrics[1].dimensions).toEqual({ role: 'x' });
    expect(data.outcomes!.vocabularies.strategies![0]).toEqual({ id: 'C', label: 'C cooperate' });
  });
});
