// Property: whatever a user writes in a spec's sweep section, validation and planning
// either succeed or throw a SpecError naming a field of the sweep section (or, for a
// design point that breaks a model rule, the field and the point), never another
// exception; and a sweep that fails so writes nothing at all.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { validateSpec } from '../../src/experiment/load.ts';
import type { Spec } from '../../src/experiment/schema.ts';
import { sweep } from '../../src/index.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { tempDir } from '../cli/helpers.ts';

const base = {
  name: 'prop-sweep',
  model: 'linear-pgg',
  params: { Z: 20, N: 4, r: 3, c: 1 },
  protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.1 },
  rounds: 2,
  replications: 1,
  seed: 1,
};

const sections: Record<string, unknown>[] = [
  { design: 'grid', factors: [{ path: 'params.r', values: [1, 2] }, { path: 'protocol.mutation', min: 0, max: 0.2, steps: 3 }] },
  { design: 'lhs', samples: 5, factors: [{ path: 'params.r', min: 1, max: 6 }, { path: 'params.Z', min: 10, max: 40, integer: true }] },
  { design: 'sobol', samples: 4, bootstrap: 10, factors: [{ path: 'params.r', min: 1, max: 6 }, { path: 'protocol.selectionIntensity', min: 0.1, max: 10, scale: 'log' }] },
  { design: 'morris', samples: 3, levels: 4, factors: [{ path: 'params.r', min: 1, max: 6 }, { path: 'protocol.mutation', min: 0, max: 0.5 }] },
];

type Key = string | number;
const fieldPaths: Key[][] = [
  [], ['design'], ['factors'], ['factors', 0], ['factors', 1], ['factors', 2], ['factors', 0, 'path'], ['factors', 1, 'path'],
  ['factors', 0, 'values'], ['factors', 0, 'values', 0], ['factors', 0, 'min'], ['factors', 0, 'max'], ['factors', 1, 'steps'],
  ['factors', 0, 'scale'], ['factors', 0, 'integer'], ['factors', 0, 'bogus'], ['samples'], ['levels'], ['bootstrap'], ['series'], ['bogus'],
];

// paths a user might plausibly (and wrongly) sweep, among them ones that would reach Object.prototype
const sweepPaths = [
  'params.r', 'params.Z', 'params.N', 'params.nope', 'params.r.x', 'params.initial.C', 'params.initial', 'params.payoffs', 'protocol.rule',
  'protocol.temperature', 'rounds', 'recordEvery', 'replications', 'name', 'seed', 'params.__proto__.x', 'params.constructor.prototype.x',
  'params.toString', 'params.0', 'protocol..mutation', '',
];

const anyValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(...sweepPaths),
  fc.constantFrom('grid', 'lhs', 'sobol', 'morris', 'linear', 'log', 'Grid'),
  fc.double(),
  fc.integer({ min: -5, max: 2 ** 20 }),
  fc.array(fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constantFrom('a', 'expected', 'sampled')), { maxLength: 4 }),
  fc.array(fc.record({ path: fc.constantFrom(...sweepPaths), values: fc.array(fc.integer({ min: -2, max: 50 }), { maxLength: 3 }) }), { maxLength: 3 }),
  fc.constant(null),
  fc.constant(undefined),
);

function mutate(section: Record<string, unknown>, edits: [Key[], unknown][]): Record<string, unknown> {
  const spec = structuredClone(base) as Record<string, unknown>;
  spec.sweep = structuredClone(section);
  for (const [path, value] of edits) {
    if (path.length === 0) {
      spec.sweep = value;
      continue;
    }
    let node = spec.sweep as Record<Key, unknown>;
    for (const k of path.slice(0, -1)) {
      if (node === null || typeof node !== 'object') break;
      node = node[k] as Record<Key, unknown>;
    }
    if (node !== null && typeof node === 'object') node[path[path.length - 1]] = value;
  }
  return spec;
}

