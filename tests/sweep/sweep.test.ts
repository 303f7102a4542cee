// The sweep machinery through the typed API (in this process, and a thread pool
// where it matters): run seeds that survive a changed design, replication-major
// scheduling, runs that throw, and the options of sweep().
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, planSweep, sweep, validateSpec } from '../../src/index.ts';
import type { SpecInput } from '../../src/index.ts';
import { type Executor, inProcessExecutor, poolExecutor } from '../../src/sweep/executor.ts';
import type { RunTask } from '../../src/sweep/plan.ts';
import type { RunOutcome } from '../../src/sweep/run-task.ts';
import { runTask } from '../../src/sweep/run-task.ts';
import { runSweep } from '../../src/sweep/sweep.ts';
import { tempDir } from '../cli/helpers.ts';
import { journalKeys, readCsv, sessions, stableBytes } from '../cli/sweep-helpers.ts';

const spec = (r: number[], replications: number, extra: Partial<SpecInput> = {}): SpecInput => ({
  name: 'api-sweep',
  model: 'linear-pgg',
  params: { Z: 30, N: 3, r: 3, c: 1 },
  protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.05 },
  rounds: 6,
  recordEvery: 3,
  replications,
  seed: 'api',
  sweep: { design: 'grid', factors: [{ path: 'params.r', values: r }, { path: 'protocol.mutation', values: [0.01, 0.1] }] },
  ...extra,
});

/** Wraps an executor, recording the keys of the tasks it is given, in order. */
function recording(inner: Executor, seen: string[]): Executor {
  return {
    workers: inner.workers,
    execute: (tasks, onOutcome, stopped) => {
      seen.push(...tasks.map((t) => t.key));
      return inner.execute(tasks, onOutcome, stopped);
    },
    close: () => inner.close(),
  };
}

function failing(inner: Executor, keys: ReadonlySet<string>): Executor {
  return {
    workers: inner.workers,
    execute: (tasks, onOutcome, stopped) => inner.execute(tasks.map((t) => (keys.has(t.key) ? { ...t, model: 'no-such-model' } : t)), onOutcome, stopped),
    close: () => inner.close(),
  };
}

/** (values of the point, replication) -> seed, from runs.csv. */
function seedsOf(dir: string): Map<string, string> {
  return new Map(readCsv(dir, 'runs.csv').map((row) => [`${row['params.r']}|${row['protocol.mutation']}|${row.replication}`, row.seed]));
}

describe('run seeds', () => {
  it('are unchanged for every existing run when a grid value or a replication is added', async () => {
    const root = tempDir();
    await sweep(spec([2, 6], 2), { out: join(root, 'a'), workers: 1 });
    // a value inserted in the middle shifts the point indices of everything after it
    await sweep(spec([2, 4, 6], 3), { out: join(root, 'b'), workers: 1 });
    const a = seedsOf(join(root, 'a'));
    const b = seedsOf(join(root, 'b'));
    expect(a.size).toBe(2 * 2 * 2);
    expect(b.size).toBe(3 * 2 * 3);
    for (const [run, seed] of a) expect(b.get(run), run).toBe(seed);
    // and all seeds differ from one another
    expect(new Set(b.values()).size).toBe(b.size);
    // the final values of the shared runs are the same too
    const finals = (dir: string) => new Map(readCsv(dir, 'runs.csv').map((row) => [row.seed, row.share_C]));
    const fb = finals(join(root, 'b'));
    for (const [seed, share] of finals(join(root, 'a'))) expect(fb.get(seed)).toBe(share);
  });

  it('change with the master seed', async () => {
    const root = tempDir();
    await sweep(spec([2, 6], 1), { out: join(root, 'a'), workers: 1 });
    await sweep(spec([2, 6], 1), { out: join(root, 'b'), workers: 1, seed: 'other' });
    const a = [...seedsOf(join(root, 'a')).values()];
    const b = [...seedsOf(join(root, 'b')).values()];
    expect(a.filter((s) => b.includes(s))).toEqual([]);
  });
});

