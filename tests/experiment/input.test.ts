// The limits and rules of spec input (src/experiment/input.ts, issue 12 part 3): each
// refusal names the file, the place and the limit; each limit is checked on both sides.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError, closest } from '../../src/experiment/errors.ts';
import { MAX_DEPTH, MAX_SPEC_BYTES, MAX_VALUES } from '../../src/experiment/input.ts';
import { loadSpec, parseSpecText, resolveSpec, validateSpec } from '../../src/experiment/load.ts';
import { tempDir } from '../cli/helpers.ts';

const BASE = 'name: t\nmodel: linear-pgg\nparams: { Z: 20, N: 4, r: 3, c: 1 }\nrounds: 2\n';

function refusal(attempt: () => unknown): string {
  try {
    attempt();
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
}

const parse = (text: string) => parseSpecText('s.yaml', text);

afterEach(() => expect(Object.keys(Object.prototype)).toEqual([]));

describe('keys that would reach Object.prototype', () => {
  it('are refused in YAML, JSON and objects, at any depth', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(refusal(() => parse(BASE.replace('c: 1', `c: 1, ${key}: {polluted: 1}`)))).toMatch(new RegExp(`^s\\.yaml: field "params\\.${key}": field name "${key}" is not allowed \\(line 3\\); allowed: any field name but __proto__`));
      expect(refusal(() => parse(`{"name": "t", "protocol": {"x": [{"${key}": 1}]}}`))).toMatch(new RegExp(`field "protocol\\.x\\.0\\.${key}"`));
      expect(refusal(() => resolveSpec(JSON.parse(`{"name": "t", "model": "linear-pgg", "params": {"${key}": {"polluted": 1}}}`)))).toMatch(new RegExp(`^<spec object>: field "params\\.${key}"`));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('are refused in --set paths and --set values', () => {
    for (const path of ['__proto__.polluted', 'params.__proto__.X', 'protocol.__proto__.X', 'params.constructor.prototype.X', 'prototype']) {
      expect(refusal(() => resolveSpec(parse(BASE), [`${path}=1`]))).toMatch(/is not allowed in a path; allowed: paths of spec fields; never __proto__, constructor or prototype/);
    }
    expect(refusal(() => resolveSpec(parse(BASE), ['params.payoffs={__proto__: {polluted: 1}}']))).toMatch(/field "params\.payoffs\.__proto__": --set "params\.payoffs=\{__proto__: \{polluted: 1\}\}": field name "__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('--set into lists', () => {
  const migration = 'name: t\nmodel: migration-governance\n';
  it('sets a list entry by position, the list filled in from the model default when the spec leaves it out', () => {
    const spec = resolveSpec(parse(migration), ['params.issueAreas.0.excludability=0.5']);
    const areas = spec.params.issueAreas as { name: string; excludability: number }[];
    expect(areas.map((a) => a.name)).toEqual(['refugee', 'irregular', 'skilled']);
    expect(areas[0].excludability).toBe(0.5);
    expect(areas[1].excludability).toBe(0.6);
  });

  it('a position out of range or not a number names the list and its positions', () => {
    expect(refusal(() => resolveSpec(parse(migration), ['params.issueAreas.3.excludability=0.5']))).toMatch(/--set "params\.issueAreas\.3\.excludability=0\.5": position 3 is out of range: params\.issueAreas has 3 entries; allowed: a position 0\.\.2/);
    expect(refusal(() => resolveSpec(parse(migration), ['params.issueAreas.first.excludability=0.5']))).toMatch(/params\.issueAreas is a list: "first" is not a position in it; allowed: a position 0\.\.2/);
    expect(refusal(() => resolveSpec(parse(BASE), ['params.r.0=1']))).toMatch(/field "params\.r\.0": --set "params\.r\.0=1": "r" is not a mapping or list/);
  });
});

describe('limits', () => {
  it(`nesting: ${MAX_DEPTH} levels are read, ${MAX_DEPTH + 1} are not, and 100,000 are refused before parsing`, () => {
    const deep = (n: number) => `${BASE}description: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`;
    expect(() => parse(deep(MAX_DEPTH))).not.toThrow();
    expect(refusal(() => parse(deep(MAX_DEPTH + 1)))).toMatch(/nests deeper than 64 levels; allowed: mappings and lists nested at most 64 levels deep/);
    expect(refusal(() => parse(deep(100_000)))).toMatch(/^s\.yaml: the file: nests deeper than 64 levels \(at line 5\)/);
    expect(refusal(() => parse(`a:\n${'- '.repeat(50_000)}1\n`))).toMatch(/nests deeper than 64 levels/);
  });

  it('duplicate keys, at any depth, name the field and line', () => {
    expect(refusal(() => parse(`${BASE}protocol:\n  rule: fermi\n  mutation: 0.1\n  mutation: 0.2\n`))).toMatch(/^s\.yaml: field "protocol\.mutation": appears twice in one mapping \(line 8\); allowed: each field once per mapping$/);
  });

  it('20,000 unknown keys: the first 20 and a count, suggestions included; 30,000 are refused by their number', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`).join('\n');
    const msg = refusal(() => validateSpec(parse(`name: t\nmodel: linear-pgg\nparams:\n${many}\n`), 's.yaml'));
    expect(msg.split('\n')).toHaveLength(21);
    expect(msg).toMatch(/^s\.yaml: field "params\.k0": unknown field "k0" \(did you mean "Z"\?\); allowed: Z, N, r, c/);
    expect(msg).toMatch(/s\.yaml: the file: and 19980 more problems$/);
    const more = Array.from({ length: 30_000 }, (_, i) => `  k${i}: 1`).join('\n');
    expect(refusal(() => parse(`name: t\nmodel: linear-pgg\nparams:\n${more}\n`))).toMatch(/^s\.yaml: the file: has more than 25000 values/);
  });

  it('aliases: a billion laughs is refused; an alias of a huge value is refused by its written-out size', () => {
    const ladder = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let d = 1; d <= 9; d++) ladder.push(`a${d}: &a${d} [${Array(10).fill(`*a${d - 1}`).join(', ')}]`);
    expect(refusal(() => parse(ladder.join('\n')))).toMatch(/expands its aliases too often .*; allowed: at most 100 alias expansions/);
    const big = `a: &a "${'x'.repeat(500_000)}"\nb: [${Array(10).fill('*a').join(', ')}]\n`;
    expect(refusal(() => parse(big))).toMatch(/is more than 4000000 characters and values with its aliases written out; allowed: at most 4000000/);
    expect(parse('a: &a [1, 2]\nb: *a\n')).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it(`values: ${MAX_VALUES} lines and list entries are parsed, more are refused before parsing`, () => {
    // BASE is 7 values (4 lines, 3 commas in params), the description's line 1, each comma one more
    const list = (n: number) => `${BASE}description: [${'1,'.repeat(n - 8)}1]\n`;
    expect(() => parse(list(MAX_VALUES))).not.toThrow();
    expect(refusal(() => parse(list(MAX_VALUES + 1)))).toMatch(/^s\.yaml: the file: has more than 25000 values \(lines and list entries\); allowed: at most 25000 values in a spec; a big population belongs in a state table/);
    expect(refusal(() => parse(`${BASE}${Array.from({ length: MAX_VALUES }, (_, i) => `k${i}: 1`).join('\n')}\n`))).toMatch(/has more than 25000 values/);
  });

  it('a file over the size limit is refused before it is read, naming the limit', () => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, `${BASE}description: "${'x'.repeat(MAX_SPEC_BYTES)}"\n`);
    expect(refusal(() => loadSpec(file))).toMatch(/big\.yaml: the file: is \d+ bytes; allowed: a spec file of at most 2097152 bytes \(2 MiB\)/);
  });

  it('a file that is not UTF-8 text names the first bad byte, and is never echoed', () => {
    const dir = tempDir();
    const bad = (name: string, bytes: Buffer) => {
      writeFileSync(join(dir, name), bytes);
      return refusal(() => loadSpec(join(dir, name)));
    };
    expect(bad('latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'))).toMatch(/latin1\.yaml: the file: is not a UTF-8 text file: byte 0xe9 at byte offset 9 \(line 1, column 10\) is not valid UTF-8/);
    expect(bad('nul.yaml', Buffer.from(`${BASE}\0\0\0`))).toMatch(/is not a UTF-8 text file: a NUL byte at byte offset 72 \(line 5, column 1\)/);
    const utf16 = bad('utf16.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(BASE.repeat(1000), 'utf16le')]));
    expect(utf16).toMatch(/it starts with a UTF-16 byte-order mark \(0xfe 0xff\)/);
    expect(utf16.length).toBeLessThan(300);
    writeFileSync(join(dir, 'bom.yaml'), `\ufeff${BASE}`);
    expect(loadSpec(join(dir, 'bom.yaml')).name).toBe('t');
  });
});

describe('clear values in messages', () => {
  it('NaN and Infinity are named, not "null"', () => {
    expect(refusal(() => validateSpec(parse(BASE.replace('r: 3', 'r: .nan')), 's.yaml'))).toMatch(/field "params\.r": got NaN; allowed: a number >= 0/);
    expect(refusal(() => validateSpec(parse(BASE.replace('rounds: 2', 'rounds: -.inf')), 's.yaml'))).toMatch(/field "rounds": got -Infinity; allowed: an integer >= 0/);
  });

  it('a 1 MB string is echoed cut, with its length, and gets no edit-distance search', () => {
    const long = 'a'.repeat(1_000_000);
    const msg = refusal(() => validateSpec(parse(`name: t\nmodel: ${long}\n`), 's.yaml'));
    expect(msg).toMatch(/field "model": unknown model "a{80}…" \(1000000 chars\); allowed: /);
    expect(msg.length).toBeLessThan(500);
    expect(closest(long, ['a'])).toBeUndefined();
  });

  it('a missing revision rule lists the rules', () => {
    expect(refusal(() => validateSpec(parse(`${BASE}protocol: { mutation: 0.1 }\n`), 's.yaml'))).toMatch(/^s\.yaml: field "protocol\.rule": missing; allowed: one of "fermi", "logit", "roth-erev" \(the revision rule\)$/);
  });

  it('objects that are not data are refused: cycles, functions, class instances', () => {
    const cyclic: Record<string, unknown> = { name: 't', model: 'linear-pgg', params: {} };
    (cyclic.params as Record<string, unknown>).self = cyclic;
    expect(refusal(() => resolveSpec(cyclic))).toMatch(/field "params\.self": refers to itself \(a cycle\)/);
    expect(refusal(() => resolveSpec({ name: 't', model: 'linear-pgg', params: { Z: () => 1 } }))).toMatch(/field "params\.Z": got a function/);
    expect(refusal(() => resolveSpec({ name: 't', model: 'linear-pgg', params: { Z: new Map() } }))).toMatch(/field "params\.Z": got a Map/);
  });
});
