// The resource cases of issue 12, attacked through the real CLI and the API: every
// one is refused before anything runs or is written (exit 2, a message naming the
// field, the estimate and --allow-large, no result folder), and what the flag
// accepts runs. Also: no big array is spread into a call, and no CSV cell is one a
// spreadsheet would run. Nothing here times anything; vitest's timeout catches a hang.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, sweep, SpecError, validateSpec, readResults } from '../../src/index.ts';
import { DEFAULT_BUDGET, checkBudget, designSize, estimateCost } from '../../src/experiment/budget.ts';
import { maxOf, minOf } from '../../src/engine/stats.ts';
import { aggregateSeries } from '../../src/charts/stats.ts';
import { type ExperimentResult, runExperiment, summarise } from '../../src/sweep/experiment.ts';
import { csvLine, escapeText, unescapeText } from '../../src/sweep/csv.ts';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { DEFAULTS, DEMO_MAX_AGENTS, fromHash, phaseProblem, setup } from '../../src/demo/settings.ts';

const lp = 'name: big\nmodel: linear-pgg\nparams: { Z: 100, N: 5, r: 3, c: 1 }\n';

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly command: 'run' | 'sweep';
  readonly args?: readonly string[];
  /** The field the message must name. */
  readonly field: RegExp;
  /** The estimate the message must give. */
  readonly estimate: RegExp;
}

const cases: readonly Case[] = [
  { name: 'Z = 1e7, rounds = 1e9, replications = 1e6', yaml: 'name: big\nmodel: linear-pgg\nparams: { Z: 10000000, N: 5 }\nrounds: 1000000000\nreplications: 1000000\n', command: 'run', field: /field "(params\.Z|rounds|replications)"/, estimate: /1\.00e22 decisions/ },
  { name: 'a 1e12-point grid', yaml: `${lp}sweep: { design: grid, factors: [ { path: params.r, min: 1, max: 5, steps: 1000000 }, { path: params.c, min: 1, max: 5, steps: 1000000 } ] }\n`, command: 'sweep', field: /field "sweep\.factors"/, estimate: /1\.00e12/ },
  { name: 'a 1e9-point grid', yaml: `${lp}sweep: { design: grid, factors: [ { path: params.r, min: 1, max: 5, steps: 1000 }, { path: params.c, min: 1, max: 5, steps: 1000 }, { path: protocol.mutation, min: 0, max: 0.1, steps: 1000 } ] }\n`, command: 'sweep', field: /field "sweep\.factors"/, estimate: /1\.00e9/ },
  { name: '1e12 LHS runs', yaml: `${lp}replications: 1000000\nsweep: { design: lhs, samples: 1000000, factors: [ { path: params.r, min: 1, max: 5 } ] }\n`, command: 'sweep', field: /field "(sweep\.samples|replications)"/, estimate: /1\.00e12/ },
  { name: '2^19 Sobol base samples', yaml: `${lp}sweep: { design: sobol, samples: 524288, factors: [ { path: params.r, min: 1, max: 5 } ] }\n`, command: 'sweep', field: /field "sweep\.samples"/, estimate: /1,572,864/ },
  { name: 'replications: 200000', yaml: `${lp}replications: 200000\n`, command: 'run', field: /field "replications"/, estimate: /200,000 run/ },
  { name: 'rounds: 1e9, recordEvery: 1', yaml: `${lp}rounds: 1000000000\nrecordEvery: 1\n`, command: 'run', field: /field "recordEvery"/, estimate: /1\.00e9 records|1\.00e9 recorded values/ },
  { name: '--workers 1024 on an 8-run sweep', yaml: `${lp}replications: 2\nsweep: { design: grid, factors: [ { path: params.r, values: [1, 2, 3, 4] } ] }\n`, command: 'sweep', args: ['--workers', '1024'], field: /field "--workers"/, estimate: /1024 workers on \d+ cores/ },
  { name: 'N = 1e7 states', yaml: 'name: big\nmodel: migration-governance\nparams: { states: { N: 10000000 } }\n', command: 'run', field: /field "params\.states\.N"/, estimate: /1\.00e7 agents/ },
];

