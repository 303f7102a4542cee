// Attack: hostile and unlucky state tables (issue 12, part 3). A big table is read with
// no recursion and no spread; the first bad row is reported however long the table;
// `#` is a comment only above the header; bytes that are not UTF-8 text (invalid
// sequences, NUL, a UTF-16 file) are refused naming the data row and the column; CRLF,
// CR and a UTF-8 byte-order mark are read as any other table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { createRng } from '../../src/engine/rng.ts';
import { loadSpec, modelOf } from '../../src/experiment/load.ts';
import { tempDir, writeSpec } from '../cli/helpers.ts';

const SPEC = `name: table-attack
model: migration-governance
params:
  states: { table: states.csv }
rounds: 1
`;
const HEADER = 'name,region,origin,transit,destination,capacity';

function setup(csv: string | Buffer): string {
  const dir = tempDir('migov-table-attack-');
  writeFileSync(join(dir, 'states.csv'), csv);
  return writeSpec(dir, 'spec.yaml', SPEC);
}

function failure(file: string): string {
  try {
    loadSpec(file);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
}

const rowsOf = (file: string) => (loadSpec(file).params.states as { rows: Record<string, unknown>[] }).rows;

function table(n: number, row: (i: number) => string = (i) => `s${i},${i % 7},1,0,0,1`): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}

describe('big state tables', () => {
  it('150,000 rows are read whole (no "Maximum call stack size exceeded")', () => {
    const rows = rowsOf(setup(table(150_000)));
    expect(rows).toHaveLength(150_000);
    expect(rows[149_999]).toMatchObject({ name: 's149999', region: 149_999 % 7, origin: 1, transit: 0, destination: 0, capacity: 1 });
  });

  it('a bad value in row 1 of 5,000 rows is reported, with its row, line and column', () => {
    const msg = failure(setup(table(5000, (i) => (i === 0 ? 's0,0,lots,0,0,1' : `s${i},0,1,0,0,1`))));
    expect(msg).toMatch(/^\S*states\.csv: data row 1 \(line 2\), column "origin": got "lots"; allowed: a number >= 0 and <= 1/);
    expect(msg.split('\n')).toHaveLength(2); // the one problem and the note naming the spec
  });

  it('5,000 bad rows: the first 20 listed, the reading stopped after 1,000 problems', () => {
    const msg = failure(setup(table(5000, (i) => `s${i},0,1,0,0,-1`)));
    expect(msg.split('\n').filter((l) => l.includes('column "capacity"'))).toHaveLength(20);
    expect(msg).toMatch(/states\.csv: the file: and at least 980 more problems \(the table was read no further after 1000 problems\)/);
  });
});

describe('# in a state table', () => {
  it('is a comment above the header only: a state may be called "#1"', () => {
    const rows = rowsOf(setup(`# a comment\n  # another\n${HEADER}\n#1,0,1,0,0,1\n"#2",0,0,0,1,2\n`));
    expect(rows.map((r) => r.name)).toEqual(['#1', '#2']);
  });

  it('a "comment" below the header is a row, and the message says where comments go', () => {
    const msg = failure(setup(`${HEADER}\na,0,1,0,0,1\n# note\nb,0,0,0,1,2\n`));
    expect(msg).toMatch(/data row 2 \(line 3\): has 1 cells but the header has 6 columns \(a line starting with # below the header is a row, not a comment: comments go above the header\)/);
  });
});

describe('bytes that are not UTF-8 text', () => {
  it('an invalid UTF-8 byte names the data row and the column', () => {
    const csv = Buffer.concat([Buffer.from(`${HEADER}\na,0,1,0,0,1\nb`), Buffer.from([0xff, 0xfe]), Buffer.from(',0,0,0,1,2\n')]);
    expect(failure(setup(csv))).toMatch(/states\.csv: data row 2 \(line 3\), column "name": has byte 0xff that is not valid UTF-8 \(at byte 2 of the cell\); allowed: a CSV file in UTF-8/);
  });

  it('a NUL byte names the data row and the column', () => {
    expect(failure(setup(`${HEADER}\na,0,1,0,0,1\nb,0,0,0,1,2\0\n`))).toMatch(/data row 2 \(line 3\), column "capacity": has a NUL byte/);
  });

  it('a UTF-16 file is refused as a whole, not echoed', () => {
    const csv = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(table(3), 'utf16le')]);
    const msg = failure(setup(csv));
    expect(msg).toMatch(/states\.csv: the file: is not a UTF-8 text file: it starts with a UTF-16 byte-order mark/);
    expect(msg.length).toBeLessThan(500);
  });

  it('valid UTF-8 names are kept', () => {
    expect(rowsOf(setup(`${HEADER}\nCôte d’Ivoire,0,1,0,0,1\n日本,0,0,0,1,2\n`)).map((r) => r.name)).toEqual(['Côte d’Ivoire', '日本']);
  });
});

