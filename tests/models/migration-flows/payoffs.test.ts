// migration-flows: the O(1) payoff reads running aggregates; these must agree with a
// scan. Right after a round's flows, a state's payoff at its own level is its value
// of the flows it faces (per unit of capacity) minus its level's cost; after any
// sequence of switches the aggregates kept by onSwitch equal a rebuild from scratch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { params as schema } from '../../../models/migration-flows/parameters.ts';
import { irregularValue, levelCost, payoff, refugeeValue, skilledValue } from '../../../models/migration-flows/payoffs.ts';
import { onRound, onSwitch, rebuild, zAll, type FlowsState } from '../../../models/migration-flows/state.ts';
import { setChoice } from '../../../src/engine/population.ts';
import { createRng } from '../../../src/engine/rng.ts';

function fresh(seed: number, burdenSharing: boolean): FlowsState {
  const p = schema.parse({ world: { N: 24, regions: 3 }, refugee: { crisisRate: 0.2 }, regime: { minParticipation: 0.2 }, burdenSharing, initial: { U: 0.4, C: 0.3, M: 0.3 } });
  return model.init(p, createRng(`payoffs-${seed}`)) as FlowsState;
}

describe('payoffs from aggregates', () => {
  it('at its own level, right after the round, a state earns its value of the flows per unit of capacity minus its level\'s cost', () => {
    for (const sharing of [true, false]) {
      const st = fresh(1, sharing);
      for (let t = 0; t < 8; t++) onRound(st, t);
      for (let i = 0; i < st.w.N; i++) {
        const cap = st.w.capacity[i];
        const values = [refugeeValue(st, i, st.ref), irregularValue(st, i, st.irr), skilledValue(st, i, st.sk)];
        for (let g = 0; g < 3; g++) {
          const l = st.pop.choice[i * 3 + g];
          expect(payoff(st, i, g, l)).toBeCloseTo(values[g] / cap - levelCost(st.p, l, false), 9);
        }
      }
    }
  });

  it('onSwitch keeps every aggregate equal to a rebuild from scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.boolean(), fc.array(fc.tuple(fc.nat(23), fc.nat(2), fc.nat(2)), { maxLength: 60 }), (seed, sharing, moves) => {
        const st = fresh(seed, sharing);
        for (let t = 0; t < 3; t++) onRound(st, t);
        for (const [i, g, l] of moves) {
          const from = setChoice(st.pop, i, g, l);
          if (from !== l) onSwitch(st, i, g, from, l);
        }
        const kept = [Array.from(st.refAgg), Array.from(st.poolH), Array.from(st.poolCap), Array.from(st.poolF), Array.from(st.poolQ), zAll(st), Array.from(st.skBonus), Array.from(st.capC), Array.from(st.capM), Array.from(st.transitC), Array.from(st.transitM)];
        rebuild(st);
        const again = [Array.from(st.refAgg), Array.from(st.poolH), Array.from(st.poolCap), Array.from(st.poolF), Array.from(st.poolQ), zAll(st), Array.from(st.skBonus), Array.from(st.capC), Array.from(st.capM), Array.from(st.transitC), Array.from(st.transitM)];
        const flat = (x: unknown[]) => x.flat() as number[];
        flat(kept).forEach((v, k) => expect(v).toBeCloseTo(flat(again)[k], 9));
      }),
      { numRuns: 50 },
    );
  });
});
