// The demo's settings: one plain object that the URL hash carries, that the worker
// turns into (model, params, protocol, seed) exactly as `migov run` would, and that
// downloads as an experiment spec. Browser-safe: imports the engine and models only.
import { canonicalJson, runIdentity, runSeed } from '../engine/rng.ts';
import type { AnyModel } from '../engine/model.ts';
import type { Protocol } from '../engine/protocol.ts';
import { findModel, models } from '../../models/index.ts';
import { BETTS_ISSUE_AREAS } from '../../models/migration-governance.ts';
import { DEFAULT_BUDGET, populationOf } from '../experiment/budget.ts';
import { modelOf, validateSpec } from '../experiment/validate.ts';
import { planSweep, type SweepPlan } from '../sweep/plan.ts';

export interface AreaSettings {
  excludability: number;
  rivalry: number;
  reach: number;
}

export interface Settings {
  model: string;
  seed: number;
  rule: 'logit' | 'fermi';
  /** logit temperature or Fermi selection intensity */
  noise: number;
  revisionRate: number;
  /** rounds per second while playing */
  speed: number;
  /** migration-governance */
  N: number;
  regions: number;
  areas: AreaSettings[];
  minimumParticipation: number;
  norms: number;
  facilitation: number;
  linkage: number;
  sidePayments: number;
  /** round at which a refugee crisis hits region 0 (-1: none) */
  crisisStart: number;
  /** round at which a nationalist turn starts (-1: none) */
  nationalismStart: number;
  /** the issue area the board shows */
  boardArea: number;
  /** the textbook games' parameters, as JSON (their schema's defaults unless edited) */
  other: string;
}

export const MIGRATION = 'migration-governance';
/**
 * The most agents the demo runs: the board draws one cell per agent and the page
 * steps every round in a worker (`migov run` takes larger populations, within its
 * budgets; see README, "Budgets").
 */
export const DEMO_MAX_AGENTS = 5000;
export const CRISIS_DURATION = 50;
export const NATIONALISM_DURATION = 50;
/** the nationalism shock's sovereignty-sensitivity multiplier */
export const NATIONALISM_FACTOR = 2;

/** The migration model's own defaults (its parameter schema's), so that the demo repeats none of them. */
const MODEL_DEFAULTS = (findModel(MIGRATION) ?? models[0]).params.parse({}) as {
  states: { N: number; regions: number };
  issueAreas: { excludability: number; rivalry: number; reach: number }[];
  mechanisms: { minimumParticipation: number; norms: number; facilitation: number; linkage: number; sidePayments: number };
};

/**
 * The page's opening settings: the migration model at its schema's defaults (the
 * first lesson, src/demo/lessons.ts), with the demo's own learning rule (logit best
 * response with a little noise, a fifth of states revising each round, so that a class
 * sees the levels settle within a minute).
 */
export const DEFAULTS: Settings = {
  model: MIGRATION,
  seed: 2,
  rule: 'logit',
  noise: 0.1,
  revisionRate: 0.2,
  speed: 20,
  N: MODEL_DEFAULTS.states.N,
  regions: MODEL_DEFAULTS.states.regions,
  areas: MODEL_DEFAULTS.issueAreas.map((a) => ({ excludability: a.excludability, rivalry: a.rivalry, reach: a.reach })),
  minimumParticipation: MODEL_DEFAULTS.mechanisms.minimumParticipation,
  norms: MODEL_DEFAULTS.mechanisms.norms,
  facilitation: MODEL_DEFAULTS.mechanisms.facilitation,
  linkage: MODEL_DEFAULTS.mechanisms.linkage,
  sidePayments: MODEL_DEFAULTS.mechanisms.sidePayments,
  crisisStart: -1,
  nationalismStart: -1,
  boardArea: 0,
  other: '{}',
};

const clamp = (x: unknown, lo: number, hi: number, d: number): number =>
  typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : d;

