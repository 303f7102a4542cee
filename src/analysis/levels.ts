// The migration-governance model's levels as a theory (issue 15, part 3;
// docs/theory.md, "The migration levels").
//
// Each issue area of models/migration-governance.ts is a game of its own (docs/model.md
// §4.6): N states each choose U, C or M, and what a state earns at a level is the
// model's own payoff (per unit of capacity, G8), which is what logit revision
// compares. Nothing here re-derives that payoff: every number comes from calling the
// model (`payoff`) on a state built by the model's own `init` with the run's seed, with
// levels moved by the model's own `onSwitch`, so the theory cannot drift from the
// simulator.
//
// What is computed, per issue area and replication:
// - the Nash equilibria in pure levels. States that are identical in every field
//   the payoff reads (region, club, role weights, capacity, contribution,
//   sovereignty, valuation) are exchangeable, so a profile is a count of each type
//   at each level; when the count space is small (at most `exactLimit` profiles:
//   3^N for N distinct states, far fewer for a table of identical states) every
//   profile is checked and the list is complete. Otherwise (the generator's 60
//   distinct states) the candidates are the 27 role-wise profiles (each main role
//   at one level, the three all-alike ones among them) and the equilibria that
//   best-response dynamics reach from each of them and from the start; the list is
//   then what was found, not a proof that there is no other.
// - logit's small-noise limit (Young 1993; Blume 1993): the recurrent classes of
//   best-response dynamics, the resistance R(A, B) of the cheapest path of
//   revisions from A to B (a revision to level b costs max_l pi(l) - pi(b), logit's
//   exponent times T), each class's stochastic potential (the cheapest in-tree,
//   Chu-Liu/Edmonds) and the stochastically stable class (least potential). R is
//   exact (Dijkstra over the count space) when the count space is enumerated, and
//   an upper bound (a greedy path towards B's levels) otherwise.
// - at each temperature T: the weights of the embedded chain between the classes
//   with rates exp(-R/T) (leading exponential order: sub-exponential prefactors
//   dropped), and the waiting time to leave each class, exp(R_exit / T) revisions
//   of the critical state, i.e. about exp(R_exit / T) / revisionRate rounds.
// - for small count spaces (at most 600 profiles), the logit revision chain itself
//   solved exactly at each temperature: its stationary distribution over the count
//   space (GTH), as expected level shares and the mass on each class.
// - whether the game has an exact potential (Monderer and Shapley 1996): the
//   four-cycle condition checked on every (or, for large N, sampled) pair of
//   unilateral moves; where it holds the potential is given for each equilibrium,
//   and logit's stationary distribution is then the Gibbs one (Blume 1993).
//
// The stage game is the one at round 0: institutions' ages 0 (confidence building
// has not started) and no crisis or nationalist turn active. Where those mechanisms
// are on, the result says so in `notes`.
import { C, LEVELS, M, ROLES, U, model as governance, type MigrationParams, type MigrationState } from '../../models/migration-governance.ts';
import { setChoice } from '../engine/population.ts';
import { createRng, runIdentity, runSeed } from '../engine/rng.ts';
import { resolveSpec } from '../experiment/load.ts';
import type { Spec } from '../experiment/schema.ts';

export const LEVEL_TEMPERATURES = [0.02, 0.05, 0.1, 0.3] as const;

export interface LevelsOptions {
  /** replications analysed (their seeds are the runs' seeds), default 1 */
  readonly replications?: number;
  /** the temperatures at which weights and waiting times are given, default 0.02, 0.05, 0.1, 0.3 */
  readonly temperatures?: readonly number[];
  /** largest count space enumerated exactly, default 20,000 profiles */
  readonly exactLimit?: number;
  /** payoff differences at most this are ties, default 1e-9 */
  readonly tolerance?: number;
  /** largest count space whose logit chain is solved exactly at each temperature (dense GTH), default 600 profiles */
  readonly fullChainLimit?: number;
  /** treat identical states as exchangeable (default true); false enumerates every state's level separately (for checking the reduction) */
  readonly groupTypes?: boolean;
  /** only these issue areas (by name), default all */
  readonly issueAreas?: readonly string[];
}

type Shares = [number, number, number];

/** One recurrent class of best-response dynamics: a strict Nash equilibrium, or a set of profiles joined by payoff ties. */
export interface LevelEquilibrium {
  /** 'all M', 'origin M, transit M, destination U' (a role-wise profile) or 'mixed' */
  readonly label: string;
  /** share of states at U, C, M (of a representative profile of the class) */
  readonly shares: Shares;
  /** per main role, the share of its states at U, C, M */
  readonly roleShares: Record<(typeof ROLES)[number], Shares>;
  /** a representative profile: the level of each state */
  readonly profile: number[];
  /** the level most states hold */
  readonly modal: (typeof LEVELS)[number];
  /** a strict equilibrium (every other level pays strictly less to every state) */
  readonly strict: boolean;
  /** profiles in the class (1 for a strict equilibrium) */
  readonly size: number;
  /** the class's stochastic potential (least in-tree of resistances); the least is stochastically stable */
  readonly stochasticPotential: number;
  /** the least resistance out of the class (Infinity when it is the only class) */
  readonly exitResistance: number;
  /** the exact potential of the representative profile, relative to all U (only when an exact potential exists) */
  readonly potential?: number;
}

