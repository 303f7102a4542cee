// A classroom session (`migov classroom`): one simulation of a spec's model in which
// some states (seats) are played by students and the rest by the spec's learning
// rule. Pure session logic, no HTTP: seats and their secrets, moves (one per seat and
// round), advancing a round, what a student and the teacher see, the debrief and
// the saved spec with its moves. The server (server.ts) only maps requests to these
// calls.
//
// A round of the class is a round of the engine: the students' choices are held for
// the round (ForcedMove, src/engine/simulate.ts) and every other choice is revised by
// the learning rule, so the saved spec with its `moves` replays to the same
// trajectory under `migov run`. A seat without a move in a round (a student who has
// left, or who had not chosen when the teacher advanced) is played by the rule.
//
// A crisis the teacher fires is an event of the model's (`events` in the spec, the
// engine's RunEvent): not a parameter, so the run's seed, which hashes the
// parameters, is the one the session started with, and `migov run` of the saved spec
// applies it at the same round.
import { randomBytes } from 'node:crypto';
import { findModel } from '../../models/index.ts';
import { analyzeLevels } from '../analysis/levels.ts';
import type { AnyModel } from '../engine/model.ts';
import { outcomeDeclarations } from '../engine/model.ts';
import { createRng, seedsOf } from '../engine/rng.ts';
import { type ForcedMove, type RunEvent, type Simulation, createSimulation } from '../engine/simulate.ts';
import { resolveEvents } from '../experiment/moves.ts';
import type { EventSpec, MoveSpec, Spec } from '../experiment/schema.ts';
import { specIdentity } from '../sweep/experiment.ts';

/** Letters and digits a student reads off a projector without confusing them (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export class ClassroomError extends Error {
  constructor(
    /** The HTTP status the server answers with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClassroomError';
  }
}

export interface Seat {
  /** The state this seat plays (agent index). */
  readonly state: number;
  /** Short join code, shown to the teacher. */
  readonly code: string;
  /** The seat's secret, given on join and kept by the student's browser. */
  readonly secret: string;
  joined: boolean;
  /** Whether the student's page is connected (false: played by the learning rule). */
  connected: boolean;
}

export interface StateInfo {
  readonly state: number;
  readonly name: string;
  readonly role: string;
  /** Role weights origin, transit, destination. */
  readonly roleWeights: readonly number[];
  readonly region: number;
  readonly capacity: number;
}

/** What a state got last round: its level and its payoff in each issue area. */
export interface LastRound {
  readonly round: number;
  readonly levels: readonly string[];
  readonly payoffs: readonly number[];
  /** Per issue area, how many states were at each level after the round. */
  readonly counts: readonly (readonly number[])[];
}

/** What the analytic theory of the levels (src/analysis/levels.ts) expects of one issue area within the rounds played. */
export interface AreaTheory {
  readonly issueArea: string;
  /** the recurrent classes of best-response dynamics (strict equilibria or tie sets), by label */
  readonly equilibria: readonly string[];
  /** the class expected within the rounds played at the spec's temperature (analyzeLevels' withinRounds), or null when none is reached from the start */
  readonly expected: string | null;
  /** its share of states at each level (U, C, M) */
  readonly expectedShares: readonly number[] | null;
  /** 'all profiles' (the list of equilibria is complete) or 'candidates' (what was found) */
  readonly method: string;
}

export interface SessionTheory {
  readonly temperature: number;
  readonly rounds: number;
  readonly areas: readonly AreaTheory[];
}

export interface SessionOptions {
  /** A validated spec (replications 1; its `rounds` is the session's length). */
  readonly spec: Spec;
  readonly seats: number;
  /** Random bytes for codes and secrets (tests pass a seeded source); default node:crypto. */
  readonly random?: (n: number) => Uint8Array;
}