/** Settings from untrusted input (a URL hash): unknown fields dropped, numbers clamped to their ranges. */
export function sanitize(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULTS;
  const areas = Array.isArray(r.areas) && r.areas.length === d.areas.length ? r.areas : d.areas;
  return {
    model: typeof r.model === 'string' && findModel(r.model) ? r.model : d.model,
    seed: Math.round(clamp(r.seed, 0, 1e9, d.seed)),
    rule: r.rule === 'fermi' ? 'fermi' : 'logit',
    noise: clamp(r.noise, 0, 1000, d.noise),
    revisionRate: clamp(r.revisionRate, 0.01, 1, d.revisionRate),
    speed: clamp(r.speed, 1, 200, d.speed),
    N: Math.round(clamp(r.N, 2, 2000, d.N)),
    regions: Math.round(clamp(r.regions, 1, 20, d.regions)),
    areas: areas.map((a: unknown, i: number) => {
      const o = (a && typeof a === 'object' ? a : {}) as Record<string, unknown>;
      return {
        excludability: clamp(o.excludability, 0, 1, d.areas[i].excludability),
        rivalry: clamp(o.rivalry, 0, 1, d.areas[i].rivalry),
        reach: clamp(o.reach, 0, 1, d.areas[i].reach),
      };
    }),
    minimumParticipation: clamp(r.minimumParticipation, 0, 1, d.minimumParticipation),
    norms: clamp(r.norms, 0, 1, d.norms),
    facilitation: clamp(r.facilitation, 0, 1, d.facilitation),
    linkage: clamp(r.linkage, 0, 1, d.linkage),
    sidePayments: clamp(r.sidePayments, 0, 100, d.sidePayments),
    crisisStart: Math.round(clamp(r.crisisStart, -1, 1e6, d.crisisStart)),
    nationalismStart: Math.round(clamp(r.nationalismStart, -1, 1e6, d.nationalismStart)),
    boardArea: Math.round(clamp(r.boardArea, 0, d.areas.length - 1, d.boardArea)),
    other: typeof r.other === 'string' ? r.other : d.other,
  };
}

export function toHash(s: Settings): string {
  return `#${encodeURIComponent(JSON.stringify(s))}`;
}

