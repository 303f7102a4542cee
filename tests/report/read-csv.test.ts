// splitPlainCsv, the fast path of reading a results folder's CSV files, gives the very
// records csv-parse gives (with the options read.ts uses) for any text without
// quotes or carriage returns, and gives way to csv-parse otherwise.
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { plainSeriesRows, seriesRowsOfText, splitPlainCsv } from '../../src/report/read.ts';

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

describe('plainSeriesRows', () => {
  const general = (text: string) => {
    try {
      return seriesRowsOfText('f', text, false);
    } catch {
      return 'error';
    }
  };
  const HEADER = 'replication,seed,round,metric,value\n';

  it('property: the rows of the general path for series texts with odd cells; null where it cannot tell', () => {
    // mostly cells migov writes, sometimes one the general path reads otherwise or refuses
    const odd = ['', ' 1', '1.0', '-1', 'x', '1e2', 'a,b'];
    const whole = fc.constantFrom('0', '1', '12', '007', '300', ...odd);
    const name = fc.constantFrom('90af4c2d', 'seed', 'share_C', 'mean_payoff', 'm', '', ' x');
    const value = fc.constantFrom('0', '1', '0.25', '-1e-7', '1e+21', 'NaN', 'Infinity', '-Infinity', '-0', '', ' 2', 'x', '0x10');
    const row = fc.oneof({ arbitrary: fc.tuple(whole, name, whole, name, value), weight: 9 }, { arbitrary: fc.array(value, { minLength: 4, maxLength: 6 }), weight: 1 }).map((cells) => cells.join(','));
    let read = 0;
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), fc.boolean(), (rows, blank) => {
        const text = HEADER + rows.join(blank ? '\n\n' : '\n') + (rows.length ? '\n' : '');
        const fast = plainSeriesRows(text);
        if (fast !== null) {
          read++;
          expect(fast).toEqual(general(text));
        }
      }),
      { numRuns: 3000 },
    );
    // the fast path read a good share of the texts itself
    expect(read).toBeGreaterThan(300);
  });

  it('reads what migov writes, the same rows as the general path, with each seed and metric name kept once', () => {
    const seeds = ['90af4c2dcf8f35225840f3034a8ce945', '1b2c3d4e5f60718293a4b5c6d7e8f901'];
    const metrics = ['share_refugee_U', 'share_refugee_C', 'welfare'];
    const values = [0, -1e-7, 0.1 + 0.2, NaN, Infinity, 123456.789, 5e-324];
    let text = HEADER;
    let k = 0;
    for (const [rep, seed] of seeds.entries()) for (let round = 0; round <= 20; round += 5) for (const m of metrics) text += `${rep},${seed},${round},${m},${String(values[k++ % values.length])}\n`;
    const fast = plainSeriesRows(text);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(general(text));
    expect(fast!.length).toBe(2 * 5 * 3);
    expect(new Set(fast!.map((r) => r.metric)).size).toBe(3);
  });

  it('gives way to the general path for another header, quotes or carriage returns', () => {
    expect(plainSeriesRows('point,replication,seed,round,metric,value\n0,0,a,0,m,1\n')).toBeNull();
    expect(plainSeriesRows(`${HEADER}0,a,0,"m",1\n`)).toBeNull();
    expect(plainSeriesRows(`${HEADER}0,a,0,m,1\r\n`)).toBeNull();
    expect(plainSeriesRows(`${HEADER}0,a,0,m,oops\n`)).toBeNull();
  });
});
