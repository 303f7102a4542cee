// Evidence for the migration-governance mechanisms (issue 4, "Required evidence, as
// tests"): every mechanism's effect has the sign the seed texts argue, comparing the
// mechanism on with it off over enough seeds to be significant.
//
// Design. Each comparison runs the same seeds with the mechanism off and on
// (seed strings `mech-0` .. `mech-<n-1>`; the population of states is drawn from the
// seed before any mechanism acts, so a pair shares its states). Other mechanisms are
// at the baseline (experiments/baseline.yaml) unless a setting says otherwise; the
// setting is chosen so that the mechanism has something to act on (e.g. norms 0,
// where the refugee regime is held only by the minimum-participation rule, so that
// a mechanism that draws states in can show).
//
// Statistic and threshold. For each seed k, d_k = (metric on) - (metric off), the
// metric averaged over the rounds named (records every 10 rounds). We report the
// mean paired difference, its standard error se = sd(d) / sqrt(n) and the paired
// t = mean / se, with the counts of positive and negative d_k (sign test), and we
// require |t| > 4 with the argued sign: for n = 30 (29 degrees of freedom) that is a
// one-sided p < 2e-4, for n = 40 p < 1.5e-4. Where the model contradicts the seed,
// the test asserts what the model does and says so in a comment marked
// "FINDING CONTRARY TO THE SEED".
//
// Run with MIGOV_VERBOSE=1 to print every figure.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Paired, pairedStats, windowMean } from './paired.ts';
import model, { type MigrationParams, params as schema } from '../../models/migration-governance.ts';
import { createSimulation, simulate } from '../../src/engine/simulate.ts';
import type { LogitProtocol } from '../../src/engine/protocol.ts';
import { loadSpec } from '../../src/experiment/load.ts';

const baselineFile = fileURLToPath(new URL('../../experiments/baseline.yaml', import.meta.url));
const spec = loadSpec(baselineFile);
if (spec.protocol.rule !== 'logit') throw new Error('the baseline is expected to use the logit rule');
const baseProtocol = spec.protocol as LogitProtocol;
const BASE = spec.params as MigrationParams;
const ROUNDS = spec.rounds; // 300
const EVERY = 10;
const N = BASE.states.N; // 60
const THRESHOLD = 4; // |paired t| that counts as significant (see the header)

const verbose = (line: string): void => {
  if (process.env.MIGOV_VERBOSE) console.log(line);
};

interface Setting {
  /** mechanisms over the baseline's */
  mechanisms?: Record<string, unknown>;
  transactionCost?: MigrationParams['transactionCost'];
  /** logit temperature (baseline 0.1) */
  T?: number;
}

function paramsOf(s: Setting): MigrationParams {
  const p = structuredClone(BASE) as MigrationParams & { mechanisms: Record<string, unknown> };
  Object.assign(p.mechanisms, s.mechanisms ?? {});
  if (s.transactionCost) p.transactionCost = s.transactionCost;
  return schema.parse(p);
}

const protocolOf = (s: Setting): LogitProtocol => ({ ...baseProtocol, temperature: s.T ?? baseProtocol.temperature });

/** A run's recorded series: mean of a metric (or a sum of metrics, `a+b`) over the records with round in [from, to]. */
type Series = (metric: string, from: number, to: number) => number;

const cache = new Map<string, Series[]>();
/** n runs of a setting, seeds mech-0 .. mech-(n-1); cached, so that settings shared by several comparisons run once. */
function runs(s: Setting, n: number): Series[] {
  const key = JSON.stringify([s, n]);
  const hit = cache.get(key);
  if (hit) return hit;
  const p = paramsOf(s);
  const protocol = protocolOf(s);
  const out: Series[] = [];
  for (let k = 0; k < n; k++) {
    const r = simulate(model, p, protocol, { seed: `mech-${k}`, rounds: ROUNDS, recordEvery: EVERY });
    out.push((metric, from, to) => windowMean(r, metric.split('+'), from, to));
  }
  cache.set(key, out);
  return out;
}

/** Paired comparison of a metric averaged over rounds [from, to]. */
function compare(off: Setting, on: Setting, metric: string, window: [number, number], n = 30): Paired {
  const a = runs(off, n).map((r) => r(metric, ...window));
  const b = runs(on, n).map((r) => r(metric, ...window));
  return pairedStats(a, b);
}

