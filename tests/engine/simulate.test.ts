// The step loop (src/engine/simulate.ts): updating schemes, mutation, inertia,
// recording, stop rules and determinism, on the linear PGG and on tiny models
// written out here.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { Model, ModelState } from '../../src/engine/model.ts';
import { createPopulation, type Population, setChoice } from '../../src/engine/population.ts';
import type { Protocol, Updating } from '../../src/engine/protocol.ts';
import { createSimulation, metricNames, type RunResult, simulate } from '../../src/engine/simulate.ts';
import linearPgg, { type LinearPggParams } from '../../models/linear-pgg.ts';

const pgg = (over: Partial<LinearPggParams> = {}): LinearPggParams => linearPgg.params.parse({ Z: 100, ...over });

type Rule = Protocol['rule'];
const rules: readonly Rule[] = ['fermi', 'logit', 'roth-erev'];
const updatings: readonly Updating[] = ['async', 'sync'];

function protocol(rule: Rule, over: Partial<{ revisionRate: number; mutation: number; updating: Updating; beta: number; T: number }> = {}): Protocol {
  const common = { revisionRate: over.revisionRate ?? 1, mutation: over.mutation ?? 0, updating: over.updating ?? 'async' };
  switch (rule) {
    case 'fermi':
      return { ...common, rule, selectionIntensity: over.beta ?? 1 };
    case 'logit':
      return { ...common, rule, temperature: over.T ?? 0.1 };
    case 'roth-erev':
      return { ...common, rule, forgetting: 0.05, experimentation: 0.05, initialPropensity: 1 };
  }
}

interface TinyState extends ModelState {
  readonly pop: Population;
  /** sum[g] = sum over agents of the strategy index held in game g, kept by onSwitch. */
  readonly sum: Float64Array;
}

/**
 * A model of `games` games with `strategies` strategies each, agents spread over
 * the strategies round-robin (agent a starts on (a + g) mod strategies in game g),
 * with a payoff given as a function of the state. It keeps one aggregate of its own
 * (the sum of strategy indices per game) so that onSwitch is exercised.
 */
function tinyModel(opts: {
  size: number;
  games?: number;
  strategies: number;
  start?: (agent: number, game: number) => number;
  pay: (state: TinyState, agent: number, game: number, s: number) => number;
  minPayoff?: number;
}): Model<object, TinyState> {
  const G = opts.games ?? 1;
  const K = opts.strategies;
  const start = opts.start ?? ((a: number, g: number) => (a + g) % K);
  return {
    name: 'tiny',
    title: 'tiny test model',
    description: 'test model',
    references: [],
    params: z.object({}),
    layout: () => ({
      games: Array.from({ length: G }, (_, g) => `g${g}`),
      strategies: Array.from({ length: K }, (_, k) => `s${k}`),
    }),
    init() {
      const pop = createPopulation(opts.size, G, K);
      const sum = new Float64Array(G);
      for (let a = 0; a < opts.size; a++) {
        for (let g = 0; g < G; g++) {
          const s = start(a, g);
          setChoice(pop, a, g, s);
          sum[g] += s;
        }
      }
      return { pop, sum };
    },
    payoff: (state, agent, game, s) => opts.pay(state, agent, game, s),
    onSwitch(state, _agent, game, from, to) {
      state.sum[game] += to - from;
    },
    ...(opts.minPayoff === undefined ? {} : { minPayoff: () => opts.minPayoff as number }),
    metrics: [{ name: 'mean_index_g0', description: 'mean strategy index in game 0', unit: 'strategy index', kind: 'index', value: (s) => s.sum[0] / s.pop.size }],
  };
}

/** Checks that the running counts and the model's own aggregate equal a recount from the choices. */
function expectConsistent(state: TinyState): void {
  const { pop } = state;
  const counts = new Array<number>(pop.games * pop.strategies).fill(0);
  const sum = new Array<number>(pop.games).fill(0);
  for (let a = 0; a < pop.size; a++) {
    for (let g = 0; g < pop.games; g++) {
      const s = pop.choice[a * pop.games + g];
      counts[g * pop.strategies + s]++;
      sum[g] += s;
    }
  }
  expect(Array.from(pop.counts)).toEqual(counts);
  expect(Array.from(state.sum)).toEqual(sum);
}

