// Adaptive tipping-point search (`design: adaptive`, issue 17). A coarse grid over
// 1-3 numeric factors is refined where a declared outcome class changes between
// neighbouring points, and replications are added at a point until its class is
// decided, within a budget of runs.
//
// The search lives on the finest lattice the depth allows: factor i has
// (steps_i - 1) 2^depth + 1 nodes, and a point is an integer coordinate on it. A
// cell of level l has side 2^(depth - l) nodes; the coarse grid's cells are level 0.
//
// A point's class: each run is in the class (the condition holds on its final
// values) or not; with k of n finished runs in it, the point is `in` when
// P(X >= k | n, 1/2) <= a/2 and `out` when P(X <= k | n, 1/2) <= a/2, i.e. when the
// Clopper-Pearson interval of its share at level 1 - a excludes 1/2 (the exact
// binomial test). a = (1 - confidence) / L, where L = ceil(maxReplications /
// replications) is the most looks a point can get (Bonferroni over looks): a point
// whose true share is 1/2 is called in or out with chance at most 1 - confidence
// however often it is looked at. A point not decided yet is `open` and gets
// `replications` more runs in the next wave; one still undecided after
// maxReplications is `mixed` (its share is close to 1/2: on the boundary).
//
// Waves: wave 0 is the coarse grid, `replications` runs a point. Each later wave is
// planned from the classes after the earlier waves only: (a) every open point gets
// its next batch; (b) every active cell whose corners are all settled (in, out or
// mixed) and not all of one decided class straddles the boundary: below the depth
// it is bisected along every factor (its 2^k children become active, its new
// lattice points get `replications` runs each), at the depth it is a boundary cell;
// a cell whose corners are all mixed lies inside a zone where the share is near 1/2
// and is kept as it is (bisecting it would find only more of the zone).
// A cell whose corners are all in or all out is dropped (a boundary wholly inside
// one cell, between its corners, is not seen: the coarse grid must be fine enough
// for that). Within a wave, open points come first by index, then cells in order of
// their lower corner; a group of runs that would take the total past the budget
// ends the planning, and the search stops after that wave. Point indices are given
// in the order points are made, so the plan, and each run's key and seed
// (runSeed of the point's parameters, as in every sweep), depend only on results:
// resuming replays the plan from the journal, and any number of workers gives the
// same bytes.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { seedsOf, sha256Hex } from '../engine/rng.ts';
import { binomialUpperTail } from '../discover/binomial.ts';
import { type Condition, compileCondition } from '../discover/condition.ts';
import { SpecError } from '../experiment/errors.ts';
import type { Spec } from '../experiment/schema.ts';
import { CSV_OPTIONS } from './csv.ts';
import { DamagedFileError } from './damaged.ts';
import { specHash as hashOf, specIdentity, specOutcomes } from './experiment.ts';
import { claimOutput, readMarker, writeMarker } from './folder.ts';
import { JOURNAL_FILE, openJournal, readJournal } from './journal.ts';
import { type PlannedPoint, type RunTask, type SweepPlan, planPoint } from './plan.ts';
import { type RunOutcome, plannedMetrics } from './run-task.ts';
import { type SweepMarker, readSweepMarker, writeSweepMarker } from './sweep-file.ts';
import { type SweepOptions, type SweepResult, fmtStat, questionOf, writeSweepOutputs } from './sweep.ts';

export type PointClass = 'in' | 'out' | 'open' | 'mixed';

export interface AdaptiveFactor {
  readonly path: string;
  readonly min: number;
  readonly max: number;
  readonly steps: number;
}

export interface AdaptiveSettings {
  readonly factors: readonly AdaptiveFactor[];
  /** Runs a new point gets, and runs each look adds to an open point. */
  readonly replications: number;
  readonly maxReplications: number;
  readonly confidence: number;
  readonly depth: number;
  readonly budget: number;
}

