// The demo validates its settings with the spec validation `migov run` uses
// (src/experiment/validate.ts), which must therefore import nothing of Node: bundled
// for a browser, it pulls in no node: module. load.ts reads files and hands
// validate.ts a table reader; without one, a spec naming a state table is refused.
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { resolveSpec, validateSpec as validateWithFiles } from '../../src/experiment/load.ts';
import { validateSpec } from '../../src/experiment/validate.ts';
import { DEFAULTS, setup, specOf } from '../../src/demo/settings.ts';
import { applyLesson } from '../../src/demo/lessons.ts';

const ROOT = join(import.meta.dirname, '../..');

async function nodeImports(entry: string): Promise<string[]> {
  const out = await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: 'browser', format: 'iife', write: false, metafile: true, logLevel: 'silent', external: ['node:*'] });
  return Object.values(out.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.path.startsWith('node:')).map((x) => x.path));
}

describe('spec validation in the browser', () => {
  it('src/experiment/validate.ts and the demo bundle import no node: module (load.ts does: it reads files)', async () => {
    expect(await nodeImports('src/experiment/validate.ts')).toEqual([]);
    expect(await nodeImports('src/demo/main.ts')).toEqual([]);
    expect(await nodeImports('src/demo/worker.ts')).toEqual([]);
    // the check sees node: imports where there are some
    expect(await nodeImports('src/experiment/load.ts')).toContain('node:fs');
  }, 60_000);

  it('validates as load.ts does; a spec naming a state table is refused where no file can be read', () => {
    const spec = specOf(applyLesson(structuredClone(DEFAULTS), 'treaty'), 50);
    expect(validateSpec(structuredClone(spec), 'x')).toEqual(validateWithFiles(structuredClone(spec), 'x'));
    const withTable = { ...spec, params: { ...(spec.params as object), states: { table: 'states.csv' } } };
    expect(() => validateSpec(withTable, 'page')).toThrow(SpecError);
    expect(() => validateSpec(withTable, 'page')).toThrow(/params\.states\.table.*cannot be read here/);
    expect(() => validateSpec({ ...spec, params: { mechanisms: { norms: 2 } } }, 'page')).toThrow(/params\.mechanisms\.norms/);
  });

  it("the demo's run is the run of the spec it downloads: the same parameters and protocol after validation", () => {
    const s = applyLesson(structuredClone(DEFAULTS), 'crisis');
    const run = setup(s);
    const spec = resolveSpec(specOf(s, 200));
    expect(run.params).toEqual(spec.params);
    expect(run.protocol).toEqual(spec.protocol);
  });
});
