// Revision protocols: how a revising agent picks its next strategy in one game.
//
// Every protocol shares three settings:
//  - revisionRate (inertia = 1 - revisionRate): the chance that an agent given a
//    revision opportunity actually revises;
//  - mutation: the chance that a revising agent instead picks a strategy uniformly
//    at random among all strategies of the game (its own included), the usual
//    convention of Traulsen et al. and Fudenberg and Imhof;
//  - updating: 'async' (random sequential: a round is `size` opportunities, each
//    given to an agent drawn uniformly with replacement, acting on the current
//    state) or 'sync' (every agent gets one opportunity per round, all decide on
//    the state at the start of the round, and all changes apply together).
import type { AnyModel, ModelState } from './model.ts';
import type { Rng } from './rng.ts';

export type Updating = 'async' | 'sync';

interface ProtocolBase {
  revisionRate: number;
  mutation: number;
  updating: Updating;
}

/** Logit (smoothed) best response: strategy s with probability proportional to exp(payoff_s / temperature); temperature 0 is exact best response with ties broken at random. */
export interface LogitProtocol extends ProtocolBase {
  rule: 'logit';
  temperature: number;
}

/**
 * Pairwise comparison with the Fermi rule (Traulsen, Nowak and Pacheco 2006): the
 * revising agent a meets a random other agent b and adopts b's strategy with
 * probability 1 / (1 + exp(-selectionIntensity * (payoff_b - payoff_a))).
 */
export interface FermiProtocol extends ProtocolBase {
  rule: 'fermi';
  selectionIntensity: number;
  /**
   * Whom the revising agent may imitate: 'all' (absent: the default) any other
   * agent; 'class' another agent of its own peer class (the model's `peerClasses`,
   * e.g. role or capacity tercile), so that a small state does not copy a large one.
   * An agent alone in its class keeps its strategy.
   */
  peers?: 'all' | 'class';
  /**
   * What is compared: 'payoff' (absent: the default) the two payoffs; 'perCapacity'
   * each payoff divided by its agent's capacity (the model's `capacity`), so that
   * unequal states compare returns on what they have.
   */
  compare?: 'payoff' | 'perCapacity';
}

/**
 * Roth-Erev reinforcement (Erev and Roth 1998): the agent plays s with probability
 * proportional to its propensity q_s, earns payoff p, and updates every propensity
 * q_j <- (1 - forgetting) q_j + E_j, where E_s = R (1 - experimentation) for the
 * strategy played and E_j = R experimentation / (S - 1) for the others, with
 * R = payoff minus the model's lowest payoff (so that R >= 0) unless `reinforce`
 * says otherwise.
 */
export interface RothErevProtocol extends ProtocolBase {
  rule: 'roth-erev';
  forgetting: number;
  experimentation: number;
  /**
   * Every propensity at the start: one number for all strategies, or one value per
   * strategy (its length the model's strategy count, checked by protocolProblems).
   */
  initialPropensity: number | readonly number[];
  /**
   * What reinforces: 'payoff' (absent: the default) R = payoff minus the model's
   * lowest payoff; 'raw' R = the payoff itself, as in Erev and Roth's (1998) basic
   * model, with every propensity then kept at or above RAW_PROPENSITY_FLOOR, their
   * truncation at nu = 0.0001, so that a negative payoff cannot make a propensity
   * (and a choice probability) negative; 'advantage' R = max(0, payoff of the strategy played minus the
   * payoff of the agent's current strategy, the status quo), so a strategy is
   * reinforced only by what it gains over keeping things as they are, whatever the
   * agent's size. Clipped at 0: a strategy no better than the status quo is only
   * forgotten, with the others, which leaves the agent's mixture unchanged.
   */
  reinforce?: 'payoff' | 'raw' | 'advantage';
}

/** The least propensity under `reinforce: 'raw'`: Erev and Roth (1998) truncate propensities at nu = 0.0001. */
export const RAW_PROPENSITY_FLOOR = 1e-4;

