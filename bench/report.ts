// Section 11 of `npm run bench`: the report of a run, from memory against from the
// files (issue 18, "No round trip"). The reduced-form baseline (experiments/
// baseline.yaml: 100 replications x 300 rounds, 80 metrics) is run in this process as
// `migov run` runs it: series.csv streamed into a temporary folder and the series kept
// for the report (src/report/memory.ts). Then, alternately, 5 times each after a
// warm-up (medians, and the ratio of the medians):
//  - series.csv read by the general path (splitPlainCsv, then a row per record) and by
//    the one-pass reader (plainSeriesRows) that `migov report` uses;
//  - the report's data, everything but the charts: readResults and the file checks,
//    from the files (what `migov run` did before, and `migov report` does) and from
//    memory (the rows built from the kept Float64Arrays, the hashes as written). From
//    memory is also about the floor of any columnar file beside series.csv (Arrow,
//    Parquet): it too would end in the same rows;
//  - the whole report (13 charts rendered to SVG and PNG, report.html), after a
//    warm-up from memory, from the files, from the files, from memory: the mean of each.
// CPU time of this process (process.cpuUsage), steadier than wall time on a shared machine.
// Target: the report's data from memory at least 3x faster than from the files.
// bench/index.ts imports this file; it also runs alone: `npx tsx bench/report.ts`.
// With --json its lines go to stderr, so that stdout keeps bench/index.ts's one JSON document.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../src/experiment/load.ts';
import { inProcessExecutor } from '../src/sweep/executor.ts';
import { runReplications } from '../src/sweep/replications.ts';
import { openSeriesStream, stageResults } from '../src/sweep/store.ts';
import { keepSeries } from '../src/report/memory.ts';
import { checkFiles, readResults, seriesRowsOfText, plainSeriesRows } from '../src/report/read.ts';
import { writeReport } from '../src/report/index.ts';
import { MB, cpuNow, median, now } from './util.ts';
import { tmpdir } from 'node:os';

const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};

const TARGET_RATIO = 3;
const REPEATS = 5;

const spec = loadSpec(join(dirname(fileURLToPath(import.meta.url)), '../experiments/baseline.yaml'));
const parent = mkdtempSync(join(tmpdir(), 'migov-bench-report-'));
const target = join(parent, spec.name);
const series = openSeriesStream(target, spec);
const kept = keepSeries();
const t0 = now();
const result = await runReplications(spec, inProcessExecutor(), {
  onReplication: (rep) => {
    series.add(rep);
    kept.add(rep);
  },
  keepSeries: false,
});
const simulated = now() - t0; // wall
const { tmp, files } = stageResults(target, result, null, series);

/** Alternates the cases, REPEATS times after one warm-up each; median CPU seconds per case (steadier than wall time on a shared machine). */
function alternate(cases: Record<string, () => unknown>): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r <= REPEATS; r++) {
    for (const [name, f] of Object.entries(cases)) {
      const t = cpuNow();
      f();
      if (r > 0) times[name].push(cpuNow() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

try {
  const bytes = statSync(join(tmp, 'series.csv')).size;
  const values = kept.values;
  const reader = alternate({
    general: () => seriesRowsOfText(tmp, readFileSync(join(tmp, 'series.csv'), 'utf8'), false),
    onePass: () => plainSeriesRows(readFileSync(join(tmp, 'series.csv'), 'utf8')),
  });
  const data = alternate({
    files: () => checkFiles(tmp, readResults(tmp).manifest),
    memory: () => {
      const given = kept.tables(result, files)!;
      return checkFiles(tmp, readResults(tmp, given).manifest, given.hashes);
    },
  });
  // the whole report: a warm-up, then from memory, from the files, from the files, from memory (so that a drift cancels)
  const whole = async (fromMemory: boolean): Promise<number> => {
    const t = cpuNow();
    await writeReport(tmp, { locked: true, ...(fromMemory ? { given: kept.tables(result, files)! } : {}) });
    return cpuNow() - t;
  };
  await whole(false);
  const m1 = await whole(true);
  const f1 = await whole(false);
  const f2 = await whole(false);
  const m2 = await whole(true);
  const wholeFiles = (f1 + f2) / 2;
  const wholeMemory = (m1 + m2) / 2;

  const ratio = data.files / data.memory;
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  log('');
  log(`11. The report of a run (bench/report.ts): the reduced-form baseline, ${spec.replications} replications x ${spec.rounds} rounds (simulated in ${simulated.toFixed(1)} s wall), ${values.toLocaleString('en-US')} series values, series.csv ${(bytes / MB).toFixed(1)} MB; CPU time, medians of ${REPEATS} after a warm-up, alternating`);
  log(`   series.csv read: general path ${ms(reader.general)}, one-pass reader (migov report) ${ms(reader.onePass)} (${(reader.general / reader.onePass).toFixed(2)}x)`);
  log(`   the report's data (tables read, files checked): from the files ${ms(data.files)}, from memory ${ms(data.memory)}: ${ratio.toFixed(1)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'})`);
  log(`   the whole report, twice each: from the files ${wholeFiles.toFixed(2)} s, from memory ${wholeMemory.toFixed(2)} s (${(wholeFiles / wholeMemory).toFixed(2)}x; each: ${[f1, f2, m1, m2].map((x) => x.toFixed(2)).join(', ')} s); the series kept for it: ${((values * 8) / MB).toFixed(1)} MB of Float64Arrays`);
  if (jsonOnly) console.error(JSON.stringify({ report: { values, seriesBytes: bytes, reader, data, wholeFiles, wholeMemory, whole: { files: [f1, f2], memory: [m1, m2] }, ratio, target: TARGET_RATIO, pass: ratio >= TARGET_RATIO } }));
} finally {
  rmSync(parent, { recursive: true, force: true });
}
