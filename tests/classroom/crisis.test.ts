// The teacher's crisis (issue 16, item 6): a model event (`events` in a spec, the
// engine's RunEvent) that sets the state the crisis schedule would, leaves the run's
// seed as it was, is saved with the session and replayed exactly by `migov run`, and
// is the teacher's alone.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModel } from '../../models/index.ts';
import { analyzeLevels } from '../../src/analysis/levels.ts';
import { ClassroomSession, defaultClassroomSpec } from '../../src/classroom/session.ts';
import { createClassroomServer, withEvents } from '../../src/classroom/server.ts';
import { main } from '../../src/cli/main.ts';
import { replaySession } from './replay.ts';
import { createRng } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { resolveEvents } from '../../src/experiment/moves.ts';
import { specIdentity } from '../../src/sweep/experiment.ts';

const spec = resolveSpec(defaultClassroomSpec());
const model = findModel(spec.model)!;
const crisis = { issueArea: 'refugee', region: 1, duration: 4, stakeFactor: 2, needFactor: 2 };

describe('a crisis event', () => {
  it('sets the state the crisis schedule would: round r is params.mechanisms.crisis with start r - 1, on the same seed', () => {
    const opts = { seed: 'crisis-seed', rounds: 12, recordEvery: 1 };
    const mechanisms = { ...(spec.params.mechanisms as object), crisis: { ...crisis, start: 4 } };
    const scheduled = simulate(model, { ...spec.params, mechanisms }, spec.protocol, opts);
    const fired = simulate(model, spec.params, spec.protocol, { ...opts, events: [{ round: 5, kind: 'crisis', fields: crisis }] });
    expect(fired).toEqual(scheduled);
    // and it did something: the run without it differs
    expect(simulate(model, spec.params, spec.protocol, opts).values).not.toEqual(fired.values);
  });

  it('leaves a run without events as it was (none, or an empty list), and the seed out of it', () => {
    const opts = { seed: 'abc', rounds: 10, recordEvery: 1 };
    expect(simulate(model, spec.params, spec.protocol, { ...opts, events: [] })).toEqual(simulate(model, spec.params, spec.protocol, opts));
    const withEvents = resolveSpec({ ...defaultClassroomSpec(), events: [{ round: 2, kind: 'crisis', issueArea: 'refugee', region: 0, duration: 3 }] });
    expect(specIdentity(withEvents)).toEqual(specIdentity(spec));
    expect(withEvents.params).toEqual(spec.params);
  });

  it("is checked against the model's event schema: kind, issue area, region, unknown fields", () => {
    const r = resolveEvents(model, spec.params, [
      { round: 1, kind: 'flood', issueArea: 'refugee', region: 0, duration: 2 },
      { round: 1, kind: 'crisis', issueArea: 'refuge', region: 0, duration: 2 },
      { round: 1, kind: 'crisis', issueArea: 'refugee', region: 3, duration: 2 },
      { round: 1, kind: 'crisis', issueArea: 'refugee', region: 0, duration: 2, start: 4 },
    ]);
    expect(r.problems.map((p) => p.field)).toEqual(['events.0.kind', 'events.1.issueArea', 'events.2.region', 'events.3']);
    expect(r.problems[0].message).toMatch(/has the events crisis/);
    expect(() => resolveSpec({ ...defaultClassroomSpec(), events: [{ round: 0, kind: 'crisis' }] })).toThrow(/events/);
  });
});

