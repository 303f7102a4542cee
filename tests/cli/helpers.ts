import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/migov.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `migov` command in `cwd`. */
export function migov(args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'migov-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeSpec(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export const SMALL_SPEC = `# a small spec for tests
name: small
model: linear-pgg
params: { Z: 50, N: 5, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }
rounds: 20
recordEvery: 5
replications: 3
seed: 11
`;
