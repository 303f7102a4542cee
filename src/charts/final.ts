// Charts of the final state of each replication: welfare by role and provision
// against need per issue area, each as the mean across replications with its
// t-based 95 % confidence interval.
import type { TopLevelSpec } from 'vega-lite';
import { NEUTRAL } from './colors.ts';
import { type RoleWelfareView, type TargetView, termScale } from './outcomes.ts';
import { chart, ciSentence, header, r10, replicationsPhrase } from './spec.ts';
import { bounds, meanCi } from './stats.ts';
import type { Chart, FinalRow } from './types.ts';

function column(final: readonly FinalRow[], metric: string): number[] {
  return final.map((row) => row[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Mean final welfare per role (the metrics declared of kind welfare with a role) across replications, as bars with 95 % CI error bars. */
export function welfareByRoleChart(final: readonly FinalRow[], view: RoleWelfareView): Chart {
  const roles = view.roles;
  if (roles.length === 0) throw new Error('welfareByRoleChart: no welfare metrics declared with a role');
  const values = roles.map((role) => {
    const s = meanCi(column(final, view.metric(role.id)));
    const b = bounds(s);
    return { role: role.label, mean: r10(s.mean), lo: b ? r10(b.lo) : null, hi: b ? r10(b.hi) : null, n: s.n };
  });
  const n = final.length;
  const hasCi = values.some((v) => v.lo !== null);
  const title = 'Welfare by role at the end of the run';
  const caption =
    `Mean final payoff per unit of role weight (${roles.map((r) => r.label).join(', ')}; mixed-role states count by their weight), over ${replicationsPhrase(n)}. ` +
    ciSentence(n, 'replications', 'Error bars');
  const x = { field: 'role', type: 'nominal' as const, title: 'role', sort: roles.map((r) => r.label), axis: { labelAngle: 0 } };
  const yTitle = `final welfare (${view.unit})`;
  const layer: object[] = [
    {
      name: 'bars',
      mark: { type: 'bar', width: { band: 0.6 } },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative', title: yTitle },
        color: { field: 'role', type: 'nominal', title: 'role', scale: termScale(roles), legend: null },
        tooltip: [
          { field: 'role', type: 'nominal', title: 'role' },
          { field: 'mean', type: 'quantitative', title: 'mean welfare', format: '.4g' },
          { field: 'lo', type: 'quantitative', title: '95 % CI low', format: '.4g' },
          { field: 'hi', type: 'quantitative', title: '95 % CI high', format: '.4g' },
          { field: 'n', type: 'quantitative', title: 'replications' },
        ],
      },
    },
  ];
  if (hasCi) {
    layer.push({
      name: 'errorbars',
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'errorbar', ticks: { size: 14 }, color: NEUTRAL.dark },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } },
    });
  }
  const spec = {
    ...header(title, `mean of ${replicationsPhrase(n)}${hasCi ? ' with 95 % CI' : ''}`, caption),
    data: { values },
    width: 300,
    height: 220,
    layer,
  } as TopLevelSpec;
  return chart('welfare-by-role', title, caption, spec);
}

/**
 * Provision against need per issue area at the end of the run (both as a share of
 * what all states contributing together would provide), with the protection gap
 * (<area>_gap: the share of the need no one meets) drawn between them and labelled.
 */
export function provisionNeedChart(final: readonly FinalRow[], view: TargetView): Chart {
  const areas = view.areas;
  if (areas.length === 0) throw new Error('provisionNeedChart: no metrics declared with a target per issue area');
  const n = final.length;
  const values = areas.map((area) => {
    const p = meanCi(column(final, view.value(area)));
    const need = meanCi(column(final, view.target(area)));
    const gapName = view.gap(area);
    const gapCol = gapName ? column(final, gapName) : [];
    const gap = gapCol.length > 0 ? meanCi(gapCol).mean : need.mean > 0 ? Math.max(0, need.mean - p.mean) / need.mean : 0;
    const b = bounds(p, [0, Infinity]);
    return {
      area,
      provision: r10(p.mean),
      lo: b ? r10(b.lo) : null,
      hi: b ? r10(b.hi) : null,
      need: r10(need.mean),
      gap: r10(gap),
      gapLabel: `gap ${(100 * gap).toFixed(gap > 0 && gap < 0.01 ? 1 : 0)} %`,
      top: r10(Math.max(need.mean, b ? b.hi : p.mean)),
      n: p.n,
    };
  });
  const hasCi = values.some((v) => v.lo !== null);
  const yTitle = `${view.unit} (all states contributing)`;
  const x = { field: 'area', type: 'nominal' as const, title: 'issue area', sort: [...areas], axis: { labelAngle: 0 } };
  const measure = { domain: ['provision', 'need'], range: [NEUTRAL.light, NEUTRAL.dark] };
  const tooltip = [
    { field: 'area', type: 'nominal' as const, title: 'issue area' },
    { field: 'provision', type: 'quantitative' as const, title: 'mean provision', format: '.3f' },
    { field: 'lo', type: 'quantitative' as const, title: '95 % CI low', format: '.3f' },
    { field: 'hi', type: 'quantitative' as const, title: '95 % CI high', format: '.3f' },
    { field: 'need', type: 'quantitative' as const, title: 'mean need', format: '.3f' },
    { field: 'gap', type: 'quantitative' as const, title: 'protection gap (share of need unmet)', format: '.1%' },
    { field: 'n', type: 'quantitative' as const, title: 'replications' },
  ];
  const layer: object[] = [
    {
      name: 'bars',
      transform: [{ calculate: "'provision'", as: 'measure' }],
      mark: { type: 'bar', width: { band: 0.55 } },
      encoding: { x, y: { field: 'provision', type: 'quantitative', title: yTitle }, color: { field: 'measure', type: 'nominal', title: null, scale: measure }, tooltip },
    },
    {
      name: 'need',
      transform: [{ calculate: "'need'", as: 'measure' }],
      mark: { type: 'tick', thickness: 3, size: 60 },
      encoding: { x, y: { field: 'need', type: 'quantitative', title: yTitle }, color: { field: 'measure', type: 'nominal', title: null, scale: measure }, tooltip },
    },
    {
      name: 'gap',
      transform: [{ filter: 'datum.need > datum.provision' }],
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5, color: NEUTRAL.dark, xOffset: 34 },
      encoding: { x, y: { field: 'provision', type: 'quantitative', title: yTitle }, y2: { field: 'need' }, tooltip },
    },
    {
      name: 'gaplabels',
      mark: { type: 'text', dy: -10, color: NEUTRAL.dark },
      encoding: { x, y: { field: 'top', type: 'quantitative', title: yTitle }, text: { field: 'gapLabel', type: 'nominal' }, tooltip },
    },
  ];
  if (hasCi) {
    layer.splice(1, 0, {
      name: 'errorbars',
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'errorbar', ticks: { size: 8 }, color: NEUTRAL.mid },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } },
    });
  }
  const title = 'Provision against need, per issue area';
  const caption =
    `Mean final provision (bars) and need (black ticks) in each issue area, both as a share of what all states contributing together would provide; ` +
    `the dashed line and label give the protection gap, the share of the need that no one meets (mean of each area's declared gap metric), over ${replicationsPhrase(n)}. ` +
    ciSentence(n, 'replications', 'Error bars on provision');
  const spec = {
    ...header(title, `mean of ${replicationsPhrase(n)}`, caption),
    data: { values },
    width: 320,
    height: 240,
    layer,
  } as TopLevelSpec;
  return chart('provision-need', title, caption, spec);
}
