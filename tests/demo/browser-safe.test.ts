// The demo validates its settings with the spec validation `migov run` uses
// (src/experiment/validate.ts), which must therefore import nothing of Node: bundled
// for a browser, it pulls in no node: module. load.ts reads files and hands
// validate.ts a table reader; without one, a spec naming a state table is refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { loadSpec, resolveSpec, validateSpec as validateWithFiles } from '../../src/experiment/load.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { validateSpec } from '../../src/experiment/validate.ts';
import { DEFAULTS, PHASE_X, PHASE_Y, phasePlan, setup, specOf, toPhaseSpec } from '../../src/demo/settings.ts';
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
    // the phase diagram plans its sweep with `migov sweep`'s planning code
    expect(await nodeImports('src/sweep/plan.ts')).toEqual([]);
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

  it("the phase diagram's runs are the plan `migov sweep` makes of the sweep spec it downloads: the same tasks and seeds", () => {
    const s = { ...applyLesson(structuredClone(DEFAULTS), 'treaty'), N: 20, seed: 7 };
    const g = { nx: 3, ny: 2, replications: 2, rounds: 40 };
    const dir = mkdtempSync(join(tmpdir(), 'migov-phase-plan-'));
    const file = join(dir, 'phase.json');
    writeFileSync(file, toPhaseSpec(s, g));
    const page = phasePlan(s, g);
    const cli = planSweep(loadSpec(file), file);
    expect(page.tasks).toEqual(cli.tasks);
    expect(page.points.map((p) => p.values)).toEqual(cli.points.map((p) => p.values));
    expect(page.specHash).toBe(cli.specHash);
    expect(page.tasks).toHaveLength(12);
    expect(new Set(page.tasks.map((t) => t.seed)).size).toBe(12);
    // every run's excludability and rivalry are the point's, with the page's other settings
    for (const t of page.tasks) {
      const area = (t.params as { issueAreas: { excludability: number; rivalry: number }[] }).issueAreas[0];
      expect([area.excludability, area.rivalry]).toEqual([page.points[t.point].values[PHASE_X], page.points[t.point].values[PHASE_Y]]);
    }
  });

  it("the demo's run is the run of the spec it downloads: the same parameters and protocol after validation", () => {
    const s = applyLesson(structuredClone(DEFAULTS), 'crisis');
    const run = setup(s);
    const spec = resolveSpec(specOf(s, 200));
    expect(run.params).toEqual(spec.params);
    expect(run.protocol).toEqual(spec.protocol);
  });
});
