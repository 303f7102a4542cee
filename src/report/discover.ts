// `migov discover` and `discover()` in the API: scenario discovery on a sweep's
// folder. It reads the sweep's per-run table (runs.csv) and manifest through
// readResults: the factors are the design's parameters (spec.sweep.factors), the
// outcomes the metrics the manifest declares; the runs of interest are those that
// meet the `--where` condition (src/discover/condition.ts). PRIM or CART
// (src/discover/) finds boxes, and the result goes to a folder of its own,
// `<sweep folder>-discover` unless `out` names another, never inside the sweep's
// folder (a sweep folder holds only what the sweep writes, and `migov merge` and a
// rerun replace it whole): boxes.csv, trajectory.csv, manifest.json (with the
// discovery's summary), the trade-off and box-limits charts and report.html, made
// by the report pipeline (writeReport) in a temporary folder swapped in at the end.
// Everything is checked before the folder is claimed: nothing is written on bad input.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { SpecError } from '../experiment/errors.ts';
import { CSV_OPTIONS } from '../sweep/csv.ts';
import { OutputError, claimOutput, makeTemp, removeTemp, replaceFolder, writeFileExclusive } from '../sweep/folder.ts';
import { gitState, versions } from '../sweep/store.ts';
import { compileCondition } from '../discover/condition.ts';
import { type DiscoverData, type DiscoverySummary, type Factor, type TradeoffPoint } from '../discover/data.ts';
import { PRIM_DEFAULTS, prim } from '../discover/prim.ts';
import { CART_DEFAULTS, cart } from '../discover/cart.ts';
import { ReportError } from './errors.ts';
import { readResults } from './read.ts';
import type { ResultData } from '../charts/types.ts';

export interface DiscoverOptions {
  /** The condition the runs of interest meet, over the sweep's declared metrics (README, "Scenario discovery"). */
  readonly where: string;
  /** prim (default) or cart. */
  readonly method?: 'prim' | 'cart' | string;
  /** Density a box must reach (default 0.8). */
  readonly threshold?: number;
  /** PRIM: bootstrap resamples for the restriction frequencies (default 20; 0: none). */
  readonly resamples?: number;
  /** PRIM: peeling and pasting alpha (default 0.05 each), most boxes (default 3). */
  readonly peelAlpha?: number;
  readonly pasteAlpha?: number;
  readonly maxBoxes?: number;
  /** Smallest box (PRIM) or leaf (CART) as a share of the runs (default 0.05). */
  readonly massMin?: number;
  /** CART: deepest leaf (default 4). */
  readonly maxDepth?: number;
  /** The folder to write (default `<folder>-discover`). */
  readonly out?: string;
  /** Move an existing folder that is not a discover folder aside (never deleted). */
  readonly force?: boolean;
  /** Make the charts and report.html (default true). */
  readonly report?: boolean;
}

export interface DiscoverOutput {
  readonly dir: string;
  readonly report: string | null;
  readonly summary: DiscoverySummary;
}

/** The default folder of a discovery: beside the sweep's. */
export function defaultDiscoverDir(folder: string): string {
  return `${folder.replace(/[/\\]+$/, '')}-discover`;
}

function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

interface Prepared {
  readonly data: ResultData;
  readonly discoverData: DiscoverData;
  readonly where: string;
  readonly method: 'prim' | 'cart';
}

/** The metric names a manifest declares, or null when it cannot be read as such (readResults then says what is wrong). */
function declaredMetricNames(path: string): string[] | null {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { outcomes?: { metrics?: { name?: unknown }[] } };
    const names = m.outcomes?.metrics?.map((x) => x.name);
    return Array.isArray(names) && names.length > 0 && names.every((x) => typeof x === 'string') ? (names as string[]) : null;
  } catch {
    return null;
  }
}

const flagProblem = (flag: string, message: string, allowed: string) => new SpecError(flag, [{ field: '', at: 'the option', message, allowed }]);

