// Rendering one chart: Vega-Lite -> Vega (compile; any warning is an error), SVG
// through vega's headless View, PNG through resvg with the DejaVu fonts from npm and
// no system fonts. Text is measured with DejaVu's metrics and SVG ids restart for
// every chart, so the same chart gives byte-identical SVG and PNG on any machine.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart } from '../charts/types.ts';
import { RenderError } from './errors.ts';
import { fontFiles, useDejaVuMetrics } from './fonts.ts';

export { RenderError } from './errors.ts';

/** PNG pixels per SVG pixel: 2 gives sharp figures on screens and in print. */
export const PNG_SCALE = 2;
/** Background of the SVG and PNG (transparent charts read badly on dark viewers). */
export const BACKGROUND = '#ffffff';

/** A vega/vega-lite logger that keeps warnings and errors instead of printing them. */
function collectingLogger(into: string[]) {
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      into.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      into.push(`warning: ${args.map(String).join(' ')}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** Compiles a chart's Vega-Lite spec to Vega; throws RenderError if vega-lite warns. */
export function compileChart(chart: Chart): vega.Spec {
  const problems: string[] = [];
  let spec: vega.Spec;
  try {
    spec = compile(chart.spec as TopLevelSpec, { logger: collectingLogger(problems) as never }).spec as vega.Spec;
  } catch (e) {
    throw new RenderError(chart.id, [`vega-lite cannot compile it: ${(e as Error).message}`]);
  }
  if (problems.length) throw new RenderError(chart.id, problems.map((p) => `vega-lite ${p}`));
  return spec;
}

/** A loader that refuses every load: chart data is inline, and rendering never touches the network or disk. */
const noLoader = {
  load: () => Promise.reject(new Error('charts carry their data inline; loading is disabled')),
  sanitize: () => Promise.reject(new Error('charts carry their data inline; loading is disabled')),
  http: () => Promise.reject(new Error('loading is disabled')),
  file: () => Promise.reject(new Error('loading is disabled')),
};

/** Renders a compiled Vega spec to an SVG string; throws RenderError if vega logs a warning or error. */
export async function renderSvg(id: string, spec: vega.Spec): Promise<string> {
  useDejaVuMetrics();
  const problems: string[] = [];
  const view = new vega.View(vega.parse(spec), {
    renderer: 'none',
    logger: collectingLogger(problems) as never,
    logLevel: vega.Warn,
    loader: noLoader as never,
  });
  try {
    // SVG ids (clip paths, gradients) come from a process-wide counter
    vega.resetSVGDefIds();
    const svg = await view.toSVG();
    if (problems.length) throw new RenderError(id, problems.map((p) => `vega ${p}`));
    return svg;
  } finally {
    view.finalize();
  }
}

/** The SVG's size in pixels, from its width and height attributes. */
export function svgSize(svg: string): { width: number; height: number } {
  const tag = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(tag)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(tag)?.[1]);
  return { width, height };
}

/** Renders an SVG to PNG at PNG_SCALE with DejaVu only: the same bytes on every machine. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: BACKGROUND,
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Serif',
      monospaceFamily: 'DejaVu Sans Mono',
    },
    shapeRendering: 2,
    textRendering: 1,
    imageRendering: 0,
  });
  return resvg.render().asPng();
}

export interface RenderedChart {
  readonly chart: Chart;
  /** The compiled Vega spec. */
  readonly vega: vega.Spec;
  readonly svg: string;
  readonly png: Buffer;
}

/** Compiles and renders one chart to SVG and PNG. */
export async function renderChart(chart: Chart): Promise<RenderedChart> {
  const compiled = compileChart(chart);
  const withBackground = { ...compiled, background: compiled.background ?? BACKGROUND };
  const svg = await renderSvg(chart.id, withBackground);
  return { chart, vega: compiled, svg, png: svgToPng(svg) };
}
