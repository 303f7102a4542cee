// Seeded streams, canonical JSON and the derivation of a run's seed (src/engine/rng.ts).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, createRng, randomInt, runSeed, sha256Hex } from '../../src/engine/rng.ts';

/** The same JSON value with its object keys rebuilt in a shuffled order at every depth. */
function reorderKeys(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => reorderKeys(v, order));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order(Object.keys(obj))) {
    Object.defineProperty(out, k, { value: reorderKeys(obj[k], order), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const reversed = (keys: string[]): string[] => [...keys].reverse();

/** A permutation of the keys driven by a seed, so that fast-check can shrink it. */
const shuffledBy =
  (seed: number) =>
  (keys: string[]): string[] => {
    const rng = createRng(`shuffle-${seed}`);
    const out = [...keys];
    for (let i = out.length - 1; i > 0; i--) {
      const j = randomInt(rng, i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

/**
 * The key lists of every object in a JSON text, in the order the text writes them
 * (JSON.parse cannot tell: JavaScript objects put integer-like keys first).
 */
function keyOrders(text: string): string[][] {
  const out: string[][] = [];
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    ws();
    if (text[i] === '{') {
      i++;
      const keys: string[] = [];
      out.push(keys);
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        keys.push(str());
        ws();
        i++; // ':'
        value();
        ws();
        if (text[i++] === '}') return;
      }
    } else if (text[i] === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i++] === ']') return;
      }
    } else if (text[i] === '"') {
      str();
    } else {
      while (i < text.length && !/[,\]}\s]/.test(text[i])) i++;
    }
  };
  value();
  return out;
}

const isSorted = (keys: string[]): boolean => keys.every((k, j) => j === 0 || keys[j - 1] < k);

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const params = fc.dictionary(fc.string({ maxLength: 6 }), jsonValue, { maxKeys: 6 });

describe('createRng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (s1, s2) => {
        const a = createRng(s1);
        const b = createRng(s1);
        const c = createRng(s2);
        const xa = Array.from({ length: 32 }, () => a());
        const xb = Array.from({ length: 32 }, () => b());
        const xc = Array.from({ length: 32 }, () => c());
        expect(xb).toEqual(xa);
        if (s1 !== s2) expect(xc).not.toEqual(xa);
        for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
      }),
    );
  });

  it('is uniform on [0, 1): mean and decile counts of 100,000 draws', () => {
    const rng = createRng('uniformity');
    const n = 100_000;
    const bins = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      sum += x;
      bins[Math.floor(x * 10)]++;
    }
    // mean of U(0,1) is 1/2 with variance 1/12: 4 standard errors of the mean of n draws
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    // each decile holds Binomial(n, 0.1) draws: 4 standard errors each
    const sd = Math.sqrt(n * 0.1 * 0.9);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(4 * sd);
  });

  it('randomInt stays in [0, n)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1_000_000 }), (seed, n) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const k = randomInt(rng, n);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('writes a known value with its keys sorted at every depth', () => {
    const value = { b: 1, a: [3, { z: true, y: null, x: 'q' }], c: { f: { h: 1.5, g: -2 }, e: 1e-7 } };
    expect(canonicalJson(value)).toBe('{"a":[3,{"x":"q","y":null,"z":true}],"b":1,"c":{"e":1e-7,"f":{"g":-2,"h":1.5}}}');
    // the key-order reader used below sees unsorted keys where there are some
    expect(keyOrders('{"b":1,"a":{"d":[{"f":1,"e":2}],"c":"}"}}')).toEqual([['b', 'a'], ['d', 'c'], ['f', 'e']]);
    // integer-like keys sort as strings too ("10" < "9"), unlike JavaScript's own key order
    expect(canonicalJson({ 9: 'a', 10: 'b', x: 'c' })).toBe('{"10":"b","9":"a","x":"c"}');
  });

  it('drops undefined fields and writes 1.0 as 1', () => {
    expect(canonicalJson({ a: undefined, b: 1.0 })).toBe('{"b":1}');
  });

  it('property: sorts keys at every depth and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const text = canonicalJson(v);
        const back = JSON.parse(text) as unknown;
        for (const keys of keyOrders(text)) expect(isSorted(keys)).toBe(true);
        // idempotent: the parsed canonical text is already canonical
        expect(canonicalJson(back)).toBe(text);
        // and the same value as plain JSON.stringify writes, up to key order
        expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(text);
      }),
    );
  });

  it('property: independent of the order in which keys were written', () => {
    fc.assert(
      fc.property(jsonValue, fc.integer(), (v, seed) => {
        const text = canonicalJson(v);
        expect(canonicalJson(reorderKeys(v, reversed))).toBe(text);
        expect(canonicalJson(reorderKeys(v, shuffledBy(seed)))).toBe(text);
      }),
    );
  });

  it('rejects NaN and infinities at any depth', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => canonicalJson(bad)).toThrow(/no JSON form/);
      expect(() => canonicalJson({ a: { b: [1, bad] } })).toThrow(/no JSON form/);
      expect(() => canonicalJson([{ x: bad }])).toThrow(/no JSON form/);
    }
  });
});

