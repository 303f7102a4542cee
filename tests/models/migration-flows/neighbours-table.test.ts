// State tables with a neighbours column (docs/model.md §5.1): the listed graph, made
// symmetric, replaces the k nearest; positions are then optional (distances in hops).
// Bad cells are named by row and column through the CLI, and nothing is written.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/experiment/load.ts';
import { buildWorld } from '../../../models/migration-flows/world.ts';
import type { StateRow } from '../../../models/migration-flows/parameters.ts';
import { migov, tempDir, writeSpec } from '../../cli/helpers.ts';

const SPEC = `name: flows-nbr-table
model: migration-flows
params:
  world: { table: states.csv }
rounds: 5
replications: 1
seed: 21
`;
const HEADER = 'name,population,income,region,neighbours';
// a line a - b - c - d, listed one way only between c and d (made symmetric)
const GOOD = `${HEADER}\na,1,0.5,0,b\nb,2,1,0,a;c\nc,1,2,1,b;d\nd,3,1.5,1,\n`;

describe('a state table with a neighbours column', () => {
  it('gives the neighbour graph, made symmetric, with hop distances when there are no positions', () => {
    const dir = tempDir('migov-flows-nbr-');
    writeFileSync(join(dir, 'states.csv'), GOOD);
    const spec = loadSpec(writeSpec(dir, 'spec.yaml', SPEC));
    const rows = (spec.params.world as { rows: StateRow[] }).rows;
    expect(rows[2]).toEqual({ name: 'c', population: 1, income: 2, region: 1, neighbours: 'b;d' });
    const w = buildWorld(rows, 4);
    const got = Array.from({ length: 4 }, (_, i) => Array.from(w.nbr.subarray(w.nbrStart[i], w.nbrStart[i + 1])));
    expect(got).toEqual([[1], [0, 2], [1, 3], [2]]);
    expect(Array.from(w.dist)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a whole `migov run` with its report works on such a table, though some metrics stay undefined (NaN) throughout', () => {
    // regression: a metric with no finite value in any record (no refugee was hosted
    // in 5 rounds, so the low-income share of the hosted stock is undefined) used to
    // reach vega as an empty chart and stop the report with a stack trace
    const dir = tempDir('migov-flows-nbr-run-');
    writeFileSync(join(dir, 'states.csv'), GOOD);
    writeSpec(dir, 'spec.yaml', SPEC);
    const r = migov(['run', 'spec.yaml', '-q'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(readdirSync(join(dir, 'results', 'flows-nbr-table'))).toContain('report.html');
  });

  function runBad(csv: string): string {
    const dir = tempDir('migov-flows-nbr-bad-');
    writeSpec(dir, 'spec.yaml', SPEC);
    writeFileSync(join(dir, 'states.csv'), csv);
    const before = readdirSync(dir).sort();
    const r = migov(['run', 'spec.yaml'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(readdirSync(dir).sort()).toEqual(before);
    return r.stderr;
  }

  it('an unknown name is named by row and column; nothing is written', () => {
    const stderr = runBad(`${HEADER}\na,1,0.5,0,b\nb,2,1,0,a;x\nc,1,2,1,b\n`);
    expect(stderr).toMatch(/states\.csv: data row 2 \(line 3\), column "neighbours": .*"x", which is not the name of a state/);
  });

  it('a state listing itself, and a graph that does not connect every state, are refused', () => {
    expect(runBad(`${HEADER}\na,1,0.5,0,a;b\nb,2,1,0,a\nc,1,2,1,d\nd,1,1,1,\n`)).toMatch(/data row 1 \(line 2\), column "neighbours": .*its own name "a"/);
    expect(runBad(`${HEADER}\na,1,0.5,0,b\nb,2,1,0,a\nc,1,2,1,d\nd,1,1,1,\n`)).toMatch(/data row 3 \(line 4\), column "neighbours": .*"c" cannot be reached from "a"/);
  });

  it('neither positions nor neighbours: refused at row 1, column x', () => {
    expect(runBad('name,population,income,region\na,1,0.5,0\nb,2,1,0\nc,1,2,1\n')).toMatch(/data row 1 \(line 2\), column "x": .*no positions and no neighbours column/);
  });
});
