// The result folder of `migov run`: manifest.json, series.csv and final.csv (and the
// report, made by the caller), written into a temporary folder beside the target and
// swapped into place (src/sweep/folder.ts), so that a crash, a kill or an error
// never leaves a half-written folder or destroys an earlier one.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from './csv.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha256Hex } from '../engine/rng.ts';
import type { Spec } from '../experiment/schema.ts';
import { type ExperimentResult, type ReplicationResult, specHash, specOutcomes } from './experiment.ts';
import { type Outcomes, undeclaredMetric } from '../engine/model.ts';
import { METRIC_COLUMNS, metricCells } from './outcomes-table.ts';
import { type Claim, claimOutput, makeTemp, removeTemp, replaceFolder } from './folder.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export { OutputError } from './folder.ts';

let versionsCache: Record<string, string> | undefined;

/** Versions of migov, Node and every runtime dependency, as installed (read once per process). */
export function versions(): Record<string, string> {
  versionsCache ??= readVersions();
  return versionsCache;
}

function readVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const out: Record<string, string> = { migov: pkg.version, node: process.version };
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) out[dep] = installedVersion(dep) ?? 'unknown';
  return out;
}

/**
 * The version in node_modules/<dep>/package.json, looked for from migov's folder up,
 * as Node finds packages. Read directly: a package with no entry point Node can
 * resolve (a font package, one whose `exports` hide package.json) has one too.
 */
export function installedVersion(dep: string, from: string = root): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const v = (JSON.parse(readFileSync(join(dir, 'node_modules', dep, 'package.json'), 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    } catch {
      // not installed here: look in the folder above
    }
    if (dirname(dir) === dir) return undefined;
  }
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

/**
 * series.csv (one row per replication x record x metric, tidy and long) and
 * outcomes.csv (the same rows with each metric's dimensions, kind and unit, from the
 * model's declarations: src/sweep/outcomes-table.ts) being written replication by replication into the result's temporary folder, in chunks, so that
 * neither the rows nor the text of the whole table are ever in memory. `migov run`
 * adds each replication as it finishes and keeps only its last record (see
 * runExperiment's keepSeries), so memory stays flat in replications and rounds
 * recorded. The bytes are those of one stringify over all rows.
 */
export interface SeriesStream {
  /** The temporary folder the result is built in (made by makeTemp; stageResults finishes it). */
  readonly tmp: string;
  add(rep: ReplicationResult): void;
  /** Closes series.csv and outcomes.csv and gives their sha256 by file name. */
  close(): Record<string, string>;
  /** Closes the file and removes the temporary folder (after an error). */
  abort(): void;
}

const SERIES_COLUMNS = ['replication', 'seed', 'round', 'metric', 'value'];
const OUTCOMES_COLUMNS = ['replication', 'seed', 'round', ...METRIC_COLUMNS, 'value'];

/** Starts the result of `spec` beside `target`: its temporary folder with series.csv and outcomes.csv open in it. */
export function openSeriesStream(target: string, spec: Spec): SeriesStream {
  const tmp = makeTemp(resolve(target), 'run', specHash(spec));
  return seriesInto(tmp, specOutcomes(spec));
}

/** A CSV file written in chunks, hashed as it goes. */
function csvFile(path: string, columns: readonly string[]) {
  let fd: number | null = openSync(path, 'wx');
  const hash = sha256.create();
  const put = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    writeSync(fd!, bytes);
    hash.update(bytes);
  };
  put(stringify([], { ...CSV_OPTIONS, header: true, columns: [...columns] }));
  return {
    rows(rows: (string | number)[][]) {
      if (rows.length) put(stringify(rows, CSV_OPTIONS));
    },
    close(): string {
      if (fd !== null) closeSync(fd);
      fd = null;
      return Array.from(hash.digest(), (b) => b.toString(16).padStart(2, '0')).join('');
    },
    abort() {
      try {
        if (fd !== null) closeSync(fd);
      } catch {
        // closing is best effort; the folder goes anyway
      }
      fd = null;
    },
  };
}

