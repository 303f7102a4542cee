// The report's section of a discover folder (src/report/discover.ts writes it): the
// boxes with coverage, density and mass, each restricted factor's limits and
// quasi-p-values, and how often resampling restricts each factor. Read from the
// discovery summary that the folder's manifest.json holds.
import type { DiscoverySummary } from '../discover/data.ts';
import { esc, fmt } from './html.ts';

/** The discovery read back from a discover folder's manifest, or undefined when it has none or a malformed one. */
export function discoverySummaryOf(value: unknown): DiscoverySummary | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const d = value as Partial<DiscoverySummary>;
  if ((d.method !== 'prim' && d.method !== 'cart') || typeof d.where !== 'string' || !Array.isArray(d.boxes) || !Array.isArray(d.trajectory) || typeof d.runs !== 'number' || typeof d.runsOfInterest !== 'number') return undefined;
  return d as DiscoverySummary;
}

/** The report's section on the boxes: each box's statistics and limits, and the restriction frequencies. */
export function discoverSectionHtml(d: DiscoverySummary): string {
  const tableOf = (head: string[], rows: string[][], numeric: boolean[]) =>
    `<div class="table-wrap"><table class="metrics"><thead><tr>${head.map((h, i) => `<th scope="col"${numeric[i] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table></div>`;
  const method = d.method === 'prim' ? 'PRIM (Friedman and Fisher 1999; the rules of EMA Workbench)' : 'CART (a classification tree by the Gini impurity)';
  const opts = Object.entries(d.options).map(([k, v]) => `${k} ${v}`).join(', ');
  const parts: string[] = [];
  parts.push(`<p>Runs of interest: <code>${esc(d.where)}</code>: ${d.runsOfInterest} of ${d.runs} runs (${fmt(d.runs > 0 ? d.runsOfInterest / d.runs : 0)}). Method: ${esc(method)}; settings: ${esc(opts)}. Coverage: the share of the runs of interest inside a box; density: the share of a box's runs that are of interest; mass: the share of all runs inside it. Each box in <code>boxes.csv</code>, its trajectory in <code>trajectory.csv</code>.</p>`);
  if (d.boxes.length === 0) parts.push('<p class="muted">No box found.</p>');
  d.boxes.forEach((b, i) => {
    // the resamples repeat the search for the first box only
    const freq = (factor: string) => (i === 0 && d.restrictionFrequency ? fmt(d.restrictionFrequency[factor] ?? 0) : '');
    parts.push(`<h3>Box ${i + 1}: coverage ${fmt(b.coverage)}, density ${fmt(b.density)}, mass ${fmt(b.mass)}${b.meetsThreshold ? '' : ' (below the density threshold: the densest box found)'}</h3>`);
    const rows = b.limits
      .filter((l) => l.restricted)
      .map((l) =>
        l.kind === 'numeric'
          ? [l.factor, `${fmt(l.lower)} to ${fmt(l.upper)}`, `${fmt(l.min)} to ${fmt(l.max)}`, l.qpLower === null ? '' : fmt(l.qpLower), l.qpUpper === null ? '' : fmt(l.qpUpper), freq(l.factor)]
          : [l.factor, l.categories.join(', '), l.all.join(', '), l.qp === null ? '' : fmt(l.qp), '', freq(l.factor)],
      );
    const head = ['factor', 'box limits', 'range in the sweep', 'qp lower', 'qp upper', ...(i === 0 && d.restrictionFrequency ? ['restricted in resamples'] : [])];
    const shown = rows.map((r) => r.slice(0, head.length));
    parts.push(rows.length ? tableOf(head, shown, head.map((_, k) => k >= 3)) : '<p class="muted">The box restricts no factor: the runs of interest are spread over the whole sweep.</p>');
  });
  if (d.restrictionFrequency) {
    const rows = Object.entries(d.restrictionFrequency).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    parts.push(`<h3>How often each factor is restricted</h3><p>The share of ${d.resamples} bootstrap resamples of the runs (drawn with a seed from the sweep's) whose first PRIM box restricts the factor: a factor restricted in nearly every resample is part of the answer; one restricted now and then is noise.</p>`);
    parts.push(tableOf(['factor', 'share of resamples'], rows.map(([k, v]) => [k, fmt(v)]), [false, true]));
  }
  return parts.join('\n');
}
