// Draws docs/findings/claim-6-venue-shopping.png from results/claim-6-venue-shopping/summary.csv.
// Why a separate script: the sweep's automatic charts (src/charts) use only numeric swept
// parameters, so the two categorical factors of claim 6 (venue shopping, club kind) are
// pooled in them. This chart splits by both, using the project's renderer and config.
// After the sweep (from any folder; paths.ts says where it reads and writes):
//   npx tsx docs/findings/scripts/claim-6-chart.ts [out.png] [--results <dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { header, chart } from '../../../src/charts/spec.ts';
import { renderChart } from '../../../src/report/render.ts';
import { chartFile, resultFile } from './paths.ts';

// summary.csv has no quoted fields (numbers, booleans and the club kinds)
const [head, ...lines] = readFileSync(resultFile('claim-6-venue-shopping'), 'utf8').trim().split('\n');
const cols = head.split(',');
const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v]))) as Record<string, string>[];
const AREAS = ['refugee', 'irregular'];
const values = rows
  .filter((r) => AREAS.some((a) => r.metric === `${a}_hhi`))
  .map((r) => {
    const mean = Number(r.mean);
    const ci = Number(r.ci95);
    return {
      area: r.metric.replace(/_hhi$/, ''),
      clubs: r['params.clubs'],
      venue: r['params.mechanisms.venueShopping'] === 'true' ? 'on' : 'off',
      tauC: `club cost tau_C ${r['params.transactionCost.C']}`,
      mean,
      lo: Math.max(0, mean - ci),
      hi: Math.min(1, mean + ci),
      n: Number(r.n),
    };
  });
const runs = rows.filter((r) => r.metric === 'refugee_hhi').reduce((s, r) => s + Number(r.n), 0);
const points = rows.filter((r) => r.metric === 'refugee_hhi').length;
const title = 'Venue shopping fragments governance (except irregular migration with cheap regional clubs)';
const subtitle = `${runs} runs: ${points} design points x ${runs / points} replications; bars: mean final Herfindahl index, whiskers: 95 % CI`;
const caption =
  'Herfindahl index of membership over the regime and the clubs at round 300 (1: one institution holds every member), by club kind, venue shopping off and on, ' +
  'for the refugee (public good) and irregular (club good) issue areas, at three club transaction costs (the regime costs 0.3).';
const color = { field: 'venue', type: 'nominal' as const, title: 'venue shopping', scale: { domain: ['off', 'on'], range: ['#777777', '#D55E00'] } };
const x = { field: 'clubs', type: 'nominal' as const, title: 'club kind', sort: ['regional', 'plurilateral', 'bilateral'], axis: { labelAngle: 0 } };
const spec = {
  ...header(title, subtitle, caption),
  data: { values },
  facet: {
    column: { field: 'area', type: 'nominal', title: 'issue area', sort: AREAS },
    row: { field: 'tauC', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } },
  },
  spec: {
    width: 230,
    height: 110,
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset: { field: 'venue', sort: ['off', 'on'] },
          y: { field: 'mean', type: 'quantitative', title: 'Herfindahl', scale: { domain: [0, 1] } },
          color,
          tooltip: [
            { field: 'area', title: 'issue area' },
            { field: 'tauC', title: 'club cost' },
            { field: 'clubs', title: 'club kind' },
            { field: 'venue', title: 'venue shopping' },
            { field: 'mean', type: 'quantitative', format: '.3f' },
            { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.3f' },
            { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.3f' },
            { field: 'n', type: 'quantitative', title: 'runs' },
          ],
        },
      },
      {
        mark: { type: 'rule', color: '#333333' },
        encoding: { x, xOffset: { field: 'venue', sort: ['off', 'on'] }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
    ],
  },
} as Parameters<typeof chart>[3];
const rendered = await renderChart(chart('claim-6-venue-shopping', title, caption, spec));
const file = chartFile('claim-6-venue-shopping.png');
writeFileSync(file, rendered.png);
console.log(`wrote ${file} (${rendered.png.length} bytes)`);
