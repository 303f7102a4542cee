// Level-symmetric norms in migration-governance (mechanisms.normsOnClubs, docs/model.md
// §4.5): norms then withhold a club's benefit from outsiders (G2, G3) as they withhold
// the regime's (G1). Off by default, and the default leaves every payoff as it was.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng.ts';
import model, { absolutePayoff, params as schema, type MigrationState } from '../../models/migration-governance.ts';

const LEVEL_U = 0;
const LEVEL_C = 1;
const LEVEL_M = 2;

function stateWith(normsOnClubs: boolean | undefined, norms: number): MigrationState {
  const p = schema.parse({
    initial: { U: 0.4, C: 0.6, M: 0 },
    mechanisms: { norms, ...(normsOnClubs === undefined ? {} : { normsOnClubs }) },
  });
  return model.init(p, createRng('norms-on-clubs'));
}

/** Every state's payoff at every level in every issue area. */
function payoffs(st: MigrationState): number[] {
  const out: number[] = [];
  for (let i = 0; i < st.N; i++) for (let g = 0; g < st.G; g++) for (const l of [LEVEL_U, LEVEL_C, LEVEL_M]) out.push(absolutePayoff(st, i, g, l));
  return out;
}

describe('mechanisms.normsOnClubs', () => {
  it('false gives exactly the default payoffs (absent option)', () => {
    expect(payoffs(stateWith(false, 0.3))).toEqual(payoffs(stateWith(undefined, 0.3)));
  });

  it('with norms 0 it changes nothing', () => {
    expect(payoffs(stateWith(true, 0))).toEqual(payoffs(stateWith(undefined, 0)));
  });

  it('never raises, and for some states lowers, what a state acting alone gets (it is outside every club)', () => {
    const off = stateWith(undefined, 0.3);
    const on = stateWith(true, 0.3);
    let lower = 0;
    for (let i = 0; i < off.N; i++) {
      for (let g = 0; g < off.G; g++) {
        const u0 = absolutePayoff(off, i, g, LEVEL_U);
        const u1 = absolutePayoff(on, i, g, LEVEL_U);
        expect(u1).toBeLessThanOrEqual(u0 + 1e-12);
        if (u1 < u0 - 1e-12) lower++;
      }
    }
    // 60 % of the states start in clubs: outsiders see clubs' provision, so some lose
    expect(lower).toBeGreaterThan(0);
  });
});
