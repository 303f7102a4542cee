// 1b. The engine core against the bare decision (run by bench/index.ts after section
// 1, in a child process of its own so that the other cases' JIT state does not touch
// it; or alone: `npx tsx bench/engine.ts`).
//
// The same decision four ways, at Z = 1,000 and 100,000: the linear PGG (N = 5,
// r = 3, c = 1) with expected payoffs, Fermi imitation (selection intensity 1),
// mutation 0.01, asynchronous updating, revision rate 1:
//  - engine: createSimulation, as every run uses it;
//  - old engine: the step loop as it was before makeFermiRound (bench/engine-old.ts);
//  - hand-written JS: the decision written out in one loop (bench/engine-floor.ts),
//    the floor for JavaScript with this generator;
//  - C: bench/c/pgg.c, compiled here with the system C compiler (cc, gcc or clang,
//    -O2) into a temporary folder, skipped with a message where there is none.
// All four draw from alea seeded the same way (C has a port of seedrandom's alea
// and Mash) and start from the same placement, so after the same rounds they must
// hold the same number of cooperators; the bench checks this before it times them.
// C's exp is the C library's, JavaScript's V8's; a last-bit difference between the
// two could only change an adoption drawn exactly at its threshold.
// Each warms up for the same rounds, then they take turns: REPEATS slices of about
// SLICE_S seconds of CPU time each (CPU time, not wall time, so that other work on a
// shared machine does not count; C measures its own the same way); the median
// slice is reported. Target: the engine within 1.25x
// the hand-written loop's ns/decision at every size (what is left is the model's
// payoff reading its parameters and the engine's checks for inertia and onSwitch).
//
// `--instructions` (needs valgrind; minutes): instructions per decision of each,
// counted by callgrind on a bundle of this file made by esbuild and run with V8
// single-threaded, as the difference between runs of 1,000 and 11,000 rounds at
// Z = 1,000. Timings swing with the load of a shared machine; instruction counts
// do not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import linearPgg from '../models/linear-pgg.ts';
import { createSimulation } from '../src/engine/simulate.ts';
import { CORE, type CoreLoop, handWrittenLoop } from './engine-floor.ts';
import { oldEngineLoop } from './engine-old.ts';
import { cpuNow, median, pad, passFail } from './util.ts';

const SIZES = [1_000, 100_000];
const WARM_DECISIONS = 3e6;
const REPEATS = 5;
const SLICE_S = 0.2;
const TARGET_FLOOR_RATIO = 1.25;
const jsonOnly = process.argv.includes('--json');
const log = (line = ''): void => {
  if (!jsonOnly) console.log(line);
};

const seedOf = (Z: number): string => `bench-${Z}`;

function engineLoop(Z: number, seed: string): CoreLoop {
  const { N, r, c, selectionIntensity, mutation } = CORE;
  const sim = createSimulation(linearPgg, linearPgg.params.parse({ Z, N, r, c }), { rule: 'fermi', selectionIntensity, mutation, revisionRate: 1, updating: 'async' }, seed);
  return { step: () => sim.step(), cooperators: () => sim.state.pop.counts[0] };
}

const makers: Record<string, (Z: number, seed: string) => CoreLoop> = { engine: engineLoop, 'old engine': oldEngineLoop, 'hand-written JS': handWrittenLoop };

/** Compiles bench/c/pgg.c; the binary's path, or why there is none. */
function compileC(): { binary: string; dir: string } | { skipped: string } {
  const source = fileURLToPath(new URL('./c/pgg.c', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'migov-bench-c-'));
  const binary = join(dir, 'pgg');
  for (const cc of ['cc', 'gcc', 'clang']) {
    const r = spawnSync(cc, ['-O2', '-std=gnu11', '-ffp-contract=off', '-o', binary, source, '-lm'], { encoding: 'utf8' });
    if (r.error) continue; // not installed
    if (r.status !== 0) return { skipped: `${cc} failed on bench/c/pgg.c: ${r.stderr.trim().split('\n')[0]}` };
    return { binary, dir };
  }
  rmSync(dir, { recursive: true, force: true });
  return { skipped: 'no C compiler (cc, gcc or clang) on this machine' };
}

