// The classroom's HTTP server (node:http, server-sent events): the student page at /,
// the teacher page at /teacher (the teacher token travels in the URL's #fragment and
// then in a header, never to another site), a small JSON API validated with zod, and
// the session's files written into the claimed output folder after every round.
// Pages load only from this origin (Content-Security-Policy default-src 'self').
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { levelSharesChart } from '../charts/time.ts';
import { levelView } from '../charts/outcomes.ts';
import type { SeriesRow } from '../charts/types.ts';
import { ClassroomError, type ClassroomSession } from './session.ts';

const PAGE_DIR = join(import.meta.dirname, 'page');
const PAGES: Record<string, { file: string; type: string }> = {
  '/': { file: 'student.html', type: 'text/html; charset=utf-8' },
  '/teacher': { file: 'teacher.html', type: 'text/html; charset=utf-8' },
  '/student.js': { file: 'student.js', type: 'text/javascript; charset=utf-8' },
  '/teacher.js': { file: 'teacher.js', type: 'text/javascript; charset=utf-8' },
  '/common.js': { file: 'common.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const MAX_BODY = 4096;

const joinBody = z.object({ code: z.string().min(1).max(32) }).strict();
const moveBody = z.object({ round: z.number().int().min(1), levels: z.array(z.string().max(16)).min(1).max(32) }).strict();
const pauseBody = z.object({ paused: z.boolean() }).strict();
// the fields the teacher's page sends; the model's event schema checks them against the game
const crisisBody = z.object({ issueArea: z.string().min(1).max(64), region: z.number().int().min(0).max(1e6), duration: z.number().int().min(1).max(1000) }).strict();

/** A CSV cell: quoted when needed, and a leading =, +, -, @ escaped so a spreadsheet does not run it. */
function cell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes the session's spec (with its moves), moves.csv and trajectory.csv into `dir`. */
export function saveSession(session: ClassroomSession, dir: string): void {
  writeAtomic(join(dir, 'spec.json'), `${JSON.stringify(session.replaySpec(), null, 2)}\n`);
  const moves = session.moves();
  writeAtomic(join(dir, 'moves.csv'), ['round,state,area,level', ...moves.map((m) => [m.round, m.state, cell(m.area), cell(m.level)].join(','))].join('\n') + '\n');
  const t = session.trajectory();
  const rows = ['round,metric,value'];
  for (const r of t.rows) r.values.forEach((v, m) => rows.push(`${r.round},${cell(t.metrics[m])},${v}`));
  writeAtomic(join(dir, 'trajectory.csv'), rows.join('\n') + '\n');
}

export interface ClassroomServerOptions {
  /** Where the session's files go (a folder claimed with claimOutput); none: nothing written. */
  readonly out?: string;
  /** Renders a Vega-Lite chart to SVG (the report pipeline); absent: the chart route answers 404. */
  /** Called when the session's files could not be written after a round (default: printed to stderr). */
  readonly onSaveError?: (e: unknown) => void;
  readonly renderSvg?: (chart: ReturnType<typeof levelSharesChart>) => Promise<string>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ClassroomError(413, `the request body is over ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new ClassroomError(400, 'the request body is not JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ClassroomError(400, `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return r.data;
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

/** The class's level shares over rounds as series rows, for the charts' builders. */
export function seriesRows(metrics: readonly string[], records: readonly { round: number; values: readonly number[] }[], seed: string): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const r of records) r.values.forEach((value, m) => rows.push({ replication: 0, seed, round: r.round, metric: metrics[m], value }));
  return rows;
}

/** A rule on a round in every panel of a faceted chart (by `area`), labelled in the panel of its issue area (every panel when none): a crisis. */
export interface ChartEvent {
  readonly round: number;
  readonly label: string;
  readonly area?: string;
}

/**
 * The faceted level chart with a labelled, dashed rule at each event's round in every
 * issue area's panel: event rows join the data with an `event` label, the chart's own
 * layers leave them out, and a rule and a text layer draw them.
 */
export function withEvents<T extends { spec: unknown }>(chart: T, events: readonly ChartEvent[], areas: readonly string[], lastRound: number): T {
  if (events.length === 0) return chart;
  const spec = chart.spec as { data: { values: unknown[] }; spec: { layer: { transform?: unknown[] }[] } };
  // a label reads to the right of its rule in the left half of the rounds, else to the left, so it stays in its panel
  const rows = events.flatMap((e) => areas.map((area) => ({ area, round: e.round, event: e.label, text: e.area === undefined || e.area === area ? e.label : '', right: 2 * e.round <= lastRound })));
  const own = { filter: '!isValid(datum.event)' };
  const only = { filter: 'isValid(datum.event)' };
  const color = '#8a2460';
  const x = { field: 'round', type: 'quantitative' };
  const layer = [
    ...spec.spec.layer.map((l) => ({ ...l, transform: [own, ...(l.transform ?? [])] })),
    { name: 'event-rule', transform: [only], mark: { type: 'rule', color, strokeWidth: 2, strokeDash: [6, 3] }, encoding: { x } },
    // only the sides that have labels: a layer with no rows makes vega warn (an empty extent)
    ...[true, false].filter((right) => rows.some((r) => r.right === right)).map((right) => ({
      name: right ? 'event-label' : 'event-label-left',
      transform: [only, { filter: right ? 'datum.right' : '!datum.right' }],
      mark: { type: 'text', color, align: right ? 'left' : 'right', baseline: 'top', dx: right ? 4 : -4, dy: 2, fontWeight: 'bold' },
      encoding: { x, y: { value: 0 }, text: { field: 'text' } },
    })),
  ];
  return { ...chart, spec: { ...spec, data: { ...spec.data, values: [...spec.data.values, ...rows] }, spec: { ...spec.spec, layer } } };
}

/** The chart with its round axes ticked at whole rounds only (a class plays few rounds: no 0.5, 1.5). */
export function wholeRounds<T extends { spec: unknown }>(chart: T): T {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x !== 'object' || x === null) return x;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = walk(v);
    if (o.field === 'round' && o.type === 'quantitative') o.axis = { ...((o.axis as object | undefined) ?? {}), tickMinStep: 1, format: 'd' };
    return o;
  };
  return { ...chart, spec: walk(chart.spec) };
}

