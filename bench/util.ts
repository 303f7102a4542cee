// Helpers shared by the benchmarks in bench/.

/** Seconds on a monotonic clock. */
export const now = (): number => performance.now() / 1000;

/** Seconds of CPU time (user + system) this process has used, all its threads together. */
export const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The forced garbage collection that `--expose-gc` provides, if it does. */
export const gc = (globalThis as { gc?: () => void }).gc;

export const MB = 1024 * 1024;

/** Memory a simulation holds after init and one round, and how long each took. */
export interface RetainedMemory {
  heapBytes: number;
  arrayBufferBytes: number;
  /** Retained after init and one round: heap plus typed arrays. */
  totalBytes: number;
  /** Resident set size of the process after the round. */
  rssAfterBytes: number;
  /** Peak resident set size of the whole child process (node and tsx included). */
  peakRssBytes: number;
  /** Resident set size of the child process before init. */
  startRssBytes: number;
  initSeconds: number;
  roundSeconds: number;
}

/**
 * Builds a simulation with `make`, steps it one round and measures what it retains
 * (after forced collections, so run with --expose-gc); `describe` reads the
 * simulation after the measurement, which also keeps it alive until then.
 */
export function retainedMemory<S extends { step(): void }, D>(make: () => S, describe: (sim: S) => D): D & RetainedMemory {
  gc?.();
  gc?.();
  const before = process.memoryUsage();
  let t0 = now();
  const sim = make();
  const initSeconds = now() - t0;
  t0 = now();
  sim.step();
  const roundSeconds = now() - t0;
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  const heapBytes = after.heapUsed - before.heapUsed;
  const arrayBufferBytes = after.arrayBuffers - before.arrayBuffers;
  return {
    ...describe(sim),
    heapBytes,
    arrayBufferBytes,
    totalBytes: heapBytes + arrayBufferBytes,
    rssAfterBytes: after.rss,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    startRssBytes: before.rss,
    initSeconds,
    roundSeconds,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Pads to n characters: on the left (right-aligned) by default, on the right with `left`. */
export function pad(s: string | number, n: number, left = false): string {
  const t = String(s);
  return left ? t.padEnd(n) : t.padStart(n);
}

/** A rate in millions (25.3M). */
export const fmtRate = (x: number): string => `${(x / 1e6).toFixed(1)}M`;

export const passFail = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

/** Starts the line on which bench/migration.ts, run with --emit-json, hands its results to bench/index.ts. */
export const MIGRATION_JSON_MARKER = '@@migration-json ';

/** Starts the line on which bench/flows.ts, run with --emit-json, hands its results to bench/index.ts. */
export const FLOWS_JSON_MARKER = '@@flows-json ';
