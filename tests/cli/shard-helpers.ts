// Shared by the shard, merge and Slurm tests: comparing a merged sweep folder with a
// single-machine one, byte for byte but for what records when, where and with what
// each was written (manifest.json's times, versions, git state and platform, shown
// again in report.html; and the session log sweep.json).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';

/** Every file under a folder, by relative path. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** What may differ between two folders of the same sweep: when, where and with what they were written. */
export function normalisedManifest(dir: string): Record<string, unknown> {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown> & { files: Record<string, string> };
  for (const k of ['startedAt', 'endedAt', 'versions', 'git', 'platform', 'migov']) delete m[k];
  // report.html shows the times, so its hash differs with them
  delete m.files['report.html'];
  return m;
}

export function normalisedReport(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { startedAt: string; endedAt: string; git: { commit: string; dirty: boolean } | null };
  let html = readFileSync(join(dir, 'report.html'), 'utf8');
  html = html.split(m.startedAt).join('<started>').split(m.endedAt).join('<ended>');
  return html.replace(/<dt>Git commit<\/dt><dd><code>[^<]*<\/code><\/dd>/, '<git>');
}

/** Compares two sweep folders: every file byte for byte, but manifest.json, report.html and sweep.json normalised and .migov (which names the command) skipped. */
export function expectSameSweep(merged: string, single: string): void {
  expect(tree(merged)).toEqual(tree(single));
  const files = tree(single);
  expect(files).toContain('runs.csv');
  expect(files).toContain('report.html');
  expect(files.some((f) => f.startsWith('charts/') && f.endsWith('.png'))).toBe(true);
  for (const f of files) {
    // .migov names the command that made the folder (merge, sweep): see "Your files are safe" in the README
    if (f === 'manifest.json' || f === 'report.html' || f === 'sweep.json' || f === '.migov') continue;
    expect(readFileSync(join(merged, f)).equals(readFileSync(join(single, f))), `${f} differs`).toBe(true);
  }
  expect(normalisedManifest(merged)).toEqual(normalisedManifest(single));
  expect(normalisedReport(merged)).toBe(normalisedReport(single));
}

