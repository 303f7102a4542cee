// Attack: SIGKILL at random moments (issue 12). `migov run` (with its report), `migov
// sweep` and `migov report` are started as child processes and killed after a delay
// drawn, from a fixed seed, across the length of an uninterrupted run of the same
// command. After each kill the folder must hold the earlier complete folder byte for
// byte, or the new complete one, or (for a sweep) a state the same command resumes;
// the same command run again must then give the bytes of an uninterrupted run. Only
// hidden temporary leftovers (names starting with a dot) may remain after a kill, and
// the rerun removes those that are migov's.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, lstatSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, SMALL_SPEC, migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { GRID_SPEC, STABLE_FILES } from '../cli/sweep-helpers.ts';

/** Every file under `dir` (hidden temporary leftovers of a killed command left out): path -> sha256. */
function files(dir: string, { leftovers = false } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = join(e.parentPath, e.name).slice(dir.length + 1);
    if (!leftovers && /(^|\/)\.[^/]+\.tmp(-\d+)?$/.test(rel)) continue;
    out[rel] = createHash('sha256').update(readFileSync(join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

/** The files whose bytes an uninterrupted run of the same command gives (the manifest, report.html and a sweep's session log record times). */
function stable(all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([f]) => !['manifest.json', 'report.html', 'sweep.json'].includes(f)));
}

/** A folder is complete when its manifest lists every file it holds but itself and the marker, each with its sha256. */
function complete(dir: string): boolean {
  if (!existsSync(join(dir, 'manifest.json'))) return false;
  const listed = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, string> }).files;
  const held = files(dir);
  return Object.entries(listed).every(([f, sum]) => held[f] === sum);
}

/** mulberry32: the kill moments, from a fixed seed. */
function moments(seed: number, n: number, span: number): number[] {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // one moment in each of n equal slices of the run (its last tenth left out: timings vary), so that every phase gets one
  return Array.from({ length: n }, (_, i) => Math.round(((i + next()) / n) * span * 0.9));
}

/** Starts `migov args` and kills it with SIGKILL after `ms`; resolves whether the kill came before it finished. */
function killAfter(args: readonly string[], cwd: string, ms: number): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    let finished = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      finished = signal === null;
      clearTimeout(timer);
      done(!finished);
    });
  });
}

function timed(args: readonly string[], cwd: string): number {
  const t0 = performance.now();
  const r = migov(args, cwd);
  expect(r.code, r.stderr).toBe(0);
  return performance.now() - t0;
}

const KILLS = 4;

/** With MIGOV_ATTACK_LOG=<file>, one line per command appended to it: moments tried, kills that landed, and what each left. */
function log(what: string, outcomes: string[]): void {
  if (process.env.MIGOV_ATTACK_LOG) appendFileSync(process.env.MIGOV_ATTACK_LOG, `${what}: ${outcomes.length} moments, ${outcomes.filter((o) => o !== 'finished first').length} killed: ${outcomes.join('; ')}\n`);
}

