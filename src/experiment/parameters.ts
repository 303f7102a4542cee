// What a swept parameter is, in the words of the schema that defines it: the model's
// parameter schema for `params.*`, the spec schema for `protocol.*` and the rest. A
// field's `.meta({ title, unit })` gives its short label and unit, its `.describe()`
// text its meaning; a sweep's manifest records them so that charts title their axes
// with the model's own words and never keep a table of units or parse names.
import { z } from 'zod';
import { findModel } from '../../models/index.ts';
import type { Spec } from './schema.ts';
import { PROTOCOL_FACTOR, specSchema } from './schema.ts';

// not load.ts's modelOf: this module stays free of node:fs, so the browser demo labels its controls with it
function modelOf(spec: Spec): { readonly params: z.ZodType } {
  const m = findModel(spec.model);
  if (!m) throw new Error(`unknown model ${spec.model}`);
  return m;
}

/** A swept parameter in words: a short label for axes, its unit if declared, and the schema's description. */
export interface ParameterInfo {
  readonly label: string;
  readonly unit?: string;
  readonly description?: string;
}

/** Dotted path (e.g. `params.N`, `protocol.temperature`) -> its words. */
export type ParameterInfos = Readonly<Record<string, ParameterInfo>>;

type Def = {
  type?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
};

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Metadata of a field: the registry's entries on it and on what it wraps, the outermost first. */
function metaOf(schema: z.ZodType | undefined): { title?: string; unit?: string; description?: string } {
  const out: { title?: string; unit?: string; description?: string } = {};
  let node = schema;
  for (let i = 0; node && i < 16; i++) {
    const m = (z.globalRegistry.get(node) ?? {}) as Record<string, unknown>;
    for (const k of ['title', 'unit', 'description'] as const) if (out[k] === undefined && typeof m[k] === 'string' && m[k] !== '') out[k] = m[k];
    node = step(node, undefined);
  }
  return out;
}

/** One unwrapping step (optional, default, pipe, a discriminated union's branch for `value`), or undefined. */
function step(node: z.ZodType, value: unknown): z.ZodType | undefined {
  const def = node._zod.def as Def;
  if (def.innerType && WRAPPERS.has(def.type ?? '')) return def.innerType;
  if (def.type === 'pipe' && def.in) return def.in;
  if (def.type === 'union' && def.options) {
    const key = def.discriminator;
    const wanted = key && value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return def.options.find((o) => {
      const shape = (unwrapAll(o, undefined)?._zod.def as Def | undefined)?.shape;
      const lit = shape && key ? (shape[key]?._zod.def as { values?: unknown[] } | undefined)?.values : undefined;
      return lit?.includes(wanted);
    });
  }
  return undefined;
}

function unwrapAll(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let node = schema;
  for (let i = 0; node && i < 16; i++) {
    const next = step(node, value);
    if (!next) break;
    node = next;
  }
  return node;
}

/**
 * The words for one dotted path of a validated spec, from the schema that defines the
 * field: its meta title (or else its description, or else its key) as the label, its
 * meta unit, its description. A list item with a `name` in the spec (an issue area)
 * adds "of <name>" to the label.
 */
export function parameterInfo(spec: Spec, path: string, model: { readonly params: z.ZodType } = modelOf(spec)): ParameterInfo {
  // the protocol factor's values name whole protocols of sweep.protocols (schema.ts)
  if (path === PROTOCOL_FACTOR) return { label: 'learning rule', description: 'the named protocol of sweep.protocols (a learning rule with its settings) that the design point runs' };
  const keys = path.split('.');
  let node: z.ZodType | undefined = specSchema;
  let value: unknown = spec;
  let field: z.ZodType | undefined;
  let of = '';
  for (const [i, key] of keys.entries()) {
    if (i === 1 && keys[0] === 'params') node = model.params;
    node = unwrapAll(node, value);
    const def = (node?._zod.def ?? {}) as Def;
    const item = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (i === 0 && key === 'params') {
      field = undefined;
      node = undefined;
    } else if (def.type === 'object') field = node = def.shape?.[key];
    else if (def.type === 'record') field = node = def.valueType;
    else if (def.type === 'array' && /^\d+$/.test(key)) {
      field = node = def.element;
      const name = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined;
      if (typeof name === 'string') of = ` of ${name}`;
    } else field = node = undefined;
    value = item;
  }
  const meta = metaOf(field);
  const leaf = keys[keys.length - 1];
  const label = `${meta.title ?? meta.description ?? leaf}${of}`;
  return { label, ...(meta.unit ? { unit: meta.unit } : {}), ...(meta.description ? { description: meta.description } : {}) };
}

/** The words for each of a sweep's swept paths (for its manifest). */
export function parameterInfos(spec: Spec, paths: readonly string[], model: { readonly params: z.ZodType } = modelOf(spec)): ParameterInfos {
  return Object.fromEntries(paths.map((p) => [p, parameterInfo(spec, p, model)]));
}