export interface LevelsAtTemperature {
  readonly temperature: number;
  /** the embedded chain's stationary weight of each class (same order as `equilibria`) */
  readonly weights: number[];
  /** the label of the class with the largest weight */
  readonly selected: string;
  /** its modal level */
  readonly selectedModal: string;
  /** mean over classes (by weight) of each state's logit response at the class's profile: share at U, C, M */
  readonly expectedShares: Shares;
  /** log10 of the rounds to leave each class, to leading exponential order: (R_exit / T) / ln 10 - log10(revisionRate) */
  readonly log10WaitingRounds: number[];
  /**
   * log10 of the rounds to leave each class, counting the ways: for each other class
   * B, the greedy path from A to B needs k paid moves; with every state at A drawing
   * its level independently from its logit response to A, X (the states at their
   * level in B among those that differ) is Poisson-binomial, and B is taken to be
   * reached at rate revisionRate x P(X >= k) per round. Exact in the noise's
   * combinatorics, approximate in that it treats deviations as independent (true of
   * a regime's ratifications before it is in force, not in general).
   */
  readonly log10WaitingRoundsCounted: number[];
  /** states that logit noise holds off each class's profile, on average (sum over states of 1 - logit probability of its level) */
  readonly expectedDeviators: number[];
  /**
   * Where the run should be after its rounds (a heuristic from the counted rates):
   * from the class reached from the start, move to the most likely next class while
   * the expected time to leave still fits in the rounds left. -1 if no class is
   * reached from the start.
   */
  readonly withinRounds: number;
  /** the logit chain's exact stationary distribution (count spaces of at most `fullChainLimit` profiles) */
  readonly fullChain?: FullChain;
}

export interface AreaLevels {
  readonly issueArea: string;
  readonly replication: number;
  readonly seed: string;
  readonly N: number;
  /** exchangeable types of states (1 = all alike, N = all different) */
  readonly types: number;
  /** 'all profiles' when the count space was enumerated (the lists are complete, R exact), 'candidates' otherwise */
  readonly method: 'all profiles' | 'candidates';
  /** profiles in the count space */
  readonly countSpace: number;
  /** number of pure Nash equilibria found (count profiles; all of them when method is 'all profiles') */
  readonly nashCount: number;
  /** with method 'all profiles': one representative profile (level per state) of every pure Nash equilibrium count profile, at most 1,000 */
  readonly nashProfiles?: number[][];
  /** the 27 role-wise profiles and whether each is a Nash equilibrium */
  readonly roleWise: { label: string; levels: [number, number, number]; nash: boolean; strict: boolean }[];
  /** the recurrent classes of best-response dynamics */
  readonly equilibria: LevelEquilibrium[];
  /** R[a][b]: resistance from class a to class b */
  readonly resistance: number[][];
  readonly resistanceExact: boolean;
  /** index into equilibria of the stochastically stable class(es) (least stochastic potential) */
  readonly stochasticallyStable: number[];
  /** the class best-response dynamics reach from the run's initial profile (index into equilibria), -1 if none */
  readonly fromStart: number;
  readonly potentialGame: { readonly exact: boolean; readonly maxViolation: number; readonly checked: number };
  readonly atTemperature: LevelsAtTemperature[];
  readonly notes: string[];
}

export interface LevelsAnalysis {
  readonly model: 'migration-governance';
  readonly spec: string;
  readonly temperatures: number[];
  readonly revisionRate: number;
  /** the spec's rounds (the horizon of withinRounds) */
  readonly rounds: number;
  readonly areas: AreaLevels[];
}

// --- the game of one issue area, played on the model's own state ---------------------

/** One issue area of a built model state: levels are moved with the model's own onSwitch, payoffs read from the model's own payoff. */
export interface AreaGame {
  readonly st: MigrationState;
  readonly g: number;
  readonly N: number;
}

const noRng = () => 0.5;

export function levelOf(game: AreaGame, i: number): number {
  return game.st.pop.choice[i * game.st.G + game.g];
}

export function moveTo(game: AreaGame, i: number, level: number): void {
  const from = setChoice(game.st.pop, i, game.g, level);
  if (from !== level) governance.onSwitch!(game.st, i, game.g, from, level);
}

export function setProfile(game: AreaGame, levels: ArrayLike<number>): void {
  for (let i = 0; i < game.N; i++) moveTo(game, i, levels[i]);
}

export function profileOf(game: AreaGame): Uint8Array {
  const out = new Uint8Array(game.N);
  for (let i = 0; i < game.N; i++) out[i] = levelOf(game, i);
  return out;
}

/** The payoff (per unit of capacity, as logit compares it) of state i at each level, the others as they are. */
export function payoffs(game: AreaGame, i: number, out: Float64Array = new Float64Array(3)): Float64Array {
  for (let l = 0; l < 3; l++) out[l] = governance.payoff(game.st, i, game.g, l, noRng);
  return out;
}

/** Builds the model state of one run (same seed, hence the same states, as `migov run` replication r), every level at U. */
export function buildState(spec: Spec, replication: number): { st: MigrationState; seed: string } {
  if (spec.model !== 'migration-governance') throw new Error(`analyzeLevels: model ${spec.model} is not migration-governance`);
  const seed = runSeed(spec.seed, runIdentity(spec.model, spec.params, spec.protocol), replication);
  const p = governance.params.parse(spec.params) as MigrationParams;
  const st = governance.init(p, createRng(seed));
  return { st, seed };
}

// --- exchangeable types and the count space -------------------------------------------

/** Groups the states that the payoff of issue area g cannot tell apart. */
export function typesOf(st: MigrationState, g: number): number[][] {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < st.N; i++) {
    const key = [
      st.region[i], st.club[i], st.role[i * 3], st.role[i * 3 + 1], st.role[i * 3 + 2], st.capacity[i], st.contribution[i], st.sovereignty[i], st.value[i * st.G + g], st.provides[i * st.G + g],
    ].join(',');
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  return [...byKey.values()];
}

function localStates(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a <= n; a++) for (let b = 0; b <= n - a; b++) out.push([a, b]);
  return out;
}

interface CountSpace {
  readonly types: number[][];
  readonly local: [number, number][][]; // per type: (count at U, count at C)
  readonly localIndex: Map<string, number>[];
  readonly radix: number[];
  readonly size: number;
}

