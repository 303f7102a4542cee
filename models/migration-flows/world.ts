// The map: states with positions, population, income per head and capacity, regions
// as spatial clusters, a symmetric k-nearest-neighbour graph (CSR typed arrays), the
// shortest-hop route of every low-income state to the nearest high-income one, and
// the onward shares of refugees toward richer neighbours. Generated from the run's
// stream, or read from a state table. Built once per run; nothing here changes later.
import type { Rng } from '../../src/engine/rng.ts';
import type { FlowsParams, StateRow } from './parameters.ts';

export interface World {
  readonly N: number;
  /** clubs: with params.clubs.kind regional (the default) the regions; bilateral or plurilateral: the clubs of clubPartition */
  readonly R: number;
  readonly names: readonly string[];
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** the club of each state (0..R-1): its region by default, its pair or group with clubs.kind bilateral or plurilateral */
  readonly region: Int32Array;
  /** the geographic region of each state, as drawn or read (crises start in a region; equal to region with regional clubs) */
  readonly home: Int32Array;
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
  /** summed income of i's richer neighbours, and how many there are: onward shares that leave out a refugee's own origin are income[j] / (richerIncome[h] - income[o]) */
  readonly richerIncome: Float64Array;
  readonly richerCount: Int32Array;
  /** irregular route of origin i: routeNodes[routeStart[i] .. routeStart[i+1]), the states crossed after i, the last one the destination; empty for non-origins */
  readonly routeStart: Int32Array;
  readonly routeNodes: Int32Array;
  /** the routes as the forest they form: the state after i on every route through i (-1: i is a destination, -2: no route reaches i), and the destination of those routes (-1: none) */
  readonly routeNext: Int32Array;
  readonly routeDest: Int32Array;
  /** the states from which irregular flow moves on (origins, and the states their routes cross before the destination), deepest in the forest first: each comes before the next state of its routes */
  readonly routeOrder: Int32Array;
  /** the lowest-income state of each geographic region (home), where a scheduled crisis starts */
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
/** How clubs are formed (params.clubs): regions, pairs or nearby groups. */
export interface ClubSpec {
  readonly kind: 'regional' | 'bilateral' | 'plurilateral';
  readonly size: number;
}

export function buildWorld(rows: readonly StateRow[], k: number, clubs: ClubSpec = { kind: 'regional', size: 3 }): World {
  const N = rows.length;
  // without positions (a table with a neighbours column only): states on a circle, for the map; distances are hops
  const placed = rows.every((r) => r.x !== undefined && r.y !== undefined);
  const x = Float64Array.from(rows, (r, i) => (placed ? r.x! : Math.cos((2 * Math.PI * i) / rows.length)));
  const y = Float64Array.from(rows, (r, i) => (placed ? r.y! : Math.sin((2 * Math.PI * i) / rows.length)));
  const home = Int32Array.from(rows, (r) => r.region);
  let Rhome = 0;
  for (let i = 0; i < N; i++) Rhome = Math.max(Rhome, home[i] + 1);
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

  const { nbrStart, nbr } = rows.some((r) => r.neighbours !== undefined) ? listedGraph(rows) : neighbourGraph(x, y, k);
  const E = nbr.length;
  const dist = new Float64Array(E);
  const onwardShare = new Float64Array(E);
  const canMoveOn = new Uint8Array(N);
  const richerIncome = new Float64Array(N);
  const richerCount = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let richer = 0;
    for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) {
      const j = nbr[e];
      dist[e] = placed ? Math.hypot(x[i] - x[j], y[i] - y[j]) : 1;
      if (income[j] > income[i]) {
        richer += income[j];
        richerCount[i]++;
      }
    }
    richerIncome[i] = richer;
    if (richer > 0) {
      canMoveOn[i] = 1;
      for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) if (income[nbr[e]] > income[i]) onwardShare[e] = income[nbr[e]] / richer;
    }
  }
  const { routeStart, routeNodes, routeNext, routeDest, routeOrder } = routes(N, nbrStart, nbr, income, lowIncome, q75);
  const crisisState = new Int32Array(Rhome).fill(-1);
  for (let i = 0; i < N; i++) {
    const r = home[i];
    if (crisisState[r] < 0 || income[i] < income[crisisState[r]]) crisisState[r] = i;
  }
  const { club: region, K: R } = clubs.kind === 'regional' ? { club: home, K: Rhome } : clubPartition(clubs, N, capacity, nbrStart, nbr, dist);
  return { N, R, names: rows.map((r) => r.name), x, y, region, home, population, income, capacity, lowIncome, nbrStart, nbr, dist, onwardShare, canMoveOn, richerIncome, richerCount, routeStart, routeNodes, routeNext, routeDest, routeOrder, crisisState };
}