describe('line ends and byte-order marks', () => {
  const expected = [
    { name: 'a', region: 0, origin: 1, transit: 0, destination: 0, capacity: 1, sovereignty: 1 },
    { name: 'b, c', region: 0, origin: 0, transit: 0, destination: 1, capacity: 2, sovereignty: 1 },
  ];
  it('CRLF, CR and LF give the same rows; a quoted cell may hold a comma', () => {
    for (const eol of ['\r\n', '\r', '\n']) expect(rowsOf(setup([HEADER, 'a,0,1,0,0,1', '"b, c",0,0,0,1,2', ''].join(eol)))).toEqual(expected);
  });

  it('a UTF-8 byte-order mark is skipped', () => {
    expect(rowsOf(setup(`\ufeff${HEADER}\na,0,1,0,0,1\n"b, c",0,0,0,1,2\n`))).toEqual(expected);
  });

  it('a quote inside an unquoted cell or text after a closing quote is malformed CSV, naming the line', () => {
    expect(failure(setup(`${HEADER}\na,0,1,0,0,1\nb"x,0,0,0,1,2\n`))).toMatch(/states\.csv: line 3: malformed CSV: Invalid Opening Quote/);
    expect(failure(setup(`${HEADER}\na,0,1,0,0,1\n"b"x,0,0,0,1,2\n`))).toMatch(/states\.csv: line 3: malformed CSV: Invalid Closing Quote/);
  });
});

describe('names that would reach Object.prototype', () => {
  it('a valuation column for __proto__ or constructor is refused; a __proto__ column is unknown', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(failure(setup(`${HEADER},value_${key}\na,0,1,0,0,1,1\nb,0,0,0,1,2,1\n`))).toMatch(new RegExp(`column 7 "value_${key}": names "${key}", which is not allowed as a name`));
    }
    expect(failure(setup(`${HEADER},__proto__\na,0,1,0,0,1,1\nb,0,0,0,1,2,1\n`))).toMatch(/column 7 "__proto__": unknown column/);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('an issue area called "constructor"', () => {
  it('takes the role-based valuation for a row that gives only other valuations (not Object.prototype.constructor)', () => {
    const dir = tempDir('migov-table-attack-');
    writeFileSync(join(dir, 'states.csv'), `${HEADER},value_refugee\na,0,1,0,0,1,0.5\nb,0,0,0,1,2,0.25\n`);
    const area = (name: string) => `{ name: ${name}, excludability: 0.5, rivalry: 0, reach: 1, valuation: { origin: 0.2, transit: 0.3, destination: 0.4 } }`;
    const spec = loadSpec(writeSpec(dir, 'spec.yaml', SPEC.replace('rounds: 1', `rounds: 1\n`).replace('  states: { table: states.csv }', `  states: { table: states.csv }\n  issueAreas: [${area('constructor')}, ${area('refugee')}]`)));
    const st = modelOf(spec).init(spec.params, createRng('1')) as unknown as { value: Float64Array };
    expect([...st.value]).toEqual([0.2, 0.5, 0.4, 0.25]);
  });
});

describe('fuzzed state tables', () => {
  const good = [HEADER + ',sovereignty,value_refugee', 'a,0,1,0,0,1,,0.5', '"b, c",1,0,0.5,0.5,2,0.3,', 'd,1,0,0,1,3,1,1'].join('\n');
  const junk = fc.oneof(
    fc.constantFrom('"', '""', ',', '\n', '\r', '\r\n', '#', '\0', '\ufeff', ' ', '\t', 'NaN', '1e999', '-0', '0x10', '__proto__', 'value___proto__', 'constructor'),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  it('read, or refused with a SpecError naming the table and where, never another exception', () => {
    const dir = tempDir('migov-table-fuzz-');
    const spec = writeSpec(dir, 'spec.yaml', SPEC);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 4 }), (edits) => {
        let text = good;
        for (const [at, s] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + s + text.slice(i);
        }
        writeFileSync(join(dir, 'states.csv'), Buffer.from(text, 'latin1'));
        try {
          loadSpec(spec);
        } catch (e) {
          if (!(e instanceof SpecError)) throw new Error(`not a SpecError: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
          expect(e.message).toMatch(/^\S*states\.csv: (the file|line \d+|header \(line \d+\)|data row \d+ \(line \d+\))[,:] .*; allowed: /);
          expect(e.message.split('\n').length).toBeLessThanOrEqual(23);
        }
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 300, seed: 1205 },
    );
  });
});
