// Validating experiment specs, without reading files: the shape (specSchema), the
// model's own parameters, the metrics and charts a spec names, `--set` overrides and a
// result folder's manifest. Every failure is a SpecError naming the file, the field,
// the value and what is allowed. Imports nothing of Node, so the browser demo
// validates its specs with it; load.ts reads files (a spec, and a state table through
// the `readTable` it passes to validateSpec) and re-exports what is here.
import { z } from 'zod';
import { findModel, models } from '../../models/index.ts';
import type { AnyModel } from '../engine/model.ts';
import { protocolProblems } from '../engine/protocol.ts';
import { metricNames } from '../engine/simulate.ts';
import { canonicalJson, sha256Hex } from '../engine/rng.ts';
import { MAX_LISTED, SpecError, type SpecProblem, capProblems, closest, describeValue, quote, truncate } from './errors.ts';
import { FORBIDDEN_KEYS, fieldOf, inspectValue, parseYaml } from './input.ts';
import { type Spec, specSchema } from './schema.ts';
import { chartProblems } from './charts.ts';
import { type StateTable, type TableColumns, byLine, capped, checkInlineRows, inlineRoleProblem, keyedPrefix, relocate, tableNote } from './table-rows.ts';

/** Reads a state table named in a spec (tables.ts's readStateTable); without one, a spec naming a table is refused. */
export type ReadTable = (
  specFile: string,
  tablePath: string,
  field: string,
  columns: TableColumns,
  keys: ReadonlyMap<string, readonly string[] | null>,
  checkRow?: (row: Record<string, unknown>) => { path: readonly PropertyKey[]; problem: SpecProblem }[],
) => { rows: Record<string, unknown>[]; table: StateTable; problems: SpecProblem[]; more: number; stopped: boolean };

type Json = Record<string, unknown>;

/** Where a spec came from when it was read from a result folder's manifest.json. */
export interface Rerun {
  /** The manifest file. */
  readonly manifest: string;
  /** The command that made the folder, as the manifest records it ('sweep'; 'run' when it records none). */
  readonly kind: 'run' | 'sweep';
}

const reruns = new WeakMap<Spec, Rerun>();

/** Records that a spec was read from a manifest (load.ts, when it reads one). */
export function recordRerun(spec: Spec, rerun: Rerun): void {
  reruns.set(spec, rerun);
}

/** The manifest a validated spec was read from (`migov run <folder>/manifest.json`), if it was. */
export function rerunOf(spec: Spec): Rerun | undefined {
  return reruns.get(spec);
}

/**
 * A manifest.json read as JSON: a run's manifest lists every replication, and one of
 * some thousands holds more values than the YAML parser is given (MAX_VALUES, a bound
 * on its time; JSON.parse is linear). Only a JSON mapping that is a manifest (a
 * `spec` and a `specHash`, no `model`) is taken, after inspectValue's checks (plain
 * data, no forbidden key, depth); anything else, a spec in JSON included, goes
 * through parseYaml and its limits. The spec it holds must still hash to specHash.
 */
export function manifestJson(file: string, text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isMapping(value) || Object.hasOwn(value, 'model') || !isMapping(value.spec) || !Object.hasOwn(value, 'specHash')) return undefined;
  inspectValue(file, value);
  return value;
}

/**
 * A parsed file that is a result folder's manifest.json (a mapping with a `spec`
 * mapping and a `specHash`, and no `model` of its own): its spec and kind, after
 * checking that the spec is the one the recorded hash names. Undefined for a spec.
 */
export function manifestOf(file: string, raw: unknown): { spec: Json; kind: 'run' | 'sweep' } | undefined {
  if (!isMapping(raw) || Object.hasOwn(raw, 'model') || !Object.hasOwn(raw, 'spec') || !Object.hasOwn(raw, 'specHash')) return undefined;
  const allowed = 'a manifest.json as migov wrote it (its spec unchanged since the run), or a spec file';
  if (!isMapping(raw.spec)) throw new SpecError(file, [{ field: 'spec', message: `a manifest's spec must be a mapping, got ${describeValue(raw.spec)}`, allowed }]);
  if (typeof raw.specHash !== 'string') throw new SpecError(file, [{ field: 'specHash', message: `got ${describeValue(raw.specHash)}`, allowed: `the sha256 of the spec (64 hex digits): ${allowed}` }]);
  let actual: string;
  try {
    actual = sha256Hex(canonicalJson(raw.spec));
  } catch {
    actual = 'none (the spec has no canonical JSON form)';
  }
  if (actual !== raw.specHash) {
    throw new SpecError(file, [
      {
        field: 'specHash',
        message: `this manifest records specHash ${truncate(raw.specHash, 80)}, but its spec hashes to ${actual}: the spec was changed after the run, so rerunning it would not make the folder's results`,
        allowed,
      },
    ]);
  }
  const kind = raw.kind === 'sweep' || raw.kind === 'merge' || isMapping(raw.spec.sweep) ? 'sweep' : 'run';
  return { spec: structuredClone(raw.spec), kind };
}

