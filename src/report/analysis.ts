// The result folder of `migov analyze --out`: analysis.json (the spec, its hash and
// every number), tidy CSV tables and the charts of src/charts/analysis.ts rendered as
// every report chart is (.vl.json, .svg, .png). Built in a hidden temporary folder
// beside the target and swapped in at the end (src/sweep/folder.ts), so a kill leaves
// the earlier complete folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Analysis } from '../analysis/analyze.ts';
import type { FlowsAnalysis } from '../analysis/levels-flows.ts';
import type { RestPoint } from '../analysis/replicator.ts';
import { type SimulatedBeside, analysisCharts } from '../charts/analysis.ts';
import type { TwinComparison } from '../analysis/twin.ts';
import type { Spec } from '../experiment/schema.ts';
import { specHash } from '../sweep/experiment.ts';
import { CSV_OPTIONS } from '../sweep/csv.ts';
import { type Claim, makeTemp, removeTemp, replaceFolder } from '../sweep/folder.ts';
import { gitState, versions } from '../sweep/store.ts';
import { renderChart } from './render.ts';

/** JSON with typed arrays written as arrays. */
export function analysisJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v), 2)}\n`;
}

const csv = (header: string[], rows: (string | number)[][]) => stringify([header, ...rows], CSV_OPTIONS);

function eigenText(r: RestPoint): string {
  return r.eigenvalues.map((e) => (e.im === 0 ? `${e.re}` : `${e.re}${e.im < 0 ? '-' : '+'}${Math.abs(e.im)}i`)).join('; ');
}

/** The CSV tables of an analysis, by file name. */
export function analysisTables(a: Analysis): Record<string, string> {
  const fix = (rows: Analysis['fixation']) => csv(['mutant', 'resident', 'beta', 'Z', 'rho', 'log10_rho', 'neutral'], rows.map((r) => [r.mutant, r.resident, r.beta, r.Z, r.rho, r.log10, r.neutral]));
  const out: Record<string, string> = {
    'fixation.csv': fix(a.fixation),
    'fixation-by-beta.csv': fix(a.fixationByBeta),
    'fixation-by-size.csv': fix(a.fixationBySize),
    'small-mutation.csv': csv(['state', 'stationary', 'log10_stationary'], a.smallMutation.states.map((s, i) => [s, a.smallMutation.stationary[i], a.smallMutation.stationaryLog10[i]])),
    'transitions.csv': csv(
      ['from', 'to', 'rho', 'log10_rho', 'probability', 'log10_probability'],
      a.smallMutation.transitions.map((t) => [a.smallMutation.states[t.from], a.smallMutation.states[t.to], t.rho, t.rhoLog10, t.probability, t.log10]),
    ),
  };
  if (a.gradient) out['gradient.csv'] = csv(['k', 'x', 'gradient', 'gradient_without_mutation'], a.gradient.map((g) => [g.k, g.x, g.gradient, g.withoutMutation]));
  if (a.fullChain) out['full-chain.csv'] = csv(['k', 'x', 'probability', 'log10_probability'], a.fullChain.distribution.map((d) => [d.k, d.x, d.probability, d.log10]));
  const rest: (string | number)[][] = [];
  const add = (dynamic: string, T: number | string, points: readonly RestPoint[]) => {
    for (const r of points) rest.push([dynamic, T, ...r.x, r.stability, eigenText(r)]);
  };
  if (a.replicator) add('replicator', '', a.replicator);
  if (a.meanField) add('fermi mean field', '', a.meanField);
  for (const l of a.logitEquilibria ?? []) add('logit', l.temperature, l.points);
  if (rest.length) out['rest-points.csv'] = csv(['dynamic', 'temperature', ...a.strategies.map((s) => `share_${s}`), 'stability', 'eigenvalues'], rest);
  return out;
}

/**
 * Writes an analysis into the claimed folder: a temporary folder first, swapped in
 * when everything (charts included) is written. With `beside`, a run folder's
 * replications are drawn beside the full chain and its comparison is kept in
 * analysis.json. Returns the folder's path.
 */
export async function writeAnalysisFolder(claim: Claim, spec: Spec, specFile: string | null, analysis: Analysis, beside?: { simulated: SimulatedBeside; twin: TwinComparison | null }): Promise<string> {
  const tmp = makeTemp(claim.dir, 'analysis', specHash(spec));
  try {
    const files: string[] = [];
    const put = (name: string, content: string | Uint8Array) => {
      writeFileSync(join(tmp, name), content, { flag: 'wx' });
      files.push(name);
    };
    put('analysis.json', analysisJson({ command: 'analyze', migov: versions().migov, git: gitState(), specFile, spec, specHash: specHash(spec), analysis, ...(beside ? { beside: { folder: beside.simulated.folder, twin: beside.twin } } : {}) }));
    for (const [name, text] of Object.entries(analysisTables(analysis))) put(name, text);
    mkdirSync(join(tmp, 'charts'));
    for (const c of analysisCharts(analysis, beside?.simulated)) {
      const r = await renderChart(c);
      put(`charts/${c.id}.vl.json`, `${JSON.stringify(c.spec, null, 2)}\n`);
      put(`charts/${c.id}.svg`, r.svg);
      put(`charts/${c.id}.png`, r.png);
    }
    replaceFolder(tmp, claim.dir);
    return claim.dir;
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
}

/**
 * The result folder of `migov analyze --out` on a migration-flows spec: flows.json
 * (the spec, its hash, the statement that the flows model has no stage game, and
 * every number) and best-responses.csv (one row per replication, issue area and
 * state: its final level, its one-shot best response and the gain from switching).
 */
export function writeFlowsFolder(claim: Claim, spec: Spec, specFile: string | null, flows: FlowsAnalysis): string {
  const tmp = makeTemp(claim.dir, 'analysis', specHash(spec));
  try {
    const put = (name: string, content: string) => writeFileSync(join(tmp, name), content, { flag: 'wx' });
    put('flows.json', analysisJson({ command: 'analyze', migov: versions().migov, git: gitState(), specFile, spec, specHash: specHash(spec), flows }));
    const level = ['U', 'C', 'M'];
    const rows = flows.areas.flatMap((r) => r.levels.map((l, i) => [r.replication, r.issueArea, flows.states[i], level[l], level[r.bestResponses[i]], r.gains[i]]));
    put('best-responses.csv', csv(['replication', 'issue_area', 'state', 'level', 'best_response', 'gain'], rows));
    replaceFolder(tmp, claim.dir);
    return claim.dir;
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
}