function show(label: string, c: Paired): string {
  const line = `${label}: off ${c.off.toFixed(4)} on ${c.on.toFixed(4)} diff ${c.mean.toFixed(4)} se ${c.se.toFixed(4)} t ${c.t.toFixed(2)} (+${c.pos}/-${c.neg} of ${c.n})`;
  verbose(line);
  return line;
}

function expectRise(label: string, c: Paired): void {
  const line = show(label, c);
  expect(c.mean, line).toBeGreaterThan(0);
  expect(c.t, line).toBeGreaterThan(THRESHOLD);
}

function expectFall(label: string, c: Paired): void {
  const line = show(label, c);
  expect(c.mean, line).toBeLessThan(0);
  expect(c.t, line).toBeLessThan(-THRESHOLD);
}

const LATE: [number, number] = [200, ROUNDS]; // the last third: the run has settled
const ALL: [number, number] = [0, ROUNDS];

// The weak-norm setting: norms 0, everything else at the baseline (minimum
// participation 0.1, facilitation 0.2, T = 0.1). The refugee regime is then held at
// about theta x N = 6 members by Barrett's mechanism alone (see below), which leaves
// room for a mechanism to draw states in.
const WEAK: Setting = { mechanisms: { norms: 0 } };
const BASELINE: Setting = {};

describe('norms (seed 000: human-rights and refugee-law obligations)', () => {
  it('raise refugee regime membership: norms 0.3 vs 0', () => {
    // measured: share_refugee_M 0.105 -> 0.998, diff 0.893, t ~ 900 (+30/-0);
    // refugee_gap 0.806 -> 0.053 (t ~ -25)
    expectRise('norms: share_refugee_M', compare(WEAK, BASELINE, 'share_refugee_M', LATE));
    expectFall('norms: refugee_gap', compare(WEAK, BASELINE, 'refugee_gap', LATE));
  });
});

describe('minimum participation (Barrett 2003; MODEL.md "What early prototypes showed")', () => {
  // With norms 0 the refugee good has no pull of its own (v m <= 1 < 1 + tau s), so
  // a member stays only while it is pivotal: the regime should hold about
  // ceil(theta N) members once in force, no more.
  const theta = (t: number): Setting => ({ mechanisms: { norms: 0, minimumParticipation: t } });
  const members = (r: Series, window: [number, number]) => r('share_refugee_M', ...window) * N;
  const last: [number, number] = [ROUNDS, ROUNDS];

  it('theta = 0.1 raises regime membership over theta = 0, to about ceil(theta N) = 6', () => {
    const c = compare(theta(0), theta(0.1), 'share_refugee_M', LATE);
    expectRise('minimum participation 0.1 vs 0: share_refugee_M', c);
    const on = runs(theta(0.1), 30);
    const mean = on.reduce((s, r) => s + members(r, LATE), 0) / on.length;
    const inForce = on.filter((r) => r('refugee_in_force', ...last) === 1);
    const finals = on.map((r) => Math.round(members(r, last)));
    verbose(`theta 0.1: mean members (rounds 200-300) ${mean.toFixed(2)} (ceil(theta N) = 6); in force at the end ${inForce.length}/30; final members ${finals.join(',')}`);
    // measured: 2.2 members at theta 0 -> 6.3 at theta 0.1 (share 0.037 -> 0.105,
    // t ~ 52, +30/-0); in force at the end in 30/30; final members 6..8
    expect(inForce.length).toBeGreaterThanOrEqual(27);
    expect(mean).toBeGreaterThanOrEqual(6);
    expect(mean).toBeLessThanOrEqual(8);
    for (const r of inForce) expect(Math.round(members(r, last))).toBeLessThanOrEqual(9);
  });

  it('theta = 0.2: where the regime is in force it holds about ceil(theta N) = 12; theta >= 0.3 rarely enters into force', () => {
    const on = runs(theta(0.2), 20);
    const inForce = on.filter((r) => r('refugee_in_force', ...last) === 1);
    const finals = inForce.map((r) => Math.round(members(r, last)));
    verbose(`theta 0.2: in force at the end ${inForce.length}/20, their members ${finals.join(',')}`);
    // measured: in force in 14 of 20; then 12 or 13 members
    expect(inForce.length).toBeGreaterThanOrEqual(5);
    for (const m of finals) {
      expect(m).toBeGreaterThanOrEqual(12);
      expect(m).toBeLessThanOrEqual(15);
    }
    // FINDING (reported, not argued by a seed): with a high threshold the regime must
    // first be reached by exploration, each ratifier paying the sovereignty cost of
    // ratifying before the treaty is in force, so at T = 0.1 and theta = 0.3 (18 of 60)
    // it rarely enters into force within 300 rounds.
    const high = runs(theta(0.3), 20);
    const highInForce = high.filter((r) => r('refugee_in_force', ...last) === 1).length;
    verbose(`theta 0.3: in force at the end ${highInForce}/20`);
    // measured: 0 of 20
    expect(highInForce).toBeLessThanOrEqual(10);
  });
});

