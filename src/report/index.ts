// The experiment report of a results folder: reads the folder, picks the charts that
// apply (src/charts), renders each to charts/<id>.vl.json, .svg and .png, writes
// report.html, and records the new files' sha256 in manifest.json. Every file is
// written to a temporary name and renamed; the manifest last.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chartsFor } from '../charts/index.ts';
import type { Chart, ResultData } from '../charts/types.ts';
import { ReportError } from './errors.ts';
import { reportHtml } from './html.ts';
import { checkFiles, isReportOutput, readResults, sha256File } from './read.ts';
import { renderChart } from './render.ts';

export { ReportError } from './errors.ts';
export { readResults } from './read.ts';
export { RenderError, renderChart } from './render.ts';
export { writeReportSync } from './sync.ts';

export interface ReportOptions {
  /** The charts to draw; default chartsFor(data). */
  charts?: (data: ResultData) => Chart[];
}

/** Writes `content` to `path` through a temporary file in the same folder and a rename. */
function writeAtomic(path: string, content: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const CHART_FILE = /^(.+)\.(vl\.json|svg|png)$/;

/**
 * Makes (or makes again) the charts and report.html of a results folder, without
 * rerunning anything. Returns the absolute path of report.html. Throws ReportError
 * when the folder's files are missing or malformed, RenderError when a chart does not
 * compile or render cleanly.
 */
export async function writeReport(folder: string, options: ReportOptions = {}): Promise<string> {
  const dir = resolve(folder);
  const data = readResults(folder);
  const charts = (options.charts ?? chartsFor)(data);
  const ids = new Set<string>();
  for (const c of charts) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(c.id)) throw new ReportError(dir, '', `chart id ${JSON.stringify(c.id)} is not a file name; allowed: letters, digits, - and _`);
    if (ids.has(c.id)) throw new ReportError(dir, '', `two charts have the id "${c.id}"`);
    ids.add(c.id);
  }
  // render everything before writing anything, so a chart that fails leaves the folder as it was
  const rendered = [];
  for (const c of charts) rendered.push(await renderChart(c));
  const html = reportHtml({ data, charts, files: checkFiles(folder, data.manifest) });

  const chartDir = join(dir, 'charts');
  mkdirSync(chartDir, { recursive: true });
  const written: Record<string, string> = {};
  for (const r of rendered) {
    const files: [string, string | Buffer][] = [
      [`${r.chart.id}.vl.json`, `${JSON.stringify(r.chart.spec, null, 2)}\n`],
      [`${r.chart.id}.svg`, r.svg],
      [`${r.chart.id}.png`, r.png],
    ];
    for (const [name, content] of files) {
      writeAtomic(join(chartDir, name), content);
      written[`charts/${name}`] = sha256File(join(chartDir, name));
    }
  }
  // charts an earlier report drew that no longer apply
  for (const name of readdirSync(chartDir)) {
    const m = CHART_FILE.exec(name);
    if (m && !ids.has(m[1])) rmSync(join(chartDir, name), { force: true });
  }
  const reportPath = join(dir, 'report.html');
  writeAtomic(reportPath, html);
  written['report.html'] = sha256File(reportPath);

  // the manifest as written, with the report's files replaced (key order kept otherwise)
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const inputs = Object.entries((manifest.files ?? {}) as Record<string, string>).filter(([f]) => !isReportOutput(f));
  manifest.files = Object.fromEntries([...inputs, ...Object.entries(written).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  writeAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return reportPath;
}
