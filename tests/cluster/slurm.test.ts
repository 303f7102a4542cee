// `migov slurm --submit` on a real Slurm: a single-node cluster (munged, slurmctld,
// slurmd) started by .ci/slurm-up.sh and stopped by .ci/slurm-down.sh at the end.
// 1. A 4-shard job array of a small sweep and its merge job: the merged folder has the
//    bytes of a local `migov sweep` of the spec (manifest.json and report.html but for
//    the times, versions and git state they record).
// 2. One shard's job cancelled (scancel <array>_<i>) before it runs: the merge job can
//    never start, `migov merge` names the missing shard and writes nothing,
//    `migov slurm --resubmit-missing` submits only that shard and a new merge, and the
//    result is again identical.
// Skipped, with a message, where sbatch is absent; never in CI, where .ci/run installs
// and starts Slurm first (a CI without it fails here).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { expectSameSweep } from '../cli/shard-helpers.ts';
import { GRID_SPEC } from '../cli/sweep-helpers.ts';

const CI = Boolean(process.env.CI);
const HAS_SBATCH = spawnSync('sh', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).status === 0;
const UP = resolve(import.meta.dirname, '../../.ci/slurm-up.sh');
const DOWN = resolve(import.meta.dirname, '../../.ci/slurm-down.sh');

if (!HAS_SBATCH && !CI) {
  console.warn('tests/cluster/slurm.test.ts: SKIPPED: sbatch is not installed; .ci/run installs Slurm (apt-get install slurm-wlm munge) and starts it with .ci/slurm-up.sh');
}

