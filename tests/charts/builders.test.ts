// Every chart builder of src/charts/: the spec compiles with vega-lite without a
// single warning, renders headlessly to SVG without runtime warnings, and draws
// the marks the data calls for (counted in vega's scenegraph and in the SVG); the
// numbers in the spec are the means and t-based 95 % CIs of the input.
import { describe, expect, it } from 'vitest';
import { provisionNeedChart, welfareByRoleChart } from '../../src/charts/final.ts';
import { projectSimplex, simplexChart, type SimplexPoint } from '../../src/charts/simplex.ts';
import { meanCi, t975 } from '../../src/charts/stats.ts';
import { phaseDiagramChart, responseCurveChart, sensitivityChart } from '../../src/charts/sweep.ts';
import { levelAreasByRoleChart, levelSharesChart, strategySharesChart } from '../../src/charts/time.ts';
import { levelView, outcomesOf, roleView, strategyView, type TargetView, targetView, termScale, welfareView } from '../../src/charts/outcomes.ts';
import { LEVEL_TERMS, ROLE_TERMS } from '../../models/migration-governance.ts';
import type { Chart, FinalRow } from '../../src/charts/types.ts';
import { AREAS, EXCL, RIV, items, markCount, migrationData, render, stream, svgItems, syntheticSweep, textbookData } from './helpers.ts';

// The baseline spec cut to 60 rounds, recorded every 10: 7 records (rounds 0..60).
const REPS = 3;
const RECORDS = 7;
const mig = migrationData(REPS, 60);
const mig1 = migrationData(1, 60);
// what the charts are given: views of the run's outcome declarations (the model's levels, roles and colours)
const LV = levelView(outcomesOf(mig))!;
const RV = roleView(outcomesOf(mig))!;
const WV = welfareView(outcomesOf(mig))!;
const TV = targetView(outcomesOf(mig))!;
const levelScale = () => termScale(LEVEL_TERMS);
const LEVEL_COLORS = Object.fromEntries(LEVEL_TERMS.map((t) => [t.id, t.color!]));
const ROLE_COLORS = Object.fromEntries(ROLE_TERMS.map((t) => [t.id, t.color!]));

type Values = Record<string, unknown>[];
const valuesOf = (c: Chart): Values => (c.spec as unknown as { data: { values: Values } }).data.values;

/** Renders and checks that neither the compiler nor the runtime warned. */
async function clean(c: Chart) {
  const r = await render(c.spec);
  expect(r.compileLog, `${c.id}: vega-lite compile log`).toEqual([]);
  expect(r.runtime, `${c.id}: vega runtime log`).toEqual([]);
  expect(r.svg.startsWith('<svg')).toBe(true);
  expect(r.svg).toContain(c.title);
  return r;
}

function finalMean(final: readonly FinalRow[], metric: string) {
  return meanCi(final.map((r) => Number(r[metric])));
}

describe('levelSharesChart', () => {
  it('draws a mean line, a CI band and a point per record for each area x level', async () => {
    const c = levelSharesChart(mig.series, LV);
    const r = await clean(c);
    expect(markCount(r.marks, 'mean')).toBe(9);
    expect(markCount(r.marks, 'band')).toBe(9);
    expect(items(r.marks, 'points')).toBe(9 * RECORDS);
    expect(svgItems(r.svg, 'points')).toBe(9 * RECORDS);
    expect(c.caption).toMatch(/3 replications/);
    expect(c.caption).toMatch(/t-based 95 % confidence interval/);
    expect(r.legendLabels).toEqual(['U unilateral', 'C club', 'M multilateral']);
  });
  it('holds the mean and t-based CI of the replications (last round = final.csv)', () => {
    const row = valuesOf(levelSharesChart(mig.series, LV)).find((v) => v.area === 'irregular' && v.level === 'C club' && v.round === 60)!;
    const s = finalMean(mig.final, 'share_irregular_C');
    expect(row.mean).toBeCloseTo(s.mean, 9);
    expect(s.ci95).toBeCloseTo((t975(REPS - 1) * s.sd) / Math.sqrt(REPS), 12);
    expect(row.lo).toBeCloseTo(Math.max(0, s.mean - s.ci95), 9);
    expect(row.hi).toBeCloseTo(Math.min(1, s.mean + s.ci95), 9);
  });
  it('with one replication draws the line only and says why there is no band', async () => {
    const c = levelSharesChart(mig1.series, LV);
    const r = await clean(c);
    expect(markCount(r.marks, 'band')).toBe(0);
    expect(markCount(r.marks, 'mean')).toBe(9);
    expect(c.caption).toMatch(/No confidence interval: it needs at least 2 replications/);
  });
  it('uses the fixed level colours', () => {
    const spec = JSON.stringify(levelSharesChart(mig.series, LV).spec);
    for (const colour of Object.values(LEVEL_COLORS)) expect(spec).toContain(colour);
  });
  it('refuses a series without level shares', () => {
    expect(() => levelSharesChart([{ replication: 0, seed: 's', round: 0, metric: 'share_C', value: 1 }], { areas: [], levels: [], metric: () => '' })).toThrow(/no share metrics declared/);
  });
});

