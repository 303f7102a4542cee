// Held choices (ForcedMove, src/engine/simulate.ts) and a spec's `moves`
// (src/experiment/moves.ts): what a classroom session saves and `migov run` replays.
import { describe, expect, it } from 'vitest';
import { findModel } from '../../models/index.ts';
import { createSimulation, simulate } from '../../src/engine/simulate.ts';
import { resolveMoves } from '../../src/experiment/moves.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { defaultClassroomSpec } from '../../src/classroom/session.ts';

const spec = resolveSpec(defaultClassroomSpec());
const model = findModel(spec.model)!;

describe('held choices', () => {
  it('leave a run without moves as it was (no moves, or an empty list)', () => {
    const opts = { seed: 'abc', rounds: 15, recordEvery: 1 };
    const plain = simulate(model, spec.params, spec.protocol, opts);
    expect(simulate(model, spec.params, spec.protocol, { ...opts, moves: [] })).toEqual(plain);
  });

  it('hold for their round: the agent plays the level it was given and the learning rule does not revise it', () => {
    const sim = createSimulation(model, spec.params, spec.protocol, 'abc');
    const G = sim.state.pop.games;
    const free = createSimulation(model, spec.params, spec.protocol, 'abc');
    let differs = false;
    for (let r = 1; r <= 15; r++) {
      sim.step([{ round: r, agent: 3, game: 0, strategy: 2 }, { round: r, agent: 3, game: 1, strategy: 0 }]);
      free.step();
      expect(sim.state.pop.choice[3 * G]).toBe(2);
      expect(sim.state.pop.choice[3 * G + 1]).toBe(0);
      if (free.state.pop.choice[3 * G] !== 2 || free.state.pop.choice[3 * G + 1] !== 0) differs = true;
    }
    // the agent left to the rule would have played otherwise at least once, so holding did something
    expect(differs).toBe(true);
  });

  it('refuse an agent, game or strategy out of range', () => {
    const sim = createSimulation(model, spec.params, spec.protocol, 'abc');
    expect(() => sim.step([{ round: 1, agent: 12, game: 0, strategy: 0 }])).toThrow(/agent must be 0..11/);
    expect(() => sim.step([{ round: 1, agent: 0, game: 0, strategy: 3 }])).toThrow(/strategy 0..2/);
  });
});

describe("a spec's moves", () => {
  it('name every state, issue area and level that does not exist, and a second choice in the same round', () => {
    const r = resolveMoves(model, spec.params, [
      { round: 1, state: 12, area: 'refugee', level: 'M' },
      { round: 1, state: 0, area: 'refuge', level: 'M' },
      { round: 1, state: 0, area: 'skilled', level: 'X' },
      { round: 2, state: 1, area: 'skilled', level: 'C' },
      { round: 2, state: 1, area: 'skilled', level: 'U' },
    ]);
    expect(r.problems.map((p) => p.field)).toEqual(['moves.0.state', 'moves.1.area', 'moves.2.level', 'moves.4']);
    expect(r.problems[1].allowed).toBe('refugee, irregular, skilled');
  });

  it('are refused by the spec schema when malformed (round 0, unknown fields)', () => {
    expect(() => resolveSpec({ ...defaultClassroomSpec(), moves: [{ round: 0, state: 0, area: 'refugee', level: 'M' }] })).toThrow(/moves/);
    expect(() => resolveSpec({ ...defaultClassroomSpec(), moves: [{ round: 1, state: 0, area: 'refugee', level: 'M', seat: 2 }] })).toThrow(/moves/);
  });
});