/** A spec given as an object, copied after checking it is plain data: no cycle, getter surprise, class instance or forbidden key. */
export function inspectSpecObject(file: string, spec: unknown): unknown {
  inspectValue(file, spec);
  return structuredClone(spec);
}

/** Parses YAML (JSON is YAML too) within the limits of input.ts; a syntax error names the line and column. */
export function parseSpecText(file: string, text: string): unknown {
  return parseYaml(file, text);
}

/** A --set path: field names and list positions joined by dots. */
const SET_SEGMENT = /^(?:[A-Za-z_][\w-]*|\d+)$/;

/**
 * Applies `path=value` overrides (value parsed as YAML: numbers, booleans, lists).
 * A path may go into a list by position (`params.issueAreas.0.excludability`); a list
 * the spec leaves out is first filled in with the model's default. Returns the paths set.
 */
export function applyOverrides(file: string, raw: unknown, overrides: readonly string[]): Set<string> {
  const set = new Set<string>();
  if (!isMapping(raw)) return set;
  for (const o of overrides) {
    const eq = o.indexOf('=');
    const path = eq > 0 ? o.slice(0, eq).trim() : '';
    const keys = path.split('.');
    const shown = quote(o);
    if (!path || !keys.every((k) => SET_SEGMENT.test(k)) || /^\d/.test(keys[0])) {
      throw new SpecError(file, [
        {
          field: '',
          message: `--set ${shown} is not of the form path=value`,
          allowed: 'path=value, the path field names and list positions joined by dots, e.g. --set params.r=2.5, --set rounds=200 or --set params.issueAreas.0.excludability=0.5',
        },
      ]);
    }
    const fail = (message: string, allowed: string): never => {
      throw new SpecError(file, [{ field: fieldOf(keys), message: `--set ${shown}: ${message}`, allowed }]);
    };
    const bad = keys.find((k) => FORBIDDEN_KEYS.has(k));
    if (bad) fail(`${JSON.stringify(bad)} is not allowed in a path`, 'paths of spec fields; never __proto__, constructor or prototype');
    let value: unknown;
    try {
      value = parseYaml(file, o.slice(eq + 1), `the value of --set ${shown}`);
    } catch (e) {
      // text that is not YAML is taken as a string; a value beyond the limits is not
      if (!(e instanceof SpecError)) throw e;
      if (!/malformed YAML/.test(e.message)) {
        throw new SpecError(
          file,
          e.problems.map((p) => ({ ...p, field: [fieldOf(keys), p.field].filter(Boolean).join('.'), message: `--set ${shown}: ${p.message.replace(/^the value of --set .*?: /, '')}` })),
        );
      }
      value = o.slice(eq + 1);
    }
    let node: unknown = raw;
    for (let d = 0; d < keys.length; d++) {
      const k = keys[d];
      const last = d === keys.length - 1;
      const at = fieldOf(keys.slice(0, d));
      if (Array.isArray(node)) {
        const i = /^\d+$/.test(k) ? Number(k) : -1;
        if (i < 0) fail(`${at} is a list: ${JSON.stringify(k)} is not a position in it`, `a position 0..${node.length - 1}`);
        if (i >= node.length) fail(`position ${k} is out of range: ${at} has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}`, node.length ? `a position 0..${node.length - 1}` : 'no position (the list is empty)');
        if (last) node[i] = value;
        else node = node[i];
      } else if (isMapping(node)) {
        if (last) {
          node[k] = value;
          break;
        }
        if (!Object.hasOwn(node, k)) {
          const fallback = defaultList(raw as Json, keys.slice(0, d + 1));
          if (fallback === undefined && /^\d+$/.test(keys[d + 1])) fail(`${fieldOf(keys.slice(0, d + 1))} is not a list in the spec`, `write ${fieldOf(keys.slice(0, d + 1))} as a list in the spec first`);
          node[k] = fallback ?? {};
        }
        node = node[k];
      } else {
        fail(`${JSON.stringify(keys[d - 1])} is not a mapping or list`, `a path through mappings and lists of the spec`);
      }
      if (!last && (node === null || typeof node !== 'object')) fail(`${JSON.stringify(k)} is not a mapping or list`, 'a path through mappings and lists of the spec');
    }
    set.add(path);
  }
  return set;
}