interface RoundRecord {
  readonly round: number;
  readonly values: number[];
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The default classroom game: the migration-governance model on 12 states in 3 regions, 20 rounds. */
export function defaultClassroomSpec(): Record<string, unknown> {
  return {
    name: 'classroom',
    description: 'a classroom game: 12 states in 3 regions choose a level (U, C, M) per issue area',
    model: 'migration-governance',
    params: { states: { N: 12, regions: 3 } },
    protocol: { rule: 'logit', temperature: 0.05 },
    rounds: 20,
    seed: 1,
  };
}

export class ClassroomSession {
  readonly spec: Spec;
  readonly model: AnyModel;
  readonly teacherToken: string;
  readonly seats: Seat[];
  readonly games: readonly string[];
  readonly levels: readonly string[];
  readonly metrics: readonly string[];
  readonly seed: string;
  paused = false;
  ended = false;
  private sim: Simulation;
  private pending = new Map<number, string[]>();
  private moveLog: MoveSpec[] = [];
  private eventLog: EventSpec[] = [];
  private records: RoundRecord[] = [];
  private last = new Map<number, LastRound>();
  private listeners = new Set<() => void>();
  private viewRng = createRng('classroom-view');
  private theoryCache: { rounds: number; theory: SessionTheory | null } | null = null;

