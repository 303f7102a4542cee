// A spec's `moves` (choices held by some states in some rounds, as a `migov
// classroom` session saves them) resolved to the engine's indices, with every
// problem named: the state, issue area or level that does not exist, a choice given
// twice for the same state, issue area and round. And a spec's `events` (a teacher's
// crisis) checked against the model's event schemas.
import type { AnyModel } from '../engine/model.ts';
import type { ForcedMove, RunEvent } from '../engine/simulate.ts';
import { SpecError, type SpecProblem } from './errors.ts';
import type { EventSpec, MoveSpec } from './schema.ts';

/** How many agents a model makes for these parameters: its populationSize, or params.Z. */
export function agentCount(model: AnyModel, params: Record<string, unknown>): number {
  const declared = model.populationSize?.(params);
  if (declared) return declared.size;
  return typeof params.Z === 'number' ? params.Z : 0;
}

/** The moves as ForcedMoves, or the problems (at most 20 listed) with their fields. */
export function resolveMoves(model: AnyModel, params: Record<string, unknown>, moves: readonly MoveSpec[]): { moves: ForcedMove[]; problems: SpecProblem[] } {
  const layout = model.layout(params);
  const n = agentCount(model, params);
  const problems: SpecProblem[] = [];
  const out: ForcedMove[] = [];
  const seen = new Set<string>();
  moves.forEach((m, i) => {
    if (problems.length >= 20) return;
    const field = `moves.${i}`;
    const game = layout.games.indexOf(m.area);
    const strategy = layout.strategies.indexOf(m.level);
    if (m.state >= n) problems.push({ field: `${field}.state`, message: `got ${m.state}; the spec has ${n} states`, allowed: `0 to ${n - 1}` });
    if (game < 0) problems.push({ field: `${field}.area`, message: `got ${JSON.stringify(m.area)}`, allowed: layout.games.join(', ') });
    if (strategy < 0) problems.push({ field: `${field}.level`, message: `got ${JSON.stringify(m.level)}`, allowed: layout.strategies.join(', ') });
    const key = `${m.round}/${m.state}/${m.area}`;
    if (seen.has(key)) problems.push({ field, message: `state ${m.state} has a second choice in ${m.area} in round ${m.round}`, allowed: 'one choice per state, issue area and round' });
    seen.add(key);
    if (game >= 0 && strategy >= 0 && m.state < n) out.push({ round: m.round, agent: m.state, game, strategy });
  });
  return { moves: out, problems };
}

/** resolveMoves, throwing a SpecError naming `file` on any problem; undefined when there are no moves. */
export function forcedMovesOf(file: string, model: AnyModel, params: Record<string, unknown>, moves: readonly MoveSpec[] | undefined): ForcedMove[] | undefined {
  if (!moves || moves.length === 0) return undefined;
  const r = resolveMoves(model, params, moves);
  if (r.problems.length > 0) throw new SpecError(file, r.problems);
  return r.moves;
}

/** A spec's `events` as the engine's RunEvents, each checked against its kind's schema for these parameters; or the problems (at most 20). */
export function resolveEvents(model: AnyModel, params: Record<string, unknown>, events: readonly EventSpec[]): { events: RunEvent[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const out: RunEvent[] = [];
  const kinds = Object.keys(model.events ?? {});
  events.forEach((e, i) => {
    if (problems.length >= 20) return;
    const field = `events.${i}`;
    const declared = model.events?.[e.kind];
    if (!declared) {
      problems.push({ field: `${field}.kind`, message: `got ${JSON.stringify(e.kind)}; model ${model.name} ${kinds.length ? `has the events ${kinds.join(', ')}` : 'has no events'}`, allowed: kinds.join(', ') || 'none' });
      return;
    }
    const { round, kind, ...fields } = e;
    const r = declared.schema(params).safeParse(fields);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push({ field: [field, ...issue.path.map(String)].join('.'), message: issue.message });
      return;
    }
    out.push({ round, kind, fields: r.data });
  });
  return { events: out, problems };
}

/** resolveEvents, throwing a SpecError naming `file` on any problem; undefined when there are no events. */
export function runEventsOf(file: string, model: AnyModel, params: Record<string, unknown>, events: readonly EventSpec[] | undefined): RunEvent[] | undefined {
  if (!events || events.length === 0) return undefined;
  const r = resolveEvents(model, params, events);
  if (r.problems.length > 0) throw new SpecError(file, r.problems);
  return r.events;
}
