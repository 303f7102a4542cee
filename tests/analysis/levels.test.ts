// The migration levels as a theory (src/analysis/levels.ts): the equilibria it finds
// against brute force over every profile, the small-noise selection against cases
// solved by hand, and the greedy resistance bound against the exact one.
import { describe, expect, it } from 'vitest';
import { model as governance } from '../../models/migration-governance.ts';
import { analyzeArea, analyzeLevels, buildState, formatLevels, greedyResistance, minArborescence, stationaryGTH, typesOf, type AreaGame } from '../../src/analysis/levels.ts';
import { setChoice } from '../../src/engine/population.ts';
import { runIdentity, runSeed } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { resolveSpec } from '../../src/experiment/load.ts';

const TOL = 1e-9;
const meta = { replication: 0, seed: '', temperatures: [0.05, 0.1], revisionRate: 0.2, rounds: 300, exactLimit: 20_000, tolerance: TOL };

function generated(N: number, regions: number, seed: number) {
  return resolveSpec({
    name: 'levels-test',
    model: 'migration-governance',
    params: { states: { N, regions }, initial: { U: 1, C: 0, M: 0 } },
    protocol: { rule: 'logit', temperature: 0.1, revisionRate: 0.2 },
    rounds: 10,
    seed,
  });
}

/** Three identical pure-origin states in one region, one public-good issue area (e 0, rho 0, reach 1) valued 0.7; norms eta; no facilitation; the regime in force from 1 member. */
function handCase(norms: number, copies = 3) {
  const row = { region: 0, origin: 1, transit: 0, destination: 0, capacity: 1, sovereignty: 1, values: { refugee: 0.7 } };
  return resolveSpec({
    name: 'levels-hand',
    model: 'migration-governance',
    params: {
      states: { rows: Array.from({ length: copies }, (_, k) => ({ name: `s${k}`, ...row })) },
      issueAreas: [{ name: 'refugee', excludability: 0, rivalry: 0, reach: 1, valuation: { origin: 0.7, transit: 0.7, destination: 0.7 } }],
      multiplier: 1.25,
      transactionCost: { U: 0, C: 0.1, M: 0.3 },
      mechanisms: { minimumParticipation: 0, norms, facilitation: 0 },
    },
    protocol: { rule: 'logit', temperature: 0.1, revisionRate: 0.2 },
    rounds: 10,
    seed: 1,
  });
}

/** Every profile of levels, each checked for a profitable deviation with the model's payoff directly. */
function bruteForceNash(game: AreaGame): number[][] {
  const { st, g, N } = game;
  const out: number[][] = [];
  const prof = new Array<number>(N).fill(0);
  const set = (i: number, to: number) => {
    const from = setChoice(st.pop, i, g, to);
    if (from !== to) governance.onSwitch!(st, i, g, from, to);
  };
  for (let x = 0; x < 3 ** N; x++) {
    let y = x;
    for (let i = 0; i < N; i++) { prof[i] = y % 3; y = Math.floor(y / 3); set(i, prof[i]); }
    let nash = true;
    for (let i = 0; i < N && nash; i++) {
      const here = governance.payoff(st, i, g, prof[i], () => 0.5);
      for (let l = 0; l < 3; l++) if (governance.payoff(st, i, g, l, () => 0.5) > here + TOL) nash = false;
    }
    if (nash) out.push(prof.slice());
  }
  for (let i = 0; i < N; i++) set(i, 0);
  return out;
}

/** A profile up to permutations of exchangeable states: per type, the count at each level. */
function signature(types: number[][], prof: number[]): string {
  return types.map((t) => [0, 1, 2].map((l) => t.filter((i) => prof[i] === l).length).join('/')).join(' ');
}