describe('levelAreasByRoleChart', () => {
  it('stacks U, C, M in each of 3 areas x 3 roles, with a tooltip point per record', async () => {
    const c = levelAreasByRoleChart(mig.series, RV);
    const r = await clean(c);
    expect(markCount(r.marks, 'stack')).toBe(27);
    expect(items(r.marks, 'stack')).toBe(27 * RECORDS);
  });
  it('stacks to 1 in every panel and round (the levels partition a role)', () => {
    const sums = new Map<string, number>();
    for (const v of valuesOf(levelAreasByRoleChart(mig.series, RV))) {
      const key = `${v.area}|${v.role}|${v.round}`;
      sums.set(key, (sums.get(key) ?? 0) + (v.mean as number));
    }
    expect(sums.size).toBe(9 * RECORDS);
    for (const [key, sum] of sums) expect(Math.abs(sum - 1), key).toBeLessThan(1e-9);
  });
});

describe('strategySharesChart', () => {
  it('draws one line and band per strategy of a textbook model', async () => {
    const tb = textbookData(REPS);
    const records = new Set(tb.series.map((s) => s.round)).size;
    const sv = strategyView(outcomesOf(tb))!;
    const c = strategySharesChart(tb.series, sv.strategies.map((t) => t.id), 'optional-pgg', sv.strategies, sv.metric);
    const r = await clean(c);
    expect(markCount(r.marks, 'mean')).toBe(3);
    expect(markCount(r.marks, 'band')).toBe(3);
    expect(items(r.marks, 'points')).toBe(3 * records);
    // the strategies spelled out, as the model declares them
    expect(r.legendLabels).toEqual(['C cooperate', 'D defect', 'L loner (stay out)']);
    expect(c.caption).toMatch(/C cooperate, D defect, L loner/);
  });
});

describe('simplexChart', () => {
  it('projects the vertices and the centre of the triangle', () => {
    expect(projectSimplex(1, 0, 0)).toEqual({ x: 0, y: 0 });
    expect(projectSimplex(0, 1, 0)).toEqual({ x: 1, y: 0 });
    const m = projectSimplex(0, 0, 2)!;
    expect(m.x).toBeCloseTo(0.5, 12);
    expect(m.y).toBeCloseTo(Math.sqrt(3) / 2, 12);
    const centre = projectSimplex(1, 1, 1)!;
    expect(centre.x).toBeCloseTo(0.5, 12);
    expect(centre.y).toBeCloseTo(Math.sqrt(3) / 6, 12);
    expect(projectSimplex(0, 0, 0)).toBeNull();
  });
  it('draws 3 edges, 3 vertex labels and every point in each panel', async () => {
    const points: SimplexPoint[] = AREAS.flatMap((panel) => mig.final.map((row) => ({ panel, label: `replication ${row.replication}`, u: Number(row[`share_${panel}_U`]), c: Number(row[`share_${panel}_C`]), m: Number(row[`share_${panel}_M`]) })));
    const c = simplexChart(points, { unit: 'one replication', source: '3 replications', levels: LEVEL_TERMS });
    const r = await clean(c);
    expect(items(r.marks, 'edges')).toBe(3 * 3);
    expect(items(r.marks, 'vertices')).toBe(3 * 3);
    expect(items(r.marks, 'points')).toBe(REPS * 3);
    expect(svgItems(r.svg, 'points')).toBe(REPS * 3);
    expect(r.svg).toContain('>M multilateral</text>');
  });
  it('draws an equilateral triangle on screen (edge lengths within 1 px)', async () => {
    const r = await clean(simplexChart([{ panel: 'a', label: 'p', u: 0.2, c: 0.3, m: 0.5 }], { unit: 'one run', source: '1 run', levels: LEVEL_TERMS }));
    const lengths = [...r.svg.matchAll(/role-mark edges_marks[^>]*>(.*?)<\/g>/gs)]
      .flatMap((g) => [...g[1].matchAll(/x2="([-\d.e]+)" y2="([-\d.e]+)"/g)])
      .map((m) => Math.hypot(Number(m[1]), Number(m[2])));
    expect(lengths).toHaveLength(3);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThan(1);
  });
});

