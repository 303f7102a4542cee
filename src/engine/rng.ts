// Seeded random streams and the derivation of a run's seed.
//
// Generator choice: seedrandom's `alea` (Baagøe). seedrandom's generators differ
// about 5x in speed here; its default ARC4 is the slowest, and alea, a
// multiply-with-carry generator on doubles, is among the fastest while passing
// BigCrush in its author's tests and having a period of about 2^116. The hot loop
// draws 3 to 4 numbers per decision, so the generator is a large share of the cost
// of a decision (see bench/). alea is also plain JavaScript, so a browser gives the
// same stream as Node for the same seed.
import seedrandom from 'seedrandom';
import { sha256 } from '@noble/hashes/sha2.js';

/** A uniform draw in [0, 1). One stream per run; never shared across runs. */
export type Rng = () => number;

/** A seeded generator for one run. The same seed string gives the same stream everywhere. */
export function createRng(seed: string): Rng {
  return seedrandom.alea(seed);
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/**
 * JSON with object keys sorted at every depth, so that the same values give the
 * same text whatever order they were written in. Numbers use JavaScript's
 * shortest round-trip form (1, 0.5, 1e-7), so 1 and 1.0 are the same. Only plain
 * JSON values are accepted (undefined fields are left out); anything else throws, so
 * that two different values can never share a text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? fail('undefined in a list') : canonicalJson(v))).join(',')}]`;
  }
  if (typeof value !== 'object') return fail(`a ${typeof value}`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return fail('an object that is not a plain mapping');
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function fail(what: string): never {
  throw new Error(`canonicalJson: ${what} has no canonical JSON form`);
}

/** node:crypto where the engine runs in Node (looked up at run time, so the browser bundle has no Node import); null in a browser. */
interface NodeHash {
  createHash(algorithm: 'sha256'): { update(text: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
}
const nodeCrypto: NodeHash | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (proc?.getBuiltinModule?.('node:crypto') as NodeHash | undefined) ?? null;
  } catch {
    return null;
  }
})();

/** Lower-case hex SHA-256 of a UTF-8 string: node:crypto in Node (several times faster), @noble/hashes elsewhere; the same digest. */
export function sha256Hex(text: string): string {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return sha256HexJs(text);
}

/** The browser's path of sha256Hex (plain JavaScript), exported so tests can hold both paths to the same digest. */
export function sha256HexJs(text: string): string {
  const bytes = sha256(new TextEncoder().encode(text));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * What a run is, as its seed sees it: the model, its parameters and the revision
 * protocol, all with defaults filled in. Rounds, the record interval and the stop
 * rule are not part of it, so a longer run of the same spec extends the same
 * trajectory. `migov run`, `migov sweep` and the browser demo all use this.
 */
export function runIdentity(model: string, params: unknown, protocol: unknown): { model: string; params: unknown; protocol: unknown } {
  return { model, params, protocol };
}

/**
 * The seed of one run, derived from the run's identity and never from its position
 * in a list, the time or a worker id:
 *
 *   runSeed(master, params, replication) =
 *     first 32 hex digits of SHA-256( canonicalJson({ master, params, replication }) )
 *
 * where `master` is the experiment's seed as written (number or string), `params`
 * the run's full parameter values (model parameters and protocol) and `replication`
 * the replication number counted from 0. Adding a design point or a replication
 * therefore leaves every other run's seed unchanged.
 */
export function runSeed(master: string | number, params: unknown, replication: number): string {
  return sha256Hex(canonicalJson({ master, params, replication })).slice(0, 32);
}

/**
 * runSeed for many replications of one identity: the identity's canonical JSON is
 * built once, and each replication's text is put together around it (the keys
 * master < params < replication are already in canonical order), so
 * `seedsOf(master, params)(r) === runSeed(master, params, r)` for every r.
 */
export function seedsOf(master: string | number, params: unknown): (replication: number) => string {
  if (params === undefined) return (replication) => runSeed(master, params, replication);
  const head = `{"master":${canonicalJson(master)},"params":${canonicalJson(params)},"replication":`;
  return (replication) => sha256Hex(`${head}${canonicalJson(replication)}}`).slice(0, 32);
}