/**
 * Clubs that are not regions (docs/model.md §5.3), a partition of the states so that a
 * club's members and sums stay one counter each (O(1) per decision):
 * - bilateral: pairs. Neighbour links are taken shortest first (ties: lower i, then
 *   lower j) and a link whose two states are both unpaired makes them a pair (greedy
 *   matching, so most states' partner is their nearest free neighbour); a state left
 *   without a free neighbour is a club of one, which is never effective (a club needs 2).
 *   Source: the bilateral level beside the regional one (seed 002: "the bilateral,
 *   regional, inter-regional, and multilateral levels"; seed 003: "a patchwork of
 *   regional and bilateral agreements").
 * - plurilateral: groups of up to `size` nearby states. States by capacity, largest
 *   first (ties: lower index); an ungrouped state founds a group with its ungrouped
 *   neighbours, nearest first, until the group has `size` members (a decision: a lead
 *   state and the neighbours along its borders, as a route-based partnership is).
 * Neither draws from the run's stream.
 */
export function clubPartition(clubs: ClubSpec, N: number, capacity: Float64Array, nbrStart: Int32Array, nbr: Int32Array, dist: Float64Array): { club: Int32Array; K: number } {
  const club = new Int32Array(N).fill(-1);
  let K = 0;
  if (clubs.kind === 'bilateral') {
    const links: number[] = [];
    for (let i = 0; i < N; i++) for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) if (i < nbr[e]) links.push(e);
    const from = new Int32Array(nbr.length);
    for (let i = 0; i < N; i++) for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) from[e] = i;
    links.sort((a, b) => dist[a] - dist[b] || from[a] - from[b] || nbr[a] - nbr[b]);
    for (const e of links) {
      const i = from[e];
      const j = nbr[e];
      if (club[i] < 0 && club[j] < 0) club[i] = club[j] = K++;
    }
  } else {
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => capacity[b] - capacity[a] || a - b);
    for (const i of order) {
      if (club[i] >= 0) continue;
      club[i] = K;
      const free: number[] = [];
      for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) if (club[nbr[e]] < 0) free.push(e);
      free.sort((a, b) => dist[a] - dist[b] || nbr[a] - nbr[b]);
      for (let m = 0; m < free.length && m < clubs.size - 1; m++) club[nbr[free[m]]] = K;
      K++;
    }
  }
  for (let i = 0; i < N; i++) if (club[i] < 0) club[i] = K++;
  return { club, K };
}

/** A uniform grid over the states' positions (about two states a cell), as CSR: the states of cell c are cellItems[cellStart[c] .. cellStart[c+1]). */
interface Grid {
  readonly x0: number;
  readonly y0: number;
  readonly size: number;
  readonly nx: number;
  readonly ny: number;
  readonly cellStart: Int32Array;
  readonly cellItems: Int32Array;
}

function makeGrid(x: Float64Array, y: Float64Array): Grid {
  const N = x.length;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < N; i++) {
    x0 = Math.min(x0, x[i]);
    y0 = Math.min(y0, y[i]);
    x1 = Math.max(x1, x[i]);
    y1 = Math.max(y1, y[i]);
  }
  const w = Math.max(x1 - x0, 1e-12);
  const h = Math.max(y1 - y0, 1e-12);
  const size = Math.max(Math.sqrt((2 * w * h) / N), Math.max(w, h) / 4096);
  const nx = Math.min(4096, Math.floor(w / size) + 1);
  const ny = Math.min(4096, Math.floor(h / size) + 1);
  const cellOf = new Int32Array(N);
  const cellStart = new Int32Array(nx * ny + 1);
  for (let i = 0; i < N; i++) {
    const cx = Math.min(nx - 1, Math.floor((x[i] - x0) / size));
    const cy = Math.min(ny - 1, Math.floor((y[i] - y0) / size));
    cellOf[i] = cy * nx + cx;
    cellStart[cellOf[i] + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, nx * ny);
  const cellItems = new Int32Array(N);
  for (let i = 0; i < N; i++) cellItems[fill[cellOf[i]]++] = i;
  return { x0, y0, size, nx, ny, cellStart, cellItems };
}

