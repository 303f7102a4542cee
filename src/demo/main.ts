/// <reference lib="dom" />
// The teaching demo's page: controls, presets, the live chart (Vega-Lite through
// vega-embed, streamed with view changesets), the board of states, the explanation
// line, shareable URLs and downloads. The simulation runs in a worker (worker.ts),
// whose source the build inlines as WORKER_SOURCE and starts from a Blob URL.
import { NEUTRAL, strategyScale } from '../charts/colors.ts';
import { termScale } from '../charts/outcomes.ts';
import { outcomeDeclarations, type Term } from '../engine/model.ts';
import { models } from '../../models/index.ts';
import type { Frame, FromWorker, ToWorker } from './protocol.ts';
import {
  applyPreset,
  DEFAULTS,
  fromHash,
  MIGRATION,
  NATIONALISM_DURATION,
  NATIONALISM_FACTOR,
  type PhaseGrid,
  phasePoint,
  phaseProblem,
  phaseValues,
  PRESETS,
  type Settings,
  setup,
  toHash,
  toPhaseSpec,
  toSpec,
} from './settings.ts';
import { maxOf } from '../engine/stats.ts';
import { csvLine } from '../sweep/csv.ts';

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
/** The metric declared of `kind` with exactly these dimensions (name as the demo's run records it). */
function declaredMetric(kind: string, dims: { issueArea?: string; level?: string; role?: string }): string {
  const same = (a?: string, b?: string) => (a ?? '') === (b ?? '');
  const m = MIGRATION_OUTCOMES.metrics.find((x) => x.kind === kind && same(x.dimensions?.issueArea, dims.issueArea) && same(x.dimensions?.level, dims.level) && same(x.dimensions?.role, dims.role) && !x.dimensions?.strategy);
  return m?.name ?? '';
}

interface VegaView {
  change(name: string, changes: unknown): VegaView;
  run(): VegaView;
  data(name: string): unknown[];
}
interface VegaGlobal {
  changeset(): { insert(rows: unknown[]): unknown; remove(f: () => boolean): { insert(rows: unknown[]): unknown } };
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
let view: VegaView | null = null;
let pending: unknown[] = [];
let embedGen = 0;
let lastEvent: { round: number; text: string } | null = null;

const worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
const send = (m: ToWorker): void => worker.postMessage(m);

// ---- controls ----------------------------------------------------------------

interface Control {
  sync(): void;
  el: HTMLElement;
}
const controls: Control[] = [];

function range(label: string, id: string, min: number, max: number, step: number, get: () => number, set: (v: number) => void, resets = true): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'control';
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  const input = document.createElement('input');
  input.type = 'range';
  input.id = id;
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  const out = document.createElement('output');
  out.htmlFor.add(id);
  const sync = (): void => {
    input.value = String(get());
    out.textContent = String(get());
  };
  input.addEventListener('input', () => {
    set(Number(input.value));
    out.textContent = input.value;
    changed(resets);
  });
  wrap.append(l, input, out);
  controls.push({ sync, el: wrap });
  return wrap;
}

function fieldset(legend: string, ...children: HTMLElement[]): HTMLFieldSetElement {
  const f = document.createElement('fieldset');
  const lg = document.createElement('legend');
  lg.textContent = legend;
  f.append(lg, ...children);
  return f;
}

