// The pre-registered flows experiments (experiments/flows-*.yaml, committed before
// the model) name parameter paths and metrics the model must provide. This loads and
// validates them only; tests/validation/flows-patterns.test.ts runs them.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpec, modelOf } from '../../../src/experiment/load.ts';
import { outcomeDeclarations } from '../../../src/engine/model.ts';

const DIR = join(import.meta.dirname, '../../../experiments');
const FILES = ['flows-baseline.yaml', 'flows-pattern-1-hosting.yaml', 'flows-pattern-2-typology.yaml', 'flows-pattern-3-remote-protection.yaml', 'flows-robustness.yaml'];

describe('the pre-registered flows experiments', () => {
  it.each(FILES)('%s validates against migration-flows', (file) => {
    const spec = loadSpec(join(DIR, file));
    expect(spec.model).toBe('migration-flows');
  });

  it('the metrics the hypotheses name are declared', () => {
    const spec = loadSpec(join(DIR, 'flows-baseline.yaml'));
    const names = outcomeDeclarations(modelOf(spec), spec.params).metrics.map((m) => m.name);
    const areas = ['refugee', 'irregular', 'skilled'];
    const wanted = ['refugee_hosted_low_income', 'refugee_M_destination'];
    for (const a of areas) {
      for (const l of ['U', 'C', 'M']) wanted.push(`share_${a}_${l}`);
      wanted.push(`${a}_excludability`, `${a}_rivalry`);
      for (const l of ['U', 'C', 'M']) for (const r of ['origin', 'transit', 'destination']) wanted.push(`${a}_${l}_${r}`);
    }
    for (const m of wanted) expect(names).toContain(m);
    expect(spec.params).toMatchObject({ burdenSharing: true, refugee: { onward: 0.3 }, world: { N: 60, regions: 4 }, regime: { minParticipation: 0.1 } });
  });
});