describe('welfareByRoleChart', () => {
  it('draws a bar and a CI error bar per role, at the mean of final welfare_<role>', async () => {
    const c = welfareByRoleChart(mig.final, WV);
    const r = await clean(c);
    expect(items(r.marks, 'bars')).toBe(3);
    expect(items(r.marks, 'errorbars_layer_2')).toBe(3);
    const dest = valuesOf(c).find((v) => v.role === 'destination')!;
    const s = finalMean(mig.final, 'welfare_destination');
    expect(dest.mean).toBeCloseTo(s.mean, 6);
    expect((dest.hi as number) - (dest.mean as number)).toBeCloseTo(s.ci95, 6);
    expect(JSON.stringify(c.spec)).toContain(ROLE_COLORS.destination);
  });
  it('has no error bars with one replication', async () => {
    const r = await clean(welfareByRoleChart(mig1.final, WV));
    expect(items(r.marks, 'bars')).toBe(3);
    expect(markCount(r.marks, 'errorbars_layer_2')).toBe(0);
  });
});

describe('provisionNeedChart', () => {
  it('draws provision bars, need ticks, a gap label per area and a gap line where need exceeds provision', async () => {
    const c = provisionNeedChart(mig.final, TV);
    const r = await clean(c);
    const rows = valuesOf(c);
    expect(items(r.marks, 'bars')).toBe(3);
    expect(items(r.marks, 'need')).toBe(3);
    expect(items(r.marks, 'gaplabels')).toBe(3);
    expect(items(r.marks, 'gap')).toBe(rows.filter((v) => (v.need as number) > (v.provision as number)).length);
    const skilled = rows.find((v) => v.area === 'skilled')!;
    expect(skilled.gap).toBeCloseTo(finalMean(mig.final, 'skilled_gap').mean, 6);
  });
  it('draws a gap line only where there is a gap (synthetic rows)', async () => {
    const final: FinalRow[] = [0, 1].map((replication) => ({ replication, seed: 's', a_provision: 1.2, a_need: 1, a_gap: 0, b_provision: 0.5 + 0.1 * replication, b_need: 1, b_gap: 0.45 }));
    const view: TargetView = { areas: ['a', 'b'], unit: 'share of full provision', value: (a) => `${a}_provision`, target: (a) => `${a}_need`, gap: (a) => `${a}_gap` };
    const c = provisionNeedChart(final, view);
    const r = await clean(c);
    expect(items(r.marks, 'gap')).toBe(1);
    expect(valuesOf(c).map((v) => v.gapLabel)).toEqual(['gap 0 %', 'gap 45 %']);
  });
});

