// The README's API examples, run as written (importing the package by its name).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, findModel, run, runSeed, simulate, SpecError } from 'migov';
import { tempDir } from './cli/helpers.ts';

describe('the typed API', () => {
  it('run() does what `migov run` does', () => {
    const dir = tempDir();
    const out = run('experiments/public-goods.yaml', { seed: 7, set: ['params.r=6', 'replications=3'], resultsDir: dir });
    expect(out.dir).toBe(`${dir}/public-goods`);
    expect(out.spec.params.r).toBe(6);
    expect(out.spec.seed).toBe(7);
    expect(out.result.replications).toHaveLength(3);
    const manifest = JSON.parse(readFileSync(`${out.dir}/manifest.json`, 'utf8'));
    expect(manifest.specHash).toBe(out.result.specHash);
    expect(out.summary.map((s) => s.metric)).toEqual(['share_C', 'share_D', 'mean_payoff']);
    // r = 6 > N (Z - 1) / (Z - N) ~ 5.02: cooperation wins
    expect(out.summary[0].mean).toBeGreaterThan(0.9);
  });

  it('run() takes a spec object and can skip writing', () => {
    const out = run({ name: 'pgg', model: 'linear-pgg', params: { r: 6 }, replications: 5 }, { out: false });
    expect(out.dir).toBeNull();
    expect(out.result.replications).toHaveLength(5);
    expect(() => run({ name: 'pgg', model: 'linear-pgg', params: { r: -6 } }, { out: false })).toThrow(SpecError);
  });

  it('simulate() and createSimulation() run a model directly, reproducibly', () => {
    const model = findModel('linear-pgg')!;
    const params = model.params.parse({ Z: 100, r: 6 });
    const protocol = { rule: 'fermi', selectionIntensity: 1, mutation: 0, revisionRate: 1, updating: 'async' } as const;
    const seed = runSeed(1, { model: 'linear-pgg', params, protocol }, 0);
    const a = simulate(model, params, protocol, { seed, rounds: 50, recordEvery: 1 });
    const b = simulate(model, params, protocol, { seed, rounds: 50, recordEvery: 1 });
    expect(a).toEqual(b);
    const sim = createSimulation(model, params, protocol, seed);
    for (let i = 0; i < 50; i++) sim.step();
    expect(sim.measure()).toEqual(a.values[a.values.length - 1]);
  });

  it('run() through the API and through the CLI give the same CSV bytes', async () => {
    const { migov } = await import('./cli/helpers.ts');
    const dir = tempDir();
    run('experiments/club-good.yaml', { out: `${dir}/api` });
    const cli = migov(['run', `${process.cwd()}/experiments/club-good.yaml`, '--out', `${dir}/cli`], dir);
    expect(cli.code).toBe(0);
    for (const f of ['series.csv', 'final.csv']) {
      expect(readFileSync(`${dir}/api/${f}`)).toEqual(readFileSync(`${dir}/cli/${f}`));
    }
  });
});
