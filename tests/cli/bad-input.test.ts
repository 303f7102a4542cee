// Bad input: each error names the file and the field, says what is allowed, exits
// with code 2 and writes nothing.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_SPEC, migov, tempDir, writeSpec } from './helpers.ts';

function expectBadInput(args: string[], spec: string | null, patterns: RegExp[]): void {
  const dir = tempDir();
  if (spec !== null) writeSpec(dir, 'spec.yaml', spec);
  const before = readdirSync(dir).sort();
  const r = migov(args, dir);
  expect(r.code, r.stderr).toBe(2);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  expect(readdirSync(dir).sort()).toEqual(before); // nothing written
}

describe('bad input', () => {
  it('malformed YAML names the file, line and column', () => {
    expectBadInput(['run', 'spec.yaml'], 'name: x\nmodel: [linear-pgg\nrounds: 3\n', [/spec\.yaml/, /malformed YAML at line \d+, column \d+/]);
  });

  it('unknown model lists the models and suggests the closest', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('model: linear-pgg', 'model: linear-pg'), [
      /spec\.yaml: field "model": unknown model "linear-pg" \(did you mean "linear-pgg"\?\); allowed: .*linear-pgg/,
    ]);
  });

  it('unknown parameter suggests the closest name', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('r: 3', 'rr: 3'), [
      /spec\.yaml: field "params\.rr": unknown field "rr" \(did you mean "r"\?\); allowed: Z, N, r, c/,
    ]);
  });

  it('mistyped parameter says the type allowed', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('r: 3', 'r: three'), [/field "params\.r": got "three"; allowed: a number >= 0/]);
  });

  it('out-of-range value gives the range', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('mutation: 0.05', 'mutation: 1.5'), [
      /field "protocol\.mutation": got 1\.5; allowed: a number >= 0 and <= 1/,
    ]);
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('Z: 50', 'Z: 3'), [/field "params\.N": got 5: group size N must not exceed population size Z/]);
  });

  it('unknown revision rule lists the rules', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('rule: fermi', 'rule: fermy'), [/field "protocol\.rule": got "fermy"; allowed: one of "fermi", "logit", "roth-erev"/]);
  });

  it('unknown top-level field suggests the closest', () => {
    expectBadInput(['run', 'spec.yaml'], SMALL_SPEC.replace('replications: 3', 'replication: 3'), [/field "replication": unknown field "replication" \(did you mean "replications"\?\)/]);
  });

  it('a bad --set value is flagged as coming from --set', () => {
    expectBadInput(['run', 'spec.yaml', '--set', 'params.c=-2'], SMALL_SPEC, [/field "params\.c": got -2 \(from --set\)/]);
    expectBadInput(['run', 'spec.yaml', '--set', 'nonsense'], SMALL_SPEC, [/--set "nonsense" is not of the form path=value/]);
  });

  it('a missing file is named', () => {
    expectBadInput(['run', 'nope.yaml'], null, [/nope\.yaml: the file: cannot read the spec: no such file/]);
  });

  it('an unwritable output folder is refused before anything runs', () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SMALL_SPEC);
    writeFileSync(join(dir, 'afile'), 'x');
    const r = migov(['run', 'spec.yaml', '--out', 'afile/sub/out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/afile\/sub\/out: cannot write results there/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('one bad spec among several stops all of them before any runs', () => {
    const dir = tempDir();
    writeSpec(dir, 'good.yaml', SMALL_SPEC);
    writeSpec(dir, 'bad.yaml', SMALL_SPEC.replace('name: small', 'name: other').replace('c: 1', 'c: -1'));
    const r = migov(['run', 'good.yaml', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: field "params\.c"/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('hostile input (issue 12): refused with code 2, one line per problem, nothing written', () => {
    const onePerLine = (dir: string, args: string[], pattern: RegExp): string => {
      const before = readdirSync(dir).sort();
      const r = migov(args, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
      for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^(error: )?spec\.yaml: (field "[^"]*"|the file): .*; allowed: |^(error: )?spec\.yaml: the file: and \d+ more problems$/);
      expect(readdirSync(dir).sort()).toEqual(before);
      return r.stderr;
    };
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SMALL_SPEC);
    onePerLine(dir, ['run', 'spec.yaml', '--set', '__proto__.polluted=1'], /field "__proto__\.polluted": --set "__proto__\.polluted=1": "__proto__" is not allowed in a path/);
    onePerLine(dir, ['run', 'spec.yaml', '--set', 'params.c=.nan'], /field "params\.c": got NaN \(from --set\); allowed: a number >= 0/);
    writeSpec(dir, 'spec.yaml', `${SMALL_SPEC}rounds: 30\n`);
    onePerLine(dir, ['run', 'spec.yaml'], /field "rounds": appears twice in one mapping \(line 10\); allowed: each field once per mapping/);
    writeSpec(dir, 'spec.yaml', SMALL_SPEC.replace('rule: fermi, ', ''));
    onePerLine(dir, ['run', 'spec.yaml'], /field "protocol\.rule": missing; allowed: one of "fermi", "logit", "roth-erev"/);
    writeSpec(dir, 'spec.yaml', SMALL_SPEC.replace('c: 1 }', `c: 1, ${Array.from({ length: 10_000 }, (_, i) => `p${i}: 1`).join(', ')} }`));
    const many = onePerLine(dir, ['run', 'spec.yaml'], /spec\.yaml: the file: and 9980 more problems$/m);
    expect(many.trim().split('\n')).toHaveLength(21);
    writeFileSync(join(dir, 'spec.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SMALL_SPEC, 'utf16le')]));
    const binary = onePerLine(dir, ['run', 'spec.yaml'], /spec\.yaml: the file: is not a UTF-8 text file: it starts with a UTF-16 byte-order mark/);
    expect(binary.length).toBeLessThan(300);
  });

  it('an unknown option or command is a usage error with code 2', () => {
    expect(migov(['run', '--frobnicate', 'x.yaml'], tempDir()).code).toBe(2);
    expect(migov(['frobnicate'], tempDir()).code).toBe(2);
  });
});
