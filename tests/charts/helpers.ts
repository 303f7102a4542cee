// Compiling and rendering chart specs in the tests: vega-lite compile with a logger
// that collects every warning, then vega's headless View (renderer 'none') to SVG,
// with the scenegraph walked to count what was drawn.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { run } from '../../src/index.ts';
import { resultDataFromExperiment } from '../../src/charts/from-result.ts';
import { type Outcomes, outcomeDeclarations } from '../../src/engine/model.ts';
import { findModel } from '../../models/index.ts';
import type { ParameterInfos, ResultData, SensitivityRow, SummaryRow, RunRow } from '../../src/charts/types.ts';
import { parameterInfos } from '../../src/experiment/parameters.ts';
import { validateSpec } from '../../src/experiment/load.ts';

export interface LogEntry {
  level: 'error' | 'warn' | 'info';
  message: string;
}

/** Compiles a Vega-Lite spec and returns the Vega spec and everything the compiler logged at warn or error. */
export function compileSpec(spec: TopLevelSpec): { vega: ReturnType<typeof compile>['spec']; log: LogEntry[] } {
  const log: LogEntry[] = [];
  let lvl = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error(...args: unknown[]) {
      log.push({ level: 'error', message: args.map(String).join(' ') });
      return logger;
    },
    warn(...args: unknown[]) {
      log.push({ level: 'warn', message: args.map(String).join(' ') });
      return logger;
    },
    info(...args: unknown[]) {
      log.push({ level: 'info', message: args.map(String).join(' ') });
      return logger;
    },
    debug() {
      return logger;
    },
  };
  const compiled = compile(spec, { logger });
  return { vega: compiled.spec, log: log.filter((e) => e.level !== 'info') };
}

export interface MarkCount {
  marktype: string;
  name: string;
  role: string;
  items: number;
}

interface SceneNode {
  marktype?: string;
  name?: string;
  role?: string;
  text?: unknown;
  items?: SceneNode[];
}

function walk(node: SceneNode, out: MarkCount[], titles: string[], legend: string[]): void {
  if (node.marktype) {
    out.push({ marktype: node.marktype, name: node.name ?? '', role: node.role ?? '', items: node.items?.length ?? 0 });
    if (node.role === 'axis-title') for (const item of node.items ?? []) titles.push(String(item.text ?? ''));
    if (node.role === 'legend-label') for (const item of node.items ?? []) legend.push(String(item.text ?? ''));
    for (const item of node.items ?? []) for (const child of item.items ?? []) walk(child, out, titles, legend);
  }
}

export interface Rendered {
  svg: string;
  marks: MarkCount[];
  /** The text of every axis title drawn. */
  axisTitles: string[];
  /** The text of every legend entry drawn. */
  legendLabels: string[];
  /** Vega runtime warnings and errors (the view's logger). */
  runtime: string[];
}

/** Compiles and renders a spec headlessly; fails on compile or runtime warnings. */
export async function render(spec: TopLevelSpec): Promise<Rendered & { compileLog: LogEntry[] }> {
  const { vega, log } = compileSpec(spec);
  const runtime: string[] = [];
  const collect = (...args: unknown[]) => runtime.push(args.map(String).join(' '));
  const view = new View(parse(vega), {
    renderer: 'none',
    logger: { level: () => 2, error: collect, warn: collect, info: () => undefined, debug: () => undefined } as never,
  });
  const svg = await view.toSVG();
  const marks: MarkCount[] = [];
  const axisTitles: string[] = [];
  const legendLabels: string[] = [];
  walk((view.scenegraph() as unknown as { root: SceneNode }).root, marks, axisTitles, legendLabels);
  view.finalize();
  return { svg, marks, axisTitles, legendLabels, runtime, compileLog: log };
}

/** Items (data rows drawn) of the layer named `name` in the spec (Vega mark `<name>_marks`), summed over facet panels. */
export function items(marks: readonly MarkCount[], name: string): number {
  return marks.filter((m) => m.name === `${name}_marks` && m.role === 'mark').reduce((a, m) => a + m.items, 0);
}

/** How many Vega marks the layer named `name` became: one per facet panel, and for lines and areas one per colour series. */
export function markCount(marks: readonly MarkCount[], name: string): number {
  return marks.filter((m) => m.name === `${name}_marks` && m.role === 'mark').length;
}

/** Elements drawn in the SVG for the layer named `name`: the graphics symbols inside its `<g class="mark-* role-mark <name>_marks">` groups. */
export function svgItems(svg: string, name: string): number {
  let n = 0;
  for (const hit of svg.matchAll(new RegExp(`<g class="mark-\\w+ role-mark ${name}_marks"[^>]*>(.*?)</g>`, 'gs'))) n += (hit[1].match(/role="graphics-symbol"/g) ?? []).length;
  return n;
}

/** A real migration-model result: the baseline spec, shortened for test speed. */
export function migrationData(replications: number, rounds = 60): ResultData {
  const out = run('experiments/baseline.yaml', { out: false, set: [`replications=${replications}`, `rounds=${rounds}`] });
  return resultDataFromExperiment(out.result);
}

