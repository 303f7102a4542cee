// `migov report <folder>`: makes the charts and report.html of a results folder again
// from its saved files, without rerunning anything.
import type { Command } from 'commander';

interface ReportOptions {
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('make the charts and report.html of a results folder from its saved files, without rerunning')
    .argument('<folder>', 'a results folder written by `migov run` (manifest.json, series.csv, final.csv)')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Writes <folder>/charts/<id>.vl.json, .svg and .png for every chart that applies, and
<folder>/report.html: one self-contained file that opens offline in a browser. Adds
their sha256 to manifest.json. A missing or malformed file exits with code 2.

Example:
  migov report results/baseline`,
    )
    .action(async (folder: string, opts: ReportOptions) => {
      // loaded only when needed: vega and resvg take a moment to load
      // an adaptive sweep's folder: its boundary chart, read back from adaptive.csv and boundary.csv (src/report/adaptive.ts)
      const charts = (await import('../report/adaptive.ts')).adaptiveChartsOfFolder(folder);
      const path = await (await import('../report/index.ts')).writeReport(folder, charts ? { charts } : {});
      if (!opts.quiet) console.log(`Report: ${path}`);
    });
}
