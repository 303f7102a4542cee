// What the charts know of the metrics: the outcome declarations a result carries
// (its manifest's `outcomes`, written from the model's declarations). Charts pick
// themselves from the kinds and dimensions declared here, never from metric names;
// a folder without declarations reads as plain numbers of unknown unit.
import { DIMENSIONS, METRIC_KINDS, type MetricDeclaration, type MetricDimensions, type Outcomes, type Term, type Vocabularies, undeclaredMetric } from '../engine/model.ts';
import { STRATEGY_PALETTE } from './colors.ts';
import type { ResultData } from './types.ts';

const HEX = /^#[0-9A-Fa-f]{3,8}$/;
const FINAL_BOOKKEEPING = new Set(['replication', 'seed', 'rounds_run', 'stopped_by']);

/** Every metric name in the data, in first-seen order (series first, then final columns, then summary). */
export function metricNames(data: Pick<ResultData, 'series' | 'final' | 'summary'>): string[] {
  const seen = new Set<string>();
  for (const row of data.series) seen.add(row.metric);
  for (const row of data.final) for (const key of Object.keys(row)) if (!FINAL_BOOKKEEPING.has(key)) seen.add(key);
  for (const row of data.summary ?? []) seen.add(row.metric);
  return [...seen];
}

const text = (v: unknown, max = 400): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

function term(v: unknown): Term | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const id = text(o.id, 200);
  if (!id) return null;
  const color = typeof o.color === 'string' && HEX.test(o.color) ? o.color : undefined;
  return { id, label: text(o.label) ?? id, ...(color ? { color } : {}) };
}

function terms(v: unknown): Term[] | undefined {
  return Array.isArray(v) ? v.map(term).filter((t): t is Term => t !== null) : undefined;
}

function declaration(v: unknown): MetricDeclaration | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const name = text(o.name, 1000);
  const kind = (METRIC_KINDS as readonly unknown[]).includes(o.kind) ? (o.kind as MetricDeclaration['kind']) : undefined;
  if (!name || !kind) return null;
  const dims: { -readonly [K in keyof MetricDimensions]: string } = {};
  const d = o.dimensions;
  if (typeof d === 'object' && d !== null) for (const k of DIMENSIONS) if (text((d as Record<string, unknown>)[k], 200)) dims[k] = (d as Record<string, string>)[k];
  const t = o.target as Record<string, unknown> | undefined;
  const target = typeof t === 'object' && t !== null && text(t.metric, 1000) ? { metric: t.metric as string, ...(text(t.gap, 1000) ? { gap: t.gap as string } : {}) } : undefined;
  return { name, description: text(o.description, 2000) ?? name, unit: text(o.unit) ?? 'unit unknown', kind, dimensions: dims, ...(target ? { target } : {}) };
}

/**
 * The declarations of the metrics a result holds, from what its manifest says
 * (checked: a malformed entry reads as undeclared), in the result's metric order;
 * a metric the manifest does not declare is a plain number of unknown unit.
 */
export function declaredOutcomes(manifestOutcomes: unknown, names: readonly string[]): Outcomes {
  const o = typeof manifestOutcomes === 'object' && manifestOutcomes !== null ? (manifestOutcomes as Record<string, unknown>) : {};
  const byName = new Map<string, MetricDeclaration>();
  for (const m of Array.isArray(o.metrics) ? o.metrics : []) {
    const d = declaration(m);
    if (d && !byName.has(d.name)) byName.set(d.name, d);
  }
  const v = typeof o.vocabularies === 'object' && o.vocabularies !== null ? (o.vocabularies as Record<string, unknown>) : {};
  const vocabularies: Vocabularies = { levels: terms(v.levels), roles: terms(v.roles), strategies: terms(v.strategies), issueAreas: terms(v.issueAreas) };
  const all = names.length > 0 ? names : [...byName.keys()];
  return { metrics: all.map((n) => byName.get(n) ?? undeclaredMetric(n)), vocabularies };
}

/** The result's outcome declarations: data.outcomes, or read from its manifest. */
export function outcomesOf(data: ResultData): Outcomes {
  return data.outcomes ?? declaredOutcomes(data.manifest?.outcomes, metricNames(data));
}

/** A colour scale over terms: their labels as the domain, their declared colours (else the palette, in order) as the range. */
export function termScale(list: readonly Term[]): { domain: string[]; range: string[] } {
  return { domain: list.map((t) => t.label), range: list.map((t, i) => t.color ?? STRATEGY_PALETTE[i % STRATEGY_PALETTE.length]) };
}

/** A metric's dimensions, never undefined. */
const dimsOf = (m: MetricDeclaration): MetricDimensions => m.dimensions ?? {};

const hasOnly = (m: MetricDeclaration, keys: readonly (keyof MetricDimensions)[]) => DIMENSIONS.every((k) => (keys.includes(k) ? dimsOf(m)[k] !== undefined : dimsOf(m)[k] === undefined));

/** Terms of a vocabulary in declared order, limited to the ids used, plus ids used but not declared (labelled by their id). */
function used(declared: readonly Term[] | undefined, ids: readonly string[]): Term[] {
  const set = new Set(ids);
  const out = (declared ?? []).filter((t) => set.has(t.id));
  for (const id of ids) if (!out.some((t) => t.id === id)) out.push({ id, label: id });
  return out;
}