describe('scheduling', () => {
  it('is replication-major: every point once, then every point again, ...', async () => {
    const valid = validateSpec(spec([2, 4, 6], 3), 'x');
    const plan = planSweep(valid, 'x');
    const expected = [0, 1, 2].flatMap((rep) => [0, 1, 2, 3, 4, 5].map((p) => `${p}-${rep}`));
    expect(plan.tasks.map((t) => t.key)).toEqual(expected);
    const seen: string[] = [];
    await runSweep(valid, { file: 'x', dir: join(tempDir(), 's'), executor: recording(inProcessExecutor(), seen) });
    expect(seen).toEqual(expected);
  });

  it('so that a sweep stopped after one pass already covers the whole design, and resumes from there', async () => {
    const valid = validateSpec(spec([2, 4, 6], 3), 'x');
    const dir = join(tempDir(), 's');
    let done = 0;
    const stopped = await runSweep(valid, {
      file: 'x',
      dir,
      executor: inProcessExecutor(),
      onProgress: (d) => (done = d),
      stopped: () => done >= 6,
    });
    expect(stopped.complete).toBe(false);
    expect(stopped.ran).toBe(6);
    expect(journalKeys(dir)).toEqual(['0-0', '1-0', '2-0', '3-0', '4-0', '5-0']);
    expect(stableBytes(dir)['runs.csv']).toBeNull();
    const seen: string[] = [];
    const rest = await runSweep(valid, { file: 'x', dir, executor: recording(inProcessExecutor(), seen) });
    expect(rest).toMatchObject({ complete: true, resumed: 6, ran: 12 });
    expect(seen[0]).toBe('0-1');
    expect(sessions(dir).map((s) => [s.alreadyDone, s.ran])).toEqual([[0, 6], [6, 12]]);
  });
});

describe('a run that throws', () => {
  const plan = planSweep(validateSpec(spec([2, 4], 2), 'x'), 'x');
  const tasks: RunTask[] = plan.tasks.map((t) => (t.key === '2-0' ? { ...t, model: 'no-such-model' } : t));

  it('gives a failed outcome with its seed and error, not an exception', () => {
    const o = runTask(tasks[2]);
    expect(o).toMatchObject({ key: '2-0', ok: false, seed: plan.tasks[2].seed, error: 'unknown model no-such-model', stoppedBy: 'error' });
    expect(runTask(tasks[1]).ok).toBe(true);
  });

  it('does not stop the in-process or the pool executor', async () => {
    for (const executor of [inProcessExecutor(), poolExecutor(2)]) {
      const outcomes: RunOutcome[] = [];
      try {
        await executor.execute(tasks, (o) => outcomes.push(o));
      } finally {
        await executor.close();
      }
      expect(outcomes.map((o) => o.key).sort()).toEqual(tasks.map((t) => t.key).sort());
      expect(outcomes.filter((o) => !o.ok).map((o) => o.key)).toEqual(['2-0']);
      // the pool's outcomes are the in-process ones
      for (const o of outcomes) expect(o).toEqual(runTask(tasks.find((t) => t.key === o.key)!));
    }
  });

  it('is recorded in failures.csv with the same bytes whatever the executor, and --retry-failed redoes only those', async () => {
    const root = tempDir();
    const broken = new Set(['0-1', '3-0']);
    const a = await sweep(spec([2, 4], 2), { out: join(root, 'a'), executor: failing(inProcessExecutor(), broken) });
    const pool = poolExecutor(2);
    try {
      await sweep(spec([2, 4], 2), { out: join(root, 'b'), executor: failing(pool, broken) });
    } finally {
      await pool.close();
    }
    expect(a.complete).toBe(true);
    expect(a.failed.map((o) => o.key)).toEqual(['0-1', '3-0']);
    expect(stableBytes(join(root, 'b'))).toEqual(stableBytes(join(root, 'a')));
    expect(readFileSync(join(root, 'a', 'failures.csv'), 'utf8')).toBe(
      'point,replication,seed,parameters,error\n' +
        `0,1,${plan.tasks.find((t) => t.key === '0-1')!.seed},"{""params.r"":2,""protocol.mutation"":0.01}",unknown model no-such-model\n` +
        `3,0,${plan.tasks.find((t) => t.key === '3-0')!.seed},"{""params.r"":4,""protocol.mutation"":0.1}",unknown model no-such-model\n`,
    );
    // the summary counts only the runs that finished
    const n = readCsv(join(root, 'a'), 'summary.csv').filter((s) => s.metric === 'share_C').map((s) => s.n);
    expect(n).toEqual(['1', '2', '2', '1']);

    const seen: string[] = [];
    const retried = await sweep(spec([2, 4], 2), { out: join(root, 'a'), retryFailed: true, executor: recording(inProcessExecutor(), seen) });
    expect(seen).toEqual(['3-0', '0-1']);
    expect(retried).toMatchObject({ resumed: 6, ran: 2, failed: [] });
    await sweep(spec([2, 4], 2), { out: join(root, 'clean'), workers: 1 });
    expect(stableBytes(join(root, 'a'))).toEqual(stableBytes(join(root, 'clean')));
  });
});

