// migration-flows through the CLI (issue 14): a tiny run and a sweep with
// development seeds, a state table read into params.world.rows, and bad state tables
// refused with the file, row and column named and nothing written.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/experiment/load.ts';
import { migov, tempDir, writeSpec } from '../../cli/helpers.ts';

const RUN = `name: flows-tiny
model: migration-flows
params:
  world: { N: 20, regions: 2 }
protocol: { rule: logit, temperature: 0.1, revisionRate: 0.2 }
rounds: 20
recordEvery: 10
replications: 2
seed: 17
`;

const SWEEP = `name: flows-sweep
model: migration-flows
params:
  world: { N: 20, regions: 2 }
protocol: { rule: logit, temperature: 0.1, revisionRate: 0.2 }
rounds: 20
recordEvery: 20
replications: 2
seed: 18
sweep:
  design: grid
  factors:
    - { path: params.burdenSharing, values: [false, true] }
`;

const TABLE_SPEC = `name: flows-table
model: migration-flows
params:
  world: { table: states.csv, neighbours: 2 }
rounds: 5
replications: 1
seed: 19
`;

const HEADER = 'name,x,y,population,income,region';
const GOOD = `${HEADER}\na,0,0,1,0.5,0\nb,1,0,2,1,0\nc,0,1,1,2,1\nd,1,1,3,1.5,1\n`;

describe('migov with migration-flows', () => {
  it('runs a tiny spec and writes the pre-registered metrics', () => {
    const dir = tempDir('migov-flows-run-');
    writeSpec(dir, 'tiny.yaml', RUN);
    const r = migov(['run', 'tiny.yaml', '--no-report', '-q'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'results', 'flows-tiny');
    const csv = readdirSync(out).find((f) => f.endsWith('.csv'))!;
    const text = readFileSync(join(out, csv), 'utf8');
    for (const m of ['share_refugee_M', 'share_irregular_C', 'share_skilled_U', 'refugee_hosted_low_income', 'refugee_excludability', 'skilled_rivalry', 'refugee_M_destination']) expect(text).toContain(`,${m},`);
  });

  it('runs a sweep over burdenSharing', () => {
    const dir = tempDir('migov-flows-sweep-');
    writeSpec(dir, 'sweep.yaml', SWEEP);
    const r = migov(['sweep', 'sweep.yaml', '--no-report', '-q'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'results', 'flows-sweep', 'summary.csv'))).toBe(true);
  });

  it('reads a state table into params.world.rows', () => {
    const dir = tempDir('migov-flows-table-');
    writeFileSync(join(dir, 'states.csv'), GOOD);
    const spec = loadSpec(writeSpec(dir, 'spec.yaml', TABLE_SPEC));
    const world = spec.params.world as { rows: Record<string, unknown>[] };
    expect(world.rows).toHaveLength(4);
    expect(world.rows[1]).toEqual({ name: 'b', x: 1, y: 0, population: 2, income: 1, region: 0 });
  });
});

describe('migov run with a bad flows state table', () => {
  function runBad(csv: string): string {
    const dir = tempDir('migov-flows-bad-');
    writeSpec(dir, 'spec.yaml', TABLE_SPEC);
    writeFileSync(join(dir, 'states.csv'), csv);
    const before = readdirSync(dir).sort();
    const r = migov(['run', 'spec.yaml'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(readdirSync(dir).sort()).toEqual(before);
    return r.stderr;
  }

  it('a bad cell names the file, row, line and column', () => {
    const stderr = runBad(`${HEADER}\na,0,0,1,0.5,0\nb,1,0,-2,1,0\nc,0,1,1,2,1\n`);
    expect(stderr).toMatch(/states\.csv: data row 2 \(line 3\), column "population": got -2/);
    expect(stderr).toMatch(/params\.world\.table/);
  });

  it('a missing column is named', () => {
    const stderr = runBad('name,x,y,population,region\na,0,0,1,0\nb,1,0,1,0\n');
    expect(stderr).toMatch(/states\.csv: header \(line 1\): missing columns? "income"/);
  });
});
