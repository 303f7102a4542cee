// Claim 3, the protection gap (issue 9; experiments/claim-3-protection-gap.yaml).
//
// Seed 003_b647b389d7a18109.txt: "in 2015 89 percent of all refugees and 99 percent
// of all IDPs worldwide were living in developing or emerging economies", and the
// call "for global burden-sharing in major refugee crises". Seed
// 000_7345d14c4987a097.txt: the human rights regime "imposes duties on States"; the
// mechanisms meant to share the burden are norms, issue linkage, side payments and
// facilitation (docs/model.md §4.5).
//
// What is tested, in the experiment's starting world (only the refugee issue area,
// every mechanism off but minimum participation 0.1, a refugee crisis in region 0
// from round 100 to the end: stakes and need x 2):
//   (a) Does the burden concentrate on the states near the crisis? The model has no
//       per-region burden metric; the burden carried by region 0 is computed here
//       from the simulation state that the public API exposes (createSimulation),
//       with the model's own accounting of what a state pays in (the rule behind
//       refugee_burden_<role>: a club member pays its contribution, a regime member
//       pays it while the regime is in force, a state at U pays it if it provides
//       alone). A self-check recomputes the role burdens this way and compares them
//       with the model's refugee_burden_<role> metrics.
//   (b) Is it "developing" states that carry it? The model's nearest category is
//       origin + transit role weight (refugee_burden_origin + refugee_burden_transit).
//   (c) How much does each mechanism, turned on alone, close the gap during the
//       crisis, and does it share the burden out of the crisis region?
//
// Statistic. Each comparison runs the same seeds (`claim3-0` .. `claim3-99`; the
// population is drawn from the seed before any mechanism acts, so a pair shares its
// states) in two settings; per seed the metric is averaged over the records at
// rounds 150..200 (every 10 rounds: 50 to 100 rounds into the crisis). d_k = (on) -
// (off), paired t = mean(d) / (sd(d) / sqrt(n)), significant at |t| > 4 (n = 100, 99
// degrees of freedom: one-sided p < 1e-4), as in migration-mechanisms.test.ts; 95 %
// CIs are mean +- 1.984 se. One run is one refugee issue area, 60 states, 200
// rounds: about 1.5 ms, so 100 seeds per setting and 8 settings take about 1 s. The full design with every
// combination is the sweep; the one-at-a-time contrasts here are its edges from the
// no-mechanism corner, which is where "how much does each mechanism close the gap"
// is read.
//
// Findings (measured values in the comments; MIGOV_VERBOSE=1 prints them):
//   - PARTLY SUPPORTED: with weak mechanisms the crisis concentrates the burden on
//     the crisis region, not because hosting is geographic (it is not, §4.10) but
//     because the crisis raises the hit states' stakes and they start to provide.
//     This contradicts docs/model.md §4.8/§4.10 ("a crisis ... does not move the
//     burden there"), which holds only where norms already hold everyone in the
//     regime (the baseline).
//   - NOT REPRODUCED: the 89 % on "developing" states. The origin + transit share of
//     the burden is well below 0.89 during the crisis, and the crisis lowers it.
//   - Mechanisms: norms close nearly all of the closable gap and bring the burden of
//     the crisis region back to its share of capacity; side payments and linkage
//     close about 40 % of it each; facilitation alone closes about 5 %.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import model, { C, M, ROLES, type MigrationParams, type MigrationState, params as schema } from '../../models/migration-governance.ts';
import type { LogitProtocol } from '../../src/engine/protocol.ts';
import { loadSpec } from '../../src/experiment/load.ts';
import { createSimulation } from '../../src/index.ts';

const specFile = fileURLToPath(new URL('../../experiments/claim-3-protection-gap.yaml', import.meta.url));
const spec = loadSpec(specFile);
if (spec.protocol.rule !== 'logit') throw new Error('the claim-3 spec is expected to use the logit rule');
const PROTOCOL = spec.protocol as LogitProtocol;
const BASE = spec.params as MigrationParams;
const ROUNDS = spec.rounds; // 200
const WINDOW_FROM = 150; // records at 150, 160, ..., 200: 50-100 rounds into the crisis
const EVERY = 10;
const SEEDS = 100;
const THRESHOLD = 4;
const CRISIS_REGION = BASE.mechanisms.crisis!.region; // 0
const NEED_FACTOR = BASE.mechanisms.crisis!.needFactor; // 2: the gap cannot fall below 1 - 1/2

