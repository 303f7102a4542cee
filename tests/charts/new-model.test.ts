// A model declared here, in the test folder, and registered nowhere in src/ or
// models/, gets its own metrics charted with their units: charts pick themselves from
// the outcome declarations a result carries, so a new model needs no change to
// src/charts/. The run goes through the engine and the result store's declarations
// (outcomeDeclarations), as `migov run` would write them into manifest.json.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chartsFor } from '../../src/charts/index.ts';
import type { FinalRow, ResultData, SeriesRow } from '../../src/charts/types.ts';
import { type Model, type ModelState, outcomeDeclarations } from '../../src/engine/model.ts';
import { assignShares, createPopulation } from '../../src/engine/population.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { render } from './helpers.ts';

interface WealthState extends ModelState {
  wealth: number;
}

/** Savers (S) add to a common stock each round they hold, spenders (P) take from it. */
const wealthModel: Model<{ Z: number }, WealthState> = {
  name: 'test-wealth',
  title: 'Test: savers and spenders',
  description: 'A test model declared outside src/ and models/.',
  references: [],
  params: z.object({ Z: z.number().int().default(50) }).strict(),
  layout: () => ({ games: ['economy'], strategies: ['S', 'P'] }),
  vocabularies: { strategies: [{ id: 'S', label: 'S save' }, { id: 'P', label: 'P spend' }] },
  init(p, rng) {
    const pop = createPopulation(p.Z, 1, 2);
    assignShares(pop, 0, [0.5, 0.5], rng);
    return { pop, wealth: 0 };
  },
  payoff: (st, _agent, _game, s) => (s === 0 ? 1 : 1.5) - st.pop.counts[1] / st.pop.size,
  onRound(st) {
    st.wealth += st.pop.counts[0] - 0.5 * st.pop.counts[1];
  },
  metrics: [
    {
      name: 'mean_wealth',
      description: 'common stock per agent',
      unit: 'payoff units',
      kind: 'amount',
      value: (st) => st.wealth / st.pop.size,
    },
  ],
};

function resultOf(replications: number): ResultData {
  const params = wealthModel.params.parse({});
  const series: SeriesRow[] = [];
  const final: FinalRow[] = [];
  for (let r = 0; r < replications; r++) {
    const res = simulate(wealthModel, params, { rule: 'logit', temperature: 0.5, revisionRate: 1, mutation: 0, updating: 'async' }, { seed: `test-${r}`, rounds: 20, recordEvery: 5 });
    res.rounds.forEach((round, i) => res.metrics.forEach((metric, m) => series.push({ replication: r, seed: `test-${r}`, round, metric, value: res.values[i][m] })));
    const row: FinalRow = { replication: r, seed: `test-${r}` };
    res.metrics.forEach((metric, m) => (row[metric] = res.values[res.values.length - 1][m]));
    final.push(row);
  }
  const outcomes = outcomeDeclarations(wealthModel, params);
  // the manifest as the result store writes it: the declarations travel with the result
  return { manifest: { spec: { name: 'wealth', model: 'test-wealth' }, outcomes }, series, final };
}

describe('a model declared in the test folder', () => {
  it('gets a chart of its own metric, the y-axis titled with its description and unit, and its strategies spelled out', async () => {
    const charts = chartsFor(resultOf(3));
    const ids = charts.map((c) => c.id);
    expect(ids).toEqual(['strategy-shares', 'metric-mean-wealth']);
    const wealth = charts[1];
    const r = await render(wealth.spec);
    expect(r.compileLog).toEqual([]);
    expect(r.runtime).toEqual([]);
    expect(r.axisTitles.some((t) => t.includes('payoff units') && t.includes('common stock per agent'))).toBe(true);
    expect(wealth.caption).toMatch(/3 replications/);
    expect(wealth.caption).toMatch(/95 %/);
    const strategies = await render(charts[0].spec);
    expect(strategies.legendLabels).toEqual(['S save', 'P spend']);
  });

  it('read back without declarations (an old folder), the metric is a plain number: no strategy chart, no unit guessed from its name', () => {
    const data = resultOf(2);
    const old: ResultData = { ...data, manifest: { spec: data.manifest.spec } };
    const charts = chartsFor(old);
    expect(charts.map((c) => c.id)).toEqual([]);
  });
});