describe('analyzeLevels: Nash equilibria against brute force over all 3^N profiles', () => {
  for (const [N, regions, seed] of [[3, 1, 11], [3, 2, 12], [4, 2, 13], [5, 2, 14]] as const) {
    it(`N ${N}, ${regions} region(s), seed ${seed}: every issue area's equilibria are exactly the brute-force ones`, () => {
      const { st } = buildState(generated(N, regions, seed), 0);
      for (let g = 0; g < st.G; g++) {
        const area = analyzeArea(st, g, meta);
        expect(area.method).toBe('all profiles');
        const types = typesOf(st, g);
        const brute = new Set(bruteForceNash({ st, g, N }).map((p) => signature(types, p)));
        const found = new Set(area.nashProfiles!.map((p) => signature(types, p)));
        expect(found).toEqual(brute);
        expect(area.nashCount).toBe(brute.size);
        // every strict class is a Nash equilibrium that the brute force found
        for (const e of area.equilibria) if (e.strict) expect(brute.has(signature(types, e.profile))).toBe(true);
      }
    });
  }

  it('exchangeable states: two types of three identical states, the count space (100) against 3^6 profiles', () => {
    const spec = handCase(0.45, 6);
    const rows = (spec.params as { states: { rows: { capacity: number; sovereignty: number }[] } }).states.rows;
    rows.forEach((r, k) => { if (k >= 3) { r.capacity = 2; r.sovereignty = 0.6; } });
    const { st } = buildState(resolveSpec(spec), 0);
    const area = analyzeArea(st, 0, meta);
    expect(area.types).toBe(2);
    expect(area.countSpace).toBe(100);
    const types = typesOf(st, 0);
    const brute = new Set(bruteForceNash({ st, g: 0, N: 6 }).map((p) => signature(types, p)));
    expect(new Set(area.nashProfiles!.map((p) => signature(types, p)))).toEqual(brute);
  });
});

describe('analyzeLevels: the exchangeable-type reduction keeps the resistances', () => {
  it('two types of three identical states: classes, resistances and stochastic potentials over 100 count profiles equal those over all 729 profiles', () => {
    const spec = handCase(0.45, 6);
    const rows = (spec.params as { states: { rows: { capacity: number; sovereignty: number }[] } }).states.rows;
    rows.forEach((r, k) => { if (k >= 3) { r.capacity = 2; r.sovereignty = 0.6; } });
    const s = resolveSpec(spec);
    const grouped = analyzeLevels(s, { temperatures: [0.1] }).areas[0];
    const single = analyzeLevels(s, { temperatures: [0.1], groupTypes: false }).areas[0];
    expect(grouped.countSpace).toBe(100);
    expect(single.countSpace).toBe(729);
    const { st } = buildState(s, 0);
    const types = typesOf(st, 0);
    const key = (e: { profile: number[] }) => signature(types, e.profile);
    // a class of the full space is the set of permutations of a count-space class: match them by signature
    const order = grouped.equilibria.map((e) => single.equilibria.findIndex((f) => key(f) === key(e)));
    expect(order.every((k) => k >= 0)).toBe(true);
    expect(single.equilibria).toHaveLength(grouped.equilibria.length);
    order.forEach((ka, a) => order.forEach((kb, b) => expect(single.resistance[ka][kb]).toBeCloseTo(grouped.resistance[a][b], 9)));
    order.forEach((ka, a) => expect(single.equilibria[ka].stochasticPotential).toBeCloseTo(grouped.equilibria[a].stochasticPotential, 9));
    expect(grouped.equilibria.length).toBeGreaterThan(1);
  });
});

describe('analyzeLevels: stochastic stability in cases solved by hand', () => {
  // Per unit of capacity, with k others in the regime, joining it pays over acting
  // alone vm (1 + eta k) - 1 - tau_M = 0.875 (1 + eta k) - 1.3 (the club pays
  // vm - 1 - tau_C = -0.225 whatever the others do).
  it('norms 0.3: all U and all M are the equilibria; leaving all U costs 0.425 + 0.1625, leaving all M 0.1, so all U is stochastically stable', () => {
    const a = analyzeLevels(handCase(0.3), { temperatures: [0.05] }).areas[0];
    expect(a.method).toBe('all profiles');
    expect(a.equilibria.map((e) => e.label).sort()).toEqual(['all M', 'all U']);
    const u = a.equilibria.findIndex((e) => e.label === 'all U');
    const m = 1 - u;
    expect(a.resistance[u][m]).toBeCloseTo(0.425 + 0.1625, 9);
    expect(a.resistance[m][u]).toBeCloseTo(0.1, 9);
    expect(a.stochasticallyStable).toEqual([u]);
    // gains along U -> M: -0.425, -0.1625, +0.1: an exact potential with Phi(all M) = -0.4875
    expect(a.potentialGame.exact).toBe(true);
    expect(a.equilibria[m].potential).toBeCloseTo(-0.4875, 9);
    expect(a.atTemperature[0].log10WaitingRounds[m]).toBeCloseTo(0.1 / 0.05 / Math.LN10 - Math.log10(0.2), 9);
  });

  it('norms 0.6: leaving all U costs 0.425, leaving all M 0.625 + 0.1, so all M is stochastically stable', () => {
    const a = analyzeLevels(handCase(0.6), { temperatures: [0.05] }).areas[0];
    const u = a.equilibria.findIndex((e) => e.label === 'all U');
    const m = a.equilibria.findIndex((e) => e.label === 'all M');
    expect(a.equilibria).toHaveLength(2);
    expect(a.resistance[u][m]).toBeCloseTo(0.425, 9);
    expect(a.resistance[m][u]).toBeCloseTo(0.725, 9);
    expect(a.stochasticallyStable).toEqual([m]);
    expect(a.atTemperature[0].selected).toBe('all M');
    expect(a.equilibria[m].potential).toBeCloseTo(0.3, 9);
  });
});