export interface SearchPoint {
  readonly index: number;
  /** Coordinates on the finest lattice. */
  readonly coord: readonly number[];
  readonly values: Readonly<Record<string, number>>;
  readonly wave: number;
  /** 0: a coarse grid point; l: made by bisecting a cell of level l - 1. */
  readonly level: number;
  /** Replications planned so far (0 .. planned - 1). */
  planned: number;
  /** Outcomes recorded, of which `ok` finished and `inClass` met the condition. */
  recorded: number;
  ok: number;
  inClass: number;
}

export interface SearchCell {
  readonly level: number;
  /** Lower corner on the finest lattice. */
  readonly corner: readonly number[];
  /** Side in finest-lattice nodes, 2^(depth - level). */
  readonly size: number;
}

export type CellStatus = 'boundary' | 'mixed' | 'coarser' | 'open';

export interface BoundaryCell extends SearchCell {
  /** boundary: straddling at the full depth; mixed: every corner mixed (inside a zone where the share is near 1/2; not bisected); coarser: straddling, not bisected because the budget ran out; open: a corner still undecided when the budget ran out. */
  readonly status: CellStatus;
  readonly classes: readonly PointClass[];
}

export interface WaveRun {
  readonly point: number;
  readonly replication: number;
}

/** The deterministic planner: plain state in, the next wave out. Knows no model and no file. */
export class AdaptiveSearch {
  readonly points: SearchPoint[] = [];
  /** Index of `coord.join(',')`. */
  private readonly byCoord = new Map<string, number>();
  private active: SearchCell[] = [];
  private readonly leaves: SearchCell[] = [];
  private waves = 0;
  private planned = 0;
  private exhausted = false;
  private deepest = 0;
  stoppedBy: 'converged' | 'budget' | null = null;
  /** Per-look significance, each side: a / 2 with a = (1 - confidence) / looks. */
  readonly alphaSide: number;
  readonly looks: number;

  constructor(readonly settings: AdaptiveSettings) {
    this.looks = Math.ceil(settings.maxReplications / settings.replications);
    this.alphaSide = (1 - settings.confidence) / this.looks / 2;
  }

  get runs(): number {
    return this.planned;
  }

  get waveCount(): number {
    return this.waves;
  }

  /** Nodes along factor i on the lattice of level l. */
  nodes(i: number, level: number): number {
    return (this.settings.factors[i].steps - 1) * 2 ** level + 1;
  }

  /** Points of a full grid at the finest resolution the search reached (the product of nodes). */
  gridPoints(): number {
    return this.settings.factors.reduce((n, _f, i) => n * this.nodes(i, this.deepest), 1);
  }

  /** The finest level any cell reached. */
  get finestLevel(): number {
    return this.deepest;
  }

  classOf(p: SearchPoint): PointClass {
    const n = p.ok;
    const k = p.inClass;
    if (n > 0 && binomialUpperTail(k, n, 0.5) <= this.alphaSide) return 'in';
    if (n > 0 && binomialUpperTail(n - k, n, 0.5) <= this.alphaSide) return 'out';
    return p.planned >= this.settings.maxReplications ? 'mixed' : 'open';
  }

  /** Records one run's outcome: whether it finished, and whether it met the condition. */
  record(point: number, ok: boolean, inClass: boolean): void {
    const p = this.points[point];
    p.recorded++;
    if (ok) {
      p.ok++;
      if (inClass) p.inClass++;
    }
  }

  private valueOf(i: number, c: number): number {
    const f = this.settings.factors[i];
    const n = this.nodes(i, this.settings.depth);
    // as gridValues: snapped to 12 significant digits, so that no summation noise reaches a seed
    return Number((f.min + ((f.max - f.min) * c) / (n - 1)).toPrecision(12));
  }

  private addPoint(coord: number[], level: number): SearchPoint {
    const values: Record<string, number> = {};
    this.settings.factors.forEach((f, i) => {
      values[f.path] = this.valueOf(i, coord[i]);
    });
    const p: SearchPoint = { index: this.points.length, coord, values, wave: this.waves, level, planned: 0, recorded: 0, ok: 0, inClass: 0 };
    this.points.push(p);
    this.byCoord.set(coord.join(','), p.index);
    return p;
  }

