// A sweep's plan: the design points (from src/experiment/designs.ts), each point's
// full validated spec, and the runs in the order they are scheduled. Imports nothing
// of Node, so that the demo's phase diagram plans its sweep with this very code.
import { createRng, runSeed, seedsOf } from '../engine/rng.ts';
import type { ForcedMove, RunEvent } from '../engine/simulate.ts';
import { type DesignPoint, type MorrisLayout, type SaltelliLayout, type Value, grid, latinHypercube, morris, saltelli } from '../experiment/designs.ts';
import { SpecError } from '../experiment/errors.ts';
import { validateSpec } from '../experiment/validate.ts';
import { type Factor, PROTOCOL_FACTOR, type Spec, type SweepSpec } from '../experiment/schema.ts';
import { specHash, specIdentity } from './experiment.ts';

/** Everything a worker needs to do one run; plain data, so that it crosses threads and processes. */
export interface RunTask {
  /** `<point>-<replication>`: the run's place in the design. */
  readonly key: string;
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly model: string;
  readonly params: Record<string, unknown>;
  readonly protocol: Spec['protocol'];
  readonly rounds: number;
  readonly recordEvery: number;
  readonly stop: Spec['stop'];
  /** Metrics to keep (all of the model's when absent). */
  readonly metrics?: readonly string[];
  /** Keep the whole series, not only the final values. */
  readonly series: boolean;
  /** Choices held by some agents in some rounds (the spec's `moves`, resolved to indices); absent in an ordinary run. */
  readonly moves?: readonly ForcedMove[];
  /** The model's events at given rounds (the spec's `events`, checked); absent in an ordinary run. */
  readonly events?: readonly RunEvent[];
  /** Report the run's time (`ms`; `migov run` records it; a sweep's journal, byte-identical across sessions, does not). */
  readonly timed?: boolean;
}

export interface PlannedPoint extends DesignPoint {
  readonly spec: Spec;
}

export interface SweepPlan {
  readonly spec: Spec & { sweep: SweepSpec };
  readonly specHash: string;
  readonly factors: readonly Factor[];
  readonly points: readonly PlannedPoint[];
  readonly saltelli?: SaltelliLayout;
  readonly morris?: MorrisLayout;
  /** Replication-major: every point's first replication, then every point's second, ... */
  readonly tasks: readonly RunTask[];
}

/** Sets a dotted path (numeric parts index lists) in a plain object, creating mappings on the way. */
export function setPath(root: Record<string, unknown>, path: string, value: Value): void {
  const keys = path.split('.');
  let node: Record<string, unknown> | unknown[] = root;
  for (let d = 0; d < keys.length - 1; d++) {
    const k = keys[d];
    const next: unknown = Array.isArray(node) ? node[Number(k)] : node[k];
    if (next === undefined || next === null || typeof next !== 'object') {
      const fresh = {};
      if (Array.isArray(node)) node[Number(k)] = fresh;
      else node[k] = fresh;
      node = fresh;
    } else {
      node = next as Record<string, unknown>;
    }
  }
  const last = keys[keys.length - 1];
  if (Array.isArray(node)) node[Number(last)] = value;
  else node[last] = value;
}

