// The classroom without a browser: the server on a free port, five scripted students
// over HTTP (server-sent events for presence), ten rounds, then the saved session
// replayed with `migov run`.
import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassroomSession, defaultClassroomSpec } from '../../src/classroom/session.ts';
import { createClassroomServer } from '../../src/classroom/server.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { replaySession } from './replay.ts';
import { createRng } from '../../src/engine/rng.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { findModel } from '../../models/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'migov-classroom-'));
const out = join(dir, 'session');
let base = '';
let session: ClassroomSession;
let server: ReturnType<typeof createClassroomServer>;

/** Seeded bytes, so the codes and secrets are the same every run. */
function seededBytes(seed: string): (n: number) => Uint8Array {
  const rng = createRng(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
}

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; data: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, data: (await res.json()) as Record<string, unknown> };
}

/** A student's page's event stream: open while the student is there. */
function presence(secret: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((ok, fail) => {
    const req = get(`${base}/api/events?secret=${secret}`, (res) => ok({ req, res }));
    req.on('error', fail);
  });
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

beforeAll(async () => {
  const spec = resolveSpec({ ...defaultClassroomSpec(), rounds: 12 });
  session = new ClassroomSession({ spec, seats: 5, random: seededBytes('classroom-test') });
  mkdirSync(out, { recursive: true });
  server = createClassroomServer(session, { out });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

describe('migov classroom: five scripted students, ten rounds', () => {
  const secrets: string[] = [];
  const streams: { req: ClientRequest; res: IncomingMessage }[] = [];
  // each student's plan: a level per issue area, changing with the round, so the moves differ
  const plan = (seat: number, round: number) => ['U', 'C', 'M'].map((_, g) => ['U', 'C', 'M'][(seat + round + g) % 3]);

  it('gives each code its own seat, and the same seat when the code is typed again', async () => {
    for (const [i, s] of session.seats.entries()) {
      const r = await call('/api/join', { method: 'POST', body: { code: s.code.toLowerCase() } });
      expect(r.status).toBe(200);
      expect(r.data.seat).toBe(i);
      secrets.push(r.data.secret as string);
    }
    expect(new Set(secrets).size).toBe(5);
    const again = await call('/api/join', { method: 'POST', body: { code: session.seats[2].code } });
    expect(again.data).toEqual({ seat: 2, secret: secrets[2] });
    expect((await call('/api/join', { method: 'POST', body: { code: 'ZZZZZ' } })).status).toBe(404);
    expect((await call('/api/join', { method: 'POST', body: { code: 7 } })).status).toBe(400);
    for (const s of secrets) streams.push(await presence(s));
    await until(() => session.seats.every((s) => s.connected));
  });

  it('refuses a student acting as the teacher or without a seat (403), and a second move in a round (409)', async () => {
    for (const action of ['advance', 'end', 'pause']) {
      expect((await call(`/api/teacher/${action}`, { method: 'POST', token: secrets[0], body: { paused: true } })).status).toBe(403);
    }
    expect((await call('/api/teacher', { token: secrets[0] })).status).toBe(403);
    expect((await call('/api/move', { method: 'POST', token: 'f'.repeat(32), body: { round: 1, levels: ['U', 'U', 'U'] } })).status).toBe(403);
    expect((await call('/api/move', { method: 'POST', body: { round: 1, levels: ['U', 'U', 'U'] } })).status).toBe(403);
    // a move names no seat: the secret decides whose it is, so a student cannot move for another
    expect((await call('/api/move', { method: 'POST', token: secrets[0], body: { round: 1, levels: ['U', 'U', 'U'], seat: 1 } })).status).toBe(400);
    expect((await call('/api/move', { method: 'POST', token: secrets[0], body: { round: 1, levels: ['X', 'U', 'U'] } })).status).toBe(400);
    expect((await call('/api/move', { method: 'POST', token: secrets[0], body: { round: 2, levels: ['U', 'U', 'U'] } })).status).toBe(409);
    expect(session.round).toBe(0);
    expect(session.moves()).toHaveLength(0);
  });

  it('plays ten rounds: each move arrives once, a round runs when every connected student has moved', async () => {
    for (let round = 1; round <= 10; round++) {
      // student 4 leaves after round 5: from then on the agent rule plays its state
      if (round === 6) {
        streams[4].req.destroy();
        await until(() => !session.seats[4].connected);
      }
      const seats = round <= 5 ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
      for (const seat of seats) {
        expect(session.round).toBe(round - 1);
        const r = await call('/api/move', { method: 'POST', token: secrets[seat], body: { round, levels: plan(seat, round) } });
        expect(r.status).toBe(200);
        if (seat !== seats[seats.length - 1]) {
          const again = await call('/api/move', { method: 'POST', token: secrets[seat], body: { round, levels: plan(seat, round) } });
          expect(again.status).toBe(409);
        }
      }
      expect(session.round).toBe(round);
    }
    const moves = session.moves();
    expect(moves).toHaveLength((5 * 5 + 5 * 4) * 3);
    const keys = moves.map((m) => `${m.round}/${m.state}/${m.area}`);
    expect(new Set(keys).size).toBe(keys.length);
    const leaver = session.seats[4].state;
    expect(moves.filter((m) => m.state === leaver).map((m) => m.round).every((r) => r <= 5)).toBe(true);
    // the students' states hold their choices after each round
    for (const m of moves.filter((x) => x.round === 10)) {
      const seat = session.seats.findIndex((s) => s.state === m.state);
      expect(m.level).toBe(plan(seat, 10)[session.games.indexOf(m.area)]);
    }
    const teacher = await call('/api/teacher', { token: session.teacherToken });
    expect((teacher.data.seats as { connected: boolean }[]).map((s) => s.connected)).toEqual([true, true, true, true, false]);
  });

  it('rejoins the same seat after a reload (the secret kept by the page)', async () => {
    const view = await call('/api/student', { token: secrets[3] });
    expect(view.data.seat).toBe(3);
    expect((view.data.info as { state: number }).state).toBe(session.seats[3].state);
    expect(view.data.round).toBe(11);
    expect((view.data.last as { levels: string[] }).levels).toEqual(plan(3, 10));
  });

  it('pauses (a round waits for the teacher), advances on the teacher\'s click and ends; the debrief sets the class beside the agents', async () => {
    const t = session.teacherToken;
    expect((await call('/api/teacher/pause', { method: 'POST', token: t, body: { paused: true } })).status).toBe(200);
    for (const seat of [0, 1, 2, 3]) await call('/api/move', { method: 'POST', token: secrets[seat], body: { round: 11, levels: plan(seat, 11) } });
    expect(session.round).toBe(10);
    expect((await call('/api/teacher/advance', { method: 'POST', token: t })).status).toBe(200);
    expect(session.round).toBe(11);
    expect((await call('/api/teacher/end', { method: 'POST', token: t })).status).toBe(200);
    expect((await call('/api/move', { method: 'POST', token: secrets[0], body: { round: 12, levels: plan(0, 12) } })).status).toBe(409);
    const d = (await call('/api/teacher/debrief', { token: t })).data as { rounds: number; states: { state: number; class: { contribution: number }; agents: { contribution: number } }[]; agentsHistory: unknown[] };
    expect(d.rounds).toBe(11);
    expect(d.agentsHistory).toHaveLength(12);
    // seat 0 planned (0 + r + g) mod 3 over g: one U, one C, one M each round, so it contributed in 2 of 3 areas
    // in rounds 1-11 (round 11 included: its move arrived while paused)
    expect(d.states[0].class.contribution).toBeCloseTo(2 / 3, 10);
    // the agents' run is the same game and seed with no held choices
    const spec = session.spec;
    const agents = simulate(findModel(spec.model)!, spec.params, spec.protocol, { seed: session.seed, rounds: 11, recordEvery: 1 });
    const n = session.stateCount;
    const last = (d.agentsHistory as { counts: number[][] }[])[11].counts;
    expect(last[0][2]).toBe(Math.round(agents.values[11][2] * n));
  });

  it('saves the session so that `migov run` replays it to the same trajectory', async () => {
    const saved = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')) as { moves: unknown[]; rounds: number };
    expect(saved.rounds).toBe(11);
    expect(saved.moves).toHaveLength(session.moves().length);
    const csv = readFileSync(join(out, 'moves.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('round,state,area,level');
    expect(csv).toHaveLength(session.moves().length + 1);
    const { code, series, trajectory } = await replaySession(out, join(dir, 'replay'));
    expect(code).toBe(0);
    expect(trajectory.length).toBe(12 * session.metrics.length);
    expect(series).toEqual(trajectory);
    // and the replay is not the agents' run: the students' choices changed the path
    const agents = simulate(findModel(session.spec.model)!, session.spec.params, session.spec.protocol, { seed: session.seed, rounds: 11, recordEvery: 1 });
    const agentRows = agents.rounds.flatMap((r, i) => agents.values[i].map((v, m) => `${r},${agents.metrics[m]},${v}`));
    expect(agentRows).not.toEqual(trajectory);
  });
});
