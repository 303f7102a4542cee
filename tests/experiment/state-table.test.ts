// The state table (issue 4, item 1): a CSV file that a spec names in
// params.states.table is read into params.states.rows before the model checks them.
// A good file gives the rows the model then builds its states from; every bad file
// gives a SpecError naming the table file, the data row (and line), the column, the
// value and what is allowed, and `migov run` exits with code 2 writing nothing.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { loadSpec, modelOf, validateSpec } from '../../src/experiment/load.ts';
import { createRng } from '../../src/engine/rng.ts';
import type { MigrationParams, MigrationState } from '../../models/migration-governance.ts';
import { migov, tempDir, writeSpec } from '../cli/helpers.ts';

const SPEC = `name: table-test
model: migration-governance
params:
  states: { table: states.csv }
rounds: 3
replications: 1
`;

const HEADER = 'name,region,origin,transit,destination,capacity';

/** Writes spec.yaml and states.csv into a fresh folder; returns the spec's path. */
function setup(csv: string, spec = SPEC): string {
  const dir = tempDir('migov-table-');
  writeFileSync(join(dir, 'states.csv'), csv);
  return writeSpec(dir, 'spec.yaml', spec);
}

/** Loads a spec expected to fail; returns the error's message. */
function failure(file: string): string {
  try {
    loadSpec(file);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
}

const rowsOf = (params: Record<string, unknown>) => (params.states as { rows: Record<string, unknown>[] }).rows;

describe('a good state table', () => {
  it('becomes params.states.rows: numbers converted, optional cells defaulted, comments above the header and blank lines skipped, table kept', () => {
    const file = setup(
      [
        '\ufeff# a comment line',
        'name,region,origin,transit,destination,capacity,sovereignty,value_refugee',
        '"state, a",0,1,0,0,0.5,2,',
        '',
        'state-b, 1 ,0.25,0.25,0.5,1e1,,0.75',
        'state-c,1,0,0,1,3,0.5,0',
      ].join('\r\n'),
    );
    const spec = loadSpec(file);
    const states = spec.params.states as Record<string, unknown>;
    expect(states.table).toBe('states.csv');
    expect(rowsOf(spec.params)).toEqual([
      { name: 'state, a', region: 0, origin: 1, transit: 0, destination: 0, capacity: 0.5, sovereignty: 2 },
      { name: 'state-b', region: 1, origin: 0.25, transit: 0.25, destination: 0.5, capacity: 10, sovereignty: 1, values: { refugee: 0.75 } },
      { name: 'state-c', region: 1, origin: 0, transit: 0, destination: 1, capacity: 3, sovereignty: 0.5, values: { refugee: 0 } },
    ]);
  });

  it('the example table reaches the model: 12 states in 3 regions with their capacities, roles and valuations', () => {
    const spec = loadSpec(resolve(import.meta.dirname, '../../experiments/state-table-example.yaml'));
    const rows = rowsOf(spec.params);
    expect(rows).toHaveLength(12);
    const model = modelOf(spec);
    const st = model.init(spec.params, createRng('1')) as MigrationState;
    expect(st.pop.size).toBe(12);
    expect(st.R).toBe(3);
    expect([...st.region]).toEqual(rows.map((r) => r.region));
    expect([...st.capacity]).toEqual(rows.map((r) => r.capacity));
    // mixed roles are in the table, not only pure ones
    expect(rows.some((r) => (r.origin as number) > 0 && (r.origin as number) < 1)).toBe(true);
    // a value_refugee cell replaces the role-based valuation of that issue area (state-g: 0.9)
    const g = (spec.params as MigrationParams).issueAreas.findIndex((a) => a.name === 'refugee');
    const i = rows.findIndex((r) => r.name === 'state-g');
    expect(st.value[i * st.G + g]).toBe(0.9);
  });

  it('a spec with rows and table (as a manifest records it) is self-contained: the file is not read again', () => {
    const file = setup(`${HEADER}\na,0,1,0,0,1\nb,1,0,0,1,2\n`);
    const spec = loadSpec(file);
    rmSync(file.replace('spec.yaml', 'states.csv'));
    const again = validateSpec(structuredClone(spec), file);
    expect(rowsOf(again.params)).toEqual(rowsOf(spec.params));
  });

  it('the path is relative to the spec file, not to the working folder', () => {
    const dir = tempDir('migov-table-');
    mkdirSync(join(dir, 'specs', 'data'), { recursive: true });
    writeFileSync(join(dir, 'specs', 'data', 'states.csv'), `${HEADER}\na,0,1,0,0,1\nb,0,0,0,1,2\n`);
    writeSpec(join(dir, 'specs'), 'spec.yaml', SPEC.replace('table: states.csv', 'table: data/states.csv'));
    const r = migov(['run', 'specs/spec.yaml', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'results', 'table-test', 'manifest.json'))).toBe(true);
  });
});

