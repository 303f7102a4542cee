// A calibrate folder (src/calibrate/calibrate.ts writes it) read back for the report,
// and the report's section on it: the verdict (the region not ruled out, or ruled out
// everywhere), each parameter's prior and NROY interval with whether the targets
// identify it, the targets, and the waves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CalibrationView } from '../charts/calibrate.ts';
import type { Manifest, ResultData } from '../charts/types.ts';
import { declaredOutcomes } from '../charts/outcomes.ts';
import { ReportError } from './errors.ts';
import { esc, fmt } from './html.ts';

function csvRows(folder: string, file: string): string[][] {
  const path = join(folder, file);
  if (!existsSync(path)) throw new ReportError(folder, file, 'missing; a calibrate folder holds it (run migov calibrate again to write it)');
  try {
    return parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
  } catch (e) {
    throw new ReportError(folder, file, `not a CSV table: ${(e as Error).message.slice(0, 200)}`);
  }
}

const asNumber = (text: string) => (text === '' ? NaN : Number(text));

/** A `migov calibrate` folder: the summary from its manifest, the NROY samples from nroy.csv, the bands from bands.csv. */
export function readCalibration(folder: string, manifest: Manifest): ResultData {
  const c = (manifest as { calibration?: unknown }).calibration as Partial<CalibrationView> | undefined;
  if (!c || typeof c !== 'object' || !Array.isArray(c.parameters) || !Array.isArray(c.targets) || !Array.isArray(c.waves)) {
    throw new ReportError(folder, 'manifest.json', 'field "calibration" is missing or malformed; the folder is written by migov calibrate: run it again');
  }
  const nroy = csvRows(folder, 'nroy.csv');
  const d = c.parameters.length;
  if (nroy.length === 0 || nroy[0].length !== d + 1) throw new ReportError(folder, 'nroy.csv', `expected a header of ${d} parameters and max_implausibility`);
  const samples = nroy.slice(1).map((r) => r.slice(0, d).map(asNumber));
  const bandRows = csvRows(folder, 'bands.csv');
  const bands = bandRows.slice(1).map((r) => ({ metric: r[0], round: asNumber(r[1]), band: r[2], q05: asNumber(r[3]), q50: asNumber(r[4]), q95: asNumber(r[5]), runs: asNumber(r[6]) }));
  const nullToNaN = (x: unknown) => (typeof x === 'number' ? x : NaN);
  const parameters = (c.parameters as CalibrationView['parameters']).map((p) => ({ ...p, q05: nullToNaN(p.q05), q50: nullToNaN(p.q50), q95: nullToNaN(p.q95), lower: nullToNaN(p.lower), upper: nullToNaN(p.upper), share: nullToNaN(p.share) }));
  const calibration = { ...(c as CalibrationView), parameters, samples, bands };
  const data: ResultData = { manifest, series: [], final: [], calibration };
  data.outcomes = declaredOutcomes(manifest.outcomes, (manifest.outcomes?.metrics ?? []).map((m) => m.name));
  return data;
}

function table(head: string[], rows: string[][], numeric: boolean[]): string {
  return `<div class="table-wrap"><table class="metrics"><thead><tr>${head.map((h, i) => `<th scope="col"${numeric[i] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((x, i) => `<td${numeric[i] ? ' class="num"' : ''}>${esc(x)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table></div>`;
}

/** The report's calibration section. */
export function calibrationSectionHtml(c: CalibrationView): string {
  const parts: string[] = [];
  parts.push(
    `<p>History matching: ${c.waves.length} wave${c.waves.length === 1 ? '' : 's'} of Latin-hypercube sweeps (${c.runs} runs), a Gaussian-process emulator per target and wave, and a point ruled out where the largest implausibility over the targets, |target - emulator mean| / sqrt(emulator variance + target sd<sup>2</sup> + discrepancy<sup>2</sup> + the replications' variance), is above ${fmt(c.cutoff)}. Model discrepancy sd: ${fmt(c.discrepancy)}.</p>`,
  );
  parts.push(
    c.ruledOutEverywhere
      ? `<p><strong>Ruled out everywhere:</strong> after wave ${c.waves.length}, no candidate point of the prior has largest implausibility at most ${fmt(c.cutoff)}: no parameter value in the prior reproduces the targets within their uncertainty.</p>`
      : `<p><strong>Not ruled out:</strong> ${fmt(100 * c.nroyShare)} % of the prior's volume (${c.nroySamples} samples in <code>nroy.csv</code>); ${c.designPointsInNroy} design points run lie in the region.</p>`,
  );
  parts.push('<h3>Parameters</h3>');
  parts.push(
    table(
      ['parameter', 'prior', 'NROY range', '5 %', 'median', '95 %', '5-95 % width / prior\'s', 'verdict'],
      c.parameters.map((p) => [p.path, `${fmt(p.min)} to ${fmt(p.max)}${p.scale === 'log' ? ' (log)' : ''}`, Number.isFinite(p.lower) ? `${fmt(p.lower)} to ${fmt(p.upper)}` : '', fmt(p.q05), fmt(p.q50), fmt(p.q95), fmt(p.share), p.verdict]),
      [false, false, false, true, true, true, true, false],
    ),
  );
  parts.push('<p>Verdict: identified where the NROY samples\' 5-95 % interval is under half its width under the prior, weakly constrained from a half to 0.9, not identifiable above 0.9 (widths on the prior\'s scale).</p>');
  parts.push('<h3>Targets</h3>');
  parts.push(table(['metric', 'round', 'mean', 'sd', 'source'], c.targets.map((t) => [t.metric, String(t.round), fmt(t.mean), fmt(t.sd), t.label ?? '']), [false, true, true, true, false]));
  parts.push('<h3>Waves</h3>');
  parts.push(
    table(
      ['wave', 'box', 'design points', 'not ruled out by earlier waves', 'training points', 'NROY candidates', 'NROY share of the prior'],
      c.waves.map((w) => [String(w.wave), c.parameters.map((p, k) => `${p.path} ${fmt(w.lower[k])}-${fmt(w.upper[k])}`).join('; '), String(w.points), String(w.pointsInPreviousNroy), String(w.trainingPoints), `${w.accepted} of ${w.candidates}`, fmt(w.nroyShare)]),
      [true, false, true, true, true, true, true],
    ),
  );
  parts.push('<p>Each wave after the first samples the box bounding the previous wave\'s NROY samples (widened by 2 % of each prior range); its points outside the region are run too, and counted above. Files: <code>nroy.csv</code>, <code>parameters.csv</code>, <code>waves.csv</code>, <code>design.csv</code>, <code>bands.csv</code>, <code>targets.csv</code>, and each wave\'s sweep folder.</p>');
  return parts.join('\n');
}
