// `migov merge <shard folders...> --out <dir>`: joins the shards of a sweep.
import { join } from 'node:path';
import type { Command } from 'commander';

interface MergeCliOptions {
  out: string;
  force?: boolean;
  report: boolean;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('join the shards of a sweep (`migov sweep --shard i/n`) into the folder a single-machine sweep writes')
    .argument('<shards...>', 'the shard folders, all n of them, in any order')
    .requiredOption('--out <dir>', 'the merged result folder (must not exist or be empty)')
    .option('--force', 'if --out holds anything, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .option('--no-report', 'skip the charts and report.html')
    .addHelpText(
      'after',
      `
Checks, before writing anything, that every folder is a finished shard
(shard.json) of the same spec hash, master seed and number of shards n; that
shards 0..n-1 are each there once; that every file's sha256 matches its
shard.json; and that every run of the plan is in exactly one shard's journal.
A missing, unfinished or corrupt shard is named and the command exits with
code 2, writing nothing. The folder is written under a temporary name beside
--out and renamed at the end: journal.jsonl, runs.csv, summary.csv,
sensitivity.csv, series.csv, failures.csv and the charts are byte-identical to
a single-machine \`migov sweep\` of the same spec; manifest.json and report.html
differ only in the times, versions, git state and platform they record.

Example:
  migov merge results/betts-phase.shard-*-of-4 --out results/betts-phase`,
    )
    .action(async (folders: string[], opts: MergeCliOptions) => {
      const t0 = performance.now();
      const finish = opts.report
        ? async (dir: string) => {
            const { writeReport } = await import('../report/index.ts');
            await writeReport(dir);
          }
        : undefined;
      // the merge's code (and with it the models, yaml, ...) is loaded only when it runs
      const { mergeShards } = await import('../sweep/merge.ts');
      const r = await mergeShards(folders, { out: opts.out, force: opts.force, finish });
      const p = r.plan;
      console.log(
        `${p.spec.name}: merged ${r.shards} shard(s): ${p.spec.sweep.design} design, ${p.points.length} points x ${p.spec.replications} replications = ${r.total} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (r.failed.length > 0) {
        console.log(`${r.failed.length} run(s) failed: see failures.csv`);
        for (const f of r.failed.slice(0, 5)) console.log(`  point ${f.point}, replication ${f.replication}, seed ${f.seed}: ${f.error}`);
      }
      console.log(`Results: ${r.dir}`);
      if (opts.report) console.log(`Report: ${join(r.dir, 'report.html')}`);
      process.exitCode = r.failed.length > 0 ? 1 : 0;
    });
}