function sh(cmd: string, args: readonly string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Slurm's state and reason for a job (or array task, `<id>_<i>`); '' when squeue no longer knows it. */
function jobState(id: string): { state: string; reason: string } {
  const r = sh('squeue', ['-h', '-r', '-t', 'all', '-j', id.split('_')[0], '-o', '%i|%T|%r']);
  const line = r.out.split('\n').find((l) => l.split('|')[0] === id);
  const [, state = '', reason = ''] = (line ?? '').split('|');
  return { state, reason };
}

async function waitFor(cond: () => boolean, what: string, ms: number, debug: () => string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}\n${debug()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Jobs {
  submissions: { shards: number[]; arrayJobId: string; mergeJobId: string }[];
}

function jobs(work: string): Jobs {
  return JSON.parse(readFileSync(join(work, 'slurm', 'jobs.json'), 'utf8')) as Jobs;
}

function queue(): string {
  return `squeue:\n${sh('squeue', ['-r', '-t', 'all', '-o', '%i %j %T %r']).out}`;
}

function logs(work: string): string {
  const r = sh('sh', ['-c', `tail -n 20 ${join(work, 'slurm', 'logs')}/*`]);
  return `${queue()}\nlogs:\n${r.out}`;
}

describe.skipIf(!HAS_SBATCH && !CI)('migov slurm on a real single-node Slurm', () => {
  const dir = tempDir('migov-slurm-');
  const submitted: string[] = [];

  beforeAll(() => {
    if (!HAS_SBATCH) throw new Error('CI must have Slurm: .ci/run installs slurm-wlm and munge and starts the cluster before npm test');
    const up = sh('bash', [UP]);
    if (up.code !== 0) throw new Error(`.ci/slurm-up.sh failed (exit ${up.code}):\n${up.out}`);
    writeSpec(dir, 'grid.yaml', GRID_SPEC);
    // the local sweep the cluster's result must equal, report included
    const single = migov(['sweep', 'grid.yaml', '--out', 'single', '--workers', '1', '--quiet'], dir);
    if (single.code !== 0) throw new Error(single.stderr);
  }, 90_000);

  afterAll(() => {
    // nothing of ours left queued, then the daemons that slurm-up.sh started stopped
    for (const id of submitted) sh('scancel', [id]);
    const down = sh('bash', [DOWN]);
    if (down.code !== 0) console.warn(`.ci/slurm-down.sh: ${down.out}`);
  }, 60_000);

  it('a 4-shard job array and its merge job give the bytes of a local sweep', async () => {
    const r = migov(['slurm', 'grid.yaml', '--shards', '4', '--out', 'work', '--submit'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const work = join(dir, 'work');
    const [s] = jobs(work).submissions;
    submitted.push(s.arrayJobId, s.mergeJobId);
    expect(s.shards).toEqual([0, 1, 2, 3]);
    expect(r.stdout).toContain(`Submitted array job ${s.arrayJobId} (shards 0-3) and merge job ${s.mergeJobId} (afterok:${s.arrayJobId}).`);

    await waitFor(
      () => existsSync(join(work, 'merged', 'manifest.json')) || ['FAILED', 'CANCELLED', 'TIMEOUT'].includes(jobState(s.mergeJobId).state),
      'the merge job',
      90_000,
      () => logs(work),
    );
    expect(existsSync(join(work, 'merged', 'report.html')), logs(work)).toBe(true);
    // every shard ran on the cluster, as its own array task, into its own folder
    for (let i = 0; i < 4; i++) {
      expect(existsSync(join(work, 'shard-' + i, 'shard.json'))).toBe(true);
      expect(readFileSync(join(work, 'slurm', 'logs', `shard-${i}.${s.arrayJobId}.out`), 'utf8')).toContain(`Shard ${i}/4 done`);
    }
    expectSameSweep(join(work, 'merged'), join(dir, 'single'));

    const st = migov(['slurm', '--status', 'work'], dir);
    expect(st.code).toBe(0);
    expect(st.stdout).toContain('4 done, 0 running, 0 pending, 0 failed, 0 missing\n');
    expect(st.stdout).toContain(`  merge: done: ${join(work, 'merged')}`);
  }, 120_000);

  it('a cancelled shard: merge names it, --resubmit-missing re-runs only it, and the result is identical', async () => {
    // held, so that shard 2 can be cancelled before it runs
    const r = migov(['slurm', 'grid.yaml', '--shards', '4', '--out', 'work2', '--submit', '--sbatch-arg=--hold'], dir);
    expect(r.code, r.stderr).toBe(0);
    const work = join(dir, 'work2');
    const [first] = jobs(work).submissions;
    submitted.push(first.arrayJobId, first.mergeJobId);
    expect(sh('scancel', [`${first.arrayJobId}_2`]).code).toBe(0);
    expect(sh('scontrol', ['release', first.arrayJobId]).code).toBe(0);
    expect(sh('scontrol', ['release', first.mergeJobId]).code).toBe(0);

    // the other shards finish; the merge job waits on an afterok that can never be met
    await waitFor(
      () => [0, 1, 3].every((i) => existsSync(join(work, `shard-${i}`, 'shard.json'))) && jobState(first.mergeJobId).reason === 'DependencyNeverSatisfied',
      'shards 0, 1, 3 and the merge job stuck on its dependency',
      60_000,
      () => logs(work),
    );
    expect(existsSync(join(work, 'shard-2'))).toBe(false);
    expect(existsSync(join(work, 'merged'))).toBe(false);

    const st = migov(['slurm', '--status', 'work2'], dir);
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(/ {2}shard 2: (missing|failed)/);
    expect(st.stdout).toContain(`  merge: pending (job ${first.mergeJobId}, PENDING, DependencyNeverSatisfied)`);
    expect(st.stdout).toContain('3 done, 0 running, 0 pending');

    // merging what is there, as the merge job would: the missing shard named, nothing written
    const m = migov(['merge', ...[0, 1, 2, 3].map((i) => `work2/shard-${i}`), '--out', 'work2/merged'], dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${join(work, 'shard-2')}: no such folder`);
    expect(m.stderr).toContain('shard 2/4 is missing');
    expect(existsSync(join(work, 'merged'))).toBe(false);

    const again = migov(['slurm', '--resubmit-missing', 'work2'], dir);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const subs = jobs(work).submissions;
    expect(subs).toHaveLength(2);
    const second = subs[1];
    submitted.push(second.arrayJobId, second.mergeJobId);
    expect(second.shards).toEqual([2]);
    expect(again.stdout).toContain(`Cancelled merge job ${first.mergeJobId}`);
    expect(again.stdout).toContain(`submitted shard(s) 2 as array job ${second.arrayJobId}, and merge job ${second.mergeJobId} (afterok:${second.arrayJobId})`);
    // the scripts still carry --hold
    sh('scontrol', ['release', second.arrayJobId]);
    sh('scontrol', ['release', second.mergeJobId]);

    await waitFor(
      () => existsSync(join(work, 'merged', 'manifest.json')) || ['FAILED', 'CANCELLED', 'TIMEOUT'].includes(jobState(second.mergeJobId).state),
      'the second merge job',
      90_000,
      () => logs(work),
    );
    expect(existsSync(join(work, 'merged', 'report.html')), logs(work)).toBe(true);
    expectSameSweep(join(work, 'merged'), join(dir, 'single'));
    // only shard 2 ran again: the other shards' session logs hold their one session
    for (const i of [0, 1, 3]) {
      const sessions = (JSON.parse(readFileSync(join(work, `shard-${i}`, 'sweep.json'), 'utf8')) as { sessions: unknown[] }).sessions;
      expect(sessions, `shard ${i}`).toHaveLength(1);
    }
    expect(existsSync(join(work, 'slurm', 'logs', `shard-2.${second.arrayJobId}.out`))).toBe(true);
    expect(existsSync(join(work, 'slurm', 'logs', `shard-2.${first.arrayJobId}.out`))).toBe(false);
    expect(jobState(first.mergeJobId).state).toMatch(/^(CANCELLED|)$/);
  }, 170_000);
});