describe('the exact potential against the simulator', () => {
  // Where analyzeLevels finds an exact potential, asynchronous logit (one revising
  // state at a time, as the engine's async updating does) has the Gibbs stationary
  // distribution exp(Phi / T) (Blume 1993). Hypothesis: on the hand case (norms 0.6,
  // T 0.3, revision rate 1), the share of 4,000 independent runs (master seed 7315,
  // used nowhere else) in each count state (U, C, M counts) after 400 rounds lies
  // within 4 binomial standard errors of Gibbs (a false alarm about 1 in 15,000 per
  // state if the runs are mixed; 400 rounds is many times the slowest escape, about
  // exp(0.725 / 0.3) = 11 revisions).
  it('Gibbs over the 27 profiles (potential from the model\'s payoffs) matches 4,000 simulated final states within 4 standard errors', () => {
    const T = 0.3;
    const spec = resolveSpec({ ...handCase(0.6), protocol: { rule: 'logit', temperature: T, revisionRate: 1 }, rounds: 400, recordEvery: 400, seed: 7315 });
    const a = analyzeLevels(spec, { temperatures: [T] }).areas[0];
    expect(a.potentialGame.exact).toBe(true);
    const { st } = buildState(spec, 0);
    const set = (i: number, to: number) => {
      const from = setChoice(st.pop, i, 0, to);
      if (from !== to) governance.onSwitch!(st, i, 0, from, to);
    };
    // Phi(profile) by single moves from all U, reading the model's payoff
    const gibbs = new Map<string, number>();
    let z = 0;
    for (let x = 0; x < 27; x++) {
      const prof = [x % 3, Math.floor(x / 3) % 3, Math.floor(x / 9)];
      for (let i = 0; i < 3; i++) set(i, 0);
      let phi = 0;
      for (let i = 0; i < 3; i++) {
        phi += governance.payoff(st, i, 0, prof[i], () => 0.5) - governance.payoff(st, i, 0, 0, () => 0.5);
        set(i, prof[i]);
      }
      const key = [0, 1, 2].map((l) => prof.filter((v) => v === l).length).join('/');
      const w = Math.exp(phi / T);
      gibbs.set(key, (gibbs.get(key) ?? 0) + w);
      z += w;
    }
    const runs = 4000;
    const seen = new Map<string, number>();
    const model = governance;
    for (let r = 0; r < runs; r++) {
      const res = simulate(model, spec.params, spec.protocol, { seed: runSeed(spec.seed, runIdentity(spec.model, spec.params, spec.protocol), r), rounds: spec.rounds, recordEvery: spec.recordEvery });
      const last = res.values[res.values.length - 1];
      const key = [0, 1, 2].map((l) => Math.round(last[l] * 3)).join('/');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, w] of gibbs) {
      const p = w / z;
      const se = Math.sqrt((p * (1 - p)) / runs);
      expect(Math.abs((seen.get(key) ?? 0) / runs - p)).toBeLessThanOrEqual(4 * se + 1e-12);
    }
  });
});

describe('the logit chain solved exactly over the count space', () => {
  it('in the hand case (an exact potential game) its stationary distribution is Gibbs, exp(Phi / T), at T 0.3 and 0.1', () => {
    for (const T of [0.3, 0.1]) {
      const a = analyzeLevels(handCase(0.6), { temperatures: [T] }).areas[0];
      const full = a.atTemperature[0].fullChain!;
      // Gibbs by hand over the 10 count states: with k in M, j in C, u in U (k + j + u = 3), summing the gains along a path from all U
      const vm = 0.875;
      const phi = (u: number, j: number, k: number) => {
        let x = 0;
        for (let n = 0; n < k; n++) x += vm * (1 + 0.6 * n) - 1.3; // the n-th joiner of the regime sees n members
        return x + j * (vm - 1.1) + 0 * u; // each club member: vm - 1 - tau_C, whatever the others do
      };
      let z = 0;
      const m = [0, 0, 0];
      for (let k = 0; k <= 3; k++) for (let j = 0; j <= 3 - k; j++) {
        const u = 3 - k - j;
        const mult = 6 / ([1, 1, 2, 6][u] * [1, 1, 2, 6][j] * [1, 1, 2, 6][k]); // profiles with these counts
        const w = mult * Math.exp(phi(u, j, k) / T);
        z += w;
        m[0] += (w * u) / 3;
        m[1] += (w * j) / 3;
        m[2] += (w * k) / 3;
      }
      for (let l = 0; l < 3; l++) expect(full.levelShares[l]).toBeCloseTo(m[l] / z, 10);
    }
  });

  it('as T falls, its mass gathers on the stochastically stable class', () => {
    const a = analyzeLevels(handCase(0.6), { temperatures: [0.3, 0.05, 0.02] }).areas[0];
    const ss = a.stochasticallyStable[0];
    const mass = a.atTemperature.map((t) => t.fullChain!.classWeights[ss]);
    expect(mass[0]).toBeLessThan(mass[1]);
    expect(mass[1]).toBeLessThan(mass[2]);
    expect(mass[2]).toBeGreaterThan(0.99);
  });
});