function countSpace(types: number[][]): CountSpace {
  const local = types.map((t) => localStates(t.length));
  const localIndex = local.map((l) => new Map(l.map(([a, b], k) => [`${a},${b}`, k])));
  const radix = local.map((l) => l.length);
  let size = 1;
  for (const r of radix) size = size * r > Number.MAX_SAFE_INTEGER ? Infinity : size * r;
  return { types, local, localIndex, radix, size };
}

function decode(space: CountSpace, s: number): number[] {
  const out: number[] = [];
  for (const r of space.radix) {
    out.push(s % r);
    s = Math.floor(s / r);
  }
  return out;
}

function encode(space: CountSpace, digits: number[]): number {
  let s = 0;
  for (let t = space.radix.length - 1; t >= 0; t--) s = s * space.radix[t] + digits[t];
  return s;
}

/** The representative profile of a count state: in each type, the first members at U, the next at C, the rest at M. */
function representative(space: CountSpace, N: number, s: number): Uint8Array {
  const prof = new Uint8Array(N);
  decode(space, s).forEach((d, t) => {
    const [a, b] = space.local[t][d];
    space.types[t].forEach((i, k) => (prof[i] = k < a ? U : k < a + b ? C : M));
  });
  return prof;
}

// --- resistances, classes, stochastic potential ----------------------------------------

/** Cost of state i revising to level l now: max payoff minus the payoff at l (0 for a best response). */
function costTo(pay: Float64Array, l: number): number {
  return Math.max(pay[0], pay[1], pay[2]) - pay[l];
}

/** Minimum spanning arborescence (Chu-Liu/Edmonds) of a dense digraph, rooted at `root`, edge weight w(u, v) for u -> v. */
export function minArborescence(n: number, root: number, w: (u: number, v: number) => number): number {
  let edges: { u: number; v: number; w: number }[] = [];
  for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (u !== v && v !== root && Number.isFinite(w(u, v))) edges.push({ u, v, w: w(u, v) });
  let total = 0;
  let size = n;
  let r = root;
  for (;;) {
    const inW = new Array<number>(size).fill(Infinity);
    const pre = new Array<number>(size).fill(-1);
    for (const e of edges) if (e.u !== e.v && e.w < inW[e.v]) { inW[e.v] = e.w; pre[e.v] = e.u; }
    for (let v = 0; v < size; v++) if (v !== r && inW[v] === Infinity) return Infinity;
    inW[r] = 0;
    const id = new Array<number>(size).fill(-1);
    const vis = new Array<number>(size).fill(-1);
    let cycles = 0;
    for (let v = 0; v < size; v++) {
      total += inW[v];
      let x = v;
      while (vis[x] !== v && id[x] === -1 && x !== r) { vis[x] = v; x = pre[x]; }
      if (x !== r && id[x] === -1) {
        for (let y = pre[x]; y !== x; y = pre[y]) id[y] = cycles;
        id[x] = cycles++;
      }
    }
    if (cycles === 0) break;
    for (let v = 0; v < size; v++) if (id[v] === -1) id[v] = cycles++;
    edges = edges.map((e) => ({ u: id[e.u], v: id[e.v], w: e.w - inW[e.v] })).filter((e) => e.u !== e.v);
    size = cycles;
    r = id[r];
  }
  return total;
}

/** Stochastic potential of every class: the cheapest in-tree rooted at it (Young 1993), from R[a][b]. */
export function stochasticPotentials(R: number[][]): number[] {
  const k = R.length;
  return R.map((_, a) => (k === 1 ? 0 : minArborescence(k, a, (u, v) => R[v][u])));
}

/** Stationary distribution of a continuous-time chain with rates q[a][b] (Grassmann-Taksar-Heyman elimination). */
export function stationaryGTH(q: number[][]): number[] {
  const n = q.length;
  const a = q.map((row) => row.slice());
  for (let k = n - 1; k > 0; k--) {
    let s = 0;
    for (let j = 0; j < k; j++) s += a[k][j];
    if (!(s > 0)) s = Number.MIN_VALUE;
    for (let i = 0; i < k; i++) a[i][k] /= s;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) a[i][j] += a[i][k] * a[k][j];
  }
  const pi = new Array<number>(n).fill(0);
  pi[0] = 1;
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += pi[i] * a[i][k];
    pi[k] = s;
  }
  const total = pi.reduce((x, y) => x + y, 0);
  return pi.map((x) => x / total);
}

// --- the exact analysis over the count space -------------------------------------------

interface ClassInfo {
  members: number[]; // count-state indices (exact) or one profile (candidates)
  profile: Uint8Array; // representative
  strict: boolean;
}

interface Solved {
  nashCount: number;
  nashProfiles?: number[][];
  classes: ClassInfo[];
  R: number[][];
  exact: boolean;
  /** with the exact method: the logit chain over the count space at T (see fullChain) */
  fullChain?: (T: number) => FullChain;
}

/** The stationary distribution of the logit revision chain itself over the count space, at one temperature (exact; small count spaces only). */
export interface FullChain {
  /** expected share of states at U, C, M */
  readonly levelShares: [number, number, number];
  /** stationary mass on each recurrent class's profiles (same order as `equilibria`) */
  readonly classWeights: number[];
}