/** A real textbook result (the optional public goods game). */
export function textbookData(replications: number, spec = 'experiments/optional-public-goods.yaml', rounds = 60): ResultData {
  const out = run(spec, { out: false, set: [`replications=${replications}`, `rounds=${rounds}`] });
  return resultDataFromExperiment(out.result);
}

/** A registered model's outcome declarations at its default parameters (what a manifest of its results carries). */
export function declaredOutcomesOf(model: string): Outcomes {
  const m = findModel(model)!;
  return outcomeDeclarations(m, m.params.parse({}) as object);
}

/** A small deterministic pseudo-random stream for synthetic rows (mulberry32). */
export function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const EXCL = 'params.issueAreas.0.excludability';
export const RIV = 'params.issueAreas.0.rivalry';
export const AREAS = ['refugee', 'irregular', 'skilled'];

/** The words a sweep manifest records for EXCL and RIV: the migration model's schema's, for the baseline's issue areas. */
export const SWEEP_WORDS: ParameterInfos = (() => {
  const spec = validateSpec({ name: 'words', model: 'migration-governance' }, 'words.yaml');
  return parameterInfos(spec, [EXCL, RIV]);
})();

/**
 * A synthetic migration sweep in the shape of runs.csv / summary.csv /
 * sensitivity.csv: a full grid of nx x ny design points over excludability and
 * rivalry, `reps` replications each, where the multilateral share falls and the
 * unilateral share rises with excludability (so the modal level changes across the grid).
 */
export function syntheticSweep(nx: number, ny: number, reps: number): { runs: RunRow[]; summary: SummaryRow[]; sensitivity: SensitivityRow[] } {
  const rnd = stream(7);
  const runs: RunRow[] = [];
  let point = 0;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const ex = nx === 1 ? 0 : i / (nx - 1);
      const rv = ny === 1 ? 0 : j / (ny - 1);
      for (let r = 0; r < reps; r++) {
        const row: RunRow = { point, replication: r, seed: `s${point}-${r}`, [EXCL]: ex, [RIV]: rv };
        AREAS.forEach((area, k) => {
          const shift = k * 0.15;
          let u = Math.max(0.01, ex * 0.8 + shift + 0.1 * (rnd() - 0.5));
          let c = Math.max(0.01, rv * 0.5 + 0.1 * rnd());
          let m = Math.max(0.01, 1 - ex - 0.3 * rv + 0.1 * (rnd() - 0.5));
          const s = u + c + m;
          [u, c, m] = [u / s, c / s, m / s];
          row[`share_${area}_U`] = u;
          row[`share_${area}_C`] = c;
          row[`share_${area}_M`] = m;
        });
        row.welfare = 1 + 0.5 * (1 - ex) + 0.05 * rnd();
        runs.push(row);
      }
      point++;
    }
  }
  const metrics = [...AREAS.flatMap((a) => ['U', 'C', 'M'].map((l) => `share_${a}_${l}`)), 'welfare'];
  const summary: SummaryRow[] = [];
  for (let p = 0; p < point; p++) {
    const rows = runs.filter((r) => r.point === p);
    for (const metric of metrics) {
      const xs = rows.map((r) => r[metric] as number);
      const n = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
      summary.push({ point: p, [EXCL]: rows[0][EXCL], [RIV]: rows[0][RIV], metric, mean, sd, ci95: n > 1 ? (2.0 * sd) / Math.sqrt(n) : NaN, n });
    }
  }
  const sensitivity: SensitivityRow[] = [];
  for (const metric of ['share_refugee_M', 'welfare']) {
    for (const [parameter, s1, st] of [
      [EXCL, 0.7, 0.8],
      [RIV, 0.1, 0.2],
    ] as const) {
      sensitivity.push({ method: 'sobol', parameter, metric, index: 'S1', value: s1, ci_low: s1 - 0.05, ci_high: s1 + 0.05 });
      sensitivity.push({ method: 'sobol', parameter, metric, index: 'ST', value: st, ci_low: st - 0.06, ci_high: st + 0.06 });
      sensitivity.push({ method: 'morris', parameter, metric, index: 'mu_star', value: st, ci_low: st - 0.1, ci_high: st + 0.1 });
      sensitivity.push({ method: 'morris', parameter, metric, index: 'sigma', value: s1, ci_low: NaN, ci_high: NaN });
    }
  }
  return { runs, summary, sensitivity };
}

/** The synthetic sweep as ResultData, with a manifest naming the issue areas (for axis titles). */
export function syntheticSweepData(nx: number, ny: number, reps: number, parts: { summary?: boolean; runs?: boolean; sensitivity?: boolean } = {}): ResultData {
  const sw = syntheticSweep(nx, ny, reps);
  return {
    manifest: { spec: { name: 'synthetic-sweep', model: 'migration-governance', params: { issueAreas: AREAS.map((name) => ({ name })) } }, outcomes: declaredOutcomesOf('migration-governance'), parameters: SWEEP_WORDS },
    parameters: SWEEP_WORDS,
    series: [],
    final: [],
    ...(parts.runs !== false ? { runs: sw.runs } : {}),
    ...(parts.summary !== false ? { summary: sw.summary } : {}),
    ...(parts.sensitivity !== false ? { sensitivity: sw.sensitivity } : {}),
  };
}
