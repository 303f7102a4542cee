// The baseline of bench/bookkeeping.ts's memory figures: a sweep's bookkeeping as
// runSweep did it before issue 18, kept here as a reference implementation so that the
// old and new ways are measured in one run. Every run's outcome (its final values,
// key and seed; the metric names shared among outcomes) is kept in a map until the
// sweep ends, and the tables are written with the map alive. The tables themselves are
// written by today's writeSweepOutputs (same bytes), which holds less than the old
// table writer did (it also built arrays of the outcomes in order and every summary
// row), so the old figure is, if anything, low.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../src/experiment/schema.ts';
import type { Executor } from '../src/sweep/executor.ts';
import { JOURNAL_FILE, openJournal } from '../src/sweep/journal.ts';
import { planSweep } from '../src/sweep/plan.ts';
import type { RunOutcome } from '../src/sweep/run-task.ts';
import { writeSweepOutputs } from '../src/sweep/sweep.ts';

/** One list of metric names for the outcomes that report the same names (as the old runSweep kept them). */
function sharedMetrics(): (o: RunOutcome) => RunOutcome {
  let last: readonly string[] = [];
  return (o) => {
    const m = o.metrics;
    if (m === last) return o;
    if (m.length === last.length && m.every((x, i) => x === last[i])) return { ...o, metrics: last };
    last = m;
    return o;
  };
}

/** A fresh sweep of `spec` into `dir` the old way; `onProgress` as runSweep's. */
export async function retainAllSweep(spec: Spec, dir: string, executor: Executor, onProgress?: (done: number, total: number) => void): Promise<void> {
  const plan = planSweep(spec, '<bench>');
  mkdirSync(dir, { recursive: true });
  const share = sharedMetrics();
  const done = new Map<string, RunOutcome>();
  const journal = openJournal(join(dir, JOURNAL_FILE), []);
  try {
    await executor.execute(plan.tasks, (o) => {
      journal.append(o);
      done.set(o.key, share(o));
      onProgress?.(done.size, plan.tasks.length);
    });
  } finally {
    journal.close();
  }
  const at = new Date().toISOString();
  writeSweepOutputs(dir, plan, done, { file: '<bench>', question: '', startedAt: at, endedAt: at });
}
