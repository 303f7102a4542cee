// The `migov` command line. One file per command; this one wires them up and maps
// errors to exit codes: 0 done, 2 bad input (nothing written), 1 anything else.
import { Command, CommanderError } from 'commander';
import { SpecError } from '../experiment/errors.ts';
import { OutputError } from '../sweep/store.ts';
import { MergeError } from '../sweep/merge.ts';
import { SlurmError } from '../sweep/slurm.ts';
import { DamagedFileError } from '../sweep/damaged.ts';
import { ReportError } from '../report/errors.ts';
import { register as registerAnalyze } from './analyze.ts';
import { register as registerCalibrate } from './calibrate.ts';
import { register as registerClassroom } from './classroom.ts';
import { register as registerDemo } from './demo.ts';
import { register as registerDiscover } from './discover.ts';
import { register as registerMerge } from './merge.ts';
import { register as registerModels } from './models.ts';
import { register as registerReport } from './report.ts';
import { register as registerRun } from './run.ts';
import { register as registerSchema } from './schema.ts';
import { register as registerSlurm } from './slurm.ts';
import { register as registerSweep } from './sweep.ts';

export function program(): Command {
  const p = new Command('migov')
    .description('Agent-based simulation of how states cooperate on migration, with the textbook games it is validated on.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRun(p);
  registerReport(p);
  registerSweep(p);
  registerMerge(p);
  registerSlurm(p);
  registerDiscover(p);
  registerCalibrate(p);
  registerAnalyze(p);
  registerModels(p);
  registerSchema(p);
  registerDemo(p);
  registerClassroom(p);
  for (const c of p.commands) c.exitOverride();
  return p;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    // a command that sets its own exit code (e.g. a sweep with failed runs) keeps it
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; a usage error is bad input
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof SpecError || e instanceof OutputError || e instanceof ReportError || e instanceof MergeError || e instanceof SlurmError || e instanceof DamagedFileError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  process.exitCode = await main(process.argv);
}