describe('phaseDiagramChart', () => {
  const sw = syntheticSweep(4, 3, 4);
  it('fills one cell per grid point in each issue area (modal level, nominal U/C/M colours)', async () => {
    const c = phaseDiagramChart(sw.summary, { x: EXCL, y: RIV, mode: 'modal-level', areas: AREAS, levels: LV });
    const r = await clean(c);
    expect(items(r.marks, 'cells')).toBe(4 * 3 * 3);
    expect(svgItems(r.svg, 'cells')).toBe(4 * 3 * 3);
    expect(r.legendLabels).toEqual(['U unilateral', 'C club', 'M multilateral']);
    const modal = new Set(valuesOf(c).map((v) => v.modal));
    expect(modal.has('M multilateral') && modal.has('U unilateral')).toBe(true);
    // Each cell's modal level is the argmax of the mean shares shown with it.
    for (const v of valuesOf(c)) {
      const means = { 'U unilateral': v.u as number, 'C club': v.c as number, 'M multilateral': v.m as number };
      expect(means[v.modal as keyof typeof means]).toBe(Math.max(...Object.values(means)));
    }
    expect(c.caption).toMatch(/48 runs: 12 design points x 4 replications/);
  });
  it('colours by the multilateral share on a quantitative ramp', async () => {
    const c = phaseDiagramChart(sw.summary, { x: EXCL, y: RIV, mode: 'multilateral-share', areas: AREAS, levels: LV });
    const r = await clean(c);
    expect(items(r.marks, 'cells')).toBe(36);
    expect(JSON.stringify(c.spec)).toContain(LEVEL_COLORS.M);
  });
  it('pools the design points of a third swept parameter into each cell', async () => {
    const extra = sw.summary.flatMap((row) => [0, 1].map((k) => ({ ...row, 'params.multiplier': 1 + k })));
    const c = phaseDiagramChart(extra, { x: EXCL, y: RIV, mode: 'metric', metric: 'welfare' });
    const r = await clean(c);
    expect(items(r.marks, 'cells')).toBe(12);
    expect(valuesOf(c).every((v) => v.points === 2 && v.n === 8)).toBe(true);
    expect(c.caption).toMatch(/averages the runs of the design points that share its x and y/);
  });
  it('draws points instead of cells when the design is not a grid (Latin hypercube)', async () => {
    const rnd = stream(3);
    const summary = Array.from({ length: 15 }, (_, point) => {
      const at = { point, [EXCL]: rnd(), [RIV]: rnd() };
      return ['U', 'C', 'M'].map((l, i) => ({ ...at, metric: `share_refugee_${l}`, mean: [0.2, 0.3, 0.5][i], sd: 0.1, ci95: 0.1, n: 5 }));
    }).flat();
    const r = await clean(phaseDiagramChart(summary, { x: EXCL, y: RIV, mode: 'modal-level', areas: ['refugee'], levels: LV }));
    expect(items(r.marks, 'points')).toBe(15);
    expect(markCount(r.marks, 'cells')).toBe(0);
  });
});

