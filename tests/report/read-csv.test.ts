// splitPlainCsv, the fast path of reading a results folder's CSV files, gives the very
// records csv-parse gives (with the options read.ts uses) for any text without
// quotes or carriage returns, and gives way to csv-parse otherwise.
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitPlainCsv } from '../../src/report/read.ts';

const viaCsvParse = (text: string): string[][] | 'error' => {
  try {
    return parse(text, { skip_empty_lines: true }) as string[][];
  } catch {
    return 'error';
  }
};

describe('splitPlainCsv', () => {
  it('property: the records of csv-parse for plain text; null where csv-parse finds records of unequal length', () => {
    const unit = fc.constantFrom('a', 'Z', '0', '9', '.', '-', 'e', ' ', '\t', ',', '\n', '\n', 'é', '\uFEFF', "'", '=');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        const fast = splitPlainCsv(text);
        const slow = viaCsvParse(text);
        if (fast === null) expect(slow).toBe('error');
        else expect(fast).toEqual(slow);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the records of rectangular tables of numbers and names, as migov writes them', () => {
    const cell = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.stringMatching(/^[a-z_0-9]{0,12}$/));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { maxLength: 20 }), (w, rows) => {
        const text = rows.map((r) => `${r.slice(0, w).join(',')}\n`).join('');
        expect(splitPlainCsv(text)).toEqual(viaCsvParse(text));
      }),
    );
  });

  it('gives way to csv-parse for quoted cells and carriage returns', () => {
    expect(splitPlainCsv('a,b\n"x",y\n')).toBeNull();
    expect(splitPlainCsv('a,b\r\nx,y\r\n')).toBeNull();
  });
});