/** The model's default for a list under params (e.g. params.issueAreas), copied; undefined if there is none. */
function defaultList(raw: Json, path: readonly string[]): unknown[] | undefined {
  if (path[0] !== 'params' || path.length < 2 || typeof raw.model !== 'string') return undefined;
  const model = findModel(raw.model);
  const defaults = model?.params.safeParse({});
  if (!defaults?.success) return undefined;
  const v = valueAt(defaults.data, path.slice(1));
  return Array.isArray(v) ? (structuredClone(v) as unknown[]) : undefined;
}

/**
 * Validates a parsed spec: its shape, then the model's parameters, then the metrics it
 * names. A state table the spec names (`<group>.table` without `rows`) is read with
 * `readTable`; without one (in a browser) such a spec is refused.
 */
export function validateSpec(raw: unknown, file: string, set: ReadonlySet<string> = new Set(), readTable?: ReadTable): Spec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(file, [
      { field: '', message: `expected a mapping of spec fields, got ${describeValue(raw)}`, allowed: `a mapping with ${keysOf(specSchema).join(', ')}` },
    ]);
  }
  // plain data only, no forbidden key, not too deep (no size limit: a sweep point carries its table's rows)
  inspectValue(file, raw, { maxExpanded: Infinity });
  const shape = specSchema.safeParse(raw);
  if (!shape.success) {
    const found = problemsFrom(shape.error.issues, specSchema, raw, [], set);
    throw new SpecError(file, capProblems(found.problems, undefined, found.more));
  }
  const spec = shape.data;

  const model = findModel(spec.model);
  if (!model) {
    const hint = closest(spec.model, models.map((m) => m.name));
    throw new SpecError(file, [
      {
        field: 'model',
        message: `unknown model ${quote(spec.model)}${hint ? ` (did you mean "${hint}"?)` : ''}${mark('model', set)}`,
        allowed: models.map((m) => m.name).join(', '),
      },
    ]);
  }
  // a state table the spec names is read here, row by row: the first bad rows are
  // reported at once, before the model checks the whole of params
  let rawParams = spec.params;
  let table: StateTable | undefined;
  const problems: SpecProblem[] = [];
  let more = 0;
  const found = tableColumns(model.params);
  const columns = found?.columns;
  // the parameter group that holds the table: `states` (migration-governance) or `world` (migration-flows)
  const group = found?.group ?? 'states';
  const states = rawParams[group] as Json | undefined;
  const hasRows = isMapping(states) && (typeof states.table === 'string' || Array.isArray(states.rows));
  const keys = columns && hasRows ? keyNames(model, rawParams, columns) : new Map<string, readonly string[] | null>();
  if (columns && isMapping(states) && typeof states.table === 'string' && states.rows === undefined) {
    const rowSchema = zodAt(model.params, [group, 'rows', 0]);
    const checkRow = rowSchema
      ? (row: Json) => {
          const r = rowSchema.safeParse(row);
          if (r.success) return [];
          return r.error.issues.flatMap((issue) => problemsFrom([issue], rowSchema, row, [], set).problems.map((problem) => ({ path: issue.path, problem })));
        }
      : undefined;
    if (!readTable) {
      throw new SpecError(file, [{ field: `params.${group}.table`, message: `names the state table ${quote(states.table)}, which cannot be read here`, allowed: `the table's rows in params.${group}.rows, or the spec run with migov run (which reads the file)` }]);
    }
    const read = readTable(file, states.table, `params.${group}.table`, columns, keys, checkRow);
    if (read.problems.length) throw new SpecError(file, capped(read.problems, read.table, read.more, read.stopped), tableNote(read.table));
    table = read.table;
    rawParams = { ...rawParams, [group]: { ...states, rows: read.rows } };
  }
  const params = model.params.safeParse(rawParams);
  if (!params.success) {
    for (const issue of params.error.issues) {
      if (problems.length >= MAX_LISTED) {
        more += issue.code === 'unrecognized_keys' ? issue.keys.length : 1;
        continue;
      }
      const found = problemsFrom([issue], model.params, rawParams, ['params'], set, MAX_LISTED - problems.length);
      more += found.more;
      const [p0, p1, i, ...rest] = issue.path;
      if (columns && p0 === group && p1 === 'rows' && typeof i === 'number') {
        const row = (rawParams[group] as { rows: unknown[] }).rows[i];
        if (table) found.problems.forEach((p) => problems.push(relocate(table, i, rest, p, row)));
        else found.problems.forEach((p) => problems.push(rest.length === 0 ? inlineRoleProblem(p.field, row, p) : p));
      } else {
        for (const p of found.problems) problems.push(p);
      }
    }
  } else if (columns && !table) {
    const rows = ((params.data as Json)[group] as Json | undefined)?.rows;
    if (Array.isArray(rows)) for (const p of checkInlineRows(rows as Json[], keys, `params.${group}.rows`)) problems.push(p);
  }
  if (problems.length) {
    const t = table;
    const inTable = t !== undefined && problems.some((p) => p.file === t.file);
    throw new SpecError(file, t ? capped(byLine(problems, t), t, more) : capProblems(problems, undefined, more), inTable ? tableNote(t) : undefined);
  }
  const out: Spec = { ...spec, params: params.data as Record<string, unknown> };
  const unmet = protocolProblems(model, out.protocol, out.params);
  if (unmet.length) throw new SpecError(file, unmet.map((p) => ({ ...p, message: p.message + mark(p.field, set) })));
  // the named protocols a protocol factor picks: checked against the model whether or not the design draws them
  const unmetNamed = Object.entries(out.sweep?.protocols ?? {}).flatMap(([name, p]) =>
    protocolProblems(model, p, out.params).map((u) => ({ ...u, field: `sweep.protocols.${name}${u.field.slice('protocol'.length)}` })),
  );
  if (unmetNamed.length) throw new SpecError(file, unmetNamed);

  if (spec.metrics) {
    const known = metricNames(model, out.params);
    const problems: SpecProblem[] = [];
    spec.metrics.forEach((m, i) => {
      if (!known.includes(m)) {
        const hint = closest(m, known);
        problems.push({
          field: `metrics.${i}`,
          message: `unknown metric ${quote(m)} for model ${model.name}${hint ? ` (did you mean "${hint}"?)` : ''}`,
          allowed: known.join(', '),
        });
      }
    });
    if (problems.length) throw new SpecError(file, capProblems(problems));
  }
  if (spec.charts) {
    const problems = chartProblems(spec, metricNames(model, out.params), model.name);
    if (problems.length) throw new SpecError(file, capProblems(problems));
  }
  return out;
}

