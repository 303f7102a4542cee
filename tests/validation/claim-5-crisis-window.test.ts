// Claim 5 (issue 9): crises open windows. Seed 003_b647b389d7a18109.txt: after "the
// surge of refugees into the EU in 2015 ... two international summits were
// convened", and the process "opens a window of opportunity for deeper reforms";
// seed 001_420ddb378f391374.txt: "pressing events as the global financial crisis
// that could not be ignored"; seed 000_7345d14c4987a097.txt: States "exhibiting
// greater willingness to engage in multilateral action".
//
// The claim as tested: a crisis raises cooperation while it lasts (a), and the
// window stays open afterwards (b: hysteresis). The settings are those of
// experiments/claim-5-crisis-window.yaml (refugee protection, a public good, norms 0)
// and experiments/claim-5-crisis-window-club.yaml (irregular migration, a club good,
// costly clubs); a crisis in region 0 starts at round 100 (docs/model.md §4.5: the
// region's valuations x stakeFactor, the need x needFactor, for `duration` rounds).
//
// Design. Each comparison runs the same seeds (`claim5-0` .. `claim5-<n-1>`) without
// a crisis (duration 0) and with one; a pair shares its states and, before round
// 100, its whole trajectory. Metrics are recorded every 10 rounds and averaged over
// a window: "during" is the records at rounds 110 .. 100 + duration (a record at
// round r is the state after r rounds, so the record at 100 + duration is the last
// crisis round's), "after" the records from 100 + duration + 10 to 300.
//
// Statistic. For each seed k, d_k = (with crisis) - (without), the window mean. We
// report the mean paired difference, se = sd(d) / sqrt(n) and t = mean / se. An
// effect counts when t > 4 (n = 100: one-sided p < 1e-4). "No trace" is an
// equivalence statement, not a failure to reject: the 95 % CI of the mean paired
// difference, mean ± t_{0.975, n-1} se, must lie inside ± a margin stated at each
// assertion (a tenth of the crisis's own effect on the same metric or less).
//
// This is the sweep's question on a reduced design: the sweep observes single
// rounds with unpaired seeds across durations (charts); here window means over
// paired seeds answer the same during / after contrast with far fewer runs, and add
// the crisis strength and confidence building, which the sweep holds fixed.
//
// Run with MIGOV_VERBOSE=1 to print every figure.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Paired, pairedStats, windowMean } from './paired.ts';
import model, { type MigrationParams, params as schema } from '../../models/migration-governance.ts';
import { simulate } from '../../src/engine/simulate.ts';
import type { LogitProtocol } from '../../src/engine/protocol.ts';
import { loadSpec } from '../../src/experiment/load.ts';

const specFile = (name: string) => fileURLToPath(new URL(`../../experiments/${name}.yaml`, import.meta.url));
const PUBLIC = loadSpec(specFile('claim-5-crisis-window'));
const CLUB = loadSpec(specFile('claim-5-crisis-window-club'));
const ROUNDS = 300;
const EVERY = 10;
const START = 100;
const N_SEEDS = 100;
const THRESHOLD = 4;
const T975 = 1.9842; // t quantile, 99 degrees of freedom

const verbose = (line: string): void => {
  if (process.env.MIGOV_VERBOSE) console.log(line);
};

type Spec = typeof PUBLIC;
interface Setting {
  duration: number;
  stakeFactor?: number;
  mechanisms?: Record<string, unknown>;
}

function paramsOf(spec: Spec, s: Setting): MigrationParams {
  const p = structuredClone(spec.params) as MigrationParams & { mechanisms: Record<string, unknown> };
  Object.assign(p.mechanisms, s.mechanisms ?? {});
  const crisis = p.mechanisms.crisis as Record<string, unknown>;
  crisis.start = START;
  crisis.duration = s.duration;
  if (s.stakeFactor !== undefined) crisis.stakeFactor = s.stakeFactor;
  return schema.parse(p);
}

/** Window mean of a metric (or a sum `a+b`) over the records with round in [from, to]. */
type Series = (metric: string, from: number, to: number) => number;

const cache = new Map<string, Series[]>();
function runs(spec: Spec, s: Setting): Series[] {
  const key = JSON.stringify([spec.name, s]);
  const hit = cache.get(key);
  if (hit) return hit;
  const p = paramsOf(spec, s);
  const out = Array.from({ length: N_SEEDS }, (_, k): Series => {
    const r = simulate(model, p, spec.protocol as LogitProtocol, { seed: `claim5-${k}`, rounds: ROUNDS, recordEvery: EVERY });
    return (metric, from, to) => windowMean(r, metric.split('+'), from, to);
  });
  cache.set(key, out);
  return out;
}

