// The map: states with positions, population, income per head and capacity, regions
// as spatial clusters, a symmetric k-nearest-neighbour graph (CSR typed arrays), the
// shortest-hop route of every low-income state to the nearest high-income one, and
// the onward shares of refugees toward richer neighbours. Generated from the run's
// stream, or read from a state table. Built once per run; nothing here changes later.
import type { Rng } from '../../src/engine/rng.ts';
import type { FlowsParams, StateRow } from './parameters.ts';

export interface World {
  readonly N: number;
  /** regions (= clubs) */
  readonly R: number;
  readonly names: readonly string[];
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly region: Int32Array;
  /** normalised to mean 1 */
  readonly population: Float64Array;
  readonly income: Float64Array;
  readonly capacity: Float64Array;
  /** 1 for the states below the median income per head */
  readonly lowIncome: Uint8Array;
  /** neighbours of i: nbr[nbrStart[i] .. nbrStart[i+1]) with distance dist[e] */
  readonly nbrStart: Int32Array;
  readonly nbr: Int32Array;
  readonly dist: Float64Array;
  /** share of i's onward movers going to neighbour nbr[e] (richer neighbours only, by income); 0 elsewhere */
  readonly onwardShare: Float64Array;
  /** 1 when i has a richer neighbour (refugees can move on from i) */
  readonly canMoveOn: Uint8Array;
  /** irregular route of origin i: routeNodes[routeStart[i] .. routeStart[i+1]), the states crossed after i, the last one the destination; empty for non-origins */
  readonly routeStart: Int32Array;
  readonly routeNodes: Int32Array;
  /** the lowest-income state of each region, where a scheduled crisis starts */
  readonly crisisState: Int32Array;
}

function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function normaliseMean(a: Float64Array): void {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const m = s / a.length;
  for (let i = 0; i < a.length; i++) a[i] /= m;
}

/** Draws the states of a generated world (docs/model.md §5.1). */
export function generateRows(p: FlowsParams, rng: Rng): StateRow[] {
  const w = p.world;
  const R = w.regions;
  const regionIncome = Array.from({ length: R }, () => w.incomeSpread * normal(rng));
  const rows: StateRow[] = [];
  for (let i = 0; i < w.N; i++) {
    const r = i % R;
    const angle = (2 * Math.PI * r) / R;
    const cx = R === 1 ? 0 : Math.cos(angle);
    const cy = R === 1 ? 0 : Math.sin(angle);
    const x = cx + w.spread * normal(rng);
    const y = cy + w.spread * normal(rng);
    const population = Math.pow(1 - rng(), -1 / w.capacityTail);
    const income = Math.exp(regionIncome[r] + 0.5 * w.incomeSpread * normal(rng));
    rows.push({ name: `state-${i}`, x, y, population, income, region: r });
  }
  return rows;
}

/** Builds the world from rows (generated or read from a table). */
export function buildWorld(rows: readonly StateRow[], k: number): World {
  const N = rows.length;
  const x = Float64Array.from(rows, (r) => r.x);
  const y = Float64Array.from(rows, (r) => r.y);
  const region = Int32Array.from(rows, (r) => r.region);
  let R = 0;
  for (let i = 0; i < N; i++) R = Math.max(R, region[i] + 1);
  const population = Float64Array.from(rows, (r) => r.population);
  const income = Float64Array.from(rows, (r) => r.income);
  normaliseMean(population);
  normaliseMean(income);
  const capacity = new Float64Array(N);
  for (let i = 0; i < N; i++) capacity[i] = population[i] * income[i];
  normaliseMean(capacity);
  const sortedIncome = Float64Array.from(income).sort();
  const median = N % 2 ? sortedIncome[(N - 1) / 2] : 0.5 * (sortedIncome[N / 2 - 1] + sortedIncome[N / 2]);
  const q75 = sortedIncome[Math.min(N - 1, Math.floor(0.75 * N))];
  const lowIncome = new Uint8Array(N);
  for (let i = 0; i < N; i++) lowIncome[i] = income[i] < median ? 1 : 0;

  const { nbrStart, nbr } = neighbourGraph(x, y, k);
  const E = nbr.length;
  const dist = new Float64Array(E);
  const onwardShare = new Float64Array(E);
  const canMoveOn = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    let richer = 0;
    for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) {
      const j = nbr[e];
      dist[e] = Math.hypot(x[i] - x[j], y[i] - y[j]);
      if (income[j] > income[i]) richer += income[j];
    }
    if (richer > 0) {
      canMoveOn[i] = 1;
      for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) if (income[nbr[e]] > income[i]) onwardShare[e] = income[nbr[e]] / richer;
    }
  }
  const { routeStart, routeNodes } = routes(N, nbrStart, nbr, income, lowIncome, q75);
  const crisisState = new Int32Array(R).fill(-1);
  for (let i = 0; i < N; i++) {
    const r = region[i];
    if (crisisState[r] < 0 || income[i] < income[crisisState[r]]) crisisState[r] = i;
  }
  return { N, R, names: rows.map((r) => r.name), x, y, region, population, income, capacity, lowIncome, nbrStart, nbr, dist, onwardShare, canMoveOn, routeStart, routeNodes, crisisState };
}

