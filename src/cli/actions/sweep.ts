// What `migov sweep` does once its command line is parsed (its options and help are in
// ../sweep.ts, which loads this module only when the command runs).
import { join } from 'node:path';
import { resolveSpec } from '../../experiment/load.ts';
import { SpecError } from '../../experiment/errors.ts';
import { checkBudget } from '../../experiment/budget.ts';
import { localExecutor, parseWorkers, thisMachine } from '../../sweep/executor.ts';
import { progress } from '../../sweep/progress.ts';
import { defaultShardDir, parseShard, shardLabel } from '../../sweep/shard.ts';
import { runSweep } from '../../sweep/sweep.ts';
import { runAdaptiveSweep } from '../../sweep/adaptive.ts';
import type { Executor } from '../../sweep/executor.ts';
import type { Spec } from '../../experiment/schema.ts';
import { defaultResultDir } from '../rerun.ts';
import { sweepResultsTable } from '../sweep-table.ts';

export interface SweepCliOptions {
  seed?: string;
  set: string[];
  out?: string;
  results: string;
  workers?: string;
  retryFailed?: boolean;
  force?: boolean;
  quiet?: boolean;
  report: boolean;
  shard?: string;
  allowLarge?: boolean;
}

export async function sweepCommand(file: string, opts: SweepCliOptions): Promise<number> {
  const spec = resolveSpec(file, opts.set, opts.seed);
  if (spec.events) {
    throw new SpecError(file, [{ field: 'events', message: 'a sweep would run every point without the events', allowed: `\`migov run ${file}\` to replay a classroom session's events` }]);
  }
  if (spec.moves) {
    throw new SpecError(file, [{ field: 'moves', message: 'a sweep would run every point without the held choices', allowed: `\`migov run ${file}\` to replay a classroom session's moves` }]);
  }
  const workers = parseWorkers(opts.workers, '--workers', '');
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const where = opts.out !== undefined ? { dir: opts.out } : shard ? { dir: defaultShardDir(spec.name, shard, opts.results) } : defaultResultDir(spec, opts.results);
  const dir = where.dir;
  // what it will cost, before the design is generated or anything written (src/experiment/budget.ts)
  const cost = checkBudget(spec, file, { command: 'sweep', workers, shards: shard?.count, allowLarge: opts.allowLarge, machine: thisMachine() });
  // a worker beyond the runs would only sit idle, holding its own heap
  const executor = localExecutor(Math.max(1, Math.min(workers, cost.runs)));
  const bar = progress(opts.quiet ? 'quiet' : 'auto');
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const t0 = performance.now();
  if (where.note && !opts.quiet) console.log(where.note);
  try {
    if (spec.sweep?.design === 'adaptive') return await adaptiveCommand(spec, file, dir, executor, opts, bar, () => interrupted, t0);
    const result = await runSweep(spec, { file, dir, executor, shard, retryFailed: opts.retryFailed, force: opts.force, onProgress: (d, t) => bar.update(d, t), stopped: () => interrupted });
    bar.stop();
    const secs = (performance.now() - t0) / 1000;
    const p = result.plan;
    const size = `${p.spec.sweep.design} design, ${p.points.length} points x ${spec.replications} replications = ${p.tasks.length} runs`;
    console.log(
      `${spec.name}${shard ? ` shard ${shardLabel(shard)}` : ''}: ${size}${shard ? `, ${result.total} in this shard` : ''}; ` +
        `${result.resumed} already done, ${result.ran} run now in ${secs.toFixed(1)} s with ${executor.workers} worker(s)`,
    );
    if (!result.complete) {
      console.log(`Interrupted: ${result.resumed + result.ran} of ${result.total} runs are saved in ${join(result.dir, 'journal.jsonl')}; run the same command to resume.`);
      return 130;
    }
    if (result.failed.length > 0) {
      console.log(`${result.failed.length} run(s) failed: see ${join(result.dir, 'failures.csv')}; rerun with --retry-failed to run only them.`);
      for (const f of result.failed.slice(0, 5)) console.log(`  point ${f.point}, replication ${f.replication}, seed ${f.seed}: ${f.error}`);
    }
    if (shard) {
      console.log(`Shard ${shardLabel(shard)} done: ${result.dir} (shard.json); when all ${shard.count} shards are done: migov merge <the ${shard.count} shard folders> --out <dir>`);
      return result.failed.length > 0 ? 1 : 0;
    }
    // the metrics the spec chose: its charts' (once the spec has a charts: section), else its metrics:
    const charted = (spec as { charts?: readonly { metric: string }[] }).charts?.map((c) => c.metric);
    let table = '';
    try {
      table = sweepResultsTable(result.dir, charted?.length ? [...new Set(charted)] : spec.metrics);
    } catch (e) {
      // the results are written and complete: a table that cannot be read back only goes unshown
      console.error(`(no results table: ${e instanceof Error ? e.message : String(e)}; see summary.csv)`);
    }
    if (table) console.log(`${table}\n`);
    console.log(`Results: ${result.dir}`);
    if (opts.report) {
      const { writeReport } = await import('../../report/index.ts');
      console.log(`Report: ${await writeReport(result.dir)}`);
    }
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    bar.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await executor.close();
  }
}

/** `design: adaptive`: waves until the classes are decided or the budget is spent (src/sweep/adaptive.ts); the report gains the boundary chart. */
async function adaptiveCommand(spec: Spec, file: string, dir: string, executor: Executor, opts: SweepCliOptions, bar: ReturnType<typeof progress>, stopped: () => boolean, t0: number): Promise<number> {
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const result = await runAdaptiveSweep(spec, { file, dir, executor, shard, retryFailed: opts.retryFailed, force: opts.force, onProgress: (d, t) => bar.update(d, t), stopped });
  bar.stop();
  const secs = (performance.now() - t0) / 1000;
  const a = result.adaptive;
  console.log(`${spec.name}: adaptive design, ${a.waves} wave(s), ${a.points} points, ${result.total} runs; ${result.resumed} already done, ${result.ran} run now in ${secs.toFixed(1)} s with ${executor.workers} worker(s)`);
  if (!result.complete) {
    console.log(`Interrupted: ${result.resumed + result.ran} runs are saved in ${join(result.dir, 'journal.jsonl')}; run the same command to resume (the waves are planned again from them).`);
    return 130;
  }
  const pct = (100 * a.runShare).toPrecision(3);
  console.log(
    `Class "${a.class}": ${a.classes.in} points in, ${a.classes.out} out, ${a.classes.mixed} mixed, ${a.classes.open} open; ${a.boundaryCells} boundary cell(s) (boundary.csv). ` +
      `Stopped: ${a.stoppedBy === 'budget' ? `budget of ${a.budget} runs spent` : 'every point in, out or mixed (undecided after the most replications), every straddling cell at the full depth'}.`,
  );
  console.log(`A full grid at the same resolution (${a.finestSteps.join(' x ')} points x ${a.gridReplications} replications, the fewest that decide a point at confidence ${a.confidence}) would need ${a.gridRuns} runs; this search ran ${a.runs} (${pct} %).`);
  if (result.failed.length > 0) console.log(`${result.failed.length} run(s) failed: see ${join(result.dir, 'failures.csv')} (they count as runs, not as in or out of the class).`);
  console.log(`Results: ${result.dir}`);
  if (opts.report) {
    const { writeAdaptiveReport } = await import('../../report/adaptive.ts');
    console.log(`Report: ${await writeAdaptiveReport(result)}`);
  }
  return result.failed.length > 0 ? 1 : 0;
}
