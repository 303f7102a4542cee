// The classroom in headless chromium: a teacher page and three student pages, each in
// its own browser context (its own localStorage, as on separate phones), play a few
// rounds; one reloads and rejoins, one leaves and is played by the agent rule; the
// teacher fires a crisis, ends the game and sees the debrief with the theory. Screenshots go to
// results/classroom-screens/ (git-ignored) for a person to look at.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassroomSession, defaultClassroomSpec } from '../../src/classroom/session.ts';
import { createClassroomServer } from '../../src/classroom/server.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { CHROMIUM, FLAGS, haveChromium } from '../browser.ts';

const SHOTS = join(import.meta.dirname, '../../results/classroom-screens');
const dir = mkdtempSync(join(tmpdir(), 'migov-classroom-browser-'));
let session: ClassroomSession;
let server: ReturnType<typeof createClassroomServer>;
let browser: Browser;
let base = '';
const foreign: string[] = [];
const consoleErrors: string[] = [];

if (!haveChromium) console.warn(`tests/classroom/browser.test.ts: browser tests skipped: ${CHROMIUM} is missing`);

async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) foreign.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(url);
  return page;
}

async function choose(page: Page, levels: string[]): Promise<void> {
  for (const [g, area] of session.games.entries()) await page.click(`button[data-area="${area}"][data-level="${levels[g]}"]`);
  await page.click('#send');
  await page.waitForSelector('#status:has-text("your choices are in"), #status:has-text("choose a level")');
}

describe.skipIf(!haveChromium)('migov classroom in chromium: a teacher and three students', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    session = new ClassroomSession({ spec: resolveSpec({ ...defaultClassroomSpec(), rounds: 6 }), seats: 3 });
    const { compileChart, renderSvg } = await import('../../src/report/render.ts');
    server = createClassroomServer(session, { out: dir, renderSvg: (c) => renderSvg(c.id, { ...compileChart(c), background: '#ffffff' }) });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays rounds from the pages, rejoins after a reload, plays a leaver by the rule, and ends with the debrief', async () => {
    const teacher = await open(`${base}/teacher#t=${session.teacherToken}`);
    await teacher.waitForSelector('#board tr[data-seat="2"]');
    const students: Page[] = [];
    for (const [i, seat] of session.seats.entries()) {
      const page = await open(base + '/', i === 0 ? { width: 390, height: 844 } : { width: 1280, height: 900 });
      await page.fill('#code', seat.code.toLowerCase());
      await page.click('#join-form button');
      await page.waitForSelector(`#who:has-text("You are ${session.stateInfo(seat.state).name}")`);
      students.push(page);
    }
    await expect.poll(() => session.seats.every((s) => s.connected), { timeout: 20_000 }).toBe(true);

    // round 1: two have moved, the teacher's board says so, the third completes the round
    await choose(students[0], ['M', 'C', 'U']);
    await choose(students[1], ['U', 'U', 'U']);
    await teacher.waitForSelector('#status:has-text("2 of 3 connected students have moved")');
    await teacher.waitForSelector('#board tr[data-seat="0"] td.yes:has-text("yes") + td.yes');
    await teacher.screenshot({ path: join(SHOTS, 'teacher-mid-game.png'), fullPage: true });
    await students[0].screenshot({ path: join(SHOTS, 'student-phone-waiting.png'), fullPage: true });
    await choose(students[2], ['C', 'C', 'M']);
    await expect.poll(() => session.round, { timeout: 20_000 }).toBe(1);
    await students[0].waitForSelector('#last:has-text("Last round (1)")');
    await students[0].screenshot({ path: join(SHOTS, 'student-phone-round-2.png'), fullPage: true });
    // a phone-wide page does not scroll sideways
    expect(await students[0].evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // a reload rejoins the same state (the seat's secret is in the page's localStorage)
    await students[1].reload();
    await students[1].waitForSelector(`#who:has-text("You are ${session.stateInfo(session.seats[1].state).name}")`);
    await students[1].waitForSelector('#status:has-text("Round 2 of 6")');

    // student 3 leaves: the board says the agent plays it, and round 2 runs without it
    await students[2].context().close();
    await teacher.waitForSelector('#board tr[data-seat="2"]:has-text("left (agent plays)")');
    await choose(students[0], ['M', 'M', 'M']);
    await choose(students[1], ['C', 'C', 'C']);
    await expect.poll(() => session.round, { timeout: 20_000 }).toBe(2);
    expect(session.moves().filter((m) => m.round === 2).map((m) => m.state)).not.toContain(session.seats[2].state);
    await teacher.waitForSelector('#status:has-text("Round 3 of 6")');

    // the teacher fires a crisis in refugee, region 1, from round 3: the board outlines the region's seats, the students are told
    teacher.on('dialog', (d) => void d.accept());
    await teacher.selectOption('#crisis-area', 'refugee');
    await teacher.selectOption('#crisis-region', '1');
    await teacher.fill('#crisis-duration', '3');
    await teacher.click('#fire-crisis');
    await teacher.waitForSelector('#crisis:has-text("Crisis in refugee, region 1, rounds 3 to 5")');
    expect(session.events()).toEqual([{ round: 3, kind: 'crisis', issueArea: 'refugee', region: 1, duration: 3, stakeFactor: 2, needFactor: 2 }]);
    const hit = session.seats.map((s, i) => ({ i, region: session.stateInfo(s.state).region })).filter((x) => x.region === 1).map((x) => String(x.i));
    expect(await teacher.$$eval('#board tr.crisis-hit', (rows) => rows.map((r) => r.getAttribute('data-seat')))).toEqual(hit);
    await students[0].waitForSelector('#crisis:has-text("Crisis in refugee, region 1")');
    await students[1].waitForSelector('#crisis.hit:has-text("your region is hit")');
    await students[1].screenshot({ path: join(SHOTS, 'student-crisis.png'), fullPage: true });
    await teacher.waitForFunction(() => {
      const img = document.querySelector('#chart img') as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth > 0;
    }, undefined, { timeout: 60_000 });
    await teacher.screenshot({ path: join(SHOTS, 'teacher-round-3.png'), fullPage: true });

    // the teacher advances round 3 with one student still choosing, then ends the game
    await choose(students[0], ['U', 'C', 'M']);
    await teacher.click('#advance');
    await expect.poll(() => session.round, { timeout: 20_000 }).toBe(3);
    await teacher.click('#end');
    await teacher.waitForSelector('#debrief-states tr:nth-child(4)');
    await teacher.waitForFunction(() => [...document.querySelectorAll('#debrief img')].every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), undefined, { timeout: 60_000 });
    await teacher.screenshot({ path: join(SHOTS, 'teacher-debrief.png'), fullPage: true });
    // the theory beside the class and the agents, one row per issue area, as the session computed it
    const theory = session.theory()!;
    expect(await teacher.$$eval('#theory-areas td.expects', (cells) => cells.map((c) => c.textContent))).toHaveLength(theory.areas.length);
    expect(await teacher.textContent('#theory-areas tr[data-area="refugee"] td.expects')).toMatch(new RegExp(`^${theory.areas[0].expected ?? 'no equilibrium'}`));
    await teacher.waitForSelector('#theory:has-text("Theory expects")');
    await students[0].waitForSelector('#status:has-text("The game has ended")');
    expect(session.moves()).toHaveLength((3 + 2 + 1) * 3);
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
