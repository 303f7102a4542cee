// Executors: where runs happen. A model never knows which one runs it; results do
// not depend on it (each run's seed is fixed by the plan, and outputs are sorted by
// design point and replication before they are written).
import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Machine } from '../experiment/budget.ts';
import { Piscina } from 'piscina';
import { SpecError } from '../experiment/errors.ts';
import type { RunTask } from './plan.ts';
import { type RunOutcome, runTask } from './run-task.ts';

export interface Executor {
  /** Runs the tasks, calling `onOutcome` as each finishes (in any order); resolves when all are done or `stopped()` turns true. */
  execute(tasks: readonly RunTask[], onOutcome: (o: RunOutcome) => void, stopped?: () => boolean): Promise<void>;
  close(): Promise<void>;
  readonly workers: number;
}

/** Runs every task in this process, in order. */
export function inProcessExecutor(): Executor {
  return {
    workers: 1,
    async execute(tasks, onOutcome, stopped) {
      for (let i = 0; i < tasks.length; i++) {
        if (stopped?.()) return;
        onOutcome(runTask(tasks[i]));
        // let signals (Ctrl-C) and I/O through now and then
        if (i % 64 === 63) await new Promise((r) => setImmediate(r));
      }
    },
    async close() {},
  };
}

/**
 * Set by the bundle build (scripts/bundle.js) to the file URL of the bundled worker;
 * not defined when this module runs from its TypeScript source (tsx, vitest).
 */
declare const MIGOV_BUNDLED_WORKER: string | undefined;

/** How the pool's threads load the worker: the bundled JavaScript beside a bundled CLI, else the TypeScript source through tsx, like the main process. */
function workerFile(): { filename: string; execArgv: string[] } {
  if (typeof MIGOV_BUNDLED_WORKER === 'string') return { filename: MIGOV_BUNDLED_WORKER, execArgv: [] };
  return { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', import.meta.resolve('tsx')] };
}

/**
 * A pool of worker threads (piscina) running batches of tasks. Batches are small
 * enough to keep every worker busy and large enough that messaging costs little.
 * The threads take a fraction of a second to load the worker; until the first has,
 * this thread runs tasks itself, one at a time, so a short sweep is done before the
 * threads are (and waits for none of them), and a pool is never much slower than
 * one thread. Which thread ran a task changes nothing in its outcome.
 */
export function poolExecutor(workers: number): Executor {
  const pool = new Piscina({
    ...workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
  });
  // an empty batch: done once a thread has loaded the worker
  let ready = false;
  const warm = pool.run([]).then(() => {
    ready = true;
  });
  // a thread that cannot load the worker fails the lanes that wait for it
  warm.catch(() => {});
  return {
    workers,
    async execute(tasks, onOutcome, stopped) {
      const batch = Math.max(1, Math.min(32, Math.ceil(tasks.length / (workers * 8))));
      let next = 0;
      let allTaken = (): void => {};
      const taken = new Promise<void>((r) => (allTaken = r));
      const take = (count: number): RunTask[] => {
        const chunk = tasks.slice(next, next + count);
        next += chunk.length;
        if (next >= tasks.length) allTaken();
        return chunk;
      };
      if (tasks.length === 0) allTaken();
      const lane = async (): Promise<void> => {
        await Promise.race([warm, taken]);
        while (next < tasks.length && !stopped?.()) {
          const outcomes = (await pool.run(take(batch))) as RunOutcome[];
          for (const o of outcomes) onOutcome(o);
        }
      };
      const here = async (): Promise<void> => {
        while (!ready && next < tasks.length && !stopped?.()) {
          onOutcome(runTask(take(1)[0]));
          // let the pool's messages (and signals) through
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all([...Array.from({ length: workers * 2 }, lane), here()]);
    },
    async close() {
      await pool.destroy();
    },
  };
}

/**
 * A number of workers as a user gives it (a number, or the text of --workers): an
 * integer from 1 to 1024; absent means the available cores. A bad value is a
 * SpecError naming `file` and `field`.
 */
export function parseWorkers(value: unknown, file: string, field: string): number {
  if (value === undefined) return availableParallelism();
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
    throw new SpecError(file, [{ field, message: `got ${JSON.stringify(value)}`, allowed: 'an integer from 1 to 1024' }]);
  }
  return workers;
}

/** The executor for a number of workers: this process for one, a thread pool otherwise. */
export function localExecutor(workers: number = availableParallelism()): Executor {
  return workers <= 1 ? inProcessExecutor() : poolExecutor(workers);
}

/**
 * What this machine can give one command, for the budget check: half of its memory,
 * and no more than three quarters of the JS heap (recorded series and plans live
 * there), and its available cores.
 */
export function thisMachine(): Machine {
  return { memoryBytes: Math.min(totalmem() / 2, 0.75 * getHeapStatistics().heap_size_limit), cores: availableParallelism() };
}
