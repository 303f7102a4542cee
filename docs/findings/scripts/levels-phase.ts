// The computed phase diagram of refugee protection over the simulated one
// (docs/theory.md, "The migration levels"): for every point of
// experiments/betts-phase.yaml (the refugee issue area's excludability x rivalry on
// the baseline), analyzeLevels on the first K replications' drawn states (the same
// seeds as the sweep's runs), beside the sweep's simulated final shares.
// After `npx migov sweep experiments/betts-phase.yaml` (results/betts-phase):
//   npx tsx docs/findings/scripts/levels-phase.ts [out.png] [--results <dir>]
// Writes the chart (docs/findings/levels-phase.png) and, beside the sweep, results/betts-phase/levels-phase.csv.
import { readFileSync, writeFileSync } from 'node:fs';
import { LEVEL_TERMS } from '../../../models/migration-governance.ts';
import { analyzeLevels } from '../../../src/analysis/levels.ts';
import { levelsPhaseChart, type LevelsPhaseCell } from '../../../src/charts/theory.ts';
import { loadSpec } from '../../../src/experiment/load.ts';
import { renderChart } from '../../../src/report/render.ts';
import { planSweep } from '../../../src/sweep/plan.ts';
import { chartFile, REPO, resultFile } from './paths.ts';

const K = 5;
const X = 'params.issueAreas.0.excludability';
const Y = 'params.issueAreas.0.rivalry';
const LEVELS = ['U', 'C', 'M'];
const file = `${REPO}/experiments/betts-phase.yaml`;
const spec = loadSpec(file);
const plan = planSweep(spec, file);

const [head, ...lines] = readFileSync(resultFile('betts-phase'), 'utf8').trim().split('\n');
const cols = head.split(',');
const summary = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
const simulatedReps = Number(summary[0].n);

function majority(xs: string[]): string {
  const c = new Map<string, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1] || LEVELS.indexOf(a[0]) - LEVELS.indexOf(b[0]))[0][0];
}

const cells: LevelsPhaseCell[] = [];
const csv = ['point,excludability,rivalry,sim_U,sim_C,sim_M,simulated,stochastically_stable,ss_votes,within_rounds,within_votes,classes_min,classes_max'];
for (const point of plan.points) {
  const x = Number(point.values[X]);
  const y = Number(point.values[Y]);
  const means = LEVELS.map((l) => Number(summary.find((r) => Number(r.point) === point.index && r.metric === `share_refugee_${l}`)!.mean));
  const simulated = LEVELS[means.indexOf(Math.max(...means))];
  const a = analyzeLevels(point.spec, { replications: K, temperatures: [point.spec.protocol.rule === 'logit' ? point.spec.protocol.temperature : 0.1], issueAreas: ['refugee'] });
  const ss = a.areas.map((r) => r.equilibria[r.stochasticallyStable[0]].modal);
  const within = a.areas.map((r) => (r.atTemperature[0].withinRounds >= 0 ? r.equilibria[r.atTemperature[0].withinRounds].modal : 'none'));
  const classes = a.areas.map((r) => r.equilibria.length);
  const cell = { x, y, simulated, simulatedShare: Math.max(...means), computed: majority(ss), withinRounds: majority(within) };
  cells.push(cell);
  csv.push([point.index, x, y, ...means.map((m) => m.toFixed(4)), simulated, cell.computed, ss.join(''), cell.withinRounds, within.join(''), Math.min(...classes), Math.max(...classes)].join(','));
  console.log(csv[csv.length - 1]);
}
writeFileSync(resultFile('betts-phase', 'levels-phase.csv'), `${csv.join('\n')}\n`);
const rendered = await renderChart(
  levelsPhaseChart(cells, {
    xTitle: 'refugee excludability',
    yTitle: 'refugee rivalry',
    levels: LEVEL_TERMS,
    simulatedSource: `experiments/betts-phase.yaml, ${simulatedReps} replications per cell, T 0.1, 300 rounds`,
    computedSource: `analyzeLevels on the first ${K} replications' states, majority`,
    title: 'Refugee protection: the computed levels on the simulated phase diagram',
  }),
);
const out = chartFile('levels-phase.png');
writeFileSync(out, rendered.png);
console.log(`wrote ${out}`);
