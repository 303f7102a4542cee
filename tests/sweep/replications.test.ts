import { describe, expect, it } from 'vitest';
import { RUN_WINDOW_PER_WORKER, estimateCost } from '../../src/experiment/budget.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { type Executor, inProcessExecutor } from '../../src/sweep/executor.ts';
import { runExperiment } from '../../src/sweep/experiment.ts';
import { runReplications } from '../../src/sweep/replications.ts';
import { runTask } from '../../src/sweep/run-task.ts';

const spec = resolveSpec({
  name: 'reps',
  model: 'linear-pgg',
  params: { Z: 30, N: 3, r: 2, c: 1 },
  protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.05 },
  rounds: 10,
  recordEvery: 5,
  replications: 7,
  seed: 3,
});

/** An executor of 3 "workers" that hands each window's outcomes back in reverse order. */
function reversing(): Executor {
  return {
    workers: 3,
    async execute(tasks, onOutcome) {
      for (const o of tasks.map(runTask).reverse()) onOutcome(o);
    },
    async close() {},
  };
}

describe('runReplications', () => {
  it('hands replications on in order whatever order they finish in, with the values runExperiment gives', async () => {
    const seen: number[] = [];
    const result = await runReplications(spec, reversing(), { onReplication: (r) => seen.push(r.replication), keepSeries: false });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const direct = runExperiment(spec);
    expect(result.replications.map((r) => r.seed)).toEqual(direct.replications.map((r) => r.seed));
    expect(result.replications.map((r) => r.result.values)).toEqual(direct.replications.map((r) => r.result.values.slice(-1)));
    const full = await runReplications(spec, inProcessExecutor());
    expect(full.replications.map((r) => r.result)).toEqual(direct.replications.map((r) => r.result));
  });

  it('throws, naming the replication, when one fails', async () => {
    const failing: Executor = {
      workers: 1,
      async execute(tasks, onOutcome) {
        for (const t of tasks) onOutcome(t.replication === 2 ? { ...runTask(t), ok: false, error: 'boom' } : runTask(t));
      },
      async close() {},
    };
    await expect(runReplications(spec, failing)).rejects.toThrow(/replication 2 .*boom/);
  });
});

describe('the budget of migov run on workers', () => {
  it('counts the window of series a pool may hold, one series in this process', () => {
    const one = estimateCost(spec, { command: 'run', streamsSeries: true });
    expect(one.seriesValues).toBe(one.records * one.metrics);
    const two = estimateCost(spec, { command: 'run', streamsSeries: true, workers: 2 });
    expect(two.concurrent).toBe(2);
    expect(two.seriesValues).toBe(Math.min(7, 2 * RUN_WINDOW_PER_WORKER) * one.seriesValues);
  });
});
