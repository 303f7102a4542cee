// Property: whatever a user writes, a spec either validates or fails with a
// SpecError (never another exception), and a failing spec writes nothing.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { parseSpecText, validateSpec } from '../../src/experiment/load.ts';
import { run } from '../../src/index.ts';
import { tempDir } from '../cli/helpers.ts';

const base = {
  name: 'prop',
  model: 'linear-pgg',
  params: { Z: 20, N: 4, r: 3, c: 1 },
  protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.1 },
  rounds: 2,
  replications: 1,
  seed: 1,
};

const fieldPaths = [
  ['name'], ['model'], ['params'], ['params', 'Z'], ['params', 'N'], ['params', 'r'], ['params', 'c'], ['params', 'payoffs'],
  ['params', 'initial'], ['protocol'], ['protocol', 'rule'], ['protocol', 'mutation'], ['protocol', 'selectionIntensity'],
  ['rounds'], ['recordEvery'], ['replications'], ['seed'], ['stop'], ['metrics'], ['bogus'], ['params', 'bogus'],
];

function mutate(path: string[], value: unknown): unknown {
  const spec = structuredClone(base) as Record<string, unknown>;
  let node = spec;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return spec;
}

const anyValue = fc.oneof(fc.anything(), fc.double(), fc.integer({ min: -1e9, max: 1e9 }), fc.string(), fc.constant(null));

describe('malformed specs', () => {
  it('never crash validation: they pass or throw SpecError naming the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fieldPaths), anyValue, (path, value) => {
        try {
          validateSpec(mutate(path, value), 'p.yaml');
        } catch (e) {
          expect(e).toBeInstanceOf(SpecError);
          expect((e as Error).message).toMatch(/^p\.yaml: /);
        }
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('never crash the YAML reader on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          validateSpec(parseSpecText('t.yaml', text), 't.yaml');
        } catch (e) {
          expect(e).toBeInstanceOf(SpecError);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('write nothing when they fail', () => {
    const dir = tempDir();
    fc.assert(
      fc.property(fc.constantFrom(...fieldPaths), anyValue, (path, value) => {
        const spec = mutate(path, value);
        let valid = true;
        try {
          validateSpec(structuredClone(spec), 'p.yaml');
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        expect(() => run(spec as never, { resultsDir: dir })).toThrow(SpecError);
        expect(readdirSync(dir)).toEqual([]);
      }),
      { numRuns: 150, seed: 3 },
    );
  });
});