const verbose = (line: string): void => {
  if (process.env.MIGOV_VERBOSE) console.log(line);
};

type Setting = { mechanisms?: Record<string, unknown>; crisis?: boolean };

function paramsOf(s: Setting): MigrationParams {
  const p = structuredClone(BASE) as MigrationParams & { mechanisms: Record<string, unknown> };
  Object.assign(p.mechanisms, s.mechanisms ?? {});
  if (s.crisis === false) delete p.mechanisms.crisis;
  return schema.parse(p);
}

/** What state i pays into issue area g now: the rule of the model's burden metrics (refugee_burden_<role>, burden_gini). */
function paid(st: MigrationState, i: number, g: number): number {
  const level = st.pop.choice[i * st.G + g];
  if (level === C) return st.contribution[i];
  if (level === M) return st.nM[g] >= st.minMembers ? st.contribution[i] : 0;
  return st.provides[i * st.G + g] ? st.contribution[i] : 0;
}

/** Share of what is paid in that states of region r carry (NaN when nothing is paid). */
function regionBurden(st: MigrationState, r: number, g = 0): number {
  let total = 0;
  let part = 0;
  for (let i = 0; i < st.N; i++) {
    const x = paid(st, i, g);
    total += x;
    if (st.region[i] === r) part += x;
  }
  return total > 0 ? part / total : Number.NaN;
}

/** Region r's share of all contributions (capacity when powerAsymmetry is 0): its burden share if everyone paid. */
function regionCapacity(st: MigrationState, r: number): number {
  let total = 0;
  let part = 0;
  for (let i = 0; i < st.N; i++) {
    total += st.contribution[i];
    if (st.region[i] === r) part += st.contribution[i];
  }
  return part / total;
}

function roleBurden(st: MigrationState, role: number, g = 0): number {
  let total = 0;
  let part = 0;
  for (let i = 0; i < st.N; i++) {
    const x = paid(st, i, g);
    total += x;
    part += x * st.role[i * 3 + role];
  }
  return total > 0 ? part / total : 0;
}

type Run = Record<string, number>;

const cache = new Map<string, Run[]>();
/** Per seed, every metric (the model's and ours) averaged over the records in [WINDOW_FROM, ROUNDS]. */
function runs(s: Setting): Run[] {
  const key = JSON.stringify(s);
  const hit = cache.get(key);
  if (hit) return hit;
  const p = paramsOf(s);
  const out: Run[] = [];
  for (let k = 0; k < SEEDS; k++) {
    const sim = createSimulation<MigrationState>(model, p, PROTOCOL, `claim3-${k}`);
    const sums: Run = {};
    let records = 0;
    const add = (name: string, v: number) => (sums[name] = (sums[name] ?? 0) + v);
    while (sim.round < ROUNDS) {
      sim.step();
      if (sim.round < WINDOW_FROM || sim.round % EVERY !== 0) continue;
      records++;
      sim.measure().forEach((v, j) => add(sim.metrics[j], v));
      const st = sim.state;
      add('region_burden', regionBurden(st, CRISIS_REGION));
      add('region_capacity', regionCapacity(st, CRISIS_REGION));
      ROLES.forEach((role, r) => add(`check_burden_${role}`, roleBurden(st, r)));
    }
    out.push(Object.fromEntries(Object.entries(sums).map(([m, v]) => [m, v / records])));
  }
  cache.set(key, out);
  return out;
}

const at = (rs: Run[], metric: string): number[] =>
  rs.map((r) => metric.split('+').reduce((sum, m) => {
    if (!(m in r)) throw new Error(`no metric ${m}`);
    return sum + r[m];
  }, 0));

interface Stats {
  mean: number;
  se: number;
  t: number;
  n: number;
}
function stats(xs: number[]): Stats {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  return { mean, se, t: se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Infinity, n };
}
/** t quantile for a 95 % CI of a mean of n = 100 (99 degrees of freedom). */
const T95 = 1.984;

