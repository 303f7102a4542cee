// Charts of the analytic twin (`migov analyze`, docs/theory.md): the gradient of
// selection, the stationary distributions (small-mutation limit and full chain),
// fixation probabilities against beta and against Z, and the transition graph between
// monomorphic states with nodes sized by their stationary weight. Data in, spec out.
import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, FixationRow } from '../analysis/analyze.ts';
import type { EmbeddedChain } from '../analysis/small-mutation.ts';
import { STRATEGY_PALETTE } from './colors.ts';
import { chart, header, r10 } from './spec.ts';
import type { Chart } from './types.ts';

const WIDTH = 560;
const HEIGHT = 300;

function spec(title: string, subtitle: string, caption: string, body: object): TopLevelSpec {
  return { ...header(title, subtitle, caption), width: WIDTH, height: HEIGHT, ...body } as TopLevelSpec;
}

function protocolWords(a: Analysis): string {
  const p = a.protocol;
  const rule = p.rule === 'fermi' ? `Fermi, beta ${p.selectionIntensity}` : p.rule === 'logit' ? `logit, T ${p.temperature}` : p.rule;
  return `${a.title}, Z ${a.Z}; ${rule}, mutation ${p.mutation} (convention '${a.mutationConvention}')`;
}

/** The gradient of selection T+(k) - T-(k) against the share of the first strategy, with and without mutation. */
export function gradientChart(a: Analysis): Chart | null {
  if (!a.gradient) return null;
  const first = a.strategies[0];
  const values = a.gradient.flatMap((g) => [
    { x: r10(g.x), gradient: r10(g.gradient), curve: `with mutation ${a.protocol.mutation}` },
    { x: r10(g.x), gradient: r10(g.withoutMutation), curve: 'without mutation' },
  ]);
  const title = `Gradient of selection: expected change of the number of ${first}-players per revision`;
  const caption = `T+(k) - T-(k) of the exact birth-death chain (docs/theory.md), against the share of ${first}; above 0 selection favours ${first}. Zeros between the ends are the finite-population rest points.`;
  return chart('analysis-gradient', title, caption, spec(title, protocolWords(a), caption, {
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888888' }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: `share of ${first}`, scale: { domain: [0, 1] } },
          y: { field: 'gradient', type: 'quantitative', title: 'T+ - T- (per revision)' },
          color: { field: 'curve', type: 'nominal', title: null, scale: { range: [STRATEGY_PALETTE[0], STRATEGY_PALETTE[1]] } },
          strokeDash: { field: 'curve', type: 'nominal', legend: null },
        },
      },
    ],
  }));
}

/** The small-mutation limit's stationary distribution over the monomorphic states (bars). */
export function smallMutationChart(a: Analysis): Chart {
  const c = a.smallMutation;
  const values = c.states.map((s, i) => ({ state: `all ${s}`, probability: r10(c.stationary[i]) }));
  const title = 'Stationary distribution in the small-mutation limit';
  const caption = `Share of the time spent in each monomorphic state when mutants are rare (the embedded chain of fixations at beta ${a.beta}; the same under either mutation convention).`;
  return chart('analysis-small-mutation', title, caption, spec(title, protocolWords(a), caption, {
    data: { values },
    mark: { type: 'bar', color: STRATEGY_PALETTE[0] },
    encoding: {
      x: { field: 'state', type: 'nominal', title: 'monomorphic state', sort: null, axis: { labelAngle: 0 } },
      y: { field: 'probability', type: 'quantitative', title: 'stationary probability', scale: { domain: [0, 1] } },
      tooltip: [{ field: 'state' }, { field: 'probability', format: '.4g' }],
    },
  }));
}

/** Simulated runs to draw beside the analytic curves: each replication's last share of the first strategy, from a run folder. */
export interface SimulatedBeside {
  /** the run folder, as given */
  readonly folder: string;
  readonly finalShares: readonly number[];
}

/**
 * The full chain's stationary distribution over the share of the first strategy; with
 * `beside`, the simulated replications' last shares as points (the share of
 * replications ending at each composition), which estimate it once the runs have
 * forgotten their start.
 */
