// Section 12 of `npm run bench`: start-up (issue 18, "Fast start-up"). The old path
// is the TypeScript sources through tsx (MIGOV_NO_BUNDLE=1, and a worker loading
// worker.ts with --import tsx); the new one the bundle of scripts/bundle.js, built
// first if it is not fresh. Both are timed in this one run, in turns, as whole
// processes (medians of wall-clock seconds):
//   - `migov --help` against `node -e 0` (target: at most 2x);
//   - a 2-thread pool's first result: a piscina pool made and one short run sent
//     (target: under 0.3 s);
//   - `migov sweep experiments/betts-phase.yaml --no-report` with the default
//     workers against `--workers 1` (target: not slower, ratio at most 1), and the
//     old path's default workers.
// bench/index.ts imports this file last; it also runs alone: `npx tsx bench/startup.ts`
// (`--quick` leaves out the sweeps). With --json its line goes to stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { CACHE, bundledMain } from '../scripts/bundle.js';
import { resolveSpec } from '../src/experiment/load.ts';
import { planSweep } from '../src/sweep/plan.ts';
import { median, now, pad, passFail } from './util.ts';

const jsonOnly = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (line = ''): void => {
  if (jsonOnly) console.error(line);
  else console.log(line);
};
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/migov.js');
const TARGET_HELP = 2;
const TARGET_POOL_S = 0.3;
const TARGET_SWEEP = 1;
const OLD = { MIGOV_NO_BUNDLE: '1' };

/** Wall-clock seconds of one process. */
function wall(args: readonly string[], env: Record<string, string> = {}): number {
  const t = now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return now() - t;
}

/** Each case's medians over `repeats` turns (the cases take turns, so drift in the machine's speed hits them alike). */
function inTurns(cases: readonly (() => number)[], repeats: number): number[] {
  const times: number[][] = cases.map(() => []);
  for (let i = 0; i < repeats; i++) cases.forEach((c, k) => times[k].push(c()));
  return times.map(median);
}

/** Seconds from making a 2-thread pool to its first result (one short run). */
async function firstResult(options: { filename: string; execArgv: string[] }, task: unknown): Promise<number> {
  const t = now();
  const pool = new Piscina({ ...options, minThreads: 2, maxThreads: 2 });
  await pool.run([task]);
  const s = now() - t;
  await pool.destroy();
  return s;
}

const bundle = await bundledMain();
log('');
log('12. Start-up: the bundled CLI (scripts/bundle.js) against the sources through tsx (old)');
if (!bundle) {
  log('    no bundle could be built here (see scripts/bundle.js); section skipped');
} else {
  const worker = pathToFileURL(join(CACHE, (JSON.parse(readFileSync(join(CACHE, 'current.json'), 'utf8')) as { dir: string }).dir, 'worker.cjs')).href;
  const rows: { case: string; target: string; value: number; old: number; ratioToOld: number; pass: boolean }[] = [];
  wall([BIN, '--help']); // warm the file cache
  const [node0, helpNew, helpOld] = inTurns([() => wall(['-e', '0']), () => wall([BIN, '--help']), () => wall([BIN, '--help'], OLD)], 9);
  rows.push({ case: 'migov --help / node -e 0', target: `<= ${TARGET_HELP}`, value: helpNew / node0, old: helpOld / node0, ratioToOld: helpNew / helpOld, pass: helpNew / node0 <= TARGET_HELP });
  log(`    node -e 0 ${node0.toFixed(3)} s, migov --help ${helpNew.toFixed(3)} s (old ${helpOld.toFixed(3)} s)`);

  const spec = resolveSpec({ name: 'one', model: 'linear-pgg', params: { Z: 50 }, rounds: 5, replications: 1, sweep: { design: 'grid', factors: [{ path: 'params.r', values: [3] }] } });
  const task = planSweep(spec, '<bench>').tasks[0];
  const bundledPool = { filename: worker, execArgv: [] };
  const tsxPool = { filename: pathToFileURL(join(ROOT, 'src/sweep/worker.ts')).href, execArgv: ['--import', import.meta.resolve('tsx')] };
  const poolNew: number[] = [];
  const poolOld: number[] = [];
  for (let i = 0; i < 5; i++) {
    poolNew.push(await firstResult(bundledPool, task));
    poolOld.push(await firstResult(tsxPool, task));
  }
  const [pn, po] = [median(poolNew), median(poolOld)];
  rows.push({ case: "2-thread pool's first result, s", target: `< ${TARGET_POOL_S}`, value: pn, old: po, ratioToOld: pn / po, pass: pn < TARGET_POOL_S });

  if (!quick) {
    const out = mkdtempSync(join(tmpdir(), 'migov-bench-startup-'));
    let k = 0;
    const sweep = (extra: string[], env: Record<string, string> = {}) => () => {
      const s = wall([BIN, 'sweep', 'experiments/betts-phase.yaml', '--no-report', '-q', '--out', join(out, String(k++)), ...extra], env);
      return s;
    };
    try {
      const [many, one, manyOld] = inTurns([sweep([]), sweep(['--workers', '1']), sweep([], OLD)], 2);
      rows.push({ case: 'betts-phase sweep, default workers / --workers 1', target: `<= ${TARGET_SWEEP}`, value: many / one, old: manyOld / one, ratioToOld: many / manyOld, pass: many / one <= TARGET_SWEEP });
      log(`    betts-phase sweep: default workers ${many.toFixed(2)} s, --workers 1 ${one.toFixed(2)} s, old default workers ${manyOld.toFixed(2)} s`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  log(`    ${pad('case', 50, true)} ${pad('target', 8, true)} ${pad('value', 8)} ${pad('old', 8)} ${pad('new/old', 8)}`);
  for (const r of rows) log(`    ${pad(r.case, 50, true)} ${pad(r.target, 8, true)} ${pad(r.value.toFixed(3), 8)} ${pad(r.old.toFixed(3), 8)} ${pad(r.ratioToOld.toFixed(2), 8)}  ${passFail(r.pass)}`);
  if (jsonOnly) console.error(JSON.stringify({ startup: { rows } }));
}
