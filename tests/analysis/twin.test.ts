// The analytic value beside the simulated estimate (src/analysis/twin.ts, the report's
// "Analytic twin" section). Seeds: master 'analysis-twin-report', written here before
// the first run and used by no other test. Checks within 4 standard errors (two-sided).
import { describe, expect, it } from 'vitest';
import linear, { params as linearParams } from '../../models/linear-pgg.ts';
import matrix, { params as matrixParams } from '../../models/matrix-game.ts';
import optional, { params as optionalParams } from '../../models/optional-pgg.ts';
import type { FermiProtocol } from '../../src/engine/protocol.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { fermiFixation, gameOfModel, twinComparison } from '../../src/analysis/index.ts';
import { twinSectionHtml } from '../../src/report/twin-section.ts';
import type { ResultData } from '../../src/charts/types.ts';

const MASTER = 'analysis-twin-report';

function finals(model: typeof linear | typeof matrix, p: object, protocol: FermiProtocol, reps: number, rounds: number, absorbing: boolean): number[][] {
  const out: number[][] = [[], []];
  for (let i = 0; i < reps; i++) {
    const r = simulate(model, p, protocol, { seed: runSeed(MASTER, { model: model.name, ...p, protocol }, i), rounds, recordEvery: rounds, stop: { absorbing } });
    const last = r.values[r.values.length - 1];
    out[0].push(last[0]);
    out[1].push(last[1]);
  }
  return out;
}

describe('twinComparison', () => {
  it('runs from one mutant, absorbed: the share that fixed against the fixation probability', () => {
    const p = linearParams.parse({ Z: 10, N: 3, r: 5, initial: { C: 0.1, D: 0.9 } });
    const protocol: FermiProtocol = { rule: 'fermi', selectionIntensity: 0.5, revisionRate: 1, mutation: 0, updating: 'async' };
    const t = twinComparison(linear, p, protocol, finals(linear, p, protocol, 1500, 100_000, true))!;
    expect(t.quantity).toBe('fixation');
    expect(t.analytic).toBeCloseTo(fermiFixation(gameOfModel(linear, p).edge(0, 1), 10, 0.5).rho, 14);
    expect(Math.abs(t.z), JSON.stringify(t)).toBeLessThanOrEqual(4);
  });

  it('runs with mutation: the mean last share against the stationary mean, and a wrong twin would show', () => {
    const p = matrixParams.parse({ Z: 12 });
    const protocol: FermiProtocol = { rule: 'fermi', selectionIntensity: 1, revisionRate: 1, mutation: 0.05, updating: 'async' };
    const shares = finals(matrix, p, protocol, 300, 200, false);
    const t = twinComparison(matrix, p, protocol, shares)!;
    expect(t.quantity).toBe('stationary mean');
    expect(Math.abs(t.z), JSON.stringify(t)).toBeLessThanOrEqual(4);
    // the same runs against the twin of a weaker selection (beta 0.3: stationary mean 0.118 against 0.029): far off
    const off = twinComparison(matrix, p, { ...protocol, selectionIntensity: 0.3 }, shares)!;
    expect(Math.abs(off.z)).toBeGreaterThan(8);
  });

  it('no comparison for three strategies, sync updating or a start that is not one mutant without mutation', () => {
    const q = optionalParams.parse({ Z: 20 });
    const fermi: FermiProtocol = { rule: 'fermi', selectionIntensity: 1, revisionRate: 1, mutation: 0.01, updating: 'async' };
    expect(twinComparison(optional, q, fermi, [[0.1, 0.2], [0.3, 0.4], [0.6, 0.4]])).toBeNull();
    const p = linearParams.parse({ Z: 10 });
    expect(twinComparison(linear, p, { ...fermi, updating: 'sync' }, [[0.1, 0.2], [0.9, 0.8]])).toBeNull();
    expect(twinComparison(linear, p, { ...fermi, mutation: 0 }, [[0, 1], [1, 0]])).toBeNull();
  });

  it("the report's section shows the analytic value, the estimate and z; none for a sweep", () => {
    const spec = { name: 'x', model: 'matrix-game', params: matrixParams.parse({ Z: 12 }), protocol: { rule: 'fermi', selectionIntensity: 1, revisionRate: 1, mutation: 0.05, updating: 'async' } };
    const final = [0.2, 0.4, 0.1, 0.3].map((a, i) => ({ replication: i, share_A: a, share_B: 1 - a }));
    const data = { manifest: { spec }, series: [], final } as unknown as ResultData;
    const html = twinSectionHtml(data)!;
    expect(html.title).toBe('Analytic twin');
    expect(html.body).toContain('stationary mean');
    expect(html.body).toMatch(/<td class="num">-?\d+\.\d\d<\/td><\/tr>/);
    expect(twinSectionHtml({ ...data, manifest: { spec: { ...spec, sweep: { design: 'grid' } } } } as unknown as ResultData)).toBeNull();
  });
});