function buildControls(): void {
  const box = $('migration-controls');
  box.replaceChildren(
    fieldset(
      'States',
      range('Number of states', 'c-N', 10, 400, 10, () => settings.N, (v) => (settings.N = v)),
      range('Regions', 'c-regions', 1, 10, 1, () => settings.regions, (v) => (settings.regions = v)),
    ),
    ...DEFAULTS.areas.map((_, i) =>
      fieldset(
        `Issue area: ${['refugee', 'irregular', 'skilled'][i]}`,
        range('Excludability', `c-ex-${i}`, 0, 1, 0.05, () => settings.areas[i].excludability, (v) => (settings.areas[i].excludability = v)),
        range('Rivalry', `c-riv-${i}`, 0, 1, 0.05, () => settings.areas[i].rivalry, (v) => (settings.areas[i].rivalry = v)),
        range('Reach', `c-reach-${i}`, 0, 1, 0.05, () => settings.areas[i].reach, (v) => (settings.areas[i].reach = v)),
      ),
    ),
    fieldset(
      'Mechanisms',
      range('Minimum participation', 'c-minpart', 0, 1, 0.05, () => settings.minimumParticipation, (v) => (settings.minimumParticipation = v)),
      range('Norms', 'c-norms', 0, 1, 0.05, () => settings.norms, (v) => (settings.norms = v)),
      range('Facilitation', 'c-facilitation', 0, 1, 0.05, () => settings.facilitation, (v) => (settings.facilitation = v)),
      range('Issue linkage', 'c-linkage', 0, 1, 0.05, () => settings.linkage, (v) => (settings.linkage = v)),
      range('Side payments', 'c-side', 0, 2, 0.05, () => settings.sidePayments, (v) => (settings.sidePayments = v)),
    ),
  );
  $('learning-controls').replaceChildren(
    range('Temperature / selection intensity', 'c-noise', 0, 5, 0.01, () => settings.noise, (v) => (settings.noise = v)),
    range('Revision rate', 'c-rate', 0.05, 1, 0.05, () => settings.revisionRate, (v) => (settings.revisionRate = v)),
    range('Speed (rounds per second)', 'c-speed', 1, 200, 1, () => settings.speed, (v) => (settings.speed = v), false),
  );
  const model = $<HTMLSelectElement>('c-model');
  model.replaceChildren(...models.map((m) => new Option(`${m.title} (${m.name})`, m.name)));
  model.addEventListener('change', () => {
    settings.model = model.value;
    if (settings.model !== MIGRATION) settings.other = JSON.stringify(setupDefaults(settings.model), null, 1);
    changed(true);
  });
  const rule = $<HTMLSelectElement>('c-rule');
  rule.addEventListener('change', () => {
    settings.rule = rule.value === 'fermi' ? 'fermi' : 'logit';
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
  const presets = $('presets');
  for (const p of PRESETS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.title;
    b.dataset.preset = p.id;
    b.addEventListener('click', () => {
      settings = applyPreset(settings, p.id);
      $('lesson').textContent = `${p.title}: ${p.lesson}`;
      changed(true);
    });
    presets.append(b);
  }
}

function setupDefaults(name: string): unknown {
  const m = models.find((x) => x.name === name);
  return m ? m.params.parse({}) : {};
}

function syncControls(): void {
  for (const c of controls) c.sync();
  $<HTMLSelectElement>('c-model').value = settings.model;
  $<HTMLSelectElement>('c-rule').value = settings.rule;
  $<HTMLInputElement>('c-seed').value = String(settings.seed);
  $<HTMLTextAreaElement>('c-other').value = settings.other;
  const mig = settings.model === MIGRATION;
  $('migration-controls').hidden = !mig;
  $('other-controls').hidden = mig;
  $('b-crisis').toggleAttribute('disabled', !mig);
  $('b-nationalism').toggleAttribute('disabled', !mig);
  $('role-legend').hidden = !mig;
  $('level-legend').hidden = levelTermsOf(settings.model).length === 0;
}

function changed(resets: boolean): void {
  history.replaceState(null, '', toHash(settings));
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
  send({ type: 'reset', settings: structuredClone(settings), to });
}

function requestStep(n: number): void {
  if (busy || !meta) return;
  busy = true;
  send({ type: 'step', n });
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
    lastEvent = null;
    view = null;
    pending = [];
    extraGen++;
    for (const c of extraCharts) {
      c.view = null;
      c.pending = [];
    }
    buildBoard();
  }
  choice = msg.choice;
  map = msg.map ?? null;
  for (const f of msg.frames) addFrame(f);
  if (msg.type === 'reset') {
    void embedChart();
    void embedExtraCharts();
  }
  drawBoard();
  drawMap();
  const last = trajectory[trajectory.length - 1];
  $('round').textContent = String(last ? last.round : 0);
  document.body.dataset.round = String(last ? last.round : 0);
  explain();
};

function rowsOf(f: Frame): unknown[] {
  if (!meta) return [];
  const rows: unknown[] = [];
  const K = meta.strategies.length;
  meta.games.forEach((g, gi) => {
    meta!.strategies.forEach((s, k) => {
      rows.push({ round: f.round, area: g, level: levelLabel(s), share: f.values[gi * K + k] });
    });
  });
  return rows;
}

function levelLabel(s: string): string {
  return levelTermsOf(settings.model).find((t) => t.id === s)?.label ?? s;
}

function addFrame(f: Frame): void {
  const prev = trajectory[trajectory.length - 1];
  trajectory.push(f);
  const rows = rowsOf(f);
  if (view) view.change('shares', vega.changeset().insert(rows)).run();
  else for (const row of rows) pending.push(row);
  for (const c of extraCharts) for (const row of c.rows(f)) c.pending.push(row);
  scheduleExtraFlush();
  if (prev) detectEvents(prev, f);
}

// ---- welfare by role, provision against need (migration-governance only) -----
// Redrawn lightly: their rows are buffered and streamed in at most every 400 ms.

interface ExtraChart {
  el: string;
  rows(f: Frame): unknown[];
  spec(values: unknown[]): unknown;
  view: VegaView | null;
  pending: unknown[];
}

const extraCharts: ExtraChart[] = [
  {
    el: 'welfare-chart',
    rows: (f) => ROLE_TERMS.map((role) => ({ round: f.round, role: role.label, welfare: metric(f, declaredMetric('welfare', { role: role.id })) })).filter((r) => Number.isFinite(r.welfare)),
    spec: (values) => ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Welfare by role',
      data: { name: 'rows', values },
      width: 260,
      height: 160,
      mark: { type: 'line', interpolate: 'linear' },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'round' },
        y: { field: 'welfare', type: 'quantitative', title: 'mean payoff per role weight', scale: { zero: false } },
        color: { field: 'role', type: 'nominal', title: 'role', scale: termScale(ROLE_TERMS), legend: { orient: 'bottom' } },
      },
    }),
    view: null,
    pending: [],
  },
  {
    el: 'provision-chart',
    rows: (f) =>
      (meta?.games ?? []).flatMap((area) => [
        { round: f.round, area, measure: 'provision', value: metric(f, `${area}_provision`), gap: metric(f, `${area}_gap`) },
        { round: f.round, area, measure: 'need', value: metric(f, `${area}_need`), gap: metric(f, `${area}_gap`) },
      ]).filter((r) => Number.isFinite(r.value)),
    spec: (values) => ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Provision against need (the gap between them is the protection gap)',
      data: { name: 'rows', values },
      facet: { column: { field: 'area', type: 'nominal', title: 'issue area', sort: meta?.games ?? [] } },
      spec: {
        width: 220,
        height: 140,
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'round', type: 'quantitative', title: 'round' },
          y: { field: 'value', type: 'quantitative', title: 'share of full provision' },
          color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['provision', 'need'], range: [NEUTRAL.mid, NEUTRAL.dark] }, legend: { orient: 'bottom' } },
          strokeDash: { field: 'measure', type: 'nominal', scale: { domain: ['provision', 'need'], range: [[1, 0], [5, 3]] } },
        },
      },
    }),
    view: null,
    pending: [],
  },
];
let extraTimer: ReturnType<typeof setTimeout> | null = null;
let extraGen = 0;

