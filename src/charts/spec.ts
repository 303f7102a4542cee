// Pieces every chart spec shares: the header (schema, title, caption as the spec's
// description, config) and the phrases captions use.
import type { TopLevelSpec } from 'vega-lite';
import { baseConfig } from './colors.ts';
import type { Chart } from './types.ts';

export const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The header fields of a top-level spec. */
export function header(title: string, subtitle: string, caption: string) {
  return {
    $schema: VL_SCHEMA,
    title: { text: title, subtitle },
    description: caption,
    config: baseConfig(),
  };
}

/** Assembles a Chart; the spec's body is typed by the caller. */
export function chart(id: string, title: string, caption: string, spec: TopLevelSpec): Chart {
  return { id, title, caption, spec };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "100 replications" or "1 replication". */
export function replicationsPhrase(n: number): string {
  return plural(n, 'replication');
}

/** "60 runs: 12 design points x 5 replications". */
export function designPhrase(points: number, runs: number): string {
  const per = points > 0 && runs % points === 0 ? ` x ${plural(runs / points, 'replication')}` : '';
  return `${plural(runs, 'run')}: ${plural(points, 'design point')}${per}`;
}

/** The CI sentence for captions, or the reason there is none. */
export function ciSentence(n: number, what = 'replications', shown = 'Band'): string {
  return n >= 2
    ? `${shown}: t-based 95 % confidence interval of the mean across ${what} (mean +- t(0.975, n-1) sd / sqrt(n)).`
    : `No confidence interval: it needs at least 2 ${what}.`;
}

/** Rounds a number for data values so specs stay small and stable (10 significant digits). */
export function r10(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(10)) : x;
}

/** A data column name as a Vega-Lite field reference: dots and brackets escaped, since Vega-Lite reads them as nested access. */
export function fieldRef(name: string): string {
  return name.replace(/([.[\]\\])/g, '\\$1');
}

/** A file-safe, lower-case id part: camelCase and any other character run become dashes ("issueAreas.0.rivalry" -> "issue-areas-0-rivalry"). */
export function slug(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
