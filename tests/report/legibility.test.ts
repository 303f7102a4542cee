// Every chart of the baseline run (experiments/baseline.yaml, made quick with --set),
// of a small two-factor sweep, of a small Morris design and of the optional public
// goods game, rendered through the project's SVG renderer
// (src/report/render.ts), is legible: every text mark is at least MIN_FONT_SIZE px
// (11: ticks, legends and headers are drawn at 12), and no two text marks overlap.
// Boxes are estimated from the SVG (tests/report/svg-text.ts: positions from the
// transforms, widths from DejaVu's advance widths, heights from its ascender and
// descender), so the test needs no browser. Both fail on the charts as they were
// before issue 13 (the repeated y titles of "Level mix by role" overlapped each other,
// and the phase diagram's axis titles overlapped).
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartsFor } from '../../src/charts/index.ts';
import { MIN_FONT_SIZE } from '../../src/charts/spec.ts';
import type { Chart } from '../../src/charts/types.ts';
import { run, sweep } from '../../src/index.ts';
import { readResults } from '../../src/report/read.ts';
import { renderChart } from '../../src/report/render.ts';
import { tempDir } from '../cli/helpers.ts';
import { overlaps, textBoxes } from './svg-text.ts';

const BASELINE = resolve(import.meta.dirname, '../../experiments/baseline.yaml');
const OPTIONAL_PGG = resolve(import.meta.dirname, '../../experiments/optional-public-goods.yaml');

/** Two factors on a 3 x 2 grid, a 0/1 indicator, a welfare metric and the level shares; charts: left to its default. */
const TWO_FACTOR = {
  name: 'legibility-two-factor',
  model: 'migration-governance',
  params: { initial: { U: 1, C: 0, M: 0 } },
  protocol: { rule: 'logit' as const, temperature: 0.1, revisionRate: 0.2 },
  rounds: 15,
  recordEvery: 15,
  replications: 2,
  seed: 13,
  metrics: ['refugee_in_force', 'welfare', 'share_refugee_U', 'share_refugee_C', 'share_refugee_M'],
  sweep: {
    design: 'grid' as const,
    factors: [
      { path: 'params.mechanisms.minimumParticipation', values: [0.1, 0.5, 0.9] },
      { path: 'protocol.temperature', values: [0.05, 1] },
    ],
  },
};

/** A small Morris design over three factors: sampled response curves and the sensitivity chart. */
const MORRIS = {
  name: 'legibility-morris',
  model: 'migration-governance',
  params: { initial: { U: 1, C: 0, M: 0 }, states: { N: 20 } },
  protocol: { rule: 'logit' as const, temperature: 0.1, revisionRate: 0.2 },
  rounds: 10,
  recordEvery: 10,
  replications: 1,
  seed: 13,
  metrics: ['refugee_in_force', 'welfare', 'share_refugee_U', 'share_refugee_C', 'share_refugee_M'],
  sweep: {
    design: 'morris' as const,
    samples: 4,
    factors: [
      { path: 'params.mechanisms.minimumParticipation', min: 0.05, max: 0.9 },
      { path: 'params.mechanisms.norms', min: 0, max: 1 },
      { path: 'protocol.temperature', min: 0.01, max: 1 },
    ],
  },
};

interface Rendered {
  chart: Chart;
  svg: string;
}

const rendered: Rendered[] = [];

async function renderAll(dir: string): Promise<void> {
  for (const chart of chartsFor(readResults(dir))) rendered.push({ chart, svg: (await renderChart(chart)).svg });
}

describe('every chart is legible', () => {
  beforeAll(async () => {
    const root = tempDir('migov-legibility-');
    const base = run(BASELINE, { set: ['replications=2', 'rounds=20'], out: join(root, 'baseline'), report: false });
    await renderAll(base.dir!);
    const sw = await sweep(TWO_FACTOR, { out: join(root, 'sweep'), workers: 1, report: false });
    await renderAll(sw.dir);
    const morris = await sweep(MORRIS, { out: join(root, 'morris'), workers: 1, report: false });
    await renderAll(morris.dir);
    const pgg = run(OPTIONAL_PGG, { set: ['replications=2', 'rounds=20', 'params.Z=500'], out: join(root, 'pgg'), report: false });
    await renderAll(pgg.dir!);
  }, 240_000);

  it('renders the charts of every result', () => {
    const ids = rendered.map((r) => r.chart.id);
    expect(ids).toContain('level-by-role');
    expect(ids).toContain('simplex-runs');
    expect(ids).toContain('phase-refugee-in-force');
    expect(ids.some((id) => id.startsWith('response-refugee-in-force'))).toBe(true);
    expect(ids).toContain('sensitivity-morris');
  });

  it(`sets every text mark at ${MIN_FONT_SIZE} px or more`, () => {
    const small = rendered.flatMap((r) => textBoxes(r.svg).filter((b) => b.fontSize < MIN_FONT_SIZE).map((b) => `${r.chart.id}: ${b.role} "${b.text}" at ${b.fontSize} px`));
    expect(small).toEqual([]);
  });

  it('draws no two text marks over each other', () => {
    const found = rendered.flatMap((r) => overlaps(textBoxes(r.svg)).map(([a, b]) => `${r.chart.id}: ${a.role} "${a.text}" overlaps ${b.role} "${b.text}"`));
    expect(found).toEqual([]);
  });

  it("labels a 0/1 indicator's mean over a sweep's runs as a share of runs, never in model units", () => {
    const charts = rendered.filter((r) => /^(phase|response)-refugee-in-force/.test(r.chart.id));
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const r of charts) {
      expect(r.svg).not.toContain('model units');
      expect(r.svg).toMatch(/share of runs in which/);
    }
  });

  it('draws phase diagrams at least 300 px on their shortest side, titled in words', () => {
    const phases = rendered.filter((r) => r.chart.id.startsWith('phase-'));
    expect(phases.length).toBeGreaterThan(0);
    for (const r of phases) {
      const spec = r.chart.spec as { width?: number; height?: number; spec?: { width?: number; height?: number } };
      const unit = spec.spec ?? spec;
      expect(Math.min(unit.width ?? 0, unit.height ?? 0), r.chart.id).toBeGreaterThanOrEqual(300);
      expect(r.chart.title, r.chart.id).not.toMatch(/_/);
    }
  });

  it("spells the strategies out in the legend, as the model declares them", () => {
    const shares = rendered.find((r) => r.chart.id === 'strategy-shares');
    expect(shares).toBeDefined();
    const legend = textBoxes(shares!.svg).filter((b) => b.role === 'legend-label').map((b) => b.text);
    expect(legend).toEqual(['C cooperate', 'D defect', 'L loner (stay out)']);
  });

  it('gives the simplex a colour legend', () => {
    const simplex = rendered.filter((r) => r.chart.id.startsWith('simplex'));
    expect(simplex.length).toBeGreaterThan(0);
    for (const r of simplex) expect(textBoxes(r.svg).filter((b) => b.role === 'legend-label').map((b) => b.text)).toHaveLength(3);
  });
});