  constructor(options: SessionOptions) {
    const { spec } = options;
    const model = findModel(spec.model);
    if (!model) throw new ClassroomError(400, `unknown model ${spec.model}`);
    if (spec.replications !== 1) throw new ClassroomError(400, `a classroom plays one run: replications must be 1, got ${spec.replications}`);
    this.spec = spec;
    this.model = model;
    const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
    this.seed = seedsOf(spec.seed, specIdentity(spec))(0);
    this.sim = createSimulation(model, spec.params, spec.protocol, this.seed);
    const layout = model.layout(spec.params);
    this.games = layout.games;
    this.levels = layout.strategies;
    this.metrics = this.sim.metrics;
    const n = this.sim.state.pop.size;
    if (!Number.isInteger(options.seats) || options.seats < 1 || options.seats > n) {
      throw new ClassroomError(400, `--seats: got ${options.seats}; the game has ${n} states, so 1 to ${n} seats`);
    }
    this.teacherToken = toHex(random(16));
    const codes = new Set<string>();
    this.seats = [];
    for (let s = 0; s < options.seats; s++) {
      let code: string;
      do code = [...random(4)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
      while (codes.has(code));
      codes.add(code);
      this.seats.push({ state: this.seatState(s, options.seats, n), code, secret: toHex(random(16)), joined: false, connected: false });
    }
    this.records.push({ round: 0, values: this.sim.measure() });
  }

  /** Seats spread evenly over the states (state i is in region i mod regions, so seats cover the regions). */
  private seatState(s: number, k: number, n: number): number {
    return Math.floor((s * n) / k);
  }

  /** How many states the game has. */
  get stateCount(): number {
    return this.sim.state.pop.size;
  }

  get round(): number {
    return this.sim.round;
  }

  /** The round being played now (1-based), or the last one when the session has ended. */
  get playing(): number {
    return this.ended ? this.sim.round : this.sim.round + 1;
  }

  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private changed(): void {
    for (const f of this.listeners) f();
  }

  /** The seat a join code names; 404 otherwise. Joining again (another device, a lost page) gives the same seat. */
  join(code: string): { seat: number; secret: string } {
    const c = code.trim().toUpperCase();
    const i = this.seats.findIndex((s) => s.code === c);
    if (i < 0) throw new ClassroomError(404, `no seat has the code ${JSON.stringify(code.slice(0, 12))}; check the code the teacher gave you`);
    this.seats[i].joined = true;
    this.changed();
    return { seat: i, secret: this.seats[i].secret };
  }

  /** The seat whose secret this is; 403 otherwise. */
  seatOf(secret: string | undefined): number {
    const i = secret ? this.seats.findIndex((s) => s.secret === secret) : -1;
    if (i < 0) throw new ClassroomError(403, 'this page has no seat in this session (join with your code)');
    return i;
  }

  checkTeacher(token: string | undefined): void {
    if (token !== this.teacherToken) throw new ClassroomError(403, 'only the teacher can do this (the teacher token is missing or wrong)');
  }

  setConnected(seat: number, connected: boolean): void {
    this.seats[seat].connected = connected;
    if (connected) this.seats[seat].joined = true;
    this.changed();
    if (!connected) this.maybeAdvance();
  }

  /** A seat's move for the round being played: one level per issue area, once. */
  move(seat: number, round: number, levels: readonly string[]): void {
    if (this.ended) throw new ClassroomError(409, 'the session has ended');
    if (round !== this.playing) throw new ClassroomError(409, `round ${round} is not the round being played (${this.playing})`);
    if (this.pending.has(seat)) throw new ClassroomError(409, `you have already chosen in round ${round}`);
    if (levels.length !== this.games.length || levels.some((l) => !this.levels.includes(l))) {
      throw new ClassroomError(400, `a move is one level (${this.levels.join(', ')}) for each issue area (${this.games.join(', ')}); got ${JSON.stringify(levels).slice(0, 80)}`);
    }
    this.pending.set(seat, [...levels]);
    this.changed();
    this.maybeAdvance();
  }

  hasMoved(seat: number): boolean {
    return this.pending.has(seat);
  }

  /** Every connected seat has moved and at least one has: the round runs itself unless paused. */
  private maybeAdvance(): void {
    if (this.paused || this.ended) return;
    const present = this.seats.map((s, i) => ({ s, i })).filter(({ s }) => s.connected);
    if (present.length === 0 || present.some(({ i }) => !this.pending.has(i))) return;
    this.advance();
  }

  /** Runs the round being played: the seats' moves held, everything else by the learning rule. */
  advance(): void {
    if (this.ended) throw new ClassroomError(409, 'the session has ended');
    const round = this.sim.round + 1;
    const forced: ForcedMove[] = [];
    for (const [seat, levels] of [...this.pending.entries()].sort((a, b) => a[0] - b[0])) {
      const state = this.seats[seat].state;
      levels.forEach((level, g) => {
        forced.push({ round, agent: state, game: g, strategy: this.levels.indexOf(level) });
        this.moveLog.push({ round, state, area: this.games[g], level });
      });
    }
    this.pending.clear();
    this.sim.step(forced, this.runEvents(round));
    this.records.push({ round: this.sim.round, values: this.sim.measure() });
    for (const seat of this.seats) this.last.set(seat.state, this.lastOf(seat.state, round));
    if (this.sim.round >= this.spec.rounds) this.ended = true;
    this.changed();
  }

  /** Whether the model takes a crisis event (the teacher's crisis button). */
  get crisisAvailable(): boolean {
    return this.model.events?.crisis !== undefined;
  }

  /**
   * The teacher's crisis: it starts with the round being played (the model's crisis
   * mechanism, its fields checked by the model's event schema), at most one a round;
   * a later crisis replaces one still running.
   */
  fireCrisis(fields: Record<string, unknown>): EventSpec {
    if (this.ended) throw new ClassroomError(409, 'the session has ended');
    if (!this.crisisAvailable) throw new ClassroomError(400, `model ${this.model.name} has no crisis event`);
    const round = this.playing;
    if (this.eventLog.some((e) => e.round === round)) throw new ClassroomError(409, `a crisis already starts in round ${round}`);
    const event: EventSpec = { round, kind: 'crisis', ...fields };
    const r = resolveEvents(this.model, this.spec.params, [event]);
    if (r.problems.length > 0) throw new ClassroomError(400, `crisis: ${r.problems.map((p) => `${p.field.replace(/^events\.0\.?/, '') || 'crisis'}: ${p.message}`).join('; ')}`);
    const saved: EventSpec = { round, kind: 'crisis', ...r.events[0].fields };
    this.eventLog.push(saved);
    this.changed();
    return saved;
  }

  /** The events that start `round`, as the engine takes them (undefined: none). */
  private runEvents(round: number, log: readonly EventSpec[] = this.eventLog): RunEvent[] | undefined {
    const now = log.filter((e) => e.round === round);
    if (now.length === 0) return undefined;
    return now.map(({ round: r, kind, ...fields }) => ({ round: r, kind, fields }));
  }

  /** The events fired so far, in order (one fired for the round being played included). */
  events(): readonly EventSpec[] {
    return this.eventLog;
  }

  /** The crisis in force in the round being played (the last one fired whose rounds include it), if any; none once the session has ended. */
  crisisNow(): { round: number; issueArea: string; region: number; duration: number; until: number } | null {
    if (this.ended) return null;
    const round = this.playing;
    const last = [...this.eventLog].reverse().find((e) => e.kind === 'crisis' && e.round <= round);
    if (!last) return null;
    const duration = Number(last.duration);
    const until = last.round + duration - 1;
    if (round > until) return null;
    return { round: last.round, issueArea: String(last.issueArea), region: Number(last.region), duration, until };
  }

  end(): void {
    this.ended = true;
    this.pending.clear();
    this.changed();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.changed();
    if (!paused) this.maybeAdvance();
  }

  private counts(): number[][] {
    const pop = this.sim.state.pop;
    const K = pop.strategies;
    return this.games.map((_, g) => Array.from({ length: K }, (_, k) => pop.counts[g * K + k]));
  }

  private lastOf(state: number, round: number): LastRound {
    const pop = this.sim.state.pop;
    const G = pop.games;
    const levels: string[] = [];
    const payoffs: number[] = [];
    for (let g = 0; g < G; g++) {
      const k = pop.choice[state * G + g];
      levels.push(this.levels[k]);
      // a stream of its own: the view must not draw from the run's
      payoffs.push(this.model.payoff(this.sim.state, state, g, k, this.viewRng));
    }
    return { round, levels, payoffs, counts: this.counts() };
  }

  /** Who a state is, for its student's page. */
  stateInfo(state: number): StateInfo {
    const st = this.sim.state as unknown as Record<string, unknown>;
    const role = st.role as Float64Array | undefined;
    const main = st.mainRole as Uint8Array | undefined;
    const region = st.region as Int32Array | undefined;
    const capacity = (st.capacity as Float64Array | undefined)?.[state] ?? this.model.capacity?.(this.sim.state, state);
    const roleNames = ['origin', 'transit', 'destination'];
    return {
      state,
      name: `state-${state}`,
      role: main ? roleNames[main[state]] : '',
      roleWeights: role ? [role[state * 3], role[state * 3 + 1], role[state * 3 + 2]] : [],
      region: region ? region[state] : 0,
      capacity: capacity ?? 1,
    };
  }

  /** What a student's page shows. */
  studentView(seat: number) {
    const state = this.seats[seat].state;
    return {
      seat,
      info: this.stateInfo(state),
      round: this.playing,
      rounds: this.spec.rounds,
      ended: this.ended,
      paused: this.paused,
      moved: this.pending.has(seat),
      /** The levels this seat sent for the round being played, if any. */
      chosen: this.pending.get(seat) ?? null,
      games: this.games,
      levels: this.levels,
      last: this.last.get(state) ?? null,
      crisis: this.crisisNow(),
    };
  }

  /** What the teacher's page shows (the chart is fetched apart). */
  teacherView() {
    return {
      round: this.playing,
      roundsRun: this.sim.round,
      rounds: this.spec.rounds,
      ended: this.ended,
      paused: this.paused,
      games: this.games,
      levels: this.levels,
      seats: this.seats.map((s, i) => ({ seat: i, code: s.code, joined: s.joined, connected: s.connected, moved: this.pending.has(i), ...this.stateInfo(s.state) })),
      counts: this.counts(),
      history: this.levelHistory(this.records),
      /** The crisis button's choices (null: the model has no crisis event). */
      crisisOptions: this.crisisAvailable ? { areas: this.games, regions: this.regionCount() } : null,
      events: this.eventLog,
      crisis: this.crisisNow(),
    };
  }

  /** How many regions the states are in. */
  private regionCount(): number {
    const region = (this.sim.state as unknown as Record<string, unknown>).region as Int32Array | undefined;
    return region ? Math.max(...region) + 1 : 1;
  }

  /** Per round, per issue area, the count at each level (from the share metrics). */
  private levelHistory(records: readonly RoundRecord[]): { round: number; counts: number[][] }[] {
    const n = this.sim.state.pop.size;
    const K = this.levels.length;
    return records.map((r) => ({ round: r.round, counts: this.games.map((_, g) => Array.from({ length: K }, (_, k) => Math.round(r.values[g * K + k] * n))) }));
  }

  /** The class's trajectory: one row per round played (round 0 included), every metric. */
  trajectory(): { metrics: readonly string[]; rows: readonly RoundRecord[] } {
    return { metrics: this.metrics, rows: this.records };
  }

  /** The moves the students made, in the order played (round, then seat). */
  moves(): readonly MoveSpec[] {
    return this.moveLog;
  }

  /** The spec that replays this session under `migov run`: the spec, its rounds cut to those played, and the moves. */
  replaySpec(): Spec {
    // a crisis fired for a round that was never played (the game ended first) did nothing
    const events = this.eventLog.filter((e) => e.round <= this.sim.round);
    const { events: _unplayed, ...spec } = this.spec;
    return { ...spec, rounds: this.sim.round, recordEvery: 1, moves: [...this.moveLog], ...(events.length > 0 ? { events } : {}) };
  }

  /**
   * The debrief: the class's path beside the same game and seed with every state an
   * agent (same rounds and crises), and for each student's state how often it contributed (C or
   * M) and free-rode (U while most other states were at C or M), in both runs.
   */
  debrief() {
    const rounds = this.sim.round;
    const agents = createSimulation(this.model, this.spec.params, this.spec.protocol, this.seed);
    const agentRecords: RoundRecord[] = [{ round: 0, values: agents.measure() }];
    const studentStates = this.seats.map((s) => s.state);
    const tallyOf = (sim: Simulation) => {
      const t = new Map(studentStates.map((s) => [s, { contributed: 0, freeRode: 0, choices: 0 }]));
      return {
        t,
        add: () => {
          const pop = sim.state.pop;
          const G = pop.games;
          const K = pop.strategies;
          for (let g = 0; g < G; g++) {
            const atU = pop.counts[g * K];
            for (const s of studentStates) {
              const x = t.get(s)!;
              const k = pop.choice[s * G + g];
              x.choices++;
              if (k !== 0) x.contributed++;
              else if (pop.size - atU > (pop.size - 1) / 2) x.freeRode++;
            }
          }
        },
      };
    };
    const agentTally = tallyOf(agents);
    // the recorded shares do not say who chose what, so the class's run is replayed
    // from its moves (the same trajectory) to count its states' choices round by round
    const replay = createSimulation(this.model, this.spec.params, this.spec.protocol, this.seed);
    const byRound = new Map<number, ForcedMove[]>();
    for (const m of this.moveLog) {
      const list = byRound.get(m.round) ?? [];
      list.push({ round: m.round, agent: m.state, game: this.games.indexOf(m.area), strategy: this.levels.indexOf(m.level) });
      byRound.set(m.round, list);
    }
    const replayTally = tallyOf(replay);
    // the agents meet the teacher's crises too: the same game, only the students differ
    for (let r = 1; r <= rounds; r++) {
      const events = this.runEvents(r);
      replay.step(byRound.get(r) ?? [], events);
      replayTally.add();
      if (events) agents.step([], events);
      else agents.step();
      agentTally.add();
      agentRecords.push({ round: r, values: agents.measure() });
    }
    const share = (x: { contributed: number; freeRode: number; choices: number }) => ({
      contribution: x.choices ? x.contributed / x.choices : 0,
      freeRiding: x.choices ? x.freeRode / x.choices : 0,
    });
    return {
      rounds,
      games: this.games,
      levels: this.levels,
      classHistory: this.levelHistory(this.records),
      agentsHistory: this.levelHistory(agentRecords),
      classRecords: this.records,
      agentRecords,
      events: this.replaySpec().events ?? [],
      theory: this.theory(),
      states: this.seats.map((s, i) => ({
        seat: i,
        ...this.stateInfo(s.state),
        class: share(replayTally.t.get(s.state)!),
        agents: share(agentTally.t.get(s.state)!),
      })),
    };
  }

  /**
   * The analytic prediction where one exists (the migration-governance model under
   * logit revision): per issue area, analyzeLevels' equilibria and the one expected
   * within the rounds played at the spec's temperature, for the game as the spec sets
   * it (a teacher's crisis aside). About half a second for the default game, so it is
   * computed once per number of rounds and kept. Null for other models and rules.
   */
  theory(): SessionTheory | null {
    const rounds = this.sim.round;
    if (this.theoryCache?.rounds === rounds) return this.theoryCache.theory;
    let theory: SessionTheory | null = null;
    const protocol = this.spec.protocol;
    if (this.spec.model === 'migration-governance' && protocol.rule === 'logit' && rounds > 0) {
      const temperature = protocol.temperature;
      const a = analyzeLevels({ ...this.spec, rounds }, { temperatures: [temperature] });
      theory = {
        temperature,
        rounds,
        areas: a.areas.map((area) => {
          const within = area.atTemperature[0].withinRounds;
          const e = within >= 0 ? area.equilibria[within] : null;
          return { issueArea: area.issueArea, equilibria: area.equilibria.map((x) => x.label), expected: e ? e.label : null, expectedShares: e ? [...e.shares] : null, method: area.method };
        }),
      };
    }
    this.theoryCache = { rounds, theory };
    return theory;
  }

  /** The metric declarations, for charts. */
  outcomes() {
    return outcomeDeclarations(this.model, this.spec.params);
  }
}