export function createClassroomServer(session: ClassroomSession, options: ClassroomServerOptions = {}): Server {
  const pages = new Map(Object.entries(PAGES).map(([route, p]) => [route, { body: readFileSync(join(PAGE_DIR, p.file)), type: p.type }]));
  const save = () => {
    if (options.out) saveSession(session, options.out);
  };
  let saved = '';
  session.onChange(() => {
    const now = `${session.round}/${session.ended}`;
    if (now === saved) return;
    saved = now;
    try {
      save();
    } catch (e) {
      // the game goes on; the teacher sees why the folder is not up to date
      (options.onSaveError ?? ((x: unknown) => console.error(`could not save the session to ${options.out}: ${x instanceof Error ? x.message : String(x)}`)))(e);
    }
  });
  saved = `${session.round}/${session.ended}`;
  save();
  const view = levelView(session.outcomes(), session.metrics);
  const chartCache = new Map<string, string>();
  const chartSvg = async (which: 'class' | 'agents'): Promise<string> => {
    if (!options.renderSvg || !view) throw new ClassroomError(404, 'no chart for this model');
    const key = `${which}-${session.round}-${session.events().length}`;
    const hit = chartCache.get(key);
    if (hit) return hit;
    const records = which === 'class' ? session.trajectory().rows : session.debrief().agentRecords;
    // a crisis fired for round r starts after r - 1 rounds: its rule stands there, once that round is on the chart
    const marks = session
      .events()
      .filter((e) => e.kind === 'crisis' && e.round - 1 <= session.round)
      .map((e) => ({ round: e.round - 1, area: String(e.issueArea), label: `crisis, region ${String(e.region)}` }));
    const chart = withEvents(wholeRounds(levelSharesChart(seriesRows(session.metrics, records, session.seed), view)), marks, view.areas, session.round);
    const svg = await options.renderSvg(chart);
    chartCache.set(key, svg);
    return svg;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://classroom');
    const path = url.pathname;
    const page = pages.get(path);
    if (req.method === 'GET' && page) return send(res, 200, page.body, page.type);
    // browsers ask for it; nothing to show
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS).end();
      return;
    }
    if (path === '/api/events' && req.method === 'GET') {
      const secret = url.searchParams.get('secret') ?? undefined;
      const token = url.searchParams.get('teacher') ?? undefined;
      let seat = -1;
      if (token !== undefined) session.checkTeacher(token);
      else seat = session.seatOf(secret);
      res.writeHead(200, { 'content-type': 'text/event-stream', ...SECURITY_HEADERS });
      res.write('retry: 2000\n\n');
      const ping = () => res.write(`data: ${session.round}\n\n`);
      const off = session.onChange(ping);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      if (seat >= 0) session.setConnected(seat, true);
      ping();
      req.on('close', () => {
        off();
        clearInterval(keepAlive);
        if (seat >= 0) session.setConnected(seat, false);
      });
      return;
    }
    if (path === '/api/join' && req.method === 'POST') return send(res, 200, session.join(parse(joinBody, await readJson(req), 'join').code));
    if (path === '/api/student' && req.method === 'GET') return send(res, 200, session.studentView(session.seatOf(bearer(req))));
    if (path === '/api/move' && req.method === 'POST') {
      const seat = session.seatOf(bearer(req));
      const body = parse(moveBody, await readJson(req), 'move');
      session.move(seat, body.round, body.levels);
      return send(res, 200, session.studentView(seat));
    }
    if (path.startsWith('/api/teacher')) {
      session.checkTeacher(bearer(req) ?? url.searchParams.get('teacher') ?? undefined);
      const action = path.slice('/api/teacher'.length);
      if (req.method === 'GET' && action === '') return send(res, 200, session.teacherView());
      if (req.method === 'GET' && action === '/chart.svg') return send(res, 200, await chartSvg(url.searchParams.get('which') === 'agents' ? 'agents' : 'class'), 'image/svg+xml');
      if (req.method === 'GET' && action === '/debrief') {
        const d = session.debrief();
        return send(res, 200, { ...d, classRecords: undefined, agentRecords: undefined });
      }
      if (req.method === 'POST' && action === '/pause') {
        session.setPaused(parse(pauseBody, await readJson(req), 'pause').paused);
        return send(res, 200, session.teacherView());
      }
      if (req.method === 'POST' && action === '/advance') {
        session.advance();
        return send(res, 200, session.teacherView());
      }
      if (req.method === 'POST' && action === '/crisis') {
        session.fireCrisis(parse(crisisBody, await readJson(req), 'crisis'));
        return send(res, 200, session.teacherView());
      }
      if (req.method === 'POST' && action === '/end') {
        session.end();
        return send(res, 200, session.teacherView());
      }
    }
    send(res, 404, { error: `no such page: ${req.method} ${path.slice(0, 80)}` });
  };

  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.end();
      if (e instanceof ClassroomError) return send(res, e.status, { error: e.message });
      send(res, 500, { error: e instanceof Error ? e.message : String(e) });
    });
  });
}