describe('SIGKILL at random moments', () => {
  it('`migov run` with its report leaves the earlier complete folder or the new one; the rerun has the bytes of an uninterrupted run', async () => {
    const dir = tempDir('migov-kill-');
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    const args = ['run', 'small.yaml', '--out', 'r', '--quiet'];
    const span = timed(['run', 'small.yaml', '--out', 'ref', '--quiet'], dir);
    const ref = files(join(dir, 'ref'));
    expect(Object.keys(ref)).toContain('charts/strategy-shares.png');
    // the earlier complete folder: another seed, so that old and new differ
    const again = timed(['run', 'small.yaml', '--out', 'old', '--quiet', '--seed', '5'], dir);
    const old = files(join(dir, 'old'));
    let killed = 0;
    const outcomes: string[] = [];
    for (const ms of moments(12, KILLS, Math.min(span, again))) {
      rmSync(join(dir, 'r'), { recursive: true, force: true });
      cpSync(join(dir, 'old'), join(dir, 'r'), { recursive: true });
      const hit = await killAfter(args, dir, ms);
      killed += hit ? 1 : 0;
      const now = files(join(dir, 'r'));
      // the earlier folder, byte for byte, or the new complete one: never a mixture, never nothing
      const isOld = JSON.stringify(now) === JSON.stringify(old);
      const isNew = complete(join(dir, 'r')) && JSON.stringify(stable(now)) === JSON.stringify(stable(ref));
      outcomes.push(hit ? `${ms} ms: ${isOld ? 'earlier folder' : isNew ? 'new folder' : 'BROKEN'}` : 'finished first');
      expect(isOld || isNew, `after a kill at ${ms} ms: ${Object.keys(now).join(', ')}`).toBe(true);
      expect(migov(args, dir).code).toBe(0);
      expect(stable(files(join(dir, 'r')))).toEqual(stable(ref));
      expect(complete(join(dir, 'r'))).toBe(true);
      // the rerun removed the killed command's hidden folders and lock
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    }
    log('run', outcomes);
    expect(killed).toBeGreaterThan(0);
  });

  it('`migov sweep` leaves a folder the same command resumes to the bytes of an uninterrupted sweep', async () => {
    const dir = tempDir('migov-kill-');
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    const args = ['sweep', 'grid.yaml', '--out', 'sw', '--workers', '1', '--quiet'];
    const span = timed(['sweep', 'grid.yaml', '--out', 'ref', '--workers', '1', '--quiet'], dir);
    const ref = files(join(dir, 'ref'));
    for (const f of STABLE_FILES.filter((f) => f !== 'sensitivity.csv')) expect(Object.keys(ref)).toContain(f);
    let killed = 0;
    const outcomes: string[] = [];
    for (const [i, ms] of moments(34, KILLS, span).entries()) {
      const out = `sw${i}`;
      const a = args.map((x) => (x === 'sw' ? out : x));
      const hit = await killAfter(a, dir, ms);
      killed += hit ? 1 : 0;
      const left = files(join(dir, out));
      outcomes.push(hit ? `${ms} ms: ${left['journal.jsonl'] ? 'journal' : 'no journal'}, ${left['runs.csv'] ? 'tables' : 'no tables'}, ${left['report.html'] ? 'report' : 'no report'}` : 'finished first');
      const r = migov(a, dir);
      expect(r.code, r.stderr).toBe(0);
      const now = files(join(dir, out));
      expect(stable(now)).toEqual(stable(ref));
      expect(complete(join(dir, out))).toBe(true);
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    }
    log('sweep', outcomes);
    expect(killed).toBeGreaterThan(0);
  });

  it('`migov report` leaves the folder as it was (its files have the same bytes); the rerun gives the same folder', async () => {
    const dir = tempDir('migov-kill-');
    writeSpec(dir, 'small.yaml', SMALL_SPEC);
    expect(migov(['run', 'small.yaml', '--out', 'r', '--quiet'], dir).code).toBe(0);
    const before = files(join(dir, 'r'));
    const span = timed(['report', 'r', '--quiet'], dir);
    expect(files(join(dir, 'r'))).toEqual(before);
    let killed = 0;
    const outcomes: string[] = [];
    for (const ms of moments(56, KILLS, span)) {
      const hit = await killAfter(['report', 'r', '--quiet'], dir, ms);
      killed += hit ? 1 : 0;
      const left = Object.keys(files(join(dir, 'r'), { leftovers: true })).filter((f) => !(f in before));
      outcomes.push(hit ? `${ms} ms: ${left.length ? `leftovers ${left.join(', ')}` : 'no leftovers'}` : 'finished first');
      // every file as it was: the report's files are made again with the same bytes, the manifest last
      expect(files(join(dir, 'r'))).toEqual(before);
      expect(migov(['report', 'r', '--quiet'], dir).code).toBe(0);
      expect(files(join(dir, 'r'), { leftovers: true })).toEqual(before);
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(lstatSync(join(dir, 'r', 'charts')).isDirectory()).toBe(true);
    }
    log('report', outcomes);
    expect(killed).toBeGreaterThan(0);
  });
});
