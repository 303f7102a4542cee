// Evidence for the migration-governance baseline (issue 4, "Required evidence, as
// tests"): Betts' typology emerges from the goods' properties, and breaks down where
// theory says it must.
//
// Betts A (2010) "Global Migration Governance - the Emergence of a New Debate"
// (seed 002_8b4c2cb8f238c73e.txt): refugee protection is a public good governed
// multilaterally (M), irregular/low-skilled migration a club good governed in
// regional clubs (C), high-skilled migration a private good governed unilaterally
// (U). The model never names a level per issue area; a level wins because of the
// payoff equations G1-G6 (models/migration-governance.ts, docs/model.md §4.4), which
// read only excludability e, rivalry rho and reach lambda (plus valuations and
// mechanisms). MODEL.md's back-of-the-envelope guide: joining gains
// v m q + e v m Q - q (1 + tau); with e = 0 nobody joins unless a mechanism (norms,
// minimum participation, linkage) stops free-riding (Olson 1965; Barrett 2003); with
// rho = 1 pooling gains vanish and U wins; with e high and lambda small the regional
// club wins.
//
// The modal level of an issue area in a run is the level with the largest share at
// the last round (ties, which did not occur, go to the first of U, C, M).
//
// Thresholds. The baseline gives Betts' level in 100/100 (refugee), 99/100
// (irregular) and 100/100 (skilled) seeds. For the 30-seed property experiments we
// ask for at least 24 of 30 (80 %): if a level follows its properties with the
// baseline's reliability (p >= 0.93, the worst we measured), Binomial(30, 0.93)
// falls below 24 with probability ~0.1 %, while a hard-coded level would give ~0 of
// 30. "Identical across areas" needs all three areas to hit at once (measured p ~
// 0.87 in the worst property set), so we ask for 20 of 30: P(Binomial(30, 0.87) <
// 20) ~ 2e-4.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BETTS_ISSUE_AREAS, type IssueArea } from '../../models/migration-governance.ts';
import { loadSpec } from '../../src/experiment/load.ts';
import type { Spec } from '../../src/experiment/schema.ts';
import { run } from '../../src/index.ts';

const baselineFile = fileURLToPath(new URL('../../experiments/baseline.yaml', import.meta.url));
const AREAS = ['refugee', 'irregular', 'skilled'] as const;
type Area = (typeof AREAS)[number];
type Level = 'U' | 'C' | 'M';
const BETTS: Record<Area, Level> = { refugee: 'M', irregular: 'C', skilled: 'U' };
const verbose = (line: string): void => {
  if (process.env.MIGOV_VERBOSE) console.log(line);
};

/** Per replication, the metric values at the last recorded round. */
function finals(spec: Spec): Array<(metric: string) => number> {
  const { result } = run(spec, { out: false });
  return result.replications.map(({ result: r }) => {
    const last = r.values[r.values.length - 1];
    return (metric: string) => {
      const k = r.metrics.indexOf(metric);
      if (k < 0) throw new Error(`no metric ${metric}`);
      return last[k];
    };
  });
}

function modalLevel(at: (metric: string) => number, area: string): Level {
  const levels: Level[] = ['U', 'C', 'M'];
  const shares = levels.map((l) => at(`share_${area}_${l}`));
  return levels[shares.indexOf(Math.max(...shares))];
}

/** How many runs give each area each modal level. */
function tally(runs: Array<(metric: string) => number>): Record<Area, Record<Level, number>> {
  const out = Object.fromEntries(AREAS.map((a) => [a, { U: 0, C: 0, M: 0 }])) as Record<Area, Record<Level, number>>;
  for (const at of runs) for (const a of AREAS) out[a][modalLevel(at, a)]++;
  return out;
}

const baseline = loadSpec(baselineFile);
const baseAreas = (baseline.params as { issueAreas: IssueArea[] }).issueAreas;

/** The baseline with other issue areas, 30 replications, only the last round recorded. */
function variant(name: string, issueAreas: IssueArea[], mechanisms: Record<string, number> = {}, temperature?: number): Spec {
  const params = structuredClone(baseline.params) as { issueAreas: IssueArea[]; mechanisms: Record<string, unknown> };
  params.issueAreas = issueAreas;
  Object.assign(params.mechanisms, mechanisms);
  const protocol = temperature === undefined ? baseline.protocol : { ...baseline.protocol, temperature };
  return { ...baseline, name, params, protocol, replications: 30, recordEvery: baseline.rounds };
}

const props = (g: IssueArea) => ({ excludability: g.excludability, rivalry: g.rivalry, reach: g.reach });
const byName = (n: Area): IssueArea => {
  const g = baseAreas.find((x) => x.name === n);
  if (!g) throw new Error(`baseline lacks issue area ${n}`);
  return g;
};

/** The baseline's issue areas with the excludability, rivalry and reach of a and b exchanged (names, valuations and need stay). */
function swapped(a: Area, b: Area): IssueArea[] {
  return baseAreas.map((g) => (g.name === a ? { ...g, ...props(byName(b)) } : g.name === b ? { ...g, ...props(byName(a)) } : { ...g }));
}

/** Every issue area given the properties of `like`. */
function allLike(like: Area): IssueArea[] {
  return baseAreas.map((g) => ({ ...g, ...props(byName(like)) }));
}

