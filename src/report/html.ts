// report.html: one self-contained file that opens offline from file:// and shows what
// an experiment asked, what it found and how to reproduce it: the question, the
// charts (interactive, through vega-embed, with tooltips), the summary tables, for
// sweeps the sensitivity results, the parameters, the spec and the manifest. vega,
// vega-lite and vega-embed are inlined from node_modules, a Content-Security-Policy
// forbids every network request, and every text taken from the data is escaped. The
// same folder gives the same bytes: nothing here reads the clock.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { Chart, FinalRow, Manifest, ManifestReplication, ResultData } from '../charts/types.ts';
import { type ExperimentResult, summarise } from '../sweep/experiment.ts';
import { type FileCheck, parameterInfosOf } from './read.ts';
import { outcomesOf } from '../charts/outcomes.ts';
import { discoverSectionHtml } from './discover-section.ts';
import { calibrationSectionHtml } from './calibrate-section.ts';
import { twinSectionHtml } from './twin-section.ts';

const require = createRequire(import.meta.url);

/** The minified browser builds, in load order (vega-embed needs the other two as globals). */
const LIBRARIES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let libraryCache: string | null = null;

/** The three libraries as inline <script> elements (source-map comments dropped: they would point at files that are not there). */
function inlineLibraries(): string {
  if (libraryCache === null) {
    libraryCache = LIBRARIES.map(([pkg, file]) => {
      // each package's entry point lives in its build/ folder, beside the minified build
      const path = join(dirname(require.resolve(pkg)), file);
      if (!existsSync(path)) throw new Error(`report.html inlines ${pkg}'s browser build, but ${path} is missing; reinstall with npm ci`);
      const code = readFileSync(path, 'utf8')
        .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
        .replace(/<\/(script)/gi, '<\\/$1');
      return `<script data-library="${pkg}">\n${code}</script>`;
    }).join('\n');
  }
  return libraryCache;
}

export interface ReportInput {
  readonly data: ResultData;
  readonly charts: readonly Chart[];
  /** The input files the manifest lists, with their recorded and present sha256. */
  readonly files: readonly FileCheck[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON safe to put inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A number for a table: 4 decimals, or 4 significant digits in exponent form when very small or large. */
export function fmt(x: number | string | undefined | null): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'string') return x;
  if (Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toFixed(4);
}

/** A nested value as rows of dotted path -> leaf value (arrays by index: issueAreas.0.name). */
export function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) return [[prefix, Array.isArray(value) ? '[]' : '{}']];
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

