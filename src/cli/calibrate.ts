// `migov calibrate <spec>`: history matching of a model to the targets of the spec's
// calibration section; the work is src/calibrate/calibrate.ts.
import type { Command } from 'commander';

interface CalibrateFlags {
  out?: string;
  workers?: string;
  seed?: string;
  set?: string[];
  force?: boolean;
  report?: boolean;
  allowLarge?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('history matching: which parameter values are not ruled out by the targets of the spec\'s calibration section (waves of LHS sweeps, Gaussian-process emulators, implausibility cut-off)')
    .argument('<spec>', 'a spec file with a calibration section (parameters with prior ranges, targets with mean and sd)')
    .option('--out <dir>', 'the folder to write (default results/<name>)')
    .option('--workers <n>', 'worker threads for the waves\' runs (default: the machine\'s cores)')
    .option('--seed <seed>', 'master seed, overriding the spec\'s')
    .option('--set <path=value...>', 'override a field of the spec (as migov run --set)')
    .option('--force', 'move an existing folder that is not this calibration\'s aside (to <dir>.old-N; never deleted)')
    .option('--no-report', 'skip the charts and report.html')
    .option('--allow-large', 'accept a calibration above the default budget')
    .option('-q, --quiet', 'print only the result folder')
    .addHelpText(
      'after',
      `
Writes <out>/nroy.csv (the not-ruled-out samples), parameters.csv (each parameter's
NROY interval and whether the targets identify it), waves.csv, design.csv,
bands.csv, the waves' sweep folders (wave-1/, ...), charts/ and report.html. Run the
same command again to resume. Bad input exits with code 2 and writes nothing.

Example:
  migov calibrate experiments/calibrate-iom-growth.yaml`,
    )
    .action(async (spec: string, flags: CalibrateFlags) => {
      const { calibrate } = await import('../calibrate/calibrate.ts');
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      let lastShown = 0;
      const r = await calibrate(spec, {
        out: flags.out,
        workers: workers as number,
        seed: flags.seed,
        set: flags.set,
        force: flags.force,
        report: flags.report,
        allowLarge: flags.allowLarge,
        onProgress: flags.quiet
          ? undefined
          : (wave, done, total) => {
              const now = Date.now();
              if (done === total || now - lastShown > 10_000) {
                lastShown = now;
                process.stderr.write(`wave ${wave}: ${done}/${total} runs\n`);
              }
            },
      });
      if (flags.quiet) {
        console.log(r.dir);
        return;
      }
      const s = r.summary;
      for (const w of s.waves) console.log(`wave ${w.wave}: ${w.points} design points (${w.pointsInPreviousNroy} not ruled out by earlier waves), NROY ${w.accepted} of ${w.candidates} candidates, ${(100 * w.nroyShare).toPrecision(3)} % of the prior`);
      if (s.ruledOutEverywhere) console.log(`ruled out everywhere: no parameter value in the prior has largest implausibility <= ${s.cutoff}`);
      for (const q of s.parameters) if (!s.ruledOutEverywhere) console.log(`${q.path}: NROY ${q.lower.toPrecision(3)} to ${q.upper.toPrecision(3)}, 5-95 % ${q.q05.toPrecision(3)} to ${q.q95.toPrecision(3)} (prior ${q.min} to ${q.max}${q.scale === 'log' ? ', log' : ''}): ${q.verdict}`);
      console.log(`Results: ${r.dir}`);
      if (r.report) console.log(`Report: ${r.report}`);
    });
}
