// The migration-flows model (docs/model.md §5): the structural model beside the
// reduced-form migration-governance game. States on a map choose, per issue area, to
// act unilaterally (U), in their region's club (C) or in the global regime (M);
// refugees, irregular and skilled migrants move each round, levels change how they
// move and what that costs, and payoffs come from the flows. Excludability and
// rivalry are measured, not set.
import type { Model } from '../../src/engine/model.ts';
import { LEVEL_TERMS, ROLE_TERMS } from '../migration-governance.ts';
import { flowsMap } from './map.ts';
import { metricsOf } from './metrics.ts';
import { AREAS, params, type FlowsParams } from './parameters.ts';
import { payoff } from './payoffs.ts';
import { init, onRound, onSwitch, type FlowsState } from './state.ts';

const metrics = metricsOf();

/**
 * Each state's capacity tercile (0 lowest, 2 highest; ties by index), the peer class
 * for imitation within a class (protocol `peers: class`). Capacity is fixed, so the
 * classes are too; measured roles change with the flows and would not be.
 */
const terciles = new WeakMap<FlowsState, Uint8Array>();
function capacityTercile(st: FlowsState, i: number): number {
  let t = terciles.get(st);
  if (!t) {
    const { N, capacity } = st.w;
    const order = Array.from({ length: N }, (_, j) => j).sort((a, b) => capacity[a] - capacity[b] || a - b);
    t = new Uint8Array(N);
    order.forEach((j, rank) => (t![j] = Math.min(2, Math.floor((3 * rank) / N))));
    terciles.set(st, t);
  }
  return t[i];
}

export const model: Model<FlowsParams, FlowsState> = {
  name: 'migration-flows',
  title: 'Migration flows on a map (structural)',
  description:
    'States on a map with heavy-tailed capacity choose per issue area (refugee, irregular, skilled) to act unilaterally, in a regional club or in the global regime; refugees, irregular and skilled migrants move each round and payoffs come from the flows; excludability and rivalry are measured from counterfactual flows.',
  references: [
    'Betts A (2010) Global migration governance: the emergence of a new debate. GEG Briefing Paper (seed 002).',
    'Angenendt S, Koch A (2017) Global migration governance and mixed flows. SWP Research Paper (seed 003).',
    'Grimm V et al. (2005) Pattern-oriented modeling of agent-based complex systems. Science 310:987-991.',
  ],
  params,
  layout: () => ({ games: [...AREAS], strategies: ['U', 'C', 'M'], namedGames: true, gamesAre: 'issueArea', strategiesAre: 'level', agents: 'states' }),
  vocabularies: {
    levels: LEVEL_TERMS,
    roles: ROLE_TERMS,
    issueAreas: [
      { id: 'refugee', label: 'refugee protection' },
      { id: 'irregular', label: 'irregular and low-skilled migration' },
      { id: 'skilled', label: 'high-skilled migration' },
    ],
  },
  init,
  payoff: (st, i, g, level) => payoff(st, i, g, level),
  onSwitch,
  onRound,
  // imitation among states of the same capacity tercile; no `capacity` is declared
  // because payoffs are already per unit of capacity (payoffs.ts), so plain Fermi
  // already compares returns on capacity
  peerClasses: () => ({ count: 3, basis: 'capacity tercile' }),
  peerClass: capacityTercile,
  populationSize: (p) => (p.world.rows ? { size: p.world.rows.length, field: 'params.world.table' } : { size: p.world.N, field: 'params.world.N' }),
  // per state about 60 doubles (world, aims, flows of three areas and their
  // counterfactual scratch), and per link (about 1.5 k a state) 9 doubles of refugee
  // stocks and 3 of the world
  bytesPerAgent: (p) => 8 * (60 + 12 * Math.ceil(1.5 * p.world.neighbours)),
  decisionCost: () => 1,
  metrics,
  map: flowsMap,
};

export default model;
