// The computed-over-simulated phase diagram builder (src/charts/theory.ts).
import { describe, expect, it } from 'vitest';
import { LEVEL_TERMS } from '../../models/migration-governance.ts';
import { levelsPhaseChart } from '../../src/charts/theory.ts';

const cells = [
  { x: 0, y: 0, simulated: 'M', simulatedShare: 0.99, computed: 'M', withinRounds: 'M' },
  { x: 1, y: 0, simulated: 'C', simulatedShare: 0.9, computed: 'M', withinRounds: 'C' },
  { x: 0, y: 1, simulated: 'U', simulatedShare: 0.8, computed: 'U', withinRounds: 'U' },
  { x: 1, y: 1, simulated: 'U', simulatedShare: 0.8, computed: 'U', withinRounds: 'C' },
];
const options = { xTitle: 'excludability', yTitle: 'rivalry', levels: LEVEL_TERMS, simulatedSource: 'sim', computedSource: 'theory' };

describe('levelsPhaseChart', () => {
  it('one cell per design point, coloured by the simulated level with the model\'s colours, the computed levels as text layers', () => {
    const c = levelsPhaseChart(cells, options);
    const spec = c.spec as unknown as { data: { values: Record<string, unknown>[] }; layer: { mark: { type: string }; encoding: Record<string, { field?: string; scale?: { domain: string[]; range: string[] } }> }[] };
    expect(spec.data.values).toHaveLength(4);
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rect', 'text', 'text']);
    expect(spec.layer[0].encoding.color.scale).toEqual({ domain: LEVEL_TERMS.map((t) => t.label), range: LEVEL_TERMS.map((t) => t.color) });
    expect(spec.layer[1].encoding.text.field).toBe('computed');
    expect(spec.layer[2].encoding.text.field).toBe('within');
    expect(spec.data.values.map((v) => v.simulated)).toEqual(['M multilateral', 'C club', 'U unilateral', 'U unilateral']);
  });
  it('the subtitle counts the cells where theory and simulation agree', () => {
    const text = JSON.stringify(levelsPhaseChart(cells, options).spec);
    expect(text).toContain('in 3 of 4 cells');
    expect(text).toContain('the within-rounds one in 3');
  });
  it('refuses an empty diagram', () => {
    expect(() => levelsPhaseChart([], options)).toThrow(/no cells/);
  });
});
