// `migov calibrate <spec>` and `calibrate()` in the API: history matching of a model
// to targets declared in the spec's `calibration:` section (src/calibrate/spec.ts),
// with each wave run as an LHS sweep through the public sweep API (so a wave journals,
// resumes after a kill, and gives the same bytes for any number of workers), the
// emulators and the not-ruled-out region from src/calibrate/history.ts, and the
// result written as a folder of its own kind with a report (src/report/calibrate-section.ts,
// src/charts/calibrate.ts).
//
// The folder (results/<name>/ by default):
//   wave-1/ ... wave-k/   each a sweep folder (journal.jsonl, runs.csv, series.csv, ...)
//   nroy.csv              the NROY samples (rejection from every wave's emulators), natural units
//   design.csv            every design point run, its wave, means and largest implausibility
//   waves.csv             each wave's box, points, training points, NROY share
//   parameters.csv        each parameter's prior and NROY interval, and whether it is identified
//   bands.csv             predictive bands: the runs at NROY design points against the targets
//   manifest.json, charts/, report.html
// Running the same command again resumes: the waves' sweeps skip what their journals
// hold, and since wave k + 1's box follows only from the runs and the seed, it is the
// same box, so its sweep resumes too. The summary files are rewritten whole at the end.
//
// A wave's design is an LHS over the box bounding the previous NROY samples, not a
// sample of the NROY region itself: a sweep's design is a grid or a sampled design
// over factor ranges, never a list of points, and the sweep API is used as it is.
// waves.csv says how many of a wave's points the earlier emulators had ruled out.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { SpecError } from '../experiment/errors.ts';
import { applyOverrides, readSpecText, validateSpec } from '../experiment/load.ts';
import { inspectValue, parseYaml } from '../experiment/input.ts';
import { checkBudget } from '../experiment/budget.ts';
import type { Spec } from '../experiment/schema.ts';
import { canonicalJson } from '../engine/rng.ts';
import { outcomeDeclarations } from '../engine/model.ts';
import { modelOf } from '../experiment/load.ts';
import { planSweep } from '../sweep/plan.ts';
import { type Executor, localExecutor, parseWorkers, thisMachine } from '../sweep/executor.ts';
import { runSweep } from '../sweep/sweep.ts';
import { readJournal } from '../sweep/journal.ts';
import { CSV_OPTIONS, escapeText } from '../sweep/csv.ts';
import { claimOutput, readMarker, writeFileExclusive, writeMarker } from '../sweep/folder.ts';
import { gitState, versions } from '../sweep/store.ts';
import { type Calibration, checkAgainstSpec, fromUnit, parseCalibration, toUnit } from './spec.ts';
import { type Box, type HistoryMatchResult, type Target, type WaveRuns, historyMatch, identification, maxImplausibility, quantile } from './history.ts';

export interface CalibrateOptions {
  /** Result folder (default `<resultsDir>/<name>`). */
  readonly out?: string;
  readonly resultsDir?: string;
  /** Worker threads for the waves' sweeps (default: the machine's cores). Ignored with `executor`. */
  readonly workers?: number;
  readonly executor?: Executor;
  /** Master seed, overriding the spec's; `--set`-style overrides. */
  readonly seed?: string | number;
  readonly set?: readonly string[];
  /** Move a folder that is not this calibration's aside (never deleted). */
  readonly force?: boolean;
  /** Make the charts and report.html (default true). */
  readonly report?: boolean;
  readonly allowLarge?: boolean;
  /** Called as runs finish: the wave, runs done in it and its total. */
  readonly onProgress?: (wave: number, done: number, total: number) => void;
}

export interface ParameterResult {
  readonly path: string;
  readonly min: number;
  readonly max: number;
  readonly scale: 'linear' | 'log';
  /** 5th, 50th and 95th percentile of the NROY samples, natural units (NaN with none). */
  readonly q05: number;
  readonly q50: number;
  readonly q95: number;
  readonly lower: number;
  readonly upper: number;
  /** The 5-95 % width over its width under the prior (0.9 of the range, on the prior's scale). */
  readonly share: number;
  readonly verdict: string;
}

export interface CalibrationSummary {
  readonly parameters: readonly ParameterResult[];
  readonly targets: readonly Target[];
  readonly discrepancy: number;
  readonly cutoff: number;
  readonly waves: readonly {
    readonly wave: number;
    readonly lower: readonly number[];
    readonly upper: readonly number[];
    readonly points: number;
    readonly pointsInPreviousNroy: number;
    readonly trainingPoints: number;
    readonly accepted: number;
    readonly candidates: number;
    readonly nroyShare: number;
    readonly lengths: readonly (readonly number[])[];
  }[];
  readonly nroySamples: number;
  readonly nroyShare: number;
  /** True when a wave left nothing: no parameter value in the prior is consistent with the targets. */
  readonly ruledOutEverywhere: boolean;
  readonly designPointsInNroy: number;
  readonly runs: number;
}

