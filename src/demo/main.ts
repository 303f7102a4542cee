/// <reference lib="dom" />
// The teaching demo's page: lessons with their Info panel, the run's controls (Play,
// Step, Reset, the shocks), the explanation line, the live charts (built by
// src/charts/live.ts and streamed with Vega changesets), the board of states, the
// sliders (generated from the schemas by controls.ts), shareable URLs and downloads.
// The simulation runs in a worker (worker.ts), whose source the build inlines as
// WORKER_SOURCE and starts from a Blob URL.
import { strategyScale } from '../charts/colors.ts';
import { liveLevelChart, liveProvisionChart, liveWelfareChart, LIVE_DATA, type LiveEvent, type LiveLayout, type LiveRow } from '../charts/live.ts';
import { termScale } from '../charts/outcomes.ts';
import { outcomeDeclarations, type Term } from '../engine/model.ts';
import { models } from '../../models/index.ts';
import type { Frame, FromWorker, ToWorker } from './protocol.ts';
import { controlsFor, numberFields, type Control, type NumberField } from './controls.ts';
import { applyLesson, DEFAULT_LESSON, LESSONS, lessonOf, type Lesson } from './lessons.ts';
import {
  CRISIS_DURATION,
  fromHash,
  MIGRATION,
  NATIONALISM_DURATION,
  NATIONALISM_FACTOR,
  PHASE_X,
  PHASE_Y,
  type PhaseGrid,
  phasePlan,
  phaseProblem,
  type Settings,
  setup,
  toHash,
  toPhaseSpec,
  toSpec,
} from './settings.ts';
import { maxOf } from '../engine/stats.ts';
import { csvLine } from '../sweep/csv.ts';
import type { RunTask, SweepPlan } from '../sweep/plan.ts';

declare const WORKER_SOURCE: string;

// The migration model's levels and roles, their labels and colours, and which metric
// is which: read from the model's outcome declarations (at its default parameters),
// never copied here.
const MIGRATION_OUTCOMES = (() => {
  const m = models.find((x) => x.name === MIGRATION)!;
  return outcomeDeclarations(m, m.params.parse({}) as object);
})();
const LEVEL_TERMS: readonly Term[] = MIGRATION_OUTCOMES.vocabularies.levels ?? [];
const ROLE_TERMS: readonly Term[] = MIGRATION_OUTCOMES.vocabularies.roles ?? [];
const LEVELS = LEVEL_TERMS.map((t) => t.id);
const levelTerm = (id: string): Term | undefined => LEVEL_TERMS.find((t) => t.id === id);
type Dims = { issueArea?: string; level?: string; role?: string };
/** The metric declared of `kind` with exactly these dimensions. */
function declared(kind: string, dims: Dims) {
  const same = (a?: string, b?: string) => (a ?? '') === (b ?? '');
  return MIGRATION_OUTCOMES.metrics.find((x) => x.kind === kind && same(x.dimensions?.issueArea, dims.issueArea) && same(x.dimensions?.level, dims.level) && same(x.dimensions?.role, dims.role) && !x.dimensions?.strategy);
}
const declaredMetric = (kind: string, dims: Dims): string => declared(kind, dims)?.name ?? '';
/** Plain words for the levels, for the explanation line and the glossary. */
const LEVEL_WORDS: Record<string, { short: string; long: string }> = {
  U: { short: 'alone', long: 'unilateral: the state acts on its own, paying for and keeping what it provides' },
  C: { short: 'in regional clubs', long: "club: the state joins its region's club; members share what the club provides and can keep some of it from outsiders" },
  M: { short: 'in the global regime', long: 'multilateral: the state ratifies the global regime; it works only once enough states have ratified (minimum participation)' },
};

interface VegaView {
  change(name: string, changes: unknown): VegaView;
  run(): VegaView;
  data(name: string): unknown[];
  finalize?(): void;
}
interface VegaGlobal {
  changeset(): { insert(rows: unknown[]): unknown };
}
declare const vega: VegaGlobal;
declare const vegaEmbed: (el: HTMLElement, spec: unknown, opts: unknown) => Promise<{ view: VegaView }>;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};

let settings: Settings = fromHash(location.hash);
let meta: Extract<FromWorker, { type: 'reset' }> | null = null;
let trajectory: Frame[] = [];
let choice: number[] = [];
let playing = false;
let busy = false;
/** Play pauses once at the lesson's last round (the round its claim is about). */
let pauseAt: number | null = null;
/** rounds the test hooks asked for while the worker was busy */
let queuedSteps = 0;

const worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
const send = (m: ToWorker): void => worker.postMessage(m);

// ---- lessons -----------------------------------------------------------------

function showLesson(): void {
  const lesson = lessonOf(settings);
  const shown: Lesson = lesson ?? DEFAULT_LESSON;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button')) b.setAttribute('aria-pressed', String(b.dataset.preset === lesson?.id));
  const mig = settings.model === MIGRATION;
  const model = models.find((m) => m.name === settings.model);
  $('title').textContent = lesson ? lesson.title : mig ? `Your own settings (after "${shown.title}")` : `${model?.title ?? settings.model}: your own settings`;
  $('lesson-question').textContent = lesson ? lesson.question : mig ? shown.question : 'A textbook game, run with the settings below.';
  $('lesson-claim').textContent = lesson ? `${lesson.claim} (Tested on seeds ${lesson.seed} to ${lesson.seed + 20}.)` : '';
  $('lesson-claim').hidden = !lesson;
  $('lesson-changed').hidden = lesson !== undefined || !mig;
  $('info-what').textContent = lesson ? lesson.setup : mig ? `${shown.setup} You have changed some of these settings.` : (model?.title ?? '');
  const list = (id: string, items: readonly string[]) => $(id).replaceChildren(...items.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  list('info-notice', lesson ? lesson.notice : []);
  list('info-try', mig ? shown.tryThis : []);
  list('info-sources', mig ? shown.sources : []);
  document.body.dataset.lesson = lesson?.id ?? '';
}

function buildLessons(): void {
  const nav = $('presets');
  nav.replaceChildren(
    ...LESSONS.map((l) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = l.title;
      b.dataset.preset = l.id;
      b.title = l.question;
      b.addEventListener('click', () => {
        settings = applyLesson(settings, l.id);
        buildControls();
        changed(true);
      });
      return b;
    }),
  );
}