describe('a bad state table names the file, the row and the column', () => {
  it('missing required columns: lists them', () => {
    const msg = failure(setup('name,region,origin,transit\na,0,1,0\nb,0,1,0\n'));
    expect(msg).toMatch(/^\S*states\.csv: header \(line 1\): missing columns "destination", "capacity"/);
    expect(msg).toMatch(/allowed: columns name, region, origin, transit, destination, capacity, optionally sovereignty/);
    expect(msg).toMatch(/\(\S*states\.csv is the state table named by params\.states\.table in .*spec\.yaml\)$/);
  });

  it('an unknown column: suggests the closest', () => {
    const msg = failure(setup(`${HEADER},soverignty\na,0,1,0,0,1,1\nb,0,1,0,0,1,1\n`));
    expect(msg).toMatch(/states\.csv: header \(line 1\), column 7 "soverignty": unknown column \(did you mean "sovereignty"\?\)/);
  });

  it('a valuation column for an issue area that does not exist: suggests the closest', () => {
    const msg = failure(setup(`${HEADER},value_refugees\na,0,1,0,0,1,1\nb,0,1,0,0,1,1\n`));
    expect(msg).toMatch(/column 7 "value_refugees": names no issue area: there is no "refugees" \(did you mean "value_refugee"\?\); allowed: value_refugee, value_irregular, value_skilled/);
  });

  it('a column twice', () => {
    const msg = failure(setup(`${HEADER},origin\na,0,1,0,0,1,1\nb,0,1,0,0,1,1\n`));
    expect(msg).toMatch(/header \(line 1\), column 7 "origin": appears twice \(also column 3\)/);
  });

  it('a non-numeric value: names the data row, its line, the column, the value and the range', () => {
    const msg = failure(setup(`# states\n${HEADER}\na,0,1,0,0,1\nb,0,1,0,0,lots\n`));
    expect(msg).toMatch(/^\S*states\.csv: data row 2 \(line 4\), column "capacity": got "lots"; allowed: a number > 0 and <= 1000000000$/m);
  });

  it('role weights not summing to 1: shows the weights and their sum', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,1\nb,0,0.5,0.6,0,1\n`));
    expect(msg).toMatch(
      /states\.csv: data row 2 \(line 3\), columns "origin", "transit", "destination": got origin \+ transit \+ destination = 0\.5 \+ 0\.6 \+ 0 = 1\.1: the role weights must sum to 1; allowed: .*sum to 1/,
    );
  });

  it('capacity <= 0, an empty required cell', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,0\nb,0,1,0,0,-2\nc,0,1,0,0,\n`));
    expect(msg).toMatch(/data row 1 \(line 2\), column "capacity": got 0; allowed: a number > 0/);
    expect(msg).toMatch(/data row 2 \(line 3\), column "capacity": got -2; allowed: a number > 0/);
    expect(msg).toMatch(/data row 3 \(line 4\), column "capacity": got an empty cell; allowed: a number > 0/);
  });

  it('a region number outside its range, or not an integer', () => {
    const msg = failure(setup(`${HEADER}\na,-1,1,0,0,1\nb,1000,1,0,0,1\nc,1.5,1,0,0,1\n`));
    expect(msg).toMatch(/data row 1 \(line 2\), column "region": got -1; allowed: an integer >= 0 and <= 999/);
    expect(msg).toMatch(/data row 2 \(line 3\), column "region": got 1000; allowed: an integer >= 0 and <= 999/);
    expect(msg).toMatch(/data row 3 \(line 4\), column "region": got 1\.5; allowed: an integer/);
  });

  it('a valuation outside its range', () => {
    const msg = failure(setup(`${HEADER},value_skilled\na,0,1,0,0,1,101\nb,0,1,0,0,1,0.5\n`));
    expect(msg).toMatch(/data row 1 \(line 2\), column "value_skilled": got 101; allowed: a number >= 0 and <= 100/);
  });

  it('duplicate names: names both rows', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,1\nb,0,1,0,0,1\na,1,1,0,0,1\n`));
    expect(msg).toMatch(/data row 3 \(line 4\), column "name": got "a", already the name of data row 1 \(line 2\); allowed: a name that no other state has/);
  });

  it('a row with too few or too many cells', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,1\nb,0,1,0\nc,0,1,0,0,1,7\n`));
    expect(msg).toMatch(/data row 2 \(line 3\): has 4 cells but the header has 6 columns/);
    expect(msg).toMatch(/data row 3 \(line 4\): has 7 cells but the header has 6 columns/);
  });

  it('malformed CSV: names the line', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,1\n"b,0,1,0,0,1\n`));
    expect(msg).toMatch(/states\.csv: line 3: malformed CSV: Quote Not Closed/);
  });

  it('an empty table: header only, or nothing at all, or a single state', () => {
    expect(failure(setup(`${HEADER}\n`))).toMatch(/states\.csv: the file: has a header but no data rows \(the table is empty\); allowed: at least 2 data rows/);
    expect(failure(setup('# only a comment\n\n'))).toMatch(/states\.csv: the file: is empty: no header and no rows; allowed: a header line/);
    expect(failure(setup(`${HEADER}\na,0,1,0,0,1\n`))).toMatch(/states\.csv: the file: has 1 data row, one state; allowed: at least 2 data rows/);
  });

  it('a file that does not exist: names the resolved path and the spec that referred to it', () => {
    const file = setup('', SPEC.replace('table: states.csv', 'table: data/nope.csv'));
    const msg = failure(file);
    const dir = resolve(file, '..');
    expect(msg).toContain(`${file}: field "params.states.table": cannot read the state table "data/nope.csv": no such file: ${join(dir, 'data', 'nope.csv')} (resolved against the spec's folder ${dir})`);
  });

  it('many bad rows: the first 20 problems and a count of the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `s${i},0,1,0,0,-1`).join('\n');
    const msg = failure(setup(`${HEADER}\n${rows}\n`));
    expect(msg.split('\n').filter((l) => l.includes('column "capacity"'))).toHaveLength(20);
    expect(msg).toMatch(/states\.csv: the file: and 10 more problems/);
  });
});

