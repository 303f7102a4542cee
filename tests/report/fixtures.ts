// Results folders and charts for the report tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chart } from '../../src/charts/types.ts';
import { run } from '../../src/index.ts';
import { tempDir } from '../cli/helpers.ts';

/** A small linear-PGG experiment's results folder (3 replications x 20 rounds), with no report. */
export function smallFolder(question = 'Does cooperation survive at r = 3?\n\nA small test spec.'): string {
  const dir = join(tempDir('migov-report-'), 'small');
  run(
    {
      name: 'small',
      description: 'a small spec for tests',
      model: 'linear-pgg',
      params: { Z: 50, N: 5, r: 3, c: 1 },
      protocol: { rule: 'fermi', selectionIntensity: 1, mutation: 0.05 },
      rounds: 20,
      recordEvery: 5,
      replications: 3,
      seed: 11,
    },
    { out: dir, report: false },
  );
  // the question comes from a spec file's header; a spec object has none, so set one
  return withQuestion(dir, question);
}

function withQuestion(dir: string, question: string): string {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  m.question = question;
  writeFileSync(path, `${JSON.stringify(m, null, 2)}\n`);
  return dir;
}

/** A bar chart of `n` bars (one data row each) with tooltips. */
export function barChart(id = 'bars', n = 5, extra: Partial<Chart> = {}): Chart {
  return {
    id,
    title: 'Bars',
    caption: `${n} bars, one per data row.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Bars',
      width: 240,
      height: 160,
      data: { values: Array.from({ length: n }, (_, i) => ({ level: `L${i}`, share: (i + 1) / n })) },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'level', type: 'nominal', title: 'level', sort: null },
        y: { field: 'share', type: 'quantitative', title: 'share of states' },
      },
    },
    ...extra,
  };
}

/** A line chart with one point per data row. */
export function lineChart(id = 'line', n = 8): Chart {
  return {
    id,
    title: 'A line',
    caption: `${n} points on a line.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'A line', subtitle: 'with points' },
      width: 300,
      height: 150,
      data: { values: Array.from({ length: n }, (_, i) => ({ round: i * 10, share: i / n })) },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'round' },
        y: { field: 'share', type: 'quantitative', title: 'share' },
      },
    },
  };
}
