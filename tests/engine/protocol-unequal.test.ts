// Learning for unequal states (src/engine/protocol.ts): Fermi imitation within a peer
// class and on payoffs per unit of capacity, Roth-Erev reinforcement on the
// advantage over the status quo. Tiny models whose payoffs are written out here.
//
// Frequencies are checked to 5 standard errors of a binomial proportion: a false
// alarm has probability about 6e-7 per check.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { Model, ModelState } from '../../src/engine/model.ts';
import { createPopulation, type Population, setChoice } from '../../src/engine/population.ts';
import { type FermiProtocol, makeDecide, protocolProblems, type RothErevProtocol } from '../../src/engine/protocol.ts';
import { createRng } from '../../src/engine/rng.ts';
import { validateSpec } from '../../src/experiment/load.ts';

interface TinyState extends ModelState {
  readonly pop: Population;
}

/**
 * One game; agent a plays start[a], is in class cls[a] and has capacity cap[a]; its
 * payoff for strategy s is table[a][s].
 */
function classModel(table: readonly (readonly number[])[], start: readonly number[], cls?: readonly number[], cap?: readonly number[]): Model<object, TinyState> {
  const K = table[0].length;
  return {
    name: 'classes',
    title: 'classes',
    description: 'test model',
    references: [],
    params: z.object({}),
    layout: () => ({ games: ['g'], strategies: table[0].map((_, k) => `s${k}`) }),
    init() {
      const pop = createPopulation(start.length, 1, K);
      start.forEach((s, a) => setChoice(pop, a, 0, s));
      return { pop };
    },
    payoff: (_st, a, _g, s) => table[a][s],
    ...(cls ? { peerClasses: () => ({ count: Math.max(...cls) + 1, basis: 'test' }), peerClass: (_st: TinyState, a: number) => cls[a] } : {}),
    ...(cap ? { capacity: (_st: TinyState, a: number) => cap[a] } : {}),
    metrics: [],
  };
}

const base = { revisionRate: 1, mutation: 0, updating: 'async' as const };

function frequencies(model: Model<object, TinyState>, protocol: FermiProtocol, agent: number, n: number, seed: string): number[] {
  const out = new Array<number>(model.layout({}).strategies.length).fill(0);
  const rng = createRng(seed);
  const decide = makeDecide(model, {}, model.init({}, rng), protocol, rng);
  for (let i = 0; i < n; i++) out[decide(agent, 0)]++;
  return out.map((x) => x / n);
}

function expectProportion(observed: number, p: number, n: number): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  if (se === 0) expect(observed).toBe(p);
  else expect(Math.abs(observed - p)).toBeLessThan(5 * se);
}

describe('fermi, peers: class', () => {
  // agents 0, 1 in class 0 (playing 0 and 1); agents 2, 3 in class 1 (both playing 2)
  const table = [
    [0, 1, 5],
    [0, 1, 5],
    [0, 1, 5],
    [0, 1, 5],
  ];
  const fermi: FermiProtocol = { ...base, rule: 'fermi', selectionIntensity: 1, peers: 'class' };

  it('imitates only a member of its own class: agent 0 sees agent 1 alone, adopting with the Fermi probability', () => {
    const n = 20_000;
    const f = frequencies(classModel(table, [0, 1, 2, 2], [0, 0, 1, 1]), fermi, 0, n, 'class-1');
    expect(f[2]).toBe(0);
    expectProportion(f[1], 1 / (1 + Math.exp(-1)), n);
  });

  it('draws every other member of the class uniformly (class of four, three others on different strategies)', () => {
    const n = 30_000;
    // beta 1e6 and the others all better: adoption is certain, so the frequency is the draw
    const t = [
      [0, 1, 2, 3, 0],
      [0, 1, 2, 3, 0],
      [0, 1, 2, 3, 0],
      [0, 1, 2, 3, 0],
      [0, 1, 2, 3, 0],
    ];
    const f = frequencies(classModel(t, [0, 1, 2, 3, 4], [0, 0, 0, 0, 1]), { ...fermi, selectionIntensity: 1e6 }, 0, n, 'class-2');
    for (const k of [1, 2, 3]) expectProportion(f[k], 1 / 3, n);
    expect(f[4]).toBe(0);
  });

  it('an agent alone in its class keeps its strategy', () => {
    const f = frequencies(classModel(table, [0, 1, 2, 2], [0, 1, 1, 1]), fermi, 0, 1000, 'class-3');
    expect(f[0]).toBe(1);
  });

  it('is refused, naming the field, for a model without classes', () => {
    const m = classModel(table, [0, 1, 2, 2]);
    expect(protocolProblems(m, fermi)[0].field).toBe('protocol.peers');
    expect(() => makeDecide(m, {}, m.init({}, createRng('x')), fermi, createRng('x'))).toThrow(/declares no peer classes/);
  });

  it('a spec asking for classes of a model that has none gets a SpecError naming protocol.peers', () => {
    expect(() =>
      validateSpec({ name: 't', model: 'linear-pgg', protocol: { rule: 'fermi', peers: 'class' }, rounds: 1, replications: 1, seed: 1 }, 'spec.yaml'),
    ).toThrow(/protocol\.peers/);
  });
});

