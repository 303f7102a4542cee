// The CLI and its worker threads run from JavaScript that esbuild bundles from the
// TypeScript sources, built on first use (and by `npm install`'s prepare step) and
// kept in node_modules/.cache/migov/. Loading tsx and transpiling on every call costs
// about half a second a process, and as much again in every worker thread.
//
// A bundle is used only while it is known to be fresh: beside it, current.json lists
// every file it was built from (sources and the packages bundled in, tsconfig.json,
// package.json, this file and esbuild's package.json) with its size, mtime, ctime and
// the SHA-256 of the bytes that went into the bundle, plus the Node version and the
// repository's path. Each call stats those files (a few milliseconds); a file whose
// stat differs is hashed, and if its bytes differ from those bundled the bundle is
// rebuilt before anything runs, so edited or pulled sources never run as old code.
// A build writes a new folder beside the others and then renames the manifest into
// place, so processes running at the same time never see half a bundle; while one
// process builds, the others run through tsx. Whatever goes wrong (a cache that is
// not writable, esbuild missing, a source that does not compile, MIGOV_NO_BUNDLE=1)
// the caller falls back to tsx, which runs the sources directly.
//
// Only the project's own sources and a few pure-JavaScript packages are bundled;
// every other package (vega, resvg with its native binary, piscina, esbuild, tsx,
// playwright, ...) stays an import resolved at run time from node_modules. Each
// source's import.meta.url, .dirname and .filename are replaced by the source file's
// own, so files read relative to a source (fonts, schemas, demo assets) are found as
// when it runs through tsx.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// node:crypto is loaded only when a file is hashed or a name drawn (a changed input, a
// build): a call with a fresh bundle, `migov --help` included, never pays for it
const lazyRequire = createRequire(import.meta.url);
/** @returns {typeof import('node:crypto')} */
const crypto = () => lazyRequire('node:crypto');

/** The repository (or installed package) root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where bundles and their manifest live. */
export const CACHE = join(ROOT, 'node_modules', '.cache', 'migov');
const MANIFEST = 'current.json';
const FORMAT = 2;
/** Packages bundled in (pure JavaScript, read nothing relative to themselves); any other package stays external. */
const INLINE = new Set(['zod', 'yaml', 'commander', 'csv-parse', 'csv-stringify', 'cli-progress', 'seedrandom', '@noble/hashes']);
/**
 * What the pool's threads load (worker.cjs beside the bundle): piscina require()s a
 * worker file first, and Node 20's require() of an ES module can abort the thread
 * ("v8::Module::IsGraphAsync must be used on an instantiated module"), so the threads
 * get this CommonJS file, which loads the bundled worker (ESM) with import().
 */
const WORKER_SHIM = `'use strict';
let runBatch;
module.exports = async function runBundledBatch(tasks) {
  runBatch ??= (await import('./worker.js')).default;
  return runBatch(tasks);
};
`;
/** Files that shape the bundle without being bundled. */
const EXTRA_INPUTS = ['tsconfig.json', 'package.json', 'scripts/bundle.js'];
/** A build lock older than this is taken to be left by a killed process. */
const LOCK_STALE_MS = 120_000;
/** Bundles other than the current one are removed once no process has started from them for this long (a running process may still load its lazily loaded chunks, e.g. the report's, from one). */
const OLD_BUNDLE_MS = 24 * 3_600_000;

/** @typedef {[path: string, size: number, mtimeMs: number, ctimeMs: number, sha256: string]} Input */
/** @typedef {{ format: number, root: string, node: string, dir: string, inputs: Input[], outputs: [name: string, size: number][] }} Manifest */

/**
 * The file URL of a fresh bundled CLI (its module exports `main`), building it first
 * when there is none or it is stale; undefined when the caller should run the
 * TypeScript sources through tsx instead.
 * @param {{ cache?: string, build?: boolean }} [options] build: false never builds (only a fresh bundle is returned)
 * @returns {Promise<string | undefined>}
 */
export async function bundledMain(options = {}) {
  if (process.env.MIGOV_NO_BUNDLE) return undefined;
  const cache = options.cache ?? CACHE;
  try {
    const fresh = freshBundle(cache);
    if (fresh) return pathToFileURL(join(cache, fresh, 'main.js')).href;
    if (options.build === false) return undefined;
    const built = await buildBundle(cache);
    return built ? pathToFileURL(join(cache, built, 'main.js')).href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folder (under `cache`) of the current bundle if every input is as it was
 * bundled, else undefined. Inputs whose stat changed but whose bytes did not (a
 * touch, a checkout of the same content) get their new stat recorded.
 * @param {string} cache
 * @returns {string | undefined}
 */
export function freshBundle(cache) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cache, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.root !== ROOT || manifest.node !== process.version || !Array.isArray(manifest.inputs)) return undefined;
  let restat = false;
  for (const input of manifest.inputs) {
    const st = statSync(resolve(ROOT, input[0]), { throwIfNoEntry: false });
    if (!st) return undefined;
    if (st.size === input[1] && st.mtimeMs === input[2] && st.ctimeMs === input[3]) continue;
    if (st.size !== input[1]) return undefined;
    // same size, new times: fresh only if the bytes are those bundled
    if (sha256(readFileSync(resolve(ROOT, input[0]))) !== input[4]) return undefined;
    const again = statSync(resolve(ROOT, input[0]));
    if (again.mtimeMs !== st.mtimeMs || again.ctimeMs !== st.ctimeMs) return undefined;
    input[2] = st.mtimeMs;
    input[3] = st.ctimeMs;
    restat = true;
  }
  // the bundle itself as it was written (not emptied or cut short since)
  if (!Array.isArray(manifest.outputs) || !manifest.outputs.some(([name]) => name === 'main.js')) return undefined;
  for (const [name, size] of manifest.outputs) {
    if (statSync(join(cache, manifest.dir, name), { throwIfNoEntry: false })?.size !== size) return undefined;
  }
  // mark it used now (its age decides when it is removed once replaced)
  try {
    const now = new Date();
    utimesSync(join(cache, manifest.dir), now, now);
  } catch {
    // a read-only cache
  }
  if (restat) {
    try {
      writeAtomic(join(cache, MANIFEST), JSON.stringify(manifest));
    } catch {
      // a read-only cache still serves a fresh bundle
    }
  }
  return manifest.dir;
}