export type Protocol = LogitProtocol | FermiProtocol | RothErevProtocol;

/** Chooses the next strategy of one agent in one game. Returns the strategy (which may be its current one). */
export type Decide = (agent: number, game: number) => number;

/**
 * What a protocol asks of a model that the model does not offer, as sentences (empty
 * when the model can run it): `peers: class` needs peer classes, `compare:
 * perCapacity` a capacity.
 */
export function protocolProblems(model: AnyModel, protocol: Protocol, params?: object): { field: string; message: string; allowed: string }[] {
  const out: { field: string; message: string; allowed: string }[] = [];
  if (protocol.rule === 'roth-erev' && typeof protocol.initialPropensity !== 'number' && params !== undefined) {
    const strategies = model.layout(params).strategies;
    if (protocol.initialPropensity.length !== strategies.length) {
      out.push({
        field: 'protocol.initialPropensity',
        message: `got ${protocol.initialPropensity.length} values [${protocol.initialPropensity.join(', ')}]; model ${model.name} has ${strategies.length} strategies (${strategies.join(', ')})`,
        allowed: `one number for every strategy, or a list of ${strategies.length} numbers >= 0, one per strategy in the order ${strategies.join(', ')}`,
      });
    }
  }
  if (protocol.rule === 'fermi' && protocol.peers === 'class' && !(model.peerClasses && model.peerClass)) {
    out.push({ field: 'protocol.peers', message: `model ${model.name} declares no peer classes, so 'class' has nothing to go by`, allowed: "'all' (or a model that declares peerClasses)" });
  }
  if (protocol.rule === 'fermi' && protocol.compare === 'perCapacity' && !model.capacity) {
    out.push({ field: 'protocol.compare', message: `model ${model.name} declares no capacity, so 'perCapacity' has nothing to divide by`, allowed: "'payoff' (or a model that declares capacity)" });
  }
  return out;
}

/**
 * The members of each peer class, for drawing a peer in O(1): `members` lists the
 * agents class by class, class c at offsets start[c] .. start[c + 1] - 1, and
 * `slot[a]` is agent a's position in that list. Built once when a run starts.
 */
