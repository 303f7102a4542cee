// Replays a saved classroom session with `migov run` and reads both sides of the
// comparison the classroom tests make: the replay's series.csv rows without their
// replication and round columns, and the session's trajectory.csv rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

export async function replaySession(out: string, replay: string): Promise<{ code: number; series: string[]; trajectory: string[] }> {
  const log = console.log;
  console.log = () => {};
  let code: number;
  try {
    code = await main(['node', 'migov', 'run', join(out, 'spec.json'), '--out', replay, '--no-report', '-q']);
  } finally {
    console.log = log;
  }
  const series = code === 0 ? readFileSync(join(replay, 'series.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(2).join(',')) : [];
  const trajectory = readFileSync(join(out, 'trajectory.csv'), 'utf8').trim().split('\n').slice(1);
  return { code, series, trajectory };
}