function solveExact(game: AreaGame, space: CountSpace, tol: number): Solved {
  const S = space.size;
  const T = space.types.length;
  const T_ = T;
  // pay[(s * T + t) * 9 + a * 3 + l]: payoff at l of a type-t state now at a (NaN where none is at a)
  const pay = new Float64Array(S * T * 9).fill(NaN);
  const row = new Float64Array(3);
  const nash = new Uint8Array(S);
  const strict = new Uint8Array(S);
  for (let s = 0; s < S; s++) {
    const prof = representative(space, game.N, s);
    setProfile(game, prof);
    let isNash = true;
    let isStrict = true;
    for (let t = 0; t < T; t++) {
      const seen = [false, false, false];
      for (const i of space.types[t]) {
        const a = prof[i];
        if (seen[a]) continue;
        seen[a] = true;
        payoffs(game, i, row);
        for (let l = 0; l < 3; l++) pay[(s * T + t) * 9 + a * 3 + l] = row[l];
        if (costTo(row, a) > tol) isNash = false;
        for (let l = 0; l < 3; l++) if (l !== a && row[a] - row[l] <= tol) isStrict = false;
      }
    }
    nash[s] = isNash ? 1 : 0;
    strict[s] = isNash && isStrict ? 1 : 0;
  }
  // moves out of s: (target, resistance)
  const moves = (s: number, visit: (to: number, r: number) => void) => {
    const digits = decode(space, s);
    for (let t = 0; t < T; t++) {
      const [a0, b0] = space.local[t][digits[t]];
      const n = space.types[t].length;
      const counts = [a0, b0, n - a0 - b0];
      for (let from = 0; from < 3; from++) {
        if (counts[from] === 0) continue;
        const base = (s * T + t) * 9 + from * 3;
        const best = Math.max(pay[base], pay[base + 1], pay[base + 2]);
        for (let to = 0; to < 3; to++) {
          if (to === from) continue;
          const c = counts.slice();
          c[from]--;
          c[to]++;
          const d = digits.slice();
          d[t] = space.localIndex[t].get(`${c[0]},${c[1]}`)!;
          const r = best - pay[base + to];
          visit(encode(space, d), r <= tol ? 0 : r);
        }
      }
    }
  };
  // recurrent classes: terminal strongly connected components of the zero-resistance graph (iterative Tarjan)
  const index = new Int32Array(S).fill(-1);
  const low = new Int32Array(S);
  const onStack = new Uint8Array(S);
  const comp = new Int32Array(S).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  const zeroOut = (s: number) => {
    const out: number[] = [];
    moves(s, (to, r) => { if (r === 0) out.push(to); });
    return out;
  };
  for (let root = 0; root < S; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; out: number[]; k: number }[] = [{ v: root, out: zeroOut(root), k: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      if (top.k < top.out.length) {
        const w = top.out[top.k++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, out: zeroOut(w), k: 0 });
        } else if (onStack[w]) low[top.v] = Math.min(low[top.v], index[w]);
      } else {
        work.pop();
        if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[top.v]);
        if (low[top.v] === index[top.v]) {
          let w: number;
          do { w = stack.pop()!; onStack[w] = 0; comp[w] = comps; } while (w !== top.v);
          comps++;
        }
      }
    }
  }
  const terminal = new Uint8Array(comps).fill(1);
  for (let s = 0; s < S; s++) moves(s, (to, r) => { if (r === 0 && comp[to] !== comp[s]) terminal[comp[s]] = 0; });
  const classOf = new Int32Array(comps).fill(-1);
  const classes: ClassInfo[] = [];
  for (let s = 0; s < S; s++) {
    const c = comp[s];
    if (!terminal[c]) continue;
    if (classOf[c] === -1) {
      classOf[c] = classes.length;
      classes.push({ members: [], profile: representative(space, game.N, s), strict: false });
    }
    const info = classes[classOf[c]];
    info.members.push(s);
  }
  for (const info of classes) info.strict = info.members.length === 1 && strict[info.members[0]] === 1;
  // Dijkstra from each class over the count space
  const R = classes.map((src) => {
    const dist = new Float64Array(S).fill(Infinity);
    const heap = new MinHeap();
    for (const s of src.members) { dist[s] = 0; heap.push(0, s); }
    while (heap.size) {
      const [d, s] = heap.pop();
      if (d > dist[s]) continue;
      moves(s, (to, r) => {
        const nd = d + r;
        if (nd < dist[to] - 1e-15) { dist[to] = nd; heap.push(nd, to); }
      });
    }
    return classes.map((dst) => Math.min(...dst.members.map((s) => dist[s])));
  });
  classes.forEach((_, a) => (R[a][a] = 0));
  let nashCount = 0;
  const nashProfiles: number[][] = [];
  for (let s = 0; s < S; s++) {
    nashCount += nash[s];
    if (nash[s] && nashProfiles.length < 1000) nashProfiles.push([...representative(space, game.N, s)]);
  }
  // The logit chain itself: a revising state is drawn uniformly (a type-t state at
  // level a with probability n_ta / N) and picks b with logit probability; the
  // revision rate is a common factor of every rate and drops out.
  const fullChain = (T: number): FullChain => {
    const q: number[][] = Array.from({ length: S }, () => new Array<number>(S).fill(0));
    const shares = Array.from({ length: S }, () => [0, 0, 0]);
    for (let x = 0; x < S; x++) {
      const digits = decode(space, x);
      for (let t = 0; t < T_; t++) {
        const [a0, b0] = space.local[t][digits[t]];
        const n = space.types[t].length;
        const counts = [a0, b0, n - a0 - b0];
        for (let from = 0; from < 3; from++) {
          shares[x][from] += counts[from] / game.N;
          if (counts[from] === 0) continue;
          const base = (x * T_ + t) * 9 + from * 3;
          const top = Math.max(pay[base], pay[base + 1], pay[base + 2]);
          const w = [0, 1, 2].map((l) => Math.exp((pay[base + l] - top) / T));
          const z = w[0] + w[1] + w[2];
          for (let to = 0; to < 3; to++) {
            if (to === from) continue;
            const c = counts.slice();
            c[from]--;
            c[to]++;
            const d = digits.slice();
            d[t] = space.localIndex[t].get(`${c[0]},${c[1]}`)!;
            q[x][encode(space, d)] += (counts[from] / game.N) * Math.max(w[to] / z, 1e-300);
          }
        }
      }
    }
    const pi = stationaryGTH(q);
    const levelShares: [number, number, number] = [0, 0, 0];
    for (let x = 0; x < S; x++) for (let l = 0; l < 3; l++) levelShares[l] += pi[x] * shares[x][l];
    return { levelShares, classWeights: classes.map((c) => c.members.reduce((sum, x) => sum + pi[x], 0)) };
  };
  return { nashCount, nashProfiles, classes, R, exact: true, fullChain };
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number { return this.keys.length; }
  push(k: number, v: number): void {
    const ks = this.keys;
    const vs = this.vals;
    let i = ks.length;
    ks.push(k);
    vs.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ks[p] <= k) break;
      ks[i] = ks[p]; vs[i] = vs[p]; i = p;
    }
    ks[i] = k; vs[i] = v;
  }
  pop(): [number, number] {
    const ks = this.keys;
    const vs = this.vals;
    const top: [number, number] = [ks[0], vs[0]];
    const k = ks.pop()!;
    const v = vs.pop()!;
    const n = ks.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && ks[c + 1] < ks[c]) c++;
        if (ks[c] >= k) break;
        ks[i] = ks[c]; vs[i] = vs[c]; i = c;
      }
      ks[i] = k; vs[i] = v;
    }
    return top;
  }
}

