// report.html in a real browser: headless Debian chromium (installed by .ci/run with
// apt-get; never a browser download) driven by playwright-core. Skipped, saying why,
// where /usr/bin/chromium is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, haveChromium, launchChromium } from '../browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { tempDir } from '../cli/helpers.ts';
import { barChart, lineChart, smallFolder } from './fixtures.ts';

const SCREENSHOT = resolve(import.meta.dirname, '../../results/report-screenshot.png');
const SCREENSHOT_FULL = resolve(import.meta.dirname, '../../results/report-screenshot-full.png');
if (!haveChromium) console.warn(`tests/report/browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

interface Opened {
  page: Page;
  /** Console messages of type error or warning, and uncaught page errors. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

let context: BrowserContext;

async function open(file: string): Promise<Opened> {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
  return { page, problems, requests };
}

/** Per chart container: its state and the number of drawn marks (items inside vega's mark groups). */
function chartStates(page: Page): Promise<{ id: string; state: string; marks: number }[]> {
  return page.$$eval('[data-chart]', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-chart') ?? '',
      state: el.getAttribute('data-state') ?? '',
      marks: el.querySelectorAll('svg g[class*="role-mark"] > *').length,
    })),
  );
}

function expectOffline(requests: readonly string[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const url of requests) expect(url, url).toMatch(/^(file|data|blob):/);
}

describe.skipIf(!haveChromium)('report.html in headless chromium', () => {
  beforeAll(async () => {
    context = await launchChromium();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('draws every chart offline with no console error, shows tooltips and prints without the menus', async () => {
    const dir = smallFolder();
    const { page, problems, requests } = await open(await writeReport(dir, { charts: () => [barChart('bars', 4), lineChart('line', 6)] }));
    expect(problems).toEqual([]);
    expectOffline(requests);
    const states = await chartStates(page);
    expect(states.map((s) => [s.id, s.state])).toEqual([
      ['bars', 'done'],
      ['line', 'done'],
    ]);
    expect(await page.locator('[data-chart="bars"] path[aria-roledescription="bar"]').count()).toBe(4);
    expect(await page.locator('[data-chart="line"] path[aria-roledescription="point"]').count()).toBe(6);
    // a tooltip with the bar's values on hover
    await page.locator('[data-chart="bars"] path[aria-roledescription="bar"]').nth(2).hover();
    const tooltip = page.locator('#vg-tooltip-element');
    await expect.poll(() => tooltip.getAttribute('class')).toMatch(/visible/);
    expect(await tooltip.textContent()).toMatch(/L2.*0\.75/);
    // every link in the contents leads to an element of the page
    const broken = await page.$$eval('nav.toc a', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => !as[0].ownerDocument.getElementById(h.slice(1))));
    expect(broken).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.vega-embed > details').first().isVisible()).toBe(false);
    expect(await page.locator('figure').first().isVisible()).toBe(true);
    await page.close();
  });

  it('shows the baseline experiment report (screenshots in results/report-screenshot.png and -full.png)', async () => {
    const dir = join(tempDir('migov-baseline-'), 'baseline');
    run('experiments/baseline.yaml', { out: dir, report: false });
    const { page, problems, requests } = await open(await writeReport(dir));
    expect(problems).toEqual([]);
    expectOffline(requests);
    const states = await chartStates(page);
    expect(states.map((s) => s.id)).toEqual(expect.arrayContaining(['level-shares', 'level-by-role']));
    for (const s of states) {
      expect(s.state, s.id).toBe('done');
      expect(s.marks, s.id).toBeGreaterThan(0);
    }
    expect(await page.locator('section#question p').first().textContent()).toMatch(/level at which states cooperate/);
    // the first 2,400 pixels (heading, contents, question, first charts) to read, and the whole page
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1280, height: 2400 }, fullPage: true });
    await page.screenshot({ path: SCREENSHOT_FULL, fullPage: true });
    expect(existsSync(SCREENSHOT) && existsSync(SCREENSHOT_FULL)).toBe(true);
    await page.close();
  });
});
