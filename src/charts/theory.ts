// The computed phase diagram over the simulated one (issue 15, part 3): for each
// cell of a two-parameter sweep, the colour is the level the simulation ends at most
// (the modal level of the mean final shares over the replications, shaded by that
// level's share), the large letter the level the theory selects in the long run (the
// stochastically stable class's modal level, src/analysis/levels.ts) and the small
// letter under it the level the theory expects within the run's rounds. Data in,
// Vega-Lite spec out.
import type { Term } from '../engine/model.ts';
import { termScale } from './outcomes.ts';
import { chart, header } from './spec.ts';
import type { Chart } from './types.ts';

export interface LevelsPhaseCell {
  readonly x: number;
  readonly y: number;
  /** the simulation's modal level id (U, C or M) and its mean share */
  readonly simulated: string;
  readonly simulatedShare: number;
  /** the stochastically stable level id (modal level of the least-potential class; the majority over analysed replications) */
  readonly computed: string;
  /** the level id the theory expects within the run's rounds */
  readonly withinRounds: string;
}

export interface LevelsPhaseOptions {
  readonly id?: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** the model's levels (ids U, C, M with labels and colours) */
  readonly levels: readonly Term[];
  /** what is behind the simulated cells and the computed letters, for the subtitle */
  readonly simulatedSource: string;
  readonly computedSource: string;
  readonly title?: string;
}

/** Simulated modal level as cells, computed levels as letters on them. */
export function levelsPhaseChart(cells: readonly LevelsPhaseCell[], options: LevelsPhaseOptions): Chart {
  if (cells.length === 0) throw new Error('levelsPhaseChart: no cells');
  const label = new Map(options.levels.map((t) => [t.id, t.label]));
  const scale = termScale(options.levels);
  const agree = cells.filter((c) => c.computed === c.simulated).length;
  const agreeWithin = cells.filter((c) => c.withinRounds === c.simulated).length;
  const values = cells.map((c) => ({
    x: c.x,
    y: c.y,
    simulated: label.get(c.simulated) ?? c.simulated,
    share: c.simulatedShare,
    computed: c.computed,
    within: c.withinRounds,
    computedLabel: label.get(c.computed) ?? c.computed,
    withinLabel: label.get(c.withinRounds) ?? c.withinRounds,
    match: c.computed === c.simulated ? 'yes' : 'no',
  }));
  const title = options.title ?? 'The computed phase diagram on the simulated one';
  const subtitle = `cells: ${options.simulatedSource}; large letter: the stochastically stable level, small letter: the level expected within the run's rounds (${options.computedSource}). The long-run level matches the simulation in ${agree} of ${cells.length} cells, the within-rounds one in ${agreeWithin}.`;
  const caption = `Colour: the level the simulation ends at most (mean final shares), shaded by its share. Letters: the theory of src/analysis/levels.ts on the same drawn states (large: stochastically stable as logit noise vanishes; small: expected within the run's rounds from the class best responses reach from the start).`;
  const xEnc = { field: 'x', type: 'ordinal' as const, title: options.xTitle, axis: { labelAngle: 0, format: '.2f' } };
  const yEnc = { field: 'y', type: 'ordinal' as const, title: options.yTitle, sort: 'descending' as const, axis: { format: '.2f' } };
  const tooltip = [
    { field: 'x', type: 'quantitative' as const, title: options.xTitle, format: '.2f' },
    { field: 'y', type: 'quantitative' as const, title: options.yTitle, format: '.2f' },
    { field: 'simulated', title: 'simulated modal level' },
    { field: 'share', type: 'quantitative' as const, title: 'its mean share', format: '.2f' },
    { field: 'computedLabel', title: 'stochastically stable' },
    { field: 'withinLabel', title: 'expected within the rounds' },
  ];
  const side = 52;
  const xs = new Set(cells.map((c) => c.x)).size;
  const ys = new Set(cells.map((c) => c.y)).size;
  const spec = {
    ...header(title, subtitle, caption, Math.max(360, side * xs + 160)),
    data: { values },
    width: side * xs,
    height: side * ys,
    encoding: { x: xEnc, y: yEnc },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1 },
        encoding: {
          color: { field: 'simulated', type: 'nominal' as const, title: 'simulated modal level', scale, sort: scale.domain },
          opacity: { field: 'share', type: 'quantitative' as const, title: 'its share', scale: { domain: [1 / 3, 1], range: [0.25, 1] }, legend: { format: '.0%' } },
          tooltip,
        },
      },
      { mark: { type: 'text', fontSize: 18, fontWeight: 'bold', dy: -6, color: '#000000' }, encoding: { text: { field: 'computed' }, tooltip } },
      { mark: { type: 'text', fontSize: 10, dy: 14, color: '#222222' }, encoding: { text: { field: 'within' }, tooltip } },
    ],
  };
  return chart(options.id ?? 'levels-phase', title, caption, spec as Parameters<typeof chart>[3]);
}