describe('fermi, compare: perCapacity', () => {
  it('compares payoffs divided by capacity: a large state earning more per head loses nothing to a small one earning less absolutely', () => {
    // agent 0 (capacity 10) plays 0 and earns 10 (1 per capacity); agent 1 (capacity 1) plays 1 and earns 3 (3 per capacity)
    const t = [
      [10, 0],
      [0, 3],
    ];
    const n = 20_000;
    const fa = frequencies(classModel(t, [0, 1], undefined, [10, 1]), { ...base, rule: 'fermi', selectionIntensity: 1, compare: 'perCapacity' }, 0, n, 'cap-1');
    expectProportion(fa[1], 1 / (1 + Math.exp(-(3 - 1))), n);
    const fb = frequencies(classModel(t, [0, 1], undefined, [10, 1]), { ...base, rule: 'fermi', selectionIntensity: 1 }, 0, n, 'cap-2');
    expectProportion(fb[1], 1 / (1 + Math.exp(-(3 - 10))), n);
  });

  it('is refused for a model without capacity', () => {
    expect(protocolProblems(classModel([[0, 1]], [0]), { ...base, rule: 'fermi', selectionIntensity: 1, compare: 'perCapacity' })[0].field).toBe('protocol.compare');
  });
});

describe('roth-erev, reinforce: advantage', () => {
  const re: RothErevProtocol = { ...base, rule: 'roth-erev', forgetting: 0, experimentation: 0, initialPropensity: 1, reinforce: 'advantage' };

  it('reinforces a strategy by its gain over the status quo: after one try of the better one, it is played with propensity (1 + gain) / (2 + gain)', () => {
    // status quo 0 pays 2, strategy 1 pays 5: the advantage is 3; playing 0 reinforces nothing
    const t = [[2, 5]];
    const m = classModel(t, [0]);
    const n = 20_000;
    let ones = 0;
    // the choice stays 0 (the engine applies choices, this test does not): two plays per fresh agent
    for (let i = 0; i < n; i++) {
      const r2 = createRng(`adv-${i}`);
      const d = makeDecide(m, {}, m.init({}, r2), re, r2);
      // after 1 the propensities are (1, 4); after the status quo still (1, 1)
      d(0, 0);
      if (d(0, 0) === 1) ones++;
    }
    // P(second play is 1) = 1/2 x 4/5 + 1/2 x 1/2 = 0.65
    expectProportion(ones / n, 0.65, n);
  });

  it('a strategy worse than the status quo is not reinforced (clipped at 0)', () => {
    const t = [[5, 2]];
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const r = createRng(`worse-${i}`);
      const m = classModel(t, [0]);
      const d = makeDecide(m, {}, m.init({}, r), re, r);
      d(0, 0);
      if (d(0, 0) === 1) ones++;
    }
    expectProportion(ones / n, 0.5, n);
  });

  const { reinforce: _advantage, ...fromPayoff } = re;
  it('the default reinforces with the payoff above the model floor (0 here): after playing 0 (pays 2) the propensities are (3, 1)', () => {
    const t = [[2, 5]];
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const r = createRng(`def-${i}`);
      const m = classModel(t, [0]);
      const d = makeDecide(m, {}, m.init({}, r), fromPayoff, r);
      d(0, 0);
      if (d(0, 0) === 1) ones++;
    }
    // second play is 1 with 1/2 x 1/4 (after 0: 3, 1) + 1/2 x 6/7 (after 1: 1, 6)
    expectProportion(ones / n, 0.5 * 0.25 + 0.5 * (6 / 7), n);
  });
});