interface Paired extends Stats {
  off: number;
  on: number;
}
function compare(off: Setting, on: Setting, metric: string): Paired {
  const a = at(runs(off), metric);
  const b = at(runs(on), metric);
  return { ...stats(b.map((x, k) => x - a[k])), off: stats(a).mean, on: stats(b).mean };
}
function show(label: string, c: Paired): string {
  const line = `${label}: off ${c.off.toFixed(4)} on ${c.on.toFixed(4)} diff ${c.mean.toFixed(4)} +- ${(T95 * c.se).toFixed(4)} (95 % CI) se ${c.se.toFixed(4)} t ${c.t.toFixed(2)} (n ${c.n})`;
  verbose(line);
  return line;
}

const NONE: Setting = {}; // the spec's starting world, with the crisis
const CALM: Setting = { crisis: false };
const NORMS: Setting = { mechanisms: { norms: 0.3 } };
const LINKAGE: Setting = { mechanisms: { linkage: 1 } };
const SIDE: Setting = { mechanisms: { sidePayments: 0.5 } };
const FACILITATION: Setting = { mechanisms: { facilitation: 0.5 } };
const BASELINE: Setting = { mechanisms: { norms: 0.3, facilitation: 0.2 } }; // the baseline's mechanisms (docs/model.md §4.8)

