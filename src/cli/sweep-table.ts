// The results table `migov sweep` ends with: the chosen metrics per design point
// (mean ± 95% CI across replications), read back from the summary.csv it wrote; for a
// big design, the top and bottom points by the first chosen metric.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { unescapeText } from '../sweep/csv.ts';
import { formatTable } from './table.ts';

/** Designs of more points than this show only the top and bottom SHOWN_EACH_END points. */
export const FULL_TABLE_POINTS = 20;
export const SHOWN_EACH_END = 5;
/** Metrics shown when the spec chooses none; summary.csv has all. */
const DEFAULT_METRICS = 4;
/** At most this many metric columns, so that the table fits a terminal. */
export const MAX_METRICS = 6;

interface PointRow {
  readonly point: string;
  readonly factors: readonly string[];
  readonly stats: Map<string, { mean: number; ci95: number; n: number }>;
}

/**
 * The table's lines for a sweep folder: `chosen` are the metrics the spec chose (its
 * charts', else its `metrics:`); at most MAX_METRICS of them, or the first
 * DEFAULT_METRICS of the model's when it chose none, saying so.
 */
export function sweepResultsTable(dir: string, chosen: readonly string[] | undefined): string {
  const rows = parse(readFileSync(join(dir, 'summary.csv'), 'utf8'), { columns: false, skip_empty_lines: true }) as string[][];
  const header = rows[0]?.map(unescapeText) ?? [];
  const metricAt = header.indexOf('metric');
  if (metricAt < 0) return '';
  const factorNames = header.slice(1, metricAt);
  const col = (name: string) => header.indexOf(name);
  const points = new Map<string, PointRow>();
  const order: string[] = [];
  for (const raw of rows.slice(1)) {
    const r = raw.map(unescapeText);
    let p = points.get(r[0]);
    if (!p) {
      p = { point: r[0], factors: r.slice(1, metricAt), stats: new Map() };
      points.set(r[0], p);
    }
    const metric = r[metricAt];
    if (!order.includes(metric)) order.push(metric);
    p.stats.set(metric, { mean: num(r[col('mean')]), ci95: num(r[col('ci95')]), n: num(r[col('n')]) });
  }
  const all = [...points.values()];
  if (all.length === 0) return '';
  const wanted = chosen?.length ? chosen.filter((m) => order.includes(m)) : order;
  const metrics = wanted.slice(0, chosen?.length ? MAX_METRICS : DEFAULT_METRICS);
  const lines: string[] = [];
  if (wanted.length > metrics.length) {
    lines.push(`The first ${metrics.length} of the ${wanted.length} ${chosen?.length ? 'chosen ' : ''}metrics (the spec's charts: or metrics: choose them); summary.csv has all.`);
  }
  let shown = all;
  if (all.length > FULL_TABLE_POINTS && metrics.length > 0) {
    const first = metrics[0];
    const byFirst = [...all].sort((a, b) => cmp(b.stats.get(first)?.mean, a.stats.get(first)?.mean) || Number(a.point) - Number(b.point));
    shown = [...byFirst.slice(0, SHOWN_EACH_END), ...byFirst.slice(-SHOWN_EACH_END)];
    lines.push(`${all.length} design points: the top ${SHOWN_EACH_END} and bottom ${SHOWN_EACH_END} by the mean of ${first} (every point in summary.csv).`);
  }
  lines.push('Final values, mean ± 95% CI over replications:');
  const table = formatTable(
    ['point', ...factorNames, ...metrics],
    shown.map((p) => [p.point, ...p.factors, ...metrics.map((m) => cell(p.stats.get(m)))]),
  );
  if (shown !== all) {
    const [head, rule, ...body] = table.split('\n');
    lines.push(head, rule, ...body.slice(0, SHOWN_EACH_END), '...', ...body.slice(SHOWN_EACH_END));
  } else {
    lines.push(table);
  }
  return lines.join('\n');
}

/** A summary.csv number; an empty cell (no value: one replication's CI, no successful run) is NaN. */
function num(text: string | undefined): number {
  return text === undefined || text === '' ? NaN : Number(text);
}

/** Larger first, NaN (no successful run) last. */
function cmp(a: number | undefined, b: number | undefined): number {
  const x = a === undefined || Number.isNaN(a) ? -Infinity : a;
  const y = b === undefined || Number.isNaN(b) ? -Infinity : b;
  return x === y ? 0 : x < y ? -1 : 1;
}

function cell(s: { mean: number; ci95: number; n: number } | undefined): string {
  if (!s || s.n === 0 || Number.isNaN(s.mean)) return 'no runs';
  return Number.isFinite(s.ci95) ? `${fmt(noiseFree(s.mean, s.mean))} ± ${fmt(noiseFree(s.ci95, s.mean))}` : fmt(noiseFree(s.mean, s.mean));
}

/** Summation noise (a mean of 0s and 1s that comes out 7.4e-17, an interval of equal values 3e-16) shown as the 0 it is. */
function noiseFree(x: number, scale: number): number {
  return Math.abs(x) <= 1e-12 * Math.max(1, Math.abs(scale)) ? 0 : x;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : Number(x.toFixed(4)).toString();
}
