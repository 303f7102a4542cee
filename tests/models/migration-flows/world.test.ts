// migration-flows: the map. The grid search for nearest neighbours and for the
// closest pair joining components gives the same graph as a brute-force scan written
// out here; routes are shortest-hop paths to the nearest top-quartile state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateRow } from '../../../models/migration-flows/parameters.ts';
import { buildWorld } from '../../../models/migration-flows/world.ts';

/** The rule by brute force: k nearest (ties by index), symmetric, components but the largest joined to the rest by their closest pair, in rounds. */
function bruteGraph(x: number[], y: number[], k: number): number[][] {
  const N = x.length;
  const d2 = (i: number, j: number) => (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
  const adj = Array.from({ length: N }, () => new Set<number>());
  for (let i = 0; i < N; i++) {
    const others = [...Array(N).keys()].filter((j) => j !== i).sort((a, b) => d2(i, a) - d2(i, b) || a - b);
    for (const j of others.slice(0, k)) {
      adj[i].add(j);
      adj[j].add(i);
    }
  }
  for (;;) {
    const comp = new Array<number>(N).fill(-1);
    let n = 0;
    for (let s = 0; s < N; s++) {
      if (comp[s] >= 0) continue;
      const stack = [s];
      comp[s] = n;
      while (stack.length) for (const j of adj[stack.pop()!]) if (comp[j] < 0) { comp[j] = n; stack.push(j); }
      n++;
    }
    if (n === 1) break;
    const size = (c: number) => comp.filter((v) => v === c).length;
    let largest = 0;
    for (let c = 1; c < n; c++) if (size(c) > size(largest)) largest = c;
    const pairs: [number, number][] = [];
    for (let c = 0; c < n; c++) {
      if (c === largest) continue;
      let best = Infinity;
      let pair: [number, number] = [-1, -1];
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (comp[i] === c && comp[j] !== c && d2(i, j) < best) { best = d2(i, j); pair = [i, j]; }
      pairs.push(pair);
    }
    for (const [i, j] of pairs) {
      adj[i].add(j);
      adj[j].add(i);
    }
  }
  return adj.map((s) => [...s].sort((a, b) => a - b));
}

describe('the neighbour graph', () => {
  it('equals the brute-force k-nearest, symmetric, joined graph', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), { minLength: 3, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (pts, k) => {
          // integer positions make exact ties common
          const rows: StateRow[] = pts.map(([a, b], i) => ({ name: `s${i}`, x: a / 7, y: b / 7, population: 1, income: 1 + (i % 5), region: 0 }));
          const kk = Math.min(k, rows.length - 1);
          const w = buildWorld(rows, kk);
          const got = Array.from({ length: rows.length }, (_, i) => Array.from(w.nbr.subarray(w.nbrStart[i], w.nbrStart[i + 1])));
          expect(got).toEqual(bruteGraph(rows.map((r) => r.x!), rows.map((r) => r.y!), kk));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('routes are shortest-hop paths from each low-income state to a top-quartile state, along links', () => {
    const rows: StateRow[] = Array.from({ length: 30 }, (_, i) => ({ name: `s${i}`, x: Math.cos(i * 2.4) * (1 + i / 10), y: Math.sin(i * 2.4) * (1 + i / 10), population: 1, income: 1 + ((i * 7) % 11), region: 0 }));
    const w = buildWorld(rows, 3);
    const sorted = Array.from(w.income).sort((a, b) => a - b);
    const q75 = sorted[Math.floor(0.75 * 30)];
    const linked = (a: number, b: number) => Array.from(w.nbr.subarray(w.nbrStart[a], w.nbrStart[a + 1])).includes(b);
    // hop distance to the nearest top-quartile state, by BFS from them
    const dist = new Array<number>(30).fill(Infinity);
    const queue: number[] = [];
    for (let i = 0; i < 30; i++) if (w.income[i] >= q75) { dist[i] = 0; queue.push(i); }
    while (queue.length) {
      const i = queue.shift()!;
      for (let e = w.nbrStart[i]; e < w.nbrStart[i + 1]; e++) if (dist[w.nbr[e]] === Infinity) { dist[w.nbr[e]] = dist[i] + 1; queue.push(w.nbr[e]); }
    }
    for (let o = 0; o < 30; o++) {
      const route = Array.from(w.routeNodes.subarray(w.routeStart[o], w.routeStart[o + 1]));
      if (!w.lowIncome[o]) { expect(route).toEqual([]); continue; }
      expect(route.length).toBe(dist[o]);
      expect(w.income[route[route.length - 1]]).toBeGreaterThanOrEqual(q75);
      [o, ...route].slice(1).forEach((s, t) => expect(linked([o, ...route][t], s)).toBe(true));
    }
  });
});