describe('sweep()', () => {
  it('takes a file with --set-style overrides and a seed, and returns what it did', async () => {
    const root = tempDir();
    const result = await sweep('experiments/betts-phase.yaml', {
      resultsDir: root,
      workers: 1,
      seed: 3,
      set: ['replications=1', 'rounds=2', 'recordEvery=1', 'params.states.N=8', 'params.states.regions=2'],
    });
    expect(result.dir).toBe(join(root, 'betts-phase'));
    expect(result).toMatchObject({ total: 36, resumed: 0, ran: 36, complete: true, failed: [] });
    expect(result.plan.spec.seed).toBe(3);
    expect(Object.keys(result.files).sort()).toEqual(['failures.csv', 'outcomes.csv', 'runs.csv', 'summary.csv']);
    const runs = readCsv(result.dir, 'runs.csv');
    expect(runs.slice(0, 7).map((r) => `${r['params.issueAreas.0.excludability']},${r['params.issueAreas.0.rivalry']}`)).toEqual(
      ['0,0', '0,0.2', '0,0.4', '0,0.6', '0,0.8', '0,1', '0.2,0'],
    );
    expect(Object.keys(runs[0]).slice(-6)).toEqual(['share_refugee_U', 'share_refugee_C', 'share_refugee_M', 'refugee_gap', 'refugee_provision', 'welfare']);
    // outcomes.csv: each run's final values, long, with the metrics' declared dimensions, kind and unit
    const long = readCsv(result.dir, 'outcomes.csv');
    expect(long).toHaveLength(36 * 6);
    expect(Object.keys(long[0])).toEqual(['point', 'replication', 'seed', 'params.issueAreas.0.excludability', 'params.issueAreas.0.rivalry', 'round', 'metric', 'issue_area', 'level', 'role', 'strategy', 'kind', 'unit', 'value']);
    expect(long.find((r) => r.metric === 'share_refugee_M')).toMatchObject({ issue_area: 'refugee', level: 'M', role: '', strategy: '', kind: 'share', unit: 'share of states' });
    expect(long.find((r) => r.metric === 'welfare')).toMatchObject({ issue_area: '', kind: 'welfare', unit: 'payoff units per state' });
    // the manifest carries the declarations of the metrics the spec keeps
    const manifest = JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8'));
    expect(manifest.outcomes.metrics.map((m: { name: string }) => m.name)).toEqual(['share_refugee_U', 'share_refugee_C', 'share_refugee_M', 'refugee_gap', 'refugee_provision', 'welfare']);
    expect(manifest.outcomes.vocabularies.levels.map((t: { label: string }) => t.label)).toEqual(['U unilateral', 'C club', 'M multilateral']);
  });

  it('refuses bad input with a SpecError before writing anything', async () => {
    const root = tempDir();
    await expect(sweep(spec([2], 1), { resultsDir: root, workers: 0 })).rejects.toThrow(SpecError);
    await expect(sweep({ ...spec([2], 1), sweep: undefined }, { resultsDir: root })).rejects.toThrow(/field "sweep": missing/);
    await expect(sweep(spec([2, -1], 1), { resultsDir: root })).rejects.toThrow(/field "params\.r".*at sweep point 2/);
    expect(readdirSync(root)).toEqual([]);
  });
});
