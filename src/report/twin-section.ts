// The report's "Analytic twin" section (issue 15 part 5): where a run's model and
// protocol have an exact counterpart (src/analysis/twin.ts), the analytic value beside
// the simulated estimate with its z-score.
import { type TwinComparison, twinComparison } from '../analysis/twin.ts';
import type { Protocol } from '../engine/protocol.ts';
import type { ResultData } from '../charts/types.ts';
import { findModel } from '../../models/index.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e-4 || x === 0 ? x.toPrecision(4) : x.toExponential(3)) : '–');

/** The comparison a run folder supports, or null (a sweep, another model, no exact counterpart). */
export function twinOf(data: ResultData): TwinComparison | null {
  const spec = data.manifest?.spec as { model?: string; params?: Record<string, unknown>; protocol?: Protocol; sweep?: unknown } | undefined;
  if (!spec?.model || !spec.params || !spec.protocol || spec.sweep || data.runs) return null;
  const model = findModel(spec.model);
  if (!model) return null;
  const strategies = model.layout(spec.params).strategies;
  const shares = strategies.map((s) => data.final.map((row) => Number(row[`share_${s}`])));
  if (shares.some((col) => col.length === 0 || col.some((x) => !Number.isFinite(x)))) return null;
  try {
    return twinComparison(model, spec.params, spec.protocol, shares);
  } catch {
    return null; // a parameter set the analysis does not take: no section, the rest of the report stands
  }
}

export function twinSectionHtml(data: ResultData): { id: string; title: string; body: string } | null {
  const t = twinOf(data);
  if (!t) return null;
  const body = `<p>The exact value this run's ${t.replications} replications estimate (computed by <code>src/analysis/</code>, docs/theory.md), beside their estimate and its z-score ((simulated − analytic) / standard error; beyond ±4 the simulation and the theory disagree, or the runs have not forgotten their start). <code>migov analyze</code> on the same spec gives the rest of the analytic twin.</p>
<div class="table-wrap"><table class="metrics"><thead><tr><th scope="col">quantity</th><th scope="col">what</th><th scope="col" class="num">analytic</th><th scope="col" class="num">simulated</th><th scope="col" class="num">standard error</th><th scope="col" class="num">z</th></tr></thead><tbody>
<tr><td>${esc(t.quantity)}</td><td>${esc(t.description)}</td><td class="num">${num(t.analytic)}</td><td class="num">${num(t.simulated)}</td><td class="num">${num(t.standardError)}</td><td class="num">${Number.isFinite(t.z) ? t.z.toFixed(2) : '–'}</td></tr>
</tbody></table></div>`;
  return { id: 'analytic-twin', title: 'Analytic twin', body };
}