export interface CalibrateOutput {
  readonly dir: string;
  readonly report: string | null;
  readonly summary: CalibrationSummary;
}

/** The spec as a plain value, read through the same gates as any spec (size, UTF-8, YAML limits). */
function readRaw(spec: string | object): { file: string; raw: Record<string, unknown> } {
  if (typeof spec !== 'string') {
    inspectValue('<spec object>', spec);
    return { file: '<spec object>', raw: structuredClone(spec) as Record<string, unknown> };
  }
  const file = spec;
  const raw = parseYaml(file, readSpecText(file));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new SpecError(file, [{ field: '', message: 'is not a mapping of fields', allowed: 'a spec: name, model, ..., calibration' }]);
  return { file, raw: raw as Record<string, unknown> };
}

interface Prepared {
  readonly file: string;
  readonly spec: Spec;
  readonly calibration: Calibration;
  readonly hash: string;
}

/** Everything checked, nothing written: the spec, its calibration section, wave 1's plan, the prior's corners and the budget. */
export function prepareCalibration(specInput: string | object, options: CalibrateOptions = {}): Prepared {
  const { file, raw } = readRaw(specInput);
  const { calibration: section, ...base } = raw;
  const overrides = options.seed !== undefined ? [...(options.set ?? []), `seed=${options.seed}`] : (options.set ?? []);
  const spec = validateSpec(base, file, applyOverrides(file, base, overrides));
  const calibration = parseCalibration(section, file);
  checkAgainstSpec(calibration, spec, file);
  // every corner of the prior box (and so, for the model's ranges, the box) is a valid spec
  const corners = waveSpec(spec, calibration, 0, null);
  try {
    planSweep(validateSpec(corners, file), file);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new SpecError(file, e.problems, 'The corners of the prior box (calibration.parameters: each min and max) must be valid specs; a point named above is one of them.');
  }
  const first = validateSpec(waveSpec(spec, calibration, 1, { lower: calibration.parameters.map(() => 0), upper: calibration.parameters.map(() => 1) }), file);
  const all = validateSpec({ ...first, sweep: { ...first.sweep, samples: calibration.samples * calibration.waves } }, file);
  checkBudget(all, file, { command: 'sweep', workers: options.executor?.workers ?? parseWorkers(options.workers, '<options>', 'workers'), allowLarge: options.allowLarge, machine: thisMachine(), flag: 'allowLarge: true (--allow-large)' });
  const hash = createHash('sha256').update(canonicalJson({ spec, calibration } as never)).digest('hex');
  return { file, spec, calibration, hash };
}

/** Wave k's sweep spec: the spec with an LHS over the box (unit cube of the prior); wave 0 is the grid of the prior's corners. */
function waveSpec(spec: Spec, c: Calibration, wave: number, box: Box | null): Record<string, unknown> {
  const { sweep: _sweep, ...rest } = spec as Spec & { sweep?: unknown };
  if (!box) {
    return { ...rest, sweep: { design: 'grid', factors: c.parameters.map((p) => ({ path: p.path, values: [p.min, p.max] })) } };
  }
  return {
    ...rest,
    name: `${spec.name}-wave-${wave}`,
    // each wave draws its own design (and its runs their own seeds) from the master seed
    seed: `${String(spec.seed)}:wave-${wave}`,
    sweep: {
      design: 'lhs',
      samples: c.samples,
      series: true,
      factors: c.parameters.map((p, k) => ({ path: p.path, min: fromUnit(p, box.lower[k]), max: fromUnit(p, box.upper[k]), scale: p.scale })),
    },
  };
}

/** A run's value of `metric` at `round`: the record at that round, or the last before it when the run stopped early. */
function valueAt(o: { metrics: readonly string[]; series?: { rounds: readonly number[]; values: readonly (readonly number[])[] } }, metric: string, round: number): number {
  const m = o.metrics.indexOf(metric);
  const s = o.series;
  if (m < 0 || !s) return NaN;
  let k = -1;
  for (let i = 0; i < s.rounds.length && s.rounds[i] <= round; i++) k = i;
  return k < 0 ? NaN : s.values[k][m];
}

interface WaveSeries {
  readonly x: number[];
  /** per replication: per metric name, the value at each recorded round */
  readonly runs: { rounds: readonly number[]; byMetric: Record<string, number[]> }[];
}

