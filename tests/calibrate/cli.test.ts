// `migov calibrate` end to end (the real command in a child process) on the linear
// public goods game: the "observed" data are one run of the model at r = 5, and the
// calibration must keep r = 5 in its not-ruled-out range; the same bytes with 1 or 2
// workers, and again when the command is run a second time on its folder (it resumes
// from the waves' journals). Then the refusals: an unknown metric, a prior range with
// min above max, a target sd of 0 (CLI, exit 2), and more through the API; each names
// the field and writes nothing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { calibrate, run } from '../../src/index.ts';
import { SpecError } from '../../src/experiment/errors.ts';

const BASE = {
  name: 'pgg-calibrate',
  model: 'linear-pgg',
  params: { Z: 200, N: 5, r: 5, c: 1, initial: { C: 0.5, D: 0.5 } },
  protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.01 },
  rounds: 20,
  recordEvery: 5,
  replications: 3,
  seed: 9,
  metrics: ['share_C'],
};

let dir = '';
let targets: { metric: string; round: number; mean: number; sd: number }[] = [];

function specText(calibration: string, extra = ''): string {
  return `name: pgg-calibrate
model: linear-pgg
params: { Z: 200, N: 5, r: 3, c: 1, initial: { C: 0.5, D: 0.5 } }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.01 }
rounds: 20
recordEvery: 5
replications: 3
seed: 9
metrics: [share_C]
${extra}calibration:
${calibration}`;
}

const GOOD = () => `  parameters:
    - { path: params.r, min: 1, max: 9 }
  targets:
${targets.map((t) => `    - { metric: ${t.metric}, round: ${t.round}, mean: ${t.mean}, sd: ${t.sd} }`).join('\n')}
  waves: 2
  samples: 16
  candidates: 2000
`;

beforeAll(() => {
  dir = tempDir('migov-calibrate-');
  // the simulated data set: one run at r = 5 (another seed than the calibration's)
  const truth = run({ ...BASE, replications: 1, seed: 123 } as Parameters<typeof run>[0], { out: false });
  const rep = truth.result.replications[0].result;
  const m = rep.metrics.indexOf('share_C');
  targets = [10, 20].map((round) => ({ metric: 'share_C', round, mean: rep.values[rep.rounds.indexOf(round)][m], sd: 0.03 }));
  writeSpec(dir, 'good.yaml', specText(GOOD()));
}, 60_000);

const listing = () => readdirSync(dir).sort();

