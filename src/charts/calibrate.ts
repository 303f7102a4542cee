// Charts of a calibration (`migov calibrate`): the not-ruled-out (NROY) samples in
// pairs of parameters (a scatter for each pair, a histogram on the diagonal, each axis
// on the parameter's prior range and scale), and, per target metric, the predictive
// bands (5-95 % of the runs at design points not ruled out, over the band of wave 1's
// runs across the whole prior) against the targets with +-2 sd.
import type { Chart, ParameterInfos } from './types.ts';
import { chart, header, parameterWords, plural, r10 } from './spec.ts';

/** What a calibration folder holds, as the charts and the report section read it. */
export interface CalibrationView {
  readonly parameters: readonly { readonly path: string; readonly min: number; readonly max: number; readonly scale: 'linear' | 'log'; readonly q05: number; readonly q50: number; readonly q95: number; readonly lower: number; readonly upper: number; readonly share: number; readonly verdict: string }[];
  readonly targets: readonly { readonly metric: string; readonly round: number; readonly mean: number; readonly sd: number; readonly label?: string }[];
  readonly discrepancy: number;
  readonly cutoff: number;
  readonly waves: readonly { readonly wave: number; readonly lower: readonly number[]; readonly upper: readonly number[]; readonly points: number; readonly pointsInPreviousNroy: number; readonly trainingPoints: number; readonly accepted: number; readonly candidates: number; readonly nroyShare: number }[];
  readonly nroySamples: number;
  readonly nroyShare: number;
  readonly ruledOutEverywhere: boolean;
  readonly designPointsInNroy: number;
  readonly runs: number;
  /** NROY samples (natural units, one value per parameter), at most a few thousand. */
  readonly samples: readonly (readonly number[])[];
  readonly bands: readonly { readonly metric: string; readonly round: number; readonly band: string; readonly q05: number; readonly q50: number; readonly q95: number; readonly runs: number }[];
}

/** The most NROY samples drawn in the pairs chart (every k-th sample beyond it). */
const MAX_DRAWN = 1500;

/** NROY samples in every pair of parameters; a histogram of each on the diagonal. */
export function pairsChart(c: CalibrationView, parameters?: ParameterInfos): Chart | null {
  if (c.samples.length === 0) return null;
  const d = c.parameters.length;
  const step = Math.max(1, Math.ceil(c.samples.length / MAX_DRAWN));
  const values = c.samples.filter((_, i) => i % step === 0).map((s) => Object.fromEntries(s.map((v, k) => [`p${k}`, r10(v)])));
  const size = d === 1 ? 420 : Math.max(150, Math.floor(540 / d));
  const axis = (k: number) => {
    const p = c.parameters[k];
    return { field: `p${k}`, type: 'quantitative', title: parameterWords(p.path, parameters), scale: p.scale === 'log' ? { type: 'log', domain: [p.min, p.max], nice: false } : { type: 'linear', domain: [p.min, p.max], nice: false, zero: false } };
  };
  const cell = (row: number, col: number) => {
    if (row === col) {
      const p = c.parameters[row];
      // a log-scaled parameter is counted in bins of its log10
      const log = p.scale === 'log';
      return {
        width: size,
        height: size,
        ...(log ? { transform: [{ calculate: `log(datum.p${row}) / LN10`, as: `l${row}` }] } : {}),
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          x: log
            ? { field: `l${row}`, type: 'quantitative', title: `log10 of ${parameterWords(p.path, parameters)}`, bin: { extent: [Math.log10(p.min), Math.log10(p.max)], maxbins: 20 } }
            : { ...axis(row), bin: { extent: [p.min, p.max], maxbins: 20 } },
          y: { aggregate: 'count', type: 'quantitative', title: 'NROY samples' },
        },
      };
    }
    return {
      width: size,
      height: size,
      mark: { type: 'point', filled: true, size: 10, opacity: 0.35, color: '#4c78a8' },
      encoding: { x: axis(col), y: axis(row) },
    };
  };
  const title = 'The parameter values not ruled out, in pairs';
  const caption = `${plural(c.samples.length, 'sample')} of the region not ruled out after ${plural(c.waves.length, 'wave')} (largest implausibility <= ${c.cutoff} under every wave's emulators; ${values.length} drawn), on each parameter's prior range; the diagonal counts them per parameter. The region is ${(100 * c.nroyShare).toPrecision(3)} % of the prior's volume.`;
  const body = d === 1 ? cell(0, 0) : { vconcat: Array.from({ length: d }, (_, i) => ({ hconcat: Array.from({ length: d }, (_, j) => cell(i, j)) })) };
  return chart('calibrate-pairs', title, caption, { ...header(title, 'NROY samples', caption, Math.max(560, d * (size + 40))), data: { values }, ...body } as never);
}