describe('resource cases through the CLI: refused before anything is written', () => {
  for (const c of cases) {
    it(`${c.name}: exit 2, names the field, the estimate and --allow-large; no folder`, () => {
      const dir = tempDir('migov-budget-');
      const spec = writeSpec(dir, 'big.yaml', c.yaml);
      const out = join(dir, 'out');
      const r = migov([c.command, spec, '--out', out, '--no-report', '-q', ...(c.args ?? [])], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.field);
      expect(r.stderr).toMatch(c.estimate);
      expect(r.stderr).toContain('--allow-large');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(out)).toBe(false);
    });
  }

  it('--allow-large lifts the default budget (more workers than 4 per core) but the runs still need no more workers than runs', () => {
    const dir = tempDir('migov-budget-');
    const spec = writeSpec(dir, 'small.yaml', 'name: small\nmodel: linear-pgg\nparams: { Z: 20, N: 5 }\nrounds: 5\nreplications: 2\nsweep: { design: grid, factors: [ { path: params.r, values: [2, 4] } ] }\n');
    const workers = String(4 * availableParallelism() + 1);
    const out = join(dir, 'out');
    expect(migov(['sweep', spec, '--out', out, '--no-report', '-q', '--workers', workers], dir).code).toBe(2);
    const r = migov(['sweep', spec, '--out', out, '--no-report', '-q', '--workers', workers, '--allow-large'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/with [1-4] worker\(s\)/);
    expect(existsSync(join(out, 'runs.csv'))).toBe(true);
  });

  it('--allow-large never lifts what the machine cannot hold', () => {
    const dir = tempDir('migov-budget-');
    const spec = writeSpec(dir, 'big.yaml', `${lp}rounds: 1000000000\nrecordEvery: 1\n`);
    const r = migov(['run', spec, '--out', join(dir, 'out'), '--no-report', '--allow-large'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--allow-large does not lift this');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('resource cases through the API: SpecError before anything is written', () => {
  for (const c of cases) {
    it(`${c.name}`, async () => {
      const dir = tempDir('migov-budget-');
      const spec = writeSpec(dir, 'big.yaml', c.yaml);
      const out = join(dir, 'out');
      const workers = c.args ? Number(c.args[1]) : 1;
      const attempt = c.command === 'run' ? async () => run(spec, { out, report: false }) : () => sweep(spec, { out, workers, report: false });
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SpecError);
      const message = (err as SpecError).message;
      expect(message).toMatch(new RegExp(c.field.source.replace('--workers', 'workers')));
      expect(message).toMatch(c.estimate);
      expect(message).toMatch(/allowLarge/);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('the estimate', () => {
  it('counts a design without generating it', () => {
    const spec = validateSpec({ name: 'x', model: 'linear-pgg', sweep: { design: 'grid', factors: [{ path: 'params.r', min: 1, max: 5, steps: 1e6 }, { path: 'params.c', min: 1, max: 5, steps: 1e6 }, { path: 'protocol.mutation', values: [0, 0.1] }] } }, 'x');
    expect(designSize(spec)).toBe(2e12);
    const sobol = validateSpec({ name: 'x', model: 'linear-pgg', sweep: { design: 'sobol', samples: 8, factors: [{ path: 'params.r', min: 1, max: 5 }, { path: 'params.c', min: 1, max: 5 }] } }, 'x');
    expect(designSize(sobol)).toBe(8 * 4);
    const morris = validateSpec({ name: 'x', model: 'linear-pgg', sweep: { design: 'morris', samples: 10, factors: [{ path: 'params.r', min: 1, max: 5 }, { path: 'params.c', min: 1, max: 5 }] } }, 'x');
    expect(designSize(morris)).toBe(10 * 3);
  });

  it('reads the population the model declares, at the largest swept value', () => {
    const spec = validateSpec({ name: 'x', model: 'linear-pgg', params: { Z: 100 }, rounds: 10, replications: 3, sweep: { design: 'grid', factors: [{ path: 'params.Z', values: [50, 5000, 500] }] } }, 'x');
    const est = estimateCost(spec, { command: 'sweep' });
    expect(est.population).toBe(5000);
    expect(est.runs).toBe(9);
    expect(est.decisions).toBe(5000 * 10 * 9);
    const mg = validateSpec({ name: 'x', model: 'migration-governance', params: { states: { N: 321 } } }, 'x');
    expect(estimateCost(mg, { command: 'run' })).toMatchObject({ population: 321, populationField: 'params.states.N', games: 3 });
  });

  it('counts the work of a decision as the model declares it (weakest-link: 2 summed payoffs)', () => {
    const areas = (aggregation: string) => [{ name: 'refugee', excludability: 0, rivalry: 0, reach: 1, valuation: { origin: 1, transit: 1, destination: 1 }, aggregation }];
    // 20,000 states x 300,000 rounds: 6e9 decisions under summation (within the 1e10 budget), 1.2e10 under weakest-link
    const linked = validateSpec({ name: 'x', model: 'migration-governance', params: { states: { N: 20_000 }, issueAreas: areas('weakest-link') }, rounds: 300_000, recordEvery: 100_000 }, 'x');
    const sum = validateSpec({ name: 'x', model: 'migration-governance', params: { states: { N: 20_000 }, issueAreas: areas('summation') }, rounds: 300_000, recordEvery: 100_000 }, 'x');
    expect(estimateCost(linked, { command: 'run' }).decisions).toBe(20_000 * 300_000 * 2);
    expect(estimateCost(sum, { command: 'run' }).decisions).toBe(20_000 * 300_000);
    expect(() => checkBudget(linked, 'x', { command: 'run' })).toThrow(/field "rounds": states\.N = 20,000 agents.*x 2 \(the model's work per decision.*--allow-large/);
    expect(() => checkBudget(sum, 'x', { command: 'run' })).not.toThrow();
    const swept = validateSpec({ ...sum, sweep: { design: 'grid', factors: [{ path: 'params.issueAreas.0.aggregation', values: ['summation', 'weakest-link'] }] } }, 'x');
    expect(estimateCost(swept, { command: 'sweep' }).decisionCost).toBe(2);
  });

  it('a shard is checked for its own runs', () => {
    const spec = validateSpec({ name: 'x', model: 'linear-pgg', params: { Z: 10 }, rounds: 1, replications: 1000, sweep: { design: 'lhs', samples: 200, factors: [{ path: 'params.r', min: 1, max: 5 }] } }, 'x');
    expect(() => checkBudget(spec, 'x', { command: 'sweep' })).toThrow(/200,000 runs, above the default budget/);
    expect(checkBudget(spec, 'x', { command: 'sweep', shards: 4 }).runs).toBe(50_000);
  });

  it('every default budget is above what the experiments in experiments/ need (see README, "Budgets")', () => {
    expect(DEFAULT_BUDGET.runs).toBeGreaterThanOrEqual(10_000);
    expect(DEFAULT_BUDGET.decisions).toBeGreaterThanOrEqual(1e9);
  });
});

describe('no big array spread into a call', () => {
  it('summarise takes the min and max of 1,000,000 replications', () => {
    const n = 1_000_000;
    const metrics = ['x'];
    const replications = Array.from({ length: n }, (_, i) => ({ replication: i, seed: '', ms: 0, result: { metrics, rounds: [0], values: [[i % 1000 === 7 ? -3 : i / n]], roundsRun: 0, stoppedBy: 'rounds' as const } }));
    const result = { replications } as unknown as ExperimentResult;
    const [s] = summarise(result);
    expect(s.min).toBe(-3);
    expect(s.max).toBe((n - 1) / n);
  });

  it('the series chart aggregates a run of 1,000,000 recorded rounds', () => {
    const n = 1_000_000;
    const series = Array.from({ length: n }, (_, round) => ({ replication: 0, round, metric: 'x', value: round % 2 }));
    const { byMetric, replications } = aggregateSeries(series, new Set(['x']));
    const points = byMetric.get('x')!;
    expect(replications).toBe(1);
    expect(points.length).toBe(n);
    expect(points[n - 1]).toMatchObject({ round: n - 1, mean: 1 });
  });

  it('maxOf and minOf behave as Math.max and Math.min, for any length', () => {
    const xs = new Float64Array(2_000_000).map((_, i) => Math.sin(i));
    expect(maxOf(xs)).toBe(Math.max(...xs.subarray(0, 50_000), maxOf(xs.subarray(50_000))));
    expect(minOf([])).toBe(Infinity);
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([1, NaN, 2])).toBeNaN();
    expect(minOf([3, -1, 2])).toBe(-1);
  });
});

describe('CSV that spreadsheets cannot run', () => {
  const evil = "=cmd|' /C calc'!A0";

  it('escapes text cells that start with = + - @ tab or CR, and only those; numbers stay numbers; the reader gets the text back', () => {
    for (const t of [evil, '+1+1', '-x', '@SUM(A1)', '\tx', '\rx', "'=x", "''@y"]) {
      expect(escapeText(t)).toBe(`'${t}`);
      expect(unescapeText(escapeText(t))).toBe(t);
    }
    for (const t of ['plain', '-0.5', '-1e-7', '-Infinity', '+3', "'plain", '']) {
      expect(escapeText(t)).toBe(t);
      expect(unescapeText(t)).toBe(t);
    }
    expect(csvLine(['=a', -0.5, 'x,y', '-2'])).toBe(`"'=a",-0.5,"x,y",-2\n`);
  });

  it('a swept text value starting with = lands escaped in runs.csv and summary.csv, and reads back as written', async () => {
    const dir = tempDir('migov-csv-');
    const out = join(dir, 'out');
    const spec = {
      name: 'evil',
      model: 'migration-governance',
      params: {
        states: {
          rows: [
            { name: 'a', region: 0, origin: 1, transit: 0, destination: 0, capacity: 1 },
            { name: 'b', region: 0, origin: 0, transit: 0, destination: 1, capacity: 2 },
            { name: 'c', region: 1, origin: 0, transit: 1, destination: 0, capacity: 1 },
          ],
        },
      },
      rounds: 3,
      recordEvery: 3,
      replications: 2,
      sweep: { design: 'grid' as const, factors: [{ path: 'params.states.rows.0.name', values: [evil, '@x'] }] },
    };
    const r = await sweep(spec, { out, workers: 1, report: false });
    expect(r.complete).toBe(true);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8');
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
    for (const text of [runs, summary]) {
      expect(text).toContain(`"'${evil}"`);
      expect(text).toContain(`"'@x"`);
      // no cell starts with a formula character unescaped
      expect(text).not.toMatch(/(^|,)[=@]/m);
    }
    const data = readResults(out);
    expect(data.runs?.map((row) => row['params.states.rows.0.name'])).toEqual([evil, evil, '@x', '@x']);
    expect(new Set(data.summary?.map((row) => row['params.states.rows.0.name']))).toEqual(new Set([evil, '@x']));
  });

  it('a negative number from a swept factor stays a bare number', async () => {
    const dir = tempDir('migov-csv-');
    const out = join(dir, 'out');
    const spec = { name: 'neg', model: 'matrix-game', params: { Z: 20 }, rounds: 2, replications: 1, sweep: { design: 'grid' as const, factors: [{ path: 'params.b', values: [-0.5, 0.5] }] } };
    await sweep(spec, { out, workers: 1, report: false });
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').split('\n');
    expect(runs[1].split(',')[3]).toBe('-0.5');
    expect(runs.join('\n')).not.toContain("'-0.5");
  });
});

describe('the demo refuses, with a message, what it cannot draw or run', () => {
  const hash = (o: object) => `#${encodeURIComponent(JSON.stringify(o))}`;

  it('Z = 1e7 in the URL hash is refused before the worker builds it, naming Z and the limit', () => {
    const s = fromHash(hash({ model: 'linear-pgg', other: '{"Z":10000000}' }));
    expect(() => setup(s)).toThrow(/^Z = 10,000,000: the demo runs at most 5,000 agents/);
    expect(setup(fromHash(hash({ model: 'linear-pgg', other: `{"Z":${DEMO_MAX_AGENTS}}` }))).params.Z).toBe(DEMO_MAX_AGENTS);
  });

  it('the migration model is held to the same limit through its declared population', () => {
    expect(() => setup({ ...DEFAULTS, N: 20_000 })).toThrow(/^states\.N = 20,000/);
  });

  it('a phase diagram above the decisions budget is refused, the default one runs', () => {
    expect(phaseProblem(DEFAULTS, { nx: 6, ny: 6, replications: 3, rounds: 100 })).toBeNull();
    expect(phaseProblem({ ...DEFAULTS, N: 2000 }, { nx: 12, ny: 12, replications: 20, rounds: 2000 })).toMatch(/decisions, above the budget/);
  });
});

describe('long runs stream: memory flat in replications and rounds recorded', () => {
  it('with keepSeries: false each replication keeps only its last record, after the callback saw the whole series', () => {
    const spec = validateSpec({ name: 'x', model: 'linear-pgg', params: { Z: 30 }, rounds: 40, recordEvery: 2, replications: 5 }, 'x');
    const seen: number[] = [];
    const result = runExperiment(spec, (rep) => seen.push(rep.result.values.length), { keepSeries: false });
    expect(seen).toEqual([21, 21, 21, 21, 21]); // rounds 0, 2, ..., 40
    const full = runExperiment(spec);
    result.replications.forEach((rep, i) => {
      expect(rep.result.values).toEqual([full.replications[i].result.values.at(-1)]);
      expect(rep.result.rounds).toEqual([40]);
    });
    expect(summarise(result)).toEqual(summarise(full));
  });

  it('migov run is checked with one replication\'s series held, run() with all of them', () => {
    const spec = validateSpec({ name: 'x', model: 'linear-pgg', params: { Z: 30 }, rounds: 1000, recordEvery: 1, replications: 10_000 }, 'x');
    expect(estimateCost(spec, { command: 'run', streamsSeries: true }).seriesValues).toBe(1002);
    expect(estimateCost(spec, { command: 'run' }).seriesValues).toBe(1002 * 10_000);
    expect(() => checkBudget(spec, 'x', { command: 'run' })).toThrow(/field "replications".*values held in memory/);
    expect(checkBudget(spec, 'x', { command: 'run', streamsSeries: true }).runs).toBe(10_000);
  });
});
