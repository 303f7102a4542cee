// The baseline's levels as a theory next to the simulation, per issue area and
// temperature (docs/theory.md, "The migration levels"). Reads the simulations that
//   npx migov run experiments/baseline.yaml --set protocol.temperature=T --set replications=20 --out results/levels-baseline-TT -q --no-report
// wrote for T in 0.02 0.05 0.1 0.3, and analyses the same replications (the same
// drawn states: the seed of a run depends on its temperature) with analyzeLevels.
//   npx tsx docs/findings/scripts/levels-baseline.ts [replications]
import { readFileSync } from 'node:fs';
import { analyzeLevels } from '../../../src/analysis/levels.ts';
import { resolveSpec } from '../../../src/experiment/load.ts';

const R = Number(process.argv[2] ?? 20);
const TS = [0.02, 0.05, 0.1, 0.3];
const AREAS = ['refugee', 'irregular', 'skilled'];

function tally(xs: string[]): string {
  const c = new Map<string, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

function simulated(T: number, area: string): { shares: string; modal: string } {
  const text = readFileSync(`results/levels-baseline-T${T}/final.csv`, 'utf8').trim().split('\n');
  const head = text[0].split(',');
  const rows = text.slice(1, R + 1).map((l) => l.split(','));
  const col = (l: string) => head.indexOf(`share_${area}_${l}`);
  const mean = ['U', 'C', 'M'].map((l) => rows.reduce((s, r) => s + Number(r[col(l)]), 0) / rows.length);
  const modal = rows.map((r) => {
    const v = ['U', 'C', 'M'].map((l) => Number(r[col(l)]));
    return ['U', 'C', 'M'][v.indexOf(Math.max(...v))];
  });
  return { shares: mean.map((x) => x.toFixed(2)).join(' / '), modal: tally(modal) };
}

const lines = [
  '| issue area | T | equilibria found (role-wise ones; replications) | stochastically stable (T -> 0) | weight-selected at T | start class; log10 rounds to leave it (counted) | expected within 300 rounds | simulated modal level | simulated U / C / M |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const T of TS) {
  const spec = resolveSpec('experiments/baseline.yaml', [`protocol.temperature=${T}`]);
  const a = analyzeLevels(spec, { replications: R, temperatures: [T] });
  for (const area of AREAS) {
    const runs = a.areas.filter((x) => x.issueArea === area);
    const roleWise = tally(runs.map((x) => x.roleWise.filter((r) => r.nash).map((r) => r.label.replace(/origin (\w), transit \1, destination \1/, 'all $1')).join(' + ')));
    const counts = runs.map((x) => x.equilibria.length);
    const ss = tally(runs.map((x) => x.stochasticallyStable.map((k) => x.equilibria[k].modal).join('/')));
    const atT = tally(runs.map((x) => x.atTemperature[0].selectedModal));
    const start = tally(runs.map((x) => (x.fromStart >= 0 ? x.equilibria[x.fromStart].label : 'none')));
    const waits = runs.map((x) => (x.fromStart >= 0 ? x.atTemperature[0].log10WaitingRoundsCounted[x.fromStart] : NaN)).filter((w) => !Number.isNaN(w)).sort((p, q) => p - q);
    const med = waits.length ? waits[Math.floor(waits.length / 2)] : NaN;
    const within = tally(runs.map((x) => (x.atTemperature[0].withinRounds >= 0 ? x.equilibria[x.atTemperature[0].withinRounds].modal : 'none')));
    const sim = simulated(T, area);
    lines.push(`| ${area} | ${T} | ${roleWise}; ${Math.min(...counts)}-${Math.max(...counts)} classes | ${ss} | ${atT} | ${start}; median ${Number.isFinite(med) ? med.toFixed(1) : 'never'} | ${within} | ${sim.modal} | ${sim.shares} |`);
  }
}
console.log(lines.join('\n'));