/**
 * Builds a bundle into a new folder under `cache` and makes it current. Returns the
 * folder's name, or undefined when another process is building (the caller then
 * runs through tsx) or an input changed while it was being read.
 * @param {string} cache
 * @returns {Promise<string | undefined>}
 */
export async function buildBundle(cache) {
  mkdirSync(cache, { recursive: true });
  const lock = join(cache, 'build.lock');
  if (!takeLock(lock)) return undefined;
  const dir = `b-${Date.now().toString(36)}-${crypto().randomBytes(4).toString('hex')}`;
  const tmp = join(cache, `${dir}.tmp`);
  try {
    const { build } = await import('esbuild');
    /** @type {Map<string, { before: import('node:fs').Stats, sha: string }>} */
    const read = new Map();
    const readInput = (/** @type {string} */ path) => {
      const before = statSync(path);
      const bytes = readFileSync(path);
      read.set(path, { before, sha: sha256(bytes) });
      return bytes;
    };
    const esbuildPackage = join(dirname(fileURLToPath(import.meta.resolve('esbuild'))), '..', 'package.json');
    for (const extra of [...EXTRA_INPUTS.map((f) => join(ROOT, f)), esbuildPackage]) readInput(extra);
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { main: 'src/cli/main.ts', worker: 'src/sweep/worker.ts' },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      metafile: true,
      // stack traces name the TypeScript sources (bin/migov.js turns source maps on)
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      // the bundled CommonJS packages (seedrandom, cli-progress) call require
      banner: { js: 'import { createRequire as __migovCreateRequire } from "node:module"; const require = __migovCreateRequire(import.meta.url);' },
      // where the pool's threads find the bundled worker (src/sweep/executor.ts)
      define: { MIGOV_BUNDLED_WORKER: JSON.stringify(pathToFileURL(join(cache, dir, 'worker.cjs')).href) },
      plugins: [
        {
          name: 'migov-sources',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.path.startsWith('node:') || args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
              const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
              return INLINE.has(name) ? undefined : { path: args.path, external: true };
            });
            b.onLoad({ filter: /.*/ }, (args) => {
              const bytes = readInput(args.path);
              const ext = extname(args.path);
              if (ext === '.json') return { contents: bytes, loader: 'json' };
              if (args.path.includes(`${sep}node_modules${sep}`) || ext === '.js' || ext === '.mjs' || ext === '.cjs') return { contents: bytes, loader: 'js' };
              const source = bytes.toString('utf8').replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) =>
                JSON.stringify(key === 'url' ? pathToFileURL(args.path).href : key === 'dirname' ? dirname(args.path) : args.path),
              );
              return { contents: source, loader: ext === '.tsx' ? 'tsx' : 'ts' };
            });
          },
        },
      ],
    });
    writeFileSync(join(tmp, 'worker.cjs'), WORKER_SHIM);
    for (const input of Object.keys(result.metafile.inputs)) {
      if (!read.has(resolve(ROOT, input))) throw new Error(`esbuild read ${input} without the plugin`);
    }
    /** @type {Input[]} */
    const inputs = [];
    for (const [path, { before, sha }] of read) {
      const after = statSync(path);
      // changed while it was read: this bundle may hold a mix of old and new
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs) return undefined;
      const rel = relative(ROOT, path);
      inputs.push([rel.startsWith('..') || isAbsolute(rel) ? path : rel, after.size, after.mtimeMs, after.ctimeMs, sha]);
    }
    const outputs = /** @type {[string, number][]} */ (readdirSync(tmp).map((name) => [name, statSync(join(tmp, name)).size]));
    renameSync(tmp, join(cache, dir));
    /** @type {Manifest} */
    const manifest = { format: FORMAT, root: ROOT, node: process.version, dir, inputs, outputs };
    writeAtomic(join(cache, MANIFEST), JSON.stringify(manifest));
    removeOldBundles(cache, dir);
    return dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { force: true });
  }
}

/** @param {string} lock */
function takeLock(lock) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx'));
      return true;
    } catch {
      const st = statSync(lock, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs < LOCK_STALE_MS) return false;
      rmSync(lock, { force: true });
    }
  }
  return false;
}

/** @param {string} cache @param {string} keep */
function removeOldBundles(cache, keep) {
  for (const name of readdirSync(cache)) {
    if (name === keep || !name.startsWith('b-')) continue;
    const path = join(cache, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > OLD_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** @param {string} file @param {string} text */
function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** @param {Buffer} bytes */
function sha256(bytes) {
  return crypto().createHash('sha256').update(bytes).digest('hex');
}

// `node scripts/bundle.js`: build now (npm's prepare step runs it); never fails the install
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const main = await bundledMain().catch(() => undefined);
  if (!process.argv.includes('--quiet')) console.log(main ? `migov: CLI bundled in ${relative(process.cwd(), CACHE) || CACHE}` : 'migov: no bundle built; the CLI runs through tsx');
}
