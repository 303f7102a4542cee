// Loading and validating experiment specs (YAML or JSON). Nothing downstream sees a
// spec that has not passed here, and every failure is a SpecError naming the file,
// the field, the value and what is allowed.
import { readFileSync, statSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { findModel, models } from '../../models/index.ts';
import type { AnyModel } from '../engine/model.ts';
import { metricNames } from '../engine/simulate.ts';
import { SpecError, type SpecProblem, closest } from './errors.ts';
import { type Spec, specSchema } from './schema.ts';
import { type StateTable, type TableColumns, byLine, capped, checkInlineRows, inlineRoleProblem, keyedPrefix, readStateTable, relocate, tableNote } from './tables.ts';

type Json = Record<string, unknown>;

/** Reads, parses and validates a spec file; `overrides` are `path=value` strings as given to --set. */
export function loadSpec(file: string, overrides: readonly string[] = []): Spec {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new SpecError(file, [{ field: '', message: 'is not a file' }]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new SpecError(file, [{ field: '', message: `cannot read the spec: ${why}`, allowed: 'a readable YAML (.yaml, .yml) or JSON (.json) file' }]);
  }
  const raw = parseSpecText(file, text);
  const set = applyOverrides(file, raw, overrides);
  return validateSpec(raw, file, set);
}

/**
 * A spec given as a file path or as an object (labelled `<spec object>` in errors),
 * with `--set`-style overrides and, if given, the master seed overriding the spec's
 * (as `--seed` does); validated.
 */
export function resolveSpec(spec: string | unknown, set: readonly string[] = [], seed?: string | number): Spec {
  const overrides = seed !== undefined ? [...set, `seed=${seed}`] : set;
  if (typeof spec === 'string') return loadSpec(spec, overrides);
  const raw = structuredClone(spec);
  return validateSpec(raw, '<spec object>', applyOverrides('<spec object>', raw, overrides));
}

/** Parses YAML (JSON is YAML too); a syntax error names the line and column. */
export function parseSpecText(file: string, text: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new SpecError(file, [
      { field: '', message: `malformed YAML${at}: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, allowed: 'a YAML or JSON mapping of spec fields' },
    ]);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new SpecError(file, [{ field: '', message: `malformed YAML: ${(e as Error).message.split('\n')[0]}`, allowed: 'a YAML or JSON mapping of spec fields' }]);
  }
}

/** Applies `path=value` overrides (value parsed as YAML: numbers, booleans, lists). Returns the paths set. */
export function applyOverrides(file: string, raw: unknown, overrides: readonly string[]): Set<string> {
  const set = new Set<string>();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return set;
  for (const o of overrides) {
    const eq = o.indexOf('=');
    const path = eq > 0 ? o.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(path)) {
      throw new SpecError(file, [
        { field: '', message: `--set "${o}" is not of the form path=value`, allowed: 'path=value, e.g. --set params.r=2.5 or --set rounds=200' },
      ]);
    }
    let value: unknown;
    try {
      value = YAML.parse(o.slice(eq + 1));
    } catch {
      value = o.slice(eq + 1);
    }
    const keys = path.split('.');
    let node = raw as Json;
    for (const k of keys.slice(0, -1)) {
      if (node[k] === undefined) node[k] = {};
      if (node[k] === null || typeof node[k] !== 'object' || Array.isArray(node[k])) {
        throw new SpecError(file, [{ field: path, message: `--set "${o}": "${k}" is not a mapping` }]);
      }
      node = node[k] as Json;
    }
    node[keys[keys.length - 1]] = value;
    set.add(path);
  }
  return set;
}

/** Validates a parsed spec: its shape, then the model's parameters, then the metrics it names. */
export function validateSpec(raw: unknown, file: string, set: ReadonlySet<string> = new Set()): Spec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(file, [
      { field: '', message: `expected a mapping of spec fields, got ${describeValue(raw)}`, allowed: `a mapping with ${keysOf(specSchema).join(', ')}` },
    ]);
  }
  const shape = specSchema.safeParse(raw);
  if (!shape.success) throw new SpecError(file, problemsFrom(shape.error.issues, specSchema, raw, [], set));
  const spec = shape.data;

  const model = findModel(spec.model);
  if (!model) {
    const hint = closest(spec.model, models.map((m) => m.name));
    throw new SpecError(file, [
      {
        field: 'model',
        message: `unknown model ${JSON.stringify(spec.model)}${hint ? ` (did you mean "${hint}"?)` : ''}${mark('model', set)}`,
        allowed: models.map((m) => m.name).join(', '),
      },
    ]);
  }
  // a state table the spec names is read here, before the model checks the rows
  let rawParams = spec.params;
  let table: StateTable | undefined;
  const problems: SpecProblem[] = [];
  const columns = tableColumns(model.params);
  const states = rawParams.states as Json | undefined;
  const hasRows = isMapping(states) && (typeof states.table === 'string' || Array.isArray(states.rows));
  const keys = columns && hasRows ? keyNames(model, rawParams, columns) : new Map<string, readonly string[] | null>();
  if (columns && isMapping(states) && typeof states.table === 'string' && states.rows === undefined) {
    const read = readStateTable(file, states.table, 'params.states.table', columns, keys);
    table = read.table;
    rawParams = { ...rawParams, states: { ...states, rows: read.rows } };
    problems.push(...read.problems);
  }
  const params = model.params.safeParse(rawParams);
  if (!params.success) {
    for (const issue of params.error.issues) {
      const found = problemsFrom([issue], model.params, rawParams, ['params'], set);
      const [p0, p1, i, ...rest] = issue.path;
      if (columns && p0 === 'states' && p1 === 'rows' && typeof i === 'number') {
        const row = (rawParams.states as { rows: unknown[] }).rows[i];
        if (table) found.forEach((p) => problems.push(relocate(table, i, rest, p, row)));
        else found.forEach((p) => problems.push(rest.length === 0 ? inlineRoleProblem(p.field, row, p) : p));
      } else {
        problems.push(...found);
      }
    }
  } else if (columns && !table) {
    const rows = ((params.data as Json).states as Json | undefined)?.rows;
    if (Array.isArray(rows)) problems.push(...checkInlineRows(rows as Json[], keys, 'params.states.rows'));
  }
  if (problems.length) {
    const t = table;
    const inTable = t !== undefined && problems.some((p) => p.file === t.file);
    throw new SpecError(file, t ? capped(byLine(problems, t), t) : problems, inTable ? tableNote(t) : undefined);
  }
  const out: Spec = { ...spec, params: params.data as Record<string, unknown> };

  if (spec.metrics) {
    const known = metricNames(model, out.params);
    const problems: SpecProblem[] = [];
    spec.metrics.forEach((m, i) => {
      if (!known.includes(m)) {
        const hint = closest(m, known);
        problems.push({
          field: `metrics.${i}`,
          message: `unknown metric ${JSON.stringify(m)} for model ${model.name}${hint ? ` (did you mean "${hint}"?)` : ''}`,
          allowed: known.join(', '),
        });
      }
    });
    if (problems.length) throw new SpecError(file, problems);
  }
  return out;
}

const columnsCache = new WeakMap<z.ZodType, TableColumns | null>();

/** The columns of a state table, if the model's parameters take one (`states.rows`): its row schema's fields (cached per schema). */
function tableColumns(schema: z.ZodType): TableColumns | undefined {
  if (!columnsCache.has(schema)) columnsCache.set(schema, findTableColumns(schema) ?? null);
  return columnsCache.get(schema) ?? undefined;
}

function findTableColumns(schema: z.ZodType): TableColumns | undefined {
  const row = nodeAt(jsonSchemaOf(schema), ['states', 'rows', 0], undefined);
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

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

/** A small mapping in full (and its sum when the rule is about one); anything else as describeValue. */
function describeShort(v: unknown, rule: string): string {
  if (!isMapping(v)) return describeValue(v);
  const text = `{${Object.entries(v).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join(', ')}}`;
  if (text.length > 120) return describeValue(v);
  const nums = Object.values(v);
  const sum = /\bsum/.test(rule) && nums.length > 0 && nums.every((x) => typeof x === 'number') ? (nums as number[]).reduce((a, b) => a + b, 0) : undefined;
  return `${text}${sum !== undefined ? ` (sum ${Number(sum.toPrecision(12))})` : ''}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
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

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
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

function problemsFrom(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  value: unknown,
  prefix: readonly string[],
  set: ReadonlySet<string>,
): SpecProblem[] {
  const root = jsonSchemaOf(schema);
  const problems: SpecProblem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const field = [...prefix, ...path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(pickBranch(nodeAt(root, path, value), valueAt(value, path))?.properties ?? {});
      for (const key of issue.keys) {
        const hint = closest(key, known);
        const f = [field, key].filter(Boolean).join('.');
        problems.push({
          field: f,
          message: `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ''}${mark(f, set)}`,
          allowed: known.length ? known.join(', ') : undefined,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && path.length > 0) {
      // a discriminated union (the protocol) with an unknown discriminator
      const at = String(path[path.length - 1]) === 'rule' ? path.slice(0, -1) : path;
      const v = valueAt(value, at) as Json | undefined;
      if (v && typeof v === 'object' && 'rule' in v) {
        const f = [...prefix, ...at.map(String), 'rule'].join('.');
        problems.push({ field: f, message: `got ${describeValue(v.rule)}${mark(f, set)}`, allowed: allowedText(nodeAt(root, at, undefined)) });
        continue;
      }
    }
    const given = valueAt(value, path);
    const node = nodeAt(root, path, value);
    // a rule across fields (a refine: "shares must sum to 1") shows the fields it read
    const got = given === undefined ? 'missing' : `got ${issue.code === 'custom' ? describeShort(given, issue.message) : describeValue(given)}`;
    const detail = issue.code === 'custom' || issue.code === 'invalid_format' ? `: ${issue.message}` : '';
    // a refine may say what it allows: ctx.addIssue({ code: 'custom', ..., params: { allowed: '...' } })
    const ruleAllows = issue.code === 'custom' && typeof issue.params?.allowed === 'string' ? (issue.params.allowed as string) : undefined;
    problems.push({ field, message: `${got}${detail}${mark(field, set)}`, allowed: ruleAllows ?? allowedText(node) ?? issue.message });
  }
  return problems;
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
