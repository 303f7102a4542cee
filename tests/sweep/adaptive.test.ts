// design: adaptive (src/sweep/adaptive.ts): the planner on planted boundaries of
// synthetic test functions, the whole sweep on linear-pgg (where a best response
// turns from defecting to cooperating at r = N: rc/N - c changes sign), its bytes
// under 1 and 2 workers and after an interruption, and the refusals of bad specs.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createRng } from '../../src/engine/rng.ts';
import { SpecError } from '../../src/experiment/errors.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { type AdaptiveResult, AdaptiveSearch, type AdaptiveSettings, adaptiveSettings, runAdaptiveSweep } from '../../src/sweep/adaptive.ts';
import { sweep, writeReport } from '../../src/index.ts';
import { adaptiveChartsOfFolder } from '../../src/report/adaptive.ts';
import { type Executor, inProcessExecutor, poolExecutor, thisMachine } from '../../src/sweep/executor.ts';
import { DamagedFileError } from '../../src/sweep/damaged.ts';
import { formatRecord } from '../../src/sweep/journal.ts';
import type { RunOutcome } from '../../src/sweep/run-task.ts';
import { checkBudget, designSize } from '../../src/experiment/budget.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { migov, tempDir } from '../cli/helpers.ts';

/** Runs the planner to its end on a planted class probability p(values); each run's draw comes from its own seeded stream. */
function search(settings: AdaptiveSettings, p: (x: readonly number[]) => number): AdaptiveSearch {
  const s = new AdaptiveSearch(settings);
  const paths = settings.factors.map((f) => f.path);
  for (let wave = s.nextWave(); wave; wave = s.nextWave()) {
    for (const run of wave) {
      const point = s.points[run.point];
      const u = createRng(`planted ${run.point}-${run.replication}`)();
      s.record(run.point, true, u < p(paths.map((k) => point.values[k])));
    }
  }
  return s;
}

const lattice = (s: AdaptiveSearch, i: number) => {
  const f = s.settings.factors[i];
  return (f.max - f.min) / (s.nodes(i, s.settings.depth) - 1);
};

describe('the adaptive planner on planted boundaries', () => {
  it('brackets a 1-factor threshold in one finest cell, with a fifth of the grid runs or fewer', () => {
    const settings: AdaptiveSettings = { factors: [{ path: 'x', min: 0, max: 1, steps: 5 }], replications: 4, maxReplications: 16, confidence: 0.95, depth: 5, budget: 10_000 };
    const s = search(settings, ([x]) => (x > 0.3712 ? 1 : 0));
    const cells = s.boundary();
    expect(s.stoppedBy).toBe('converged');
    expect(cells).toHaveLength(1);
    const h = lattice(s, 0);
    const low = cells[0].corner[0] * h;
    const high = (cells[0].corner[0] + cells[0].size) * h;
    expect(cells[0].status).toBe('boundary');
    expect(high - low).toBeCloseTo(h, 12);
    expect(low).toBeLessThan(0.3712);
    expect(high).toBeGreaterThan(0.3712);
    const gridRuns = s.gridPoints() * settings.replications;
    expect(s.gridPoints()).toBe(4 * 32 + 1);
    expect(s.runs * 5).toBeLessThanOrEqual(gridRuns);
  });

  it('traces a noisy 2-factor boundary within one finest cell, every point on the right side, at a fifth of the grid runs or fewer', () => {
    // the class holds with probability logistic((x + 0.6 y - 0.83) / 0.002): a line, blurred (probability 0.05 to 0.95) over |x + 0.6 y - 0.83| < 0.0059
    const settings: AdaptiveSettings = {
      factors: [{ path: 'x', min: 0, max: 1, steps: 5 }, { path: 'y', min: 0, max: 1, steps: 5 }],
      replications: 8,
      maxReplications: 24,
      confidence: 0.95,
      depth: 5,
      budget: 100_000,
    };
    const f = (x: number, y: number) => x + 0.6 * y - 0.83;
    const s = search(settings, ([x, y]) => 1 / (1 + Math.exp(-f(x, y) / 0.002)));
    expect(s.stoppedBy).toBe('converged');
    const h = lattice(s, 0);
    const cells = s.boundary();
    expect(cells.length).toBeGreaterThan(10);
    // every cell reported lies within one finest cell (its diagonal) of the blurred band around the planted line
    const norm = Math.hypot(1, 0.6);
    const band = 0.0059 / norm;
    for (const c of cells) {
      const xs = [c.corner[0] * h, (c.corner[0] + c.size) * h];
      const ys = [c.corner[1] * h, (c.corner[1] + c.size) * h];
      const values = xs.flatMap((x) => ys.map((y) => f(x, y)));
      const gap = Math.min(...values) > 0 ? Math.min(...values) : Math.max(...values) < 0 ? -Math.max(...values) : 0;
      expect(gap / norm).toBeLessThanOrEqual(band + h * Math.SQRT2);
    }
    // and the line is covered: every finest cell it crosses is reported, or touches one that is
    const covered = (x: number, y: number) => cells.some((c) => x >= (c.corner[0] - 1) * h && x <= (c.corner[0] + c.size + 1) * h && y >= (c.corner[1] - 1) * h && y <= (c.corner[1] + c.size + 1) * h);
    for (let k = 0; k <= 100; k++) {
      const y = k / 100;
      const x = 0.83 - 0.6 * y;
      expect(covered(x, y)).toBe(true);
    }
    // no point decided on the wrong side of the line (where the planted probability is below 0.1 or above 0.9: |x + 0.6 y - 0.83| > 0.0044)
    for (const p of s.points) {
      const v = f(p.values.x, p.values.y);
      const c = s.classOf(p);
      if (v > 0.0044) expect(c).not.toBe('out');
      if (v < -0.0044) expect(c).not.toBe('in');
    }
    // a grid decides a point at 95 % with at least 6 unanimous runs (0.5^6 < 0.025)
    expect(s.runs * 5).toBeLessThanOrEqual(s.gridPoints() * 6);
  });

  it('stops at the budget, never above it, and says so', () => {
    const settings: AdaptiveSettings = { factors: [{ path: 'x', min: 0, max: 1, steps: 3 }, { path: 'y', min: 0, max: 1, steps: 3 }], replications: 4, maxReplications: 12, confidence: 0.9, depth: 6, budget: 300 };
    const s = search(settings, ([x, y]) => (x * x + y * y < 0.5 ? 1 : 0));
    expect(s.stoppedBy).toBe('budget');
    expect(s.runs).toBeLessThanOrEqual(300);
    expect(s.boundary().some((c) => c.status === 'coarser')).toBe(true);
  });

  it('plans the same waves from the same results (a replay is the plan)', () => {
    const settings: AdaptiveSettings = { factors: [{ path: 'x', min: -1, max: 1, steps: 4 }], replications: 3, maxReplications: 12, confidence: 0.9, depth: 4, budget: 2000 };
    const p = ([x]: readonly number[]) => 1 / (1 + Math.exp(-x / 0.05));
    const a = search(settings, p);
    const b = search(settings, p);
    expect(b.points).toEqual(a.points);
    expect(b.boundary()).toEqual(a.boundary());
  });
});

