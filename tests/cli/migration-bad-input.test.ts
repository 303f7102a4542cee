// Bad input to the migration-governance model (issue 4, "Bad input"): spec values
// out of range get an error naming the file, the field path and what is allowed;
// `migov run` exits with code 2 and writes nothing. (State table files: tests/
// experiment/state-table.test.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migov, tempDir, writeSpec } from './helpers.ts';

const SPEC = `name: migration-small
model: migration-governance
params:
  states: { N: 12, regions: 3 }
rounds: 2
replications: 1
seed: 5
`;

const AREA = (name: string, excludability = 0.5) =>
  `{ name: ${name}, excludability: ${excludability}, rivalry: 0, reach: 1, valuation: { origin: 1, transit: 1, destination: 1 } }`;

/** Runs `migov run spec.yaml` on `params` (YAML lines under params:); expects code 2, nothing written; returns stderr. */
function bad(params: string, args: string[] = []): string {
  const dir = tempDir();
  writeSpec(dir, 'spec.yaml', SPEC.replace('  states: { N: 12, regions: 3 }\n', params));
  const before = readdirSync(dir).sort();
  const r = migov(['run', 'spec.yaml', ...args], dir);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  expect(readdirSync(dir).sort()).toEqual(before);
  expect(existsSync(join(dir, 'results'))).toBe(false);
  return r.stderr;
}

describe('migration-governance bad input', () => {
  it('the small spec itself is good (so each failure below is the one change)', () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SPEC);
    const r = migov(['run', 'spec.yaml', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--set into an issue area by position: runs; a position out of range is refused naming the positions', () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SPEC);
    const r = migov(['run', 'spec.yaml', '--quiet', '--no-report', '--set', 'params.issueAreas.0.excludability=0.5'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(bad('  states: { N: 12, regions: 3 }\n', ['--set', 'params.issueAreas.3.excludability=0.5'])).toMatch(
      /spec\.yaml: field "params\.issueAreas\.3\.excludability": --set "params\.issueAreas\.3\.excludability=0\.5": position 3 is out of range: params\.issueAreas has 3 entries; allowed: a position 0\.\.2/,
    );
  });

  it('negative N', () => {
    expect(bad('  states: { N: -5, regions: 3 }\n')).toMatch(/^error: spec\.yaml: field "params\.states\.N": got -5; allowed: an integer >= 2 and <= 10000000/);
  });

  it('a negative N from --set says so', () => {
    expect(bad('  states: { N: 12 }\n', ['--set', 'params.states.N=-1'])).toMatch(/spec\.yaml: field "params\.states\.N": got -1 \(from --set\); allowed: an integer >= 2/);
  });

  it('role shares not summing to 1: shows the shares and their sum', () => {
    expect(bad('  states: { roleShares: { origin: 0.5, transit: 0.5, destination: 0.5 } }\n')).toMatch(
      /spec\.yaml: field "params\.states\.roleShares": got \{origin: 0\.5, transit: 0\.5, destination: 0\.5\} \(sum 1\.5\): role shares must sum to 1; allowed: a mapping with origin, transit, destination/,
    );
  });

  it('excludability outside [0, 1]', () => {
    expect(bad(`  issueAreas: [${AREA('refugee', 1.5)}]\n`)).toMatch(/spec\.yaml: field "params\.issueAreas\.0\.excludability": got 1\.5; allowed: a number >= 0 and <= 1/);
  });

  it('an unknown issue area in the crisis mechanism: lists the issue areas', () => {
    expect(bad('  mechanisms: { crisis: { issueArea: refugees, region: 0, start: 1, duration: 2 } }\n')).toMatch(
      /spec\.yaml: field "params\.mechanisms\.crisis\.issueArea": got "refugees": unknown issue area "refugees"; the issue areas are refugee, irregular, skilled/,
    );
  });

  it('duplicate issue-area names', () => {
    expect(bad(`  issueAreas: [${AREA('asylum')}, ${AREA('labour')}, ${AREA('asylum')}]\n`)).toMatch(
      /spec\.yaml: field "params\.issueAreas\.2\.name": got "asylum": issue area name "asylum" is used twice/,
    );
  });

  it('initial shares not summing to 1: shows the shares and their sum', () => {
    expect(bad('  initial: { U: 0.5, C: 0.2, M: 0.2 }\n')).toMatch(
      /spec\.yaml: field "params\.initial": got \{U: 0\.5, C: 0\.2, M: 0\.2\} \(sum 0\.9\): shares of U, C, M must sum to 1; allowed: a mapping with U, C, M/,
    );
  });

  it('inline state rows: each bad row and field named, with what is allowed', () => {
    const rows = [
      '{ name: a, region: 0, origin: 1, transit: 0, destination: 0, capacity: 1 }',
      '{ name: b, region: 0, origin: 0.5, transit: 0.6, destination: 0, capacity: 1 }',
      '{ name: c, region: -1, origin: 1, transit: 0, destination: 0, capacity: 1 }',
      '{ name: d, region: 0, origin: 1, transit: 0, destination: 0, capacity: 0 }',
      '{ name: e, region: 0, origin: 1, transit: 0, destination: 0, capacity: 1, capcity: 2 }',
    ];
    const err = bad(`  states:\n    rows:\n${rows.map((r) => `      - ${r}\n`).join('')}`);
    expect(err).toMatch(
      /spec\.yaml: field "params\.states\.rows\.1": got origin \+ transit \+ destination = 0\.5 \+ 0\.6 \+ 0 = 1\.1: the role weights must sum to 1; allowed: origin, transit and destination weights, each in \[0, 1\], that sum to 1/,
    );
    expect(err).toMatch(/spec\.yaml: field "params\.states\.rows\.2\.region": got -1; allowed: an integer >= 0 and <= 999/);
    expect(err).toMatch(/spec\.yaml: field "params\.states\.rows\.3\.capacity": got 0; allowed: a number > 0 and <= 1000000000/);
    expect(err).toMatch(/spec\.yaml: field "params\.states\.rows\.4\.capcity": unknown field "capcity" \(did you mean "capacity"\?\)/);
  });

  it('inline state rows: too few, a name twice, a valuation for no issue area', () => {
    const row = (name: string, extra = '') => `      - { name: ${name}, region: 0, origin: 1, transit: 0, destination: 0, capacity: 1${extra} }\n`;
    expect(bad(`  states:\n    rows: []\n`)).toMatch(/spec\.yaml: field "params\.states\.rows": got 0 rows; allowed: at least 2 rows, one per state/);
    const err = bad(`  states:\n    rows:\n${row('a')}${row('b', ', values: { refugees: 1 }')}${row('a')}`);
    expect(err).toMatch(/spec\.yaml: field "params\.states\.rows\.1\.values\.refugees": names no issue area: there is no "refugees" \(did you mean "refugee"\?\); allowed: refugee, irregular, skilled/);
    expect(err).toMatch(/spec\.yaml: field "params\.states\.rows\.2\.name": got "a", already the name of params\.states\.rows\.0; allowed: a name that no other state has/);
  });
});