/**
 * The kk states nearest to i (squared distance, ties by lower index) among those
 * `allowed` accepts, by rings of grid cells around i's cell until no closer state can
 * remain; written into bestD/bestJ, sorted; returns how many were found.
 */
function nearest(g: Grid, x: Float64Array, y: Float64Array, i: number, kk: number, allowed: (j: number) => boolean, bestD: Float64Array, bestJ: Int32Array): number {
  const cx = Math.min(g.nx - 1, Math.floor((x[i] - g.x0) / g.size));
  const cy = Math.min(g.ny - 1, Math.floor((y[i] - g.y0) / g.size));
  const maxRing = Math.max(g.nx, g.ny);
  let n = 0;
  for (let r = 0; r <= maxRing; r++) {
    // every state in ring r is at least (r - 1) cells away
    if (n === kk && r >= 2 && ((r - 1) * g.size) ** 2 > bestD[kk - 1]) break;
    for (let gy = cy - r; gy <= cy + r; gy++) {
      if (gy < 0 || gy >= g.ny) continue;
      const edge = gy === cy - r || gy === cy + r;
      for (let gx = cx - r; gx <= cx + r; gx += edge ? 1 : 2 * r) {
        if (gx >= 0 && gx < g.nx) {
          const c = gy * g.nx + gx;
          for (let t = g.cellStart[c]; t < g.cellStart[c + 1]; t++) {
            const j = g.cellItems[t];
            if (j === i || !allowed(j)) continue;
            const dd = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
            if (n === kk && (dd > bestD[kk - 1] || (dd === bestD[kk - 1] && j > bestJ[kk - 1]))) continue;
            let at = n < kk ? n++ : kk - 1;
            while (at > 0 && (bestD[at - 1] > dd || (bestD[at - 1] === dd && bestJ[at - 1] > j))) {
              bestD[at] = bestD[at - 1];
              bestJ[at] = bestJ[at - 1];
              at--;
            }
            bestD[at] = dd;
            bestJ[at] = j;
          }
        }
        if (r === 0) break;
      }
    }
  }
  return n;
}

/**
 * k nearest neighbours of every state (ties by lower index), made symmetric (a link
 * either way is a link both ways); components left apart are joined by their closest
 * pairs of states (sea and air links), so that every state can be reached. A uniform
 * grid makes it about O(N k) once per run.
 */