// --- candidates for large N: role-wise profiles, best-response dynamics, greedy paths ---

/** Whether the current profile is a Nash equilibrium (and strict). */
export function nashNow(game: AreaGame, tol: number): { nash: boolean; strict: boolean } {
  const row = new Float64Array(3);
  let strict = true;
  for (let i = 0; i < game.N; i++) {
    payoffs(game, i, row);
    const a = levelOf(game, i);
    if (costTo(row, a) > tol) return { nash: false, strict: false };
    for (let l = 0; l < 3; l++) if (l !== a && row[a] - row[l] <= tol) strict = false;
  }
  return { nash: true, strict };
}

/**
 * Best-response dynamics from the current profile: the state that gains most by
 * switching switches to its best level (lowest level on ties), until no state gains
 * more than tol. Returns false if it had not settled within `limit` moves.
 */
export function bestResponseDynamics(game: AreaGame, tol: number, limit = 50 * game.N * 3): boolean {
  const row = new Float64Array(3);
  for (let step = 0; step < limit; step++) {
    let gain = tol;
    let who = -1;
    let to = -1;
    for (let i = 0; i < game.N; i++) {
      payoffs(game, i, row);
      const a = levelOf(game, i);
      const best = row[0] >= row[1] && row[0] >= row[2] ? 0 : row[1] >= row[2] ? 1 : 2;
      const g = row[best] - row[a];
      if (g > gain) { gain = g; who = i; to = best; }
    }
    if (who === -1) return true;
    moveTo(game, who, to);
  }
  return false;
}

/**
 * An upper bound on the resistance from profile `from` to profile `to`: starting at
 * `from`, states move only towards their level in `to`; every move that is a best
 * response is free and made at once; otherwise the cheapest move is paid for.
 * Returns the resistance and the number of paid moves.
 */
export function greedyPath(game: AreaGame, from: ArrayLike<number>, to: ArrayLike<number>, tol: number, first?: (i: number) => boolean): { resistance: number; paid: number } {
  setProfile(game, from);
  const row = new Float64Array(3);
  let total = 0;
  let paid = 0;
  for (;;) {
    let free = true;
    while (free) {
      free = false;
      for (let i = 0; i < game.N; i++) {
        if (levelOf(game, i) === to[i]) continue;
        payoffs(game, i, row);
        if (costTo(row, to[i]) <= tol) { moveTo(game, i, to[i]); free = true; }
      }
    }
    let cheapest = Infinity;
    let who = -1;
    // the states `first` picks pay before the others (e.g. one region's, to build its club)
    for (const pass of first ? [true, false] : [false]) {
      for (let i = 0; i < game.N; i++) {
        if (levelOf(game, i) === to[i] || (pass && !first!(i))) continue;
        payoffs(game, i, row);
        const c = costTo(row, to[i]);
        if (c < cheapest) { cheapest = c; who = i; }
      }
      if (who !== -1) break;
    }
    if (who === -1) return { resistance: total, paid };
    total += cheapest;
    paid++;
    moveTo(game, who, to[who]);
  }
}

/**
 * The cheapest of several greedy paths from `from` to `to`: the plain one, and for
 * each region one whose paid moves take that region's states first (a club is built
 * region by region, and the cheapest move overall may scatter the first members over
 * regions). Each is a path, so the least is still an upper bound on the resistance.
 */
export function bestGreedyPath(game: AreaGame, from: ArrayLike<number>, to: ArrayLike<number>, tol: number): { resistance: number; paid: number } {
  let best = greedyPath(game, from, to, tol);
  for (let r = 0; r < game.st.R; r++) {
    const p = greedyPath(game, from, to, tol, (i) => game.st.region[i] === r);
    if (p.resistance < best.resistance - 1e-12) best = p;
  }
  return best;
}

/** The resistance of bestGreedyPath (an upper bound on the least resistance from `from` to `to`). */
export function greedyResistance(game: AreaGame, from: ArrayLike<number>, to: ArrayLike<number>, tol: number): number {
  return bestGreedyPath(game, from, to, tol).resistance;
}

/** P(X >= k) for X a sum of independent Bernoulli(q_i) (Poisson-binomial), by dynamic programming over counts up to k. */
export function poissonBinomialTail(q: readonly number[], k: number): number {
  if (k <= 0) return 1;
  const p = new Float64Array(k + 1); // p[j] = P(X = j) for j < k, p[k] = P(X >= k)
  p[0] = 1;
  for (const x of q) {
    p[k] += p[k - 1] * x;
    for (let j = k - 1; j >= 1; j--) p[j] = p[j] * (1 - x) + p[j - 1] * x;
    p[0] *= 1 - x;
  }
  return p[k];
}

function roleWiseProfile(st: MigrationState, levels: readonly number[]): Uint8Array {
  const prof = new Uint8Array(st.N);
  for (let i = 0; i < st.N; i++) prof[i] = levels[st.mainRole[i]];
  return prof;
}