describe('analyzeLevels: the large-N method', () => {
  it('the greedy resistance is an upper bound on the exact one (N 5, every pair of strict equilibria)', () => {
    let pairs = 0;
    for (const seed of [21, 22, 23]) {
      const { st } = buildState(generated(5, 2, seed), 0);
      for (let g = 0; g < st.G; g++) {
        const area = analyzeArea(st, g, meta);
        const strict = area.equilibria.map((e, k) => ({ e, k })).filter(({ e }) => e.strict);
        for (const a of strict) for (const b of strict) {
          if (a.k === b.k) continue;
          expect(greedyResistance({ st, g, N: 5 }, a.e.profile, b.e.profile, TOL)).toBeGreaterThanOrEqual(area.resistance[a.k][b.k] - 1e-9);
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('on the baseline (60 distinct states) the role-wise all-M profile is an equilibrium of refugee and all-U the only one found in skilled', () => {
    const a = analyzeLevels(resolveSpec('experiments/baseline.yaml'), { temperatures: [0.1] });
    const byName = Object.fromEntries(a.areas.map((x) => [x.issueArea, x]));
    expect(byName.refugee.method).toBe('candidates');
    expect(byName.refugee.roleWise.find((r) => r.label === 'origin M, transit M, destination M')!.nash).toBe(true);
    expect(byName.skilled.equilibria.map((e) => e.label)).toEqual(['all U']);
  });
});

describe('analyzeLevels: input and output', () => {
  it('refuses another model, an unknown issue area and a temperature that is not positive', () => {
    expect(() => analyzeLevels('experiments/flows-baseline.yaml')).toThrow(/not migration-governance/);
    expect(() => analyzeLevels(handCase(0.3), { issueAreas: ['refugees'] })).toThrow(/unknown issue area "refugees"; the issue areas are refugee/);
    expect(() => analyzeLevels(handCase(0.3), { temperatures: [0] })).toThrow(/temperature 0/);
  });
  it('formatLevels names every class, the stochastically stable one and each temperature', () => {
    const text = formatLevels(analyzeLevels(handCase(0.6), { temperatures: [0.05, 0.1] }));
    expect(text).toMatch(/all M: .*\[stochastically stable\]/);
    expect(text).toMatch(/all U: .*\[reached from the start\]/);
    expect(text).toContain('T 0.05: selected all M');
    expect(text).toContain('T 0.1: selected all M');
  });
});

describe('small pieces', () => {
  it('GTH: a two-state chain with rates 2 (0 -> 1) and 1 (1 -> 0) spends 1/3 of the time in 0', () => {
    const pi = stationaryGTH([[0, 2], [1, 0]]);
    expect(pi[0]).toBeCloseTo(1 / 3, 12);
  });
  it('Chu-Liu/Edmonds: the cheapest in-tree of three nodes', () => {
    // R[a][b]: 0->1 1, 1->0 5, 0->2 4, 2->0 2, 1->2 1, 2->1 3; in-tree rooted at 2: 0->1->2 costs 2
    const R = [[0, 1, 4], [5, 0, 1], [2, 3, 0]];
    expect(minArborescence(3, 2, (u, v) => R[v][u])).toBe(2);
    expect(minArborescence(3, 0, (u, v) => R[v][u])).toBe(1 + 2); // 1->2->0
  });
  it('greedyResistance moves nothing when the target is the start', () => {
    const { st } = buildState(generated(4, 2, 31), 0);
    const prof = new Uint8Array(4);
    expect(greedyResistance({ st, g: 0, N: 4 }, prof, prof, TOL)).toBe(0);
  });
});