const PGG = `# r = N: where a best response turns to cooperation (rc/N - c = 0)
name: pgg-adaptive
model: linear-pgg
params: { Z: 50, N: 5, c: 1, initial: { C: 0.5, D: 0.5 } }
protocol: { rule: logit, temperature: 0.05, revisionRate: 1 }
rounds: 20
recordEvery: 20
replications: 6
seed: 11
metrics: [share_C]
sweep:
  design: adaptive
  factors:
    - { path: params.r, min: 2, max: 9, steps: 8 }
  adaptive: { class: "share_C > 0.5", depth: 4, budget: 2000, maxReplications: 12, confidence: 0.95 }
`;

const STABLE = ['runs.csv', 'summary.csv', 'outcomes.csv', 'failures.csv', 'journal.jsonl', 'adaptive.csv', 'boundary.csv'];
const bytes = (dir: string) => Object.fromEntries(STABLE.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const csv = (dir: string, name: string) => parse(readFileSync(join(dir, name), 'utf8'), { columns: true }) as Record<string, string>[];

describe('an adaptive sweep of linear-pgg', () => {
  it('locates r = N within the cells it reports, with fewer runs than the grid; the same bytes with 2 workers and after an interruption', async () => {
    const root = tempDir();
    const file = join(root, 'pgg.yaml');
    writeFileSync(file, PGG);
    const spec = resolveSpec(file);
    const one = await runAdaptiveSweep(spec, { file, dir: join(root, 'one'), executor: inProcessExecutor() });
    expect(one.complete).toBe(true);
    const cells = csv(join(root, 'one'), 'boundary.csv');
    expect(cells.some((c) => Number(c['params.r.low']) <= 5 && Number(c['params.r.high']) >= 5)).toBe(true);
    const h = 7 / (7 * 16);
    for (const c of cells) {
      expect(Number(c['params.r.low'])).toBeGreaterThanOrEqual(5 - 4 * h);
      expect(Number(c['params.r.high'])).toBeLessThanOrEqual(5 + 4 * h);
    }
    expect(one.adaptive.runs).toBe(one.total);
    expect(one.adaptive.runs).toBeLessThan(one.adaptive.gridRuns / 2);
    const manifest = JSON.parse(readFileSync(join(root, 'one', 'manifest.json'), 'utf8')) as { design: string; runs: number; adaptive: { gridRuns: number }; files: Record<string, string> };
    expect(manifest.design).toBe('adaptive');
    expect(manifest.runs).toBe(one.total);
    expect(manifest.adaptive.gridRuns).toBe(113 * 6); // 6 replications; 6 also decide a point at 95 % in one look
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['adaptive.csv', 'boundary.csv', 'runs.csv']));

    const pool = poolExecutor(2);
    try {
      await runAdaptiveSweep(spec, { file, dir: join(root, 'two'), executor: pool });
    } finally {
      await pool.close();
    }
    expect(bytes(join(root, 'two'))).toEqual(bytes(join(root, 'one')));

    // stopped in the middle of the second wave, then resumed: the plan is replayed from the journal
    let seen = 0;
    const cut = await runAdaptiveSweep(spec, { file, dir: join(root, 'cut'), executor: inProcessExecutor(), stopped: () => ++seen > 60 });
    expect(cut.complete).toBe(false);
    expect(existsSync(join(root, 'cut', 'runs.csv'))).toBe(false);
    const resumed = await runAdaptiveSweep(spec, { file, dir: join(root, 'cut'), executor: inProcessExecutor() });
    expect(resumed.complete).toBe(true);
    expect(resumed.resumed).toBeGreaterThan(48);
    expect(resumed.resumed + resumed.ran).toBe(one.total);
    expect(bytes(join(root, 'cut'))).toEqual(bytes(join(root, 'one')));
    // run again when finished: nothing is run
    const again = await runAdaptiveSweep(spec, { file, dir: join(root, 'cut'), executor: inProcessExecutor() });
    expect(again.ran).toBe(0);
    expect(bytes(join(root, 'cut'))).toEqual(bytes(join(root, 'one')));
  }, 120_000);
});

