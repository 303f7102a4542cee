// The report of an adaptive sweep (`design: adaptive`): the boundary chart from the
// search just run, before the charts every sweep folder gets (less phase diagrams,
// which read a grid: an adaptive search's points are not one).
import { adaptiveChart } from '../charts/adaptive.ts';
import { chartsFor } from '../charts/index.ts';
import type { Chart, ResultData } from '../charts/types.ts';
import { type AdaptiveResult, cellValue } from '../sweep/adaptive.ts';
import { writeReport } from './index.ts';

export function adaptiveCharts(result: AdaptiveResult): (data: ResultData) => Chart[] {
  const { search, adaptive: a } = result;
  const paths = search.settings.factors.map((f) => f.path);
  const boundary = adaptiveChart({
    className: a.class,
    factors: paths,
    points: search.points.map((p) => ({ values: paths.map((k) => p.values[k]), cls: search.classOf(p), share: p.ok ? p.inClass / p.ok : NaN, runs: p.planned })),
    cells: search.boundary().map((c) => ({ low: paths.map((_k, i) => cellValue(search, i, c.corner[i])), high: paths.map((_k, i) => cellValue(search, i, c.corner[i] + c.size)), status: c.status })),
    runs: a.runs,
    gridRuns: a.gridRuns,
  });
  return (data) => [boundary, ...chartsFor(data).filter((c) => !c.id.startsWith('phase'))];
}

/** Writes the charts and report.html of a finished adaptive sweep's folder; gives report.html's path. */
export function writeAdaptiveReport(result: AdaptiveResult): Promise<string> {
  return writeReport(result.dir, { charts: adaptiveCharts(result) });
}