// ---- controls (generated from the schemas: controls.ts) -------------------------

interface Bound {
  sync(): void;
}
let bound: Bound[] = [];
/** which groups were open, kept across rebuilds */
const openGroups = new Set<string>(window.innerWidth >= 1000 ? ['What helps or hinders cooperation'] : []);

function describe(c: Control): string {
  return `${c.label}${c.unit ? ` (${c.unit})` : ''}: ${c.description ?? ''}`;
}

function slider(c: Control): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'control';
  const l = document.createElement('label');
  l.htmlFor = c.id;
  l.textContent = c.label;
  l.className = 'term';
  l.title = describe(c);
  const input = document.createElement('input');
  input.type = 'range';
  input.id = c.id;
  input.min = String(c.min);
  input.max = String(c.max);
  input.step = String(c.step);
  input.title = describe(c);
  input.dataset.path = c.path;
  const out = document.createElement('output');
  out.htmlFor.add(c.id);
  const sync = (): void => {
    input.value = String(c.get(settings));
    out.textContent = String(c.get(settings));
  };
  input.addEventListener('input', () => {
    c.set(settings, Number(input.value));
    out.textContent = input.value;
    changed(true);
  });
  wrap.append(l, input, out);
  bound.push({ sync });
  return wrap;
}

/** A number field for a top-level parameter of a model without sliders; it edits the JSON of the spec's params. */
function numberField(f: NumberField): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'control';
  const l = document.createElement('label');
  l.htmlFor = f.id;
  l.textContent = f.label;
  l.className = 'term';
  const words = `${f.label}${f.unit ? ` (${f.unit})` : ''}: ${f.description ?? ''}`;
  l.title = words;
  const input = document.createElement('input');
  input.type = 'number';
  input.id = f.id;
  input.title = words;
  if (f.min !== undefined) input.min = String(f.min);
  if (f.max !== undefined) input.max = String(f.max);
  input.step = f.integer ? '1' : 'any';
  const current = (): Record<string, unknown> => {
    try {
      const o: unknown = JSON.parse(settings.other || '{}');
      return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const sync = (): void => {
    const v = current()[f.key];
    input.value = typeof v === 'number' ? String(v) : '';
  };
  input.addEventListener('change', () => {
    const o = current();
    o[f.key] = Number(input.value);
    settings.other = JSON.stringify(o, null, 1);
    changed(true);
  });
  wrap.append(l, input, document.createElement('span'));
  bound.push({ sync });
  return wrap;
}

function group(name: string, children: HTMLElement[]): HTMLElement {
  const d = document.createElement('details');
  d.className = 'group';
  d.dataset.group = name;
  d.open = openGroups.has(name);
  d.addEventListener('toggle', () => (d.open ? openGroups.add(name) : openGroups.delete(name)));
  const s = document.createElement('summary');
  s.textContent = name;
  d.append(s, ...children);
  return d;
}

function buildControls(): void {
  bound = [];
  const all = controlsFor(settings);
  const speed: Control = {
    id: 'c-speed',
    path: '',
    group: 'Run',
    label: 'speed',
    unit: 'rounds per second',
    description: 'how fast Play runs (the run itself does not change)',
    get: (s) => s.speed,
    set: (s, v) => void (s.speed = v),
    step: 1,
    min: 1,
    max: 200,
  };
  const run = [...all.filter((c) => c.group === 'Run'), speed];
  $('learning-controls').replaceChildren(...run.map(slider));
  // the speed changes no run: it does not reset
  const speedInput = $<HTMLInputElement>('c-speed');
  speedInput.addEventListener('input', (e) => e.stopImmediatePropagation(), { capture: true });
  speedInput.addEventListener('input', () => {
    settings.speed = Number(speedInput.value);
    speedInput.nextElementSibling!.textContent = speedInput.value;
    changed(false);
  });
  const names = [...new Set(all.filter((c) => c.group !== 'Run').map((c) => c.group))];
  const fields = numberFields(settings.model);
  $('migration-controls').replaceChildren(
    ...names.map((n) => group(n, all.filter((c) => c.group === n).map(slider))),
    ...(fields.length ? [group('Model parameters', fields.map(numberField))] : []),
  );
  const gl = $('glossary');
  const entry = (term: string, text: string) => [Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: text })];
  gl.replaceChildren(
    ...LEVEL_TERMS.flatMap((t) => entry(t.label, LEVEL_WORDS[t.id]?.long ?? t.label)),
    ...entry('round', 'one turn of the game: each state may look again at its choice in each issue area (the revision rate says how many do).'),
    ...entry('regime in force', 'the global regime works only once at least the minimum participation (a share of all states) has ratified it.'),
    ...entry('provision, need, gap', 'provision: what states together provide in an issue area, as a share of what all of them contributing would provide; need: what the issue area needs; the gap is the need not met.'),
    ...entry('seed', 'fixes the random draws: the same seed and settings give the same run, here and with migov run.'),
    ...all.flatMap((c) => entry(c.label, `${c.description ?? ''}${c.unit ? ` (${c.unit})` : ''}`)),
    ...fields.flatMap((f) => entry(f.label, `${f.description ?? ''}${f.unit ? ` (${f.unit})` : ''}`)),
  );
  syncControls();
}

