// The experiment report of a results folder: reads the folder, picks the charts that
// apply (src/charts), renders each to charts/<id>.vl.json, .svg and .png, writes
// report.html, and records the new files' sha256 in manifest.json. Every file is
// written to a temporary name and renamed; the manifest last. It writes and removes
// only the files it makes (those an earlier report listed in the manifest, or new
// ones), never a file of the user's, and never follows a symbolic link.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { lockFolder } from '../sweep/folder.ts';
import { chartsFor } from '../charts/index.ts';
import type { Chart, ResultData } from '../charts/types.ts';
import { ReportError } from './errors.ts';
import { reportHtml } from './html.ts';
import { checkFiles, isReportOutput, readResults, sha256File } from './read.ts';
import { renderChart } from './render.ts';
import type { GivenTables } from './memory.ts';

export { ReportError } from './errors.ts';
export { readResults } from './read.ts';
export { RenderError, renderChart } from './render.ts';
export { writeReportSync } from './sync.ts';

export interface ReportOptions {
  /** The charts to draw; default chartsFor(data). */
  charts?: (data: ResultData) => Chart[];
  /** The caller holds the folder's lock (or the folder is its own temporary one): take none. */
  locked?: boolean;
  /**
   * The folder's series and final rows (and its data files' sha256) as the caller has
   * them in memory, having just written them (`migov run`: src/report/memory.ts);
   * those files are then not read back. The report is the same bytes either way.
   */
  given?: GivenTables;
}

/** Writes `content` to `path` through a new hidden temporary file in the same folder (never through a link) and a rename. */
function writeAtomic(path: string, content: string | Buffer): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const CHART_FILE = /^(.+)\.(vl\.json|svg|png)$/;
const TEMP_FILE = /^\..+\.tmp-(\d+)$/;

function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Hidden temporary files of a report killed before its renames. */
function removeTempFiles(folder: string): void {
  for (const name of readdirSync(folder)) {
    const m = TEMP_FILE.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1])) && lstatOrNull(join(folder, name))?.isFile()) rmSync(join(folder, name), { force: true });
  }
}

/**
 * Makes (or makes again) the charts and report.html of a results folder, without
 * rerunning anything. Returns the absolute path of report.html. Throws ReportError
 * when the folder's files are missing or malformed, RenderError when a chart does not
 * compile or render cleanly.
 */
export async function writeReport(folder: string, options: ReportOptions = {}): Promise<string> {
  const dir = resolve(folder);
  if (lstatOrNull(dir)?.isSymbolicLink()) throw new ReportError(dir, '', 'is a symbolic link, which `migov report` never follows; give the folder it points to');
  for (const name of ['manifest.json', 'report.html', 'charts']) {
    if (lstatOrNull(join(dir, name))?.isSymbolicLink()) throw new ReportError(dir, name, 'is a symbolic link, which `migov report` never follows or replaces; remove the link (the files it points to are not migov\'s)');
  }
  const lock = options.locked ? null : lockFolder(dir, `report ${folder}`);
  try {
    return await report(dir, folder, options);
  } finally {
    lock?.release();
  }
}

async function report(dir: string, folder: string, options: ReportOptions): Promise<string> {
  const data = readResults(folder, options.given);
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
  const html = reportHtml({ data, charts, files: checkFiles(folder, data.manifest, options.given?.hashes) });

  // the files an earlier report made, as its manifest lists them: only these are written over or removed
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const listed = new Set(Object.keys((manifest.files ?? {}) as Record<string, string>).filter(isReportOutput));
  const outputs: [string, string | Buffer][] = [];
  for (const r of rendered) {
    outputs.push([`charts/${r.chart.id}.vl.json`, `${JSON.stringify(r.chart.spec, null, 2)}\n`], [`charts/${r.chart.id}.svg`, r.svg], [`charts/${r.chart.id}.png`, r.png]);
  }
  outputs.push(['report.html', html]);
  const chartDir = join(dir, 'charts');
  const chartStat = lstatOrNull(chartDir);
  if (chartStat && !chartStat.isDirectory()) throw new ReportError(dir, 'charts', 'is not a folder; move it away so that the report can write its charts there');
  for (const [name, content] of outputs) {
    const st = lstatOrNull(join(dir, name));
    if (!st) continue;
    if (!st.isFile()) throw new ReportError(dir, name, 'is in the way: not a plain file (a link or a folder); move it away');
    // a file no report listed is the user's, unless it holds exactly what this report writes (one killed before its manifest)
    if (!listed.has(name) && sha256File(join(dir, name)) !== sha256Of(content)) {
      throw new ReportError(dir, name, 'exists but is not a file an earlier report made (manifest.json does not list it); `migov report` never writes over your files: move or rename it');
    }
  }

  mkdirSync(chartDir, { recursive: true });
  removeTempFiles(dir);
  removeTempFiles(chartDir);
  const written: Record<string, string> = {};
  for (const [name, content] of outputs) {
    writeAtomic(join(dir, name), content);
    written[name] = sha256Of(content);
  }
  // charts an earlier report drew that no longer apply (only files it listed)
  for (const name of listed) {
    if (name in written || !name.startsWith('charts/')) continue;
    const m = CHART_FILE.exec(name.slice('charts/'.length));
    if (m && !ids.has(m[1]) && lstatOrNull(join(dir, name))?.isFile()) rmSync(join(dir, name), { force: true });
  }

  // the manifest as written, with the report's files replaced (key order kept otherwise)
  const inputs = Object.entries((manifest.files ?? {}) as Record<string, string>).filter(([f]) => !isReportOutput(f));
  manifest.files = Object.fromEntries([...inputs, ...Object.entries(written).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  writeAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return join(dir, 'report.html');
}
