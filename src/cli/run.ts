// `migov run <spec...>`: runs each spec's replications, prints a summary, writes results/<name>/.
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { resolveSpec } from '../experiment/load.ts';
import { SpecError } from '../experiment/errors.ts';
import { checkBudget } from '../experiment/budget.ts';
import { thisMachine } from '../sweep/executor.ts';
import type { Spec } from '../experiment/schema.ts';
import { runExperiment, summarise } from '../sweep/experiment.ts';
import { checkWritable, writeResults } from '../sweep/store.ts';
import { formatTable } from './table.ts';

interface RunOptions {
  seed?: string;
  set: string[];
  out?: string;
  results: string;
  quiet?: boolean;
  report: boolean;
  allowLarge?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run experiment spec(s): every replication, a summary table, and a result folder per spec')
    .argument('<specs...>', 'experiment spec files (YAML or JSON)')
    .option('--seed <seed>', 'master seed, overriding the spec\'s `seed` (an integer or a string)')
    .option('--set <path=value>', 'override a spec field, e.g. --set params.r=2.5 --set rounds=200 (repeatable)', collect, [])
    .option('--out <dir>', 'result folder (one spec only; default <results>/<name>)')
    .option('--results <dir>', 'parent folder of the result folders', 'results')
    .option('-q, --quiet', 'print only where the results are')
    .option('--no-report', 'skip the charts and report.html (`migov report <folder>` makes them later)')
    .option('--allow-large', 'run a spec above the default budget (runs, decisions, recorded values, memory; see README, "Budgets"); never one beyond what this machine can hold')
    .addHelpText(
      'after',
      `
Writes <results>/<name>/manifest.json (spec, hashes, seeds, versions, commit, timings),
series.csv (replication x round x metric) and final.csv (one row per replication),
then the charts (charts/<id>.vl.json, .svg, .png) and report.html unless --no-report.
Every spec is validated before anything runs or is written; a bad spec exits with code 2.

Examples:
  migov run experiments/public-goods.yaml
  migov run experiments/public-goods.yaml --seed 7 --set params.r=6 --out results/r6`,
    )
    .action(async (specs: string[], opts: RunOptions) => {
      await runCommand(specs, opts);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCommand(files: string[], opts: RunOptions): Promise<void> {
  if (opts.out && files.length > 1) {
    throw new SpecError('--out', [{ field: '', message: `--out names one folder but ${files.length} specs were given`, allowed: 'one spec with --out, or several specs with --results <parent folder>' }]);
  }
  // validate everything first: nothing runs or is written unless every spec is valid
  const specs: { file: string; spec: Spec; dir: string }[] = files.map((file) => {
    const spec = resolveSpec(file, opts.set, opts.seed);
    // what it will cost, before anything runs or is written (src/experiment/budget.ts)
    checkBudget(spec, file, { command: 'run', allowLarge: opts.allowLarge, machine: thisMachine() });
    return { file, spec, dir: opts.out ?? join(opts.results, spec.name) };
  });
  for (const s of specs) checkWritable(s.dir);

  const done: string[] = [];
  for (const { file, spec, dir } of specs) {
    const t0 = performance.now();
    if (!opts.quiet) console.log(`${spec.name}: ${spec.model}, ${spec.replications} replication(s) x ${spec.rounds} rounds, seed ${spec.seed}`);
    const result = runExperiment(spec);
    const written = writeResults(dir, result, file);
    if (!opts.quiet) {
      const rows = summarise(result).map((m) => [m.metric, fmt(m.mean), Number.isNaN(m.ci95) ? '' : `±${fmt(m.ci95)}`, fmt(m.min), fmt(m.max)]);
      console.log(formatTable(['final metric', 'mean', '95% CI', 'min', 'max'], rows));
      const stops = result.replications.map((r) => r.result.stoppedBy);
      const counts = [...new Set(stops)].map((s) => `${stops.filter((x) => x === s).length} by ${s}`).join(', ');
      console.log(`stopped: ${counts}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    console.log(`Results: ${written.dir}`);
    // loaded only when needed: vega and resvg take a moment to load
    if (opts.report) console.log(`Report: ${await (await import('../report/index.ts')).writeReport(written.dir)}`);
    if (!opts.quiet) console.log('');
    done.push(written.dir);
  }
  if (done.length > 1) console.log(`Done: ${done.length} experiments; results in ${done.map((d) => relative(process.cwd(), d) || '.').join(', ')}`);
  if (done.length > 1 && opts.report) console.log(`Reports: ${done.map((d) => relative(process.cwd(), join(d, 'report.html'))).join(', ')}`);
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toFixed(4);
}
