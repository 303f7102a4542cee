// The demo's sliders, generated from the schemas: each names the spec path it sets
// (as `migov run --set` would), and takes its label, unit and meaning from the
// model's parameter schema (`.meta({ title, unit })`, `.describe()`) through
// src/experiment/parameters.ts, the words sweep charts use, and its range from the
// same schema. The demo adds only where a slider stops inside a wide range (a board
// of at most 400 states; side payments up to 2) and its step. Browser-safe.
import { z } from 'zod';
import { findModel } from '../../models/index.ts';
import { parameterInfo } from '../experiment/parameters.ts';
import { protocolSchema, type Spec } from '../experiment/schema.ts';
import { MIGRATION, type Settings, protocolOf, specParams } from './settings.ts';

export interface ControlDef {
  id: string;
  /** the spec path the slider sets */
  path: string;
  /** the group (a collapsible box) it sits in */
  group: string;
  get(s: Settings): number;
  set(s: Settings, v: number): void;
  step: number;
  /** where the slider stops inside the schema's range (the demo's board and speed) */
  cap?: { min?: number; max?: number };
}

export interface Control extends ControlDef {
  label: string;
  unit?: string;
  description?: string;
  min: number;
  max: number;
}

const AREA_FIELDS = ['excludability', 'rivalry', 'reach'] as const;

function migrationDefs(areas: readonly string[]): ControlDef[] {
  const mech = (key: 'minimumParticipation' | 'norms' | 'facilitation' | 'linkage' | 'sidePayments', cap?: ControlDef['cap']): ControlDef => ({
    id: `c-${key}`,
    path: `params.mechanisms.${key}`,
    group: 'What helps or hinders cooperation',
    get: (s) => s[key],
    set: (s, v) => {
      s[key] = v;
    },
    step: 0.05,
    cap,
  });
  return [
    { id: 'c-N', path: 'params.states.N', group: 'States', get: (s) => s.N, set: (s, v) => void (s.N = v), step: 10, cap: { min: 10, max: 400 } },
    { id: 'c-regions', path: 'params.states.regions', group: 'States', get: (s) => s.regions, set: (s, v) => void (s.regions = v), step: 1, cap: { max: 10 } },
    ...areas.flatMap((area, i) =>
      AREA_FIELDS.map(
        (f): ControlDef => ({
          id: `c-${f}-${i}`,
          path: `params.issueAreas.${i}.${f}`,
          group: `Issue area: ${area}`,
          get: (s) => s.areas[i][f],
          set: (s, v) => void (s.areas[i][f] = v),
          step: 0.05,
        }),
      ),
    ),
    mech('minimumParticipation'),
    mech('norms'),
    mech('facilitation'),
    mech('linkage'),
    mech('sidePayments', { max: 2 }),
  ];
}

function learningDefs(s: Settings): ControlDef[] {
  return [
    {
      id: 'c-noise',
      path: s.rule === 'logit' ? 'protocol.temperature' : 'protocol.selectionIntensity',
      group: 'Run',
      get: (x) => x.noise,
      set: (x, v) => void (x.noise = v),
      step: 0.01,
      cap: { max: 5 },
    },
    { id: 'c-rate', path: 'protocol.revisionRate', group: 'Run', get: (x) => x.revisionRate, set: (x, v) => void (x.revisionRate = v), step: 0.05, cap: { min: 0.05 } },
  ];
}

type JsonNode = { properties?: Record<string, JsonNode>; items?: JsonNode; oneOf?: JsonNode[]; anyOf?: JsonNode[]; minimum?: number; maximum?: number; exclusiveMinimum?: number };

const jsonCache = new Map<z.ZodType, JsonNode>();
function json(schema: z.ZodType): JsonNode {
  let j = jsonCache.get(schema);
  if (!j) {
    j = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
    jsonCache.set(schema, j);
  }
  return j;
}

/** The schema's bounds of a field (a list position steps into its items; a union, into the branch that has the field). */
function bounds(root: JsonNode, keys: readonly string[]): { min?: number; max?: number } {
  let node: JsonNode | undefined = root;
  for (const k of keys) {
    if (!node) break;
    const branches: JsonNode[] = node.oneOf ?? node.anyOf ?? [node];
    const has = branches.find((b) => (/^\d+$/.test(k) ? b.items : b.properties?.[k]));
    node = /^\d+$/.test(k) ? has?.items : has?.properties?.[k];
  }
  return { min: node?.minimum ?? node?.exclusiveMinimum, max: node?.maximum };
}

/** The sliders for these settings, each with its words and range from the schemas. */
export function controlsFor(s: Settings): Control[] {
  const model = findModel(s.model);
  if (!model) return [];
  const spec = { model: s.model, params: s.model === MIGRATION ? specParams(s) : {}, protocol: protocolOf(s) } as unknown as Spec;
  const areas = s.model === MIGRATION ? (specParams(s).issueAreas as { name: string }[]).map((a) => a.name) : [];
  const defs = [...learningDefs(s), ...(s.model === MIGRATION ? migrationDefs(areas) : [])];
  return defs.map((d) => {
    const info = parameterInfo(spec, d.path, model);
    const keys = d.path.split('.');
    const b = keys[0] === 'params' ? bounds(json(model.params), keys.slice(1)) : bounds(json(protocolSchema), keys.slice(1));
    const min = Math.max(b.min ?? 0, d.cap?.min ?? -Infinity);
    const max = Math.min(b.max ?? 1, d.cap?.max ?? Infinity);
    return { ...d, label: info.label, unit: info.unit, description: info.description, min, max };
  });
}

/** A number field of a model without sliders of its own (the textbook games, migration-flows): a top-level numeric parameter. */
export interface NumberField {
  id: string;
  key: string;
  label: string;
  unit?: string;
  description?: string;
  min?: number;
  max?: number;
  integer: boolean;
}

/** The top-level numeric parameters of a model, in its schema's words and bounds (set in the spec's params, i.e. the page's JSON box). */
export function numberFields(modelName: string): NumberField[] {
  const model = findModel(modelName);
  if (!model || modelName === MIGRATION) return [];
  const root = json(model.params) as JsonNode & { properties?: Record<string, JsonNode & { type?: string }> };
  const spec = { model: modelName, params: {} } as unknown as Spec;
  return Object.entries(root.properties ?? {})
    .filter(([, node]) => node.type === 'number' || node.type === 'integer')
    .map(([key, node]) => {
      const info = parameterInfo(spec, `params.${key}`, model);
      return { id: `c-p-${key}`, key, label: info.label, unit: info.unit, description: info.description, min: node.minimum ?? node.exclusiveMinimum, max: node.maximum, integer: node.type === 'integer' };
    });
}
