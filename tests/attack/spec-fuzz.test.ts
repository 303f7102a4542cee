// Attack: fuzzed specs (issue 12, part 3). Every input, however hostile, either gives a
// valid Spec or a SpecError that names the file and a field and says what is allowed:
// never another exception, never a write onto Object.prototype. Inputs are mutations of
// the real specs in experiments/ (wrong types, huge numbers, NaN, negatives, deep
// nesting, __proto__/constructor/prototype keys, unknown keys, long strings, random
// bytes, duplicated keys, aliases) and random --set strings. 2,300 cases per run, in
// process. Inputs are bounded (strings to 100,000 characters, nesting to 300 levels)
// so that each case is quick; a hang is caught by vitest's test timeout, not timed here.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { specText } from '../../src/experiment/input.ts';
import { parseSpecText, resolveSpec, validateSpec } from '../../src/experiment/load.ts';

const DIR = resolve(import.meta.dirname, '../../experiments');
const SPECS = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: join(DIR, f), text: readFileSync(join(DIR, f), 'utf8') }));
const OBJECTS = SPECS.map((s) => ({ file: s.file, value: YAML.parse(s.text) as unknown }));

/** What every outcome must be: a result, or a SpecError naming the file and a field, saying what is allowed. */
function expectClear(file: string, attempt: () => unknown): void {
  try {
    attempt();
  } catch (e) {
    if (!(e instanceof SpecError)) throw new Error(`not a SpecError: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
    const msg = e.message;
    expect(msg.startsWith(`${file}: `) || e.problems.some((p) => p.file !== undefined)).toBe(true);
    expect(msg).toMatch(/: (field "(?:[^"\\]|\\.)*"|the file|line \d+|header \(line \d+\)[^:]*|data row \d+[^:]*): /);
    expect(msg).toContain('; allowed: ');
    for (const p of e.problems) if (!/more problem/.test(p.message)) expect(p.allowed, p.message).toBeTruthy();
    expect(e.problems.length).toBeLessThanOrEqual(22);
    expect(msg.length).toBeLessThan(60_000);
    expect(msg).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace inside
  }
}

afterEach(() => {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).X).toBeUndefined();
});

/** Every path (as keys) to a value in a spec object. */
function pathsOf(value: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return out;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  // defineProperty: a key named __proto__ becomes an own key, as JSON.parse makes it
  Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return root;
}

const nested = (depth: number, leaf: unknown, asList: boolean): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asList ? [v] : { a: v };
  return v;
};

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', '', ' ', '0', 'rounds', 'a.b');
const badValue = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 0, 1e308, -1e308, 2 ** 53 + 1, 1e9 + 1, 0.5, 1e-320, null, true, false, '', [], {}),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 1, maxLength: 4 }).map((s) => s.repeat(25_000)),
  fc.anything({ maxDepth: 3 }),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.boolean()).map(([d, l]) => nested(d, 1, l)),
  fc.tuple(hostileKey, fc.anything({ maxDepth: 1 })).map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(v ?? null) ?? 'null'}}`) as unknown),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.integer(), { maxKeys: 50 }),
);

describe('fuzzed spec objects (mutations of experiments/*.yaml)', () => {
  it('validate or give a clear SpecError', () => {
    fc.assert(
      fc.property(fc.nat(OBJECTS.length - 1), fc.nat(), badValue, fc.boolean(), (s, p, value, viaResolve) => {
        const { file, value: original } = OBJECTS[s];
        const spec = structuredClone(original);
        const paths = pathsOf(spec);
        const path = paths[p % paths.length];
        // sometimes a new key beside an existing one instead of a replaced value
        const target = p % 3 === 0 && path.length > 0 ? [...path.slice(0, -1), ['__proto__', 'constructor', 'prototype', 'bogus', 'rule'][p % 5]] : path;
        let mutated: unknown;
        try {
          mutated = setAt(spec, target, value);
        } catch {
          return; // the parent is not an object: nothing to mutate
        }
        // (a string given to resolveSpec is a file path, not a spec: not fuzzed here)
        if (viaResolve && typeof mutated !== 'string') expectClear('<spec object>', () => resolveSpec(mutated));
        else expectClear(file, () => validateSpec(mutated, file));
      }),
      { numRuns: 800, seed: 1201 },
    );
  });
});