function scheduleExtraFlush(): void {
  if (extraTimer !== null) return;
  extraTimer = setTimeout(() => {
    extraTimer = null;
    for (const c of extraCharts) {
      if (!c.view || c.pending.length === 0) continue;
      c.view.change('rows', vega.changeset().insert(c.pending)).run();
      c.pending = [];
    }
    document.body.dataset.extraRound = String(trajectory.length ? trajectory[trajectory.length - 1].round : 0);
  }, 400);
}

async function embedExtraCharts(): Promise<void> {
  const gen = ++extraGen;
  const mig = settings.model === MIGRATION;
  $('extra-charts').hidden = !mig;
  if (!mig) return;
  await Promise.all(
    extraCharts.map(async (c) => {
      const initial = c.pending;
      c.pending = [];
      const res = await vegaEmbed($(c.el), c.spec(initial), { actions: false, renderer: 'svg' });
      if (gen !== extraGen) return;
      c.view = res.view;
      scheduleExtraFlush();
    }),
  );
}

async function embedChart(): Promise<void> {
  if (!meta) return;
  const gen = ++embedGen;
  const initial = pending;
  pending = [];
  // a model that declares its levels (migration-governance, migration-flows) gets their labels and colours
  const levels = levelTermsOf(settings.model);
  const mig = levels.length > 0;
  const scale = mig ? termScale(levels) : strategyScale(meta.strategies);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { name: 'shares', values: initial },
    facet: { column: { field: 'area', type: 'nominal', title: mig ? 'issue area' : null, sort: meta.games } },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'round' },
        y: { field: 'share', type: 'quantitative', title: 'share of states', scale: { domain: [0, 1] } },
        color: { field: 'level', type: 'nominal', title: mig ? 'level' : 'strategy', scale, legend: { labelLimit: 200, orient: 'bottom' } },
      },
    },
  };
  const res = await vegaEmbed($('chart'), spec, { actions: false, renderer: 'svg' });
  if (gen !== embedGen) return;
  view = res.view;
  view.change('shares', vega.changeset().insert(pending)).run();
  pending = [];
  document.body.dataset.chart = 'ready';
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

function drawBoard(): void {
  if (!meta) return;
  const G = meta.games.length;
  const g = Math.min(settings.boardArea, G - 1);
  for (const cell of document.querySelectorAll<HTMLElement>('#board .state')) {
    const i = Number(cell.dataset.state);
    const k = choice[i * G + g];
    cell.style.background = colourOf(k);
    const role = meta.role[i];
    cell.title = `state ${i}${role !== undefined ? ` (${ROLE_TERMS[role].label})` : ''}: ${meta.strategies[k]}`;
    cell.dataset.level = meta.strategies[k];
  }
}

function metric(f: Frame, name: string): number {
  const i = meta ? meta.metrics.indexOf(name) : -1;
  return i >= 0 ? f.values[i] : NaN;
}