describe('a spec with events', () => {
  it('is refused by migov sweep (a sweep would run every point without them), nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migov-crisis-sweep-'));
    try {
      const file = join(dir, 'sweep.json');
      writeFileSync(file, JSON.stringify({ ...defaultClassroomSpec(), rounds: 2, events: [{ round: 1, kind: 'crisis', issueArea: 'refugee', region: 0, duration: 1 }], sweep: { design: 'grid', factors: [{ path: 'params.multiplier', values: [1, 2] }] } }));
      const err: string[] = [];
      const e = console.error;
      console.error = (...a: unknown[]) => err.push(a.join(' '));
      let code: number;
      try {
        code = await main(['node', 'migov', 'sweep', file, '--out', join(dir, 'sw')]);
      } finally {
        console.error = e;
      }
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(/events.*a sweep would run every point without the events/s);
      expect(existsSync(join(dir, 'sw'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a crisis fired for a round the game never played (ended first) is left out of the saved spec', () => {
    const s = new ClassroomSession({ spec: resolveSpec({ ...defaultClassroomSpec(), rounds: 5 }), seats: 1 });
    s.advance();
    s.fireCrisis({ issueArea: 'skilled', region: 2, duration: 2 });
    expect(s.events()).toHaveLength(1);
    s.end();
    expect(s.replaySpec().events).toBeUndefined();
    expect(s.crisisNow()).toBeNull();
  });
});

describe('the labelled rule on the class chart', () => {
  it('adds rule and label layers and keeps event rows out of the chart\'s own layers', () => {
    const chart = { spec: { data: { values: [{ area: 'refugee', round: 0, mean: 0.5 }] }, spec: { layer: [{ mark: 'line' }] } } };
    const out = withEvents(chart, [{ round: 2, area: 'refugee', label: 'crisis, region 1' }], ['refugee', 'skilled'], 3).spec as unknown as { data: { values: Record<string, unknown>[] }; spec: { layer: { transform?: { filter: string }[]; name?: string }[] } };
    expect(out.data.values.slice(1)).toEqual([
      { area: 'refugee', round: 2, event: 'crisis, region 1', text: 'crisis, region 1', right: false },
      { area: 'skilled', round: 2, event: 'crisis, region 1', text: '', right: false },
    ]);
    expect(out.spec.layer[0].transform![0].filter).toBe('!isValid(datum.event)');
    expect(out.spec.layer.map((l) => l.name)).toEqual([undefined, 'event-rule', 'event-label-left']);
  });
});

describe('the class chart with a crisis', () => {
  it('renders (vega without warnings) with the rule and its label, the label on the left of a rule at the last round', async () => {
    const { compileChart, renderSvg } = await import('../../src/report/render.ts');
    const s = new ClassroomSession({ spec: resolveSpec({ ...defaultClassroomSpec(), rounds: 6 }), seats: 1 });
    const server = createClassroomServer(s, { renderSvg: (c) => renderSvg(c.id, { ...compileChart(c), background: '#ffffff' }) });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      s.advance();
      s.advance();
      s.fireCrisis({ issueArea: 'refugee', region: 1, duration: 3 });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/teacher/chart.svg?which=class&teacher=${s.teacherToken}`;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('crisis, region 1');
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  }, 60_000);
});

describe("the teacher's crisis in a session", () => {
  const dir = mkdtempSync(join(tmpdir(), 'migov-crisis-'));
  const out = join(dir, 'session');
  let base = '';
  let session: ClassroomSession;
  let server: ReturnType<typeof createClassroomServer>;
  const secrets: string[] = [];

  async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; data: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { status: res.status, data: (await res.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    const rng = createRng('crisis-test');
    session = new ClassroomSession({ spec: resolveSpec({ ...defaultClassroomSpec(), rounds: 8 }), seats: 3, random: (n) => Uint8Array.from({ length: n }, () => Math.floor(rng() * 256)) });
    mkdirSync(out, { recursive: true });
    server = createClassroomServer(session, { out });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const s of session.seats) secrets.push(((await call('/api/join', { method: 'POST', body: { code: s.code } })).data.secret as string));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  const t = () => session.teacherToken;
  const play = async (round: number) => {
    for (const [seat, secret] of secrets.entries()) {
      expect((await call('/api/move', { method: 'POST', token: secret, body: { round, levels: ['U', 'C', 'M'].map((_, g) => ['U', 'C', 'M'][(seat + round + g) % 3]) } })).status).toBe(200);
    }
    expect((await call('/api/teacher/advance', { method: 'POST', token: t() })).status).toBe(200);
  };

  it('is refused for a student token or none (403), a bad crisis (400), a second one in a round (409)', async () => {
    await play(1);
    await play(2);
    const body = { issueArea: 'refugee', region: 1, duration: 3 };
    expect((await call('/api/teacher/crisis', { method: 'POST', token: secrets[0], body })).status).toBe(403);
    expect((await call('/api/teacher/crisis', { method: 'POST', body })).status).toBe(403);
    expect((await call('/api/teacher/crisis', { method: 'POST', token: t(), body: { ...body, region: 7 } })).status).toBe(400);
    expect((await call('/api/teacher/crisis', { method: 'POST', token: t(), body: { ...body, issueArea: 'floods' } })).status).toBe(400);
    expect((await call('/api/teacher/crisis', { method: 'POST', token: t(), body: { ...body, stakeFactor: 50 } })).status).toBe(400);
    expect(session.events()).toHaveLength(0);
    const ok = await call('/api/teacher/crisis', { method: 'POST', token: t(), body });
    expect(ok.status).toBe(200);
    expect(ok.data.crisis).toEqual({ round: 3, issueArea: 'refugee', region: 1, duration: 3, until: 5 });
    expect((await call('/api/teacher/crisis', { method: 'POST', token: t(), body })).status).toBe(409);
    // a student in region 1 is told
    const hit = session.seats.findIndex((s) => session.stateInfo(s.state).region === 1);
    expect(((await call('/api/student', { token: secrets[hit] })).data.crisis as { region: number }).region).toBe(1);
  });

  it('is saved in the session file at its round and replayed by `migov run` to the same trajectory', async () => {
    for (let r = 3; r <= 6; r++) await play(r);
    const saved = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')) as { events: unknown[]; params: unknown; rounds: number };
    expect(saved.rounds).toBe(6);
    expect(saved.events).toEqual([{ round: 3, kind: 'crisis', issueArea: 'refugee', region: 1, duration: 3, stakeFactor: 2, needFactor: 2 }]);
    // the parameters, and so the run's seed, are the session's
    expect(saved.params).toEqual(session.spec.params);
    const { code, series, trajectory } = await replaySession(out, join(dir, 'replay'));
    expect(code).toBe(0);
    expect(trajectory.length).toBe(7 * session.metrics.length);
    expect(series).toEqual(trajectory);
    // the crisis changed the path: the same moves without it give another trajectory
    const { events: _e, ...without } = session.replaySpec();
    const moves = without.moves!.map((m) => ({ round: m.round, agent: m.state, game: session.games.indexOf(m.area), strategy: session.levels.indexOf(m.level) }));
    const calm = simulate(model, without.params, without.protocol, { seed: session.seed, rounds: 6, recordEvery: 1, moves });
    const calmRows = calm.rounds.flatMap((r, i) => calm.values[i].map((v, m) => `${r},${calm.metrics[m]},${v}`));
    expect(calmRows).not.toEqual(trajectory);
  });

  it('reaches the debrief: the agents meet the same crisis', async () => {
    expect((await call('/api/teacher/end', { method: 'POST', token: t() })).status).toBe(200);
    const d = (await call('/api/teacher/debrief', { token: t() })).data as { agentsHistory: { counts: number[][] }[] };
    const agents = simulate(model, session.spec.params, session.spec.protocol, { seed: session.seed, rounds: 6, recordEvery: 1, events: [{ round: 3, kind: 'crisis', fields: { ...crisis, duration: 3 } }] });
    const n = session.stateCount;
    expect(d.agentsHistory.map((h) => h.counts.flat())).toEqual(agents.values.map((v) => v.slice(0, 9).map((x) => Math.round(x * n))));
  });

  it("puts the theory beside them: per issue area, analyzeLevels' equilibria and the level it expects within the rounds played at the spec's temperature", async () => {
    const d = (await call('/api/teacher/debrief', { token: t() })).data as { theory: { temperature: number; rounds: number; areas: { issueArea: string; equilibria: string[]; expected: string | null; expectedShares: number[] | null }[] } };
    expect(d.theory.temperature).toBe(0.05);
    expect(d.theory.rounds).toBe(6);
    const a = analyzeLevels({ ...session.spec, rounds: 6 }, { temperatures: [0.05] });
    expect(d.theory.areas.map((x) => x.issueArea)).toEqual(session.games);
    d.theory.areas.forEach((x, g) => {
      const area = a.areas[g];
      const within = area.atTemperature[0].withinRounds;
      expect(x.equilibria).toEqual(area.equilibria.map((e) => e.label));
      expect(x.expected).toBe(within >= 0 ? area.equilibria[within].label : null);
      expect(x.expectedShares).toEqual(within >= 0 ? area.equilibria[within].shares : null);
    });
    // the default game's refugee area: the theory expects the regime (all M) even within 6 rounds
    expect(d.theory.areas[0].expected).toBe('all M');
  });

  it('has no theory for a rule it does not cover (imitation)', () => {
    const s = new ClassroomSession({ spec: resolveSpec({ ...defaultClassroomSpec(), protocol: { rule: 'fermi' }, rounds: 2 }), seats: 1 });
    s.advance();
    expect(s.debrief().theory).toBeNull();
  });
});