/** Runs the C loop: ns per decision over `rounds` rounds after `warm` untimed ones, and the cooperators at the end. */
function runC(binary: string, Z: number, rounds: number, warm: number): { ns: number; cooperators: number } {
  const r = spawnSync(binary, [String(Z), String(rounds), seedOf(Z), String(warm)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/c/pgg.c failed: ${r.stderr}`);
  const [ns, coop] = r.stdout.trim().split(' ').map(Number);
  return { ns, cooperators: coop };
}

// ---- instruction counts (optional) ------------------------------------------------
// `--count <impl> <Z> <rounds>` runs one loop for the counting runs below.
const countAt = process.argv.indexOf('--count');
if (countAt >= 0) {
  const [name, Z, rounds] = [process.argv[countAt + 1], Number(process.argv[countAt + 2]), Number(process.argv[countAt + 3])];
  const loop = makers[name](Z, seedOf(Z));
  for (let i = 0; i < rounds; i++) loop.step();
  console.log(loop.cooperators());
  process.exit(0);
}

async function instructions(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).error) {
    console.log('  --instructions: valgrind is not installed; skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'migov-bench-ir-'));
  const bundle = join(dir, 'engine.mjs');
  const { buildSync } = await import('esbuild');
  buildSync({ entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
  const count = (argv: string[]): number => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', ...argv], { encoding: 'utf8' });
    const m = /Collected : (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`callgrind: ${r.stderr.slice(-500)}`);
    return Number(m[1]);
  };
  const Z = 1000;
  const per = (argv: (rounds: number) => string[]): number => (count(argv(11_000)) - count(argv(1_000))) / (10_000 * Z);
  const c = compileC();
  console.log(`  instructions per decision at Z = ${Z} (callgrind, 11,000 rounds minus 1,000):`);
  for (const name of Object.keys(makers)) {
    console.log(`  ${pad(name, 18, true)}${pad(per((rounds) => [process.execPath, '--single-threaded', bundle, '--count', name, String(Z), String(rounds)]).toFixed(0), 6)}`);
  }
  if ('binary' in c) {
    const binary = c.binary;
    console.log(`  ${pad('C', 18, true)}${pad(per((rounds) => [binary, String(Z), String(rounds), seedOf(Z)]).toFixed(0), 6)}`);
    rmSync(c.dir, { recursive: true, force: true });
  } else console.log(`  C: skipped (${c.skipped})`);
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--instructions')) {
  await instructions();
  process.exit(0);
}

// ---- timing ---------------------------------------------------------------------
const c = compileC();
log('1b. the engine core against the same decision hand-written in JS and in C (linear PGG, Fermi, expected payoffs)');
log(`    each warmed up for ${WARM_DECISIONS / 1e6}M decisions, then ${REPEATS} slices of ${SLICE_S} s of CPU time taking turns; median slice`);
if ('skipped' in c) log(`    C reference skipped: ${c.skipped}`);
log(`${pad('Z', 9)}${pad('engine', 9)}${pad('old', 9)}${pad('JS', 9)}${pad('C', 9)}   ns/decision;${pad('old/engine', 12)}${pad('engine/JS', 11)}${pad('old/JS', 9)}${pad('C/engine', 10)}${pad('C/JS', 7)}   same cooperators`);

interface CoreRow {
  Z: number;
  ns: Record<string, number>;
  cooperators: Record<string, number>;
  sameTrajectory: boolean;
}
const coreRows: CoreRow[] = [];
for (const Z of SIZES) {
  const warm = Math.max(1, Math.round(WARM_DECISIONS / Z));
  const loops = Object.entries(makers).map(([name, make]) => ({ name, loop: make(Z, seedOf(Z)) }));
  const cooperators: Record<string, number> = {};
  for (const { name, loop } of loops) {
    for (let i = 0; i < warm; i++) loop.step();
    cooperators[name] = loop.cooperators();
  }
  let cRounds = 0;
  if ('binary' in c) {
    const first = runC(c.binary, Z, 0, warm);
    cooperators.C = first.cooperators;
    const probe = runC(c.binary, Z, Math.max(1, Math.round(1e6 / Z)), 0).ns;
    cRounds = Math.max(1, Math.round((SLICE_S * 1e9) / (probe * Z)));
  }
  const slices: Record<string, number[]> = Object.fromEntries([...loops.map((l) => l.name), 'C'].map((n) => [n, [] as number[]]));
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const { name, loop } of loops) {
      let n = 0;
      const t0 = cpuNow();
      let t = t0;
      while (t - t0 < SLICE_S) {
        loop.step();
        n++;
        t = cpuNow();
      }
      slices[name].push(((t - t0) * 1e9) / (n * Z));
    }
    if ('binary' in c) slices.C.push(runC(c.binary, Z, cRounds, warm).ns);
  }
  const ns = Object.fromEntries(Object.entries(slices).filter(([, s]) => s.length > 0).map(([n, s]) => [n, median(s)]));
  const sameTrajectory = new Set(Object.values(cooperators)).size === 1;
  coreRows.push({ Z, ns, cooperators, sameTrajectory });
  const cell = (x: number | undefined, d = 1): string => (x === undefined ? '-' : x.toFixed(d));
  const e = ns.engine;
  const js = ns['hand-written JS'];
  log(
    `${pad(Z.toLocaleString('en'), 9)}${pad(cell(e), 9)}${pad(cell(ns['old engine']), 9)}${pad(cell(js), 9)}${pad(cell(ns.C), 9)}${pad('', 15)}` +
      `${pad(cell(ns['old engine'] / e, 2) + 'x', 10)}${pad(cell(e / js, 2) + 'x', 11)}${pad(cell(ns['old engine'] / js, 2) + 'x', 9)}${pad(ns.C === undefined ? '-' : cell(ns.C / e, 2) + 'x', 10)}${pad(ns.C === undefined ? '-' : cell(ns.C / js, 2) + 'x', 7)}   ` +
      `${sameTrajectory ? 'yes' : 'NO'} (${Object.entries(cooperators).map(([n, k]) => `${n} ${k}`).join(', ')} after ${warm} rounds)`,
  );
}
if ('dir' in c) rmSync(c.dir, { recursive: true, force: true });
const worst = Math.max(...coreRows.map((r) => r.ns.engine / r.ns['hand-written JS']));
const worstOld = Math.max(...coreRows.map((r) => r.ns['old engine'] / r.ns['hand-written JS']));
const floorPass = worst <= TARGET_FLOOR_RATIO;
const samePass = coreRows.every((r) => r.sameTrajectory);
log(`  engine / hand-written JS, worst size: ${worst.toFixed(2)}x  (target <= ${TARGET_FLOOR_RATIO}x; old engine ${worstOld.toFixed(2)}x): ${passFail(floorPass)}`);
log(`  C/engine is the engine's speed as a share of C's (the issue's "0.26x the C reference")`);
log(`  the same trajectory in all (cooperators equal after the warm-up): ${passFail(samePass)}`);
if (jsonOnly) {
  console.log(JSON.stringify({ engineCore: { rows: coreRows, checks: { engineOverHandWritten: { value: worst, old: worstOld, target: TARGET_FLOOR_RATIO, pass: floorPass }, sameTrajectory: { pass: samePass } } } }));
}