const columnsCache = new WeakMap<z.ZodType, { group: string; columns: TableColumns } | null>();

/** The parameter groups that may hold a state table (`<group>.table`, read into `<group>.rows`). */
const TABLE_GROUPS = ['states', 'world'] as const;

/** The columns of a state table, if the model's parameters take one (`states.rows` or `world.rows`): its group and its row schema's fields (cached per schema). */
function tableColumns(schema: z.ZodType): { group: string; columns: TableColumns } | undefined {
  if (!columnsCache.has(schema)) {
    let hit: { group: string; columns: TableColumns } | null = null;
    for (const group of TABLE_GROUPS) {
      const columns = findTableColumns(schema, group);
      if (columns) {
        hit = { group, columns };
        break;
      }
    }
    columnsCache.set(schema, hit);
  }
  return columnsCache.get(schema) ?? undefined;
}

function findTableColumns(schema: z.ZodType, group: string): TableColumns | undefined {
  const row = nodeAt(jsonSchemaOf(schema), [group, 'rows', 0], undefined);
  if (!row?.properties) return undefined;
  const required = row.required ?? [];
  const scalar: string[] = [];
  const keyed: { field: string; prefix: string }[] = [];
  const numeric = new Set<string>();
  for (const [name, node] of Object.entries(row.properties)) {
    if (node.type === 'object' && typeof node.additionalProperties === 'object') {
      keyed.push({ field: name, prefix: keyedPrefix(name) });
      continue;
    }
    scalar.push(name);
    if (node.type === 'number' || node.type === 'integer') numeric.add(name);
  }
  return { required: scalar.filter((c) => required.includes(c)), optional: scalar.filter((c) => !required.includes(c)), numeric, keyed };
}

/**
 * The keys that a row's keyed fields (per-issue-area `values`) may have: the issue
 * areas' names, as the model reads them from the spec (its default if unset); null if
 * the issue areas are themselves invalid (their own error says why).
 */