describe('issue linkage (seed 003: aid and trade conditional on migration control)', () => {
  it('raises origin and transit participation in the refugee regime when norms are weak: linkage 1 vs 0, norms 0', () => {
    const on: Setting = { mechanisms: { norms: 0, linkage: 1 } };
    // measured: origin 0.161 -> 0.817 (t ~ 11.7, +28/-2), transit 0.078 -> 0.795
    // (t ~ 11.3); destinations too 0.036 -> 0.269; at linkage 0.5 origin + transit
    // 0.238 -> 0.971 (t ~ 4.9)
    expectRise('linkage: refugee_M_origin', compare(WEAK, on, 'refugee_M_origin', LATE));
    expectRise('linkage: refugee_M_transit', compare(WEAK, on, 'refugee_M_transit', LATE));
    show('linkage: refugee_M_destination', compare(WEAK, on, 'refugee_M_destination', LATE));
    show('linkage 0.5: refugee_M_origin+refugee_M_transit', compare(WEAK, { mechanisms: { norms: 0, linkage: 0.5 } }, 'refugee_M_origin+refugee_M_transit', LATE));
  });
});

describe('side payments (seed 003: development cooperation for migration control)', () => {
  it('raise origin and transit participation in refugee institutions when norms are weak: side payments 0.5 vs 0, norms 0', () => {
    // Destinations fund the payments whatever their own level (G6), so payments pull
    // origin and transit states into institutions; they go mostly to the clubs, whose
    // transaction cost is lower than the regime's.
    const on: Setting = { mechanisms: { norms: 0, sidePayments: 0.5 } };
    expectRise('side payments: refugee_C_origin+refugee_M_origin', compare(WEAK, on, 'refugee_C_origin+refugee_M_origin', LATE, 40));
    expectRise('side payments: refugee_C_transit+refugee_M_transit', compare(WEAK, on, 'refugee_C_transit+refugee_M_transit', LATE, 40));
    show('side payments: refugee_M_origin', compare(WEAK, on, 'refugee_M_origin', LATE, 40));
  });

  it('raise origin and transit membership of regional clubs (irregular, T = 0.02)', () => {
    const cold: Setting = { T: 0.02 };
    const on: Setting = { T: 0.02, mechanisms: { sidePayments: 0.5 } };
    expectRise('side payments (clubs): irregular_C_origin+irregular_C_transit', compare(cold, on, 'irregular_C_origin+irregular_C_transit', LATE));
  });
});

describe('transit leverage (seed 003: transit states demand a price for cooperation)', () => {
  it('raises transit states\' participation in the refugee regime: transit leverage 0.5 vs 0, norms 0', () => {
    const on: Setting = { mechanisms: { norms: 0, transitLeverage: 0.5 } };
    expectRise('transit leverage: refugee_C_transit+refugee_M_transit', compare(WEAK, on, 'refugee_C_transit+refugee_M_transit', LATE));
    show('transit leverage: refugee_M_transit', compare(WEAK, on, 'refugee_M_transit', LATE));
    show('transit leverage: refugee_M_origin', compare(WEAK, on, 'refugee_M_origin', LATE));
  });

  it('raises transit membership of regional clubs (irregular, T = 0.02)', () => {
    const cold: Setting = { T: 0.02 };
    const on: Setting = { T: 0.02, mechanisms: { transitLeverage: 0.5 } };
    expectRise('transit leverage (clubs): irregular_C_transit', compare(cold, on, 'irregular_C_transit', LATE));
  });
});