function solveCandidates(game: AreaGame, start: Uint8Array, tol: number): Solved {
  const found = new Map<string, ClassInfo>();
  const consider = (prof: Uint8Array) => {
    setProfile(game, prof);
    if (!bestResponseDynamics(game, tol)) return;
    const eq = profileOf(game);
    const key = eq.join('');
    if (found.has(key)) return;
    const { nash, strict } = nashNow(game, tol);
    if (nash) found.set(key, { members: [], profile: eq, strict });
  };
  consider(start);
  for (let x = 0; x < 27; x++) consider(roleWiseProfile(game.st, [x % 3, Math.floor(x / 3) % 3, Math.floor(x / 9)]));
  const classes = [...found.values()];
  const R = classes.map((a) => classes.map((b) => (a === b ? 0 : greedyResistance(game, a.profile, b.profile, tol))));
  return { nashCount: classes.length, classes, R, exact: false };
}

// --- exact potential: Monderer and Shapley's four-cycle condition -----------------------

function fourCycle(game: AreaGame, i: number, j: number, a: number, b: number): number {
  const xi = levelOf(game, i);
  const xj = levelOf(game, j);
  const pi = (k: number, l: number) => governance.payoff(game.st, k, game.g, l, noRng);
  const d1 = pi(i, a) - pi(i, xi); // i moves first
  moveTo(game, i, a);
  const d2 = pi(j, b) - pi(j, xj);
  moveTo(game, i, xi);
  const d3 = pi(j, b) - pi(j, xj); // j moves first
  moveTo(game, j, b);
  const d4 = pi(i, a) - pi(i, xi);
  moveTo(game, j, xj);
  return d1 + d2 - d3 - d4;
}

function potentialTest(game: AreaGame, exhaustive: boolean, profiles: Uint8Array[], tol: number): { exact: boolean; maxViolation: number; checked: number } {
  let worst = 0;
  let checked = 0;
  const rng = createRng(`potential-test:${game.g}:${game.N}`);
  for (const prof of profiles) {
    setProfile(game, prof);
    const pairs = exhaustive ? game.N * game.N : 200;
    for (let k = 0; k < pairs; k++) {
      const i = exhaustive ? Math.floor(k / game.N) : Math.floor(rng() * game.N);
      const j = exhaustive ? k % game.N : Math.floor(rng() * game.N);
      if (i === j) continue;
      for (let da = 1; da < 3; da++) for (let db = 1; db < 3; db++) {
        const v = Math.abs(fourCycle(game, i, j, (levelOf(game, i) + da) % 3, (levelOf(game, j) + db) % 3));
        if (v > worst) worst = v;
        checked++;
      }
    }
  }
  return { exact: worst <= tol * 100, maxViolation: worst, checked };
}

/** The exact potential of a profile relative to all U (valid only in an exact potential game): the sum of payoff changes along a path of single moves. */
function potentialOf(game: AreaGame, prof: ArrayLike<number>): number {
  const all = new Uint8Array(game.N).fill(U);
  setProfile(game, all);
  let phi = 0;
  for (let i = 0; i < game.N; i++) {
    if (prof[i] === U) continue;
    phi += governance.payoff(game.st, i, game.g, prof[i], noRng) - governance.payoff(game.st, i, game.g, U, noRng);
    moveTo(game, i, prof[i]);
  }
  return phi;
}

// --- putting it together ------------------------------------------------------------------

function describe(st: MigrationState, prof: Uint8Array): { label: string; shares: Shares; roleShares: Record<(typeof ROLES)[number], Shares>; modal: (typeof LEVELS)[number] } {
  const shares: Shares = [0, 0, 0];
  const byRole = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const roleN = [0, 0, 0];
  for (let i = 0; i < st.N; i++) {
    shares[prof[i]] += 1 / st.N;
    byRole[st.mainRole[i]][prof[i]]++;
    roleN[st.mainRole[i]]++;
  }
  const roleShares = Object.fromEntries(ROLES.map((r, k) => [r, byRole[k].map((x) => (roleN[k] ? x / roleN[k] : 0)) as Shares])) as Record<(typeof ROLES)[number], Shares>;
  const modal = LEVELS[shares[0] >= shares[1] && shares[0] >= shares[2] ? 0 : shares[1] >= shares[2] ? 1 : 2];
  let label = 'mixed';
  const pure = (s: Shares) => s.findIndex((x) => Math.abs(x - 1) < 1e-12);
  if (pure(shares) >= 0) label = `all ${LEVELS[pure(shares)]}`;
  else {
    const per = ROLES.map((r, k) => (roleN[k] === 0 ? -2 : pure(roleShares[r])));
    if (per.every((x) => x !== -1)) label = ROLES.map((r, k) => (per[k] >= 0 ? `${r} ${LEVELS[per[k]]}` : '')).filter(Boolean).join(', ');
  }
  return { label, shares, roleShares, modal };
}

function logitShares(game: AreaGame, T: number): Shares {
  const row = new Float64Array(3);
  const out: Shares = [0, 0, 0];
  for (let i = 0; i < game.N; i++) {
    payoffs(game, i, row);
    const top = Math.max(row[0], row[1], row[2]);
    const w = [0, 1, 2].map((l) => Math.exp((row[l] - top) / T));
    const z = w[0] + w[1] + w[2];
    for (let l = 0; l < 3; l++) out[l] += w[l] / z / game.N;
  }
  return out;
}