const column = (r: RunResult, name: string): number[] => r.values.map((row) => row[r.metrics.indexOf(name)]);

describe('Fermi rule without mutation', () => {
  it('property: a monomorphic population never changes', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.constantFrom(...updatings), (seed, allC, updating) => {
        const p = pgg({ Z: 50, initial: allC ? { C: 1, D: 0 } : { C: 0, D: 1 } });
        const r = simulate(linearPgg, p, protocol('fermi', { updating, beta: 5 }), { seed, rounds: 20, recordEvery: 1 });
        expect(column(r, 'share_C')).toEqual(new Array(21).fill(allC ? 1 : 0));
      }),
      { numRuns: 20 },
    );
  });

  it('stop.absorbing stops at once in a monomorphic population, and at fixation from a mixed one', () => {
    const mono = simulate(linearPgg, pgg({ initial: { C: 0, D: 1 } }), protocol('fermi'), {
      seed: 'a',
      rounds: 100,
      recordEvery: 10,
      stop: { absorbing: true },
    });
    expect(mono.stoppedBy).toBe('absorbing');
    expect(mono.roundsRun).toBe(0);
    expect(mono.rounds).toEqual([0]);

    // Z = 20, strong selection: D (dominant when r < N) fixes within a few hundred rounds
    for (const seed of ['b', 'c', 'd']) {
      const r = simulate(linearPgg, pgg({ Z: 20 }), protocol('fermi', { beta: 10 }), {
        seed,
        rounds: 100_000,
        recordEvery: 1000,
        stop: { absorbing: true },
      });
      expect(r.stoppedBy).toBe('absorbing');
      expect(r.roundsRun).toBeLessThan(100_000);
      // the absorbing round is recorded even off the recording grid
      expect(r.rounds.at(-1)).toBe(r.roundsRun);
      expect([0, 1]).toContain(column(r, 'share_C').at(-1));
    }
  });

  it('stop.absorbing never fires with mutation', () => {
    const r = simulate(linearPgg, pgg({ initial: { C: 0, D: 1 } }), protocol('fermi', { mutation: 0.01 }), {
      seed: 'm',
      rounds: 30,
      recordEvery: 10,
      stop: { absorbing: true },
    });
    expect(r.stoppedBy).toBe('rounds');
    expect(r.roundsRun).toBe(30);
  });
});

describe('best response (logit, temperature 0)', () => {
  it('with synchronous updating, every agent moves to the dominant strategy in one round', () => {
    // r < N: D earns c (1 - r/N) more whatever the others do; r > N: C does
    for (const [r, share] of [
      [3, 0],
      [7, 1],
    ]) {
      const res = simulate(linearPgg, pgg({ r }), protocol('logit', { T: 0, updating: 'sync' }), { seed: 's', rounds: 1, recordEvery: 1 });
      expect(column(res, 'share_C')).toEqual([0.5, share]);
    }
  });

  it('synchronous agents all respond to the start of the round; asynchronous ones to the current state', () => {
    // anti-coordination: a strategy pays minus the number of others on it. From 30 on
    // s0 and 70 on s1, every agent's best reply at the start is s0: a synchronous
    // round moves all 100 there; asynchronous revisions stop at the 50/50 balance.
    const model = tinyModel({
      size: 100,
      strategies: 2,
      start: (a) => (a < 30 ? 0 : 1),
      pay: (st, a, _g, s) => -(st.pop.counts[s] - (st.pop.choice[a] === s ? 1 : 0)),
    });
    const sync = simulate(model, {}, protocol('logit', { T: 0, updating: 'sync' }), { seed: 'x', rounds: 1, recordEvery: 1 });
    expect(column(sync, 'share_s0')).toEqual([0.3, 1]);
    const async = simulate(model, {}, protocol('logit', { T: 0, updating: 'async' }), { seed: 'x', rounds: 3, recordEvery: 1 });
    expect(column(async, 'share_s0').at(-1)).toBe(0.5);
  });
});