function peerLists(model: AnyModel, params: object, state: ModelState, Z: number): { start: Int32Array; members: Int32Array; slot: Int32Array; cls: Int32Array } {
  const { count } = model.peerClasses!(params);
  const cls = new Int32Array(Z);
  const start = new Int32Array(count + 1);
  for (let a = 0; a < Z; a++) {
    const c = model.peerClass!(state, a);
    if (!Number.isInteger(c) || c < 0 || c >= count) throw new Error(`model ${model.name}: peerClass gave ${c} for agent ${a}; classes are 0..${count - 1}`);
    cls[a] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const fill = start.slice(0, count);
  const members = new Int32Array(Z);
  const slot = new Int32Array(Z);
  for (let a = 0; a < Z; a++) {
    const at = fill[cls[a]]++;
    members[at] = a;
    slot[a] = at;
  }
  return { start, members, slot, cls };
}

/**
 * One round of asynchronous updating under the plain Fermi rule for a one-game model,
 * written as one loop: Z revision opportunities, each drawing the focal agent, then
 * (at revision rate below 1) whether it revises, then (with mutation) whether it
 * mutates and to what, else the model agent and, when the two differ, whether it
 * imitates. The same random draws in the same order and the same floating-point
 * operations as the step loop calling `makeDecide`'s Fermi decision, so every result
 * is the same to the bit (tests/engine/fermi-round.test.ts); the loop just leaves out
 * the closures, the per-game loop and the forced-move checks around a decision, which
 * cost the engine about 1.7x the instructions of the bare decision (bench/engine.ts).
 * Null where it does not apply: several games, synchronous updating, `peers: class`,
 * `compare: perCapacity`, or fewer than 2 agents.
 */
export function makeFermiRound<S extends ModelState>(
  model: AnyModel,
  state: S,
  protocol: Protocol,
  rng: Rng,
): (() => void) | null {
  const pop = state.pop;
  const Z = pop.size;
  const K = pop.strategies;
  if (protocol.rule !== 'fermi' || protocol.updating !== 'async' || pop.games !== 1 || Z < 2) return null;
  if (protocol.peers === 'class' || protocol.compare === 'perCapacity') return null;
  const beta = protocol.selectionIntensity;
  const rate = protocol.revisionRate;
  const mu = protocol.mutation;
  const choice = pop.choice;
  const counts = pop.counts;
  const payoff = model.payoff as (s: S, a: number, g: number, k: number, r: Rng) => number;
  const onSwitch = model.onSwitch as ((s: S, a: number, g: number, f: number, t: number) => void) | undefined;
  return () => {
    for (let i = 0; i < Z; i++) {
      const a = Math.floor(rng() * Z);
      if (rate < 1 && rng() >= rate) continue;
      const sa = choice[a];
      let to = sa;
      if (mu > 0 && rng() < mu) {
        to = Math.floor(rng() * K);
      } else {
        let b = Math.floor(rng() * (Z - 1));
        b += (a - b - 1) >>> 31; // skip the focal agent, as in makeDecide
        const sb = choice[b];
        if (sb !== sa) {
          const pa = payoff(state, a, 0, sa, rng);
          const pb = payoff(state, b, 0, sb, rng);
          if (rng() * (1 + Math.exp(-beta * (pb - pa))) < 1) to = sb;
        }
      }
      if (to !== sa) {
        choice[a] = to;
        counts[sa]--;
        counts[to]++;
        if (onSwitch) onSwitch(state, a, 0, sa, to);
      }
    }
  };
}

/** Builds the decision function of a protocol, specialised once so that the hot loop stays monomorphic. */
export function makeDecide<S extends ModelState>(
  model: AnyModel,
  params: object,
  state: S,
  protocol: Protocol,
  rng: Rng,
): Decide {
  const pop = state.pop;
  const Z = pop.size;
  const G = pop.games;
  const K = pop.strategies;
  const choice = pop.choice;
  const payoff = model.payoff as (s: S, a: number, g: number, k: number, r: Rng) => number;

  const problems = protocolProblems(model, protocol);
  if (problems.length) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join('; '));

  switch (protocol.rule) {
    case 'fermi': {
      const beta = protocol.selectionIntensity;
      if (Z < 2) return (a, g) => choice[a * G + g];
      const classes = protocol.peers === 'class';
      const perCapacity = protocol.compare === 'perCapacity';
      if (classes || perCapacity) {
        // The variants keep the default's draws: one for the peer, one for adoption.
        const lists = classes ? peerLists(model, params, state, Z) : undefined;
        const inv = new Float64Array(Z).fill(1);
        if (perCapacity) {
          for (let a = 0; a < Z; a++) {
            const c = model.capacity!(state, a);
            if (!(c > 0) || !Number.isFinite(c)) throw new Error(`model ${model.name}: capacity of agent ${a} is ${c}; compare: perCapacity needs every capacity > 0`);
            inv[a] = 1 / c;
          }
        }
        return (a, g) => {
          const sa = choice[a * G + g];
          let b: number;
          if (lists) {
            const c = lists.cls[a];
            const lo = lists.start[c];
            const n = lists.start[c + 1] - lo;
            if (n < 2) return sa;
            let j = Math.floor(rng() * (n - 1));
            j += (lists.slot[a] - lo - j - 1) >>> 31;
            b = lists.members[lo + j];
          } else {
            b = Math.floor(rng() * (Z - 1));
            b += (a - b - 1) >>> 31;
          }
          const sb = choice[b * G + g];
          if (sb === sa) return sa;
          const pa = payoff(state, a, g, sa, rng) * inv[a];
          const pb = payoff(state, b, g, sb, rng) * inv[b];
          return rng() * (1 + Math.exp(-beta * (pb - pa))) < 1 ? sb : sa;
        };
      }
      return (a, g) => {
        const sa = choice[a * G + g];
        let b = Math.floor(rng() * (Z - 1));
        // skip the focal agent: b += (b >= a ? 1 : 0), written without a branch, which
        // the CPU would mispredict half the time (about 10 ns a decision; see bench/).
        // Exact for population sizes below 2^31.
        b += (a - b - 1) >>> 31;
        const sb = choice[b * G + g];
        if (sb === sa) return sa;
        const pa = payoff(state, a, g, sa, rng);
        const pb = payoff(state, b, g, sb, rng);
        // adopt with probability 1 / (1 + e^{-beta (pb - pa)}), without a division
        return rng() * (1 + Math.exp(-beta * (pb - pa))) < 1 ? sb : sa;
      };
    }
    case 'logit': {
      const T = protocol.temperature;
      const pay = new Float64Array(K);
      return (a, g) => {
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          const p = payoff(state, a, g, k, rng);
          pay[k] = p;
          if (p > max) max = p;
        }
        if (T === 0) {
          let ties = 0;
          for (let k = 0; k < K; k++) if (pay[k] === max) ties++;
          let pick = Math.floor(rng() * ties);
          for (let k = 0; k < K; k++) if (pay[k] === max && pick-- === 0) return k;
          return K - 1;
        }
        let total = 0;
        for (let k = 0; k < K; k++) {
          // e^0 is exactly 1 (IEEE 754), so the best strategy's weight skips the call:
          // the same doubles, one exp fewer a decision
          const d = pay[k] - max;
          const w = d === 0 ? 1 : Math.exp(d / T);
          pay[k] = w;
          total += w;
        }
        let u = rng() * total;
        for (let k = 0; k < K - 1; k++) {
          u -= pay[k];
          if (u < 0) return k;
        }
        return K - 1;
      };
    }
    case 'roth-erev': {
      const phi = protocol.forgetting;
      const eps = protocol.experimentation;
      const floor = model.minPayoff ? model.minPayoff(params) : 0;
      const q0 = protocol.initialPropensity;
      const q = new Float64Array(Z * G * K);
      if (typeof q0 === 'number') q.fill(q0);
      else {
        if (q0.length !== K) throw new Error(`protocol.initialPropensity: ${q0.length} values for ${K} strategies of model ${model.name}`);
        for (let i = 0; i < Z * G; i++) q.set(q0, i * K);
      }
      const other = K > 1 ? eps / (K - 1) : 0;
      const advantage = protocol.reinforce === 'advantage';
      const raw = protocol.reinforce === 'raw';
      return (a, g) => {
        const base = (a * G + g) * K;
        let total = 0;
        for (let k = 0; k < K; k++) total += q[base + k];
        let s = K - 1;
        if (total > 0) {
          let u = rng() * total;
          for (let k = 0; k < K - 1; k++) {
            u -= q[base + k];
            if (u < 0) {
              s = k;
              break;
            }
          }
        } else {
          s = Math.floor(rng() * K);
        }
        const r = advantage
          ? s === choice[a * G + g]
            ? 0
            : Math.max(0, payoff(state, a, g, s, rng) - payoff(state, a, g, choice[a * G + g], rng))
          : raw
            ? payoff(state, a, g, s, rng)
            : Math.max(0, payoff(state, a, g, s, rng) - floor);
        for (let k = 0; k < K; k++) {
          q[base + k] = (1 - phi) * q[base + k] + (k === s ? r * (1 - eps) : r * other);
        }
        if (raw) for (let k = 0; k < K; k++) if (q[base + k] < RAW_PROPENSITY_FLOOR) q[base + k] = RAW_PROPENSITY_FLOOR;
        return s;
      };
    }
  }
}