function describePoint(values: Readonly<Record<string, Value>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/**
 * One design point's full validated spec: the sweep's spec with the point's values
 * set (a protocol factor first). A point that breaks a rule is a SpecError naming
 * the file, the point and the field.
 */
export function planPoint(spec: Spec, point: DesignPoint, file: string): PlannedPoint {
  const raw = structuredClone({ ...spec, sweep: undefined }) as Record<string, unknown>;
  delete raw.sweep;
  // charts: names the sweep's factors; checked with the whole spec, it means nothing to one point
  delete raw.charts;
  // a protocol factor swaps the whole protocol first, so that a factor under protocol. sets a field of the chosen one
  const entries = Object.entries(point.values).sort(([a], [b]) => Number(b === PROTOCOL_FACTOR) - Number(a === PROTOCOL_FACTOR));
  for (const [path, value] of entries) {
    if (path === PROTOCOL_FACTOR) raw.protocol = structuredClone(spec.sweep!.protocols![String(value)]);
    else setPath(raw, path, value);
  }
  try {
    // no table reader: a validated spec that names a state table already carries its rows, so a point never reads a file
    return { ...point, spec: validateSpec(raw, file) };
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new SpecError(
      file,
      e.problems.map((p) => ({ ...p, message: `${p.message} (at sweep point ${point.index}: ${describePoint(point.values)})` })),
    );
  }
}

const isPlain = (x: unknown): x is Record<string, unknown> | unknown[] =>
  typeof x === 'object' && x !== null && (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

/**
 * Replaces, inside `x` (a freshly validated spec, owned by its point), every plain
 * object or list equal to the one at the same place in `base` by base's, and gives
 * base's when the whole of `x` equals it. Equal means the same keys in the same
 * order and Object.is-equal values (so -0 and NaN are kept as they are), and nothing
 * is changed but which of two equal objects is held; specs are never written to.
 */
function shareEqualParts(base: unknown, x: unknown): unknown {
  if (x === base || !isPlain(x) || !isPlain(base) || Array.isArray(x) !== Array.isArray(base)) return x;
  let same: boolean;
  if (Array.isArray(x)) {
    const b = base as unknown[];
    same = x.length === b.length;
    for (let i = 0; i < x.length; i++) {
      if (i < b.length) x[i] = shareEqualParts(b[i], x[i]);
      same &&= i < b.length && Object.is(x[i], b[i]);
    }
  } else {
    const b = base as Record<string, unknown>;
    const keys = Object.keys(x);
    const baseKeys = Object.keys(b);
    same = keys.length === baseKeys.length;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (Object.hasOwn(b, k)) x[k] = shareEqualParts(b[k], x[k]);
      same &&= baseKeys[i] === k && Object.is(x[k], b[k]);
    }
  }
  return same ? base : x;
}

/**
 * Builds the plan of a validated spec with a sweep section. Every design point's
 * spec is validated before anything runs; a point that breaks a rule is a SpecError
 * naming the file, the point and the field.
 */
export function planSweep(spec: Spec, file: string): SweepPlan {
  const sweep = spec.sweep;
  if (!sweep) {
    throw new SpecError(file, [{ field: 'sweep', message: 'missing: `migov sweep` needs a sweep section', allowed: 'sweep: { design, factors, ... } (see README, "Sweeps")' }]);
  }
  const factors = sweep.factors;
  // the design's own stream derives from the master seed, so the design is reproducible too
  const rng = createRng(runSeed(spec.seed, 'design', 0));
  let designed: DesignPoint[];
  let saltelliLayout: SaltelliLayout | undefined;
  let morrisLayout: MorrisLayout | undefined;
  switch (sweep.design) {
    case 'grid':
      designed = grid(factors, factors.map((f) => f.steps));
      break;
    case 'adaptive':
      // its waves are planned from results (src/sweep/adaptive.ts); a fixed plan of it would be its coarse grid alone, run as if it were the answer
      throw new SpecError(file, [
        {
          field: 'sweep.design',
          message: 'an adaptive sweep plans each wave from the results of the last, so it has no fixed plan to shard, merge or submit to Slurm',
          allowed: 'migov sweep <spec> (or runAdaptiveSweep) on one machine, with any --workers; another design for --shard, migov merge and migov slurm',
        },
      ]);
    case 'lhs':
      designed = latinHypercube(factors, sweep.samples!, rng);
      break;
    case 'sobol': {
      const s = saltelli(factors, sweep.samples!);
      designed = s.points;
      saltelliLayout = s.layout;
      break;
    }
    case 'morris': {
      const m = morris(factors, sweep.samples!, sweep.levels, rng);
      designed = m.points;
      morrisLayout = m.layout;
      break;
    }
  }

  const points: PlannedPoint[] = designed.map((point) => planPoint(spec, point, file));
  // a point's spec differs from the first point's only along its factors' paths: the rest is shared (a migration spec is about 3 KB a point)
  for (let p = 1; p < points.length; p++) shareEqualParts(points[0].spec, points[p].spec);

  // each point's identity is put in canonical JSON once, not once per replication
  const seeds = points.map((point) => seedsOf(spec.seed, specIdentity(point.spec)));
  const tasks: RunTask[] = [];
  for (let replication = 0; replication < spec.replications; replication++) {
    for (let p = 0; p < points.length; p++) {
      const point = points[p];
      const s = point.spec;
      tasks.push({
        key: `${point.index}-${replication}`,
        point: point.index,
        replication,
        seed: seeds[p](replication),
        model: s.model,
        params: s.params,
        protocol: s.protocol,
        rounds: s.rounds,
        recordEvery: s.recordEvery,
        stop: s.stop,
        metrics: spec.metrics,
        series: sweep.series,
      });
    }
  }
  return {
    spec: spec as Spec & { sweep: SweepSpec },
    specHash: specHash(spec),
    factors,
    points,
    saltelli: saltelliLayout,
    morris: morrisLayout,
    tasks,
  };
}