function syncControls(): void {
  for (const c of bound) c.sync();
  $<HTMLSelectElement>('c-model').value = settings.model;
  $<HTMLSelectElement>('c-rule').value = settings.rule;
  $<HTMLInputElement>('c-seed').value = String(settings.seed);
  $<HTMLTextAreaElement>('c-other').value = settings.other;
  const mig = settings.model === MIGRATION;
  $('migration-controls').hidden = false;
  $('other-controls').hidden = mig;
  $('b-crisis').toggleAttribute('disabled', !mig);
  $('b-nationalism').toggleAttribute('disabled', !mig);
  $('role-legend').hidden = !mig;
  const levels = levelTermsOf(settings.model);
  $('level-legend').hidden = levels.length === 0;
  $('level-legend').replaceChildren(
    ...levels.map((t) => Object.assign(document.createElement('span'), { textContent: t.label, title: LEVEL_WORDS[t.id]?.long ?? t.label, style: `background:${t.color ?? '#777'}` })),
  );
  showLesson();
}

function wireControls(): void {
  const model = $<HTMLSelectElement>('c-model');
  model.replaceChildren(...models.map((m) => new Option(m.title, m.name)));
  model.addEventListener('change', () => {
    settings.model = model.value;
    if (settings.model !== MIGRATION) settings.other = JSON.stringify(setupDefaults(settings.model), null, 1);
    buildControls();
    changed(true);
  });
  const rule = $<HTMLSelectElement>('c-rule');
  rule.addEventListener('change', () => {
    settings.rule = rule.value === 'fermi' ? 'fermi' : 'logit';
    buildControls();
    changed(true);
  });
  const seed = $<HTMLInputElement>('c-seed');
  seed.addEventListener('change', () => {
    settings.seed = Math.max(0, Math.round(Number(seed.value) || 0));
    changed(true);
  });
  const other = $<HTMLTextAreaElement>('c-other');
  other.addEventListener('change', () => {
    settings.other = other.value;
    changed(true);
  });
  const area = $<HTMLSelectElement>('c-board-area');
  area.addEventListener('change', () => {
    settings.boardArea = Number(area.value);
    changed(false);
    drawBoard();
    drawMap();
  });
}

function setupDefaults(name: string): unknown {
  const m = models.find((x) => x.name === name);
  return m ? m.params.parse({}) : {};
}

function changed(resets: boolean): void {
  history.replaceState(null, '', toHash(settings));
  syncControls();
  if (resets) reset(0);
}

// ---- simulation --------------------------------------------------------------

