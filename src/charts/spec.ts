// Pieces every chart spec shares: the look (font sizes, in one place), the header
// (schema, title, caption as the spec's description, config), the phrases captions
// use and the words for a metric taken from the model's declaration.
import type { Config, TopLevelSpec } from 'vega-lite';
import type { Chart, ParameterInfos } from './types.ts';

export const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const FONT = 'DejaVu Sans';

/**
 * Font sizes in pixels of the SVG. Every label a reader must read (ticks, legend
 * entries, facet headers) is at least MIN_FONT_SIZE, readable in print at a column's
 * width and on a projector; tests/report/legibility.test.ts holds every chart to it.
 */
export const FONT_SIZE = { title: 16, subtitle: 12, axisTitle: 13, label: 12, legendTitle: 13, header: 13, mark: 12 } as const;
export const MIN_FONT_SIZE = 11;
/** Average advance of DejaVu Sans in em (its digits are 0.636 em, lower case about 0.58): enough to wrap titles before they overflow. */
export const AVERAGE_ADVANCE = 0.62;

/**
 * The config every chart carries in its spec, so that the headless SVG, the PNG
 * (rendered by resvg with the DejaVu fonts of the dejavu-fonts-ttf package) and the
 * interactive chart in report.html look the same.
 */
export function chartConfig(): Config {
  return {
    font: FONT,
    background: '#FFFFFF',
    padding: 10,
    title: { font: FONT, fontSize: FONT_SIZE.title, fontWeight: 'bold', subtitleFont: FONT, subtitleFontSize: FONT_SIZE.subtitle, subtitleColor: '#555555', anchor: 'start', offset: 12 },
    axis: { labelFont: FONT, titleFont: FONT, labelFontSize: FONT_SIZE.label, titleFontSize: FONT_SIZE.axisTitle, titleFontWeight: 'normal', gridColor: '#E6E6E6', labelOverlap: true, titlePadding: 8 },
    legend: { labelFont: FONT, titleFont: FONT, labelFontSize: FONT_SIZE.label, titleFontSize: FONT_SIZE.legendTitle, titleFontWeight: 'normal', labelLimit: 260, titleLimit: 260 },
    header: { labelFont: FONT, titleFont: FONT, labelFontSize: FONT_SIZE.header, titleFontSize: FONT_SIZE.header, titleFontWeight: 'normal' },
    text: { font: FONT, fontSize: FONT_SIZE.mark },
    view: { stroke: '#CCCCCC' },
  };
}

/** The header fields of a top-level spec; a long title is wrapped to `width` pixels. */
export function header(title: string, subtitle: string, caption: string, width = 640) {
  return {
    $schema: VL_SCHEMA,
    title: { text: wrap(title, width, FONT_SIZE.title * 1.05), subtitle: wrap(subtitle, width, FONT_SIZE.subtitle) },
    description: caption,
    config: chartConfig(),
  };
}

/**
 * Text broken at spaces into lines of at most `width` pixels at `fontSize`, by the
 * average advance (AVERAGE_ADVANCE): a string when it fits on one line, else the
 * lines (Vega-Lite draws a string array as lines).
 */
export function wrap(text: string, width: number, fontSize: number): string | string[] {
  const perLine = Math.max(8, Math.floor(width / (fontSize * AVERAGE_ADVANCE)));
  if (text.length <= perLine) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length === 1 ? lines[0] : lines;
}

/** What a chart needs to know of a metric: the model's declaration (MetricDeclaration of src/engine/model.ts fits), or just its name for a folder without declarations. */
export interface MetricInfo {
  name: string;
  description?: string;
  unit?: string;
  kind?: string;
}

/** A description with its first letter capitalised, for titles. */
export function capitalise(text: string): string {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}

/** An indicator's description as the condition it marks: "1 when the refugee regime is in force" -> "the refugee regime is in force". */
function condition(m: MetricInfo): string {
  const d = (m.description ?? '').trim();
  const stripped = d.replace(/^1\s+(when|if|while|where)\s+/i, '');
  return stripped !== d && stripped.length > 0 ? stripped : `${m.name} is 1`;
}

/** True when the metric is a 0/1 indicator: declared so, or (without a declaration) every value given is 0 or 1. */
export function isIndicator(m: MetricInfo, values: readonly number[] = []): boolean {
  if (m.kind !== undefined) return m.kind === 'indicator';
  return values.length > 0 && values.every((v) => v === 0 || v === 1);
}

/**
 * The words for a metric's mean over runs, for an axis or a legend: an indicator is
 * the share of runs in which its condition holds (0-1); any other metric is its
 * description with its unit, or its name with "unit not declared".
 */
export function meanTitle(m: MetricInfo, values: readonly number[] = []): string {
  if (isIndicator(m, values)) return `share of runs in which ${condition(m)} (0-1)`;
  const what = m.description ?? m.name;
  const unit = m.unit && !what.toLowerCase().includes(m.unit.toLowerCase()) ? m.unit : undefined;
  return unit ? `${what} (${unit})` : m.unit ? what : `${what} (unit not declared)`;
}

/** A metric's words for a chart title: its description, or its name; an indicator's as the share of runs in which it holds. */
export function metricTitle(m: MetricInfo): string {
  // a chart of an indicator shows its mean over runs: the share of runs in which it holds
  return capitalise(isIndicator(m) ? `share of runs in which ${condition(m)}` : (m.description ?? m.name));
}

/** A swept parameter in words for titles: its declared label (the sweep manifest's `parameters`), or its path. */
export function parameterWords(path: string, parameters?: ParameterInfos): string {
  return parameters?.[path]?.label ?? path;
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
