// The report of an adaptive sweep's folder (`design: adaptive`): the boundary chart,
// read back from adaptive.csv and boundary.csv (so `migov sweep`, the API's sweep()
// and `migov report` draw the same bytes), before the charts every sweep folder gets,
// less phase diagrams, which read a grid: an adaptive search's points are not one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { adaptiveChart } from '../charts/adaptive.ts';
import { chartsFor } from '../charts/index.ts';
import type { Chart, ResultData } from '../charts/types.ts';
import { ADAPTIVE_FILE, type AdaptiveResult, BOUNDARY_FILE } from '../sweep/adaptive.ts';
import { writeReport } from './index.ts';

/** Writes the charts and report.html of a finished adaptive sweep's folder; gives report.html's path. */
export function writeAdaptiveReport(result: AdaptiveResult): Promise<string> {
  const charts = adaptiveChartsOfFolder(result.dir);
  return writeReport(result.dir, charts ? { charts } : {});
}

/**
 * The charts of an adaptive sweep's folder read back from its files (adaptive.csv,
 * boundary.csv, manifest.json's `adaptive`), for `migov report`; undefined for any
 * other folder (the default charts apply).
 */
export function adaptiveChartsOfFolder(dir: string): ((data: ResultData) => Chart[]) | undefined {
  let manifest: { design?: unknown; adaptive?: { class?: unknown; runs?: unknown; gridRuns?: unknown }; spec?: { sweep?: { factors?: { path?: unknown }[] } } };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return undefined; // readResults names what is wrong with it
  }
  const a = manifest.adaptive;
  const paths = manifest.spec?.sweep?.factors?.map((f) => String(f.path));
  if (manifest.design !== 'adaptive' || !a || !paths || !existsSync(join(dir, ADAPTIVE_FILE)) || !existsSync(join(dir, BOUNDARY_FILE))) return undefined;
  const rows = (name: string) => parse(readFileSync(join(dir, name), 'utf8'), { columns: true }) as Record<string, string>[];
  const boundary = adaptiveChart({
    className: String(a.class),
    factors: paths,
    points: rows(ADAPTIVE_FILE).map((r) => ({ values: paths.map((k) => Number(r[k])), cls: r.class, share: r.share === '' ? NaN : Number(r.share), runs: Number(r.replications) })),
    cells: rows(BOUNDARY_FILE).map((r) => ({ low: paths.map((k) => Number(r[`${k}.low`])), high: paths.map((k) => Number(r[`${k}.high`])), status: r.status })),
    runs: Number(a.runs),
    gridRuns: Number(a.gridRuns),
  });
  return (data) => [boundary, ...chartsFor(data).filter((c) => !c.id.startsWith('phase'))];
}