export function fromHash(hash: string): Settings {
  const text = hash.replace(/^#/, '');
  if (text === '') return structuredClone(DEFAULTS);
  try {
    return sanitize(JSON.parse(decodeURIComponent(text)));
  } catch {
    return structuredClone(DEFAULTS);
  }
}

export interface RunSetup {
  model: AnyModel;
  params: Record<string, unknown>;
  protocol: Protocol;
  /** the run's seed, derived as `migov run` derives replication 0's */
  seed: string;
}

/** The model parameters as a spec would write them (before the schema fills in defaults). */
export function specParams(s: Settings): Record<string, unknown> {
  if (s.model !== MIGRATION) {
    const parsed: unknown = JSON.parse(s.other || '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('parameters must be a JSON object');
    return parsed as Record<string, unknown>;
  }
  return {
    states: { N: s.N, regions: s.regions },
    issueAreas: BETTS_ISSUE_AREAS.map((a, i) => ({ ...a, ...s.areas[i] })),
    mechanisms: {
      minimumParticipation: s.minimumParticipation,
      norms: s.norms,
      facilitation: s.facilitation,
      linkage: s.linkage,
      sidePayments: s.sidePayments,
      ...(s.crisisStart >= 0 ? { crisis: { issueArea: 'refugee', region: 0, start: s.crisisStart, duration: CRISIS_DURATION } } : {}),
      ...(s.nationalismStart >= 0 ? { nationalism: { start: s.nationalismStart, duration: NATIONALISM_DURATION, factor: NATIONALISM_FACTOR } } : {}),
    },
  };
}

export function protocolOf(s: Settings): Protocol {
  const base = { revisionRate: s.revisionRate, mutation: 0, updating: 'async' as const };
  return s.rule === 'logit' ? { rule: 'logit', temperature: s.noise, ...base } : { rule: 'fermi', selectionIntensity: s.noise, ...base };
}

/**
 * Throws with the schema's message when the settings make invalid parameters. The
 * seed is `migov run`'s (and `migov sweep`'s) for that replication:
 * runSeed(master, {model, params, protocol} after defaults, replication).
 */
export function setup(s: Settings, replication = 0): RunSetup {
  // validated as `migov run` validates the spec the page offers for download (src/experiment/validate.ts)
  const spec = validateSpec(specOf(s, 1), "the demo's settings");
  const model = modelOf(spec);
  const params = spec.params;
  const { size, field } = populationOf(model, params);
  if (!(size <= DEMO_MAX_AGENTS)) {
    throw new Error(
      `${field.replace(/^params\./, '')} = ${size.toLocaleString('en-US')}: the demo runs at most ${DEMO_MAX_AGENTS.toLocaleString('en-US')} agents (it draws one board cell each); download the spec and run it with \`migov run\``,
    );
  }
  const protocol = spec.protocol as Protocol;
  return { model, params, protocol, seed: runSeed(s.seed, runIdentity(model.name, params, protocol), replication) };
}

/** An experiment spec (JSON, valid for `migov run`) with one replication of these settings. */
export function toSpec(s: Settings, rounds: number): string {
  return `${JSON.stringify(specOf(s, rounds), null, 2)}\n`;
}

/** The experiment spec of these settings, as an object (one replication, every round recorded). */
export function specOf(s: Settings, rounds: number): Record<string, unknown> {
  return {
    name: `demo-${s.model}`,
    description: 'settings exported from the migov teaching demo',
    model: s.model,
    params: specParams(s),
    protocol: protocolOf(s),
    rounds: Math.max(1, rounds),
    recordEvery: 1,
    replications: 1,
    seed: s.seed,
  };
}

/** The phase-diagram tab's sweep: refugee excludability (x) by rivalry (y) on [0, 1]. */
export interface PhaseGrid {
  nx: number;
  ny: number;
  replications: number;
  rounds: number;
}

export const PHASE_X = 'params.issueAreas.0.excludability';
export const PHASE_Y = 'params.issueAreas.0.rivalry';

/** n evenly spaced values on [0, 1], snapped to 12 significant digits (as the sweep's grid design does). */
export function phaseValues(n: number): number[] {
  return n <= 1 ? [0] : Array.from({ length: n }, (_, i) => Number((i / (n - 1)).toPrecision(12)));
}

/**
 * Why the phase diagram would cost too much, measured as `migov sweep` measures it
 * (states x rounds x runs against the default decisions budget), or null when it may run.
 */
export function phaseProblem(s: Settings, g: PhaseGrid): string | null {
  const runs = g.nx * g.ny * g.replications;
  const decisions = s.N * g.rounds * runs;
  if (decisions <= DEFAULT_BUDGET.decisions) return null;
  return `Phase diagram: ${s.N.toLocaleString('en-US')} states x ${g.rounds.toLocaleString('en-US')} rounds x ${runs.toLocaleString('en-US')} runs = ${decisions.toExponential(2)} decisions, above the budget of ${DEFAULT_BUDGET.decisions.toExponential(0)}; use fewer steps, replications, rounds or states, or download the sweep spec and run it with \`migov sweep --allow-large\``;
}

/** The phase diagram as a `migov sweep` spec: a grid over the two parameters with the values listed, `replications` runs a point. */
export function phaseSpecOf(s: Settings, g: PhaseGrid): Record<string, unknown> {
  const base = JSON.parse(toSpec({ ...s, model: MIGRATION }, g.rounds)) as Record<string, unknown>;
  return {
    ...base,
    name: 'demo-phase',
    description: 'phase diagram exported from the migov teaching demo: refugee excludability x rivalry',
    recordEvery: Math.max(1, g.rounds),
    replications: g.replications,
    sweep: {
      design: 'grid',
      factors: [
        { path: PHASE_X, values: phaseValues(g.nx) },
        { path: PHASE_Y, values: phaseValues(g.ny) },
      ],
    },
  };
}

/** The sweep spec the page offers for download (JSON, valid for `migov sweep`). */
export function toPhaseSpec(s: Settings, g: PhaseGrid): string {
  return `${JSON.stringify(phaseSpecOf(s, g), null, 2)}\n`;
}

/**
 * The phase diagram's runs: its sweep spec validated and planned by the code `migov
 * sweep` plans with (src/sweep/plan.ts), so that each run's parameters, protocol and
 * seed are the sweep's. Too many agents for the page is an Error, as for a live run.
 */
export function phasePlan(s: Settings, g: PhaseGrid): SweepPlan {
  setup({ ...s, model: MIGRATION });
  const file = "the demo's phase diagram";
  return planSweep(validateSpec(phaseSpecOf(s, g), file), file);
}

/** A stable text of the settings (for tests and the page's data attributes). */
export function settingsKey(s: Settings): string {
  return canonicalJson(s);
}
