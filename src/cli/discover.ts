// `migov discover <sweep folder> --where "<condition>"`: scenario discovery (PRIM or
// CART) on a sweep's runs; the work is src/report/discover.ts.
import type { Command } from 'commander';

interface DiscoverFlags {
  where: string;
  method?: string;
  threshold?: string;
  resamples?: string;
  peelAlpha?: string;
  pasteAlpha?: string;
  massMin?: string;
  maxBoxes?: string;
  maxDepth?: string;
  out?: string;
  force?: boolean;
  report?: boolean;
  quiet?: boolean;
}

/** A flag's text as a number; anything else stays as given, for discover() to refuse by name. */
function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  return text.trim() !== '' && Number.isFinite(x) ? x : (text as unknown as number);
}

export function register(program: Command): void {
  program
    .command('discover')
    .description('scenario discovery on a sweep: the regions of its parameters where a condition on the outcomes holds (PRIM or CART)')
    .argument('<folder>', 'a sweep folder written by `migov sweep` or `migov merge` (manifest.json, runs.csv)')
    .requiredOption('--where <condition>', 'which runs are of interest, over the declared metrics, e.g. "share_refugee_M >= 0.5 and refugee_gap < 0.2"')
    .option('--method <method>', 'prim or cart', 'prim')
    .option('--threshold <density>', 'the density a box must reach, 0 to 1 (default 0.8)')
    .option('--resamples <n>', 'PRIM: bootstrap resamples for how often each factor is restricted (default 20; 0: none)')
    .option('--peel-alpha <share>', 'PRIM: share of a box each peel removes (default 0.05)')
    .option('--paste-alpha <share>', 'PRIM: share of the runs outside a limit each paste adds (default 0.05)')
    .option('--mass-min <share>', 'smallest box (PRIM) or leaf (CART), as a share of the runs (default 0.05)')
    .option('--max-boxes <n>', 'PRIM: most boxes to find (default 3)')
    .option('--max-depth <n>', 'CART: deepest leaf (default 4)')
    .option('--out <dir>', 'the folder to write (default <folder>-discover)')
    .option('--force', 'move an existing folder that is not a discover folder aside (to <dir>.old-N; never deleted)')
    .option('--no-report', 'skip the charts and report.html')
    .option('-q, --quiet', 'print only the result folder')
    .addHelpText(
      'after',
      `
The condition may use numbers, true/false, the metrics the sweep declares (alone or
as final.<name>), ( ), + - * / ^, < <= > >= == !=, and, or, xor, not; nothing else.
Writes <out>/boxes.csv (each box's coverage, density, mass and limits, with
quasi-p-values and restriction frequencies), trajectory.csv, charts/ and
report.html. Bad input exits with code 2 and writes nothing.

Example:
  migov discover results/discover-refugee-regime --where "share_refugee_M >= 0.5"`,
    )
    .action(async (folder: string, flags: DiscoverFlags) => {
      const { discover } = await import('../report/discover.ts');
      const r = await discover(folder, {
        where: flags.where,
        method: flags.method,
        threshold: number(flags.threshold),
        resamples: number(flags.resamples),
        peelAlpha: number(flags.peelAlpha),
        pasteAlpha: number(flags.pasteAlpha),
        massMin: number(flags.massMin),
        maxBoxes: number(flags.maxBoxes),
        maxDepth: number(flags.maxDepth),
        out: flags.out,
        force: flags.force,
        report: flags.report,
      });
      if (flags.quiet) {
        console.log(r.dir);
        return;
      }
      const d = r.summary;
      console.log(`${d.runsOfInterest} of ${d.runs} runs meet ${d.where}`);
      d.boxes.forEach((b, i) => {
        console.log(`box ${i + 1}: coverage ${b.coverage.toFixed(3)}, density ${b.density.toFixed(3)}, mass ${b.mass.toFixed(3)}${b.meetsThreshold ? '' : ' (below the threshold)'}`);
        for (const l of b.limits) {
          if (!l.restricted) continue;
          const freq = d.restrictionFrequency ? `, restricted in ${(100 * (d.restrictionFrequency[l.factor] ?? 0)).toFixed(0)} % of resamples` : '';
          if (l.kind === 'numeric') console.log(`  ${l.factor}: ${l.lower.toPrecision(4)} to ${l.upper.toPrecision(4)} (range ${l.min.toPrecision(4)} to ${l.max.toPrecision(4)})${freq}`);
          else console.log(`  ${l.factor}: ${l.categories.join(', ')} (of ${l.all.join(', ')})${freq}`);
        }
      });
      console.log(`Results: ${r.dir}`);
      if (r.report) console.log(`Report: ${r.report}`);
    });
}
