/// <reference lib="dom" />
// The teaching demo's page: controls, presets, the live chart (Vega-Lite through
// vega-embed, streamed with view changesets), the board of states, the explanation
// line, shareable URLs and downloads. The simulation runs in a worker (worker.ts),
// whose source the build inlines as WORKER_SOURCE and starts from a Blob URL.
import { LEVEL_COLORS, LEVEL_LABELS, strategyScale } from '../charts/colors.ts';
import { models } from '../../models/index.ts';
import type { Frame, FromWorker, ToWorker } from './protocol.ts';
import { applyPreset, DEFAULTS, fromHash, MIGRATION, PRESETS, type Settings, setup, toHash, toSpec } from './settings.ts';

declare const WORKER_SOURCE: string;

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
  model.replaceChildren(...models.map((m) => new Option(m.name, m.name)));
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
  $('level-legend').hidden = !mig;
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
  if (msg.type === 'frames' && !meta) return; // stale: a reset is on its way
  busy = false;
  if (msg.type === 'reset') {
    meta = msg;
    trajectory = [];
    lastEvent = null;
    view = null;
    pending = [];
    buildBoard();
  }
  choice = msg.choice;
  for (const f of msg.frames) addFrame(f);
  if (msg.type === 'reset') void embedChart();
  drawBoard();
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
  return settings.model === MIGRATION && s in LEVEL_LABELS ? LEVEL_LABELS[s as keyof typeof LEVEL_LABELS] : s;
}

function addFrame(f: Frame): void {
  const prev = trajectory[trajectory.length - 1];
  trajectory.push(f);
  const rows = rowsOf(f);
  if (view) view.change('shares', vega.changeset().insert(rows)).run();
  else pending.push(...rows);
  if (prev) detectEvents(prev, f);
}

async function embedChart(): Promise<void> {
  if (!meta) return;
  const gen = ++embedGen;
  const initial = pending;
  pending = [];
  const mig = settings.model === MIGRATION;
  const scale = mig
    ? { domain: Object.values(LEVEL_LABELS), range: Object.values(LEVEL_COLORS) }
    : strategyScale(meta.strategies);
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
  const regions = Math.max(...meta.region) + 1;
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
    groups[r].append(cell);
  });
  board.replaceChildren(...groups);
}

function colourOf(k: number): string {
  if (!meta) return '#777';
  if (settings.model === MIGRATION) return Object.values(LEVEL_COLORS)[k] ?? '#777';
  return strategyScale(meta.strategies).range[k];
}

function drawBoard(): void {
  if (!meta) return;
  const G = meta.games.length;
  const g = Math.min(settings.boardArea, G - 1);
  for (const cell of document.querySelectorAll<HTMLElement>('#board .state')) {
    const i = Number(cell.dataset.state);
    const k = choice[i * G + g];
    cell.style.background = colourOf(k);
    cell.title = `state ${i}: ${meta.strategies[k]}`;
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
  const lines = [['round', ...meta.metrics].join(',')];
  for (const f of trajectory) lines.push([f.round, ...f.values].join(','));
  return `${lines.join('\n')}\n`;
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

/** Hooks for the end-to-end tests. */
(window as unknown as { migovDemo: unknown }).migovDemo = {
  trajectory: () => trajectory,
  step: (n: number) => requestStep(n),
  metrics: () => meta?.metrics ?? [],
  settings: () => settings,
  chartRows: () => (view ? view.data('shares').length : 0),
  spec: () => toSpec(settings, trajectory.length ? trajectory[trajectory.length - 1].round : 1),
  csv,
};

buildControls();
wireButtons();
history.replaceState(null, '', toHash(settings));
reset(0);