/** Text-level damage: random bytes, duplicated lines, aliases, truncation, deep brackets. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 30 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('__proto__: {polluted: 1}\n', 'constructor: 1\n', '  prototype: 1\n', '\0', '\ufeff', '\ud800', '&a ', '*a', '<<: *a\n', '- ', '[', '{', '"', "'", '|', '#', ': ', '\t', '.nan', '.inf', '!!binary AAAA') }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.integer({ min: 30, max: 5000 }) }),
  fc.record({ kind: fc.constant('aliases' as const), depth: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('long' as const), at: fc.nat(), size: fc.integer({ min: 1000, max: 100_000 }) }),
);

function applyMutation(
  text: string,
  m:
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'duplicate'; at: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'deep'; at: number; depth: number }
    | { kind: 'aliases'; depth: number }
    | { kind: 'long'; at: number; size: number },
): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'duplicate': {
      const i = m.at % lines.length;
      return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'deep': {
      const i = m.at % lines.length;
      return [...lines.slice(0, i), `deep: ${'['.repeat(m.depth)}${']'.repeat(m.depth)}`, ...lines.slice(i)].join('\n');
    }
    case 'aliases': {
      // a billion-laughs ladder: each level ten aliases of the one below
      const ladder = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let d = 1; d <= m.depth; d++) ladder.push(`l${d}: &l${d} [${Array(10).fill(`*l${d - 1}`).join(', ')}]`);
      return `${text}\n${ladder.join('\n')}\n`;
    }
    case 'long': {
      const i = m.at % lines.length;
      return [...lines.slice(0, i), `${'k'.repeat(m.size)}: ${'v'.repeat(m.size)}`, ...lines.slice(i)].join('\n');
    }
  }
}
describe('fuzzed spec text', () => {
  it('parses and validates or gives a clear SpecError', () => {
    fc.assert(
      fc.property(fc.nat(SPECS.length - 1), fc.array(textMutation, { minLength: 1, maxLength: 3 }), (s, mutations) => {
        const { file, text } = SPECS[s];
        const damaged = mutations.reduce((t, m) => applyMutation(t, m as Parameters<typeof applyMutation>[1]), text);
        expectClear(file, () => validateSpec(parseSpecText(file, damaged), file));
      }),
      { numRuns: 800, seed: 1202 },
    );
  });

  it('random bytes, as a file would give them, are refused or read as UTF-8 text', () => {
    fc.assert(
      fc.property(fc.nat(SPECS.length - 1), fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.constantFrom('none', 'utf16', 'bom'), (s, junk, at, prefix) => {
        const { file, text } = SPECS[s];
        const body = Buffer.from(text, prefix === 'utf16' ? 'utf16le' : 'utf8');
        const start = prefix === 'utf16' ? Buffer.from([0xff, 0xfe]) : prefix === 'bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
        const i = at % (body.length + 1);
        const bytes = Buffer.concat([start, body.subarray(0, i), junk, body.subarray(i)]);
        expectClear(file, () => validateSpec(parseSpecText(file, specText(file, bytes)), file));
      }),
      { numRuns: 200, seed: 1203 },
    );
  });
});

describe('fuzzed --set strings', () => {
  const segment = fc.oneof(
    fc.constantFrom('params', 'protocol', 'rounds', 'seed', 'issueAreas', 'states', 'rows', 'table', 'mechanisms', 'rule', 'Z', 'r', '0', '1', '2', '99', '-1'),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'),
    fc.string({ maxLength: 8 }),
  );
  const value = fc.oneof(
    fc.constantFrom('1', '-1', '.nan', '.inf', '1e999', 'null', '[1, 2]', '{__proto__: {polluted: 1}}', '{constructor: 1}', '&a [*a]', '[[[[[[', '"unclosed', 'x'.repeat(5000), '', '=', 'a: b'),
    fc.string({ maxLength: 30 }),
    fc.double().map(String),
  );
  it('apply and validate or give a clear SpecError', () => {
    fc.assert(
      fc.property(fc.nat(OBJECTS.length - 1), fc.array(fc.tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), value, fc.boolean()), { minLength: 1, maxLength: 3 }), (s, sets) => {
        const { file, text } = SPECS[s];
        const overrides = sets.map(([path, v, noEq]) => (noEq ? path.join('.') : `${path.join('.')}=${v}`));
        expectClear('<spec object>', () => resolveSpec(parseSpecText(file, text), overrides));
      }),
      { numRuns: 500, seed: 1204 },
    );
  });
});