describe('bad adaptive specs', () => {
  const refused = (text: string, field: string, what: RegExp) => {
    const root = tempDir();
    const file = join(root, 'bad.yaml');
    writeFileSync(file, text);
    let error: unknown;
    try {
      adaptiveSettings(resolveSpec(file), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const problems = (error as SpecError).problems;
    expect(problems.map((p) => p.field)).toContain(field);
    expect((error as SpecError).message).toMatch(what);
    expect((error as SpecError).message).toContain(file);
  };
  const edit = (from: string, to: string) => {
    expect(PGG).toContain(from);
    return PGG.replace(from, to);
  };

  it('refuses a design without its section, a section without the design, factors it cannot refine', () => {
    refused(edit('  adaptive: { class: "share_C > 0.5", depth: 4, budget: 2000, maxReplications: 12, confidence: 0.95 }\n', ''), 'sweep.adaptive', /needs sweep.adaptive/);
    refused(edit('design: adaptive', 'design: grid'), 'sweep.adaptive', /design is grid/);
    refused(edit('{ path: params.r, min: 2, max: 9, steps: 8 }', '{ path: params.r, values: [2, 9] }'), 'sweep.factors.0', /needs min < max and steps >= 2/);
    refused(edit('{ path: params.r, min: 2, max: 9, steps: 8 }', '{ path: params.r, min: 2, max: 9, steps: 1 }'), 'sweep.factors.0', /steps >= 2/);
    refused(
      edit('    - { path: params.r, min: 2, max: 9, steps: 8 }\n', '    - { path: params.r, min: 2, max: 9, steps: 2 }\n    - { path: params.c, min: 0, max: 1, steps: 2 }\n    - { path: protocol.temperature, min: 0.01, max: 1, steps: 2 }\n    - { path: params.Z, min: 50, max: 60, steps: 2 }\n'),
      'sweep.factors',
      /1 to 3 numeric factors, not 4/,
    );
  });

  it('refuses a class that does not parse or names an unknown metric, a budget below the coarse grid, replications that can never decide', () => {
    refused(edit('"share_C > 0.5"', '"share_K > 0.5"'), 'sweep.adaptive.class', /unknown name "share_K".*did you mean "share_C"/);
    refused(edit('"share_C > 0.5"', '"share_C >"'), 'sweep.adaptive.class', /does not parse/);
    refused(edit('budget: 2000', 'budget: 40'), 'sweep.adaptive.budget', /do not cover the coarse grid \(48 runs/);
    refused(edit('maxReplications: 12', 'maxReplications: 4'), 'sweep.adaptive.maxReplications', /below replications/);
    refused(edit('maxReplications: 12, confidence: 0.95', 'maxReplications: 6, confidence: 0.99'), 'sweep.adaptive.maxReplications', /can never decide a point at confidence 0.99.*at least 9/);
  });

  it('has no fixed plan: shards, merge and Slurm (planSweep) refuse it, naming the design', async () => {
    const root = tempDir();
    const file = join(root, 'pgg.yaml');
    writeFileSync(file, PGG);
    const spec = resolveSpec(file);
    expect(() => planSweep(spec, file)).toThrow(/field "sweep.design": an adaptive sweep plans each wave from the results of the last/);
    await expect(runAdaptiveSweep(spec, { file, dir: join(root, 'out'), executor: inProcessExecutor(), shard: { index: 0, count: 2 } })).rejects.toThrow(/cannot be cut into shards/);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('refuses, before running anything, a journal whose record was edited with its checksum redone, or holds a run outside the replayed plan', async () => {
    const root = tempDir();
    const file = join(root, 'pgg.yaml');
    writeFileSync(file, PGG);
    const spec = resolveSpec(file, ['sweep.adaptive.depth=1']);
    const dir = join(root, 'out');
    await runAdaptiveSweep(spec, { file, dir, executor: inProcessExecutor() });
    const journal = join(dir, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    const record = (line: string) => JSON.parse(line.slice(65)) as RunOutcome;
    const runs = readFileSync(join(dir, 'runs.csv'), 'utf8');
    // another seed for run 3-0
    const edited = lines.map((l) => (record(l).key === '3-0' ? formatRecord({ ...record(l), seed: '0'.repeat(32) }).trimEnd() : l));
    writeFileSync(journal, `${edited.join('\n')}\n`);
    await expect(runAdaptiveSweep(spec, { file, dir, executor: inProcessExecutor() })).rejects.toThrow(/run 3-0 has seed 0{32}, not the planned/);
    // a run of a point the plan never made
    const extra = formatRecord({ ...record(lines[0]), key: '999-0', point: 999 });
    writeFileSync(journal, `${lines.join('\n')}\n${extra}`);
    let ran = 0;
    const counting: Executor = { workers: 1, execute: (t, on, stop) => ((ran += t.length), inProcessExecutor().execute(t, on, stop)), close: async () => {} };
    await expect(runAdaptiveSweep(spec, { file, dir, executor: counting })).rejects.toThrow(DamagedFileError);
    expect(ran).toBe(0);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8')).toBe(runs);
  }, 60_000);

  it("the API's sweep() runs it as migov sweep does, report and all", async () => {
    const root = tempDir();
    const file = join(root, 'pgg.yaml');
    writeFileSync(file, PGG);
    const result = (await sweep(file, { out: join(root, 'api'), workers: 1, set: ['sweep.adaptive.depth=1'] })) as AdaptiveResult;
    expect(result.complete).toBe(true);
    expect(result.adaptive.finestLevel).toBe(1);
    expect(result.adaptive.runs).toBe(result.total);
    expect(existsSync(join(root, 'api', 'boundary.csv'))).toBe(true);
    expect(existsSync(join(root, 'api', 'charts', 'adaptive-boundary.svg'))).toBe(true);
    // migov report on the folder draws the same boundary chart again, from adaptive.csv and boundary.csv, and no phase diagram
    const chart = readFileSync(join(root, 'api', 'charts', 'adaptive-boundary.vl.json'), 'utf8');
    const charts = adaptiveChartsOfFolder(join(root, 'api'));
    expect(charts).toBeDefined();
    await writeReport(join(root, 'api'), { charts });
    expect(readFileSync(join(root, 'api', 'charts', 'adaptive-boundary.vl.json'), 'utf8')).toBe(chart);
    expect(readdirSync(join(root, 'api', 'charts')).filter((f) => f.startsWith('phase'))).toEqual([]);
    expect(adaptiveChartsOfFolder(root)).toBeUndefined();
  }, 60_000);

  it('is costed by its budget before anything runs: points x replications cover the budget, and a budget beyond the default is refused', () => {
    const root = tempDir();
    const file = join(root, 'pgg.yaml');
    writeFileSync(file, PGG);
    const spec = resolveSpec(file);
    expect(designSize(spec) * spec.replications).toBeGreaterThanOrEqual(2000);
    expect(designSize(spec) * spec.replications).toBeLessThan(2000 + spec.replications);
    const huge = resolveSpec(file, ['sweep.adaptive.budget=100000000']);
    expect(() => checkBudget(huge, file, { command: 'sweep', workers: 1, machine: thisMachine() })).toThrow(SpecError);
  });

  it('migov sweep refuses a bad class with exit 2, naming the field, and writes nothing', () => {
    const root = tempDir();
    writeFileSync(join(root, 'bad.yaml'), PGG.replace('"share_C > 0.5"', '"share_C > 0.5 and welfare > 1"'));
    const r = migov(['sweep', 'bad.yaml', '--out', 'out', '-q'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sweep\.adaptive\.class/);
    expect(r.stderr).toMatch(/welfare/);
    expect(existsSync(join(root, 'out'))).toBe(false);
  }, 60_000);
});
