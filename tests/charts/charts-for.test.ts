// chartsFor picks the charts that apply to a result, in a stable order with
// stable, file-safe ids, for a migration-model run, a textbook run and a sweep
// (with summary.csv, or runs.csv alone); every chart it gives has a title, a
// caption with the run count, readable axis titles and tooltips, compiles with no
// warning and renders.
import { describe, expect, it } from 'vitest';
import { chartsFor, summaryFromRuns } from '../../src/charts/index.ts';
import type { Chart, ResultData } from '../../src/charts/types.ts';
import { declaredOutcomesOf, EXCL, migrationData, render, RIV, syntheticSweepData, textbookData } from './helpers.ts';

const ids = (charts: Chart[]) => charts.map((c) => c.id);

/** Raw data field names that must never reach an axis title (a sign of a layer with no title). */
const RAW_FIELDS = new Set(['lo', 'hi', 'mean', 'xv', 'yv', 'value', 'round', 'top', 'need', 'provision', 'x', 'y']);

async function checkAll(charts: Chart[], runsPhrase: RegExp) {
  const seen = new Set<string>();
  for (const c of charts) {
    expect(c.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(seen.has(c.id), `duplicate id ${c.id}`).toBe(false);
    seen.add(c.id);
    expect(c.title.length).toBeGreaterThan(5);
    expect(c.caption, c.id).toMatch(runsPhrase);
    const text = JSON.stringify(c.spec);
    expect(text, `${c.id} has tooltips`).toContain('"tooltip"');
    expect(text).toContain('"font":"DejaVu Sans"');
    const r = await render(c.spec);
    expect(r.compileLog, c.id).toEqual([]);
    expect(r.runtime, c.id).toEqual([]);
    for (const t of r.axisTitles) {
      expect(t.length, `${c.id}: empty axis title`).toBeGreaterThan(0);
      expect(RAW_FIELDS.has(t) || /, (lo|hi|mean|need|top)$/.test(t), `${c.id}: axis title "${t}"`).toBe(false);
    }
  }
}

describe('chartsFor', () => {
  it('migration model run: level shares, level by role, simplex, welfare, provision, then a chart per other declared metric', async () => {
    const data = migrationData(3, 40);
    const charts = chartsFor(data);
    expect(ids(charts).slice(0, 5)).toEqual(['level-shares', 'level-by-role', 'simplex-runs', 'welfare-by-role', 'provision-need']);
    // every other declared metric gets a chart over rounds: alone, or with the metrics that are the same quantity
    // (kind, unit and dimensions) for other issue areas and roles, a panel per issue area and a line per role
    expect(ids(charts).slice(5)).toEqual([
      'metrics-refugee-ratified-origin-and-8-more',
      'metrics-refugee-in-force-and-2-more',
      'metrics-refugee-free-riders-and-2-more',
      'metrics-refugee-institutions-and-2-more',
      'metrics-refugee-hhi-and-2-more',
      'metrics-refugee-burden-origin-and-8-more',
      'metric-welfare',
      'metric-burden-gini',
    ]);
    const burden = charts.find((c) => c.id === 'metrics-refugee-burden-origin-and-8-more')!;
    expect(burden.caption).toContain('refugee_burden_transit: share of what is contributed in refugee that transit role weight carries');
    await checkAll(charts, /3 replications/);
    const r = await render(burden.spec);
    expect(r.legendLabels).toEqual(['origin', 'transit', 'destination']);
    expect(r.axisTitles).toContain('share of contributions');
  });

  it("textbook model runs: strategy shares, then the model's own metrics over rounds", async () => {
    const ogg = textbookData(2);
    const charts = chartsFor(ogg);
    expect(ids(charts)).toEqual(['strategy-shares', 'metric-mean-payoff', 'metric-cooperation-among-participants']);
    await checkAll(charts, /2 replications/);
    expect(ids(chartsFor(textbookData(1, 'experiments/stag-hunt.yaml', 20)))).toEqual(['strategy-shares', 'metric-mean-payoff']);
  });

  it('a migration sweep: phase diagrams, design-point simplex, a response curve per parameter, sensitivity per method', async () => {
    const charts = chartsFor(syntheticSweepData(4, 3, 3));
    expect(ids(charts)).toEqual([
      'phase-modal-level',
      'phase-multilateral-share',
      'simplex-design-points',
      'response-issue-areas-0-excludability',
      'response-issue-areas-0-rivalry',
      'sensitivity-morris',
      'sensitivity-sobol',
    ]);
    await checkAll(charts, /36 runs: 12 design points x 3 replications/);
    // Axis titles: the model's words for each parameter (the manifest's parameters), with the issue area's name
    expect(JSON.stringify(charts[0].spec)).toContain('excludability of refugee (0-1)');
  });

  it('a sweep folder with runs.csv only gives the same charts, from a summary computed from the runs', () => {
    const full = syntheticSweepData(4, 3, 3);
    const runsOnly = syntheticSweepData(4, 3, 3, { summary: false, sensitivity: false });
    expect(ids(chartsFor(runsOnly))).toEqual(ids(chartsFor(full)).filter((id) => !id.startsWith('sensitivity')));
    const derived = summaryFromRuns(runsOnly);
    expect(derived).toHaveLength(full.summary!.length);
    for (const row of full.summary!) {
      const twin = derived.find((d) => d.point === row.point && d.metric === row.metric)!;
      expect(twin.mean).toBeCloseTo(row.mean, 12);
      expect(twin.sd).toBeCloseTo(row.sd, 12);
      expect(twin.n).toBe(row.n);
    }
  });

  it('a one-parameter sweep has no phase diagram; a sweep of a run with series also keeps the run charts', () => {
    const one = syntheticSweepData(5, 1, 2);
    expect(ids(chartsFor(one))).toEqual(['simplex-design-points', 'response-issue-areas-0-excludability', 'sensitivity-morris', 'sensitivity-sobol']);
    const mig = migrationData(2, 20);
    const both: ResultData = { ...one, series: mig.series, final: mig.final };
    expect(ids(chartsFor(both)).slice(0, 5)).toEqual(['level-shares', 'level-by-role', 'simplex-runs', 'welfare-by-role', 'provision-need']);
  });

  it('a textbook sweep: a phase diagram of the first strategy share and a response curve per parameter', async () => {
    const summary = [];
    let point = 0;
    for (const r of [2, 3, 4]) {
      for (const beta of [0.1, 1]) {
        for (const [metric, mean] of [
          ['share_C', r / 5],
          ['share_D', 1 - r / 5],
          ['mean_payoff', r * beta],
        ] as const) {
          summary.push({ point, 'params.r': r, 'protocol.selectionIntensity': beta, metric, mean, sd: 0.05, ci95: 0.06, n: 4 });
        }
        point++;
      }
    }
    const charts = chartsFor({ manifest: { spec: { name: 'pgg-sweep', model: 'linear-pgg' }, outcomes: declaredOutcomesOf('linear-pgg') }, series: [], final: [], summary });
    expect(ids(charts)).toEqual(['phase-share-c', 'response-r', 'response-protocol-selection-intensity']);
    await checkAll(charts, /24 runs: 6 design points x 4 replications/);
    const r = await render(charts[0].spec);
    expect(r.marks.filter((m) => m.name === 'cells_marks').reduce((a, m) => a + m.items, 0)).toBe(6);
  });

  it("a spec's charts: gives exactly the charts it names, in order", async () => {
    const data = syntheticSweepData(4, 3, 3);
    data.manifest.spec.charts = [
      { metric: 'welfare', kind: 'phase' },
      { metric: 'share_refugee_M', kind: 'response', x: RIV, by: EXCL },
    ];
    const charts = chartsFor(data);
    expect(ids(charts)).toEqual(['phase-welfare', 'response-share-refugee-m-issue-areas-0-rivalry']);
    await checkAll(charts, /36 runs: 12 design points x 3 replications/);
    // one line per value of the second factor, each mean one design point's
    const values = (charts[1].spec as { data: { values: { series: string; points: number }[] } }).data.values;
    expect(new Set(values.map((v) => v.series)).size).toBe(4);
    expect(values.every((v) => v.points === 1)).toBe(true);
  });

  it("without charts:, a sweep charts every metric of metrics: that no level chart shows, and each level response has one row per value of the other factor", () => {
    const data = syntheticSweepData(4, 3, 3);
    data.manifest.spec.metrics = ['share_refugee_U', 'share_refugee_C', 'share_refugee_M', 'welfare'];
    const charts = chartsFor(data);
    expect(ids(charts)).toContain('phase-welfare');
    expect(ids(charts)).toContain('response-welfare-issue-areas-0-excludability');
    expect(ids(charts).filter((id) => id.includes('share-refugee'))).toEqual([]);
    const level = charts.find((c) => c.id === 'response-issue-areas-0-excludability')!;
    const rows = new Set((level.spec as { data: { values: { row: string }[] } }).data.values.map((v) => v.row));
    expect(rows.size).toBe(3);
    expect(level.caption).toContain("One line per value of rivalry of refugee");
  });

  it('is stable: the same data gives the same specs', () => {
    const data = syntheticSweepData(3, 3, 2);
    expect(JSON.stringify(chartsFor(data))).toBe(JSON.stringify(chartsFor(data)));
  });

  it('gives no charts for empty data', () => {
    expect(chartsFor({ manifest: { spec: { name: 'x', model: 'y' } }, series: [], final: [] })).toEqual([]);
  });
});
