// The report's rerun line gives the command that reruns the folder from its manifest,
// and a sweep's report never tells users to `migov run` its spec.
import { describe, expect, it } from 'vitest';
import type { ResultData } from '../../src/charts/types.ts';
import { reportHtml } from '../../src/report/html.ts';

function html(kind: 'run' | 'sweep'): string {
  const spec = { name: 'pgg', model: 'linear-pgg', params: { r: 3 }, protocol: { rule: 'fermi' }, ...(kind === 'sweep' ? { sweep: { design: 'grid', factors: [] } } : {}) };
  const data: ResultData = {
    manifest: { kind: kind === 'sweep' ? 'sweep' : undefined, spec, specHash: 'x', replications: [] },
    series: [],
    final: [],
    ...(kind === 'sweep' ? { runs: [], summary: [] } : {}),
  };
  return reportHtml({ data, charts: [], files: [] });
}

describe('the report rerun line', () => {
  it('gives `migov run <folder>/manifest.json` for a run', () => {
    const text = html('run');
    expect(text).toContain('<code>migov run &lt;this folder&gt;/manifest.json</code>');
    expect(text).toContain('<code>migov run results/pgg/manifest.json</code>');
  });

  it('gives `migov sweep <folder>/manifest.json` for a sweep, and never `migov run`', () => {
    const text = html('sweep');
    expect(text).toContain('<code>migov sweep &lt;this folder&gt;/manifest.json</code>');
    expect(text).not.toMatch(/migov run/);
  });
});