describe('migov calibrate', () => {
  it('keeps the true r in its not-ruled-out range, writes its files and report, and gives the same bytes with 2 workers and when run again', () => {
    const r = migov(['calibrate', 'good.yaml', '--out', 'cal', '--workers', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'cal');
    for (const f of ['nroy.csv', 'parameters.csv', 'waves.csv', 'design.csv', 'bands.csv', 'targets.csv', 'manifest.json', 'report.html', 'charts/calibrate-pairs.svg', 'charts/calibrate-bands-1.png', 'wave-1/journal.jsonl', 'wave-2/runs.csv', '.migov']) expect(existsSync(join(out, f)), f).toBe(true);
    const params = readFileSync(join(out, 'parameters.csv'), 'utf8').trim().split('\n');
    expect(params[0]).toBe('parameter,min,max,scale,nroy_lower,nroy_upper,q05,q50,q95,width_share,verdict');
    const [, , , , lower, upper] = params[1].split(',');
    expect(Number(lower)).toBeLessThanOrEqual(5);
    expect(Number(upper)).toBeGreaterThanOrEqual(5);
    // and the region is informative: narrower than the prior 1..9
    expect(Number(upper) - Number(lower)).toBeLessThan(6);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="calibration"');

    const two = migov(['calibrate', 'good.yaml', '--out', 'cal2', '--workers', '2', '--no-report'], dir);
    expect(two.code, two.stderr).toBe(0);
    const again = migov(['calibrate', 'good.yaml', '--out', 'cal', '--workers', '1', '--no-report'], dir);
    expect(again.code, again.stderr).toBe(0);
    for (const f of ['nroy.csv', 'design.csv', 'waves.csv', 'bands.csv', 'parameters.csv', 'wave-2/runs.csv']) {
      const want = readFileSync(join(out, f), 'utf8');
      expect(readFileSync(join(dir, 'cal2', f), 'utf8'), f).toBe(want);
    }
    // run again on its folder: every run came from the journals
    expect(readFileSync(join(out, 'wave-1/sweep.json'), 'utf8')).toMatch(/"ran": 0/);
  }, 300_000);

  it.each([
    ['an unknown metric', '  parameters:\n    - { path: params.r, min: 1, max: 9 }\n  targets:\n    - { metric: share_X, round: 10, mean: 0.5, sd: 0.1 }\n', 'field "calibration.targets.0.metric": got "share_X"'],
    ['a range with min above max', '  parameters:\n    - { path: params.r, min: 9, max: 1 }\n  targets:\n    - { metric: share_C, round: 10, mean: 0.5, sd: 0.1 }\n', 'field "calibration.parameters.0": min 9 is not below max 1'],
    ['a target sd of 0', '  parameters:\n    - { path: params.r, min: 1, max: 9 }\n  targets:\n    - { metric: share_C, round: 10, mean: 0.5, sd: 0 }\n', 'field "calibration.targets.0.sd": got 0'],
  ])('refuses %s with exit 2, naming the field, writing nothing', (_what, calibration, message) => {
    const file = `bad-${listing().length}.yaml`;
    writeSpec(dir, file, specText(calibration));
    const before = listing();
    const r = migov(['calibrate', file, '--out', 'refused'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: ${message}`);
    expect(listing()).toEqual(before);
  }, 60_000);
});

describe('calibrate() refuses bad calibration sections, writing nothing', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['no calibration section', {}, {}, 'field "calibration": is missing'],
    ['a share target above 1', {}, { targets: [{ metric: 'share_C', round: 10, mean: 1.5, sd: 0.1 }] }, 'field "calibration.targets.0.mean": got 1.5 for share_C'],
    ['a round the runs do not record', {}, { targets: [{ metric: 'share_C', round: 7, mean: 0.5, sd: 0.1 }] }, 'field "calibration.targets.0.round": got 7, a round the runs do not record'],
    ['a round after the last', {}, { targets: [{ metric: 'share_C', round: 40, mean: 0.5, sd: 0.1 }] }, 'field "calibration.targets.0.round": got 40, after the last round'],
    ['a metric the spec does not keep', { metrics: ['mean_payoff'] }, {}, 'field "calibration.targets.0.metric": got "share_C", which the spec\'s metrics: list leaves out'],
    ['an unknown field', {}, { wave: 3 }, 'field "calibration": unknown field "wave"'],
    ['a log range from 0', {}, { parameters: [{ path: 'params.r', min: 0, max: 9, scale: 'log' }] }, 'field "calibration.parameters.0.min": got 0 with scale: log'],
    ['a parameter the model does not have', {}, { parameters: [{ path: 'params.rr', min: 1, max: 9 }] }, 'unknown field "rr"'],
    ['a parameter range the model refuses', {}, { parameters: [{ path: 'protocol.mutation', min: 0, max: 2 }] }, 'field "protocol.mutation": got 2'],
    ['one replication', { replications: 1 }, {}, 'field "replications": got 1'],
    ['a sweep section', { sweep: { design: 'lhs', samples: 10, factors: [{ path: 'params.r', min: 1, max: 9 }] } }, {}, 'field "sweep": a calibration spec has a sweep section'],
  ];
  it.each(cases)('%s', async (_what, spec, section, message) => {
    const out = join(dir, 'api-refused');
    const calibration = { parameters: [{ path: 'params.r', min: 1, max: 9 }], targets: [{ metric: 'share_C', round: 10, mean: 0.5, sd: 0.1 }], ...section };
    const input = { ...BASE, ...spec, ...(Object.keys(section).length === 0 && _what === 'no calibration section' ? {} : { calibration }) };
    const err = await calibrate(input, { out, workers: 1, report: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a calibration spec given to migov run', () => {
  it('is refused, naming the calibration field and the command that reads it, writing nothing', () => {
    const dir = tempDir();
    const out = join(dir, 'run-refused');
    const input = { ...BASE, calibration: { parameters: [{ path: 'params.r', min: 1, max: 9 }], targets: [{ metric: 'share_C', round: 10, mean: 0.5, sd: 0.1 }] } };
    let err: unknown;
    try {
      run(input as Parameters<typeof run>[0], { out });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toContain('field "calibration": unknown field "calibration": a calibration section is read by `migov calibrate <spec>`');
    expect(existsSync(out)).toBe(false);
  });
});
