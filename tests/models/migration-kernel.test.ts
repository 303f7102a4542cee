// The migration-governance model's fast payoff path (models/migration-governance.ts):
// the ordered member sets that weakest-link and best-shot read their extreme
// contributions from, checked against scans over random membership changes, and the
// whole model checked bit for bit against the code before that path
// (bench/baseline/migration-governance.ts, which scans the states and computes every
// payoff afresh): same spec and seed, same recorded values, compared with Object.is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import baseline from '../../bench/baseline/migration-governance.ts';
import type { Model } from '../../src/engine/model.ts';
import { setChoice } from '../../src/engine/population.ts';
import type { Protocol } from '../../src/engine/protocol.ts';
import { createRng } from '../../src/engine/rng.ts';
import { createSimulation, simulate } from '../../src/engine/simulate.ts';
import model, {
  C,
  M,
  createPositionSet,
  extremeContribution,
  positionAdd,
  positionNext,
  positionPrev,
  positionRemove,
  type MigrationParams,
  type MigrationState,
} from '../../models/migration-governance.ts';

describe('PositionSet', () => {
  it('finds the same next and previous members as a scan, over random adds and removes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { maxLength: 300 }),
        (size, ops) => {
          const set = createPositionSet(size);
          const member = new Uint8Array(size);
          for (const [add, at, probe] of ops) {
            const p = at % size;
            if (add) positionAdd(set, p);
            else positionRemove(set, p);
            member[p] = add ? 1 : 0;
            // probe anywhere from -1 to size, both edges included
            const q = (probe % (size + 2)) - 1;
            let next = -1;
            for (let j = Math.max(0, q); j < size; j++) {
              if (member[j]) {
                next = j;
                break;
              }
            }
            let prev = -1;
            for (let j = Math.min(size - 1, q); j >= 0; j--) {
              if (member[j]) {
                prev = j;
                break;
              }
            }
            expect(positionNext(set, q)).toBe(next);
            expect(positionPrev(set, q)).toBe(prev);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The old scan: the lowest (highest) contribution among the states at `level` (in club k for C), leaving out `skip`. */
function scanExtreme(st: MigrationState, g: number, level: number, k: number, skip: number, highest: boolean): number {
  let x = highest ? -Infinity : Infinity;
  for (let j = 0; j < st.N; j++) {
    if (j === skip || st.pop.choice[j * st.G + g] !== level) continue;
    if (level === C && st.club[j] !== k) continue;
    const c = st.contribution[j];
    if (highest ? c > x : c < x) x = c;
  }
  return x;
}

describe('weakest-link and best-shot extreme contributions', () => {
  it('equal a scan of the states after random level changes (regime and every club, any state left out)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 120 }),
        fc.constantFrom('regional', 'plurilateral', 'bilateral'),
        fc.constantFrom(0, 0.5, 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 })), { maxLength: 200 }),
        fc.integer({ min: 0, max: 1e6 }),
        (N, clubs, powerAsymmetry, moves, seed) => {
          const p = model.params.parse({
            states: { N, regions: 3 },
            clubs,
            // powerAsymmetry 1 makes every contribution equal: ties everywhere
            mechanisms: { powerAsymmetry },
            issueAreas: [
              { name: 'a', excludability: 0, rivalry: 0, reach: 1, aggregation: 'weakest-link', valuation: { origin: 1, transit: 1, destination: 1 } },
              { name: 'b', excludability: 0.5, rivalry: 0.5, reach: 0.5, aggregation: 'best-shot', valuation: { origin: 1, transit: 1, destination: 1 } },
            ],
            initial: { U: 0.4, C: 0.3, M: 0.3 },
          });
          const st = model.init(p, createRng(`extremes-${seed}`));
          const check = (): void => {
            for (let g = 0; g < st.G; g++) {
              const highest = g === 1;
              for (const skip of [-1, 0, N - 1, seed % N]) {
                expect(extremeContribution(st, g, M, 0, skip, highest)).toBe(scanExtreme(st, g, M, 0, skip, highest));
                for (let k = 0; k < st.K; k++) expect(extremeContribution(st, g, C, k, skip, highest)).toBe(scanExtreme(st, g, C, k, skip, highest));
              }
            }
          };
          check();
          for (const [a, g, level] of moves) {
            const i = a % N;
            const game = g % st.G;
            const from = setChoice(st.pop, i, game, level);
            if (from !== level) model.onSwitch!(st, i, game, from, level);
            if (a % 7 === 0) check();
          }
          check();
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Runs of the model and of the old code on the same spec and seed: every recorded
// value the same double. The cases cover each aggregation, each mechanism away from
// its neutral setting, shocks, club kinds and the three revision protocols.
const logit: Protocol = { rule: 'logit', temperature: 0.1, revisionRate: 0.5, mutation: 0.01, updating: 'async' };
const fermi: Protocol = { rule: 'fermi', selectionIntensity: 5, revisionRate: 0.5, mutation: 0.01, updating: 'async', peers: 'class' };
const rothErev: Protocol = { rule: 'roth-erev', forgetting: 0.05, experimentation: 0.1, initialPropensity: 1, reinforce: 'advantage', revisionRate: 1, mutation: 0, updating: 'sync' };

type Tweak = (p: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
const all = (aggregation: string): Tweak => (p) => p.issueAreas.forEach((a: { aggregation: string }) => (a.aggregation = aggregation));
const cases: [string, Tweak, Protocol][] = [
  ['the defaults', () => {}, logit],
  ['weakest-link everywhere', all('weakest-link'), logit],
  ['best-shot everywhere, bilateral clubs', (p) => ((p.clubs = 'bilateral'), all('best-shot')(p)), fermi],
  ['mixed aggregations, equal contributions (ties)', (p) => ((p.issueAreas[0].aggregation = 'weakest-link'), (p.issueAreas[1].aggregation = 'best-shot'), (p.mechanisms.powerAsymmetry = 1)), logit],
  [
    'every mechanism on, plurilateral clubs, mixed start',
    (p) => {
      p.clubs = 'plurilateral';
      p.initial = { U: 0.3, C: 0.3, M: 0.4 };
      Object.assign(p.mechanisms, { normsOnClubs: true, linkage: 0.5, sidePayments: 0.2, transitLeverage: 0.1, venueShopping: true, powerAsymmetry: 0.5, confidenceBuilding: 0.6, minimumParticipation: 0.3 });
      p.issueAreas[0].rivalry = 0.6;
    },
    rothErev,
  ],
  [
    'crisis and nationalism, weakest-link in the area hit',
    (p) => {
      p.issueAreas[1].aggregation = 'weakest-link';
      p.mechanisms.crisis = { issueArea: 'irregular', region: 1, start: 10, duration: 20, stakeFactor: 3, needFactor: 2 };
      p.mechanisms.nationalism = { start: 15, duration: 20, factor: 2 };
    },
    logit,
  ],
  ['no facilitation, no norms, minimum participation 0', (p) => Object.assign(p.mechanisms, { facilitation: 0, norms: 0, minimumParticipation: 0 }), fermi],
];

describe('the model against the old code (bench/baseline/migration-governance.ts)', () => {
  const old = baseline as unknown as Model<MigrationParams, MigrationState>;
  it.each(cases)('%s: the same payoffs and values, bit for bit', (_, tweak, protocol) => {
    const p = JSON.parse(JSON.stringify(model.params.parse({ states: { N: 48, regions: 4 } }))) as Record<string, unknown>;
    tweak(p);
    const params = model.params.parse(p);
    const [now, before] = [model, old].map((m) => createSimulation<MigrationState>(m, params, protocol, 'kernel-identity'));
    expect(now.metrics).toEqual(before.metrics);
    for (let round = 0; round <= 60; round++) {
      if (round % 4 === 0) {
        const [a, b] = [now.measure(), before.measure()];
        a.forEach((x, k) => expect(Object.is(x, b[k]), `round ${round}, ${now.metrics[k]}: ${x} against ${b[k]}`).toBe(true));
        // every payoff the engine could ask for, each level of each state in each issue area
        for (let i = 0; i < now.state.N; i++) {
          for (let g = 0; g < now.state.G; g++) {
            for (let l = 0; l < 3; l++) {
              const x = model.payoff(now.state, i, g, l, now.rng);
              const y = old.payoff(before.state, i, g, l, before.rng);
              if (!Object.is(x, y)) expect.fail(`round ${round}, state ${i}, issue area ${g}, level ${l}: ${x} against ${y}`);
            }
          }
        }
      }
      now.step();
      before.step();
    }
  });

  it('a crisis event and forced moves during the run: the same values, bit for bit', () => {
    for (const aggregation of ['summation', 'weakest-link']) {
      const base = JSON.parse(JSON.stringify(model.params.parse({ states: { N: 60, regions: 4 } }))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      all(aggregation)(base);
      base.mechanisms.crisis = { issueArea: 'refugee', region: 0, start: 5, duration: 30, stakeFactor: 2, needFactor: 2 };
      const params = model.params.parse(base);
      const events = [
        { round: 12, kind: 'crisis', fields: { issueArea: 'irregular', region: 2, duration: 15, stakeFactor: 4, needFactor: 3 } },
        { round: 40, kind: 'crisis', fields: { issueArea: 'skilled', region: 1, duration: 5, stakeFactor: 3, needFactor: 1 } },
      ];
      const moves = [
        { round: 3, agent: 1, game: 0, strategy: M },
        { round: 20, agent: 5, game: 1, strategy: C },
      ];
      const options = { seed: 'kernel-events', rounds: 60, recordEvery: 1, events, moves };
      const now = simulate(model, params, logit, options);
      const before = simulate(old, params, logit, options);
      now.values.forEach((row, r) => row.forEach((x, k) => expect(Object.is(x, before.values[r][k]), `${aggregation}, record ${r}, ${now.metrics[k]}: ${x} against ${before.values[r][k]}`).toBe(true)));
    }
  });
});
