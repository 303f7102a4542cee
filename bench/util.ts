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