const edits = fc.array(fc.tuple(fc.constantFrom(...fieldPaths), anyValue), { minLength: 1, maxLength: 3 });

/** Design points a validated sweep would have: planned only when small, so that a test stays fast. */
function designSize(spec: Spec): number {
  const s = spec.sweep;
  if (!s) return 0;
  const k = s.factors.length;
  if (s.design === 'grid') return s.factors.reduce((n, f) => n * (f.values?.length ?? f.steps ?? 1), 1);
  if (s.design === 'lhs') return s.samples!;
  if (s.design === 'sobol') return s.samples! * (k + 2);
  return s.samples! * (k + 1);
}

function expectSweepProblem(e: unknown): void {
  if (!(e instanceof SpecError)) throw e;
  expect(e.message).toMatch(/^p\.yaml: /);
  for (const p of e.problems) {
    // a field of the sweep section, or a model field at a named design point
    if (!p.field.startsWith('sweep')) expect(`${p.field}: ${p.message}`).toMatch(/^\S+: .*\(at sweep point \d+: /);
  }
}

/** Validates and, if small enough, plans; returns whether it failed (with a SpecError); undefined when skipped. */
function check(spec: unknown): boolean | undefined {
  let valid: Spec;
  try {
    valid = validateSpec(structuredClone(spec), 'p.yaml');
  } catch (e) {
    expectSweepProblem(e);
    return true;
  }
  if (designSize(valid) > 300) return undefined;
  try {
    planSweep(valid, 'p.yaml');
    return false;
  } catch (e) {
    expectSweepProblem(e);
    return true;
  }
}

describe('malformed sweep sections', () => {
  it('start from sections that are valid', () => {
    for (const s of sections) expect(check(mutate(s, []))).toBe(false);
  });

  it('never crash validation or planning: they pass or throw a SpecError naming a sweep field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sections), edits, (section, e) => {
        check(mutate(section, e));
        // no path reaches Object.prototype
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 600, seed: 5 },
    );
  });

  it('never crash planning when a grid sweeps any path with any values (most such points break a model rule)', () => {
    const factor = fc.record({
      path: fc.constantFrom(...sweepPaths),
      values: fc.array(fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.boolean(), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(factor, { minLength: 1, maxLength: 2 }), (factors) => {
        check({ ...structuredClone(base), sweep: { design: 'grid', factors } });
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('name the field in a few known cases', () => {
    const problem = (spec: unknown) => {
      try {
        planSweep(validateSpec(spec, 'p.yaml'), 'p.yaml');
      } catch (e) {
        return (e as SpecError).problems.map((p) => p.field);
      }
      return [];
    };
    expect(problem(mutate(sections[0], [[['design'], 'factorial']]))).toEqual(['sweep.design']);
    expect(problem(mutate(sections[0], [[['factors', 0, 'path'], 'params.__proto__.x']]))).toEqual(['sweep.factors.0.path']);
    expect(problem(mutate(sections[0], [[['factors', 1, 'path'], 'params.r']]))).toEqual(['sweep.factors.1.path']);
    expect(problem(mutate(sections[1], [[['samples'], undefined]]))).toEqual(['sweep.samples']);
    expect(problem(mutate(sections[2], [[['samples'], 2 ** 19 + 1]]))).toEqual(['sweep.samples']);
    expect(problem(mutate(sections[3], [[['factors', 0, 'max'], 0]]))).toEqual(['sweep.factors.0']);
    expect(problem(mutate(sections[0], [[['factors', 0, 'values'], [2, 'x']]]))).toEqual(['params.r']);
  });

  it('leave no folder behind when they fail', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sections), edits, async (section, e) => {
        const spec = mutate(section, e);
        fc.pre(check(spec) === true);
        await expect(sweep(spec as never, { resultsDir: dir, workers: 1 })).rejects.toThrow(SpecError);
        expect(readdirSync(dir)).toEqual([]);
      }),
      { numRuns: 150, seed: 9 },
    );
  });
});
