// What `migov models` prints: the models, their strategies, parameters (defaults and
// ranges) and metrics (its options and help are in ../models.ts, which loads this
// module, and with it every model, only when the command runs).
import { z } from 'zod';
import { findModel, models } from '../../../models/index.ts';
import { type AnyModel, DIMENSIONS, type MetricDimensions, outcomeDeclarations, type Term } from '../../engine/model.ts';
import { closest, SpecError } from '../../experiment/errors.ts';
import { formatTable } from '../table.ts';

type Prop = {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  description?: string;
  /** the field's unit, from its .meta({ unit }) (the axis title of a sweep over it) */
  unit?: string;
  properties?: Record<string, Prop>;
  items?: Prop;
  anyOf?: Prop[];
  required?: string[];
};

export function modelsCommand(name: string | undefined): void {
  let list: readonly AnyModel[] = models;
  if (name !== undefined) {
    const m = findModel(name);
    if (!m) {
      const hint = closest(name, models.map((x) => x.name));
      throw new SpecError('migov models', [{ field: 'name', message: `unknown model ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ''}`, allowed: models.map((x) => x.name).join(', ') }]);
    }
    list = [m];
  }
  console.log(list.map(describeModel).join('\n\n'));
}

export function describeModel(m: AnyModel): string {
  const schema = z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Prop> };
  const defaults = m.params.parse({}) as object;
  const layout = m.layout(defaults);
  const rows = flatten(schema.properties ?? {}, '', (schema as { required?: string[] }).required ?? []);
  // what each metric means, from the model's declarations (at the default parameters)
  const outcomes = outcomeDeclarations(m, defaults);
  const vocab = outcomes.vocabularies;
  const words = (label: string, terms: readonly Term[] | undefined) => (terms && terms.length > 0 ? [`${label}: ${terms.map((t) => t.label).join(', ')}`] : []);
  const dims = (d: MetricDimensions | undefined) => DIMENSIONS.filter((k) => d?.[k] !== undefined).map((k) => `${k}=${d![k]}`).join(' ');
  return [
    `${m.name}: ${m.title}`,
    `  ${m.description}`,
    `  games: ${layout.games.join(', ')}; strategies: ${layout.strategies.join(', ')}`,
    ...[...words('levels', vocab.levels), ...words('roles', vocab.roles), ...words('strategies', vocab.strategies)].map((l) => `  ${l}`),
    '',
    indent(formatTable(['parameter', 'default', 'allowed', 'unit', 'meaning'], rows, [1, 2, 3, 4])),
    '',
    indent(formatTable(['metric', 'kind', 'unit', 'dimensions', 'meaning'], outcomes.metrics.map((d) => [d.name, d.kind, d.unit, dims(d.dimensions), d.description]), [1, 2, 3, 4])),
    ...m.references.map((r) => `  ref: ${r}`),
  ].join('\n');
}

/**
 * One row per parameter; nested groups (whose fields have their own defaults) and
 * lists of records are opened up as `group.field` and `list[].field`.
 */
function flatten(props: Record<string, Prop>, prefix: string, required: readonly string[] = []): string[][] {
  const rows: string[][] = [];
  for (const [key, raw] of Object.entries(props)) {
    const p = raw.anyOf?.find((b) => b.type !== 'null') ?? raw;
    const name = `${prefix}${key}`;
    const fields = p.properties ? Object.values(p.properties) : [];
    if (p.type === 'object' && fields.some((f) => f.default !== undefined || f.type === 'object')) {
      if (p.description) rows.push([name, '', '', '', p.description]);
      for (const row of flatten(p.properties ?? {}, `${name}.`, p.required)) rows.push(row);
    } else if (p.type === 'array' && p.items?.properties) {
      const names = Array.isArray(p.default) ? (p.default as { name?: string }[]).map((x) => x.name).filter(Boolean) : [];
      rows.push([`${name}[]`, names.length ? names.join(', ') : show(p.default, required.includes(key)), 'list', '', p.description ?? '']);
      for (const row of flatten(p.items.properties, `${name}[].`, p.items.required)) rows.push(row);
    } else {
      rows.push([name, show(p.default, required.includes(key)), allowed(p), p.unit ?? '', p.description ?? '']);
    }
  }
  return rows;
}

function show(v: unknown, required = true): string {
  return v === undefined ? (required ? '(required)' : '(optional)') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function allowed(p: Prop): string {
  if (p.enum) return p.enum.map(String).join(' | ');
  if (p.type === 'object') return p.properties ? `{${Object.keys(p.properties).join(', ')}}` : 'mapping';
  if (p.type === 'array') return 'list';
  const lo = p.minimum ?? (p.exclusiveMinimum !== undefined ? `>${p.exclusiveMinimum}` : '');
  const hi = p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER ? p.maximum : '';
  const kind = p.type === 'integer' ? 'integer ' : p.type === 'boolean' ? 'true | false' : '';
  return `${kind}${lo !== '' || hi !== '' ? `${lo}..${hi}` : ''}`.trim() || (p.type ?? '');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