  private pointAt(coord: readonly number[]): SearchPoint | undefined {
    const i = this.byCoord.get(coord.join(','));
    return i === undefined ? undefined : this.points[i];
  }

  /** Every combination of offsets[i] added to base[i], the last factor fastest. */
  private static lattice(base: readonly number[], offsets: readonly number[]): number[][] {
    let out: number[][] = [[]];
    for (let i = 0; i < base.length; i++) out = out.flatMap((c) => offsets.map((o) => [...c, base[i] + o]));
    return out;
  }

  private corners(cell: SearchCell): SearchPoint[] {
    return AdaptiveSearch.lattice(cell.corner, [0, cell.size]).map((c) => this.pointAt(c)!);
  }

  /** The runs of the next wave, or null when the search is over (see stoppedBy). Every run of the previous wave must be recorded first. */
  nextWave(): WaveRun[] | null {
    if (this.stoppedBy) return null;
    const pending = this.points.find((p) => p.recorded < p.planned);
    if (pending) throw new Error(`adaptive search: point ${pending.index} has ${pending.planned - pending.recorded} run(s) not recorded`);
    const { replications, maxReplications, depth, budget } = this.settings;
    const runs: WaveRun[] = [];
    const take = (p: SearchPoint, n: number) => {
      for (let r = 0; r < n; r++) runs.push({ point: p.index, replication: p.planned + r });
      p.planned += n;
      this.planned += n;
    };
    if (this.waves === 0) {
      const step = 2 ** depth;
      const axes = this.settings.factors.map((f) => Array.from({ length: f.steps }, (_, j) => j * step));
      let coords: number[][] = [[]];
      for (const axis of axes) coords = coords.flatMap((c) => axis.map((x) => [...c, x]));
      if (coords.length * replications > budget) throw new RangeError(`adaptive search: the coarse grid needs ${coords.length * replications} runs, above the budget of ${budget}`);
      for (const c of coords) take(this.addPoint(c, 0), replications);
      let cells: number[][] = [[]];
      for (const axis of axes) cells = cells.flatMap((c) => axis.slice(0, -1).map((x) => [...c, x]));
      this.active = cells.map((corner) => ({ level: 0, corner, size: step }));
      this.waves++;
      return runs;
    }
    if (this.exhausted) {
      this.stoppedBy = 'budget';
      return null;
    }
    const classes = this.points.map((p) => this.classOf(p));
    // (a) the next batch of every open point
    for (const p of this.points) {
      if (classes[p.index] !== 'open') continue;
      const n = Math.min(replications, maxReplications - p.planned);
      if (this.planned + n > budget) {
        this.exhausted = true;
        break;
      }
      take(p, n);
    }
    // (b) cells: wait, drop, keep as boundary, or bisect
    const next: SearchCell[] = [];
    for (const cell of this.active) {
      const cc = this.corners(cell).map((p) => classes[p.index]);
      if (cc.includes('open')) {
        next.push(cell);
        continue;
      }
      if (cc.every((c) => c === 'in') || cc.every((c) => c === 'out')) continue;
      // inside a mixed zone (every corner's share indistinguishable from 1/2) bisecting finds only more of it: its edges are what is refined
      if (cc.every((c) => c === 'mixed')) {
        this.leaves.push(cell);
        continue;
      }
      if (cell.level >= depth || this.exhausted) {
        if (cell.level >= depth) this.leaves.push(cell);
        else next.push(cell);
        continue;
      }
      const half = cell.size / 2;
      const fresh = AdaptiveSearch.lattice(cell.corner, [0, half, cell.size]).filter((c) => !this.pointAt(c));
      if (this.planned + fresh.length * replications > budget) {
        this.exhausted = true;
        next.push(cell);
        continue;
      }
      for (const c of fresh) take(this.addPoint(c, cell.level + 1), replications);
      for (const corner of AdaptiveSearch.lattice(cell.corner, [0, half])) next.push({ level: cell.level + 1, corner, size: half });
      this.deepest = Math.max(this.deepest, cell.level + 1);
    }
    this.active = next;
    if (runs.length === 0) {
      this.stoppedBy = this.exhausted ? 'budget' : 'converged';
      return null;
    }
    this.waves++;
    return runs;
  }

