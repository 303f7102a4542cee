// `migov classroom [spec]`: a class plays one game, students as some of the states
// (seats), the rest played by the spec's learning rule; a local HTTP server for the
// teacher's and the students' pages; the session saved (spec with moves, moves.csv,
// trajectory.csv) into --out after every round, for `migov run` to replay.
import type { Command } from 'commander';
import type { ClassroomOptions } from './actions/classroom.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
      // the command's code (and with it the models, the server, ...) is loaded only when it runs
      await (await import('./actions/classroom.ts')).classroomCommand(file, opts, cmd);
    });
}