/** Reads and checks the sweep folder, the condition and the options; throws before anything is written. */
function prepare(folder: string, options: DiscoverOptions): Prepared {
  const method = options.method ?? 'prim';
  if (method !== 'prim' && method !== 'cart') throw flagProblem('--method', `got ${JSON.stringify(method)}`, 'prim, cart');
  const num = (flag: string, v: number | undefined, ok: (x: number) => boolean, allowed: string) => {
    if (v !== undefined && !(typeof v === 'number' && ok(v))) throw flagProblem(flag, `got ${String(v)}`, allowed);
  };
  num('--threshold', options.threshold, (x) => x >= 0 && x <= 1, 'a number from 0 to 1 (the density a box must reach)');
  num('--resamples', options.resamples, (x) => Number.isInteger(x) && x >= 0 && x <= 1000, 'an integer from 0 to 1000');
  num('--peel-alpha', options.peelAlpha, (x) => x > 0 && x < 0.5, 'a number > 0 and < 0.5');
  num('--paste-alpha', options.pasteAlpha, (x) => x > 0 && x < 0.5, 'a number > 0 and < 0.5');
  num('--mass-min', options.massMin, (x) => x > 0 && x < 0.5, 'a number > 0 and < 0.5');
  num('--max-boxes', options.maxBoxes, (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'an integer from 1 to 20');
  num('--max-depth', options.maxDepth, (x) => Number.isInteger(x) && x >= 1 && x <= 30, 'an integer from 1 to 30');

  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ReportError(folder, '', 'no such folder; expected a sweep folder written by `migov sweep` or `migov merge` (holding manifest.json and runs.csv)');
  const notSweep = () => new SpecError(folder, [{ field: '', at: 'the folder', message: 'is not a sweep folder: it has no runs.csv or its manifest.json has no sweep section with factors', allowed: 'a folder written by `migov sweep` or `migov merge`, e.g. results/betts-phase' }]);
  if (!existsSync(join(folder, 'runs.csv')) || !existsSync(join(folder, 'manifest.json'))) throw notSweep();
  // the condition is checked against the manifest's declarations before the tables are read, so a typo is refused at once
  const declaredEarly = declaredMetricNames(join(folder, 'manifest.json'));
  if (declaredEarly) compileCondition(options.where, declaredEarly);
  const data = readResults(folder);
  const sweep = data.manifest.spec.sweep as { factors?: { path: string; values?: unknown[] }[] } | undefined;
  if (!data.runs || !sweep || !Array.isArray(sweep.factors) || sweep.factors.length === 0) throw notSweep();
  const runs = data.runs;
  if (runs.length === 0) throw new SpecError(folder, [{ field: '', at: 'runs.csv', message: 'holds no runs (every run failed?)', allowed: 'a sweep with at least one run' }]);
  const header = new Set(Object.keys(runs[0]));
  const declared = (data.outcomes?.metrics ?? []).map((m) => m.name).filter((n) => header.has(n));
  const condition = compileCondition(options.where, declared);
  const columns: Record<string, Float64Array> = {};
  for (const m of condition.metrics) columns[m] = Float64Array.from(runs, (r) => (typeof r[m] === 'number' ? (r[m] as number) : NaN));
  const y = condition.evaluate(columns, runs.length);
  const factors: Factor[] = sweep.factors.map((f) => {
    if (!header.has(f.path)) throw new ReportError(folder, 'runs.csv', `has no column for the swept factor ${f.path}; the file is damaged: make the folder again with migov sweep`);
    const cells = runs.map((r) => r[f.path]);
    if (cells.every((c) => typeof c === 'number' && Number.isFinite(c))) return { name: f.path, kind: 'numeric', values: Float64Array.from(cells as number[]) };
    const text = cells.map((c) => String(c));
    const declaredOrder = Array.isArray(f.values) ? f.values.map((v) => String(v)) : [];
    const categories = [...new Set([...declaredOrder.filter((v) => text.includes(v)), ...[...new Set(text)].sort()])];
    const index = new Map(categories.map((c, i) => [c, i]));
    return { name: f.path, kind: 'categorical', categories, codes: Int32Array.from(text, (t) => index.get(t)!) };
  });
  return { data, discoverData: { factors, y }, where: options.where, method };
}

function analyse(p: Prepared, options: DiscoverOptions): DiscoverySummary {
  const { discoverData, where } = p;
  if (p.method === 'cart') {
    const r = cart(discoverData, { threshold: options.threshold, maxDepth: options.maxDepth, massMin: options.massMin });
    const reported = new Set(r.boxes);
    const trajectory: TradeoffPoint[] = r.leaves.map((l, i) => ({ box: i + 1, step: 0, phase: 'leaf', coverage: l.coverage, density: l.density, mass: l.mass, restricted: l.restricted, reported: reported.has(l) }));
    return { method: 'cart', where, runs: r.runs, runsOfInterest: r.runsOfInterest, options: { ...CART_DEFAULTS, ...r.options }, boxes: r.boxes.map(({ depth: _depth, ...b }) => b), trajectory, resamples: 0 };
  }
  const seed = p.data.manifest.seed ?? p.data.manifest.spec.seed ?? 0;
  const r = prim(discoverData, {
    threshold: options.threshold,
    resamples: options.resamples,
    peelAlpha: options.peelAlpha,
    pasteAlpha: options.pasteAlpha,
    maxBoxes: options.maxBoxes,
    massMin: options.massMin,
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : String(seed),
  });
  const trajectory: TradeoffPoint[] = [];
  r.boxes.forEach((b, i) => {
    const last = b.trajectory.some((t) => t.phase === 'paste') ? b.trajectory.length - 1 : b.chosenStep;
    for (const t of b.trajectory) trajectory.push({ box: i + 1, ...t, reported: t.step === last });
  });
  const boxes = r.boxes.map(({ trajectory: _t, chosenStep: _c, ...b }) => b);
  return {
    method: 'prim',
    where,
    runs: r.runs,
    runsOfInterest: r.runsOfInterest,
    options: { ...PRIM_DEFAULTS, ...r.options, seed: String(r.options.seed) },
    boxes,
    trajectory,
    ...(r.restrictionFrequency ? { restrictionFrequency: r.restrictionFrequency } : {}),
    resamples: r.resamples,
  };
}

/** boxes.csv: one row per reported box and factor (restricted or not); restriction_frequency (the first box's) on box 1's rows. */
export function boxesCsv(d: DiscoverySummary): string {
  const rows = d.boxes.flatMap((b, i) =>
    b.limits.map((l) => ({
      box: i + 1,
      method: d.method,
      coverage: b.coverage,
      density: b.density,
      mass: b.mass,
      runs: b.runs,
      runs_of_interest: b.runsOfInterest,
      meets_threshold: String(b.meetsThreshold),
      factor: l.factor,
      restricted: String(l.restricted),
      kind: l.kind,
      lower: l.kind === 'numeric' ? l.lower : '',
      upper: l.kind === 'numeric' ? l.upper : '',
      min: l.kind === 'numeric' ? l.min : '',
      max: l.kind === 'numeric' ? l.max : '',
      categories: l.kind === 'categorical' ? l.categories.join(';') : '',
      qp_lower: l.kind === 'numeric' ? (l.qpLower ?? '') : (l.qp ?? ''),
      qp_upper: l.kind === 'numeric' ? (l.qpUpper ?? '') : (l.qp ?? ''),
      // the resamples repeat the search for the first box only
      restriction_frequency: i === 0 ? (d.restrictionFrequency?.[l.factor] ?? '') : '',
    })),
  );
  const columns = ['box', 'method', 'coverage', 'density', 'mass', 'runs', 'runs_of_interest', 'meets_threshold', 'factor', 'restricted', 'kind', 'lower', 'upper', 'min', 'max', 'categories', 'qp_lower', 'qp_upper', 'restriction_frequency'];
  return stringify(rows, { ...CSV_OPTIONS, header: true, columns });
}

/** trajectory.csv: one row per box of the peeling and pasting trajectory (PRIM) or per leaf (CART). */
export function trajectoryCsv(d: DiscoverySummary): string {
  const rows = d.trajectory.map((t) => ({ box: t.box, step: t.step, phase: t.phase, coverage: t.coverage, density: t.density, mass: t.mass, restricted_dimensions: t.restricted.length, restricted: t.restricted.join(';'), reported: String(t.reported) }));
  return stringify(rows, { ...CSV_OPTIONS, header: true, columns: ['box', 'step', 'phase', 'coverage', 'density', 'mass', 'restricted_dimensions', 'restricted', 'reported'] });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Scenario discovery on a sweep folder: checks the folder, the condition and the
 * options (SpecError, ReportError or OutputError, exit 2, nothing written), finds
 * the boxes, and writes the discover folder with its report.
 */
export async function discover(folder: string, options: DiscoverOptions): Promise<DiscoverOutput> {
  const p = prepare(folder, options);
  const out = options.out ?? defaultDiscoverDir(folder);
  if (isWithin(realish(resolve(out)), realish(resolve(folder)))) {
    throw new OutputError(out, `it is inside the sweep folder ${folder}, which holds only what the sweep writes (a merge or rerun replaces it whole); name a folder outside it, e.g. ${defaultDiscoverDir(folder)}`);
  }
  const claim = claimOutput(out, { kind: 'discover', force: options.force });
  let tmp: string | null = null;
  try {
    const summary = analyse(p, options);
    tmp = makeTemp(claim.dir, 'discover');
    const files: Record<string, string> = {};
    const put = (name: string, text: string) => {
      writeFileExclusive(`${tmp}/${name}`, text);
      files[name] = sha256(text);
    };
    put('boxes.csv', boxesCsv(summary));
    put('trajectory.csv', trajectoryCsv(summary));
    const sweepManifest = p.data.manifest;
    const spec = sweepManifest.spec;
    const manifest = {
      migov: versions().migov,
      kind: 'discover',
      question: `Scenario discovery (${summary.method === 'prim' ? 'PRIM' : 'CART'}) on the sweep ${spec.name}: in which region of its parameters are the runs with ${summary.where}?${sweepManifest.question ? `\n\nThe sweep asked:\n${sweepManifest.question}` : ''}`,
      spec: { name: `${spec.name}-discover`, model: spec.model, description: `Where ${summary.where}: boxes found by ${summary.method === 'prim' ? 'PRIM' : 'CART'} in the sweep ${spec.name}.`, replications: spec.replications, rounds: spec.rounds, recordEvery: spec.recordEvery, seed: spec.seed },
      sweep: { folder, name: spec.name, specHash: sweepManifest.specHash, seed: sweepManifest.seed, design: sweepManifest.design, runs: summary.runs },
      seed: sweepManifest.seed,
      discover: summary,
      ...(sweepManifest.outcomes ? { outcomes: sweepManifest.outcomes } : {}),
      ...(sweepManifest.parameters ? { parameters: sweepManifest.parameters } : {}),
      versions: versions(),
      git: gitState(),
      files,
    };
    writeFileExclusive(`${tmp}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    // loaded only now: vega and resvg take a moment to load, and bad input is refused before
    if (options.report !== false) await (await import('./index.ts')).writeReport(tmp, { locked: true });
    replaceFolder(tmp, claim.dir);
    tmp = null;
    return { dir: claim.dir, report: options.report !== false ? resolve(claim.dir, 'report.html') : null, summary };
  } finally {
    if (tmp) removeTemp(tmp);
    claim.lock.release();
  }
}