function detectEvents(prev: Frame, f: Frame): void {
  if (!meta || settings.model !== MIGRATION) return;
  const N = meta.region.length;
  for (const g of meta.games) {
    const was = metric(prev, `${g}_in_force`);
    const now = metric(f, `${g}_in_force`);
    const members = Math.round(metric(f, `share_${g}_M`) * N);
    if (was === 0 && now === 1) lastEvent = { round: f.round, text: `the ${g} regime entered into force: ${members} of ${N} states ratified` };
    if (was === 1 && now === 0) lastEvent = { round: f.round, text: `the ${g} regime lapsed: only ${members} of ${N} states remain members` };
  }
  if (settings.crisisStart >= 0 && f.round === settings.crisisStart + 1) lastEvent = { round: f.round, text: 'a refugee crisis hits region 0: its stakes and the need for protection double' };
  if (settings.nationalismStart >= 0 && f.round === settings.nationalismStart + 1) {
    lastEvent = { round: f.round, text: `a nationalist turn: every state's sovereignty sensitivity is multiplied by ${NATIONALISM_FACTOR} for ${NATIONALISM_DURATION} rounds` };
  }
}

function explain(): void {
  const f = trajectory[trajectory.length - 1];
  if (!meta || !f) return;
  let text: string;
  if (lastEvent && f.round - lastEvent.round < 30) text = `Round ${lastEvent.round}: ${lastEvent.text}.`;
  else {
    const K = meta.strategies.length;
    const parts = meta.games.map((g, gi) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (f.values[gi * K + k] > f.values[gi * K + best]) best = k;
      const label = levelLabel(meta!.strategies[best]);
      return `${meta!.games.length > 1 ? `${g}: ` : ''}${label} (${Math.round(f.values[gi * K + best] * 100)} %)`;
    });
    text = `Round ${f.round}: the commonest choice is ${parts.join('; ')}.`;
  }
  $('explain').textContent = text;
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
  });
  window.addEventListener('hashchange', () => {
    const next = fromHash(location.hash);
    if (JSON.stringify(next) !== JSON.stringify(settings)) {
      settings = next;
      reset(0);
    }
  });
}

// ---- the phase-diagram tab: a small sweep across Web Workers ------------------
// Refugee excludability (x) by rivalry (y), nx x ny points x replications runs, each
// with `migov sweep`'s seed for the equivalent spec (settings.ts: setup(s, replication)).
// Cells are coloured by the modal level (the highest mean final share) as they complete.

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
let phaseQueue: { id: number; cell: PhaseCell; replication: number; settings: Settings }[] = [];
const phaseInFlight = new Map<number, { cell: PhaseCell; replication: number }>();
let phaseCells: PhaseCell[] = [];
let phaseGridNow: PhaseGrid | null = null;
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
  phaseInFlight.set(t.id, { cell: t.cell, replication: t.replication });
  w.postMessage({ type: 'phase', id: t.id, settings: t.settings, replication: t.replication, rounds: phaseGridNow!.rounds } satisfies ToWorker);
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
  phaseGridNow = g;
  delete document.body.dataset.phase;
  const xs = phaseValues(g.nx);
  const ys = phaseValues(g.ny);
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
  for (const x of xs) for (const y of ys) phaseCells.push({ x, y, runs: [] });
  // point-major, so that cells complete one after another
  for (const cell of phaseCells) {
    const point = phasePoint(settings, cell.x, cell.y);
    for (let r = 0; r < g.replications; r++) phaseQueue.push({ id: phaseNextId++, cell, replication: r, settings: point });
  }
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
(window as unknown as { migovDemo: unknown }).migovDemo = {
  trajectory: () => trajectory,
  step: (n: number) => requestStep(n),
  metrics: () => meta?.metrics ?? [],
  settings: () => settings,
  chartRows: () => (view ? view.data('shares').length : 0),
  spec: () => toSpec(settings, trajectory.length ? trajectory[trajectory.length - 1].round : 1),
  csv,
  extraRows: () => extraCharts.map((c) => (c.view ? c.view.data('rows').length : 0)),
  phaseRuns: () => phaseCells.flatMap((c) => c.runs),
  phaseModal: () => phaseCells.map((c) => ({ x: c.x, y: c.y, level: c.runs.length ? LEVELS[phaseModal(c)] : null })),
  phaseSpec: () => toPhaseSpec(settings, phaseGrid()),
  phaseWorkers: () => phaseWorkers.length,
  map: () => (map ? { states: map.x.length, flows: map.flows.map((f) => ({ game: f.game, path: [...f.path], amount: f.amount })) } : null),
};

buildControls();
wireButtons();
wirePhase();
history.replaceState(null, '', toHash(settings));
reset(0);
