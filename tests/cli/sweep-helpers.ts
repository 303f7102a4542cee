// Shared by the sweep tests: small, fast sweep specs and readers of a sweep folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Every file whose bytes must not depend on workers, order of completion or interruptions. */
export const STABLE_FILES = ['runs.csv', 'summary.csv', 'sensitivity.csv', 'series.csv', 'outcomes.csv', 'failures.csv', 'journal.jsonl'] as const;

/** Linear PGG, 3 x 2 grid, 3 replications: 18 runs of a few ms each. */
export const GRID_SPEC = `# a small grid sweep for tests
name: grid-small
model: linear-pgg
params: { Z: 40, N: 4, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 10
recordEvery: 5
replications: 3
seed: 17
sweep:
  design: grid
  series: true
  factors:
    - { path: params.r, values: [2, 4, 6] }
    - { path: protocol.mutation, min: 0.01, max: 0.1, steps: 2 }
`;

/** Linear PGG, Saltelli design over 3 factors: 16 (3 + 2) = 80 points x 2 replications. */
export const SOBOL_SPEC = `# a small Sobol sweep for tests
name: sobol-small
model: linear-pgg
params: { Z: 40, N: 4, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 10
recordEvery: 5
replications: 2
seed: 5
sweep:
  design: sobol
  samples: 16
  bootstrap: 50
  series: true
  factors:
    - { path: params.r, min: 1, max: 6 }
    - { path: protocol.mutation, min: 0.01, max: 0.2, scale: log }
    - { path: protocol.selectionIntensity, min: 0.1, max: 10, scale: log }
`;

/**
 * Slow enough to kill mid-run: 20 points x 4 replications of Z = 500 for 300 rounds
 * (about 30 ms a run here, 2-3 s in all with one worker).
 */
export const SLOW_SPEC = `# a grid sweep slow enough to interrupt
name: slow
model: linear-pgg
params: { Z: 500, N: 5, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 300
recordEvery: 100
replications: 4
seed: 23
sweep:
  design: grid
  series: true
  factors:
    - { path: params.r, values: [2, 3, 4, 5, 6] }
    - { path: protocol.mutation, min: 0.01, max: 0.1, steps: 4 }
`;

export type Row = Record<string, string>;

export function readCsv(dir: string, name: string): Row[] {
  return parse(readFileSync(join(dir, name), 'utf8'), { columns: true }) as Row[];
}

/** The bytes of each stable file (absent ones as null). */
export function stableBytes(dir: string): Record<string, string | null> {
  return Object.fromEntries(STABLE_FILES.map((f) => [f, existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null]));
}

/** Run keys of the journal's lines, in file order. */
export function journalKeys(dir: string): string[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => (JSON.parse(l.slice(65)) as { key: string }).key);
}

export interface Session {
  startedAt: string;
  endedAt: string;
  alreadyDone: number;
  ran: number;
  droppedRecords: number;
  workers: number;
}

export function sessions(dir: string): Session[] {
  return (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { sessions: Session[] }).sessions;
}