describe('facilitation (seeds 000/001: IOM, RCPs, "political facilitation")', () => {
  it('lets the refugee regime form at low temperature: facilitation 0.5 vs 0, T = 0.05', () => {
    // At T = 0.05 the climb to theta N = 6 ratifications, each paying the sovereignty
    // cost of ratifying, rarely happens without facilitation.
    const off: Setting = { T: 0.05, mechanisms: { facilitation: 0 } };
    const on: Setting = { T: 0.05, mechanisms: { facilitation: 0.5 } };
    // measured: share_refugee_M 0.034 -> 0.999 (t ~ 36, +30/-0)
    expectRise('facilitation (T 0.05): share_refugee_M', compare(off, on, 'share_refugee_M', LATE));
  });

  it('speeds the refugee regime\'s formation at the baseline temperature: rounds until half the states are members', () => {
    const roundsToHalf = (s: Setting, seed: string): number => {
      const sim = createSimulation(model, paramsOf(s), protocolOf(s), seed);
      const g = 0; // refugee
      const counts = sim.state.pop.counts;
      while (sim.round < ROUNDS && counts[g * 3 + 2] < N / 2) sim.step();
      return sim.round;
    };
    const n = 30;
    const seeds = Array.from({ length: n }, (_, k) => `mech-${k}`);
    const off = seeds.map((s) => roundsToHalf({ mechanisms: { facilitation: 0 } }, s));
    const on = seeds.map((s) => roundsToHalf({ mechanisms: { facilitation: 0.5 } }, s));
    // measured: 22.3 -> 6.8 rounds (t ~ -5.7, +0/-30)
    expectFall('facilitation (T 0.1): rounds until share_refugee_M >= 0.5', pairedStats(off, on));
  });

  it('shifts irregular migration from clubs to the regime (reported; facilitation cuts the larger regime cost by more)', () => {
    const off: Setting = { mechanisms: { facilitation: 0 } };
    const on: Setting = { mechanisms: { facilitation: 0.5 } };
    // FINDING (for the lead): facilitation removes a share of tau, so it cuts the
    // regime's cost (0.3) by more than the club's (0.1); at T = 0.1 irregular
    // migration moves from the clubs to the regime (measured C 0.976 -> 0.819,
    // t ~ -4.6; M 0.014 -> 0.172, t ~ 4.6); club + regime membership together
    // barely changes (0.990 -> 0.991, t ~ 1.7).
    show('facilitation: share_irregular_C', compare(off, on, 'share_irregular_C', LATE));
    const m = compare(off, on, 'share_irregular_M', LATE);
    show('facilitation: share_irregular_M', m);
    show('facilitation: share_irregular_C+share_irregular_M', compare(off, on, 'share_irregular_C+share_irregular_M', LATE));
    expect(m.mean).toBeGreaterThan(0);
  });
});

describe('confidence building (seeds 000, 004: "step-by-step ... confidence-building")', () => {
  it('raises club formation from a unilateral start when clubs are costly (T = 0.05)', () => {
    // Transaction costs fall with an institution's age from its first member on
    // (G5); the barrier to a club is its first few members, who pay full costs, so
    // the effect shows where clubs are costly and form in only some regions.
    const tc = { U: 0, C: 0.4, M: 0.8 };
    const off: Setting = { T: 0.05, transactionCost: tc };
    const on: Setting = { T: 0.05, transactionCost: tc, mechanisms: { confidenceBuilding: 1, confidenceHalfLife: 10 } };
    expectRise('confidence building (clubs, from U): share_irregular_C', compare(off, on, 'share_irregular_C', ALL, 60));
  });

  it('deepens an institution once it works: refugee regime membership beyond the threshold rises (norms 0)', () => {
    const on: Setting = { mechanisms: { norms: 0, confidenceBuilding: 1, confidenceHalfLife: 10 } };
    // measured: share_refugee_M 0.105 -> 0.237 (t ~ 30, +30/-0)
    expectRise('confidence building (regime, norms 0): share_refugee_M', compare(WEAK, on, 'share_refugee_M', LATE));
  });
});

