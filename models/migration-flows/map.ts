// The demo's map of the migration-flows model: each state's position and region from
// the world, and the larger flows as the state stands after the last round, per issue
// area (the MAP_FLOWS largest of each): refugees hosted, from origin to first-asylum
// host (link stocks, onward movers included); irregular migrants leaving an origin
// this round, along its route to its destination; skilled people moving from one
// state to another this round, between the states of most emigration and most
// immigration (the pair flow of skilledStep's choice rule: pool x weight of the
// destination toward the origin / the origin's sum of weights). Read-only, between
// rounds; allocates (it is not on the step loop's path).
import type { AgentMap, MapFlow } from '../../src/engine/model.ts';
import { C, IRREGULAR, M, REFUGEE, SKILLED } from './parameters.ts';
import type { FlowsState } from './state.ts';

/** Flows drawn per issue area. */
export const MAP_FLOWS = 12;
/** Candidate origins and destinations for the skilled pair flows. */
const SKILLED_CANDIDATES = 10;

function largest(flows: MapFlow[], n: number): MapFlow[] {
  return flows
    .filter((f) => f.amount > 0)
    .sort((a, b) => b.amount - a.amount || a.path[0] - b.path[0])
    .slice(0, n);
}

function topIndices(values: Float64Array, n: number): number[] {
  return Array.from(values.keys())
    .filter((i) => values[i] > 0)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, n);
}

export function flowsMap(st: FlowsState): AgentMap {
  const { w, p, lvl } = st;
  const { N, nbrStart, nbr, region, routeStart, routeNodes } = w;
  const refugee: MapFlow[] = [];
  const { S1, S2, T } = st.stocks;
  for (let o = 0; o < N; o++) {
    for (let e = nbrStart[o]; e < nbrStart[o + 1]; e++) refugee.push({ game: REFUGEE, path: [o, nbr[e]], amount: S1[e] + S2[e] + T[e] });
  }
  const irregular: MapFlow[] = [];
  for (let o = 0; o < N; o++) {
    const a = routeStart[o];
    const b = routeStart[o + 1];
    if (a === b) continue;
    irregular.push({ game: IRREGULAR, path: [o, ...routeNodes.subarray(a, b)], amount: st.irr.emitted[o] });
  }
  const skilled: MapFlow[] = [];
  const { pool, Z, wt } = st.sk;
  const open = p.skilled.openness;
  for (const o of topIndices(st.sk.emigrants, SKILLED_CANDIDATES)) {
    for (const j of topIndices(st.sk.immigrants, SKILLED_CANDIDATES)) {
      if (j === o) continue;
      const lj = lvl[j * 3 + SKILLED];
      const clubMates = lj === C && lvl[o * 3 + SKILLED] === C && region[j] === region[o];
      const regimeMates = lj === M && lvl[o * 3 + SKILLED] === M;
      const weight = wt[j] * (1 + (clubMates ? open.C : regimeMates ? open.M : open.U));
      skilled.push({ game: SKILLED, path: [o, j], amount: (pool[o] * weight) / Z[o] });
    }
  }
  return {
    x: Array.from(w.x),
    y: Array.from(w.y),
    group: Array.from(w.home),
    flows: [...largest(refugee, MAP_FLOWS), ...largest(irregular, MAP_FLOWS), ...largest(skilled, MAP_FLOWS)],
    flowLabels: ['refugees hosted, from origin to first-asylum host', 'irregular migrants leaving this round, along their route', 'skilled people moving this round'],
  };
}