/** The analysis of issue area g of one built state (see the file header). */
export function analyzeArea(st: MigrationState, g: number, meta: { replication: number; seed: string; temperatures: readonly number[]; revisionRate: number; rounds: number; exactLimit: number; tolerance: number; groupTypes?: boolean; fullChainLimit?: number }): AreaLevels {
  const game: AreaGame = { st, g, N: st.N };
  const tol = meta.tolerance;
  const start = profileOf(game);
  const types = meta.groupTypes === false ? Array.from({ length: st.N }, (_, i) => [i]) : typesOf(st, g);
  const space = countSpace(types);
  const exact = space.size <= meta.exactLimit;
  const solved = exact ? solveExact(game, space, tol) : solveCandidates(game, start, tol);
  const roleWise = [];
  for (let x = 0; x < 27; x++) {
    const levels: [number, number, number] = [x % 3, Math.floor(x / 3) % 3, Math.floor(x / 9)];
    setProfile(game, roleWiseProfile(st, levels));
    const { nash, strict } = nashNow(game, tol);
    roleWise.push({ label: ROLES.map((r, k) => `${r} ${LEVELS[levels[k]]}`).join(', '), levels, nash, strict });
  }
  const potentialGame = potentialTest(game, exact && st.N <= 12, exact ? solved.classes.map((c) => c.profile).concat([start]) : [start, ...solved.classes.map((c) => c.profile)], tol);
  const gamma = stochasticPotentials(solved.R);
  const least = Math.min(...gamma);
  const k = solved.classes.length;
  const equilibria: LevelEquilibrium[] = solved.classes.map((c, a) => ({
    ...describe(st, c.profile),
    profile: [...c.profile],
    strict: c.strict,
    size: Math.max(1, c.members.length),
    stochasticPotential: gamma[a],
    exitResistance: k === 1 ? Infinity : Math.min(...solved.R[a].filter((_, b) => b !== a)),
    ...(potentialGame.exact ? { potential: potentialOf(game, c.profile) } : {}),
  }));
  // the class best-response dynamics reach from the run's start
  setProfile(game, start);
  let fromStart = -1;
  if (bestResponseDynamics(game, tol)) {
    const reached = profileOf(game);
    fromStart = solved.classes.findIndex((c) => (exact ? c.members.includes(encodeProfile(space, reached)) : c.profile.join('') === reached.join('')));
  }
  // paid moves on the greedy path between every two classes, for the counted waiting time
  const paths = solved.classes.map((a) => solved.classes.map((b) => (a === b ? null : { paid: bestGreedyPath(game, a.profile, b.profile, tol).paid, to: b.profile })));
  const row = new Float64Array(3);
  const logitAt = (T: number, prof: Uint8Array, i: number, l: number) => {
    payoffs(game, i, row);
    const top = Math.max(row[0], row[1], row[2]);
    let z = 0;
    for (let x = 0; x < 3; x++) z += Math.exp((row[x] - top) / T);
    return Math.exp((row[l] - top) / T) / z;
  };
  const atTemperature = meta.temperatures.map((T) => {
    const counted: number[] = [];
    const deviators: number[] = [];
    const rates: number[][] = [];
    solved.classes.forEach((a, ka) => {
      setProfile(game, a.profile);
      let d = 0;
      for (let i = 0; i < st.N; i++) d += 1 - logitAt(T, a.profile, i, a.profile[i]);
      deviators.push(d);
      let rate = 0;
      const rateTo = new Array<number>(k).fill(0);
      paths[ka].forEach((path, kb) => {
        if (!path) return;
        const q: number[] = [];
        for (let i = 0; i < st.N; i++) if (path.to[i] !== a.profile[i]) q.push(logitAt(T, a.profile, i, path.to[i]));
        rateTo[kb] = meta.revisionRate * poissonBinomialTail(q, path.paid);
        rate += rateTo[kb];
      });
      counted.push(k === 1 ? Infinity : rate > 0 ? Math.min(-Math.log10(rate), Number.MAX_VALUE) : Infinity);
      rates.push(rateTo);
    });
    let cur = fromStart;
    let elapsed = 0;
    const seen = new Set<number>();
    while (cur >= 0 && !seen.has(cur)) {
      seen.add(cur);
      const total = rates[cur].reduce((x, y) => x + y, 0);
      if (!(total > 0) || elapsed + 1 / total > meta.rounds) break;
      elapsed += 1 / total;
      cur = rates[cur].indexOf(Math.max(...rates[cur]));
    }
    const weights = k === 1 ? [1] : stationaryGTH(solved.R.map((row, a) => row.map((r, b) => (a === b ? 0 : Math.max(Math.exp(-r / T), 1e-300)))));
    const top = weights.indexOf(Math.max(...weights));
    const expectedShares: Shares = [0, 0, 0];
    solved.classes.forEach((c, a) => {
      setProfile(game, c.profile);
      const s = logitShares(game, T);
      for (let l = 0; l < 3; l++) expectedShares[l] += weights[a] * s[l];
    });
    return {
      temperature: T,
      weights,
      selected: equilibria[top].label,
      selectedModal: equilibria[top].modal,
      expectedShares,
      log10WaitingRounds: equilibria.map((e) => (Number.isFinite(e.exitResistance) ? e.exitResistance / T / Math.LN10 - Math.log10(meta.revisionRate) : Infinity)),
      log10WaitingRoundsCounted: counted,
      expectedDeviators: deviators,
      withinRounds: cur,
      ...(solved.fullChain && space.size <= (meta.fullChainLimit ?? 600) ? { fullChain: solved.fullChain(T) } : {}),
    };
  });
  setProfile(game, start);
  const notes: string[] = [];
  const mech = st.p.mechanisms;
  if (mech.confidenceBuilding > 0) notes.push('confidence building is on: the game is analysed at round 0 (institutions of age 0), and transaction costs fall as institutions age');
  if (mech.crisis || mech.nationalism) notes.push('a crisis or nationalist turn is set: the game is analysed outside it');
  if (!exact) notes.push(`${space.size === Infinity ? 'more than 2^53' : space.size} count profiles: equilibria are those found from the 27 role-wise profiles and the start, and resistances are upper bounds (greedy paths)`);
  return {
    issueArea: st.names[g],
    replication: meta.replication,
    seed: meta.seed,
    N: st.N,
    types: types.length,
    method: exact ? 'all profiles' : 'candidates',
    countSpace: space.size,
    nashCount: solved.nashCount,
    ...(solved.nashProfiles ? { nashProfiles: solved.nashProfiles } : {}),
    roleWise,
    equilibria,
    resistance: solved.R,
    resistanceExact: solved.exact,
    stochasticallyStable: gamma.map((x, a) => (x <= least + 1e-9 ? a : -1)).filter((a) => a >= 0),
    fromStart,
    potentialGame,
    atTemperature,
    notes,
  };
}