export function fullChainChart(a: Analysis, beside?: SimulatedBeside): Chart | null {
  if (!a.fullChain) return null;
  const first = a.strategies[0];
  const values = a.fullChain.distribution.map((d) => ({ x: r10(d.x), probability: r10(d.probability), source: 'analytic (exact)' }));
  const layers: object[] = [
    {
      data: { values },
      mark: { type: 'area', line: true, opacity: 0.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: `share of ${first}`, scale: { domain: [0, 1] } },
        y: { field: 'probability', type: 'quantitative', title: 'stationary probability' },
        color: { field: 'source', type: 'nominal', title: null, scale: { domain: ['analytic (exact)', 'simulated (last round)'], range: [STRATEGY_PALETTE[0], STRATEGY_PALETTE[1]] } },
      },
    },
  ];
  let simulatedWords = '';
  if (beside && beside.finalShares.length > 0) {
    const counts = new Map<number, number>();
    for (const x of beside.finalShares) {
      const k = Math.round(x * a.Z);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const n = beside.finalShares.length;
    const points = [...counts.entries()].sort((p, q) => p[0] - q[0]).map(([k, c]) => ({ x: r10(k / a.Z), probability: r10(c / n), source: 'simulated (last round)' }));
    layers.push({
      data: { values: points },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'probability', type: 'quantitative' },
        color: { field: 'source', type: 'nominal' },
        tooltip: [{ field: 'x', title: `share of ${first}` }, { field: 'probability', title: 'share of replications', format: '.3f' }],
      },
    });
    simulatedWords = ` Points: the share of the ${n} replications of ${beside.folder} that ended at each composition.`;
  }
  const title = `Stationary distribution of the share of ${first} (full chain with mutation)`;
  const caption = `The exact long-run distribution of the ${a.fullChain.rule} chain with mutation ${a.fullChain.mutation} (convention '${a.mutationConvention}'), by detailed balance; mean share ${a.fullChain.mean.toFixed(4)}.${simulatedWords}`;
  return chart('analysis-full-chain', title, caption, spec(title, protocolWords(a), caption, { layer: layers }));
}

function fixationSpec(rows: readonly FixationRow[], by: 'beta' | 'Z', title: string, subtitle: string, caption: string): TopLevelSpec {
  const values = rows.map((r) => ({ [by]: r[by], log10: r10(r.log10), pair: `${r.mutant} into all ${r.resident}` }));
  const neutral = [...new Map(rows.map((r) => [r[by], { [by]: r[by], log10: r10(Math.log10(r.neutral)), pair: 'neutral 1/Z' }])).values()];
  return spec(title, subtitle, caption, {
    layer: [
      {
        data: { values: neutral },
        mark: { type: 'line', color: '#888888', strokeDash: [4, 3] },
        encoding: { x: { field: by, type: 'quantitative', scale: { type: 'log' } }, y: { field: 'log10', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: by, type: 'quantitative', title: by === 'beta' ? 'selection intensity beta (log scale)' : 'population size Z (log scale)', scale: { type: 'log' } },
          y: { field: 'log10', type: 'quantitative', title: 'log10 fixation probability' },
          color: { field: 'pair', type: 'nominal', title: 'one mutant', scale: { range: [...STRATEGY_PALETTE] } },
          tooltip: [{ field: 'pair' }, { field: by }, { field: 'log10', format: '.4f' }],
        },
      },
    ],
  });
}

export function fixationByBetaChart(a: Analysis): Chart {
  const title = 'Fixation probability of one mutant against the selection intensity';
  const caption = `Exact Fermi fixation probabilities (log space, so values far below 1e-300 keep their log10) at Z ${a.Z}; the dashed line is the neutral 1/Z.`;
  return chart('analysis-fixation-beta', title, caption, fixationSpec(a.fixationByBeta, 'beta', title, `${a.title}, Z ${a.Z}`, caption));
}

