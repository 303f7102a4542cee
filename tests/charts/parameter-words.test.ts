// A swept parameter is titled in the words of the schema that defines it: the
// model's parameter schema (a field's meta title and unit, its describe text) for
// params.*, the spec schema for protocol.*. The sweep's manifest records them and the
// charts read them; no layer below the model keeps a table of units or parses names.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chartsFor } from '../../src/charts/index.ts';
import { responseCurveChart } from '../../src/charts/sweep.ts';
import type { SummaryRow } from '../../src/charts/types.ts';
import { parameterInfos } from '../../src/experiment/parameters.ts';
import type { Spec } from '../../src/experiment/schema.ts';
import { validateSpec } from '../../src/experiment/load.ts';
import { readResults } from '../../src/report/read.ts';
import { inProcessExecutor } from '../../src/sweep/executor.ts';
import { runSweep } from '../../src/sweep/sweep.ts';
import { tempDir } from '../cli/helpers.ts';
import { render } from './helpers.ts';

describe('swept parameters are titled with their schema\'s words', () => {
  it('a linear-pgg sweep over N: the manifest says "group size" in agents per group, and the response chart\'s x axis says so, not "states"', async () => {
    const spec = validateSpec(
      {
        name: 'pgg-n',
        model: 'linear-pgg',
        params: { Z: 40 },
        protocol: { rule: 'fermi', selectionIntensity: 1 },
        rounds: 3,
        replications: 2,
        seed: 5,
        sweep: { design: 'grid', factors: [{ path: 'params.N', values: [2, 4] }] },
      },
      'pgg-n.yaml',
    );
    const dir = join(tempDir(), 'pgg-n');
    await runSweep(spec, { file: 'pgg-n.yaml', dir, executor: inProcessExecutor() });
    const data = readResults(dir);
    expect(data.manifest.parameters).toEqual({ 'params.N': { label: 'group size', unit: 'agents per group', description: 'group size (must not exceed Z)' } });
    expect(data.parameters?.['params.N']?.label).toBe('group size');
    const response = chartsFor(data).find((c) => c.id.startsWith('response-'));
    expect(response).toBeDefined();
    const r = await render(response!.spec);
    expect(r.axisTitles.some((t) => t.includes('group size') && t.includes('agents per group'))).toBe(true);
    expect(r.axisTitles.join(' | ')).not.toMatch(/states/);
    expect(response!.title).not.toMatch(/params\.N/);
  });

  it('a test model declared here: its field\'s own title, unit and description; a field with only a describe text is labelled with it; a protocol field with the spec schema\'s words', async () => {
    const model = {
      params: z
        .object({
          Z: z.number().int().default(50).meta({ title: 'number of savers', unit: 'agents' }).describe('how many agents save or spend'),
          rate: z.number().default(0.1).describe('interest on the common stock'),
        })
        .strict(),
    };
    const spec = { name: 'wealth', model: 'test-wealth', params: { Z: 50, rate: 0.1 }, protocol: { rule: 'logit', temperature: 0.5, revisionRate: 1, mutation: 0, updating: 'async' } } as unknown as Spec;
    const words = parameterInfos(spec, ['params.Z', 'params.rate', 'protocol.temperature'], model);
    expect(words['params.Z']).toEqual({ label: 'number of savers', unit: 'agents', description: 'how many agents save or spend' });
    expect(words['params.rate']).toEqual({ label: 'interest on the common stock', description: 'interest on the common stock' });
    expect(words['protocol.temperature']).toMatchObject({ label: 'logit temperature', unit: 'payoff units' });
    const summary: SummaryRow[] = [10, 20, 30].flatMap((Z) => [{ 'params.Z': Z, metric: 'mean_wealth', mean: Z / 10, sd: 0.1, ci95: 0.2, n: 3 }]);
    const chart = responseCurveChart(summary, {
      parameter: 'params.Z',
      lines: [{ metric: 'mean_wealth', series: 'common stock per agent' }],
      colorTitle: 'metric',
      colorScale: { domain: ['common stock per agent'], range: ['#333333'] },
      yTitle: 'final common stock per agent (payoff units)',
      shares: false,
      parameters: words,
    });
    const r = await render(chart.spec);
    expect(r.axisTitles.some((t) => t.includes('number of savers') && t.includes('agents'))).toBe(true);
    expect(chart.title).toMatch(/number of savers/);
  });

  it('a folder without parameter words titles a parameter by its path, guessing no unit', async () => {
    const summary: SummaryRow[] = [2, 4].map((N) => ({ 'params.N': N, metric: 'cooperators', mean: N, sd: 0, ci95: 0, n: 2 }));
    const chart = responseCurveChart(summary, { parameter: 'params.N', lines: [{ metric: 'cooperators', series: 'cooperators' }], colorTitle: 'metric', colorScale: { domain: ['cooperators'], range: ['#333333'] }, yTitle: 'final cooperators', shares: false });
    const r = await render(chart.spec);
    expect(r.axisTitles).toContain('params.N');
  });
});
