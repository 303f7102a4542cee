// What `migov run` does once its command line is parsed (its options and help are in
// ../run.ts, which loads this module only when the command runs).
import { join, relative, resolve } from 'node:path';
import { modelOf, resolveSpec } from '../../experiment/load.ts';
import { forcedMovesOf, runEventsOf } from '../../experiment/moves.ts';
import { SpecError } from '../../experiment/errors.ts';
import { checkBudget } from '../../experiment/budget.ts';
import { localExecutor, parseWorkers, thisMachine } from '../../sweep/executor.ts';
import type { Spec } from '../../experiment/schema.ts';
import { type ReplicationResult, specOutcomes, summarise } from '../../sweep/experiment.ts';
import { progress } from '../../sweep/progress.ts';
import { runReplications } from '../../sweep/replications.ts';
import { type Claim, OutputError, claimOutput, removeTemp, replaceFolder } from '../../sweep/folder.ts';
import { openSeriesStream, stageResults } from '../../sweep/store.ts';
import { keepSeries } from '../../report/memory.ts';
import { defaultResultDir } from '../rerun.ts';
import { formatTable } from '../table.ts';

export interface RunOptions {
  seed?: string;
  set: string[];
  out?: string;
  results: string;
  quiet?: boolean;
  workers?: string;
  report: boolean;
  allowLarge?: boolean;
  force?: boolean;
}

/** Work (decisions) below which `migov run` without --workers stays in this process: a few seconds on one core, about what starting the worker threads costs. */
const POOL_MIN_DECISIONS = 5e7;

export async function runCommand(files: string[], opts: RunOptions): Promise<void> {
  if (opts.out && files.length > 1) {
    throw new SpecError('--out', [{ field: '', message: `--out names one folder but ${files.length} specs were given`, allowed: 'one spec with --out, or several specs with --results <parent folder>' }]);
  }
  const workers = parseWorkers(opts.workers, '--workers', '');
  // validate everything first: nothing runs or is written unless every spec is valid
  const specs: { file: string; spec: Spec; dir: string; note?: string; workers: number }[] = files.map((file) => {
    const spec = resolveSpec(file, opts.set, opts.seed);
    // a classroom session's held choices name states, issue areas and levels that must exist
    forcedMovesOf(file, modelOf(spec), spec.params, spec.moves);
    runEventsOf(file, modelOf(spec), spec.params, spec.events);
    // what it will cost, before anything runs or is written (src/experiment/budget.ts);
    // a worker beyond the replications would only sit idle, holding its own heap
    const cost = checkBudget(spec, file, { command: 'run', streamsSeries: true, reportSeries: opts.report, workers: Math.max(1, Math.min(workers, spec.replications)), allowLarge: opts.allowLarge, machine: thisMachine() });
    // short work stays in this process unless --workers asks: starting the pool takes longer
    const used = opts.workers === undefined && cost.decisions < POOL_MIN_DECISIONS ? 1 : cost.concurrent;
    const where = opts.out !== undefined ? { dir: opts.out } : defaultResultDir(spec, opts.results);
    return { file, spec, ...where, workers: used };
  });
  for (const s of specs) {
    if (s.spec.sweep) {
      throw new SpecError(s.file, [{ field: 'sweep', message: '`migov run` runs one parameter setting and would ignore the sweep section (and could replace a sweep\'s folder)', allowed: `\`migov sweep ${s.file}\` for a spec with a sweep section` }]);
    }
  }
  for (let i = 0; i < specs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (resolve(specs[i].dir) === resolve(specs[j].dir)) {
        throw new OutputError(specs[i].dir, `${specs[j].file} and ${specs[i].file} both write it (both are named "${specs[i].spec.name}"); give each spec its own name, or run them one at a time with --out`);
      }
    }
  }
  // claim every folder (and hold its lock) before anything runs
  const claims: Claim[] = [];
  try {
    for (const s of specs) claims.push(claimOutput(s.dir, { kind: 'run', force: opts.force, specFiles: files }));
  } catch (e) {
    for (const c of claims) c.lock.release();
    throw e;
  }

  const done: string[] = [];
  try {
    for (const [k, { file, spec, note, workers: used }] of specs.entries()) {
      const claim = claims[k];
      if (claim.movedAside && !opts.quiet) console.log(`Moved the folder that was at ${claim.dir} to ${claim.movedAside}`);
      if (note && !opts.quiet) console.log(note);
      const t0 = performance.now();
      if (!opts.quiet) console.log(`${spec.name}: ${spec.model}, ${spec.replications} replication(s) x ${spec.rounds} rounds, seed ${spec.seed}, ${used} worker(s)`);
      // each replication's series goes to series.csv in the new folder, in replication order, as it finishes
      const series = openSeriesStream(claim.dir, spec);
      // and, for the report, kept in memory compactly (up to a limit; beyond it the report reads series.csv)
      const kept = opts.report ? keepSeries() : null;
      const bar = progress(opts.quiet ? 'quiet' : 'auto', process.stderr, 'replications');
      const executor = localExecutor(used);
      let result;
      try {
        // progress shows once the work has taken a second: short runs stay silent
        const onProgress = (d: number, t: number) => {
          if (performance.now() - t0 > 1000) bar.update(d, t);
        };
        const onReplication = (rep: ReplicationResult) => {
          series.add(rep);
          kept?.add(rep);
        };
        result = await runReplications(spec, executor, { onReplication, keepSeries: false, onProgress });
      } catch (e) {
        series.abort();
        throw e;
      } finally {
        bar.stop();
        await executor.close();
      }
      const { tmp, files: written } = stageResults(claim.dir, result, file, series);
      try {
        // the report is made in the new folder before the swap: a kill leaves the earlier complete folder
        // (loaded only when needed: vega and resvg take a moment to load); from the tables in memory, not read back
        if (opts.report) await (await import('../../report/index.ts')).writeReport(tmp, { locked: true, given: kept?.tables(result, written) ?? undefined });
        replaceFolder(tmp, claim.dir);
      } catch (e) {
        removeTemp(tmp);
        throw e;
      }
      claim.lock.release();
      if (!opts.quiet) {
        // each metric's unit and meaning, from the model's declarations
        const declared = new Map(specOutcomes(spec, result.replications[0]?.result.metrics).metrics.map((d) => [d.name, d]));
        const rows = summarise(result).map((m) => [m.metric, fmt(m.mean), Number.isNaN(m.ci95) ? '' : `±${fmt(m.ci95)}`, fmt(m.min), fmt(m.max), declared.get(m.metric)?.unit ?? '', declared.get(m.metric)?.description ?? '']);
        console.log(formatTable(['final metric', 'mean', '95% CI', 'min', 'max', 'unit', 'meaning'], rows, [5, 6]));
        const stops = result.replications.map((r) => r.result.stoppedBy);
        const counts = [...new Set(stops)].map((s) => `${stops.filter((x) => x === s).length} by ${s}`).join(', ');
        console.log(`stopped: ${counts}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      console.log(`Results: ${claim.dir}`);
      if (opts.report) console.log(`Report: ${join(claim.dir, 'report.html')}`);
      if (!opts.quiet) console.log('');
      done.push(claim.dir);
    }
  } finally {
    for (const c of claims) c.lock.release();
  }
  if (done.length > 1) console.log(`Done: ${done.length} experiments; results in ${done.map((d) => relative(process.cwd(), d) || '.').join(', ')}`);
  if (done.length > 1 && opts.report) console.log(`Reports: ${done.map((d) => relative(process.cwd(), join(d, 'report.html'))).join(', ')}`);
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toFixed(4);
}
