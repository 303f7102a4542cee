import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest on 2 cores, longest first (measured on full runs of the
 * suite). They start first, so that the two workers finish together instead of one
 * long file starting last while the other worker sits idle. Files not listed follow
 * in vitest's own order (longest first once it has timed them, larger files first
 * before that). A stale entry costs nothing but a worse order.
 */
const SLOW_FIRST = [
  'tests/attack/paths.test.ts',
  'tests/attack/kill.test.ts',
  'tests/demo/demo.test.ts',
  'tests/cluster/slurm.test.ts',
  'tests/cluster/slurm-script.test.ts',
  'tests/cli/bad-input.test.ts',
  'tests/attack/resources.test.ts',
  'tests/cli/sweep-safety.test.ts',
  'tests/discover/cli.test.ts',
  'tests/cli/rerun.test.ts',
  'tests/cli/migration-bad-input.test.ts',
  'tests/cli/run.test.ts',
  'tests/cli/analyze.test.ts',
  'tests/report/browser.test.ts',
  'tests/report/cli.test.ts',
  'tests/cli/sweep-resume.test.ts',
  'tests/cli/shard.test.ts',
  'tests/cli/sweep.test.ts',
  'tests/calibrate/cli.test.ts',
  'tests/models/migration-flows/neighbours-table.test.ts',
  'tests/classroom/browser.test.ts',
  'tests/api.test.ts',
  'tests/models/migration-flows/irregular-tree.test.ts',
  'tests/validation/flows-patterns.test.ts',
  'tests/validation/linear-pgg-fixation.test.ts',
  'tests/validation/optional-pgg.test.ts',
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((s) => f.moduleId.replace(/\\/g, '/').endsWith(`/${s}`));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i, r: rank(f) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map(({ f }) => f);
  }
}

/**
 * Folders whose files run one after another in a worker's one module graph
 * (isolate: false), so that the sources they share are loaded once per worker rather
 * than once per file (about 1.2 s of CPU a file on 2 cores: the 36 files of the first
 * five folders took 57 s of CPU instead of 99 s). Their tests keep no state between files
 * (no module mocks, no globals; what a test changes, such as a spy or the working
 * folder, it restores). Every other file gets a fresh worker, as by vitest's default:
 * those start the CLI, browsers, servers and Slurm, or change the process's
 * environment.
 */
const SHARED = ['tests/engine', 'tests/charts', 'tests/analysis', 'tests/discover', 'tests/experiment', 'tests/models', 'tests/validation'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // vitest's default is one worker fewer than the cores: one file at a time on 2
    // cores, while the vitest process itself needs little CPU; two workers keep both
    // cores busy. Above 2 cores, vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFirst },
    projects: [
      {
        extends: true,
        test: { name: 'isolated', include: ['tests/**/*.test.ts'], exclude: SHARED.map((d) => `${d}/**`) },
      },
      {
        extends: true,
        test: { name: 'shared', include: SHARED.map((d) => `${d}/**/*.test.ts`), isolate: false },
      },
    ],
  },
});
