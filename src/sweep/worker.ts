// The worker-thread side of the pool executor: runs a batch of tasks.
import type { RunTask } from './plan.ts';
import { type RunOutcome, runTask } from './run-task.ts';

export default function runBatch(tasks: readonly RunTask[]): RunOutcome[] {
  return tasks.map(runTask);
}
