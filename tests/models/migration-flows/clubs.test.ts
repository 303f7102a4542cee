// Club kinds (params.clubs.kind, docs/model.md §5.3): each kind's membership as defined,
// on built worlds; conservation with each kind; the default is the regional club.
import { describe, expect, it } from 'vitest';
import model from '../../../models/migration-flows/index.ts';
import { params as schema, type StateRow } from '../../../models/migration-flows/parameters.ts';
import type { FlowsState } from '../../../models/migration-flows/state.ts';
import { buildWorld } from '../../../models/migration-flows/world.ts';
import { createSimulation } from '../../../src/engine/simulate.ts';
import type { Protocol } from '../../../src/engine/protocol.ts';

const LOGIT: Protocol = { rule: 'logit', temperature: 0.1, revisionRate: 0.5, updating: 'async', mutation: 0 };
const row = (name: string, x: number, population = 1, region = 0): StateRow => ({ name, x, y: 0, population, income: 1, region });

describe('club kinds', () => {
  // a line A-B-C-D-E with gaps 1, 2, 1.5, 3: links shortest first are A-B (1), C-D (1.5), B-C (2), D-E (3)
  const line = [row('A', 0, 1, 0), row('B', 1, 1, 0), row('C', 3, 1, 1), row('D', 4.5, 5, 1), row('E', 7.5, 1, 1)];

  it('regional (the default): a state\'s club is its region', () => {
    const w = buildWorld(line, 1);
    expect(Array.from(w.region)).toEqual([0, 0, 1, 1, 1]);
    expect(w.R).toBe(2);
    expect(schema.parse({}).clubs).toBeUndefined();
    expect(schema.parse({ clubs: {} }).clubs).toEqual({ kind: 'regional', size: 3 });
  });

  it('bilateral: pairs matched along the shortest free links (A-B, C-D); E, whose only neighbour is taken, is alone', () => {
    const w = buildWorld(line, 1, { kind: 'bilateral', size: 3 });
    expect(Array.from(w.region)).toEqual([0, 0, 1, 1, 2]);
    expect(w.R).toBe(3);
    expect(Array.from(w.home)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(w.crisisState)).toEqual([0, 2]);
  });

  it('plurilateral: the largest state (D) founds a group with its nearest free neighbours, up to size', () => {
    const w2 = buildWorld(line, 1, { kind: 'plurilateral', size: 2 });
    // D (capacity largest) takes C (1.5 away, nearer than E); then A (lower index among equals) takes B
    expect(Array.from(w2.region)).toEqual([1, 1, 0, 0, 2]);
    const w3 = buildWorld(line, 1, { kind: 'plurilateral', size: 3 });
    expect(Array.from(w3.region)).toEqual([1, 1, 0, 0, 0]);
  });

  it('every kind partitions a generated world; bilateral clubs have at most 2 members, plurilateral at most size', () => {
    for (const kind of ['bilateral', 'plurilateral'] as const) {
      const p = schema.parse({ world: { N: 200 }, clubs: { kind, size: 4 } });
      const sim = createSimulation<FlowsState>(model, p, LOGIT, `clubs-${kind}`);
      const w = sim.state.w;
      const count = new Array<number>(w.R).fill(0);
      for (let i = 0; i < w.N; i++) {
        expect(w.region[i]).toBeGreaterThanOrEqual(0);
        expect(w.region[i]).toBeLessThan(w.R);
        count[w.region[i]]++;
      }
      expect(Math.max(...count)).toBeLessThanOrEqual(kind === 'bilateral' ? 2 : 4);
      expect(Math.min(...count)).toBeGreaterThanOrEqual(1);
      // most states have a partner: the clubs are not all singletons
      expect(count.filter((c) => c >= 2).length).toBeGreaterThan(w.R / 2);
    }
  });

  it('conservation holds with every kind: displaced = hosted + in transit + returned, every round', () => {
    for (const kind of ['regional', 'bilateral', 'plurilateral'] as const) {
      const p = schema.parse({
        world: { N: 30, regions: 3 },
        clubs: { kind },
        refugee: { crises: [{ region: 1, onset: 2, duration: 3, size: 0.5 }] },
        initial: { U: 0.2, C: 0.6, M: 0.2 },
      });
      const sim = createSimulation<FlowsState>(model, p, LOGIT, `clubs-conservation-${kind}`);
      const st = sim.state;
      let sawClub = false;
      for (let t = 0; t < 20; t++) {
        sim.step();
        const [displaced, returned] = st.stocks.totals;
        const [hosted, transit] = st.ref.sums;
        expect(displaced).toBeGreaterThanOrEqual(0);
        expect(Math.abs(displaced - hosted - transit - returned)).toBeLessThan(1e-9 * Math.max(1, displaced));
        for (let i = 0; i < st.w.N; i++) expect(st.ref.hosted[i]).toBeGreaterThanOrEqual(-1e-12);
        for (let k = 0; k < st.w.R; k++) if (st.nC[k] >= 2) sawClub = true;
      }
      expect(sawClub).toBe(true);
    }
  });
});

describe('params.start (an option): every state at one level', () => {
  it('start U, C or M puts every state and area at that level; absent, the schema leaves it out', () => {
    expect(schema.parse({}).start).toBeUndefined();
    for (const [start, level] of [['U', 0], ['C', 1], ['M', 2]] as const) {
      const sim = createSimulation<FlowsState>(model, schema.parse({ world: { N: 20 }, start }), LOGIT, `start-${start}`);
      expect(Array.from(sim.state.pop.choice).every((c) => c === level)).toBe(true);
    }
  });
});