function reset(to: number): void {
  syncControls();
  try {
    setup(settings);
    $('error').textContent = '';
  } catch (e) {
    $('error').textContent = `Invalid settings: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  meta = null;
  busy = true;
  const lesson = lessonOf(settings);
  pauseAt = lesson && to < lesson.rounds ? lesson.rounds : null;
  send({ type: 'reset', settings: structuredClone(settings), to });
}

function requestStep(n: number): void {
  if (busy || !meta) return;
  const now = trajectory.length ? trajectory[trajectory.length - 1].round : 0;
  busy = true;
  send({ type: 'step', n: playing && pauseAt !== null && now < pauseAt ? Math.min(n, pauseAt - now) : n });
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const msg = e.data;
  if (msg.type === 'error') {
    busy = false;
    $('error').textContent = msg.message;
    return;
  }
  if (msg.type === 'phase') return; // only the phase workers run these
  if (msg.type === 'frames' && !meta) return; // stale: a reset is on its way
  busy = false;
  if (msg.type === 'reset') {
    meta = msg;
    trajectory = [];
    events = [];
    for (const c of charts) {
      c.rows = [];
      c.view = null;
      c.pending = [];
    }
    buildBoard();
  }
  choice = msg.choice;
  map = msg.map ?? null;
  for (const f of msg.frames) addFrame(f);
  if (msg.type === 'reset') void embedCharts();
  else flushCharts();
  drawBoard();
  drawMap();
  const last = trajectory[trajectory.length - 1];
  const round = last ? last.round : 0;
  $('round').textContent = String(round);
  explain();
  document.body.dataset.round = String(round);
  if (queuedSteps > 0 && !busy && meta) {
    const n = queuedSteps;
    queuedSteps = 0;
    requestStep(n);
  }
  if (playing && pauseAt !== null && round >= pauseAt) {
    pauseAt = null;
    setPlaying(false);
    $('explain').textContent += ' The lesson is at its end: press Play to go on.';
  }
};

// ---- charts (src/charts/live.ts), streamed -------------------------------------

interface Chart {
  el: string;
  /** only for the migration model */
  migrationOnly: boolean;
  /** its panels (events are drawn in each) */
  panels(): string[];
  /** the chart's rows of one frame */
  rowsOf(f: Frame): LiveRow[];
  spec(layout: LiveLayout, values: (LiveRow | LiveEvent)[]): unknown;
  /** every row so far (lines and events), so the chart can be drawn again at another size */
  rows: (LiveRow | LiveEvent)[];
  view: VegaView | null;
  /** rows not yet streamed into the view */
  pending: (LiveRow | LiveEvent)[];
}

/** The metric of an issue area's provision (an amount declared with a target) and of its need (the target). */
function provisionPair(area: string): { provision: string; need: string; unit: string } {
  const m = MIGRATION_OUTCOMES.metrics.find((x) => x.kind === 'amount' && x.dimensions?.issueArea === area && x.target);
  return { provision: m?.name ?? '', need: m?.target?.metric ?? '', unit: m?.unit ?? '' };
}

function levelLabel(s: string): string {
  return levelTermsOf(settings.model).find((t) => t.id === s)?.label ?? s;
}

const charts: Chart[] = [
  {
    el: 'chart',
    migrationOnly: false,
    panels: () => meta?.games ?? [],
    rowsOf: (f) => {
      if (!meta) return [];
      const K = meta.strategies.length;
      return meta.games.flatMap((g, gi) => meta!.strategies.map((s, k) => ({ round: f.round, panel: g, series: levelLabel(s), value: f.values[gi * K + k] })));
    },
    spec: (layout, values) => {
      const levels = levelTermsOf(settings.model);
      const scale = levels.length ? termScale(levels) : strategyScale(meta?.strategies ?? []);
      return liveLevelChart(meta?.games ?? [], scale, layout, values);
    },
    rows: [],
    view: null,
    pending: [],
  },
  {
    el: 'provision-chart',
    migrationOnly: true,
    panels: () => meta?.games ?? [],
    rowsOf: (f) =>
      (meta?.games ?? [])
        .flatMap((area) => [
          { round: f.round, panel: area, series: 'provision', value: metric(f, provisionPair(area).provision) },
          { round: f.round, panel: area, series: 'need', value: metric(f, provisionPair(area).need) },
        ])
        .filter((r) => Number.isFinite(r.value)),
    spec: (layout, values) => liveProvisionChart(meta?.games ?? [], provisionPair(meta?.games[0] ?? '').unit, layout, values),
    rows: [],
    view: null,
    pending: [],
  },
  {
    el: 'welfare-chart',
    migrationOnly: true,
    panels: () => ['all states'],
    rowsOf: (f) => ROLE_TERMS.map((role) => ({ round: f.round, panel: 'all states', series: role.label, value: metric(f, declaredMetric('welfare', { role: role.id })) })).filter((r) => Number.isFinite(r.value)),
    spec: (layout, values) => liveWelfareChart(termScale(ROLE_TERMS), declared('welfare', {})?.unit ?? 'payoff units per state', layout, values),
    rows: [],
    view: null,
    pending: [],
  },
];

let embedGen = 0;
let extraTimer: ReturnType<typeof setTimeout> | null = null;

function layoutOf(el: HTMLElement): LiveLayout {
  const body = parseFloat(getComputedStyle(document.body).fontSize) || 16;
  return { width: Math.max(200, el.clientWidth || $('p-live').clientWidth || 320), fontSize: body };
}

function push(c: Chart, rows: (LiveRow | LiveEvent)[]): void {
  if (rows.length === 0) return;
  for (const r of rows) c.rows.push(r);
  for (const r of rows) c.pending.push(r);
}

/** Streams what arrived into the charts: the level chart at once, the others at most every 400 ms. */
function flushCharts(): void {
  flushOne(charts[0]);
  if (extraTimer !== null) return;
  extraTimer = setTimeout(() => {
    extraTimer = null;
    for (const c of charts.slice(1)) flushOne(c);
    document.body.dataset.extraRound = String(trajectory.length ? trajectory[trajectory.length - 1].round : 0);
  }, 400);
}

function flushOne(c: Chart): void {
  if (!c.view || c.pending.length === 0) return;
  c.view.change(LIVE_DATA, vega.changeset().insert(c.pending)).run();
  c.pending = [];
}

async function embedCharts(): Promise<void> {
  if (!meta) return;
  const gen = ++embedGen;
  const mig = settings.model === MIGRATION;
  $('extra-charts').hidden = !mig;
  delete document.body.dataset.chart;
  await Promise.all(
    charts.map(async (c) => {
      const el = $(c.el);
      if (c.migrationOnly && !mig) {
        el.replaceChildren();
        return;
      }
      c.view?.finalize?.();
      c.view = null;
      c.pending = [];
      const res = await vegaEmbed(el, c.spec(layoutOf(el), [...c.rows]), { actions: false, renderer: 'svg' });
      if (gen !== embedGen) return;
      c.view = res.view;
      flushOne(c);
    }),
  );
  if (gen !== embedGen) return;
  document.body.dataset.chart = 'ready';
}

// ---- events: labelled rules on every time chart, the region on the board ---------

interface RunEvent {
  round: number;
  label: string;
  /** the issue area it belongs to; none: every panel of every chart */
  area?: string;
}
let events: RunEvent[] = [];

/** The shocks the settings schedule, as [first round, rounds, label, what it does]. */
function shocks(): { start: number; end: number; label: string; mark: string; short: string; text: string }[] {
  if (settings.model !== MIGRATION) return [];
  const out = [];
  if (settings.crisisStart >= 0) out.push({ start: settings.crisisStart, end: settings.crisisStart + CRISIS_DURATION, label: 'refugee crisis in region 0', mark: 'crisis', short: 'crisis', text: 'stakes and need for refugee protection doubled in region 0' });
  if (settings.nationalismStart >= 0) {
    out.push({ start: settings.nationalismStart, end: settings.nationalismStart + NATIONALISM_DURATION, label: 'nationalist turn', mark: 'nationalism', short: 'nationalism', text: `every state minds giving up sovereignty ${NATIONALISM_FACTOR} times as much` });
  }
  return out;
}

function addEvent(round: number, label: string, area?: string): void {
  events.push({ round, label, area });
  for (const c of charts) {
    const panels = c.panels().filter((p) => area === undefined || p === area);
    // a panel's labels are stacked: each event one line below the one before
    push(c, panels.map((panel) => ({ round, panel, event: label, lane: events.filter((e) => e.area === undefined || e.area === panel).length - 1 })));
  }
}

function addFrame(f: Frame): void {
  const prev = trajectory[trajectory.length - 1];
  trajectory.push(f);
  for (const s of shocks()) {
    if (f.round === s.start) addEvent(f.round, s.mark);
    if (f.round === s.end) addEvent(f.round, `${s.short} ends`);
  }
  if (prev && meta && settings.model === MIGRATION) {
    for (const g of meta.games) {
      const name = `${g}_in_force`;
      // the first entry into force only: a regime at its threshold may lapse and return every round
      if (metric(prev, name) === 0 && metric(f, name) === 1 && !events.some((e) => e.area === g)) addEvent(f.round, 'regime in force', g);
    }
  }
  for (const c of charts) if (!c.migrationOnly || settings.model === MIGRATION) push(c, c.rowsOf(f));
}

// ---- board and explanation -----------------------------------------------------

function buildBoard(): void {
  if (!meta) return;
  const board = $('board');
  const regions = maxOf(meta.region) + 1;
  const area = $<HTMLSelectElement>('c-board-area');
  area.replaceChildren(...meta.games.map((g, i) => new Option(g, String(i))));
  settings.boardArea = Math.min(settings.boardArea, meta.games.length - 1);
  area.value = String(settings.boardArea);
  const groups: HTMLElement[] = [];
  for (let r = 0; r < regions; r++) {
    const g = document.createElement('div');
    g.className = 'region';
    g.dataset.region = String(r);
    const h = document.createElement('span');
    h.className = 'region-label';
    h.textContent = regions > 1 ? `region ${r}` : 'all';
    g.append(h);
    groups.push(g);
  }
  meta.region.forEach((r, i) => {
    const cell = document.createElement('span');
    cell.className = 'state';
    cell.dataset.state = String(i);
    const role = meta!.role[i];
    if (role !== undefined) {
      cell.textContent = ROLE_TERMS[role].label[0].toUpperCase();
      cell.dataset.role = ROLE_TERMS[role].id;
    }
    groups[r].append(cell);
  });
  board.replaceChildren(...groups);
}

function drawBoard(): void {
  if (!meta) return;
  const G = meta.games.length;
  const g = Math.min(settings.boardArea, G - 1);
  for (const cell of document.querySelectorAll<HTMLElement>('#board .state')) {
    const i = Number(cell.dataset.state);
    const k = choice[i * G + g];
    cell.style.background = colourOf(k);
    const role = meta.role[i];
    cell.title = `state ${i}${role !== undefined ? ` (${ROLE_TERMS[role].label})` : ''}: ${levelLabel(meta.strategies[k])}`;
    cell.dataset.level = meta.strategies[k];
  }
  // a shock now under way: the region it hits outlined, the turn named above the board
  const round = trajectory.length ? trajectory[trajectory.length - 1].round : 0;
  const active = shocks().filter((s) => round >= s.start && round < s.end);
  const crisis = active.find((s) => s.label.startsWith('refugee crisis'));
  for (const row of document.querySelectorAll<HTMLElement>('#board .region')) {
    const hit = crisis !== undefined && row.dataset.region === '0';
    row.classList.toggle('hit', hit);
    let flag = row.querySelector('.region-flag');
    if (hit && !flag) {
      flag = Object.assign(document.createElement('span'), { className: 'region-flag', textContent: 'refugee crisis' });
      row.append(flag);
    }
    if (!hit) flag?.remove();
  }
  const note = $('board-note');
  note.hidden = active.length === 0;
  note.textContent = active.map((s) => `${s.label[0].toUpperCase()}${s.label.slice(1)} (rounds ${s.start}-${s.end - 1}): ${s.text}.`).join(' ');
}

function metric(f: Frame, name: string): number {
  const i = meta ? meta.metrics.indexOf(name) : -1;
  return i >= 0 ? f.values[i] : NaN;
}

/** What the regime of issue area g is doing now, in words, steady over a regime that flickers at its threshold. */
function regimeWords(g: string): string {
  if (!meta) return '';
  const name = `${g}_in_force`;
  const recent = trajectory.slice(-10).map((f) => metric(f, name));
  const now = recent[recent.length - 1];
  const N = meta.region.length;
  const ratified = Math.round(metric(trajectory[trajectory.length - 1], declaredMetric('share', { issueArea: g, level: 'M' })) * N);
  const needs = Math.max(1, Math.ceil(settings.minimumParticipation * N - 1e-9));
  const on = recent.filter((v) => v === 1).length;
  if (on > 0 && on < recent.length) return `the ${g} regime is at its threshold (in force in ${on} of the last ${recent.length} rounds; ${ratified} of ${N} states ratified, it needs ${needs})`;
  if (now === 1) {
    let since = trajectory.length - 1;
    while (since > 0 && metric(trajectory[since - 1], name) === 1) since--;
    return `the ${g} regime is in force (since round ${trajectory[since].round}; ${ratified} of ${N} states)`;
  }
  // a regime far from its threshold is not news
  return ratified * 2 >= needs && ratified > 0 ? `the ${g} regime is not in force (${ratified} of ${N} states ratified, it needs ${needs})` : '';
}

/** The explanation line: always the current round's state, never an older event. */
function explain(): void {
  const f = trajectory[trajectory.length - 1];
  if (!meta || !f) return;
  const K = meta.strategies.length;
  const mig = settings.model === MIGRATION;
  const parts = meta.games.map((g, gi) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (f.values[gi * K + k] > f.values[gi * K + best]) best = k;
    const s = meta!.strategies[best];
    const words = mig ? (LEVEL_WORDS[s]?.short ?? levelLabel(s)) : levelLabel(s);
    const regime = mig ? regimeWords(g) : '';
    return `${meta!.games.length > 1 ? `${g}: ` : ''}${Math.round(f.values[gi * K + best] * 100)} % ${mig ? 'of states act ' : ''}${words}${regime ? `, ${regime}` : ''}`;
  });
  const active = shocks()
    .filter((s) => f.round >= s.start && f.round < s.end)
    .map((s) => `${s.label[0].toUpperCase()}${s.label.slice(1)} (rounds ${s.start}-${s.end - 1}). `);
  $('explain').textContent = `Round ${f.round}: ${active.join('')}${parts.join('; ')}.`;
}
/** The levels the current model declares (its vocabulary at default parameters), or none. */
const declaredLevels = new Map<string, readonly Term[]>();
function levelTermsOf(name: string): readonly Term[] {
  let terms = declaredLevels.get(name);
  if (!terms) {
    const m = models.find((x) => x.name === name);
    terms = m ? (outcomeDeclarations(m, m.params.parse({}) as object).vocabularies.levels ?? []) : [];
    declaredLevels.set(name, terms);
  }
  return terms;
}

function colourOf(k: number): string {
  if (!meta) return '#777';
  const levels = levelTermsOf(settings.model);
  if (levels.length) return termScale(levels).range[k] ?? '#777';
  return strategyScale(meta.strategies).range[k];
}

// ---- the map (a model that declares one: positions and the larger flows) -------

/** Flow colours and dashes per issue area (game), apart from the level colours of the states. */
const FLOW_STYLE = [
  { colour: '#CC79A7', dash: '' },
  { colour: '#444444', dash: '7 4' },
  { colour: '#56B4E9', dash: '2 3' },
];
const MAP_W = 640;
const MAP_H = 480;
const MAP_MARGIN = 20;
const STATE_R = 6;
let map: NonNullable<Extract<FromWorker, { type: 'reset' }>['map']> | null = null;

function drawMap(): void {
  const box = $('map-box');
  if (!meta || !map) {
    box.hidden = true;
    delete document.body.dataset.map;
    return;
  }
  box.hidden = false;
  const { x, y, flows } = map;
  const G = meta.games.length;
  const g = Math.min(settings.boardArea, G - 1);
  const [x0, x1, y0, y1] = [Math.min(...x), Math.max(...x), Math.min(...y), Math.max(...y)];
  const k = Math.min((MAP_W - 2 * MAP_MARGIN) / (x1 - x0 || 1), (MAP_H - 2 * MAP_MARGIN) / (y1 - y0 || 1));
  const ox = (MAP_W - k * (x1 - x0)) / 2;
  const oy = (MAP_H - k * (y1 - y0)) / 2;
  const px = (i: number): string => (ox + k * (x[i] - x0)).toFixed(1);
  // north up: larger y higher on the page
  const py = (i: number): string => (MAP_H - oy - k * (y[i] - y0)).toFixed(1);
  const most = FLOW_STYLE.map((_, a) => Math.max(0, ...flows.filter((f) => f.game === a).map((f) => f.amount)));
  const parts: string[] = ['<defs>'];
  // arrowheads of one size whatever the line's width (userSpaceOnUse), their tips at the state's edge
  FLOW_STYLE.forEach((st, a) => parts.push(`<marker id="arrow-${a}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto"><path d="M0,0L10,5L0,10z" fill="${st.colour}"/></marker>`));
  parts.push('</defs>');
  for (const f of flows) {
    const st = FLOW_STYLE[f.game % FLOW_STYLE.length];
    const width = 1 + 5 * Math.sqrt(most[f.game] > 0 ? f.amount / most[f.game] : 0);
    const pts = f.path.map((i) => [Number(px(i)), Number(py(i))]);
    // end the line at the destination's edge, not its centre
    const [ax, ay] = pts[pts.length - 2];
    const [bx, by] = pts[pts.length - 1];
    const len = Math.hypot(bx - ax, by - ay);
    if (len > STATE_R + 2) pts[pts.length - 1] = [bx - ((bx - ax) * (STATE_R + 1)) / len, by - ((by - ay) * (STATE_R + 1)) / len];
    const points = pts.map(([u, v]) => `${u.toFixed(1)},${v.toFixed(1)}`).join(' ');
    parts.push(
      `<polyline class="flow" data-game="${f.game}" points="${points}" fill="none" stroke="${st.colour}" stroke-width="${width.toFixed(1)}" stroke-opacity="0.8"` +
        `${st.dash ? ` stroke-dasharray="${st.dash}"` : ''} stroke-linejoin="round" marker-end="url(#arrow-${f.game % FLOW_STYLE.length})"><title>${meta.games[f.game] ?? f.game}: ${f.amount.toPrecision(3)}</title></polyline>`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    const level = choice[i * G + g];
    parts.push(`<circle class="map-state" data-state="${i}" data-level="${meta.strategies[level]}" cx="${px(i)}" cy="${py(i)}" r="${STATE_R}" fill="${colourOf(level)}" stroke="#fff" stroke-width="1.5"><title>state ${i}, region ${map.group[i]}: ${levelLabel(meta.strategies[level])}</title></circle>`);
  }
  $('map').innerHTML = parts.join('');
  $('map-legend').innerHTML =
    `States coloured by their level in <b>${meta.games[g]}</b> (choose the issue area above). The ${flows.length ? 'largest ' : ''}flows after the last round, wider for more people: ` +
    FLOW_STYLE.slice(0, G)
      .map((st, a) => `<span class="flow-key"><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="${st.colour}" stroke-width="3"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/></svg> ${map!.flowLabels[a] ?? meta!.games[a]}</span>`)
      .join('; ') +
    '.';
  document.body.dataset.map = String(flows.length);
}


// ---- play loop, buttons, downloads -------------------------------------------

function setPlaying(on: boolean): void {
  playing = on;
  const b = $('b-play');
  b.textContent = on ? 'Pause' : 'Play';
  b.setAttribute('aria-pressed', String(on));
}

setInterval(() => {
  if (playing) requestStep(Math.max(1, Math.round(settings.speed / 10)));
}, 100);

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function csv(): string {
  if (!meta) return '';
  // escaped as every CSV migov writes: a name a spreadsheet would run is quoted and prefixed
  const lines = [csvLine(['round', ...meta.metrics])];
  for (const f of trajectory) lines.push(csvLine([f.round, ...f.values]));
  return lines.join('');
}

let lastWidth = 0;
function redrawCharts(): void {
  if (!meta) return;
  void embedCharts();
}

function wireButtons(): void {
  $('b-play').addEventListener('click', () => setPlaying(!playing));
  $('b-step').addEventListener('click', () => requestStep(1));
  $('b-reset').addEventListener('click', () => {
    setPlaying(false);
    reset(0);
  });
  $('b-crisis').addEventListener('click', () => {
    const round = trajectory.length ? trajectory[trajectory.length - 1].round : 0;
    settings.crisisStart = round;
    changed(false);
    reset(round);
  });
  $('b-nationalism').addEventListener('click', () => {
    const round = trajectory.length ? trajectory[trajectory.length - 1].round : 0;
    settings.nationalismStart = round;
    changed(false);
    reset(round);
  });
  $('b-spec').addEventListener('click', () => {
    const rounds = trajectory.length ? trajectory[trajectory.length - 1].round : 1;
    download(`migov-demo-${settings.model}.json`, 'application/json', toSpec(settings, rounds));
  });
  $('b-csv').addEventListener('click', () => download(`migov-demo-${settings.model}.csv`, 'text/csv', csv()));
  $('b-large').addEventListener('click', () => {
    const on = document.body.classList.toggle('large');
    $('b-large').setAttribute('aria-pressed', String(on));
    redrawCharts();
  });
  // the charts are sized to the page: drawn again when its width changes
  let timer: ReturnType<typeof setTimeout> | null = null;
  lastWidth = document.documentElement.clientWidth;
  window.addEventListener('resize', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const w = document.documentElement.clientWidth;
      if (w !== lastWidth) {
        lastWidth = w;
        redrawCharts();
      }
    }, 300);
  });
  window.addEventListener('hashchange', () => {
    const next = fromHash(location.hash);
    if (JSON.stringify(next) !== JSON.stringify(settings)) {
      settings = next;
      buildControls();
      reset(0);
    }
  });
}

// ---- the phase-diagram tab: a small sweep across Web Workers ------------------
// Refugee excludability (x) by rivalry (y), nx x ny points x replications runs: the
// page's sweep spec planned by `migov sweep`'s planning code (settings.ts: phasePlan),
// each planned run (its parameters, protocol and seed) run in a worker as a sweep runs
// it. Cells are coloured by the modal level (the highest mean final share) as they complete.

interface PhaseRun {
  x: number;
  y: number;
  replication: number;
  seed: string;
  /** final shares of the refugee area's levels U, C, M */
  shares: number[];
}
interface PhaseCell {
  x: number;
  y: number;
  runs: PhaseRun[];
}

const phaseWorkers: Worker[] = [];
let phaseQueue: { id: number; cell: PhaseCell; task: RunTask }[] = [];
const phaseInFlight = new Map<number, { cell: PhaseCell; replication: number }>();
let phaseCells: PhaseCell[] = [];
let phaseGridNow: PhaseGrid | null = null;
let phaseTasks: readonly RunTask[] = [];
let phaseNextId = 0;

function phaseGrid(): PhaseGrid {
  const n = (id: string, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(Number($<HTMLInputElement>(id).value) || lo)));
  return { nx: n('ph-nx', 1, 12), ny: n('ph-ny', 1, 12), replications: n('ph-reps', 1, 20), rounds: n('ph-rounds', 1, 2000) };
}

function phaseWorker(i: number): Worker {
  if (!phaseWorkers[i]) {
    const w = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
    w.onmessage = (e: MessageEvent<FromWorker>) => phaseAnswer(w, e.data);
    phaseWorkers[i] = w;
  }
  return phaseWorkers[i];
}

function phaseFeed(w: Worker): void {
  const t = phaseQueue.shift();
  if (!t) return;
  phaseInFlight.set(t.id, { cell: t.cell, replication: t.task.replication });
  w.postMessage({ type: 'phase', id: t.id, task: t.task } satisfies ToWorker);
}

function phaseAnswer(w: Worker, msg: FromWorker): void {
  if ((msg.type !== 'phase' && msg.type !== 'error') || msg.id === undefined) return;
  const task = phaseInFlight.get(msg.id);
  phaseInFlight.delete(msg.id);
  if (!task) return; // a stopped run's answer
  if (msg.type === 'error') {
    $('error').textContent = `Phase diagram: ${msg.message}`;
    phaseStop();
    return;
  }
  const shares = LEVELS.map((l) => msg.final[msg.metrics.indexOf(declaredMetric('share', { issueArea: 'refugee', level: l }))]);
  task.cell.runs.push({ x: task.cell.x, y: task.cell.y, replication: task.replication, seed: msg.seed, shares });
  drawPhaseCell(task.cell);
  phaseFeed(w);
  phaseProgress();
}

function phaseProgress(): void {
  const g = phaseGridNow;
  if (!g) return;
  const done = phaseCells.reduce((n, c) => n + c.runs.length, 0);
  const total = g.nx * g.ny * g.replications;
  $('ph-progress').textContent = `${done} of ${total} runs`;
  if (done === total) document.body.dataset.phase = 'done';
}

function phaseModal(cell: PhaseCell): number {
  const means = LEVELS.map((_, k) => cell.runs.reduce((a, r) => a + r.shares[k], 0) / cell.runs.length);
  return means.indexOf(maxOf(means));
}

function drawPhaseCell(cell: PhaseCell): void {
  const el = document.querySelector<HTMLElement>(`#ph-map [data-x="${cell.x}"][data-y="${cell.y}"]`);
  if (!el || !phaseGridNow || cell.runs.length === 0) return;
  const k = phaseModal(cell);
  const level = LEVELS[k];
  const full = cell.runs.length === phaseGridNow.replications;
  el.style.background = termScale(LEVEL_TERMS).range[k];
  el.style.opacity = full ? '1' : '0.55';
  el.textContent = level;
  el.dataset.level = level;
  el.title = `excludability ${cell.x}, rivalry ${cell.y}: modal level ${levelTerm(level)?.label ?? level} (${cell.runs.length} of ${phaseGridNow.replications} runs)`;
}

function phaseStop(): void {
  phaseQueue = [];
  phaseInFlight.clear();
  $('ph-run').removeAttribute('disabled');
}

function phaseStart(): void {
  phaseStop();
  const g = phaseGrid();
  const problem = phaseProblem(settings, g);
  if (problem) {
    $('error').textContent = problem;
    return;
  }
  let plan: SweepPlan;
  try {
    plan = phasePlan(settings, g);
  } catch (err) {
    $('error').textContent = `Phase diagram: ${err instanceof Error ? err.message : String(err)}`;
    return;
  }
  phaseGridNow = g;
  phaseTasks = plan.tasks;
  delete document.body.dataset.phase;
  // the axes and the cells are the plan's grid points (the last factor, rivalry, varies fastest)
  const at = (p: number, path: string): number => Number(plan.points[p].values[path]);
  const xs = [...new Set(plan.points.map((_, p) => at(p, PHASE_X)))];
  const ys = [...new Set(plan.points.map((_, p) => at(p, PHASE_Y)))];
  const map = $('ph-map');
  map.style.gridTemplateColumns = `auto repeat(${g.nx}, minmax(0, 1fr))`;
  const nodes: HTMLElement[] = [];
  phaseCells = [];
  const label = (text: string, cls: string): HTMLElement => {
    const l = document.createElement('span');
    l.className = cls;
    l.textContent = text;
    return l;
  };
  for (const y of [...ys].reverse()) {
    nodes.push(label(String(y), 'ph-axis'));
    for (const x of xs) {
      const cell = document.createElement('span');
      cell.className = 'ph-cell';
      cell.dataset.x = String(x);
      cell.dataset.y = String(y);
      nodes.push(cell);
    }
  }
  nodes.push(label('', 'ph-axis'), ...xs.map((x) => label(String(x), 'ph-axis ph-x')));
  map.replaceChildren(...nodes);
  phaseCells = plan.points.map((_, p) => ({ x: at(p, PHASE_X), y: at(p, PHASE_Y), runs: [] }));
  // point-major (the plan is replication-major), so that cells complete one after another; the order changes no run
  const tasks = [...plan.tasks].sort((a, b) => a.point - b.point || a.replication - b.replication);
  for (const task of tasks) phaseQueue.push({ id: phaseNextId++, cell: phaseCells[task.point], task });
  phaseProgress();
  const workers = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
  for (let i = 0; i < workers; i++) phaseFeed(phaseWorker(i));
}

function wirePhase(): void {
  const tabs: [string, string][] = [
    ['t-live', 'p-live'],
    ['t-phase', 'p-phase'],
  ];
  for (const [tab, panel] of tabs) {
    $(tab).addEventListener('click', () => {
      for (const [t, p] of tabs) {
        $(t).setAttribute('aria-selected', String(t === tab));
        $(p).hidden = p !== panel;
      }
      if (tab === 't-phase') setPlaying(false);
    });
  }
  $('ph-run').addEventListener('click', () => {
    phaseStart();
  });
  $('ph-stop').addEventListener('click', phaseStop);
  $('ph-spec').addEventListener('click', () => download('migov-demo-phase.json', 'application/json', toPhaseSpec(settings, phaseGrid())));
}


/** Hooks for the end-to-end tests. */
const lineRows = (c: Chart): number => (c.view ? c.view.data(LIVE_DATA).filter((r) => (r as { event?: string }).event === undefined).length : 0);
(window as unknown as { migovDemo: unknown }).migovDemo = {
  trajectory: () => trajectory,
  // a step asked for while the worker is busy (a reset on its way) runs once it answers
  step: (n: number) => {
    if (busy || !meta) queuedSteps += n;
    else requestStep(n);
  },
  metrics: () => meta?.metrics ?? [],
  settings: () => settings,
  chartRows: () => lineRows(charts[0]),
  events: () => charts.map((c) => (c.view ? c.view.data(LIVE_DATA).filter((r) => (r as { event?: string }).event) : [])),
  spec: () => toSpec(settings, trajectory.length ? trajectory[trajectory.length - 1].round : 1),
  csv,
  extraRows: () => [lineRows(charts[2]), lineRows(charts[1])],
  phaseRuns: () => phaseCells.flatMap((c) => c.runs),
  phaseModal: () => phaseCells.map((c) => ({ x: c.x, y: c.y, level: c.runs.length ? LEVELS[phaseModal(c)] : null })),
  phaseSpec: () => toPhaseSpec(settings, phaseGrid()),
  phaseTasks: () => phaseTasks,
  phaseWorkers: () => phaseWorkers.length,
  map: () => (map ? { states: map.x.length, flows: map.flows.map((f) => ({ game: f.game, path: [...f.path], amount: f.amount })) } : null),
};

$('ph-legend').replaceChildren(
  ...LEVEL_TERMS.map((t) => Object.assign(document.createElement('span'), { textContent: t.label, style: `background:${t.color ?? '#777'}` })),
  document.createTextNode(' Across: excludability; up: rivalry.'),
);
buildLessons();
wireControls();
buildControls();
wireButtons();
wirePhase();
history.replaceState(null, '', toHash(settings));
reset(0);
