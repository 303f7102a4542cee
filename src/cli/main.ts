// The `migov` command line. One file per command; this one wires them up and maps
// errors to exit codes: 0 done, 2 bad input (nothing written), 1 anything else.
// A command's file holds only its options and help; what it does (and the models,
// yaml, the sweep machinery, ...) is imported when it runs, so `migov --help` or a
// usage error loads none of it.
import { Command, CommanderError } from 'commander';
import { SpecError } from '../experiment/errors.ts';
import { OutputError } from '../sweep/folder.ts';
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

/**
 * A merge's or a Slurm work folder's error. Their modules are loaded here, not at
 * start-up: a command that threw one has loaded its module already (and the same
 * module instance is returned), so no other command pays for them.
 */
async function isShardError(e: Error): Promise<boolean> {
  const [{ MergeError }, { SlurmError }] = await Promise.all([import('../sweep/merge.ts'), import('../sweep/slurm.ts')]);
  return e instanceof MergeError || e instanceof SlurmError;
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
    if (e instanceof SpecError || e instanceof OutputError || e instanceof ReportError || e instanceof DamagedFileError || (e instanceof Error && (await isShardError(e)))) {
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
