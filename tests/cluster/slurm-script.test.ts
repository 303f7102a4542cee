// `migov slurm` without a cluster: the sbatch scripts' text, the scripts themselves run
// by bash as Slurm would run them (SLURM_ARRAY_TASK_ID set by hand), the work folder's
// jobs.json and status, and the errors. tests/cluster/slurm.test.ts submits them to a
// real Slurm.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGOV_BIN, arraySpec, mergeScript, shardScript, shq } from '../../src/sweep/slurm.ts';
import { BIN, migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { GRID_SPEC, stableBytes } from '../cli/sweep-helpers.ts';

// A login node's folders, made up for the script text (nothing is read or written there);
// built under this machine's temporary folder so that no machine's own path is named.
const CWD = join(tmpdir(), 'me', 'project');
const WORK = join(tmpdir(), 'scratch', 'grid.slurm');
const NODE = join(tmpdir(), 'node', 'bin', 'node');

const base = {
  specFile: 'experiments/grid.yaml',
  name: 'grid-small',
  specHash: 'abc',
  runs: 18,
  cwd: CWD,
  dir: WORK,
  shards: 4,
  cpus: 8,
  node: NODE,
};

/** A PATH with no Slurm commands (nor anything else: migov runs by node's absolute path). */
const NO_SLURM = { PATH: tempDir('migov-empty-path-') };

function migovEnv(args: readonly string[], cwd: string, env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the sbatch scripts', () => {
  it('the shard array: one task per shard, migov by absolute paths, --shard $SLURM_ARRAY_TASK_ID/n, --workers $SLURM_CPUS_PER_TASK, no report', () => {
    const s = shardScript({ ...base, partition: 'short', time: '01:30:00', mem: '4G', sbatchArgs: ['--account=abc'] });
    const lines = s.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    const sbatch = lines.filter((l) => l.startsWith('#SBATCH '));
    expect(sbatch).toEqual([
      '#SBATCH --job-name=migov-grid-small',
      '#SBATCH --array=0-3',
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=8',
      `#SBATCH --output=${WORK}/slurm/logs/shard-%a.%A.out`,
      `#SBATCH --chdir=${CWD}`,
      '#SBATCH --partition=short',
      '#SBATCH --time=01:30:00',
      '#SBATCH --mem=4G',
      '#SBATCH --account=abc',
    ]);
    // every #SBATCH line comes before the first command (sbatch stops reading them there)
    expect(lines.findIndex((l) => l && !l.startsWith('#'))).toBeGreaterThan(lines.lastIndexOf(sbatch.at(-1)!));
    expect(lines.at(-2)).toBe(
      `exec ${NODE} ${MIGOV_BIN} sweep experiments/grid.yaml --shard "$SLURM_ARRAY_TASK_ID/4" --workers "\${SLURM_CPUS_PER_TASK:-1}" --no-report --out ${WORK}/shard-"$SLURM_ARRAY_TASK_ID"`,
    );
    expect(MIGOV_BIN.startsWith('/')).toBe(true);
    expect(MIGOV_BIN.endsWith('/bin/migov.js')).toBe(true);
  });

  it('the merge job: every shard folder into <dir>/merged, with the report unless --no-report', () => {
    const m = mergeScript(base);
    expect(m).toContain('#SBATCH --job-name=migov-grid-small-merge\n');
    expect(m).toContain('#SBATCH --cpus-per-task=1\n');
    expect(m).not.toContain('--array');
    expect(m).toContain(`for i in $(seq 0 3); do shards+=(${WORK}/shard-"$i"); done\n`);
    expect(m).toContain(`exec ${NODE} ${MIGOV_BIN} merge "\${shards[@]}" --out ${WORK}/merged --force\n`);
    expect(mergeScript({ ...base, report: false })).toContain(`--out ${WORK}/merged --force --no-report\n`);
  });

  it('quotes paths and overrides for bash', () => {
    const s = shardScript({ ...base, specFile: "my spec's.yaml", seed: '42', set: ['params.r=3', 'name=a b'] });
    expect(s).toContain(`sweep 'my spec'\\''s.yaml' --shard`);
    expect(s).toMatch(/ --seed 42 --set params.r=3 --set 'name=a b'\n$/);
    expect(shq('a$b')).toBe(`'a$b'`);
    expect(() => shardScript({ ...base, specFile: 'a\nb' })).not.toThrow(); // checked where written
  });

  it('arraySpec compresses runs of indices', () => {
    expect(arraySpec([3, 1, 5, 6, 7, 0])).toBe('0-1,3,5-7');
    expect(arraySpec([2])).toBe('2');
  });
});