export function fixationBySizeChart(a: Analysis): Chart | null {
  if (new Set(a.fixationBySize.map((r) => r.Z)).size < 2) return null;
  const title = 'Fixation probability of one mutant against the population size';
  const caption = `Exact Fermi fixation probabilities at beta ${a.beta} for each population size (the model's other parameters as in the spec); the dashed line is the neutral 1/Z.`;
  return chart('analysis-fixation-size', title, caption, fixationSpec(a.fixationBySize, 'Z', title, `${a.title}, beta ${a.beta}`, caption));
}

/**
 * The transition graph of an embedded chain: monomorphic states on a circle, sized by
 * their stationary weight; an arrow's width and darkness grow with log10 of its
 * transition probability (a fixation more likely than neutral drawn solid).
 */
export function transitionGraphChart(c: EmbeddedChain, id: string, title: string, subtitle: string): Chart {
  const n = c.states.length;
  const pos = c.states.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / n - Math.PI / 2), y: Math.sin((2 * Math.PI * i) / n - Math.PI / 2) }));
  const logs = c.transitions.map((t) => t.log10);
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const edges = c.transitions.map((t) => {
    // offset each direction a little, so a -> b and b -> a are two lines
    const dx = pos[t.to].x - pos[t.from].x;
    const dy = pos[t.to].y - pos[t.from].y;
    const len = Math.hypot(dx, dy) || 1;
    const ox = (-dy / len) * 0.03;
    const oy = (dx / len) * 0.03;
    return {
      x: r10(pos[t.from].x + ox), y: r10(pos[t.from].y + oy), x2: r10(pos[t.to].x + ox), y2: r10(pos[t.to].y + oy),
      strength: hi > lo ? r10((t.log10 - lo) / (hi - lo)) : 1,
      transition: `${c.states[t.from]} -> ${c.states[t.to]}`,
      log10: r10(t.log10),
    };
  });
  const nodes = c.states.map((s, i) => ({ x: r10(pos[i].x), y: r10(pos[i].y), state: s, weight: r10(c.stationary[i]), label: `${s} ${(100 * c.stationary[i]).toFixed(1)}%` }));
  const caption = 'Monomorphic states sized by their stationary weight in the small-mutation limit; a line is a transition, wider and darker the more likely (log scale).';
  const axis = { field: 'x', type: 'quantitative' as const, axis: null, scale: { domain: [-1.5, 1.5] } };
  const yaxis = { field: 'y', type: 'quantitative' as const, axis: null, scale: { domain: [-1.4, 1.4] } };
  return chart(id, title, caption, {
    ...header(title, subtitle, caption),
    width: 420,
    height: 400,
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', color: '#4D4D4D' },
        encoding: {
          x: axis, y: yaxis, x2: { field: 'x2' }, y2: { field: 'y2' },
          strokeWidth: { field: 'strength', type: 'quantitative', scale: { domain: [0, 1], range: [0.5, 5] }, legend: null },
          opacity: { field: 'strength', type: 'quantitative', scale: { domain: [0, 1], range: [0.15, 0.9] }, legend: null },
          tooltip: [{ field: 'transition' }, { field: 'log10', title: 'log10 probability', format: '.3f' }],
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'circle', color: STRATEGY_PALETTE[0], opacity: 0.85 },
        encoding: {
          x: axis, y: yaxis,
          size: { field: 'weight', type: 'quantitative', scale: { domain: [0, 1], range: [60, 4000] }, legend: null },
          tooltip: [{ field: 'state' }, { field: 'weight', format: '.4g' }],
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', dy: -30, fontSize: 12 },
        encoding: { x: axis, y: yaxis, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec);
}

/** Every chart of an analysis, in a stable order (the full chain with a run's replications beside it when given). */
export function analysisCharts(a: Analysis, beside?: SimulatedBeside): Chart[] {
  const out: (Chart | null)[] = [
    gradientChart(a),
    smallMutationChart(a),
    transitionGraphChart(a.smallMutation, 'analysis-transitions', 'Transitions between monomorphic states (small-mutation limit)', protocolWords(a)),
    fullChainChart(a, beside),
    fixationByBetaChart(a),
    fixationBySizeChart(a),
  ];
  return out.filter((c): c is Chart => c !== null);
}