describe('power asymmetry (seed 003: bargaining weight by capacity)', () => {
  it('raises burden inequality and shifts the burden from destinations to origin states: power asymmetry 1 vs 0', () => {
    const on: Setting = { mechanisms: { powerAsymmetry: 1 } };
    // measured: burden_gini 0.078 -> 0.321 (t ~ 17, +30/-0); refugee burden on
    // destinations 0.452 -> 0.288 (t ~ -11), on origin states 0.357 -> 0.465 (t ~ 7.6). Partly mechanical: at
    // powerAsymmetry 1 every state contributes the mean capacity, so the burden over
    // capacity is heaviest on the smallest states.
    expectRise('power asymmetry: burden_gini', compare(BASELINE, on, 'burden_gini', LATE));
    expectFall('power asymmetry: refugee_burden_destination', compare(BASELINE, on, 'refugee_burden_destination', LATE));
    expectRise('power asymmetry: refugee_burden_origin', compare(BASELINE, on, 'refugee_burden_origin', LATE));
  });
});

describe('crisis shock (seeds 000, 001, 003: crises open windows)', () => {
  // A refugee crisis in region 0 for rounds 100-149 (stakes and need x 2), norms 0 so
  // that the refugee area is not already saturated.
  const crisis: Setting = { mechanisms: { norms: 0, crisis: { issueArea: 'refugee', region: 0, start: 100, duration: 50 } } };
  const during: [number, number] = [110, 150]; // records after 10..50 crisis rounds
  it('raises refugee provision and membership while it lasts', () => {
    // measured: provision 0.181 -> 0.333 (t ~ 11, +30/-0); club + regime share
    // 0.239 -> 0.265 (t ~ 10.5), mostly refugee clubs in the hit region
    expectRise('crisis (during): refugee_provision', compare(WEAK, crisis, 'refugee_provision', during));
    expectRise('crisis (during): share_refugee_C+share_refugee_M', compare(WEAK, crisis, 'share_refugee_C+share_refugee_M', during));
  });

  it('leaves no lasting trace after it ends (reported: the window closes)', () => {
    // FINDING: once the crisis ends, the states in the hit region go back to free-riding;
    // over rounds 200-300 provision and membership equal the no-crisis runs'
    // (measured: provision 0.194 vs 0.195, t ~ 1.0; membership 0.2432 vs 0.2435).
    const p = compare(WEAK, crisis, 'refugee_provision', LATE);
    const m = compare(WEAK, crisis, 'share_refugee_C+share_refugee_M', LATE);
    show('crisis (after): refugee_provision', p);
    show('crisis (after): share_refugee_C+share_refugee_M', m);
    expect(Math.abs(p.mean)).toBeLessThan(0.01);
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
  });
});

describe('venue shopping (seed 003: forum choice keeps governance fragmented)', () => {
  it('raises the number of working institutions and lowers the concentration of membership', () => {
    // A state in one institution of an issue area keeps member access to the other
    // while contributing only where its level is, so clubs fill up beside the regime.
    const on: Setting = { mechanisms: { venueShopping: true } };
    expectRise('venue shopping: refugee_institutions', compare(BASELINE, on, 'refugee_institutions', LATE));
    expectFall('venue shopping: refugee_hhi', compare(BASELINE, on, 'refugee_hhi', LATE));
  });
});

describe('nationalism shock (seed 000: sovereignty concerns)', () => {
  // Sovereignty sensitivity x 3 for rounds 100-149; norms 0.1, where the refugee
  // regime holds (M ~ 0.99) but less firmly than at the baseline's 0.3.
  const off: Setting = { mechanisms: { norms: 0.1 } };
  const on: Setting = { mechanisms: { norms: 0.1, nationalism: { start: 100, duration: 50, factor: 3 } } };
  const during: [number, number] = [110, 150];
  it('lowers regime membership while it lasts', () => {
    // measured (40 seeds): share_refugee_M 0.990 -> 0.963 (t ~ -9.0, +0/-39);
    // irregular club + regime 0.990 -> 0.978 (t ~ -5.1)
    expectFall('nationalism (during): share_refugee_M', compare(off, on, 'share_refugee_M', during, 40));
    show('nationalism (during): share_irregular_C+share_irregular_M', compare(off, on, 'share_irregular_C+share_irregular_M', during, 40));
  });

  it('leaves no trace after it ends', () => {
    // measured: identical (diff 0): logit draws one number per revision whatever the
    // payoffs, so once the population is back where the unshocked run is, the paired
    // runs coincide
    const c = compare(off, on, 'share_refugee_M', LATE, 40);
    show('nationalism (after): share_refugee_M', c);
    expect(Math.abs(c.mean)).toBeLessThan(0.005);
  });
});