/** Through a fresh temporary name and a rename (never through a planted link): a kill leaves the old file or the new one. */
function atomicWrite(path: string, text: string): void {
  writeFileExclusive(path, text);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

export async function calibrate(specInput: string | object, options: CalibrateOptions = {}): Promise<CalibrateOutput> {
  const p = prepareCalibration(specInput, options);
  const { spec, calibration: c, file } = p;
  const dir = options.out ?? join(options.resultsDir ?? 'results', spec.name);
  const claim = claimOutput(dir, {
    kind: 'calibrate',
    force: options.force,
    specFiles: typeof specInput === 'string' ? [specInput] : [],
    reuse: (d) => (readMarker(d)?.specHash === p.hash ? null : 'it holds a calibration of another spec (or of this one with other --set, --seed or calibration settings)'),
  });
  const workers = parseWorkers(options.workers, '<options>', 'workers');
  const executor = options.executor ?? localExecutor(Math.max(1, workers));
  try {
    if (!existsSync(claim.dir)) mkdirSync(claim.dir);
    writeMarker(claim.dir, 'calibrate', p.hash);
    const metrics = [...new Set(c.targets.map((t) => t.metric))];
    const waves: WaveSeries[][] = [];
    let runs = 0;
    const result: HistoryMatchResult = await historyMatch({
      dimensions: c.parameters.length,
      targets: c.targets,
      discrepancy: c.discrepancy,
      waves: c.waves,
      candidates: c.candidates,
      cutoff: c.cutoff,
      seed: spec.seed,
      runWave: async (wave, box): Promise<WaveRuns> => {
        const valid = validateSpec(waveSpec(spec, c, wave, box), file);
        const r = await runSweep(valid, { file, dir: join(claim.dir, `wave-${wave}`), executor, onProgress: options.onProgress && ((done, total) => options.onProgress?.(wave, done, total)) });
        if (!r.complete) throw new Error(`wave ${wave} stopped before every run finished; run the same command again to resume`);
        const outcomes = readJournal(join(r.dir, 'journal.jsonl')).outcomes;
        const series: WaveSeries[] = r.plan.points.map((pt) => ({ x: c.parameters.map((q) => toUnit(q, Number(pt.values[q.path]))), runs: [] }));
        for (const o of [...outcomes.values()].sort((a, b) => a.point - b.point || a.replication - b.replication)) {
          runs++;
          if (!o.ok || !o.series) continue;
          const byMetric: Record<string, number[]> = {};
          for (const m of metrics) byMetric[m] = o.series.rounds.map((round) => valueAt(o, m, round));
          series[o.point].runs.push({ rounds: o.series.rounds, byMetric });
        }
        waves.push(series);
        return {
          points: r.plan.points.map((pt) => {
            const o = [...outcomes.values()].filter((x) => x.point === pt.index);
            return { x: series[pt.index].x, values: c.targets.map((t) => o.map((run) => (run.ok ? valueAt(run, t.metric, t.round) : NaN))) };
          }),
        };
      },
    });

    // the outputs, in natural units
    const params = c.parameters;
    const nat = (x: readonly number[]) => x.map((u, k) => fromUnit(params[k], u));
    const ids = identification(result.nroy, params.length);
    const parameters: ParameterResult[] = params.map((q, k) => {
      const xs = result.nroy.map((s) => s.x[k]);
      return {
        path: q.path,
        min: q.min,
        max: q.max,
        scale: q.scale,
        q05: result.nroy.length ? fromUnit(q, ids[k].q05) : NaN,
        q50: result.nroy.length ? fromUnit(q, ids[k].q50) : NaN,
        q95: result.nroy.length ? fromUnit(q, ids[k].q95) : NaN,
        lower: xs.length ? fromUnit(q, Math.min(...xs)) : NaN,
        upper: xs.length ? fromUnit(q, Math.max(...xs)) : NaN,
        share: ids[k].share,
        verdict: result.nroy.length ? ids[k].verdict : 'ruled out everywhere',
      };
    });
    const inNroy = (x: readonly number[]) => !result.empty && result.emulators.every((em) => maxImplausibility(em, c.targets, c.discrepancy, x, c.cutoff) <= c.cutoff);
    const last = result.waves[result.waves.length - 1];
    const summary: CalibrationSummary = {
      parameters,
      targets: c.targets,
      discrepancy: c.discrepancy,
      cutoff: c.cutoff,
      waves: result.waves.map((w) => ({
        wave: w.wave,
        lower: nat(w.box.lower),
        upper: nat(w.box.upper),
        points: w.points,
        pointsInPreviousNroy: w.pointsInPreviousNroy,
        trainingPoints: w.trainingPoints,
        accepted: w.accepted,
        candidates: w.candidates,
        nroyShare: w.nroyShare,
        lengths: w.emulators.map((e) => e.lengths),
      })),
      nroySamples: result.nroy.length,
      nroyShare: last.nroyShare,
      ruledOutEverywhere: result.empty,
      designPointsInNroy: result.design.filter((d) => inNroy(d.x)).length,
      runs,
    };

    // predictive bands: every run at a design point not ruled out, against wave 1's runs (the prior)
    const bandRows: (string | number)[][] = [];
    for (const m of metrics) {
      const rounds = waves[0].find((s) => s.runs.length > 0)?.runs[0].rounds ?? [];
      for (const [band, pick] of [
        ['prior', (w: number) => w === 0],
        ['nroy', () => true],
      ] as const) {
        rounds.forEach((round, ri) => {
          const vals: number[] = [];
          waves.forEach((ws, w) => {
            if (!pick(w)) return;
            for (const s of ws) {
              if (band === 'nroy' && !inNroy(s.x)) continue;
              for (const run of s.runs) {
                const v = run.byMetric[m][ri];
                if (Number.isFinite(v)) vals.push(v);
              }
            }
          });
          if (vals.length === 0) return;
          vals.sort((a, b) => a - b);
          bandRows.push([m, round, band, num(quantile(vals, 0.05)), num(quantile(vals, 0.5)), num(quantile(vals, 0.95)), vals.length]);
        });
      }
    }

    const files: Record<string, string> = {};
    const put = (name: string, text: string) => {
      atomicWrite(join(claim.dir, name), text);
      files[name] = sha256(text);
    };
    const csv = (rows: (string | number)[][]) => stringify(rows, CSV_OPTIONS);
    put('nroy.csv', csv([[...params.map((q) => q.path), 'max_implausibility'], ...result.nroy.map((s) => [...nat(s.x).map(num), num(s.maxImplausibility)])]));
    put(
      'design.csv',
      csv([
        ['wave', ...params.map((q) => q.path), ...c.targets.map((t) => `${t.metric}@${t.round}`), 'max_implausibility', 'nroy'],
        ...result.design.map((d) => [d.wave, ...nat(d.x).map(num), ...d.means.map(num), num(d.maxImplausibility), inNroy(d.x) ? 1 : 0]),
      ]),
    );
    put(
      'waves.csv',
      csv([
        ['wave', ...params.flatMap((q) => [`${q.path}.lower`, `${q.path}.upper`]), 'points', 'points_in_previous_nroy', 'training_points', 'candidates', 'accepted', 'nroy_share'],
        ...summary.waves.map((w) => [w.wave, ...params.flatMap((_, k) => [num(w.lower[k]), num(w.upper[k])]), w.points, w.pointsInPreviousNroy, w.trainingPoints, w.candidates, w.accepted, num(w.nroyShare)]),
      ]),
    );
    put('parameters.csv', csv([['parameter', 'min', 'max', 'scale', 'nroy_lower', 'nroy_upper', 'q05', 'q50', 'q95', 'width_share', 'verdict'], ...parameters.map((q) => [q.path, q.min, q.max, q.scale, num(q.lower), num(q.upper), num(q.q05), num(q.q50), num(q.q95), num(q.share), q.verdict])]));
    put('targets.csv', csv([['metric', 'round', 'mean', 'sd', 'label'], ...c.targets.map((t) => [t.metric, t.round, t.mean, t.sd, escapeText(t.label ?? '')])]));
    put('bands.csv', csv([['metric', 'round', 'band', 'q05', 'q50', 'q95', 'runs'], ...bandRows]));

    const model = modelOf(spec);
    const outcomes = outcomeDeclarations(model, spec.params as object);
    const manifest = {
      migov: versions().migov,
      kind: 'calibrate',
      question: `History matching of ${spec.model} to ${c.targets.length} target${c.targets.length === 1 ? '' : 's'}: which values of ${params.map((q) => q.path).join(', ')} are not ruled out (largest implausibility <= ${c.cutoff})?`,
      spec: { ...spec, calibration: c },
      specHash: p.hash,
      seed: spec.seed,
      calibration: summary,
      outcomes: { metrics: outcomes.metrics.filter((m) => metrics.includes(m.name)), vocabularies: outcomes.vocabularies },
      versions: versions(),
      git: gitState(),
      files,
    };
    atomicWrite(join(claim.dir, 'manifest.json'), `${JSON.stringify(manifest, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    let report: string | null = null;
    if (options.report !== false) report = await (await import('../report/index.ts')).writeReport(claim.dir, { locked: true });
    return { dir: resolve(claim.dir), report, summary };
  } finally {
    if (!options.executor) await executor.close();
    claim.lock.release();
  }
}