function compare(spec: Spec, off: Setting, on: Setting, metric: string, window: [number, number]): Paired {
  const a = runs(spec, off).map((r) => r(metric, ...window));
  const b = runs(spec, on).map((r) => r(metric, ...window));
  return pairedStats(a, b, T975);
}

function show(label: string, c: Paired): string {
  const line = `${label}: without ${c.off.toFixed(4)} with ${c.on.toFixed(4)} diff ${c.mean.toFixed(4)} [${c.lo.toFixed(4)}, ${c.hi.toFixed(4)}] se ${c.se.toFixed(4)} t ${c.t.toFixed(2)}`;
  verbose(line);
  return line;
}

function expectRise(label: string, c: Paired): void {
  const line = show(label, c);
  expect(c.t, line).toBeGreaterThan(THRESHOLD);
}

/** Equivalence: the 95 % CI of the paired difference inside ± margin. */
function expectNoTrace(label: string, c: Paired, margin: number): void {
  const line = show(label, c) + ` (margin ± ${margin})`;
  expect(c.lo, line).toBeGreaterThan(-margin);
  expect(c.hi, line).toBeLessThan(margin);
}

const during = (s: Setting): [number, number] => [START + EVERY, START + s.duration];
const after = (s: Setting): [number, number] => [START + s.duration + EVERY, ROUNDS];

describe('claim 5, public good (refugee protection, norms 0): the window closes', () => {
  const none: Setting = { duration: 0 };
  // the sweep's crisis and a longer and stronger one
  const variants: [string, Setting][] = [
    ['50 rounds, stakes x 2', { duration: 50 }],
    ['100 rounds, stakes x 2', { duration: 100 }],
    ['100 rounds, stakes x 4', { duration: 100, stakeFactor: 4 }],
    ['100 rounds, stakes x 1.25', { duration: 100, stakeFactor: 1.25 }],
  ];

  it('raises provision while the crisis lasts, mostly by unilateral provision in the hit region', () => {
    for (const [name, s] of variants) {
      // measured (n = 100): x 2 and x 4 alike, provision 0.173 -> 0.333 (+0.160, t ~ 15.7;
      // identical, since on a public good the stakes only decide who acts alone, and
      // every state of the region does from x 1.34 on); x 1.25, +0.103 (t ~ 14.9)
      expectRise(`public, ${name}, during: refugee_provision`, compare(PUBLIC, none, s, 'refugee_provision', during(s)));
    }
    const s = variants[1][1];
    // measured: free riders 0.762 -> 0.617 (t ~ -109); club + regime 0.238 -> 0.262 (t ~ 27)
    const fr = compare(PUBLIC, none, s, 'refugee_free_riders', during(s));
    show('public, 100 rounds, during: refugee_free_riders', fr);
    expect(fr.t).toBeLessThan(-THRESHOLD);
    // club + regime membership moves far less than provision: the crisis makes the hit
    // region's states act alone (v m > 1 + tau_U s, G4), not join (e = 0: a club's
    // benefit reaches them anyway, so joining only adds its transaction cost)
    show('public, 100 rounds, during: share_refugee_C+share_refugee_M', compare(PUBLIC, none, s, 'share_refugee_C+share_refugee_M', during(s)));
  });

  it('leaves no trace after it ends, however long or strong (FINDING: no hysteresis on the public good)', () => {
    // Margins: provision ± 0.02 (an eighth of the during effect, +0.16); club +
    // regime membership ± 0.01 (under one state in 60 per record).
    // measured (n = 100): provision after 50 rounds +0.0006 [-0.0001, 0.0014]; after
    // 100 rounds x 2 or x 4 +0.0016 [0.0003, 0.0029] (t ~ 2.5): a residual of 1 % of
    // the crisis's effect; membership +0.0009 [0.0003, 0.0014]
    for (const [name, s] of variants) {
      expectNoTrace(`public, ${name}, after: refugee_provision`, compare(PUBLIC, none, s, 'refugee_provision', after(s)), 0.02);
      expectNoTrace(`public, ${name}, after: share_refugee_C+share_refugee_M`, compare(PUBLIC, none, s, 'share_refugee_C+share_refugee_M', after(s)), 0.01);
    }
  });

  it('leaves no trace with confidence building either (0.8 in both arms)', () => {
    const cb = { confidenceBuilding: 0.8 };
    const s: Setting = { duration: 100, mechanisms: cb };
    expectRise('public + confidence building, during: refugee_provision', compare(PUBLIC, { duration: 0, mechanisms: cb }, s, 'refugee_provision', during(s)));
    expectNoTrace('public + confidence building, after: refugee_provision', compare(PUBLIC, { duration: 0, mechanisms: cb }, s, 'refugee_provision', after(s)), 0.02);
    expectNoTrace('public + confidence building, after: share_refugee_C+share_refugee_M', compare(PUBLIC, { duration: 0, mechanisms: cb }, s, 'share_refugee_C+share_refugee_M', after(s)), 0.01);
    // measured: during +0.147 (t ~ 15); after, provision +0.0020 [0.0014, 0.0027] and
    // membership +0.0025 [0.0017, 0.0033] (t ~ 6): a detectable but tiny residual
    // (1.4 % of the crisis's effect; a sixth of a state in 60), and it fades: over the
    // last 50 rounds +0.0008 [0.0002, 0.0014]
    show('public + confidence building, rounds 250-300: refugee_provision', compare(PUBLIC, { duration: 0, mechanisms: cb }, s, 'refugee_provision', [250, ROUNDS]));
  });
});