describe('Roth-Erev in a population', () => {
  it('raises the share of a strictly dominant strategy', () => {
    // s0 pays 1, s1 pays 0 = the minimum: only s0 is reinforced (apart from
    // experimentation); 200 agents start half on each
    const model = tinyModel({ size: 200, strategies: 2, pay: (_st, _a, _g, s) => (s === 0 ? 1 : 0), minPayoff: 0 });
    const r = simulate(model, {}, protocol('roth-erev'), { seed: 'dom', rounds: 100, recordEvery: 100 });
    const share = column(r, 'share_s0');
    expect(share[0]).toBe(0.5);
    // with forgetting 0.05 and experimentation 0.05, q_s0 -> 0.95/0.05 = 19 and
    // q_s1 -> 0.05/0.05 = 1, so about 95% play s0; 0.85 is 5 binomial standard
    // errors (sqrt(0.95 * 0.05 / 200) = 0.015) below that, leaving room for transients
    expect(share[1]).toBeGreaterThan(0.85);
  });

  it('raises the share of D in the linear PGG with r < N', () => {
    const r = simulate(linearPgg, pgg({ Z: 200 }), protocol('roth-erev'), { seed: 'pgg', rounds: 200, recordEvery: 200 });
    const share = column(r, 'share_D');
    expect(share[0]).toBe(0.5);
    // D's edge is small next to the reinforcement (R_D - R_C = c (1 - r/N) = 0.4 against
    // R of 1 to 3.4), so the rise is slow: about 0.73 after 200 rounds (seeds a, b, c,
    // pgg gave 0.72, 0.73, 0.70, 0.77). 0.6 is 4 binomial standard errors
    // (sqrt(0.73 * 0.27 / 200) = 0.031) below that and 3 above the start.
    expect(share[1]).toBeGreaterThan(0.6);
  });
});

