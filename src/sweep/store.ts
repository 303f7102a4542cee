// The result folder: manifest.json, series.csv and final.csv, written into a
// temporary folder beside the target and renamed into place, so that a crash or an
// error never leaves a half-written folder or destroys an earlier one.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from './csv.ts';
import { sha256Hex } from '../engine/rng.ts';
import type { ExperimentResult } from './experiment.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export class OutputError extends Error {
  constructor(
    readonly dir: string,
    why: string,
  ) {
    super(`${dir}: cannot write results there: ${why}; allowed: a folder path whose parent exists or can be created and is writable`);
    this.name = 'OutputError';
  }
}

/** Checks before any run that the output folder can be created and written; throws OutputError. */
export function checkWritable(dir: string): void {
  const parent = dirname(resolve(dir));
  try {
    mkdirSync(parent, { recursive: true });
    accessSync(parent, constants.W_OK);
    if (existsSync(dir)) accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new OutputError(dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

let versionsCache: Record<string, string> | undefined;

/** Versions of migov, Node and every runtime dependency, as installed (read once per process). */
export function versions(): Record<string, string> {
  versionsCache ??= readVersions();
  return versionsCache;
}

function readVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const out: Record<string, string> = { migov: pkg.version, node: process.version };
  const req = createRequire(join(root, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
    try {
      const file = join(dirname(req.resolve(dep)).split(`node_modules/${dep}`)[0], 'node_modules', dep, 'package.json');
      out[dep] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      out[dep] = 'unknown';
    }
  }
  return out;
}

let gitCache: { commit: string; dirty: boolean } | null | undefined;

/** The git commit of the migov checkout, and whether it had uncommitted changes; null outside git (read once per process). */
export function gitState(): { commit: string; dirty: boolean } | null {
  if (gitCache === undefined) gitCache = readGitState();
  return gitCache;
}

function readGitState(): { commit: string; dirty: boolean } | null {
  try {
    const opts = { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], encoding: 'utf8' as const };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** series.csv: one row per replication x record x metric (tidy, long). */
export function seriesCsv(result: ExperimentResult): string {
  const rows: (string | number)[][] = [];
  for (const rep of result.replications) {
    const { metrics, rounds, values } = rep.result;
    for (let i = 0; i < rounds.length; i++) {
      for (let m = 0; m < metrics.length; m++) rows.push([rep.replication, rep.seed, rounds[i], metrics[m], values[i][m]]);
    }
  }
  return stringify(rows, { ...CSV_OPTIONS, header: true, columns: ['replication', 'seed', 'round', 'metric', 'value'] });
}

/** final.csv: one row per replication with its last record of every metric. */
export function finalCsv(result: ExperimentResult): string {
  const metrics = result.replications[0]?.result.metrics ?? [];
  const rows = result.replications.map((rep) => {
    const last = rep.result.values[rep.result.values.length - 1];
    return [rep.replication, rep.seed, rep.result.roundsRun, rep.result.stoppedBy, ...last];
  });
  return stringify(rows, { ...CSV_OPTIONS, header: true, columns: ['replication', 'seed', 'rounds_run', 'stopped_by', ...metrics] });
}

/** The comment block at the top of a spec file: the question the experiment asks, as its author wrote it. */
export function specHeader(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) lines.push(line.replace(/^\s*# ?/, ''));
    else if (line.trim() === '' && lines.length === 0) continue;
    else break;
  }
  return lines.join('\n').trim();
}

export interface WrittenResults {
  readonly dir: string;
  readonly files: Record<string, string>;
}

/** Writes a finished experiment's folder atomically. */
export function writeResults(dir: string, result: ExperimentResult, specFile: string | null): WrittenResults {
  const target = resolve(dir);
  checkWritable(target);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const data: Record<string, string> = { 'series.csv': seriesCsv(result), 'final.csv': finalCsv(result) };
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries(data)) {
      writeFileSync(join(tmp, name), text);
      files[name] = sha256Hex(text);
    }
    const git = gitState();
    const manifest = {
      migov: versions().migov,
      specFile,
      question: specFile ? specHeader(readFileSync(specFile, 'utf8')) : (result.spec.description ?? ''),
      spec: result.spec,
      specHash: result.specHash,
      seed: result.spec.seed,
      seedDerivation: 'runSeed(seed, {model, params, protocol}, replication) = first 32 hex of sha256(canonicalJson({master, params, replication}))',
      replications: result.replications.map((r) => ({
        replication: r.replication,
        seed: r.seed,
        roundsRun: r.result.roundsRun,
        stoppedBy: r.result.stoppedBy,
        ms: Math.round(r.ms),
      })),
      versions: versions(),
      git,
      platform: `${process.platform}-${process.arch}`,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      files,
    };
    writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const old = `${tmp}.old`;
    const hadOld = existsSync(target);
    if (hadOld) renameSync(target, old);
    try {
      renameSync(tmp, target);
    } catch (e) {
      if (hadOld) renameSync(old, target);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
    return { dir: target, files };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