describe('claim 3 (seeds 000, 003): the protection gap and who carries the burden in a crisis', () => {
  it('recomputes the burden as the model does (self-check of the per-region accounting)', () => {
    // The per-region burden below uses the same rule as the model's burden metrics;
    // the role burdens computed with it must equal refugee_burden_<role>.
    for (const s of [NONE, BASELINE]) {
      for (const r of runs(s)) {
        for (const role of ROLES) expect(r[`check_burden_${role}`]).toBeCloseTo(r[`refugee_burden_${role}`], 12);
      }
    }
  });

  it('(a) with weak mechanisms a crisis concentrates the burden on the crisis region (paired, crisis vs none)', () => {
    // measured: region 0 carries 0.195 of the burden without a crisis and 0.604 during
    // it (diff 0.409 +- 0.023, t ~ 36); its share of capacity is about 0.2 (one region
    // of five): during the crisis it carries 0.393 more than that (t ~ 51).
    const c = compare(CALM, NONE, 'region_burden');
    const line = show('crisis vs none: burden share of the crisis region', c);
    expect(c.mean, line).toBeGreaterThan(0.2);
    expect(c.t, line).toBeGreaterThan(THRESHOLD);
    // and well above what the region would carry in proportion to capacity
    const excess = stats(at(runs(NONE), 'region_burden').map((x, k) => x - at(runs(NONE), 'region_capacity')[k]));
    verbose(`during the crisis, region burden - region capacity share: ${excess.mean.toFixed(4)} se ${excess.se.toFixed(4)} t ${excess.t.toFixed(2)}`);
    expect(excess.t).toBeGreaterThan(THRESHOLD);
  });

  it('(a) where norms hold the regime (the baseline) the crisis region carries only its share of capacity', () => {
    // The baseline's reading (docs/model.md §4.8) holds only here: everyone is already
    // in the regime and pays in proportion to capacity, so the crisis moves nothing.
    // measured: burden - capacity share = 0.007 (se 0.002): a small excess, far below
    // the 0.39 of the weak-mechanism world.
    const ex = at(runs(BASELINE), 'region_burden').map((x, k) => x - at(runs(BASELINE), 'region_capacity')[k]);
    const s = stats(ex);
    verbose(`baseline mechanisms, crisis: region burden - region capacity share ${s.mean.toFixed(4)} se ${s.se.toFixed(4)}`);
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
  });

  it('(b) NOT REPRODUCED: the burden on origin + transit ("developing") states stays far below 89 %', () => {
    // CLAIM NOT REPRODUCED BY THE MODEL. Roles do not depend on region (D18) and
    // hosting is not geographic, so no setting puts 89 % of the burden on origin and
    // transit states. measured (mean of 100 seeds, 95 % CI): weak mechanisms, crisis
    // 0.619 +- 0.031; baseline mechanisms, crisis 0.521 +- 0.020.
    // The crisis itself lowers the origin + transit share (0.808 -> 0.619, t ~ -12), because
    // it turns the crisis region's large destination states into providers too.
    for (const [label, s] of [['weak mechanisms', NONE], ['baseline mechanisms', BASELINE]] as const) {
      const x = stats(at(runs(s), 'refugee_burden_origin+refugee_burden_transit'));
      verbose(`${label}, crisis: origin + transit burden ${x.mean.toFixed(4)} +- ${(T95 * x.se).toFixed(4)} (95 % CI)`);
      expect(x.mean + T95 * x.se).toBeLessThan(0.8);
    }
    const shift = compare(CALM, NONE, 'refugee_burden_origin+refugee_burden_transit');
    const line = show('crisis vs none: origin + transit burden', shift);
    expect(shift.t, line).toBeLessThan(-THRESHOLD);
  });

  describe('(c) each mechanism alone, during the crisis, against none', () => {
    /** Share of the closable gap closed: the gap cannot fall below 1 - 1/needFactor = 0.5 during the crisis. */
    const closed = (c: Paired) => -c.mean / (c.off - (1 - 1 / NEED_FACTOR));
    const gapOf = (label: string, s: Setting) => {
      const gap = compare(NONE, s, 'refugee_gap');
      const line = show(`${label}: refugee_gap`, gap);
      verbose(`${label}: closes ${(100 * closed(gap)).toFixed(1)} % of the closable gap`);
      return { gap, line };
    };

    it('norms close nearly all of the closable gap and bring the crisis region back to its capacity share', () => {
      // measured: gap 0.827 -> 0.520 (t ~ -45), 94 % of the closable gap;
      // region 0's burden 0.604 -> 0.219 (t ~ -51), near its capacity share 0.2
      const { gap, line } = gapOf('norms 0.3', NORMS);
      expect(gap.t, line).toBeLessThan(-THRESHOLD);
      expect(closed(gap), line).toBeGreaterThan(0.8);
      const region = compare(NONE, NORMS, 'region_burden');
      expect(region.t, show('norms 0.3: crisis-region burden', region)).toBeLessThan(-THRESHOLD);
    });

    it('side payments and linkage close part of it (a third to a half) and spread the burden', () => {
      // measured: side payments 0.5: gap 0.827 -> 0.699 (t ~ -32), 39 % of the closable
      // gap; region burden 0.604 -> 0.343. linkage 1: gap -> 0.696 (t ~ -19), 40 %;
      // region burden -> 0.359
      for (const [label, s] of [['side payments 0.5', SIDE], ['linkage 1', LINKAGE]] as const) {
        const { gap, line } = gapOf(label, s);
        expect(gap.t, line).toBeLessThan(-THRESHOLD);
        expect(closed(gap), line).toBeGreaterThan(0.2);
        expect(closed(gap), line).toBeLessThan(0.6);
        const region = compare(NONE, s, 'region_burden');
        expect(region.t, show(`${label}: crisis-region burden`, region)).toBeLessThan(-THRESHOLD);
      }
    });

    it('facilitation alone closes almost none of it (FINDING CONTRARY TO THE SEEDS)', () => {
      // FINDING CONTRARY TO THE SEEDS (000, 002: facilitation helps overcome collective
      // action failure): facilitation lowers the club and regime transaction costs,
      // but with e = 0 and no norms nothing makes joining pay (docs/model.md §4.4:
      // "joining pays only if v m > 1 + tau s"), so a cheaper institution draws few
      // states. measured: gap 0.827 -> 0.810 (diff -0.017 +- 0.002, t ~ -14):
      // significant but only 5 % of the closable gap; region burden 0.604 -> 0.549
      const { gap, line } = gapOf('facilitation 0.5', FACILITATION);
      expect(closed(gap) + (T95 * gap.se) / (gap.off - 0.5), line).toBeLessThan(0.15);
      show('facilitation 0.5: crisis-region burden', compare(NONE, FACILITATION, 'region_burden'));
    });
  });
});
