// `migov classroom [spec]`: a class plays one game, students as some of the states
// (seats), the rest played by the spec's learning rule; a local HTTP server for the
// teacher's and the students' pages; the session saved (spec with moves, moves.csv,
// trajectory.csv) into --out after every round, for `migov run` to replay.
import { existsSync, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SpecError } from '../experiment/errors.ts';
import { resolveSpec } from '../experiment/load.ts';
import { ClassroomError, ClassroomSession, defaultClassroomSpec } from '../classroom/session.ts';
import { createClassroomServer } from '../classroom/server.ts';
import { claimOutput, writeMarker } from '../sweep/folder.ts';

interface ClassroomOptions {
  seats: string;
  port: string;
  host: string;
  out?: string;
  set: string[];
  seed?: string;
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** This machine's first LAN IPv4 address, for the address students type; localhost when there is none. */
function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return 'localhost';
}

export function register(program: Command): void {
  program
    .command('classroom')
    .description('a class plays the game: students join from their phones as states, the other states are agents; teacher controls and a debrief')
    .argument('[spec]', 'experiment spec (YAML or JSON) with replications 1; default: the migration-governance game on 12 states in 3 regions, 20 rounds')
    .option('--seats <k>', 'how many states students play', '5')
    .option('-p, --port <port>', 'port to serve on (0: any free port)', '8080')
    .option('--host <address>', "address to listen on: 0.0.0.0 (all interfaces, so phones on the same network can join) or 127.0.0.1 (this computer only)", '0.0.0.0')
    .option('-o, --out <dir>', 'folder for the session (spec.json with the moves, moves.csv, trajectory.csv); default results/classroom-<date and time>')
    .option('--set <path=value>', 'override a spec field, e.g. --set rounds=10 (repeatable)', collect, [])
    .option('--seed <seed>', "master seed, overriding the spec's")
    .option('--force', 'if --out exists and is not an unused classroom folder, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .addHelpText(
      'after',
      `
Prints the teacher's link (with the teacher token: keep it to yourself) and the
address and one code per seat for the students. A round runs when every connected
student has sent their choices, or when the teacher clicks "Advance round now"; a seat
with no choice that round (a student who left, or who had not chosen) is played by the
learning rule. The teacher can also fire a crisis (an issue area, a region, a number of
rounds) from the round being played; it is saved as an event, not a parameter. The
folder is written after every round; \`migov run <out>/spec.json\` replays the
session, crises included, to the same trajectory.

Examples:
  migov classroom --seats 5
  migov classroom experiments/my-game.yaml --seats 20 --port 9000 --out results/monday`,
    )
    .action(async (file: string | undefined, opts: ClassroomOptions, cmd: Command) => {
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
      const { compileChart, renderSvg } = await import('../report/render.ts');
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
    });
}
