// `migov run` makes its report from the series and final values it has in memory
// (src/report/memory.ts) instead of reading series.csv and final.csv back: the same
// bytes, to the last chart, as the report made from the files by `migov report`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, validateSpec } from '../../src/experiment/load.ts';
import type { Spec } from '../../src/experiment/schema.ts';
import { inProcessExecutor } from '../../src/sweep/executor.ts';
import { specHash, type ExperimentResult } from '../../src/sweep/experiment.ts';
import { runReplications } from '../../src/sweep/replications.ts';
import { openSeriesStream, stageResults } from '../../src/sweep/store.ts';
import { keepSeries } from '../../src/report/memory.ts';
import { REPORT_SERIES_VALUES, estimateCost } from '../../src/experiment/budget.ts';
import { readResults } from '../../src/report/read.ts';
import { writeReport } from '../../src/report/index.ts';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file under `dir` with its bytes' sha256. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (statSync(join(dir, f)).isFile()) out[f] = sha(join(dir, f));
  }
  return out;
}

/** What `migov run` does up to its report: series.csv streamed and the series kept, then the folder staged. */
async function staged(spec: Spec) {
  const target = join(tempDir('migov-memory-'), spec.name);
  const series = openSeriesStream(target, spec);
  const kept = keepSeries();
  const result = await runReplications(spec, inProcessExecutor(), {
    onReplication: (rep) => {
      series.add(rep);
      kept.add(rep);
    },
    keepSeries: false,
  });
  const { tmp, files } = stageResults(target, result, null, series);
  return { tmp, given: kept.tables(result, files)! };
}

const BASELINE = resolve(import.meta.dirname, '../../experiments/baseline.yaml');
// the reduced-form baseline, smaller: every chart of the migration model, from 3 replications of 20 states
const migration = () => loadSpec(BASELINE, ['replications=3', 'rounds=30', 'params.states.N=20']);
const textbook = () =>
  validateSpec({ name: 'pgg', model: 'linear-pgg', params: { Z: 60, N: 5, r: 3 }, protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.05 }, rounds: 30, recordEvery: 3, replications: 4, seed: 5 }, 'pgg');

describe('the report of a run from memory', () => {
  it.each([
    ['migration-governance (the baseline, smaller)', migration],
    ['linear-pgg', textbook],
  ])('%s: the same bytes as the report from series.csv and final.csv', async (_, specOf) => {
    const { tmp, given } = await staged(specOf());
    // from memory: the tables are not read (moved away while the report is made)
    for (const f of ['series.csv', 'final.csv']) renameSync(join(tmp, f), join(tmp, `${f}.away`));
    await writeReport(tmp, { locked: true, given });
    for (const f of ['series.csv', 'final.csv']) renameSync(join(tmp, `${f}.away`), join(tmp, f));
    const fromMemory = snapshot(tmp);
    expect(Object.keys(fromMemory).filter((f) => f.startsWith('charts/')).length).toBeGreaterThan(3);
    // again from the files, as `migov report` makes it: every file the same, report.html and the manifest included
    await writeReport(tmp, { locked: true });
    expect(snapshot(tmp)).toEqual(fromMemory);
    // the rows themselves, as readResults reads them from the files
    const read = readResults(tmp);
    expect(given.series).toEqual(read.series);
    expect(given.final).toEqual(read.final);
  });

  it('gives -0 back as 0, NaN and infinities as themselves, as the files do', () => {
    const spec = textbook();
    const metrics = ['a', 'b', 'c', 'd'];
    const rep = { replication: 0, seed: 'f00', ms: 1, result: { metrics, rounds: [0, 3], values: [[-0, NaN, Infinity, -1e-7], [0.1, -Infinity, -0, 2]], roundsRun: 3, stoppedBy: 'rounds' as const } };
    const result: ExperimentResult = { spec, specHash: specHash(spec), replications: [rep], startedAt: '', endedAt: '' };
    const kept = keepSeries();
    kept.add(rep);
    const { tmp } = stageResults(join(tempDir('migov-memory-'), 'zeros'), result, null);
    const read = readResults(tmp);
    const given = kept.tables(result)!;
    const values = (rows: { value: number }[]) => rows.map((r) => (Object.is(r.value, -0) ? '-0' : String(r.value)));
    expect(values(given.series)).toEqual(values(read.series));
    expect(values(given.series)).toEqual(['0', 'NaN', 'Infinity', '-1e-7', '0.1', '-Infinity', '0', '2']);
    expect(Object.is(given.final[0].c, 0)).toBe(true);
    expect(given.final).toEqual(read.final);
  });

  it('lets the series go above its limit, so that the report reads series.csv', () => {
    const rep = (replication: number) => ({ replication, seed: String(replication), ms: 0, result: { metrics: ['m'], rounds: [0, 1, 2], values: [[1], [2], [3]], roundsRun: 2, stoppedBy: 'rounds' as const } });
    const kept = keepSeries(7);
    kept.add(rep(0));
    kept.add(rep(1));
    expect([kept.values, kept.overflowed]).toEqual([6, false]);
    kept.add(rep(2));
    expect([kept.values, kept.overflowed]).toEqual([0, true]);
    const spec = textbook();
    expect(kept.tables({ spec, specHash: specHash(spec), replications: [], startedAt: '', endedAt: '' })).toBeNull();
  });

  it('is counted in the memory estimate of `migov run`: 8 bytes a value, up to REPORT_SERIES_VALUES', () => {
    const spec = textbook(); // 4 replications x (30 / 3 + 2) records x 3 metrics
    const values = 4 * 12 * estimateCost(spec, { command: 'run' }).metrics;
    const without = estimateCost(spec, { command: 'run', streamsSeries: true }).memoryBytes;
    expect(estimateCost(spec, { command: 'run', streamsSeries: true, reportSeries: true }).memoryBytes - without).toBe(values * 8);
    const big = { ...spec, replications: 10_000, rounds: 30_000 };
    const bigWithout = estimateCost(big, { command: 'run', streamsSeries: true }).memoryBytes;
    expect(estimateCost(big, { command: 'run', streamsSeries: true, reportSeries: true }).memoryBytes - bigWithout).toBe(REPORT_SERIES_VALUES * 8);
  });

  it('`migov run` of a migration spec writes the report that `migov report` makes again from its folder', () => {
    const dir = tempDir();
    writeSpec(dir, 'm.yaml', readFileSync(BASELINE, 'utf8').replace(/^name: .*$/m, 'name: m'));
    // a few metrics, so a few charts: the in-process test above draws them all
    const metrics = 'metrics=[share_refugee_U, share_refugee_C, share_refugee_M, welfare]';
    const r = migov(['run', 'm.yaml', '--set', 'replications=2', '--set', 'rounds=20', '--set', 'params.states.N=16', '--set', metrics, '-q'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = join(dir, 'results', 'm');
    const fromRun = snapshot(out);
    expect(Object.keys(fromRun).filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(1);
    expect(migov(['report', out, '--quiet'], dir).code).toBe(0);
    expect(snapshot(out)).toEqual(fromRun);
  });
});