describe('claim 5, club good (irregular migration, costly clubs): the window stays open', () => {
  const none: Setting = { duration: 0 };
  const long: Setting = { duration: 100 };

  it('raises club membership and provision while a severe crisis lasts (stakes x 4)', () => {
    // measured (n = 100): provision 0.049 -> 0.237 (t ~ 18); club share 0.065 -> 0.139 (t ~ 9.9)
    expectRise('club, 100 rounds x 4, during: irregular_provision', compare(CLUB, none, long, 'irregular_provision', during(long)));
    expectRise('club, 100 rounds x 4, during: share_irregular_C', compare(CLUB, none, long, 'share_irregular_C', during(long)));
  });

  it('leaves more working clubs and more provision after it ends (FINDING: hysteresis on the club good)', () => {
    const inst = compare(CLUB, none, long, 'irregular_institutions', after(long));
    const prov = compare(CLUB, none, long, 'irregular_provision', after(long));
    const members = compare(CLUB, none, long, 'share_irregular_C', after(long));
    // measured (n = 100, rounds 210-300): working clubs 0.58 -> 1.14 (t ~ 11);
    // provision 0.080 -> 0.155 (t ~ 9.8); club share 0.106 -> 0.211 (t ~ 11); 90 % of
    // the membership gain at the crisis's last record is still there after it
    expectRise('club, 100 rounds x 4, after: irregular_institutions', inst);
    expectRise('club, 100 rounds x 4, after: irregular_provision', prov);
    expectRise('club, 100 rounds x 4, after: share_C', members);
    // how much of the membership the crisis built is still there after it: the
    // after-trace over the gain at the crisis's last record
    const end = compare(CLUB, none, long, 'share_irregular_C', [START + long.duration, START + long.duration]);
    show('club, 100 rounds x 4, last crisis record: share_C', end);
    verbose(`club: share of the crisis's membership gain left after it: ${(members.mean / end.mean).toFixed(2)}`);
    expect(members.mean / end.mean).toBeGreaterThan(0.5);
    // and it does not fade within the run: the last 50 rounds (measured +0.103, t ~ 10.7)
    expectRise('club, 100 rounds x 4, rounds 250-300: share_irregular_C', compare(CLUB, none, long, 'share_irregular_C', [250, ROUNDS]));
  });

  it('a 50-round crisis and a milder one (stakes x 2) leave a trace too', () => {
    // measured: club share after, 50 rounds x 4 +0.071 (t ~ 7.8); 100 rounds x 2 +0.077 (t ~ 8.0)
    for (const [name, s] of [
      ['50 rounds x 4', { duration: 50 }],
      ['100 rounds x 2', { duration: 100, stakeFactor: 2 }],
    ] as [string, Setting][]) {
      expectRise(`club, ${name}, after: share_irregular_C`, compare(CLUB, none, s, 'share_irregular_C', after(s)));
    }
  });
});