function seriesInto(tmp: string, outcomes: Outcomes): SeriesStream {
  const series = csvFile(join(tmp, 'series.csv'), SERIES_COLUMNS);
  const long = csvFile(join(tmp, 'outcomes.csv'), OUTCOMES_COLUMNS);
  const cellsOf = new Map(outcomes.metrics.map((m) => [m.name, metricCells(m)]));
  return {
    tmp,
    add(rep) {
      const { metrics, rounds, values } = rep.result;
      const cells = metrics.map((name) => cellsOf.get(name) ?? metricCells(undeclaredMetric(name)));
      let chunk: (string | number)[][] = [];
      let longChunk: (string | number)[][] = [];
      for (let i = 0; i < rounds.length; i++) {
        for (let m = 0; m < metrics.length; m++) {
          chunk.push([rep.replication, rep.seed, rounds[i], metrics[m], values[i][m]]);
          longChunk.push([rep.replication, rep.seed, rounds[i], ...cells[m], values[i][m]]);
        }
        if (chunk.length >= 4096) {
          series.rows(chunk);
          long.rows(longChunk);
          chunk = [];
          longChunk = [];
        }
      }
      series.rows(chunk);
      long.rows(longChunk);
    },
    close() {
      return { 'series.csv': series.close(), 'outcomes.csv': long.close() };
    },
    abort() {
      series.abort();
      long.abort();
      removeTemp(tmp);
    },
  };
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

/**
 * The comment block at the top of a spec file: the question the experiment asks, as
 * its author wrote it. For a result folder's manifest.json (a rerun), the question it
 * recorded.
 */
export function specHeader(text: string): string {
  if (text.trimStart().startsWith('{')) {
    try {
      const m = JSON.parse(text) as { question?: unknown; specHash?: unknown };
      if (typeof m.question === 'string' && typeof m.specHash === 'string') return m.question;
    } catch {
      // not JSON: a spec, read for its comments below
    }
  }
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

export interface WriteResultsOptions {
  /** The claim of the folder (claimOutput), when the caller made it before running; else writeResults claims it (and releases it). */
  readonly claim?: Claim;
  /** Move a folder that is not migov's aside (to `<dir>.old-N`, never deleted) instead of refusing. */
  readonly force?: boolean;
  /** Called on the complete temporary folder before the swap (e.g. to make the report there). */
  readonly finish?: (tmp: string) => void;
}

/**
 * Writes a finished experiment's folder: claims it (see claimOutput: a folder that is
 * not migov's is refused), builds it beside the target, then swaps it into place.
 */
export function writeResults(dir: string, result: ExperimentResult, specFile: string | null, options: WriteResultsOptions = {}): WrittenResults {
  const claim = options.claim ?? claimOutput(dir, { kind: 'run', force: options.force, specFiles: specFile ? [specFile] : [] });
  try {
    const { tmp, files } = stageResults(claim.dir, result, specFile);
    try {
      options.finish?.(tmp);
      replaceFolder(tmp, claim.dir);
    } catch (e) {
      removeTemp(tmp);
      throw e;
    }
    return { dir: claim.dir, files };
  } finally {
    if (!options.claim) claim.lock.release();
  }
}

/**
 * Writes the result files into a new temporary folder beside `target`, marked as
 * migov's own; returns it and the files' sha256. The caller makes the report in it
 * (if any) and swaps it into place with replaceFolder, or removes it with removeTemp.
 */
export function stageResults(target: string, result: ExperimentResult, specFile: string | null, series?: SeriesStream): { tmp: string; files: Record<string, string> } {
  const tmp = series?.tmp ?? makeTemp(resolve(target), 'run', result.specHash);
  try {
    const files: Record<string, string> = {};
    const outcomes = specOutcomes(result.spec, result.replications[0]?.result.metrics);
    // series.csv and outcomes.csv: streamed as the replications finished, or now from the result
    if (series) Object.assign(files, series.close());
    else {
      const stream = seriesInto(tmp, outcomes);
      for (const rep of result.replications) stream.add(rep);
      Object.assign(files, stream.close());
    }
    const final = finalCsv(result);
    writeFileSync(join(tmp, 'final.csv'), final, { flag: 'wx' });
    files['final.csv'] = sha256Hex(final);
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
      outcomes,
    };
    writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    return { tmp, files };
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
}