const uniq = (xs: readonly string[]) => [...new Set(xs)];

/** Share-of-level metrics per issue area (kind share, dimensions exactly issueArea and level): the areas that have every level. */
export interface LevelView {
  readonly areas: readonly string[];
  readonly levels: readonly Term[];
  metric(area: string, level: string): string;
}

export function levelView(o: Outcomes, names?: readonly string[]): LevelView | null {
  const ms = o.metrics.filter((m) => m.kind === 'share' && hasOnly(m, ['issueArea', 'level']) && (!names || names.includes(m.name)));
  if (ms.length === 0) return null;
  const levels = used(o.vocabularies.levels, uniq(ms.map((m) => dimsOf(m).level!)));
  const key = (a: string, l: string) => `${a}\u0000${l}`;
  const by = new Map(ms.map((m) => [key(dimsOf(m).issueArea!, dimsOf(m).level!), m.name]));
  const areas = uniq(ms.map((m) => dimsOf(m).issueArea!)).filter((a) => levels.every((l) => by.has(key(a, l.id))));
  if (areas.length === 0) return null;
  return { areas, levels, metric: (a, l) => by.get(key(a, l)) ?? '' };
}

/** Share-of-level metrics per issue area and role (kind share, dimensions issueArea, level and role). */
export interface RoleView extends LevelView {
  readonly roles: readonly Term[];
  roleMetric(area: string, level: string, role: string): string;
}

export function roleView(o: Outcomes): RoleView | null {
  const ms = o.metrics.filter((m) => m.kind === 'share' && hasOnly(m, ['issueArea', 'level', 'role']));
  if (ms.length === 0) return null;
  const levels = used(o.vocabularies.levels, uniq(ms.map((m) => dimsOf(m).level!)));
  const roles = used(o.vocabularies.roles, uniq(ms.map((m) => dimsOf(m).role!)));
  const key = (a: string, l: string, r: string) => `${a}\u0000${l}\u0000${r}`;
  const by = new Map(ms.map((m) => [key(dimsOf(m).issueArea!, dimsOf(m).level!, dimsOf(m).role!), m.name]));
  const areas = uniq(ms.map((m) => dimsOf(m).issueArea!)).filter((a) => levels.every((l) => roles.every((r) => by.has(key(a, l.id, r.id)))));
  if (areas.length === 0) return null;
  return { areas, levels, roles, metric: () => '', roleMetric: (a, l, r) => by.get(key(a, l, r)) ?? '' };
}

/** Strategy shares (kind share, dimension exactly strategy). */
export interface StrategyView {
  readonly strategies: readonly Term[];
  metric(strategy: string): string;
}

export function strategyView(o: Outcomes, names?: readonly string[]): StrategyView | null {
  const ms = o.metrics.filter((m) => m.kind === 'share' && hasOnly(m, ['strategy']) && (!names || names.includes(m.name)));
  if (ms.length === 0) return null;
  const by = new Map(ms.map((m) => [dimsOf(m).strategy!, m.name]));
  return { strategies: used(o.vocabularies.strategies, [...by.keys()]), metric: (s) => by.get(s) ?? '' };
}

/** Welfare by role (kind welfare, dimension exactly role). */
export interface RoleWelfareView {
  readonly roles: readonly Term[];
  readonly unit: string;
  metric(role: string): string;
}

export function welfareView(o: Outcomes): RoleWelfareView | null {
  const ms = o.metrics.filter((m) => m.kind === 'welfare' && hasOnly(m, ['role']));
  if (ms.length === 0) return null;
  const by = new Map(ms.map((m) => [dimsOf(m).role!, m.name]));
  return { roles: used(o.vocabularies.roles, [...by.keys()]), unit: ms[0].unit, metric: (r) => by.get(r) ?? '' };
}

/** Metrics measured against a target (provision against need), per issue area. */
export interface TargetView {
  readonly areas: readonly string[];
  readonly unit: string;
  value(area: string): string;
  target(area: string): string;
  gap(area: string): string | undefined;
}

export function targetView(o: Outcomes): TargetView | null {
  const names = new Set(o.metrics.map((m) => m.name));
  const ms = o.metrics.filter((m) => m.target && names.has(m.target.metric) && hasOnly(m, ['issueArea']));
  if (ms.length === 0) return null;
  const by = new Map(ms.map((m) => [dimsOf(m).issueArea!, m]));
  return {
    areas: [...by.keys()],
    unit: ms[0].unit,
    value: (a) => by.get(a)?.name ?? '',
    target: (a) => by.get(a)?.target?.metric ?? '',
    gap: (a) => {
      const g = by.get(a)?.target?.gap;
      return g && names.has(g) ? g : undefined;
    },
  };
}

/** A metric's title for an axis: its description with its unit. */
export function axisTitle(m: MetricDeclaration): string {
  return m.unit && m.unit !== 'unit unknown' ? `${m.description} (${m.unit})` : m.description === m.name ? `${m.name} (unit unknown)` : m.description;
}

/** The declaration of one metric (undeclared when the outcomes do not hold it). */
export function declarationOf(o: Outcomes, name: string): MetricDeclaration {
  return o.metrics.find((m) => m.name === name) ?? undeclaredMetric(name);
}