function neighbourGraph(x: Float64Array, y: Float64Array, k: number): { nbrStart: Int32Array; nbr: Int32Array } {
  const N = x.length;
  const adj: Set<number>[] = Array.from({ length: N }, () => new Set<number>());
  const grid = makeGrid(x, y);
  const kk = Math.min(k, N - 1);
  const bestD = new Float64Array(Math.max(1, kk));
  const bestJ = new Int32Array(Math.max(1, kk));
  const any = () => true;
  for (let i = 0; i < N; i++) {
    const n = nearest(grid, x, y, i, kk, any, bestD, bestJ);
    for (let t = 0; t < n; t++) {
      adj[i].add(bestJ[t]);
      adj[bestJ[t]].add(i);
    }
  }
  // join components (Boruvka rounds): every component but the largest (ties: the one
  // holding the lowest index) is linked to the rest by its closest pair (ties: lower
  // index inside, then outside), all pairs found before any is added; until one is left
  const comp = new Int32Array(N);
  const members: number[][] = [];
  for (;;) {
    comp.fill(-1);
    members.length = 0;
    for (let s = 0; s < N; s++) {
      if (comp[s] >= 0) continue;
      const c = members.length;
      const list = [s];
      comp[s] = c;
      for (let t = 0; t < list.length; t++) for (const j of adj[list[t]]) if (comp[j] < 0) { comp[j] = c; list.push(j); }
      members.push(list);
    }
    if (members.length <= 1) break;
    let largest = 0;
    for (let c = 1; c < members.length; c++) if (members[c].length > members[largest].length) largest = c;
    const pairs: number[] = [];
    for (let c = 0; c < members.length; c++) {
      if (c === largest) continue;
      const outside = (j: number) => comp[j] !== c;
      let best = Infinity;
      let bi = -1;
      let bj = -1;
      for (const i of [...members[c]].sort((a, b) => a - b)) {
        if (nearest(grid, x, y, i, 1, outside, bestD, bestJ) === 1 && bestD[0] < best) {
          best = bestD[0];
          bi = i;
          bj = bestJ[0];
        }
      }
      pairs.push(bi, bj);
    }
    for (let t = 0; t < pairs.length; t += 2) {
      adj[pairs[t]].add(pairs[t + 1]);
      adj[pairs[t + 1]].add(pairs[t]);
    }
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

/** The neighbour graph a state table's neighbours column gives (names separated by ";"), links made symmetric; checked by parameters.ts (names known, not self, connected). */
function listedGraph(rows: readonly StateRow[]): { nbrStart: Int32Array; nbr: Int32Array } {
  const N = rows.length;
  const index = new Map(rows.map((r, i) => [r.name, i]));
  const adj: Set<number>[] = Array.from({ length: N }, () => new Set<number>());
  rows.forEach((r, i) => {
    for (const raw of (r.neighbours ?? '').split(';')) {
      const j = index.get(raw.trim());
      if (j === undefined || j === i) continue;
      adj[i].add(j);
      adj[j].add(i);
    }
  });
  const nbrStart = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) nbrStart[i + 1] = nbrStart[i] + adj[i].size;
  const nbr = new Int32Array(nbrStart[N]);
  for (let i = 0; i < N; i++) nbr.set(Array.from(adj[i]).sort((a, b) => a - b), nbrStart[i]);
  return { nbrStart, nbr };
}

/**
 * The route of every low-income state: its shortest-hop path over the neighbour graph
 * to the nearest state in the top income quartile, among equally near ones the
 * richest (then the lowest index). One breadth-first search from all those states at
 * once, seeded richest first: a state is reached first from the richest of its
 * nearest destinations, and its route follows the search tree. O(N x k) once per run,
 * plus the routes' length. The search tree is kept too (next state, destination, and
 * the states that pass flow on, deepest first), so that the irregular step can sum
 * the flows of all origins whose routes meet in one pass over the tree, O(N).
 */
function routes(N: number, nbrStart: Int32Array, nbr: Int32Array, income: Float64Array, lowIncome: Uint8Array, q75: number) {
  const next = new Int32Array(N).fill(-2);
  const queue = new Int32Array(N);
  const seeds: number[] = [];
  for (let i = 0; i < N; i++) if (income[i] >= q75) seeds.push(i);
  seeds.sort((a, b) => income[b] - income[a] || a - b);
  let tail = 0;
  for (const s of seeds) {
    next[s] = -1;
    queue[tail++] = s;
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) {
      const j = nbr[e];
      if (next[j] !== -2) continue;
      next[j] = i;
      queue[tail++] = j;
    }
  }
  const routeStart = new Int32Array(N + 1);
  for (let o = 0; o < N; o++) {
    let len = 0;
    if (lowIncome[o] && next[o] >= 0) for (let i = next[o]; i >= 0; i = next[i]) len++;
    routeStart[o + 1] = routeStart[o] + len;
  }
  const routeNodes = new Int32Array(routeStart[N]);
  for (let o = 0; o < N; o++) {
    let t = routeStart[o];
    if (lowIncome[o] && next[o] >= 0) for (let i = next[o]; i >= 0; i = next[i]) routeNodes[t++] = i;
  }
  // the search tree: breadth-first order puts every state after the next state of its
  // route, so destinations are found forward and the states that pass flow on backward
  const routeDest = new Int32Array(N).fill(-1);
  const carries = new Uint8Array(N);
  let moving = 0;
  for (let h = 0; h < tail; h++) {
    const i = queue[h];
    routeDest[i] = next[i] < 0 ? i : routeDest[next[i]];
  }
  for (let h = tail - 1; h >= 0; h--) {
    const i = queue[h];
    if (next[i] >= 0 && (lowIncome[i] || carries[i])) {
      carries[i] = 1;
      carries[next[i]] = 1;
      moving++;
    }
  }
  const routeOrder = new Int32Array(moving);
  let n = 0;
  for (let h = tail - 1; h >= 0; h--) {
    const i = queue[h];
    if (next[i] >= 0 && carries[i]) routeOrder[n++] = i;
  }
  return { routeStart, routeNodes, routeNext: next, routeDest, routeOrder };
}
