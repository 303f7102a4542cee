// writeReport for synchronous callers (the API's run()). vega renders asynchronously,
// so this runs `migov report <folder>` in a child process and waits for it; it loads
// nothing of vega into the caller's process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReportError } from './errors.ts';

const BIN = resolve(import.meta.dirname, '../../bin/migov.js');

/** Makes the charts and report.html of a results folder; returns the path of report.html. */
export function writeReportSync(folder: string): string {
  const dir = resolve(folder);
  const r = spawnSync(process.execPath, [BIN, 'report', '--quiet', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    const message = (r.stderr || r.error?.message || `exit code ${r.status}`).trim().replace(/^error: /, '');
    // exit code 2: the folder's files are missing or malformed (the message names them)
    if (r.status === 2) throw new ReportError(dir, '', message.startsWith(dir) ? message.slice(dir.length).replace(/^[/:]\s*/, '') : message);
    throw new Error(`migov report ${dir} failed: ${message}`);
  }
  const path = join(dir, 'report.html');
  if (!existsSync(path)) throw new Error(`migov report ${dir} wrote no report.html`);
  return path;
}