describe('inertia, mutation and updating', () => {
  it('revisionRate 0 freezes the population under every rule and updating scheme', () => {
    for (const rule of rules) {
      for (const updating of updatings) {
        const r = simulate(linearPgg, pgg({ initial: { C: 0.3, D: 0.7 } }), protocol(rule, { revisionRate: 0, mutation: 0.5, updating }), {
          seed: 'frozen',
          rounds: 10,
          recordEvery: 1,
        });
        expect(column(r, 'share_C')).toEqual(new Array(11).fill(0.3));
      }
    }
  });

  it('property: counts and model aggregates stay consistent under every rule, both updating schemes and mutation', () => {
    const model = tinyModel({
      size: 37,
      games: 3,
      strategies: 4,
      // a payoff that depends on the state, so that every rule moves agents around
      pay: (st, _a, g, s) => Math.sin(s + g) + st.pop.counts[g * 4 + ((s + 1) % 4)] / 37,
      minPayoff: -1,
    });
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom(...rules),
        fc.constantFrom(...updatings),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, rule, updating, mutation, revisionRate) => {
          const sim = createSimulation<TinyState>(model, {}, protocol(rule, { updating, mutation, revisionRate }), seed);
          for (let i = 0; i < 5; i++) {
            sim.step();
            expectConsistent(sim.state);
          }
          expect(sim.round).toBe(5);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('mutation alone (equal payoffs, mutation 1) gives shares near uniform', () => {
    // Each revision picks one of 4 strategies uniformly. Sync: after one round every
    // agent has revised once, so counts are multinomial(Z, 1/4). Async: after 10
    // rounds an agent has not revised with probability e^-10 (bias below 1e-4).
    // Each share is checked to 5 standard errors, sqrt((1/4)(3/4)/Z) = 0.0031.
    const Z = 20_000;
    const model = tinyModel({ size: Z, strategies: 4, start: () => 0, pay: () => 0 });
    const se = Math.sqrt((0.25 * 0.75) / Z);
    for (const rule of rules) {
      for (const [updating, rounds] of [
        ['sync', 1],
        ['async', 10],
      ] as const) {
        const r = simulate(model, {}, protocol(rule, { mutation: 1, updating }), { seed: `mut-${rule}`, rounds, recordEvery: rounds });
        for (let k = 0; k < 4; k++) expect(Math.abs(column(r, `share_s${k}`)[1] - 0.25)).toBeLessThan(5 * se);
      }
    }
  });

  it('asynchronous rounds give opportunities with replacement: about 1 - 1/e of agents revise in a round', () => {
    // With mutation 1 over 3 strategies, an agent revised at least once ends on a
    // uniform strategy; one never revised stays on s0. After one async round
    // P(s0) = e^-1 + (1 - e^-1)/3; after one sync round it is 1/3. Z = 30,000: 5 SE.
    const Z = 30_000;
    const model = tinyModel({ size: Z, strategies: 3, start: () => 0, pay: () => 0 });
    const check = (updating: Updating, p: number): void => {
      const r = simulate(model, {}, protocol('fermi', { mutation: 1, updating }), { seed: 'once', rounds: 1, recordEvery: 1 });
      expect(Math.abs(column(r, 'share_s0')[1] - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / Z));
    };
    check('async', Math.exp(-1) + (1 - Math.exp(-1)) / 3);
    check('sync', 1 / 3);
  });
});

describe('recording', () => {
  it('records round 0, every recordEvery rounds and the last round, once each', () => {
    const cases: [number, number, number[]][] = [
      [10, 3, [0, 3, 6, 9, 10]],
      [10, 5, [0, 5, 10]],
      [10, 20, [0, 10]],
      [4, 1, [0, 1, 2, 3, 4]],
      [4, 0, [0, 1, 2, 3, 4]],
      [0, 3, [0]],
    ];
    for (const [rounds, every, expected] of cases) {
      const r = simulate(linearPgg, pgg(), protocol('fermi', { mutation: 0.1 }), { seed: 'rec', rounds, recordEvery: every });
      expect(r.rounds).toEqual(expected);
      expect(r.values.length).toBe(expected.length);
      expect(r.roundsRun).toBe(rounds);
      expect(r.stoppedBy).toBe('rounds');
    }
  });

  it('records the same values as stepping the simulation by hand', () => {
    const p = pgg({ Z: 60 });
    const proto = protocol('fermi', { mutation: 0.05 });
    const r = simulate(linearPgg, p, proto, { seed: 'hand', rounds: 7, recordEvery: 3 });
    const sim = createSimulation(linearPgg, p, proto, 'hand');
    const byHand: number[][] = [sim.measure()];
    for (let i = 1; i <= 7; i++) {
      sim.step();
      if (i % 3 === 0 || i === 7) byHand.push(sim.measure());
    }
    expect(r.values).toEqual(byHand);
    expect(r.metrics).toEqual(['share_C', 'share_D', 'mean_payoff']);
    // shares of one game sum to 1 in every record
    for (const row of r.values) expect(row[0] + row[1]).toBeCloseTo(1, 12);
  });

  it('names shares by game and strategy when a model has several games', () => {
    const model = tinyModel({ size: 4, games: 2, strategies: 2, pay: () => 0 });
    expect(metricNames(model, {})).toEqual(['share_g0_s0', 'share_g0_s1', 'share_g1_s0', 'share_g1_s1', 'mean_index_g0']);
  });
});

describe('convergence stop', () => {
  it('stops once every metric has stayed within the tolerance over the window', () => {
    // a frozen population: records at rounds 0, 2, 4 fill a window of 3
    const r = simulate(linearPgg, pgg(), protocol('fermi', { revisionRate: 0 }), {
      seed: 'conv',
      rounds: 100,
      recordEvery: 2,
      stop: { convergence: { window: 3, tolerance: 0 } },
    });
    expect(r.stoppedBy).toBe('convergence');
    expect(r.roundsRun).toBe(4);
    expect(r.rounds).toEqual([0, 2, 4]);
  });

  it('does not stop while a metric moves by more than the tolerance', () => {
    // all agents start on C and mutation keeps shares moving by far more than 1e-9
    const r = simulate(linearPgg, pgg({ initial: { C: 1, D: 0 } }), protocol('fermi', { mutation: 0.5 }), {
      seed: 'conv',
      rounds: 20,
      recordEvery: 1,
      stop: { convergence: { window: 5, tolerance: 1e-9 } },
    });
    expect(r.stoppedBy).toBe('rounds');
    expect(r.roundsRun).toBe(20);
  });

  it('stops a drifting run when the tolerance is wide', () => {
    const r = simulate(linearPgg, pgg(), protocol('fermi', { mutation: 0.5 }), {
      seed: 'conv',
      rounds: 50,
      recordEvery: 5,
      stop: { convergence: { window: 4, tolerance: 10 } },
    });
    expect(r.stoppedBy).toBe('convergence');
    expect(r.roundsRun).toBe(15);
  });
});

describe('determinism', () => {
  const cases = rules.flatMap((rule) =>
    updatings.flatMap((updating) => (['expected', 'sampled'] as const).map((payoffs) => ({ rule, updating, payoffs }))),
  );

  it.each(cases)('$rule / $updating / $payoffs: the same seed gives an identical RunResult, another seed a different one', ({ rule, updating, payoffs }) => {
    const p = pgg({ Z: 80, payoffs });
    const proto = protocol(rule, { updating, mutation: 0.05, revisionRate: 0.9 });
    const opts = { rounds: 25, recordEvery: 5 };
    const a = simulate(linearPgg, p, proto, { ...opts, seed: 'same' });
    const b = simulate(linearPgg, p, proto, { ...opts, seed: 'same' });
    const c = simulate(linearPgg, p, proto, { ...opts, seed: 'other' });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.rounds).toEqual(a.rounds);
    expect(JSON.stringify(c.values)).not.toBe(JSON.stringify(a.values));
  });

  it('a simulation draws from its own stream only: interleaving two runs changes neither', () => {
    const p = pgg({ Z: 50, payoffs: 'sampled' });
    const proto = protocol('fermi', { mutation: 0.05 });
    const alone = createSimulation(linearPgg, p, proto, 'one');
    for (let i = 0; i < 10; i++) alone.step();
    const x = createSimulation(linearPgg, p, proto, 'one');
    const y = createSimulation(linearPgg, p, proto, 'two');
    for (let i = 0; i < 10; i++) {
      x.step();
      y.step();
    }
    expect(Array.from(x.state.pop.choice)).toEqual(Array.from(alone.state.pop.choice));
  });
});

describe('stream stability', () => {
  it('gives the same bytes as the engine of the first commit (a golden hash)', () => {
    // Every random draw of a run, in order, is part of the results' identity: a change
    // to the hot loop must not add, drop or reorder draws. This hash was taken with the
    // engine of commit 00783af (before the branch-free partner skip in protocol.ts
    // and groups.ts). If a change alters the stream on purpose, update it and say so.
    const results: RunResult[] = [];
    for (const rule of rules) {
      for (const updating of updatings) {
        for (const payoffs of ['expected', 'sampled'] as const) {
          const p = pgg({ Z: 30, payoffs, initial: { C: 0.6, D: 0.4 } });
          results.push(simulate(linearPgg, p, protocol(rule, { updating, mutation: 0.02, revisionRate: 0.95, beta: 2, T: 0.3 }), { seed: `golden-${rule}-${updating}-${payoffs}`, rounds: 60, recordEvery: 6 }));
        }
      }
    }
    const hash = createHash('sha256').update(JSON.stringify(results)).digest('hex');
    expect(hash).toBe('8766cff1e9cdeafd88f0217a4a064724a862f30eecac5ae9536a69f889c48ad9');
  });
});