/** A parameter value exactly as the spec holds it. */
function leaf(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

interface Section {
  id: string;
  title: string;
  body: string;
  /** Sub-entries for the table of contents. */
  items?: { id: string; title: string }[];
}

function table(head: readonly string[], rows: readonly (readonly string[])[], opts: { numeric?: readonly boolean[]; className?: string } = {}): string {
  const cls = (i: number) => (opts.numeric?.[i] ? ' class="num"' : '');
  const thead = `<thead><tr>${head.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead>`;
  const tbody = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${opts.className ? ` class="${opts.className}"` : ''}>${thead}<tbody>\n${tbody}\n</tbody></table></div>`;
}

/** The spec's comment header as paragraphs: blank lines split paragraphs; list items keep their line; other lines join. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((para) => {
      const lines = para.split('\n').map((l) => l.trim()).filter(Boolean);
      let html = '';
      for (const line of lines) {
        if (html === '') html = esc(line);
        else if (/^([-*•]|\d+[.)])\s/.test(line)) html += `<br>${esc(line)}`;
        else html += `${html.endsWith('/') ? '' : ' '}${esc(line)}`; // a path broken after a slash stays whole
      }
      return html ? `<p>${html}</p>` : '';
    })
    .join('\n');
}

const RESERVED_FINAL = new Set(['replication', 'seed', 'rounds_run', 'stopped_by', 'point']);

/** Final metrics across replications, through summarise() (which reads only each replication's last record). */
function finalSummary(final: readonly FinalRow[]): { metric: string; mean: number; ci95: number; min: number; max: number }[] {
  if (final.length === 0) return [];
  const metrics = Object.keys(final[0]).filter((k) => !RESERVED_FINAL.has(k) && typeof final[0][k] === 'number');
  const asResult = {
    replications: final.map((row) => ({ result: { metrics, values: [metrics.map((m) => Number(row[m]))] } })),
  } as unknown as ExperimentResult;
  return summarise(asResult);
}

/** The manifest's per-replication entries (a sweep's manifest holds a count there instead). */
function replicationsOf(m: Manifest): ManifestReplication[] {
  return Array.isArray(m.replications) ? m.replications : [];
}

function count<T>(xs: readonly T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()];
}

function questionSection(m: Manifest, data: ResultData): Section {
  const spec = m.spec;
  const reps = replicationsOf(m);
  const glance: [string, string][] = [
    ['Model', spec.model],
    ['Replications', String(spec.replications ?? reps.length)],
  ];
  if (spec.rounds !== undefined) glance.push(['Rounds', `${spec.rounds}${spec.recordEvery ? ` (recorded every ${spec.recordEvery})` : ''}`]);
  glance.push(['Master seed', String(m.seed ?? spec.seed ?? '')]);
  if (data.runs) {
    const design = typeof m.design === 'string' ? `${m.design} design: ` : '';
    glance.push(['Sweep', `${design}${new Set(data.runs.map((r) => String(r.point))).size} design points, ${data.runs.length} runs`]);
  }
  if (typeof m.failed === 'number' && m.failed > 0) glance.push(['Failed runs', `${m.failed} (left out of every table and chart; see failures.csv)`]);
  const stops = count(reps.map((r) => r.stoppedBy ?? '?'));
  if (stops.length) glance.push(['Stopped by', stops.map(([s, n]) => `${s} (${n})`).join(', ')]);
  if (m.specFile) glance.push(['Spec file', String(m.specFile)]);
  const question = m.question?.trim() ? paragraphs(m.question) : `<p class="muted">The manifest records no question (the comment header at the top of the spec file).</p>`;
  const body = `<div class="question">${question}</div>
<dl class="glance">${glance.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  return { id: 'question', title: 'The question', body };
}

function chartsSection(charts: readonly Chart[]): Section {
  if (charts.length === 0) return { id: 'charts', title: 'Charts', body: '<p class="muted">No chart applies to these results.</p>' };
  const figures = charts.map((c, i) => {
    const id = `fig-${slug(c.id)}`;
    const files = ['svg', 'png', 'vl.json'].map((ext) => `<a href="charts/${esc(c.id)}.${ext}">${ext === 'vl.json' ? 'Vega-Lite' : ext.toUpperCase()}</a>`).join(' · ');
    return `<figure id="${id}">
<div class="chart" data-chart="${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></div>
<figcaption><strong>Figure ${i + 1}. ${esc(c.title)}.</strong> ${esc(c.caption)} <span class="files">${files}</span></figcaption>
</figure>`;
  });
  return {
    id: 'charts',
    title: 'Charts',
    body: `<p class="muted screen-only">Hover over a mark for its values; the “…” menu saves a chart as SVG or PNG.</p>\n${figures.join('\n')}`,
    items: charts.map((c) => ({ id: `fig-${slug(c.id)}`, title: c.title })),
  };
}

function summarySection(data: ResultData): Section | null {
  const rows = finalSummary(data.final);
  if (rows.length === 0) return null;
  const n = data.final.length;
  // what each metric means and its unit, from the outcome declarations the folder carries
  const declared = new Map(outcomesOf(data).metrics.filter((d) => d.kind !== 'number').map((d) => [d.name, d]));
  const body = `<p>The last recorded value of every metric (its meaning and unit as the model declares them), across ${n} replication${n === 1 ? '' : 's'}: the mean, the half-width of its t-based 95 % confidence interval (mean ± t<sub>0.975, n−1</sub> · sd / √n; none for one replication), and the smallest and largest value. Per replication in <code>final.csv</code>.</p>
${table(
  ['final metric', 'meaning', 'unit', 'mean', '95 % CI ±', 'min', 'max'],
  rows.map((r) => {
    const d = declared.get(r.metric);
    return [r.metric, d?.description ?? '', d?.unit ?? '', fmt(r.mean), Number.isNaN(r.ci95) ? '–' : fmt(r.ci95), fmt(r.min), fmt(r.max)];
  }),
  { numeric: [false, false, false, true, true, true, true], className: 'metrics' },
)}`;
  return { id: 'summary', title: 'Final metrics', body };
}

/** At most this many design points go into the report's table; summary.csv has them all. */
const MAX_DESIGN_POINTS = 1000;

const SUMMARY_STATS = new Set(['metric', 'mean', 'sd', 'ci95', 'n', 'point']);

/** summary.csv as one row per design point: the swept parameters, the runs, then each metric's mean ± CI. */
function sweepSummarySection(data: ResultData): Section | null {
  const rows = data.summary;
  if (!rows || rows.length === 0) return null;
  const params = Object.keys(rows[0]).filter((k) => !SUMMARY_STATS.has(k));
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const points = new Map<string, { params: (string | number)[]; n: number; cells: Map<string, string> }>();
  for (const r of rows) {
    const values = params.map((p) => r[p]);
    const key = 'point' in r ? String(r.point) : JSON.stringify(values);
    let point = points.get(key);
    if (!point) {
      point = { params: values, n: 0, cells: new Map() };
      points.set(key, point);
    }
    point.n = Math.max(point.n, Number(r.n) || 0);
    // summation noise (7.4e-17 for a mean of zeros) is shown as the 0 it is
    const clean = (x: number) => (Math.abs(x) <= 1e-12 * Math.max(1, Math.abs(r.mean)) ? 0 : x);
    point.cells.set(r.metric, Number.isNaN(r.ci95) ? fmt(clean(r.mean)) : `${fmt(clean(r.mean))} ± ${fmt(clean(r.ci95))}`);
  }
  const all = [...points.values()];
  const shown = all.slice(0, MAX_DESIGN_POINTS);
  const note = all.length > shown.length ? ` The first ${shown.length} of ${all.length} design points; <code>summary.csv</code> has them all.` : '';
  const head = [...params, 'runs', ...metrics];
  const body = `<p>One row per design point: the swept parameters (by their path in the spec; what each is: Parameters, Swept parameters), the number of runs, then each final metric's mean ± the half-width of its 95 % confidence interval across the point's runs (the standard deviations are in <code>summary.csv</code>).${note}</p>
${table(
  head,
  shown.map((p) => [...p.params.map((v) => String(v)), String(p.n), ...metrics.map((m) => p.cells.get(m) ?? '')]),
  { numeric: head.map((_, i) => i >= params.length), className: 'design' },
)}`;
  return { id: 'design-points', title: 'Design points', body };
}

function sensitivitySection(data: ResultData): Section | null {
  const rows = data.sensitivity;
  if (!rows || rows.length === 0) return null;
  const body = `<p>Sensitivity of each final metric to each swept parameter: Sobol first-order (S1) and total (ST) indices, or Morris μ* and σ, with their confidence intervals.</p>
${table(
  ['method', 'parameter', 'metric', 'index', 'value', 'CI low', 'CI high'],
  rows.map((r) => [r.method, r.parameter, r.metric, r.index, fmt(r.value), fmt(r.ci_low), fmt(r.ci_high)]),
  { numeric: [false, false, false, false, true, true, true], className: 'metrics' },
)}`;
  return { id: 'sensitivity', title: 'Sensitivity', body };
}

function parametersSection(m: Manifest): Section {
  const spec = m.spec;
  const params = flatten(spec.params ?? {}).map(([k, v]) => [k, leaf(v)]);
  const protocol = flatten(spec.protocol ?? {}).map(([k, v]) => [k, leaf(v)]);
  const skip = new Set(['name', 'description', 'model', 'params', 'protocol']);
  const settings = Object.entries(spec)
    .filter(([k]) => !skip.has(k))
    .flatMap(([k, v]) => flatten(v, k))
    .map(([k, v]) => [k, leaf(v)]);
  const swept = Object.entries(parameterInfosOf(m.parameters) ?? {});
  const sweptTable = swept.length
    ? `<h3>Swept parameters</h3>
<p>What each swept parameter is, in the words of the schema that defines it (the model's for <code>params.</code>, the spec's for <code>protocol.</code>); chart axes are titled with the label and unit.</p>
${table(['path', 'label', 'unit', 'meaning'], swept.map(([path, p]) => [path, p.label, p.unit ?? '', p.description ?? '']), { className: 'params' })}
`
    : '';
  const body = `<p>Every parameter as run, defaults filled in, by its dotted path in the spec (<code>--set params.&lt;path&gt;=value</code> changes one).</p>
${sweptTable}<h3>Model parameters (<code>${esc(spec.model)}</code>)</h3>
${params.length ? table(['params.', 'value'], params, { className: 'params' }) : '<p class="muted">None.</p>'}
<h3>Revision protocol</h3>
${protocol.length ? table(['protocol.', 'value'], protocol, { className: 'params' }) : '<p class="muted">None.</p>'}
<h3>Run settings</h3>
${table(['field', 'value'], settings, { className: 'params' })}`;
  return { id: 'parameters', title: 'Parameters', body };
}

function specSection(m: Manifest): Section {
  const yaml = toYaml(m.spec, { lineWidth: 0 });
  // a sweep reruns with `migov sweep` (`migov run` refuses a spec with a sweep section)
  const command = m.kind === 'sweep' || (m.spec && typeof m.spec === 'object' && 'sweep' in m.spec && m.spec.sweep) ? 'migov sweep' : 'migov run';
  const body = `<p>To rerun exactly what made this folder (this spec, seed and defaults), give the command the folder's manifest: <code>${command} &lt;this folder&gt;/manifest.json</code>, e.g. <code>${command} ${esc(`results/${m.spec.name}/manifest.json`)}</code>. The rerun goes to <code>results/${esc(m.spec.name)}</code> (<code>results/${esc(m.spec.name)}-rerun</code> when that is this folder; <code>--out</code> names another); its tables are byte-identical to these.</p>
<p>The validated spec with every default filled in, as YAML (<code>manifest.json</code> holds the same as JSON); saved as a file, <code>${command} spec.yaml</code> runs it too.</p>
<pre class="code"><code>${esc(yaml)}</code></pre>`;
  return { id: 'spec', title: 'Spec', body };
}

function manifestSection(m: Manifest, files: readonly FileCheck[]): Section {
  const git = m.git ? `${m.git.commit}${m.git.dirty ? ' (with uncommitted changes)' : ''}` : 'not a git checkout';
  const facts: [string, string][] = [
    ['migov', String(m.migov ?? '')],
    ['Spec hash (sha256)', String(m.specHash ?? '')],
    ['Master seed', String(m.seed ?? m.spec.seed ?? '')],
    ['Run seeds', String(m.seedDerivation ?? '')],
    ['Git commit', git],
    ['Platform', String(m.platform ?? '')],
    ['Started', String(m.startedAt ?? '')],
    ['Ended', String(m.endedAt ?? '')],
  ];
  const versions = Object.entries(m.versions ?? {});
  const fileRows = files.map((f) => [f.file, f.recorded, f.actual === null ? 'missing' : f.actual === f.recorded ? 'matches' : `differs: now ${f.actual}`]);
  const changed = files.filter((f) => f.actual !== f.recorded);
  const reps = replicationsOf(m);
  const body = `<p>What is needed to reproduce these results and to check that they are the ones the run wrote.</p>
<dl class="facts">${facts.filter(([, v]) => v !== '').map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(v)}</code></dd>`).join('')}</dl>
<h3>Files</h3>
${changed.length ? `<p class="warning">${changed.length} file${changed.length === 1 ? ' differs' : 's differ'} from what the run wrote: these results are not the ones the manifest describes.</p>` : '<p>Each data file’s sha256 as the run recorded it, checked against the file when this report was made. The charts’ and this report’s own hashes are in <code>manifest.json</code>.</p>'}
${table(['file', 'sha256 recorded', 'check'], fileRows, { className: 'hashes' })}
<h3>Versions</h3>
${table(['package', 'version'], versions.map(([k, v]) => [k, String(v)]), { className: 'params' })}
<details>
<summary>Replications (${reps.length}): seeds, rounds run, stop reason, time</summary>
${table(
  ['replication', 'seed', 'rounds run', 'stopped by', 'ms'],
  reps.map((r) => [String(r.replication), r.seed, r.roundsRun === undefined ? '' : String(r.roundsRun), r.stoppedBy ?? '', r.ms === undefined ? '' : String(r.ms)]),
  { numeric: [true, false, true, false, true], className: 'reps' },
)}
</details>`;
  return { id: 'manifest', title: 'Manifest', body };
}

const CSS = `
:root { --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --bg-soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
header.top { border-bottom: 1px solid var(--rule); margin-bottom: 1.5rem; padding-bottom: 1rem; }
header.top .kicker { color: var(--muted); font-size: .85rem; letter-spacing: .04em; text-transform: uppercase; margin: 0; }
h1 { font-size: 2rem; line-height: 1.2; margin: .25rem 0 .5rem; }
header.top .description { color: var(--muted); font-size: 1.1rem; margin: 0; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: .85em; }
nav.toc { background: var(--bg-soft); border: 1px solid var(--rule); border-radius: 6px; padding: .75rem 1.25rem; margin: 1rem 0 2rem; }
nav.toc h2 { border: 0; margin: 0 0 .25rem; padding: 0; font-size: 1rem; }
nav.toc ol { margin: 0; padding-left: 1.25rem; }
nav.toc ol ol { columns: 2 22rem; font-size: .92rem; }
.question { font-size: 1.08rem; max-width: 50rem; }
.question p { margin: 0 0 .75rem; }
dl.glance, dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.25rem; margin: 1rem 0; }
dl.glance dt, dl.facts dt { color: var(--muted); }
dl.glance dd, dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1.5rem 0 2.5rem; break-inside: avoid; page-break-inside: avoid; }
.chart { overflow-x: auto; min-height: 2rem; }
.chart.failed { color: #b3261e; border: 1px solid #b3261e; padding: .5rem; }
figcaption { max-width: 50rem; color: var(--ink); font-size: .95rem; margin-top: .35rem; }
figcaption .files { color: var(--muted); font-size: .85rem; white-space: nowrap; margin-left: .35rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .75rem .25rem 0; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: .75rem; }
table.metrics td:first-child, table.params td:first-child { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
table.design td { white-space: nowrap; }
table.hashes td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .8rem; overflow-wrap: anywhere; }
tbody tr:hover { background: var(--bg-soft); }
pre.code { background: var(--bg-soft); border: 1px solid var(--rule); border-radius: 6px; padding: 1rem; overflow-x: auto; line-height: 1.4; }
details { margin: 1rem 0; }
summary { cursor: pointer; color: var(--accent); }
.muted { color: var(--muted); }
.warning { background: #fff4e5; border-left: 4px solid #bf8700; padding: .5rem .75rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .75rem; }
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .screen-only, .vega-embed .vega-actions, .vega-embed > details, figcaption .files { display: none !important; }
  nav.toc { background: none; border: 0; padding: 0; }
  nav.toc ol ol { columns: 2; }
  h2 { break-before: auto; break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, pre { break-inside: avoid; page-break-inside: avoid; }
  .chart { overflow: visible; }
  .chart svg { max-width: 100%; height: auto; }
  .table-wrap { overflow: visible; }
  pre.code { white-space: pre-wrap; overflow-wrap: anywhere; border: 0; background: none; padding: 0; }
  tbody tr:hover { background: none; }
}
`;

/** Draws every chart with vega-embed and marks its container done (data-state) or failed. */
const SCRIPT = `
(function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('report-charts').textContent);
  var options = {
    renderer: 'svg',
    mode: 'vega-lite',
    tooltip: true,
    actions: { export: true, source: true, compiled: false, editor: false }
  };
  var pending = charts.map(function (c) {
    var el = document.querySelector('[data-chart="' + c.id + '"]');
    el.setAttribute('data-state', 'drawing');
    return vegaEmbed(el, c.spec, Object.assign({ downloadFileName: c.id }, options)).then(function () {
      el.setAttribute('data-state', 'done');
    }, function (err) {
      el.setAttribute('data-state', 'failed');
      el.classList.add('failed');
      el.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : String(err)) + '. The SVG and PNG files beside this report have it.';
      console.error(err);
    });
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'done'); });
  // printing shows what is folded away on screen
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('main details').forEach(function (d) { d.open = true; });
  });
})();
`;

/** Content-Security-Policy: inline scripts and styles only, no request of any kind (vega compiles its expressions, hence eval). */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'";

/** The whole report as one HTML string. */
export function reportHtml({ data, charts, files }: ReportInput): string {
  const m = data.manifest;
  // a discover folder: its boxes instead of the tables and spec of a run (src/report/discover-section.ts)
  // a calibrate folder: the region not ruled out (src/report/calibrate-section.ts)
  const sections = data.calibration ? [questionSection(m, data), chartsSection(charts), { id: 'calibration', title: 'Calibration', body: calibrationSectionHtml(data.calibration) }, manifestSection(m, files)] : data.discover ? [questionSection(m, data), chartsSection(charts), { id: 'boxes', title: 'Boxes', body: discoverSectionHtml(data.discover) }, manifestSection(m, files)] : [
    questionSection(m, data),
    chartsSection(charts),
    summarySection(data),
    twinSectionHtml(data),
    sweepSummarySection(data),
    sensitivitySection(data),
    parametersSection(m),
    specSection(m),
    manifestSection(m, files),
  ].filter((s): s is Section => s !== null);
  const toc = `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>
${sections
  .map((s) => `<li><a href="#${s.id}">${esc(s.title)}</a>${s.items ? `<ol>${s.items.map((i) => `<li><a href="#${i.id}">${esc(i.title)}</a></li>`).join('')}</ol>` : ''}</li>`)
  .join('\n')}
</ol></nav>`;
  const title = m.spec.name;
  const chartData = charts.map((c) => ({ id: c.id, spec: c.spec }));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="migov ${esc(m.migov ?? '')}">
<title>${esc(title)}: migov experiment report</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top">
<p class="kicker">migov experiment report · ${esc(m.spec.model)}</p>
<h1>${esc(title)}</h1>
${m.spec.description ? `<p class="description">${esc(m.spec.description)}</p>` : ''}
</header>
${toc}
${sections.map((s) => `<section id="${s.id}">\n<h2>${esc(s.title)}</h2>\n${s.body}\n</section>`).join('\n')}
<footer>Made by <code>migov report</code> from the files in this folder; <code>migov report &lt;folder&gt;</code> makes it again. Spec hash <code>${esc(m.specHash ?? '')}</code>.</footer>
</main>
<script type="application/json" id="report-charts">${scriptJson(chartData)}</script>
${inlineLibraries()}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
