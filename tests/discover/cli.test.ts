// `migov discover` end to end (the real command in a child process): a sweep of the
// linear public goods game, where cooperation needs r near the group size, is
// searched for the runs where cooperators end in the majority; then the refusals:
// a condition that does not parse, an unknown metric, a folder that is not a sweep,
// an output folder inside the sweep's; each exits 2, names what is wrong and writes
// nothing.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';
import { discover } from '../../src/index.ts';

const SPEC = `# a small sweep for the discover tests
name: pgg-discover
model: linear-pgg
params: { Z: 60, N: 5, r: 3, c: 1 }
protocol: { rule: fermi, selectionIntensity: 5, mutation: 0.01 }
rounds: 40
recordEvery: 40
replications: 1
seed: 3
sweep:
  design: lhs
  samples: 80
  factors:
    - { path: params.r, min: 1, max: 9 }
    - { path: params.c, min: 0.5, max: 1.5 }
    - { path: protocol.updating, values: [async, sync] }
`;

let dir = '';
beforeAll(() => {
  dir = tempDir('migov-discover-');
  writeSpec(dir, 'pgg.yaml', SPEC);
  const r = migov(['sweep', 'pgg.yaml', '--out', 'sw', '--no-report', '-q', '--workers', '1'], dir);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

const listing = () => readdirSync(dir).sort();

describe('migov discover', () => {
  it('finds the region of high r, writes boxes.csv, trajectory.csv, charts and report.html beside the sweep, and the same bytes again', () => {
    const r = migov(['discover', 'sw', '--where', 'final.share_C >= 0.5', '--resamples', '5'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'sw-discover');
    for (const f of ['boxes.csv', 'trajectory.csv', 'manifest.json', 'report.html', 'charts/discover-tradeoff.svg', 'charts/discover-box-limits.png', '.migov']) expect(existsSync(join(out, f)), f).toBe(true);
    const boxes = readFileSync(join(out, 'boxes.csv'), 'utf8');
    const r1 = boxes.split('\n').find((l) => l.startsWith('1,prim,') && l.includes(',params.r,true,'));
    expect(r1, boxes).toBeDefined();
    expect(boxes.split('\n')[0]).toBe('box,method,coverage,density,mass,runs,runs_of_interest,meets_threshold,factor,restricted,kind,lower,upper,min,max,categories,qp_lower,qp_upper,restriction_frequency');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Box 1: coverage');
    // the same sweep and condition give the same bytes
    const again = migov(['discover', 'sw', '--where', 'final.share_C >= 0.5', '--resamples', '5', '--out', 'again', '--no-report'], dir);
    expect(again.code, again.stderr).toBe(0);
    for (const f of ['boxes.csv', 'trajectory.csv']) expect(readFileSync(join(dir, 'again', f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    // CART on the same runs
    const tree = migov(['discover', 'sw', '--where', 'share_C >= 0.5', '--method', 'cart', '--out', 'tree', '--no-report'], dir);
    expect(tree.code, tree.stderr).toBe(0);
    expect(readFileSync(join(dir, 'tree', 'boxes.csv'), 'utf8')).toMatch(/^1,cart,/m);
  }, 120_000);

  it('discover() in the API writes what the command writes', async () => {
    const out = join(dir, 'api');
    const r = await discover(join(dir, 'sw'), { where: 'final.share_C >= 0.5', resamples: 5, out, report: false });
    expect(r.dir).toBe(out);
    expect(r.report).toBeNull();
    expect(r.summary.boxes.length).toBeGreaterThan(0);
    expect(r.summary.boxes[0].restricted).toContain('params.r');
    for (const f of ['boxes.csv', 'trajectory.csv']) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(dir, 'sw-discover', f), 'utf8'));
  }, 120_000);

  it('never writes over a folder of the user\'s: refused (OutputError), or moved aside with force', async () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine, { recursive: true });
    writeFileSync(join(mine, 'thesis.tex'), 'my thesis');
    await expect(discover(join(dir, 'sw'), { where: 'share_C >= 0.5', resamples: 0, out: mine, report: false })).rejects.toThrow(/migov did not make/);
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
    await discover(join(dir, 'sw'), { where: 'share_C >= 0.5', resamples: 0, out: mine, report: false, force: true });
    expect(readFileSync(join(dir, 'mine.old-1', 'thesis.tex'), 'utf8')).toBe('my thesis');
    expect(existsSync(join(mine, 'boxes.csv'))).toBe(true);
    // a discover folder is its own: a second discovery replaces it
    await discover(join(dir, 'sw'), { where: 'share_C >= 0.8', resamples: 0, out: mine, report: false });
    expect(JSON.parse(readFileSync(join(mine, 'manifest.json'), 'utf8')).discover.where).toBe('share_C >= 0.8');
  }, 120_000);

  it('refuses a condition that does not parse, an unknown metric and a bad option: exit 2, the error names it, nothing written', () => {
    const before = listing();
    const bad = migov(['discover', 'sw', '--where', 'share_C >=', '--out', 'x1'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--where: condition "share_C >=": it does not parse/);
    const unknown = migov(['discover', 'sw', '--where', 'shareC > 0.5', '--out', 'x2'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown name "shareC" \(did you mean "share_C"\?\).*allowed: share_C, share_D, mean_payoff/);
    const call = migov(['discover', 'sw', '--where', 'share_C = 1', '--out', 'x3'], dir);
    expect(call.code).toBe(2);
    expect(call.stderr).toMatch(/assignment/);
    const method = migov(['discover', 'sw', '--where', 'share_C > 0.5', '--method', 'svm', '--out', 'x4'], dir);
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/--method: the option: got "svm"; allowed: prim, cart/);
    const threshold = migov(['discover', 'sw', '--where', 'share_C > 0.5', '--threshold', '1.5', '--out', 'x5'], dir);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toMatch(/--threshold/);
    expect(listing()).toEqual(before);
  }, 120_000);

  it('refuses a folder that is not a sweep and an output folder inside the sweep: exit 2, nothing written', () => {
    mkdirSync(join(dir, 'plain'), { recursive: true });
    writeFileSync(join(dir, 'plain', 'notes.txt'), 'mine');
    const before = listing();
    const plain = migov(['discover', 'plain', '--where', 'share_C > 0.5'], dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/plain/);
    const missing = migov(['discover', 'nowhere', '--where', 'share_C > 0.5'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
    const inside = migov(['discover', 'sw', '--where', 'share_C > 0.5', '--out', 'sw/discover'], dir);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the sweep folder/);
    expect(listing()).toEqual(before);
    expect(existsSync(join(dir, 'sw', 'discover'))).toBe(false);
    expect(readdirSync(join(dir, 'plain'))).toEqual(['notes.txt']);
  }, 120_000);
});
