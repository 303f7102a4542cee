// The browser teaching demo end to end: `migov demo --out` builds it, and headless
// Debian chromium (installed by .ci/run with apt-get; never a browser download) driven
// by playwright-core loads it from file://. Skipped, saying why, where
// /usr/bin/chromium is missing. Screenshots: results/demo-screenshot.png (desktop),
// results/demo-phone.png and results/demo-phone-phase.png (a 390 px wide phone).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, haveChromium, launchChromium } from '../browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadSpec } from '../../src/experiment/load.ts';
import { runExperiment } from '../../src/sweep/experiment.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { runTask } from '../../src/sweep/run-task.ts';
import type { RunTask } from '../../src/sweep/plan.ts';
import { createSimulation } from '../../src/engine/simulate.ts';
import { flowsMap } from '../../models/migration-flows/map.ts';
import type { FlowsState } from '../../models/migration-flows/state.ts';
import { DEFAULTS, fromHash, setup, toHash, type Settings } from '../../src/demo/settings.ts';
import { DEFAULT_LESSON, LESSONS } from '../../src/demo/lessons.ts';
import type { Frame } from '../../src/demo/protocol.ts';

const SCREENSHOT = resolve(import.meta.dirname, '../../results/demo-screenshot.png');
const PHONE = resolve(import.meta.dirname, '../../results/demo-phone.png');
const PHONE_PHASE = resolve(import.meta.dirname, '../../results/demo-phone-phase.png');
const MAP_SHOT = resolve(import.meta.dirname, '../../results/demo-flows-map.png');
if (!haveChromium) console.warn(`tests/demo/demo.test.ts: browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

interface DemoHooks {
  trajectory(): Frame[];
  settings(): Settings;
  chartRows(): number;
  step(n: number): void;
  spec(): string;
  extraRows(): number[];
  phaseRuns(): { x: number; y: number; replication: number; seed: string; shares: number[] }[];
  phaseModal(): { x: number; y: number; level: string | null }[];
  phaseSpec(): string;
  phaseTasks(): RunTask[];
  phaseWorkers(): number;
  map(): { states: number; flows: { game: number; path: number[]; amount: number }[] } | null;
}

let out = '';
let context: BrowserContext;

async function open(hash = '', viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(out, 'index.html')).href + hash);
  await page.waitForSelector('body[data-chart="ready"]', { timeout: 60_000 });
  return { page, problems, requests };
}

const hooks = (page: Page) => ({
  trajectory: () => page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.trajectory()),
  settings: () => page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.settings()),
  chartRows: () => page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.chartRows()),
  spec: () => page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.spec()),
  extraRows: () => page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.extraRows()),
  /** Runs n rounds in the worker and waits until the page shows them. */
  async step(n: number) {
    const target = Number(await page.getAttribute('body', 'data-round')) + n;
    await page.evaluate((k) => (window as unknown as { migovDemo: DemoHooks }).migovDemo.step(k), n);
    await page.waitForSelector(`body[data-round="${target}"]`, { timeout: 60_000 });
  },
});

/** The same settings run in Node by the engine: one frame per round, rounds 0..n. */
function nodeTrajectory(s: Settings, n: number): Frame[] {
  const run = setup(s);
  const sim = createSimulation(run.model, run.params, run.protocol, run.seed);
  const frames = [{ round: 0, values: sim.measure() }];
  for (let i = 0; i < n; i++) {
    sim.step();
    frames.push({ round: sim.round, values: sim.measure() });
  }
  return frames;
}

/**
 * The page's trajectory against Node's. Every state's choices follow the same random
 * stream, so the share of each level (the first games x strategies values) must be
 * equal exactly. The other metrics may differ in the last bit or two: Math.pow and
 * Math.exp are not correctly rounded in V8 and differ by an ulp between Node's V8 and
 * Chromium's (the migration model draws Pareto capacities with Math.pow), so they are
 * compared to a relative 1e-12, far below any difference a setting could make.
 */
function expectSameTrajectory(page: Frame[], node: Frame[], shares: number): void {
  expect(page.map((f) => f.round)).toEqual(node.map((f) => f.round));
  expect(page.map((f) => f.values.slice(0, shares))).toEqual(node.map((f) => f.values.slice(0, shares)));
  page.forEach((f, r) =>
    f.values.forEach((v, i) => {
      const w = node[r].values[i];
      if (!(Number.isNaN(v) && Number.isNaN(w))) expect(Math.abs(v - w), `round ${r} value ${i}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }),
  );
}

beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), 'migov-demo-test-')), 'site');
  expect(await main(['node', 'migov', 'demo', '--out', out])).toBe(0);
}, 120_000);

describe('migov demo --out', () => {
  it('writes the page, its bundle (worker inlined) and the vega libraries', () => {
    for (const f of ['index.html', 'demo.js', 'vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('refuses a port that is not one (exit 2)', async () => {
    expect(await main(['node', 'migov', 'demo', '--port', 'eighty'])).toBe(2);
  });
});

describe('settings in the URL', () => {
  it('round-trips every setting, and clamps what is out of range', () => {
    const s: Settings = { ...structuredClone(DEFAULTS), seed: 42, rule: 'fermi', noise: 2, N: 120, minimumParticipation: 0.6, crisisStart: 12, nationalismStart: 20 };
    s.areas[1].reach = 0.45;
    expect(fromHash(toHash(s))).toEqual(s);
    expect(fromHash(toHash({ ...s, norms: 7 })).norms).toBe(1);
    expect(fromHash('#not-json')).toEqual(DEFAULTS);
  });
});

describe.skipIf(!haveChromium)('the demo in headless chromium, from file://', () => {
  beforeAll(async () => {
    context = await launchChromium();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('loads offline with no console error; play advances the rounds, the chart, the board and the explanation', async () => {
    const { page, problems, requests } = await open();
    const h = hooks(page);
    expect(await page.textContent('#round')).toBe('0');
    const rows0 = await h.chartRows();
    expect(rows0).toBe(9); // round 0: 3 issue areas x 3 levels
    expect(await page.locator('#board .state').count()).toBe(60);
    const explain0 = await page.textContent('#explain');
    await page.click('#b-play');
    await page.waitForFunction(() => Number(document.body.dataset.round) >= 20, undefined, { timeout: 60_000 });
    await page.click('#b-play');
    const round = Number(await page.textContent('#round'));
    expect(round).toBeGreaterThanOrEqual(20);
    await expect.poll(() => h.chartRows()).toBeGreaterThanOrEqual(9 * (round + 1));
    expect(await page.textContent('#explain')).not.toBe(explain0);
    // the default settings: the refugee regime forms (its board turns M) with the default seed
    expect(await page.locator('#board .state[data-level="M"]').count()).toBeGreaterThan(0);
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url, url).toMatch(/^(file|data|blob):/);
    await page.close();
  });

  it('a preset changes the settings, the sliders, the lesson and the URL; a slider change survives a reload from the URL', async () => {
    const { page, problems } = await open();
    const h = hooks(page);
    await page.click('button[data-preset="treaty"]');
    expect((await h.settings()).minimumParticipation).toBe(0.6);
    expect(await page.inputValue('#c-minimumParticipation')).toBe('0.6');
    expect(await page.textContent('#lesson')).toMatch(/60 %/);
    await page.click('button[data-preset="tragedy"]');
    expect((await h.settings()).norms).toBe(0);
    expect(await page.inputValue('#c-excludability-2')).toBe('0');
    // move a slider with the keyboard
    await page.focus('#c-norms');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect((await h.settings()).norms).toBeCloseTo(0.1, 12);
    const url = page.url();
    const settings = await h.settings();
    expect(fromHash(new URL(url).hash)).toEqual(settings);
    await page.close();
    const again = await open(new URL(url).hash);
    expect(await hooks(again.page).settings()).toEqual(settings);
    expect(await again.page.inputValue('#c-norms')).toBe('0.1');
    expect(problems).toEqual([]);
    expect(again.problems).toEqual([]);
    await again.page.close();
  });

  it('gives the Node engine\'s trajectory (every level share exactly), and `migov run` of the downloaded spec gives it too', async () => {
    const s: Settings = { ...structuredClone(DEFAULTS), seed: 7, N: 40, crisisStart: 5, minimumParticipation: 0.3 };
    const { page, problems } = await open(toHash(s));
    const h = hooks(page);
    await h.step(30);
    const inPage = await h.trajectory();
    expect(inPage.map((f) => f.round)).toEqual([...Array(31).keys()]);
    const node = nodeTrajectory(s, 30);
    expectSameTrajectory(inPage, node, 9);
    // the spec the page downloads, run by `migov run`'s engine, gives Node's numbers exactly
    const file = join(mkdtempSync(join(tmpdir(), 'migov-demo-spec-')), 'spec.json');
    writeFileSync(file, await h.spec());
    const result = runExperiment(loadSpec(file)).replications[0].result;
    expect(result.rounds).toEqual(node.map((f) => f.round));
    expect(result.values).toEqual(node.map((f) => f.values));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the crisis button replays to now with the crisis starting now; a textbook game runs from the menu', async () => {
    const { page, problems } = await open(toHash({ ...structuredClone(DEFAULTS), N: 40 }));
    const h = hooks(page);
    await h.step(10);
    await page.click('#b-crisis');
    await page.waitForFunction(() => document.body.dataset.round === '10' && (window as unknown as { migovDemo: DemoHooks }).migovDemo.settings().crisisStart === 10);
    await h.step(10);
    const s = await h.settings();
    expect(s.crisisStart).toBe(10);
    expectSameTrajectory(await h.trajectory(), nodeTrajectory(s, 20), 9);
    expect(await page.textContent('#explain')).toMatch(/crisis|regime|commonest/);
    await page.click('#g-run > summary');
    await page.selectOption('#c-model', 'linear-pgg');
    await page.waitForFunction(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.settings().model === 'linear-pgg');
    await page.waitForSelector('body[data-round="0"]');
    // its numeric parameters as fields, in its schema's words, editing the spec's params
    await page.click('details[data-group="Model parameters"] > summary');
    expect(await page.textContent('label[for="c-p-r"]')).toBe('multiplication factor r');
    await page.fill('#c-p-r', '4');
    await page.dispatchEvent('#c-p-r', 'change');
    await page.waitForFunction(() => JSON.parse((window as unknown as { migovDemo: DemoHooks }).migovDemo.settings().other).r === 4);
    await page.selectOption('#c-rule', 'fermi');
    await page.waitForSelector('body[data-chart="ready"]');
    await h.step(5);
    const pgg = await h.settings();
    expect(pgg.rule).toBe('fermi');
    expectSameTrajectory(await h.trajectory(), nodeTrajectory(pgg, 5), 2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows welfare by role and provision against need, marks roles on the board, and the nationalism button replays to now', async () => {
    const { page, problems } = await open(toHash({ ...structuredClone(DEFAULTS), N: 40 }));
    const h = hooks(page);
    // every state carries its main role's letter
    const letters = await page.$$eval('#board .state', (cells) => cells.map((c) => c.textContent));
    expect(letters).toHaveLength(40);
    for (const l of letters) expect(['O', 'T', 'D']).toContain(l);
    expect(new Set(letters).size).toBeGreaterThan(1);
    await h.step(10);
    // the views are streamed in at most every 400 ms: wait for round 10's rows
    // (welfare: 3 roles per round; provision: 3 areas x {provision, need} per round)
    await expect.poll(() => h.extraRows(), { timeout: 60_000 }).toEqual([3 * 11, 6 * 11]);
    expect(await page.locator('#welfare-chart svg').count()).toBe(1);
    expect(await page.locator('#provision-chart svg').count()).toBe(1);
    await page.click('#b-nationalism');
    await page.waitForFunction(() => document.body.dataset.round === '10' && (window as unknown as { migovDemo: DemoHooks }).migovDemo.settings().nationalismStart === 10);
    await h.step(5);
    const s = await h.settings();
    expect(s.nationalismStart).toBe(10);
    expect(fromHash(new URL(page.url()).hash).nationalismStart).toBe(10);
    expectSameTrajectory(await h.trajectory(), nodeTrajectory(s, 15), 9);
    // the nationalist turn changes the run: without it the trajectory differs by round 15
    const without = nodeTrajectory({ ...s, nationalismStart: -1 }, 15);
    expect((await h.trajectory()).map((f) => f.values)).not.toEqual(without.map((f) => f.values));
    expect(await page.textContent('#explain')).toMatch(/^Round 15: Nationalist turn \(rounds 10-59\)/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the phase diagram runs across workers with `migov sweep`\'s seeds and numbers (2 x 2 points x 2 replications, 30 rounds)', async () => {
    const { page, problems } = await open(toHash({ ...structuredClone(DEFAULTS), N: 30, seed: 11 }));
    await page.click('#t-phase');
    expect(await page.isVisible('#p-phase')).toBe(true);
    expect(await page.isVisible('#p-live')).toBe(false);
    for (const [id, v] of [['#ph-nx', '2'], ['#ph-ny', '2'], ['#ph-reps', '2'], ['#ph-rounds', '30']]) await page.fill(id, v);
    await page.click('#ph-run');
    await page.waitForSelector('body[data-phase="done"]', { timeout: 60_000 });
    const runs = await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.phaseRuns());
    const modal = await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.phaseModal());
    expect(await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.phaseWorkers())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#ph-map .ph-cell[data-level]').count()).toBe(4);
    // the sweep spec the page offers, planned and run as `migov sweep` does
    const file = join(mkdtempSync(join(tmpdir(), 'migov-demo-phase-')), 'phase.json');
    writeFileSync(file, await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.phaseSpec()));
    const plan = planSweep(loadSpec(file), file);
    expect(plan.tasks).toHaveLength(8);
    // the page planned its runs with the same code: the same tasks (parameters, protocol, seeds), in the same order
    const pageTasks = await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.phaseTasks());
    expect(pageTasks).toEqual(plan.tasks);
    expect(new Set(pageTasks.map((t) => t.seed)).size).toBe(8);
    expect(runs).toHaveLength(8);
    const node = plan.tasks.map((task) => {
      const out = runTask(task);
      const pt = plan.points[task.point].values;
      const shares = ['U', 'C', 'M'].map((l) => out.final[out.metrics.indexOf(`share_refugee_${l}`)]);
      return { x: pt['params.issueAreas.0.excludability'], y: pt['params.issueAreas.0.rivalry'], replication: task.replication, seed: task.seed, shares };
    });
    const order = (a: { x: unknown; y: unknown; replication: number }, b: { x: unknown; y: unknown; replication: number }) =>
      Number(a.x) - Number(b.x) || Number(a.y) - Number(b.y) || a.replication - b.replication;
    expect([...runs].sort(order)).toEqual([...node].sort(order));
    // the modal level of each cell: the level with the highest mean final share
    for (const cell of modal) {
      const mine = node.filter((r) => r.x === cell.x && r.y === cell.y);
      const means = [0, 1, 2].map((k) => mine.reduce((a, r) => a + r.shares[k], 0) / mine.length);
      expect(cell.level).toBe(['U', 'C', 'M'][means.indexOf(Math.max(...means))]);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs migration-flows in the worker as Node does, and draws its map: states at their positions coloured by level, the larger flows as arrows', async () => {
    // a scheduled crisis in region 0 from round 0, so that refugee flows exist by round 20
    const other = JSON.stringify({ refugee: { crises: [{ region: 0, onset: 0, duration: 50, size: 0.5 }] } });
    const s0: Settings = { ...structuredClone(DEFAULTS), model: 'migration-flows', seed: 11, other };
    const { page, problems } = await open(toHash(s0));
    const h = hooks(page);
    await page.waitForSelector('body[data-map]');
    await h.step(20);
    const s = await h.settings();
    expect(s.model).toBe('migration-flows');
    expectSameTrajectory(await h.trajectory(), nodeTrajectory(s, 20), 9);
    // the map the page drew is the model's map of Node's run at round 20
    const run = setup(s);
    const sim = createSimulation<FlowsState>(run.model, run.params, run.protocol, run.seed);
    for (let r = 0; r < 20; r++) sim.step();
    const expected = flowsMap(sim.state);
    const drawn = (await page.evaluate(() => (window as unknown as { migovDemo: DemoHooks }).migovDemo.map()))!;
    expect(drawn.states).toBe(60);
    expect(drawn.flows.map((f) => [f.game, f.path])).toEqual(expected.flows.map((f) => [f.game, [...f.path]]));
    drawn.flows.forEach((f, i) => expect(Math.abs(f.amount - expected.flows[i].amount)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected.flows[i].amount)));
    for (const g of [0, 1, 2]) expect(drawn.flows.filter((f) => f.game === g).length, `flows of area ${g}`).toBeGreaterThan(0);
    expect(await page.locator('#map circle.map-state').count()).toBe(60);
    expect(await page.locator('#map polyline.flow').count()).toBe(drawn.flows.length);
    // each state's colour is its level's, as the model declares it, on the chosen issue area
    const declared = (run.model.vocabularies as unknown as { levels: { id: string; color: string }[] }).levels;
    for (const area of [0, 2]) {
      await page.selectOption('#c-board-area', String(area));
      const circles = await page.$$eval('#map circle.map-state', (cs) => cs.map((c) => ({ level: c.getAttribute('data-level'), fill: c.getAttribute('fill') })));
      circles.forEach((c, i) => {
        expect(c.level).toBe(['U', 'C', 'M'][sim.state.pop.choice[i * 3 + area]]);
        expect(c.fill).toBe(declared.find((t) => t.id === c.level)!.color);
      });
    }
    await page.selectOption('#c-board-area', '0');
    expect(await page.textContent('#c-model option[value="migration-flows"]')).toMatch(/^Migration flows on a map/);
    mkdirSync(resolve(MAP_SHOT, '..'), { recursive: true });
    await page.locator('#map-box').screenshot({ path: MAP_SHOT });
    // another model hides the map
    await page.click('#g-run > summary');
    await page.selectOption('#c-model', 'linear-pgg');
    await page.waitForFunction(() => document.body.dataset.map === undefined);
    expect(await page.locator('#map-box').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a 390 px phone: nothing overflows horizontally, live or phase tab', async () => {
    const { page, problems } = await open(toHash({ ...structuredClone(DEFAULTS), N: 40 }), { width: 390, height: 844 });
    await hooks(page).step(5);
    await page.waitForSelector('#welfare-chart svg');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    mkdirSync(resolve(PHONE, '..'), { recursive: true });
    await page.screenshot({ path: PHONE, fullPage: true });
    await page.click('#t-phase');
    for (const [id, v] of [['#ph-nx', '6'], ['#ph-ny', '6'], ['#ph-reps', '1'], ['#ph-rounds', '10']]) await page.fill(id, v);
    await page.click('#ph-run');
    await page.waitForSelector('body[data-phase="done"]', { timeout: 60_000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: PHONE_PHASE, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  // ---- the page a class sees: health at three sizes, lessons, events, readable charts ----

  /** Text sizes in the charts' SVG, the body's size, chart widths against their boxes, number-like labels with long decimals. */
  const measure = (page: Page) =>
    page.evaluate(() => {
      const body = parseFloat(getComputedStyle(document.body).fontSize);
      const texts = [...document.querySelectorAll('.chart svg text')].filter((t) => (t.textContent ?? '').trim() !== '' && getComputedStyle(t).opacity !== '0');
      const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize));
      const charts = [...document.querySelectorAll<HTMLElement>('.chart')].filter((c) => c.offsetParent !== null);
      return {
        body,
        smallest: Math.min(...sizes),
        texts: texts.length,
        tooWide: charts.filter((c) => (c.querySelector('svg')?.getBoundingClientRect().width ?? 0) > c.clientWidth + 0.5).map((c) => c.id),
        longDecimals: texts.map((t) => t.textContent ?? '').filter((t) => /\d\.\d{4,}/.test(t)),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      };
    });

  for (const size of [
    { name: '1280 px', viewport: { width: 1280, height: 900 }, large: false },
    { name: '1280 x 720 px with large type (a projector)', viewport: { width: 1280, height: 720 }, large: true },
    { name: '390 px (a phone)', viewport: { width: 390, height: 844 }, large: false },
  ]) {
    it(`at ${size.name}: no console error, no request outside the page; no sideways scroll; chart text at least body size; no long-decimal axis labels, before and after Play`, async () => {
      const { page, problems, requests } = await open('', size.viewport);
      if (size.large) {
        await page.click('#b-large');
        await page.waitForSelector('body.large[data-chart="ready"]', { timeout: 60_000 });
      }
      // before Play: round 0 alone (the old page's welfare axis read "0.000000" here)
      await page.waitForTimeout(500);
      const before = await measure(page);
      expect(before.longDecimals).toEqual([]);
      expect(before.smallest).toBeGreaterThanOrEqual(before.body);
      await hooks(page).step(40);
      await page.waitForFunction(() => Number(document.body.dataset.extraRound) >= 40, undefined, { timeout: 60_000 });
      const after = await measure(page);
      expect(after.texts).toBeGreaterThan(20);
      expect(after.smallest, `chart text ${after.smallest} px, body ${after.body} px`).toBeGreaterThanOrEqual(after.body);
      expect(after.tooWide).toEqual([]);
      expect(after.longDecimals).toEqual([]);
      expect(after.overflow).toBeLessThanOrEqual(0);
      if (size.large) expect(after.body).toBeGreaterThanOrEqual(22);
      expect(problems).toEqual([]);
      for (const url of requests) expect(url, url).toMatch(/^(file|data|blob):/);
      mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: resolve(SCREENSHOT, '..', `demo-${size.viewport.width}${size.large ? '-large' : ''}.png`), fullPage: true });
      await page.close();
    });
  }

  it('the page opens on the first lesson, titled as its run; on a phone the lesson and Play come before the controls, which are collapsed', async () => {
    const { page, problems } = await open('', { width: 390, height: 844 });
    expect(await page.textContent('#title')).toBe(DEFAULT_LESSON.title);
    expect(await page.getAttribute('body', 'data-lesson')).toBe(DEFAULT_LESSON.id);
    expect(await page.textContent('#lesson-claim')).toContain(DEFAULT_LESSON.claim);
    const top = (sel: string) => page.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().top, sel);
    const play = await top('#b-play');
    expect(play).toBeLessThan(844);
    expect(await top('#lesson')).toBeLessThan(play);
    expect(play).toBeLessThan(await top('#chart'));
    expect(play).toBeLessThan(await top('#controls'));
    // every group of controls is a closed <details>; a slider shows once its group opens
    const groups = await page.$$eval('#controls details.group', (ds) => ds.map((d) => (d as HTMLDetailsElement).open));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    expect(groups.every((o) => !o)).toBe(true);
    expect(await page.isVisible('#c-norms')).toBe(false);
    await page.click('details[data-group="What helps or hinders cooperation"] > summary');
    expect(await page.isVisible('#c-norms')).toBe(true);
    // each slider's words come from the model's schema (label, unit, meaning), and the glossary lists them with U, C, M and round
    expect(await page.textContent('label[for="c-norms"]')).toBe('norms');
    expect(await page.getAttribute('#c-norms', 'title')).toMatch(/^norms \(share of benefit, 0-1\): share of an in-force regime's benefit/);
    const terms = await page.$$eval('#glossary dt', (ds) => ds.map((d) => d.textContent));
    for (const t of ['U unilateral', 'C club', 'M multilateral', 'round', 'norms', 'minimum participation', 'excludability of refugee', 'revision rate']) expect(terms).toContain(t);
    // the Info panel: what it is, things to notice, to try, sources
    await page.click('#info > summary');
    expect(await page.locator('#info-notice li').count()).toBe(DEFAULT_LESSON.notice.length);
    expect(await page.locator('#info-try li').count()).toBe(DEFAULT_LESSON.tryThis.length);
    expect(await page.locator('#info-sources li').count()).toBe(DEFAULT_LESSON.sources.length);
    // a changed setting says so; another seed does not
    await page.click('#g-run > summary');
    await page.fill('#c-seed', '5');
    await page.dispatchEvent('#c-seed', 'change');
    expect(await page.textContent('#title')).toBe(DEFAULT_LESSON.title);
    await page.$eval('#c-norms', (el) => {
      (el as HTMLInputElement).value = '0.5';
      el.dispatchEvent(new Event('input'));
    });
    expect(await page.textContent('#title')).toMatch(/^Your own settings/);
    expect(await page.isVisible('#lesson-changed')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a crisis puts a labelled rule on every time chart and outlines region 0 on the board; the explanation line is always the current round', async () => {
    const { page, problems } = await open();
    await page.click('button[data-preset="crisis"]');
    await page.waitForFunction(() => document.body.dataset.lesson === 'crisis' && document.body.dataset.chart === 'ready', undefined, { timeout: 60_000 });
    const h = hooks(page);
    for (const n of [10, 25, 10]) {
      await h.step(n);
      const round = await page.getAttribute('body', 'data-round');
      expect(await page.textContent('#explain')).toMatch(new RegExp(`^Round ${round}: `));
      expect(await page.textContent('#round')).toBe(round);
    }
    // round 45: the crisis began at round 30
    await page.waitForFunction(() => Number(document.body.dataset.extraRound) >= 45, undefined, { timeout: 60_000 });
    const events = (await page.evaluate(() => (window as unknown as { migovDemo: { events(): { round: number; event: string; panel: string }[][] } }).migovDemo.events())) as { round: number; event: string; panel: string }[][];
    expect(events).toHaveLength(3);
    for (const chart of events) expect(chart.filter((e) => e.event === 'crisis' && e.round === 30).length).toBeGreaterThan(0);
    // the level and provision charts mark it in each issue area's panel
    expect(new Set(events[0].filter((e) => e.event === 'crisis').map((e) => e.panel))).toEqual(new Set(['refugee', 'irregular', 'skilled']));
    expect(await page.locator('#chart svg text', { hasText: /^crisis$/ }).count()).toBeGreaterThanOrEqual(3);
    expect(await page.getAttribute('#board .region[data-region="0"]', 'class')).toMatch(/\bhit\b/);
    expect(await page.getAttribute('#board .region[data-region="1"]', 'class')).not.toMatch(/\bhit\b/);
    expect(await page.textContent('#explain')).toMatch(/^Round 45: Refugee crisis in region 0 \(rounds 30-79\)/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('every lesson\'s claim holds on the run the page shows (its own seed, in the worker, to the lesson\'s last round)', async () => {
    const { page, problems } = await open();
    for (const lesson of LESSONS) {
      await page.click(`button[data-preset="${lesson.id}"]`);
      await page.waitForFunction((id) => document.body.dataset.lesson === id && document.body.dataset.round === '0', lesson.id, { timeout: 60_000 });
      await hooks(page).step(lesson.rounds);
      const frames = await hooks(page).trajectory();
      const metrics = (await page.evaluate(() => (window as unknown as { migovDemo: { metrics(): string[] } }).migovDemo.metrics())) as string[];
      expect(frames).toHaveLength(lesson.rounds + 1);
      expect(lesson.check({ metrics, frames }), lesson.id).toEqual([]);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
