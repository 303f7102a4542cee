// The one place where the rules for result folders live. A command writes only into
// a folder it made and marked as its own (the `.migov` marker), or into a new or
// empty folder, which then becomes its own. Everything else is refused before
// anything runs or is written (OutputError, exit 2): an existing folder of someone
// else's files, a file, a symlink, the working folder or a folder above it, a folder
// holding a spec file given, an empty path. `--force` moves a refused folder aside to
// `<dir>.old-N`; nothing here ever deletes a folder that is not migov's own.
//
// A process writing a folder holds a lock beside it (`.<name>.migov.lock`, created
// with O_EXCL, holding pid and host), so that a second process on the same folder is
// refused; a lock left by a process that died on this host is taken over.
//
// `migov run` and `migov merge` build a new folder beside the old one (a hidden
// temporary name in the same parent) and swap at the end (replaceFolder), so a kill
// leaves the earlier complete folder or the new complete one.
import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, rmdirSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export const MARKER_FILE = '.migov';

export type FolderKind = 'run' | 'sweep' | 'shard' | 'merge' | 'slurm' | 'demo' | 'discover' | 'analysis' | 'calibrate' | 'classroom';
const KINDS: readonly FolderKind[] = ['run', 'sweep', 'shard', 'merge', 'slurm', 'demo', 'discover', 'analysis', 'calibrate', 'classroom'];

/** Kinds of folder a command of a kind may write into (a merge is a sweep's folder and back). */
const COMPATIBLE: Record<FolderKind, readonly FolderKind[]> = {
  run: ['run'],
  sweep: ['sweep', 'merge'],
  shard: ['shard'],
  merge: ['merge', 'sweep'],
  slurm: ['slurm'],
  demo: ['demo'],
  discover: ['discover'],
  analysis: ['analysis'],
  calibrate: ['calibrate'],
  classroom: ['classroom'],
};

const WHAT: Record<FolderKind, string> = {
  run: 'the results of a `migov run`',
  sweep: 'a `migov sweep` folder',
  shard: 'a shard of a `migov sweep --shard`',
  merge: 'a `migov merge` folder',
  slurm: 'a `migov slurm` work folder',
  demo: 'a `migov demo --out` folder',
  discover: 'a `migov discover` folder',
  analysis: 'the results of a `migov analyze --out`',
  calibrate: 'a `migov calibrate` folder',
  classroom: 'a `migov classroom` session',
};

export interface Marker {
  readonly migov: FolderKind;
  readonly specHash?: string;
}

/** A folder migov cannot or must not write into; the message says what to do. Exit code 2. */
export class OutputError extends Error {
  constructor(
    readonly dir: string,
    why: string,
  ) {
    super(`${dir}: cannot write results there: ${why}`);
    this.name = 'OutputError';
  }
}