describe('runSeed', () => {
  it('is the documented function: first 32 hex digits of SHA-256 of canonical {master, params, replication}', () => {
    const text = '{"master":42,"params":{"a":[1,{"c":3,"d":2}],"b":"x"},"replication":7}';
    const expected = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
    expect(runSeed(42, { b: 'x', a: [1, { d: 2, c: 3 }] }, 7)).toBe(expected);
    // and sha256Hex agrees with node:crypto on non-ASCII text
    const s = 'Übergang – migration 移民';
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });

  it('property: 32 lower-case hex digits, and a pure function of (master, params, replication)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer()), params, fc.nat(1000), (master, p, rep) => {
        const s = runSeed(master, p, rep);
        expect(s).toMatch(/^[0-9a-f]{32}$/);
        expect(runSeed(master, structuredClone(p), rep)).toBe(s);
      }),
    );
  });

  it('property: independent of the key order of params', () => {
    fc.assert(
      fc.property(fc.integer(), params, fc.nat(1000), fc.integer(), (master, p, rep, seed) => {
        const s = runSeed(master, p, rep);
        expect(runSeed(master, reorderKeys(p, reversed), rep)).toBe(s);
        expect(runSeed(master, reorderKeys(p, shuffledBy(seed)), rep)).toBe(s);
      }),
    );
  });

  it('property: changes when the replication, the master seed or any parameter value changes', () => {
    const numericParams = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), {
      minKeys: 1,
      maxKeys: 6,
    });
    fc.assert(
      fc.property(fc.integer(), numericParams, fc.nat(1000), fc.nat(), (master, p, rep, pick) => {
        const s = runSeed(master, p, rep);
        expect(runSeed(master, p, rep + 1)).not.toBe(s);
        expect(runSeed(master + 1, p, rep)).not.toBe(s);
        expect(runSeed(String(master), p, rep)).not.toBe(s);
        const keys = Object.keys(p);
        const key = keys[pick % keys.length];
        const v = p[key];
        // a different value (-0 and 0 are the same number in JSON, so 0 moves to 1)
        const changed = v === 0 ? 1 : -v;
        expect(runSeed(master, { ...p, [key]: changed }, rep)).not.toBe(s);
        // adding a parameter changes it too
        expect(runSeed(master, { ...p, [`${key}_extra`]: 0 }, rep)).not.toBe(s);
      }),
    );
  });

  it('changes with the smallest change of a number', () => {
    expect(runSeed(1, { r: 3 }, 0)).not.toBe(runSeed(1, { r: 3.0000000000000004 }, 0));
  });

  it('treats numbers and their string forms as different seeds', () => {
    expect(runSeed(1, {}, 0)).not.toBe(runSeed('1', {}, 0));
    expect(runSeed(1, { Z: 100 }, 0)).not.toBe(runSeed(1, { Z: '100' }, 0));
  });
});

describe('canonicalJson refuses values without a canonical form', () => {
  it('throws on undefined in a list, functions, dates and maps', () => {
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined in a list/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain mapping/);
    expect(() => canonicalJson(new Map())).toThrow(/plain mapping/);
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