describe('migration-governance baseline: Betts\' typology (seed 002)', () => {
  it('the baseline uses Betts\' three issue areas with the documented properties', () => {
    expect(baseAreas.map((g) => g.name)).toEqual([...AREAS]);
    for (const g of BETTS_ISSUE_AREAS) expect(props(byName(g.name as Area))).toEqual(props(g));
  });

  it('modal level matches Betts\' table (refugee M, irregular C, skilled U) in at least 90 of 100 seeds of experiments/baseline.yaml', () => {
    expect(baseline.replications).toBe(100);
    const t = tally(finals(baseline));
    verbose(`baseline modal levels over 100 seeds: ${JSON.stringify(t)}`);
    // measured: refugee M 100, irregular C 99 (M 1), skilled U 100
    for (const a of AREAS) expect(t[a][BETTS[a]], `${a}: ${JSON.stringify(t[a])}`).toBeGreaterThanOrEqual(90);
  });
});

describe('emergence, not hard-coding: levels follow excludability, rivalry and reach', () => {
  // Swapping two areas' properties must swap their modal levels; the third area keeps its own.
  const swaps: Array<[Area, Area]> = [
    ['refugee', 'skilled'],
    ['refugee', 'irregular'],
    ['irregular', 'skilled'],
  ];
  for (const [a, b] of swaps) {
    it(`swapping ${a} <-> ${b} properties swaps their modal levels (>= 24 of 30 seeds each)`, () => {
      const t = tally(finals(variant(`swap-${a}-${b}`, swapped(a, b))));
      verbose(`swap ${a}<->${b}: ${JSON.stringify(t)}`);
      // measured: refugee<->skilled: refugee U 30, skilled M 30, irregular C 30;
      // refugee<->irregular: refugee C 27 (M 3), irregular M 30, skilled U 30;
      // irregular<->skilled: irregular U 30, skilled C 29 (M 1), refugee M 30
      const expected: Record<Area, Level> = { ...BETTS, [a]: BETTS[b], [b]: BETTS[a] };
      for (const g of AREAS) expect(t[g][expected[g]], `${g}: ${JSON.stringify(t[g])}`).toBeGreaterThanOrEqual(24);
    });
  }

  for (const like of AREAS) {
    it(`every area given ${like}'s properties reaches the same level (${BETTS[like]}) in most seeds`, () => {
      const runs = finals(variant(`all-${like}`, allLike(like)));
      const t = tally(runs);
      const same = runs.filter((at) => new Set(AREAS.map((a) => modalLevel(at, a))).size === 1).length;
      verbose(`all like ${like}: ${JSON.stringify(t)}; identical in ${same}/30`);
      // measured: all-refugee M 30/30/30, identical 30; all-irregular C 28/28/30,
      // identical 26; all-skilled U 30/30/30, identical 30
      expect(same).toBeGreaterThanOrEqual(20);
      for (const g of AREAS) expect(t[g][BETTS[like]], `${g}: ${JSON.stringify(t[g])}`).toBeGreaterThanOrEqual(24);
    });
  }
});

describe('breakdown where theory says: a public good without enforcement collapses into free-riding', () => {
  // Olson (1965); Barrett (2003); MODEL.md "What early prototypes showed": a member's
  // own contribution returns v m / n^rho = v m <= 0.8 x 1.25 = 1 per unit against a
  // cost of 1 + tau s, so with no minimum participation, no norms and no linkage no
  // state gains by joining a refugee institution: the regime never forms and the
  // protection gap (seed 003) is left open.
  const off = { minimumParticipation: 0, norms: 0, linkage: 0 };

  it('at the baseline temperature (T = 0.1): refugee M share near 0, gap above 0.8, most states free-ride', () => {
    const runs = finals(variant('breakdown', baseAreas, off));
    const mean = (m: string) => runs.reduce((s, at) => s + at(m), 0) / runs.length;
    const gap = mean('refugee_gap');
    const shareM = mean('share_refugee_M');
    const freeRiders = mean('refugee_free_riders');
    verbose(`breakdown T=0.1: refugee_gap ${gap.toFixed(3)} share_refugee_M ${shareM.toFixed(3)} share_refugee_C ${mean('share_refugee_C').toFixed(3)} free_riders ${freeRiders.toFixed(3)}`);
    // measured (30 seeds): gap 0.854 (baseline: 0.065), M 0.039 (baseline 0.998),
    // C 0.149, free riders 0.812. The gap is not above 0.9 here: at T = 0.1 logit
    // noise keeps ~15 % of states in refugee clubs (joining costs them only ~0.14 per
    // unit of capacity, exp(-0.14/0.1) ~ 0.25 relative weight), and their
    // contributions fill ~15 % of the need. At T = 0.05 (next test) it is.
    expect(gap).toBeGreaterThan(0.8);
    expect(shareM).toBeLessThan(0.1);
    expect(freeRiders).toBeGreaterThan(0.7);
    // the regime is M in no seed
    expect(runs.filter((at) => modalLevel(at, 'refugee') === 'M').length).toBe(0);
  });

  it('with less exploration (T = 0.05) the gap is near total (mean > 0.9)', () => {
    const runs = finals(variant('breakdown-cold', baseAreas, off, 0.05));
    const mean = (m: string) => runs.reduce((s, at) => s + at(m), 0) / runs.length;
    verbose(`breakdown T=0.05: refugee_gap ${mean('refugee_gap').toFixed(3)} share_refugee_M ${mean('share_refugee_M').toFixed(3)} free_riders ${mean('refugee_free_riders').toFixed(3)}`);
    // measured (30 seeds): gap 0.946, M 0.004, free riders 0.863
    expect(mean('refugee_gap')).toBeGreaterThan(0.9);
    expect(mean('share_refugee_M')).toBeLessThan(0.02);
  });
});