/** Per target metric: the runs' 5-95 % band over rounds where not ruled out, over the prior's band, with the targets. */
export function bandCharts(c: CalibrationView, outcomes?: { metrics: readonly { name: string; description: string; unit: string }[] }): Chart[] {
  const metrics = [...new Set(c.targets.map((t) => t.metric))];
  return metrics.map((m, i) => {
    const decl = outcomes?.metrics.find((x) => x.name === m);
    const yTitle = decl ? `${decl.description} (${decl.unit})` : m;
    const bands = c.bands.filter((b) => b.metric === m).map((b) => ({ round: b.round, band: b.band === 'nroy' ? 'not ruled out' : 'prior (wave 1)', q05: r10(b.q05), q50: r10(b.q50), q95: r10(b.q95), runs: b.runs }));
    const sdTotal = (t: { sd: number }) => Math.sqrt(t.sd * t.sd + c.discrepancy * c.discrepancy);
    const targets = c.targets.filter((t) => t.metric === m).map((t) => ({ round: t.round, mean: t.mean, lo: r10(t.mean - 2 * sdTotal(t)), hi: r10(t.mean + 2 * sdTotal(t)), label: t.label ?? `${m} at round ${t.round}` }));
    const title = `${decl?.description ?? m}: runs not ruled out against the targets`;
    const nroyRuns = Math.max(0, ...bands.filter((b) => b.band === 'not ruled out').map((b) => b.runs));
    const caption = `Bands: 5 to 95 % of the runs at each recorded round, of wave 1 across the whole prior (grey) and of the ${nroyRuns} runs at design points not ruled out (blue, with their median). Targets: mean +- 2 sd (the target's sd and the model discrepancy ${c.discrepancy} in quadrature).${nroyRuns === 0 ? ' No design point was left in the region, so there is no blue band.' : ''}`;
    return chart(`calibrate-bands-${i + 1}`, title, caption, {
      ...header(title, m, caption, 620),
      width: 620,
      height: 360,
      layer: [
        {
          data: { values: bands },
          mark: { type: 'area', opacity: 0.35 },
          encoding: {
            x: { field: 'round', type: 'quantitative', title: 'round' },
            y: { field: 'q05', type: 'quantitative', title: yTitle },
            y2: { field: 'q95' },
            color: { field: 'band', type: 'nominal', title: null, scale: { domain: ['prior (wave 1)', 'not ruled out'], range: ['#9d9d9d', '#4c78a8'] } },
          },
        },
        {
          data: { values: bands },
          transform: [{ filter: "datum.band === 'not ruled out'" }],
          mark: { type: 'line', color: '#1f3f66' },
          encoding: { x: { field: 'round', type: 'quantitative' }, y: { field: 'q50', type: 'quantitative' } },
        },
        {
          data: { values: targets },
          mark: { type: 'rule', color: '#d62728', strokeWidth: 2 },
          encoding: { x: { field: 'round', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, tooltip: [{ field: 'label', type: 'nominal' }] },
        },
        {
          data: { values: targets },
          mark: { type: 'point', filled: true, color: '#d62728', size: 70, shape: 'diamond' },
          encoding: { x: { field: 'round', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'label', type: 'nominal' }, { field: 'mean', type: 'quantitative' }] },
        },
      ],
    } as never);
  });
}

export function calibrationCharts(c: CalibrationView, parameters?: ParameterInfos, outcomes?: { metrics: readonly { name: string; description: string; unit: string }[] }): Chart[] {
  const pairs = pairsChart(c, parameters);
  return [...(pairs ? [pairs] : []), ...bandCharts(c, outcomes)];
}