/**
 * k nearest neighbours of every state, made symmetric (a link either way is a link
 * both ways); components left apart are joined by their closest pair of states
 * (sea and air links), so that every state can be reached. O(N^2) once per run.
 */
function neighbourGraph(x: Float64Array, y: Float64Array, k: number): { nbrStart: Int32Array; nbr: Int32Array } {
  const N = x.length;
  const adj: Set<number>[] = Array.from({ length: N }, () => new Set<number>());
  const kk = Math.min(k, N - 1);
  const bestD = new Float64Array(kk);
  const bestJ = new Int32Array(kk);
  for (let i = 0; i < N; i++) {
    // the kk nearest by insertion (ties: lower index first)
    let n = 0;
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      const dd = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
      if (n === kk && dd >= bestD[kk - 1]) continue;
      let at = n < kk ? n++ : kk - 1;
      while (at > 0 && bestD[at - 1] > dd) {
        bestD[at] = bestD[at - 1];
        bestJ[at] = bestJ[at - 1];
        at--;
      }
      bestD[at] = dd;
      bestJ[at] = j;
    }
    for (let t = 0; t < n; t++) {
      adj[i].add(bestJ[t]);
      adj[bestJ[t]].add(i);
    }
  }
  // join components
  for (;;) {
    const comp = new Int32Array(N).fill(-1);
    let nComp = 0;
    for (let s = 0; s < N; s++) {
      if (comp[s] >= 0) continue;
      const stack = [s];
      comp[s] = nComp;
      while (stack.length) {
        const i = stack.pop()!;
        for (const j of adj[i]) if (comp[j] < 0) { comp[j] = nComp; stack.push(j); }
      }
      nComp++;
    }
    if (nComp <= 1) break;
    let best = Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < N; i++) {
      if (comp[i] !== 0) continue;
      for (let j = 0; j < N; j++) {
        if (comp[j] === 0) continue;
        const dd = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
        if (dd < best) { best = dd; bi = i; bj = j; }
      }
    }
    adj[bi].add(bj);
    adj[bj].add(bi);
  }
  const nbrStart = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) nbrStart[i + 1] = nbrStart[i] + adj[i].size;
  const nbr = new Int32Array(nbrStart[N]);
  for (let i = 0; i < N; i++) {
    const sorted = Array.from(adj[i]).sort((a, b) => a - b);
    nbr.set(sorted, nbrStart[i]);
  }
  return { nbrStart, nbr };
}

/**
 * The route of every low-income state: a breadth-first search over the neighbour
 * graph to the nearest state in the top income quartile (fewest hops; among equally
 * near ones the richest, then the lowest index). O(N x k) per origin, once per run.
 */
function routes(N: number, nbrStart: Int32Array, nbr: Int32Array, income: Float64Array, lowIncome: Uint8Array, q75: number) {
  const parent = new Int32Array(N);
  const depth = new Int32Array(N);
  const queue = new Int32Array(N);
  const lists: number[][] = [];
  for (let o = 0; o < N; o++) {
    if (!lowIncome[o]) { lists.push([]); continue; }
    parent.fill(-2);
    parent[o] = -1;
    depth[o] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = o;
    let dest = -1;
    let destDepth = Infinity;
    while (head < tail) {
      const i = queue[head++];
      if (depth[i] > destDepth) break;
      if (i !== o && income[i] >= q75 && (dest < 0 || income[i] > income[dest])) { dest = i; destDepth = depth[i]; }
      for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) {
        const j = nbr[e];
        if (parent[j] !== -2) continue;
        parent[j] = i;
        depth[j] = depth[i] + 1;
        queue[tail++] = j;
      }
    }
    const path: number[] = [];
    for (let i = dest; i >= 0 && i !== o; i = parent[i]) path.push(i);
    lists.push(path.reverse());
  }
  const routeStart = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) routeStart[i + 1] = routeStart[i] + lists[i].length;
  const routeNodes = new Int32Array(routeStart[N]);
  for (let i = 0; i < N; i++) routeNodes.set(lists[i], routeStart[i]);
  return { routeStart, routeNodes };
}
