// The charts a spec chooses: `charts:` validated against the model's metrics and the
// sweep's factors (errors naming the field, the value and what is allowed), and
// chosenCharts drawing exactly the charts asked for.
import { describe, expect, it } from 'vitest';
import { chartRequests, chosenCharts } from '../../src/charts/chosen.ts';
import { validateSpec } from '../../src/experiment/load.ts';
import { SpecError } from '../../src/experiment/errors.ts';
import { EXCL, RIV, SWEEP_WORDS, syntheticSweep } from './helpers.ts';

const sweepSpec = (charts: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'c',
  model: 'migration-governance',
  metrics: ['refugee_in_force', 'welfare'],
  charts,
  sweep: { design: 'grid', factors: [{ path: 'params.mechanisms.minimumParticipation', values: [0.1, 0.5] }, { path: 'protocol.temperature', values: [0.1, 1] }] },
  ...extra,
});

function problems(spec: unknown): string[] {
  try {
    validateSpec(spec, 'spec.yaml');
  } catch (e) {
    if (e instanceof SpecError) return e.problems.map((p) => `${p.field}: ${p.message}; allowed: ${p.allowed ?? ''}`);
    throw e;
  }
  return [];
}

describe('charts: in a spec', () => {
  it('takes metrics of the model with kinds and swept factors on the axes', () => {
    expect(problems(sweepSpec([{ metric: 'refugee_in_force', kind: 'phase' }, { metric: 'welfare', kind: 'response', x: 'protocol.temperature', by: 'params.mechanisms.minimumParticipation' }]))).toEqual([]);
  });
  it('refuses an unknown metric, kind or factor, naming the field and what is allowed', () => {
    const found = problems(sweepSpec([{ metric: 'refugee_in_forse', kind: 'phase' }, { metric: 'welfare', kind: 'response', x: 'protocol.temprature' }]));
    expect(found.join('\n')).toMatch(/charts\.0\.metric: unknown metric "refugee_in_forse" .*did you mean "refugee_in_force"/);
    expect(found.join('\n')).toMatch(/charts\.1\.x: "protocol\.temprature" is not a swept factor \(did you mean "protocol\.temperature"\?\); allowed: one of the sweep's factors/);
    expect(problems(sweepSpec([{ metric: 'welfare', kind: 'pie' }])).join('\n')).toMatch(/charts\.0\.kind.*series.*response.*phase/s);
  });
  it('refuses a metric of the model that metrics: does not keep', () => {
    expect(problems(sweepSpec([{ metric: 'refugee_gap', kind: 'response' }])).join('\n')).toMatch(/charts\.0\.metric: metric "refugee_gap" is not in this spec's metrics: list/);
  });
  it('refuses a series chart in a sweep (it would average the rounds of different design points)', () => {
    expect(problems(sweepSpec([{ metric: 'welfare', kind: 'series' }])).join('\n')).toMatch(/charts\.0\.kind: a series chart is of one run's replications/);
    expect(problems({ name: 'r', model: 'migration-governance', charts: [{ metric: 'welfare', kind: 'series' }] })).toEqual([]);
  });
  it('refuses a response or phase chart without a sweep, and by on a sampled design', () => {
    expect(problems({ name: 'r', model: 'migration-governance', charts: [{ metric: 'welfare', kind: 'phase' }] }).join('\n')).toMatch(/charts\.0\.kind: a phase chart needs a sweep: section/);
    const lhs = sweepSpec([{ metric: 'welfare', kind: 'response', by: 'protocol.temperature' }], {
      sweep: { design: 'lhs', samples: 4, factors: [{ path: 'params.mechanisms.minimumParticipation', min: 0, max: 1 }, { path: 'protocol.temperature', min: 0.01, max: 1 }] },
    });
    expect(problems(lhs).join('\n')).toMatch(/charts\.0\.by: one line per value of a factor needs a grid design/);
  });
});

describe('chosenCharts', () => {
  const sw = syntheticSweep(4, 3, 3);
  const ctx = { summary: sw.summary, parameters: [EXCL, RIV], design: 'grid', words: SWEEP_WORDS, info: (name: string) => ({ name, description: `the ${name}`, unit: 'payoff units', kind: 'welfare' }), series: () => null };
  it('draws exactly the charts asked for, in order', () => {
    const { explicit, requests } = chartRequests({ charts: [{ metric: 'welfare', kind: 'phase' }, { metric: 'welfare', kind: 'response', x: RIV }] }, [EXCL, RIV]);
    expect(explicit).toBe(true);
    const charts = chosenCharts(requests, ctx);
    expect(charts.map((c) => c.id)).toEqual(['phase-welfare', 'response-welfare-issue-areas-0-rivalry']);
    expect(charts[0].title).toMatch(/^The welfare, by excludability of refugee and rivalry of refugee/);
    expect(charts[1].caption).toContain("One line per value of excludability of refugee");
  });
  it('by default charts every metric of metrics: that no other chart shows, in a sweep', () => {
    const { explicit, requests } = chartRequests({ metrics: ['share_refugee_M', 'welfare'] }, [EXCL, RIV], (m) => m.startsWith('share_'));
    expect(explicit).toBe(false);
    expect(requests).toEqual([
      { metric: 'welfare', kind: 'phase' },
      { metric: 'welfare', kind: 'response' },
    ]);
  });
});