/** Writes the marker that makes `dir` migov's own (through a temporary file and a rename). */
export function writeMarker(dir: string, kind: FolderKind, specHash?: string): void {
  // no time in it: two folders of the same results have the same bytes
  const marker: Marker = { migov: kind, ...(specHash ? { specHash } : {}) };
  writeFileExclusive(join(dir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Writes a file through a fresh temporary name (O_EXCL: never through a planted link) and a rename. */
export function writeFileExclusive(path: string, content: string | Uint8Array, mode?: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  try {
    writeFileSync(tmp, content, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The folder's marker, or null when it has none or a broken one. */
export function readMarker(dir: string): Marker | null {
  const path = join(dir, MARKER_FILE);
  try {
    if (!lstatSync(path).isFile()) return null;
    const m = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker> | null;
    if (!m || typeof m !== 'object' || !KINDS.includes(m.migov as FolderKind)) return null;
    return m as Marker;
  } catch {
    return null;
  }
}

// Files and folders the migov versions before the marker wrote; a folder holding only
// these, and the file that names its kind, is accepted as migov's own (legacy).
const LEGACY_FILES = new Set([
  'manifest.json', 'series.csv', 'final.csv', 'runs.csv', 'summary.csv', 'sensitivity.csv', 'failures.csv',
  'journal.jsonl', 'sweep.json', 'shard.json', 'report.html', 'charts',
]);
const LEGACY_DEMO = new Set(['index.html', 'demo.js', 'vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']);
const HIDDEN_TEMP = /^\..+\.(tmp|old|merge)(-\d+)?$/;
const MARKER_TEMP = /^\.migov\.tmp-\d+$/;

function readJson(path: string): Record<string, unknown> | null {
  try {
    if (!lstatSync(path).isFile()) return null;
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The kind of a folder written before markers existed, or null. Accepted only when
 * every entry is a file such a version wrote (so no user file can be in it) and the
 * file that says what the folder is parses: manifest.json with its `migov` version,
 * sweep.json with a spec hash, slurm/jobs.json.
 */
export function legacyKind(dir: string): FolderKind | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !HIDDEN_TEMP.test(n) && n !== MARKER_FILE);
  } catch {
    return null;
  }
  if (names.length > 0 && names.every((n) => LEGACY_DEMO.has(n))) return names.includes('index.html') && names.includes('demo.js') ? 'demo' : null;
  if (names.includes('slurm') && readJson(join(dir, 'slurm', 'jobs.json'))) {
    return names.every((n) => n === 'slurm' || n === 'merged' || /^shard-\d+$/.test(n)) ? 'slurm' : null;
  }
  if (!names.every((n) => LEGACY_FILES.has(n))) return null;
  if (names.includes('charts')) {
    try {
      if (!lstatSync(join(dir, 'charts')).isDirectory()) return null;
      if (!readdirSync(join(dir, 'charts')).every((n) => /^[A-Za-z0-9][A-Za-z0-9_-]*\.(vl\.json|svg|png)$/.test(n) || HIDDEN_TEMP.test(n))) return null;
    } catch {
      return null;
    }
  }
  const manifest = readJson(join(dir, 'manifest.json'));
  const sweep = readJson(join(dir, 'sweep.json'));
  if (names.includes('shard.json') || (sweep && sweep.shard)) return sweep && typeof sweep.specHash === 'string' ? 'shard' : null;
  if (sweep && typeof sweep.specHash === 'string') return 'sweep';
  if (manifest && typeof manifest.migov === 'string') return manifest.kind === 'sweep' ? 'sweep' : 'run';
  return null;
}

/** What migov knows a folder to be: its marker's kind, a legacy folder's, or null (not migov's). */
export function folderKind(dir: string): FolderKind | null {
  return readMarker(dir)?.migov ?? legacyKind(dir);
}

function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The absolute path with the parent's symlinks resolved (where it exists), the last component kept. */
function realTarget(abs: string): string {
  let parent = dirname(abs);
  const tail: string[] = [basename(abs)];
  while (!existsSync(parent) && dirname(parent) !== parent) {
    tail.unshift(basename(parent));
    parent = dirname(parent);
  }
  try {
    return join(realpathSync(parent), ...tail);
  } catch {
    return abs;
  }
}

export interface ClaimOptions {
  /** The kind of folder the command makes. */
  readonly kind: FolderKind;
  /** Move an existing folder that may not be written aside (to `<dir>.old-N`) instead of refusing. */
  readonly force?: boolean;
  /** Spec files the command reads: their folders and those above are refused. */
  readonly specFiles?: readonly string[];
  /** Says why an existing folder of a compatible kind may not be written after all (e.g. a sweep of another spec); null when it may. */
  readonly reuse?: (dir: string, kind: FolderKind) => string | null;
  /** The flag to name in messages (default --out). */
  readonly flag?: string;
}

export interface Claim {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** 'new': nothing there yet; 'empty': an empty folder (or one holding only a marker); 'ours': a folder of a compatible kind the command may write into. */
  readonly state: 'new' | 'empty' | 'ours';
  /** Where a folder that was there was moved by --force. */
  readonly movedAside?: string;
  /** The folder's lock, held from the claim on: release it when done (a killed process's lock is taken over). */
  readonly lock: Lock;
}

/**
 * Checks, before anything runs or is written, that the command may write `dir`, and
 * makes way for it: creates its parent, restores a folder left half-swapped by a
 * killed command, removes migov's own hidden leftovers, and with `force` moves a
 * folder that may not be written aside. Throws OutputError (exit 2) otherwise.
 */
export function claimOutput(dir: string, opts: ClaimOptions): Claim {
  const flag = opts.flag ?? '--out';
  if (dir.trim() === '') throw new OutputError(JSON.stringify(dir), `${flag} is empty; name a new folder, e.g. ${flag} results/my-experiment`);
  const abs = resolve(dir);
  const name = basename(abs);
  if (name === '' || dirname(abs) === abs) throw new OutputError(dir, 'it is the root of the file system; name a new folder');
  const real = realTarget(abs);
  const cwd = realpathSync(process.cwd());
  if (isWithin(cwd, real)) {
    throw new OutputError(dir, `it is ${real === cwd ? 'the working folder' : `a folder above the working folder (${cwd})`}, which migov never writes into, replaces or moves, even with --force; name a new folder, e.g. ${flag} results/my-experiment`);
  }
  for (const spec of opts.specFiles ?? []) {
    let specDir: string;
    try {
      specDir = dirname(realpathSync(resolve(spec)));
    } catch {
      specDir = dirname(resolve(spec));
    }
    if (isWithin(specDir, real) || isWithin(resolve(spec), real)) {
      throw new OutputError(dir, `it holds the spec file ${spec}, which migov never writes over or moves, even with --force; name a new folder, e.g. ${flag} results/my-experiment`);
    }
  }

  const parent = dirname(abs);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new OutputError(dir, `its parent folder cannot be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lock = lockFolder(abs);
  try {
    return { ...makeWay(dir, abs, opts, flag), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

function makeWay(dir: string, abs: string, opts: ClaimOptions, flag: string): Omit<Claim, 'lock'> {
  recoverSwap(abs);
  cleanLeftovers(abs);
  try {
    accessSync(dirname(abs), constants.W_OK);
  } catch {
    throw new OutputError(dir, `its parent folder ${dirname(abs)} is not writable`);
  }

  let stat;
  try {
    stat = lstatSync(abs);
  } catch {
    return { dir: abs, state: 'new' };
  }
  if (stat.isSymbolicLink()) {
    throw new OutputError(dir, 'it is a symbolic link, which migov never follows or replaces, even with --force; name the folder it points to, or a new folder');
  }
  if (!stat.isDirectory()) {
    throw new OutputError(dir, 'it is a file, not a folder; migov never writes over or moves a file, even with --force; name a new folder');
  }
  let entries = readdirSync(abs);
  // a folder made by a command killed before its marker was renamed into place holds only the marker's temporary file
  if (entries.length > 0 && entries.every((n) => MARKER_TEMP.test(n) && !pidAlive(Number(n.slice(n.lastIndexOf('-') + 1))))) {
    for (const n of entries) rmSync(join(abs, n), { force: true });
    entries = readdirSync(abs);
  }
  // empty but for a marker: a command killed right after making the folder (it holds nothing to keep)
  if (entries.every((n) => n === MARKER_FILE || MARKER_TEMP.test(n)) && (!entries.includes(MARKER_FILE) || lstatSync(join(abs, MARKER_FILE)).isFile())) return { dir: abs, state: 'empty' };
  const kind = folderKind(abs);
  let why: string | null;
  if (kind === null) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
    why = `it is a folder that migov did not make (it holds ${shown} and no ${MARKER_FILE} marker)`;
  } else if (!COMPATIBLE[opts.kind].includes(kind)) {
    why = `it holds ${WHAT[kind]}, not ${WHAT[opts.kind]}`;
  } else {
    why = opts.reuse?.(abs, kind) ?? null;
  }
  if (why === null) return { dir: abs, state: 'ours' };
  if (!opts.force) throw new OutputError(dir, `${why}; use another ${flag}, or --force to move it aside to ${basename(abs)}.old-N (it is never deleted)`);
  const aside = moveAside(abs);
  return { dir: abs, state: 'new', movedAside: aside };
}

/** Renames `dir` to the first free `<dir>.old-N`; returns the new path. */
export function moveAside(dir: string): string {
  let k = 1;
  while (exists(`${dir}.old-${k}`)) k++;
  renameSync(dir, `${dir}.old-${k}`);
  return `${dir}.old-${k}`;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Hidden siblings this module makes for `abs`: `.<name>.tmp-<pid>`, `.<name>.old-<pid>`, `.<name>.merge-<pid>`. */
function hiddenSiblings(abs: string): { path: string; what: string; pid: number }[] {
  const name = basename(abs);
  const prefix = `.${name}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(abs));
  } catch {
    return [];
  }
  const out = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const m = /^(tmp|old|merge)-(\d+)$/.exec(n.slice(prefix.length));
    if (m) out.push({ path: join(dirname(abs), n), what: m[1], pid: Number(m[2]) });
  }
  return out;
}

/** A temporary folder beside `target`, marked as the command's own at once. */
export function makeTemp(target: string, kind: FolderKind, specHash?: string): string {
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  if (exists(tmp)) {
    if (!lstatSync(tmp).isDirectory() || (readMarker(tmp) === null && readdirSync(tmp).length > 0)) {
      throw new OutputError(target, `${tmp} is in the way and is not migov's; move it away`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  mkdirSync(tmp);
  writeMarker(tmp, kind, specHash);
  return tmp;
}

/** Removes a temporary folder made by makeTemp (it carries the marker; anything else is left). */
export function removeTemp(tmp: string): void {
  if (exists(tmp) && lstatSync(tmp).isDirectory() && readMarker(tmp) !== null) rmSync(tmp, { recursive: true, force: true });
}

/**
 * Puts the complete folder `tmp` at `target`: an earlier folder (checked by
 * claimOutput as the command's own) is renamed to a hidden `.<name>.old-<pid>`, the
 * new one renamed into place, then the hidden old one removed, because it is
 * migov's own. A kill between the two renames leaves the old folder under its hidden
 * name; the next command on the folder renames it back (recoverSwap).
 */
export function replaceFolder(tmp: string, target: string): void {
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
  let hadOld = false;
  if (exists(target)) {
    const kind = folderKind(target);
    const empty = lstatSync(target).isDirectory() && readdirSync(target).length === 0;
    if (!empty && kind === null) throw new OutputError(target, 'it changed while the command ran and is no longer migov\'s own; nothing was replaced: run the command again with another --out');
    if (empty) rmdirSync(target);
    else {
      renameSync(target, old);
      hadOld = true;
    }
  }
  try {
    renameSync(tmp, target);
  } catch (e) {
    if (hadOld) renameSync(old, target);
    throw e;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

/** A folder left under `.<name>.old-<pid>` by a command killed between the two renames of replaceFolder goes back. */
function recoverSwap(abs: string): void {
  if (exists(abs)) return;
  for (const s of hiddenSiblings(abs)) {
    if (s.what === 'old' && !pidAlive(s.pid) && lstatSync(s.path).isDirectory() && folderKind(s.path) !== null) {
      renameSync(s.path, abs);
      return;
    }
  }
}

/** Removes hidden temporary folders of `abs` left by killed commands: only those that carry the marker (or are empty). */
function cleanLeftovers(abs: string): void {
  for (const s of hiddenSiblings(abs)) {
    if (pidAlive(s.pid)) continue;
    try {
      const st = lstatSync(s.path);
      if (!st.isDirectory()) continue;
      // a folder killed before its marker was in place holds nothing, or only the marker's own temporary file
      if (readMarker(s.path) !== null || readdirSync(s.path).every((n) => MARKER_TEMP.test(n))) rmSync(s.path, { recursive: true, force: true });
    } catch {
      // another process got there first
    }
  }
}

// ---- the lock ----

export interface Lock {
  readonly path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

/** The lock file of a folder: beside it, so that it survives the folder's swap. */
export function lockPath(dir: string): string {
  const abs = resolve(dir);
  return join(dirname(abs), `.${basename(abs)}.migov.lock`);
}

/**
 * Takes the lock of `dir` (creating its parent): refused with OutputError when another
 * live process holds it; a lock whose process is gone (same host) is taken over.
 */
export function lockFolder(dir: string, command = process.argv.slice(2).join(' ')): Lock {
  const path = lockPath(dir);
  mkdirSync(dirname(path), { recursive: true });
  const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${JSON.stringify(mine)}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            const now = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
            if (now.pid === mine.pid && now.host === mine.host) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(dir, `its lock ${path} cannot be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let held: Partial<LockContent> | null;
    try {
      if (lstatSync(path).isSymbolicLink()) throw new OutputError(dir, `its lock ${path} is a symbolic link; remove it`);
      held = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    } catch (e) {
      if (e instanceof OutputError) throw e;
      held = null; // being written this instant, or broken: a broken one is stale below
    }
    const stale = held !== null && held.host === hostname() && !pidAlive(Number(held.pid));
    const broken = held === null && olderThan(path, 10_000);
    if (stale || broken) {
      try {
        unlinkSync(path);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    const who = held ? `process ${held.pid} on ${held.host}${held.startedAt ? `, since ${held.startedAt}` : ''}${held.command ? ` (migov ${held.command})` : ''}` : 'another process';
    throw new OutputError(dir, `another migov command is writing it: ${who}; wait for it to finish, or, if that process is gone, remove ${path}`);
  }
  throw new OutputError(dir, `its lock ${path} is being taken by another process; try again`);
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - lstatSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}