describe('migov run with a bad state table', () => {
  function runBad(csv: string | null, spec = SPEC): { stderr: string; dir: string } {
    const dir = tempDir('migov-table-cli-');
    writeSpec(dir, 'spec.yaml', spec);
    if (csv !== null) writeFileSync(join(dir, 'states.csv'), csv);
    const before = readdirSync(dir).sort();
    const r = migov(['run', 'spec.yaml'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(readdirSync(dir).sort()).toEqual(before); // nothing written: no results folder
    expect(existsSync(join(dir, 'results'))).toBe(false);
    return { stderr: r.stderr, dir };
  }

  it('a bad cell: exit code 2, the file, row and column, nothing written', () => {
    const { stderr } = runBad(`${HEADER}\na,0,1,0,0,1\nb,0,1,0,0,lots\n`);
    expect(stderr).toMatch(/^error: states\.csv: data row 2 \(line 3\), column "capacity": got "lots"; allowed: a number > 0/);
    expect(stderr).toMatch(/\(states\.csv is the state table named by params\.states\.table in spec\.yaml\)/);
  });

  it('missing columns: exit code 2, nothing written', () => {
    const { stderr } = runBad('name,region\na,0\nb,1\n');
    expect(stderr).toMatch(/states\.csv: header \(line 1\): missing columns "origin", "transit", "destination", "capacity"/);
  });

  it('no such file: exit code 2, the resolved path, nothing written', () => {
    const { stderr, dir } = runBad(null);
    expect(stderr).toContain(`spec.yaml: field "params.states.table": cannot read the state table "states.csv": no such file: ${join(dir, 'states.csv')}`);
  });
});
