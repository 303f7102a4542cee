// The one-loop Fermi round (makeFermiRound, used by createSimulation for one-game
// models under asynchronous updating) against the general step loop it replaces:
// every revision opportunity drawn the same way, every decision by makeDecide, the
// counts kept by setChoice and the model's onSwitch. The two must leave the same
// choices, the same counts and the random stream at the same place after every
// round, for every one-game model, with and without inertia, mutation, selection and
// sampled payoffs.
import { describe, expect, it } from 'vitest';
import type { AnyModel, ModelState } from '../../src/engine/model.ts';
import { setChoice } from '../../src/engine/population.ts';
import { type FermiProtocol, makeDecide, makeFermiRound } from '../../src/engine/protocol.ts';
import { createRng } from '../../src/engine/rng.ts';
import { createSimulation } from '../../src/engine/simulate.ts';
import linearPgg from '../../models/linear-pgg.ts';
import optionalPgg from '../../models/optional-pgg.ts';
import thresholdPgg from '../../models/threshold-pgg.ts';
import clubGood from '../../models/club-good.ts';
import matrixGame from '../../models/matrix-game.ts';
import migrationGovernance from '../../models/migration-governance.ts';

/** The general asynchronous step loop (createSimulation's, for any number of games), as the reference. */
function referenceRun(model: AnyModel, params: object, protocol: FermiProtocol, seed: string, rounds: number) {
  const rng = createRng(seed);
  const state = model.init(params, rng) as ModelState;
  const pop = state.pop;
  const decide = makeDecide(model, params, state, protocol, rng);
  const { size: Z, games: G, strategies: K } = pop;
  const history: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < Z; i++) {
      const a = Math.floor(rng() * Z);
      if (protocol.revisionRate < 1 && rng() >= protocol.revisionRate) continue;
      for (let g = 0; g < G; g++) {
        const to = protocol.mutation > 0 && rng() < protocol.mutation ? Math.floor(rng() * K) : decide(a, g);
        if (to !== pop.choice[a * G + g]) {
          const from = setChoice(pop, a, g, to);
          model.onSwitch?.(state, a, g, from, to);
        }
      }
    }
    history.push(`${pop.choice.join('')}|${pop.counts.join(',')}`);
  }
  return { history, next: rng() };
}

function engineRun(model: AnyModel, params: object, protocol: FermiProtocol, seed: string, rounds: number) {
  const sim = createSimulation(model, params, protocol, seed);
  const history: string[] = [];
  for (let round = 0; round < rounds; round++) {
    sim.step();
    history.push(`${sim.state.pop.choice.join('')}|${sim.state.pop.counts.join(',')}`);
  }
  return { history, next: sim.rng() };
}

const fermi = (selectionIntensity: number, revisionRate: number, mutation: number): FermiProtocol => ({
  rule: 'fermi',
  selectionIntensity,
  revisionRate,
  mutation,
  updating: 'async',
});

const games: [string, AnyModel, object][] = [
  ['linear-pgg, expected payoffs', linearPgg, { Z: 60, r: 4 }],
  ['linear-pgg, sampled payoffs (draws inside the payoff)', linearPgg, { Z: 60, r: 4, payoffs: 'sampled' }],
  ['optional-pgg (3 strategies)', optionalPgg, { Z: 60 }],
  ['threshold-pgg', thresholdPgg, { Z: 60 }],
  ['club-good', clubGood, { Z: 60 }],
  ['matrix-game', matrixGame, { Z: 60 }],
];

describe('makeFermiRound gives the general step loop’s trajectory exactly', () => {
  for (const [name, model, raw] of games) {
    for (const protocol of [fermi(1, 1, 0.01), fermi(10, 0.5, 0), fermi(0, 1, 0.2), fermi(0.5, 0.3, 0.05)]) {
      it(`${name}, beta ${protocol.selectionIntensity}, revision rate ${protocol.revisionRate}, mutation ${protocol.mutation}`, () => {
        const params = model.params.parse(raw) as object;
        const seed = `fermi-round-${name}-${protocol.selectionIntensity}`;
        const expected = referenceRun(model, params, protocol, seed, 25);
        const got = engineRun(model, params, protocol, seed, 25);
        // the population must move at all, or the comparison would say little
        expect(new Set(expected.history).size).toBeGreaterThan(5);
        expect(got.history).toEqual(expected.history);
        expect(got.next).toBe(expected.next);
      });
    }
  }
});

describe('makeFermiRound applies only where it is exact', () => {
  const params = linearPgg.params.parse({ Z: 20 });
  const state = () => linearPgg.init(params, createRng('x'));
  it('builds a round for the plain Fermi rule, asynchronous, one game', () => {
    expect(makeFermiRound(linearPgg, state(), fermi(1, 1, 0), createRng('x'))).not.toBeNull();
  });
  it('leaves synchronous updating, other rules and the unequal-state options to the general loop', () => {
    expect(makeFermiRound(linearPgg, state(), { ...fermi(1, 1, 0), updating: 'sync' }, createRng('x'))).toBeNull();
    expect(makeFermiRound(linearPgg, state(), { rule: 'logit', temperature: 0.1, revisionRate: 1, mutation: 0, updating: 'async' }, createRng('x'))).toBeNull();
    expect(makeFermiRound(linearPgg, state(), { ...fermi(1, 1, 0), compare: 'perCapacity' }, createRng('x'))).toBeNull();
    expect(makeFermiRound(linearPgg, state(), { ...fermi(1, 1, 0), peers: 'class' }, createRng('x'))).toBeNull();
  });
  it('leaves a model of several games to the general loop', () => {
    const p = migrationGovernance.params.parse({});
    expect(makeFermiRound(migrationGovernance, migrationGovernance.init(p, createRng('x')), fermi(1, 1, 0), createRng('x'))).toBeNull();
  });
});
