// `migov models [name]`: the models, their strategies, parameters (defaults and ranges) and metrics.
import type { Command } from 'commander';
import { z } from 'zod';
import { findModel, models } from '../../models/index.ts';
import type { AnyModel } from '../engine/model.ts';
import { closest, SpecError } from '../experiment/errors.ts';
import { metricNames } from '../engine/simulate.ts';
import { formatTable } from './table.ts';

type Prop = { type?: string; default?: unknown; minimum?: number; maximum?: number; enum?: unknown[]; description?: string; properties?: Record<string, Prop> };

export function register(program: Command): void {
  program
    .command('models')
    .description('list the models with their strategies, parameters (defaults and allowed ranges) and metrics')
    .argument('[name]', 'show one model only')
    .action((name: string | undefined) => {
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
    });
}

export function describeModel(m: AnyModel): string {
  const schema = z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Prop> };
  const defaults = m.params.parse({}) as object;
  const layout = m.layout(defaults);
  const rows = Object.entries(schema.properties ?? {}).map(([key, p]) => [key, show(p.default), allowed(p), p.description ?? '']);
  return [
    `${m.name}: ${m.title}`,
    `  ${m.description}`,
    `  games: ${layout.games.join(', ')}; strategies: ${layout.strategies.join(', ')}`,
    '',
    indent(formatTable(['parameter', 'default', 'allowed', 'meaning'], rows, [1, 2, 3])),
    '',
    `  metrics: ${metricNames(m, defaults).join(', ')}`,
    ...m.references.map((r) => `  ref: ${r}`),
  ].join('\n');
}

function show(v: unknown): string {
  return v === undefined ? '(required)' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function allowed(p: Prop): string {
  if (p.enum) return p.enum.map(String).join(' | ');
  if (p.type === 'object') return `shares of ${Object.keys(p.properties ?? {}).join(', ')}`;
  const lo = p.minimum ?? '';
  const hi = p.maximum ?? '';
  const kind = p.type === 'integer' ? 'integer ' : p.type === 'boolean' ? 'true | false' : '';
  return `${kind}${lo !== '' || hi !== '' ? `${lo}..${hi}` : ''}`.trim() || (p.type ?? '');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