function keyNames(model: AnyModel, params: Json, columns: TableColumns): Map<string, readonly string[] | null> {
  const parsed = model.params.safeParse({ issueAreas: params.issueAreas });
  const areas = parsed.success ? (parsed.data as Json).issueAreas : undefined;
  const names = Array.isArray(areas) ? areas.map((a) => String((a as Json).name)) : null;
  return new Map(columns.keyed.map((k) => [k.field, names]));
}

function isMapping(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The model a validated spec names. */
export function modelOf(spec: Spec): AnyModel {
  const m = findModel(spec.model);
  if (!m) throw new Error(`unknown model ${spec.model}`);
  return m;
}

function mark(field: string, set: ReadonlySet<string>): string {
  return set.has(field) ? ' (from --set)' : '';
}

/** A small mapping in full (and its sum when the rule is about one); anything else as describeValue. */
function describeShort(v: unknown, rule: string): string {
  if (!isMapping(v)) return describeValue(v);
  const entries = Object.entries(v);
  if (entries.length > 12) return describeValue(v);
  const text = `{${entries.map(([k, x]) => `${k}: ${typeof x === 'number' || typeof x === 'string' ? describeValue(x) : JSON.stringify(x) ?? describeValue(x)}`).join(', ')}}`;
  if (text.length > 120) return describeValue(v);
  const nums = Object.values(v);
  const sum = /\bsum/.test(rule) && nums.length > 0 && nums.every((x) => typeof x === 'number') ? (nums as number[]).reduce((a, b) => a + b, 0) : undefined;
  return `${text}${sum !== undefined ? ` (sum ${Number(sum.toPrecision(12))})` : ''}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k as string)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  description?: string;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
};

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

/** A schema's JSON Schema, made once per schema (it takes milliseconds; a message may need it for every problem). */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let js = jsonSchemas.get(schema);
  if (!js) {
    js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    jsonSchemas.set(schema, js);
  }
  return js;
}

/** The zod schema at a path of object fields and list items (through defaults and optionals), if there is one. */
function zodAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (const k of path) {
    node = unwrap(node);
    const def = (node?._zod.def ?? {}) as { type?: string; shape?: Record<string, z.ZodType>; element?: z.ZodType };
    if (def.type === 'object' && typeof k === 'string') node = def.shape?.[k];
    else if (def.type === 'array' && typeof k === 'number') node = def.element;
    else return undefined;
  }
  return unwrap(node);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (let i = 0; node && i < 16; i++) {
    const def = node._zod.def as { type?: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type ?? '')) node = def.innerType;
    else if (def.type === 'pipe' && def.in) node = def.in;
    else break;
  }
  return node;
}

/** The JSON Schema node at a path, choosing the union branch that the value's own discriminator picks. */
function nodeAt(root: JsonSchema, path: readonly PropertyKey[], value: unknown): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  let v = value;
  for (const k of path) {
    node = pickBranch(node, v);
    if (!node) return undefined;
    if (node.properties && typeof k === 'string' && node.properties[k]) node = node.properties[k];
    else if (node.items && typeof k === 'number') node = node.items;
    else if (node.additionalProperties && typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as string] : undefined;
  }
  return pickBranch(node, v);
}

function pickBranch(node: JsonSchema | undefined, value: unknown): JsonSchema | undefined {
  const branches = node?.oneOf ?? node?.anyOf;
  if (!node || !branches) return node;
  const rule = value !== null && typeof value === 'object' ? (value as Json).rule : undefined;
  return branches.find((b) => b.properties?.rule?.const === rule) ?? node;
}

function keysOf(schema: z.ZodType, path: readonly PropertyKey[] = [], value?: unknown): string[] {
  const node = nodeAt(jsonSchemaOf(schema), path, value);
  return Object.keys(node?.properties ?? {});
}

/** "what is allowed" for a schema node: type, range, choices, and its description. */
function allowedText(node: JsonSchema | undefined): string | undefined {
  if (!node) return undefined;
  const branches = node.oneOf ?? node.anyOf;
  if (branches && !node.type) {
    const consts = branches.map((b) => b.properties?.rule?.const).filter((c) => c !== undefined);
    if (consts.length) return `one of ${consts.map((c) => JSON.stringify(c)).join(", ")} (the revision rule)`;
    return branches.map((b) => allowedText(b)).filter(Boolean).join(' or ');
  }
  let text: string;
  if (node.enum) text = `one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  else if (node.const !== undefined) text = JSON.stringify(node.const);
  else {
    const type = Array.isArray(node.type) ? node.type.join(' or ') : node.type;
    const noun = type === 'integer' ? 'an integer' : type === 'object' ? 'a mapping' : type === 'array' ? 'a list' : type ? `a ${type}` : 'a value';
    const range: string[] = [];
    if (node.minimum !== undefined) range.push(`>= ${node.minimum}`);
    if (node.exclusiveMinimum !== undefined) range.push(`> ${node.exclusiveMinimum}`);
    if (node.maximum !== undefined) range.push(`<= ${node.maximum}`);
    if (node.exclusiveMaximum !== undefined) range.push(`< ${node.exclusiveMaximum}`);
    text = range.length ? `${noun} ${range.join(' and ')}` : noun;
    if (node.type === 'object' && node.properties) text += ` with ${Object.keys(node.properties).join(', ')}`;
  }
  return node.description ? `${text} (${node.description})` : text;
}

/**
 * Problems from zod issues, each with the value given and what is allowed; at most
 * `limit` of them built (suggestions cost time), the rest only counted in `more`.
 */
function problemsFrom(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  value: unknown,
  prefix: readonly string[],
  set: ReadonlySet<string>,
  limit = MAX_LISTED,
): { problems: SpecProblem[]; more: number } {
  const root = jsonSchemaOf(schema);
  const problems: SpecProblem[] = [];
  let more = 0;
  for (const issue of issues) {
    if (problems.length >= limit) {
      more += issue.code === 'unrecognized_keys' ? issue.keys.length : 1;
      continue;
    }
    const path = issue.path;
    const field = fieldOf([...prefix, ...path.map(String)]);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(pickBranch(nodeAt(root, path, value), valueAt(value, path))?.properties ?? {});
      for (const key of issue.keys) {
        if (problems.length >= limit) {
          more++;
          continue;
        }
        const hint = closest(key, known);
        const f = fieldOf([...prefix, ...path.map(String), key]);
        // a calibration spec is read by `migov calibrate` (src/calibrate/spec.ts), which takes the section off first
        const calibration = key === 'calibration' && path.length === 0 ? ': a calibration section is read by `migov calibrate <spec>`, not by `migov run` or `migov sweep`' : '';
        problems.push({
          field: f,
          message: `unknown field ${quote(key)}${calibration}${hint ? ` (did you mean "${hint}"?)` : ''}${mark(f, set)}`,
          allowed: known.length ? known.join(', ') : 'no fields here',
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && path.length > 0) {
      // a discriminated union (the protocol) with an unknown or missing discriminator
      const at = String(path[path.length - 1]) === 'rule' ? path.slice(0, -1) : path;
      const v = valueAt(value, at);
      if (isMapping(v)) {
        const f = fieldOf([...prefix, ...at.map(String), 'rule']);
        const given = Object.hasOwn(v, 'rule') ? `got ${describeValue(v.rule)}` : 'missing';
        problems.push({ field: f, message: `${given}${mark(f, set)}`, allowed: allowedText(nodeAt(root, at, undefined)) ?? issue.message });
        continue;
      }
    }
    const given = valueAt(value, path);
    const node = nodeAt(root, path, value);
    // a rule across fields (a refine: "shares must sum to 1") shows the fields it read
    const got = given === undefined ? 'missing' : `got ${issue.code === 'custom' ? describeShort(given, issue.message) : describeValue(given)}`;
    const detail = issue.code === 'custom' || issue.code === 'invalid_format' ? `: ${truncate(issue.message, 200)}` : '';
    // a refine may say what it allows: ctx.addIssue({ code: 'custom', ..., params: { allowed: '...' } })
    const ruleAllows = issue.code === 'custom' && typeof issue.params?.allowed === 'string' ? (issue.params.allowed as string) : undefined;
    problems.push({ field, message: `${got}${detail}${mark(field, set)}`, allowed: ruleAllows ?? allowedText(node) ?? truncate(issue.message, 200) });
  }
  return { problems, more };
}

/** The JSON Schema of the spec file format, for editor completion (written to schema/spec.schema.json). */
export function specJsonSchema(): object {
  const schema = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const params = models.map((m) => ({
    if: { properties: { model: { const: m.name } }, required: ['model'] },
    then: { properties: { params: z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }) } },
  }));
  return {
    ...schema,
    title: 'migov experiment spec',
    properties: { ...(schema.properties as Json), model: { type: 'string', enum: models.map((m) => m.name), description: 'the model to run' } },
    allOf: params,
  };
}