function encodeProfile(space: CountSpace, prof: Uint8Array): number {
  const digits = space.types.map((members, t) => {
    let a = 0;
    let b = 0;
    for (const i of members) { if (prof[i] === U) a++; else if (prof[i] === C) b++; }
    return space.localIndex[t].get(`${a},${b}`)!;
  });
  return encode(space, digits);
}

/**
 * The levels of migration-governance as a theory: for each issue area (and each
 * analysed replication, i.e. each drawn population), the Nash equilibria, the
 * stochastically stable level under logit as T falls, the weights and waiting times
 * at given temperatures, and whether an exact potential exists (see the file header).
 */
export function analyzeLevels(spec: Spec | string, options: LevelsOptions = {}): LevelsAnalysis {
  const s = typeof spec === 'string' ? resolveSpec(spec) : spec;
  if (s.model !== 'migration-governance') throw new Error(`analyzeLevels: model ${s.model} is not migration-governance (the flows model's levels are discussed in docs/theory.md)`);
  const temperatures = [...(options.temperatures ?? LEVEL_TEMPERATURES)];
  const bad = temperatures.find((T) => !(T > 0) || !Number.isFinite(T));
  if (bad !== undefined) throw new Error(`analyzeLevels: temperature ${bad} is not a positive number`);
  const names = (s.params as MigrationParams).issueAreas.map((g) => g.name);
  const unknown = (options.issueAreas ?? []).filter((n) => !names.includes(n));
  if (unknown.length) throw new Error(`analyzeLevels: unknown issue area ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the issue areas are ${names.join(', ')}`);
  const revisionRate = s.protocol.revisionRate;
  const areas: AreaLevels[] = [];
  for (let r = 0; r < (options.replications ?? 1); r++) {
    const { st, seed } = buildState(s, r);
    for (let g = 0; g < st.G; g++) {
      if (options.issueAreas && !options.issueAreas.includes(st.names[g])) continue;
      areas.push(analyzeArea(st, g, { replication: r, seed, temperatures, revisionRate, rounds: s.rounds, exactLimit: options.exactLimit ?? 20_000, tolerance: options.tolerance ?? 1e-9, groupTypes: options.groupTypes, fullChainLimit: options.fullChainLimit }));
    }
  }
  return { model: 'migration-governance', spec: s.name, temperatures, revisionRate, rounds: s.rounds, areas };
}

const pct = (x: number) => x.toFixed(2);

/** A plain-text account of an analysis, as `migov analyze` prints it. */
export function formatLevels(a: LevelsAnalysis): string {
  const lines: string[] = [`${a.spec}: migration-governance levels (logit small-noise analysis; revision rate ${a.revisionRate})`];
  for (const area of a.areas) {
    lines.push('', `${area.issueArea} (replication ${area.replication}, ${area.N} states, ${area.types} types, ${area.method}, ${area.nashCount} Nash equilibria found)`);
    lines.push(`  role-wise equilibria: ${area.roleWise.filter((x) => x.nash).map((x) => x.label).join(' | ') || 'none'}`);
    lines.push(`  exact potential: ${area.potentialGame.exact ? 'yes' : 'no'} (largest four-cycle violation ${area.potentialGame.maxViolation.toExponential(2)} in ${area.potentialGame.checked} cycles)`);
    area.equilibria.forEach((e, k) => {
      const ss = area.stochasticallyStable.includes(k) ? ' [stochastically stable]' : '';
      const st = k === area.fromStart ? ' [reached from the start]' : '';
      lines.push(`  ${k}. ${e.label}: U ${pct(e.shares[0])} C ${pct(e.shares[1])} M ${pct(e.shares[2])}; ${e.strict ? 'strict' : `not strict (${e.size} profiles)`}; stochastic potential ${e.stochasticPotential.toFixed(3)}; exit resistance ${e.exitResistance.toFixed(3)}${e.potential !== undefined ? `; potential ${e.potential.toFixed(3)}` : ''}${ss}${st}`);
    });
    lines.push(`  resistances (${area.resistanceExact ? 'exact' : 'upper bounds'}): ${area.resistance.map((row) => `[${row.map((x) => x.toFixed(3)).join(' ')}]`).join(' ')}`);
    for (const t of area.atTemperature) {
      lines.push(`  T ${t.temperature}: selected ${t.selected} (weights ${t.weights.map((w) => w.toPrecision(3)).join(' ')}); expected shares U ${pct(t.expectedShares[0])} C ${pct(t.expectedShares[1])} M ${pct(t.expectedShares[2])}; log10 rounds to leave ${t.log10WaitingRounds.map((x) => (Number.isFinite(x) ? x.toFixed(1) : 'inf')).join(' ')} (leading order), ${t.log10WaitingRoundsCounted.map((x) => (Number.isFinite(x) ? x.toFixed(1) : 'inf')).join(' ')} (counting the ways); states off each class ${t.expectedDeviators.map((x) => x.toFixed(1)).join(' ')}; within ${a.rounds} rounds: ${t.withinRounds >= 0 ? area.equilibria[t.withinRounds].label : 'none'}`);
      if (t.fullChain) lines.push(`    the logit chain's exact stationary distribution: U ${pct(t.fullChain.levelShares[0])} C ${pct(t.fullChain.levelShares[1])} M ${pct(t.fullChain.levelShares[2])}; on each class ${t.fullChain.classWeights.map((w) => w.toPrecision(3)).join(' ')}`);
    }
    for (const n of area.notes) lines.push(`  note: ${n}`);
  }
  return lines.join('\n');
}