  /** The cells the boundary runs through: straddling leaves at the full depth, and what the budget left. In order of level, then lower corner. */
  boundary(): BoundaryCell[] {
    const classes = this.points.map((p) => this.classOf(p));
    const out: BoundaryCell[] = [];
    const add = (cell: SearchCell, status: CellStatus | null) => {
      const cc = this.corners(cell).map((p) => classes[p.index]);
      const uniform = cc.every((c) => c === 'in') || cc.every((c) => c === 'out');
      const st = status ?? (cc.includes('open') ? 'open' : cell.level >= this.settings.depth ? 'boundary' : 'coarser');
      if (!uniform) out.push({ ...cell, status: st, classes: cc });
    };
    for (const cell of this.leaves) add(cell, this.corners(cell).every((p) => classes[p.index] === 'mixed') ? 'mixed' : 'boundary');
    for (const cell of this.active) add(cell, null);
    const key = (c: SearchCell) => c.corner;
    return out.sort((a, b) => a.level - b.level || compareCoords(key(a), key(b)));
  }
}

function compareCoords(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The adaptive part of a validated spec, checked against the model and the rest of the spec: settings and the compiled class. */
export function adaptiveSettings(spec: Spec, file: string): { settings: AdaptiveSettings; condition: Condition } {
  const s = spec.sweep;
  if (!s || s.design !== 'adaptive' || !s.adaptive) throw new SpecError(file, [{ field: 'sweep.design', message: 'not an adaptive sweep', allowed: 'design: adaptive with sweep.adaptive' }]);
  const a = s.adaptive;
  const declared = specOutcomes(spec).metrics.map((m) => m.name);
  let condition: Condition;
  try {
    condition = compileCondition(a.class, declared);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new SpecError(file, e.problems.map((p) => ({ field: 'sweep.adaptive.class', message: `${p.at ? `${p.at}: ` : ''}${p.message}`, allowed: p.allowed })));
  }
  const settings: AdaptiveSettings = {
    factors: s.factors.map((f) => ({ path: f.path, min: f.min!, max: f.max!, steps: f.steps! })),
    replications: spec.replications,
    maxReplications: a.maxReplications,
    confidence: a.confidence,
    depth: a.depth,
    budget: a.budget,
  };
  const problems: { field: string; message: string; allowed: string }[] = [];
  if (a.maxReplications < spec.replications) {
    problems.push({ field: 'sweep.adaptive.maxReplications', message: `${a.maxReplications} is below replications (${spec.replications}), the runs every point starts with`, allowed: `at least ${spec.replications}` });
  } else {
    // even maxReplications runs all on one side must be able to decide a point
    const search = new AdaptiveSearch(settings);
    if (0.5 ** a.maxReplications > search.alphaSide) {
      let n = a.maxReplications;
      while (n < 10_000 && 0.5 ** n > (1 - a.confidence) / Math.ceil(n / spec.replications) / 2) n++;
      problems.push({ field: 'sweep.adaptive.maxReplications', message: `${a.maxReplications} replications can never decide a point at confidence ${a.confidence} (even if every run is in the class)`, allowed: `at least ${n}, or a lower confidence` });
    }
  }
  const coarse = settings.factors.reduce((n, f) => n * f.steps, 1) * spec.replications;
  if (coarse > a.budget) problems.push({ field: 'sweep.adaptive.budget', message: `${a.budget} runs do not cover the coarse grid (${coarse} runs: its points x replications)`, allowed: `at least ${coarse}` });
  if (problems.length) throw new SpecError(file, problems);
  return { settings, condition };
}

export interface AdaptiveSummary {
  readonly class: string;
  readonly test: string;
  readonly confidence: number;
  readonly waves: number;
  readonly points: number;
  readonly runs: number;
  readonly budget: number;
  readonly stoppedBy: 'converged' | 'budget' | null;
  readonly finestLevel: number;
  /** Grid points along each factor at the finest level reached. */
  readonly finestSteps: readonly number[];
  readonly gridPoints: number;
  /** The fewest runs a point of a full grid needs to decide its class at the same confidence (one look: unanimous runs reject 1/2), or `replications` when that is more. */
  readonly gridReplications: number;
  /** A full grid at the finest resolution reached, gridReplications runs a point. */
  readonly gridRuns: number;
  readonly runShare: number;
  readonly classes: Readonly<Record<PointClass, number>>;
  readonly boundaryCells: number;
}

export interface AdaptiveResult extends SweepResult {
  readonly adaptive: AdaptiveSummary;
  readonly search: AdaptiveSearch;
}

export const ADAPTIVE_FILE = 'adaptive.csv';
export const BOUNDARY_FILE = 'boundary.csv';

/**
 * What a full grid at the finest resolution the search reached would cost: its
 * points times the fewest replications that decide a point at the same confidence.
 * A grid looks once, so those are the fewest unanimous runs that reject 1/2 at
 * 1 - confidence (n with 2 x 0.5^n <= 1 - confidence), or `replications` when more.
 */
export function gridCost(search: AdaptiveSearch): { gridPoints: number; gridReplications: number; gridRuns: number } {
  const gridReplications = Math.max(search.settings.replications, Math.ceil(Math.log2(2 / (1 - search.settings.confidence))));
  const gridPoints = search.gridPoints();
  return { gridPoints, gridReplications, gridRuns: gridPoints * gridReplications };
}

function summaryOf(search: AdaptiveSearch, condition: Condition): AdaptiveSummary {
  const classes: Record<PointClass, number> = { in: 0, out: 0, open: 0, mixed: 0 };
  for (const p of search.points) classes[search.classOf(p)]++;
  const { gridReplications, gridRuns } = gridCost(search);
  return {
    class: condition.text,
    test: `exact binomial (Clopper-Pearson) test of share = 1/2, each side at (1 - confidence) / ${search.looks} / 2 (Bonferroni over ${search.looks} looks)`,
    confidence: search.settings.confidence,
    waves: search.waveCount,
    points: search.points.length,
    runs: search.runs,
    budget: search.settings.budget,
    stoppedBy: search.stoppedBy,
    finestLevel: search.finestLevel,
    finestSteps: search.settings.factors.map((_f, i) => search.nodes(i, search.finestLevel)),
    gridPoints: search.gridPoints(),
    gridReplications,
    gridRuns,
    runShare: Number(fmtStat(search.runs / gridRuns)),
    classes,
    boundaryCells: search.boundary().length,
  };
}

/** Runs (or resumes) an adaptive sweep into its folder: waves planned from the journal's results, then the sweep's tables, adaptive.csv, boundary.csv. */
export async function runAdaptiveSweep(spec: Spec, opts: SweepOptions): Promise<AdaptiveResult> {
  if (opts.shard) throw new SpecError('--shard', [{ field: '', message: 'an adaptive sweep plans each wave from the last one\'s results, so it cannot be cut into shards', allowed: 'no --shard (run it on one machine, with --workers)' }]);
  if (opts.retryFailed) throw new SpecError('--retry-failed', [{ field: '', message: 'an adaptive sweep planned its later waves from the failed runs as they were; running them again would change the plan', allowed: 'no --retry-failed (fix the cause and start the sweep anew with --force)' }]);
  const { settings, condition } = adaptiveSettings(spec, opts.file);
  const hash = hashOf(spec);
  const dir = resolve(opts.dir);
  const planned: PlannedPoint[] = [];
  const seedFns: ((r: number) => string)[] = [];
  const tasks: RunTask[] = [];
  const search = new AdaptiveSearch(settings);
  const taskOf = (run: WaveRun): RunTask => {
    while (planned.length <= run.point) {
      const p = search.points[planned.length];
      const point = planPoint(spec, { index: p.index, values: p.values }, opts.file);
      planned.push(point);
      seedFns.push(seedsOf(spec.seed, specIdentity(point.spec)));
    }
    const s = planned[run.point].spec;
    return { key: `${run.point}-${run.replication}`, point: run.point, replication: run.replication, seed: seedFns[run.point](run.replication), model: s.model, params: s.params, protocol: s.protocol, rounds: s.rounds, recordEvery: s.recordEvery, stop: s.stop, metrics: spec.metrics, series: spec.sweep!.series };
  };
  // wave 0 (the coarse grid) is planned and every point of it validated before the folder is claimed
  let wave = search.nextWave()!.map(taskOf);

  const claim = claimOutput(opts.dir.trim() === '' ? opts.dir : dir, {
    kind: 'sweep',
    force: opts.force,
    specFiles: [opts.file],
    reuse: () => {
      const m = readSweepMarker(dir);
      if (m && m.specHash === hash && !m.shard) return null;
      return m ? 'it holds a sweep of a different spec' : 'it holds results that are not a sweep of this spec';
    },
  });
  try {
    mkdirSync(claim.dir, { recursive: true });
    if (claim.state !== 'ours' || readMarker(claim.dir) === null) writeMarker(claim.dir, 'sweep', hash);
    const found = readSweepMarker(dir);
    const marker: SweepMarker = found ?? { specHash: hash, sessions: [] };
    const journalFile = join(dir, JOURNAL_FILE);
    const before = readJournal(journalFile);
    if (!found) writeSweepMarker(dir, marker);
    const done = new Map<string, RunOutcome>(before.outcomes);
    const resumed = done.size;
    const startedAt = new Date().toISOString();
    const journal = openJournal(journalFile, done.values());
    const plannedKeys = new Set<string>();
    const damaged = (problem: string) =>
      new DamagedFileError(journalFile, `${problem}. Its checksum matches, so it was not cut short by a crash: the file was edited or comes from another sweep`, 'Move the folder aside with --force and run the sweep anew, or restore the journal from a copy');
    const metricsCache = new Map<number, readonly string[] | null>();
    let ran = 0;
    let stopped = false;
    try {
      for (;;) {
        for (const t of wave) {
          plannedKeys.add(t.key);
          const o = done.get(t.key);
          if (!o) continue;
          if (o.seed !== t.seed) throw damaged(`run ${t.key} has seed ${o.seed}, not the planned ${t.seed}`);
          if (o.ok) {
            if (!metricsCache.has(t.point)) metricsCache.set(t.point, plannedMetrics(t));
            const m = metricsCache.get(t.point);
            if (m && (m.length !== o.metrics.length || m.some((x, i) => x !== o.metrics[i]))) throw damaged(`run ${t.key} reports other metrics than the model's`);
          }
        }
        tasks.push(...wave);
        const todo = wave.filter((t) => !done.has(t.key));
        if (todo.length > 0) {
          // records of a later wave can exist only once this one is complete: any other is not this sweep's
          for (const key of done.keys()) if (!plannedKeys.has(key)) throw damaged(`run ${key} is not in this adaptive sweep's plan (replayed from the journal)`);
          await opts.executor.execute(
            todo,
            (o) => {
              journal.append(o);
              done.set(o.key, o);
              ran++;
              opts.onProgress?.(done.size, settings.budget);
            },
            opts.stopped,
          );
          if (wave.some((t) => !done.has(t.key))) {
            stopped = true;
            break;
          }
        }
        for (const t of wave) {
          const o = done.get(t.key)!;
          search.record(t.point, o.ok, o.ok && inClass(condition, o));
        }
        const next = search.nextWave();
        if (!next) break;
        wave = next.map(taskOf);
      }
      if (!stopped) for (const key of done.keys()) if (!plannedKeys.has(key)) throw damaged(`run ${key} is not in this adaptive sweep's plan (replayed from the journal)`);
    } finally {
      journal.close();
      marker.sessions.push({ startedAt, endedAt: new Date().toISOString(), alreadyDone: resumed, ran, droppedRecords: before.dropped, workers: opts.executor.workers, design: 'adaptive', waves: search.waveCount });
      writeSweepMarker(dir, marker);
    }
    const plan: SweepPlan = { spec: spec as SweepPlan['spec'], specHash: hash, factors: spec.sweep!.factors, points: planned, tasks };
    const summary = summaryOf(search, condition);
    const failed = [...done.values()].filter((o) => !o.ok).sort((a, b) => a.point - b.point || a.replication - b.replication);
    let files: Record<string, string> = {};
    const complete = !stopped;
    if (complete) {
      opts.onProgress?.(tasks.length, tasks.length);
      const first = marker.sessions.find((x) => typeof x.startedAt === 'string')?.startedAt as string | undefined;
      files = writeSweepOutputs(dir, plan, done, { file: opts.file, question: questionOf(opts.file, plan), startedAt: first ?? startedAt, endedAt: new Date().toISOString() });
      files = { ...files, ...writeAdaptiveFiles(dir, search, summary) };
    }
    return { dir, plan, total: tasks.length, resumed, ran, failed, complete, files, adaptive: summary, search };
  } finally {
    claim.lock.release();
  }
}

/** Factor i's value at finest-lattice coordinate c. */
export function cellValue(search: AdaptiveSearch, i: number, c: number): number {
  const f = search.settings.factors[i];
  return f.min + ((f.max - f.min) * c) / (search.nodes(i, search.settings.depth) - 1);
}

function inClass(condition: Condition, o: RunOutcome): boolean {
  const columns: Record<string, number[]> = {};
  o.metrics.forEach((m, i) => {
    columns[m] = [o.final[i]];
  });
  return condition.evaluate(columns, 1)[0] === 1;
}

/** Writes adaptive.csv (every point: where, how many runs, its class) and boundary.csv (the cells the boundary runs through), and adds them and the search's summary to manifest.json. */
function writeAdaptiveFiles(dir: string, search: AdaptiveSearch, summary: AdaptiveSummary): Record<string, string> {
  const files: Record<string, string> = {};
  const paths = search.settings.factors.map((f) => f.path);
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, `.${name}.tmp`), text);
    renameSync(join(dir, `.${name}.tmp`), join(dir, name));
    files[name] = sha256Hex(text);
  };
  put(
    ADAPTIVE_FILE,
    stringify(
      search.points.map((p) => [p.index, p.wave, p.level, ...paths.map((k) => String(p.values[k])), p.planned, p.ok, p.inClass, p.ok ? fmtStat(p.inClass / p.ok) : '', search.classOf(p)]),
      { ...CSV_OPTIONS, header: true, columns: ['point', 'wave', 'level', ...paths, 'replications', 'finished', 'in_class', 'share', 'class'] },
    ),
  );
  const valueAt = (i: number, c: number) => fmtStat(cellValue(search, i, c));
  put(
    BOUNDARY_FILE,
    stringify(
      search.boundary().map((c, j) => [j, c.level, c.status, ...paths.flatMap((_k, i) => [valueAt(i, c.corner[i]), valueAt(i, c.corner[i] + c.size), valueAt(i, c.corner[i] + c.size / 2)]), c.classes.join(' ')]),
      { ...CSV_OPTIONS, header: true, columns: ['cell', 'level', 'status', ...paths.flatMap((k) => [`${k}.low`, `${k}.high`, `${k}.mid`]), 'corner_classes'] },
    ),
  );
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { files: Record<string, string> };
  manifest.files = Object.fromEntries(Object.entries({ ...manifest.files, ...files }).sort(([a], [b]) => (a < b ? -1 : 1)));
  manifest.adaptive = summary;
  writeFileSync(join(dir, '.manifest.json.tmp'), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(join(dir, '.manifest.json.tmp'), file);
  return files;
}

