// What `migov classroom` does once its command line is parsed (its options and help are
// in ../classroom.ts, which loads this module only when the command runs).
import { existsSync, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SpecError } from '../../experiment/errors.ts';
import { resolveSpec } from '../../experiment/load.ts';
import { ClassroomError, ClassroomSession, defaultClassroomSpec } from '../../classroom/session.ts';
import { createClassroomServer } from '../../classroom/server.ts';
import { claimOutput, writeMarker } from '../../sweep/folder.ts';

export interface ClassroomOptions {
  seats: string;
  port: string;
  host: string;
  out?: string;
  set: string[];
  seed?: string;
  force?: boolean;
}

/** This machine's first LAN IPv4 address, for the address students type; localhost when there is none. */
function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return 'localhost';
}

export async function classroomCommand(file: string | undefined, opts: ClassroomOptions, cmd: Command): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) cmd.error(`error: --port: ${JSON.stringify(opts.port)} is not a port (an integer from 0 to 65535)`, { exitCode: 2 });
  const seats = Number(opts.seats);
  const spec = file !== undefined ? resolveSpec(file, opts.set, opts.seed) : resolveSpec(defaultClassroomSpec(), opts.set, opts.seed);
  let session: ClassroomSession;
  try {
    session = new ClassroomSession({ spec, seats });
  } catch (e) {
    if (e instanceof ClassroomError) throw new SpecError(file ?? 'the default classroom game', [{ field: e.message.startsWith('--seats') ? '--seats' : 'replications', message: e.message }]);
    throw e;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const out = opts.out ?? join('results', `classroom-${stamp}`);
  const claim = claimOutput(out, {
    kind: 'classroom',
    force: opts.force,
    specFiles: file ? [file] : [],
    reuse: (dir) => (existsSync(join(dir, 'spec.json')) ? 'it holds an earlier classroom session, which a new one would write over' : null),
  });
  mkdirSync(claim.dir, { recursive: true });
  writeMarker(claim.dir, 'classroom');
  if (claim.movedAside) console.log(`Moved the folder that was at ${claim.dir} to ${claim.movedAside}`);
  const { compileChart, renderSvg } = await import('../../report/render.ts');
  const server = createClassroomServer(session, { out: claim.dir, renderSvg: (chart) => renderSvg(chart.id, { ...compileChart(chart), background: '#ffffff' }) });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, opts.host, ok);
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? lanAddress() : opts.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  console.log(`Classroom: ${spec.model}, ${session.seats.length} seats of ${session.stateCount} states, ${spec.rounds} rounds, seed ${spec.seed}`);
  console.log(`Teacher (keep this link to yourself): ${base}/teacher#t=${session.teacherToken}`);
  console.log(`Students open: ${base}/  and type their seat's code:`);
  for (const [i, s] of session.seats.entries()) console.log(`  seat ${String(i + 1).padStart(2)}  ${s.code}  (${session.stateInfo(s.state).name})`);
  console.log(`Saving to ${claim.dir} after every round; replay with: migov run ${join(claim.dir, 'spec.json')}`);
  console.log('Ctrl-C to stop.');
  await new Promise<void>((ok) => {
    const stop = () => {
      server.closeAllConnections();
      server.close(() => ok());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  claim.lock.release();
}