describe('the scripts run by bash as Slurm would', () => {
  it('shards 0..3 then the merge give the bytes of a single-machine sweep', () => {
    const dir = tempDir();
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    const w = migov(['slurm', 'grid.yaml', '--shards', '4', '--cpus', '2', '--out', 'work', '--no-report'], dir);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('grid-small: 18 runs in 4 shard(s) of about 5 runs, 2 CPU(s) each');
    expect(w.stdout).toContain(`sbatch --parsable ${join(dir, 'work', 'slurm', 'shards.sbatch')}`);
    const jobs = JSON.parse(readFileSync(join(dir, 'work', 'slurm', 'jobs.json'), 'utf8')) as Record<string, unknown>;
    expect(jobs).toMatchObject({ name: 'grid-small', specFile: 'grid.yaml', runs: 18, shards: 4, cwd: dir, submissions: [] });

    // run from another folder: the scripts cd to where `migov slurm` ran
    const elsewhere = tempDir();
    for (let i = 0; i < 4; i++) {
      const r = spawnSync('bash', [join(dir, 'work', 'slurm', 'shards.sbatch')], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(i), SLURM_CPUS_PER_TASK: '1' } });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.status).toBe(0);
    }
    const st = migovEnv(['slurm', '--status', 'work'], dir, NO_SLURM);
    expect(st.code).toBe(0);
    expect(st.stdout).toContain('  shard 2: done: 4 of 4 runs');
    expect(st.stdout).toContain('  merge: not submitted');
    const m = spawnSync('bash', [join(dir, 'work', 'slurm', 'merge.sbatch')], { cwd: elsewhere, encoding: 'utf8' });
    expect(m.stderr).toBe('');
    expect(m.status).toBe(0);
    expect(existsSync(join(dir, 'work', 'merged', 'report.html'))).toBe(false);

    const single = migov(['sweep', 'grid.yaml', '--out', 'single', '--workers', '1', '--quiet', '--no-report'], dir);
    expect(single.code).toBe(0);
    expect(stableBytes(join(dir, 'work', 'merged'))).toEqual(stableBytes(join(dir, 'single')));
    expect(migovEnv(['slurm', '--status', 'work'], dir, NO_SLURM).stdout).toContain(`  merge: done: ${join(dir, 'work', 'merged')}`);
  });
});

describe('migov slurm: status and errors', () => {
  const dir = tempDir();
  writeSpec(dir, 'grid.yaml', GRID_SPEC);

  it('status of shards never run: missing, with the command that re-runs them', () => {
    expect(migov(['slurm', 'grid.yaml', '--shards', '3', '--out', 'w'], dir).code).toBe(0);
    const st = migovEnv(['slurm', '--status', 'w'], dir, NO_SLURM);
    expect(st.code).toBe(1);
    expect(st.stdout).toContain('  shard 0: missing: 0 of 6 runs');
    expect(st.stdout).toContain('0 done, 0 running, 0 pending, 0 failed, 3 missing');
    expect(st.stdout).toContain(`Re-run only those: migov slurm --resubmit-missing ${join(dir, 'w')}`);
    const json = JSON.parse(migovEnv(['slurm', '--status', 'w', '--json'], dir, NO_SLURM).stdout) as { shards: { state: string; runs: number }[] };
    expect(json.shards.map((s) => [s.state, s.runs])).toEqual([['missing', 6], ['missing', 6], ['missing', 6]]);
  });

  it('--submit without sbatch: exit 2 naming sbatch; the scripts stay for submitting by hand', () => {
    const r = migovEnv(['slurm', 'grid.yaml', '--shards', '2', '--out', 'nosb', '--submit'], dir, NO_SLURM);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: sbatch not found on PATH/);
    expect(existsSync(join(dir, 'nosb', 'slurm', 'shards.sbatch'))).toBe(true);
  });

  it('bad input exits 2 before writing anything', () => {
    const cases: [string[], RegExp][] = [
      [['slurm', 'grid.yaml', '--out', 'x'], /--shards is missing/],
      [['slurm', 'grid.yaml', '--shards', '0', '--out', 'x'], /--shards: the file: got "0"/],
      [['slurm', 'grid.yaml', '--shards', '19', '--out', 'x'], /got 19, but the sweep has only 18 runs/],
      [['slurm', 'grid.yaml', '--shards', '2', '--cpus', 'many', '--out', 'x'], /--cpus: the file: got "many"/],
      [['slurm', '--status', 'nowhere'], /not a migov Slurm work folder/],
      [['slurm', 'grid.yaml', '--status', 'w'], /--status and --resubmit-missing take a work folder/],
    ];
    for (const [args, message] of cases) {
      const r = migov(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('a work folder of another spec is refused unless --force', () => {
    writeSpec(dir, 'other.yaml', GRID_SPEC.replace('seed: 17', 'seed: 99'));
    expect(migov(['slurm', 'grid.yaml', '--shards', '2', '--out', 'taken'], dir).code).toBe(0);
    const r = migov(['slurm', 'other.yaml', '--shards', '2', '--out', 'taken'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds the Slurm jobs of another spec/);
    expect(migov(['slurm', 'other.yaml', '--shards', '2', '--out', 'taken', '--force'], dir).code).toBe(0);
    expect(existsSync(join(dir, 'taken.old-1', 'slurm', 'jobs.json'))).toBe(true);
  });
});