describe('responseCurveChart', () => {
  const sw = syntheticSweep(5, 2, 4);
  const lines = AREAS.flatMap((area) => ['U', 'C', 'M'].map((l, i) => ({ metric: `share_${area}_${l}`, series: levelScale().domain[i], panel: area })));
  it('with by, draws a line and a band per area x level x value of the second factor', async () => {
    const c = responseCurveChart(sw.summary, { parameter: EXCL, by: RIV, lines, colorTitle: 'level', colorScale: levelScale(), yTitle: 'final share of states', shares: true });
    const r = await clean(c);
    // 3 areas x 3 levels x 2 values of the second factor, its values as panel rows (the lines are coloured by level)
    expect(markCount(r.marks, 'mean')).toBe(9 * 2);
    expect(markCount(r.marks, 'band')).toBe(9 * 2);
    expect(items(r.marks, 'points')).toBe(9 * 5 * 2);
  });
  it('without by, averages the design points of the other parameter and draws no band over them, saying so', () => {
    const c = responseCurveChart(sw.summary, { parameter: EXCL, others: [RIV], lines, colorTitle: 'level', colorScale: levelScale(), yTitle: 'share', shares: true });
    const v = valuesOf(c).find((r) => r.metric === 'share_refugee_M' && r.xv === 0.5)!;
    const s = meanCi(sw.runs.filter((r) => r[EXCL] === 0.5).map((r) => r.share_refugee_M as number));
    expect(v.n).toBe(8);
    expect(v.points).toBe(2);
    expect(v.mean).toBeCloseTo(s.mean, 9);
    expect(v.lo).toBeNull();
    expect(valuesOf(c).every((r) => r.lo === null)).toBe(true);
    expect(c.caption).toContain(`the mean over the design points that differ only in ${RIV}`);
  });
  it('two-factor sweep: one series per value of the second factor, its CI from the replications of one design point', () => {
    const metric = 'share_refugee_M';
    const c = responseCurveChart(sw.summary, { parameter: EXCL, by: RIV, lines: [{ metric, series: metric }], colorTitle: 'metric', colorScale: { domain: [metric], range: ['#333333'] }, yTitle: 'share', shares: true });
    const values = valuesOf(c);
    const rivs = [...new Set(sw.summary.map((r) => r[RIV] as number))];
    expect(new Set(values.map((v) => v.series)).size).toBe(rivs.length);
    for (const v of values) {
      expect(v.points).toBe(1);
      const riv = rivs.find((x) => (v.series as string).endsWith(`= ${x}`))!;
      const runs = sw.runs.filter((r) => r[EXCL] === v.xv && r[RIV] === riv).map((r) => r[metric] as number);
      // the point's own summary row (the synthetic summary's ci95 is 2 sd / sqrt(n), so a pooled or recomputed CI would differ)
      const own = sw.summary.filter((r) => r.metric === metric && r[EXCL] === v.xv && r[RIV] === riv);
      expect(own).toHaveLength(1);
      expect(runs).toHaveLength(4);
      expect(v.n).toBe(4);
      expect(v.mean).toBeCloseTo(meanCi(runs).mean, 9);
      expect(v.lo).toBeCloseTo(Math.max(0, own[0].mean - own[0].ci95), 9);
      expect(v.hi).toBeCloseTo(Math.min(1, own[0].mean + own[0].ci95), 9);
    }
    expect(c.caption).toContain(`One line per value of ${RIV}`);
    expect(c.caption).toContain('replications of that one design point');
  });
  it('sampled design: one point per design point and a binned mean line that says what it averages over', async () => {
    const rnd = stream(5);
    const summary = Array.from({ length: 40 }, (_, point) => ({ point, [EXCL]: rnd(), [RIV]: rnd(), metric: 'welfare', mean: rnd(), sd: 0.1, ci95: 0.05, n: 3 }));
    const c = responseCurveChart(summary, { parameter: EXCL, others: [RIV], sampled: true, lines: [{ metric: 'welfare', series: 'welfare' }], colorTitle: 'metric', colorScale: { domain: ['welfare'], range: ['#333333'] }, yTitle: 'welfare', shares: false });
    const r = await clean(c);
    expect(items(r.marks, 'points')).toBe(40);
    expect(c.caption).toMatch(new RegExp(`averages over the other swept parameters \\(${RIV.replace(/\./g, '\\.')}\\)`));
  });
});

describe('sensitivityChart', () => {
  const { sensitivity } = syntheticSweep(2, 2, 2);
  /** Items of a layer over the chart's rows (one vconcat row per metric, its layers named <name>_r<row>). */
  const inRows = (marks: Awaited<ReturnType<typeof clean>>['marks'], name: string, suffix = '') =>
    marks.filter((m) => m.role === 'mark' && new RegExp(`^${name}_r\\d+${suffix}_marks$`).test(m.name)).reduce((a, m) => a + m.items, 0);
  it('Sobol: a bar and a CI error bar per metric x parameter x index', async () => {
    const c = sensitivityChart(sensitivity, { method: 'sobol', source: '8 runs' });
    const r = await clean(c);
    expect(inRows(r.marks, 'bars')).toBe(2 * 2 * 2);
    expect(inRows(r.marks, 'errorbars', '_layer_2')).toBe(8);
    expect(c.caption).toMatch(/S1/);
  });
  it('Morris: error bars only where a CI was reported (none for sigma here)', async () => {
    const r = await clean(sensitivityChart(sensitivity, { method: 'morris' }));
    expect(inRows(r.marks, 'bars')).toBe(8);
    expect(inRows(r.marks, 'errorbars', '_layer_2')).toBe(4);
  });
  it('shows only the metrics asked for', async () => {
    const r = await clean(sensitivityChart(sensitivity, { method: 'sobol', metrics: ['welfare'] }));
    expect(inRows(r.marks, 'bars')).toBe(4);
  });
});
