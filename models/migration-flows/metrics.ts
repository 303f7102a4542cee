// The model's metrics, each declared (description, unit, kind, dimensions), and the
// measured goods properties: excludability and rivalry of each area's institutions,
// from counterfactual recomputations of the round's flows, at record time only.
import type { Metric, MetricDimensions, MetricKind } from '../../src/engine/model.ts';
import { irregularStep, refugeeStep, skilledStep } from './flows.ts';
import { AREAS, C, G, IRREGULAR, LEVELS, M, REFUGEE, ROLES, SKILLED, U } from './parameters.ts';
import { irregularValue, payoff, refugeeValue, skilledValue } from './payoffs.ts';
import { effectiveLevels, type FlowsState } from './state.ts';

const PEOPLE = 'people (mean state population = 1)';

/** Each state's valuation of area g's flows in one round with effective levels lvl (costs of levels excluded), into out. */
export function areaValues(st: FlowsState, g: number, lvl: Uint8Array, out: Float64Array): void {
  const { w, p, scratch: s } = st;
  const N = w.N;
  if (g === REFUGEE) {
    refugeeStep(w, p, lvl, st.displaced, st.active, st.before, s.stocks, s.ref, st.terms);
    for (let i = 0; i < N; i++) out[i] = refugeeValue(st, i, s.ref);
  } else if (g === IRREGULAR) {
    irregularStep(w, p, lvl, s.irr, st.terms);
    for (let i = 0; i < N; i++) out[i] = irregularValue(st, i, s.irr);
  } else {
    skilledStep(w, p, lvl, s.sk, st.terms);
    for (let i = 0; i < N; i++) out[i] = skilledValue(st, i, s.sk);
  }
}

/**
 * Excludability (as pre-registered: the share of an area's institutions' benefit that
 * reaches non-members) and rivalry, measured on the round's flows with the levels now
 * in place:
 * - benefit of state i = its valuation of the round's flows with the institutions
 *   minus without them (every member of an effective club or regime in the area set
 *   to U); excludability = sum of non-members' positive benefits / sum of everyone's
 *   positive benefits, in [0, 1]; NaN when no institution is in effect or no one
 *   gains;
 * - rivalry: the largest institution of the area (the regime in force, or the club
 *   with most members; ties to the regime, then the lower region), and the non-member
 *   of largest capacity that could join it (for a club, a state of its region); B =
 *   the members' summed benefit from the institution (members set to U as the
 *   counterfactual), B' = the same members' benefit once the joiner is in;
 *   rivalry = (B - B') / B, NaN when B <= 0 or no one can join. Not clipped: below 0
 *   the joiner adds to the members' benefit, above 1 it leaves them worse off than
 *   without the institution.
 * No random number is drawn.
 */
export function measureGoods(st: FlowsState): void {
  const version = st.clock[2];
  if (st.goods[6] === version) return;
  const { w, scratch: s } = st;
  const { N, R, region, capacity } = w;
  effectiveLevels(st, s.lvlA);
  for (let g = 0; g < G; g++) {
    // excludability
    let members = 0;
    s.lvlB.set(s.lvlA);
    for (let i = 0; i < N; i++) {
      if (s.lvlA[i * 3 + g] !== U) {
        members++;
        s.lvlB[i * 3 + g] = U;
      }
    }
    let excl = NaN;
    let riv = NaN;
    if (members > 0) {
      areaValues(st, g, s.lvlA, s.vA);
      areaValues(st, g, s.lvlB, s.vB);
      let all = 0;
      let outside = 0;
      for (let i = 0; i < N; i++) {
        const d = Math.max(0, s.vA[i] - s.vB[i]);
        all += d;
        if (s.lvlA[i * 3 + g] === U) outside += d;
      }
      if (all > 0) excl = outside / all;
      // the largest institution
      let best = -1;
      let size = 0;
      let nM = 0;
      const nC = new Float64Array(R);
      for (let i = 0; i < N; i++) {
        const l = s.lvlA[i * 3 + g];
        if (l === M) nM++;
        else if (l === C) nC[region[i]]++;
      }
      if (nM > 0) {
        best = R;
        size = nM;
      }
      for (let k = 0; k < R; k++) if (nC[k] > size) { best = k; size = nC[k]; }
      const level = best === R ? M : C;
      const isMember = (i: number) => s.lvlA[i * 3 + g] === level && (level === M || region[i] === best);
      let joiner = -1;
      for (let i = 0; i < N; i++) {
        if (isMember(i) || (level === C && region[i] !== best)) continue;
        if (joiner < 0 || capacity[i] > capacity[joiner]) joiner = i;
      }
      if (joiner >= 0) {
        // counterfactual without the institution: its members at U (vB), with it (vA), with the joiner in (vC)
        s.lvlB.set(s.lvlA);
        for (let i = 0; i < N; i++) if (isMember(i)) s.lvlB[i * 3 + g] = U;
        areaValues(st, g, s.lvlB, s.vB);
        s.lvlB.set(s.lvlA);
        s.lvlB[joiner * 3 + g] = level;
        areaValues(st, g, s.lvlB, s.vC);
        let B = 0;
        let B1 = 0;
        for (let i = 0; i < N; i++) {
          if (!isMember(i)) continue;
          B += s.vA[i] - s.vB[i];
          B1 += s.vC[i] - s.vB[i];
        }
        if (B > 0) riv = (B - B1) / B;
      }
    }
    st.goods[g * 2] = excl;
    st.goods[g * 2 + 1] = riv;
  }
  st.goods[6] = version;
}

interface Spec {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  dimensions?: MetricDimensions;
  value(st: FlowsState): number;
}

function mean(st: FlowsState, pick: (i: number) => boolean, f: (i: number) => number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < st.w.N; i++) {
    if (!pick(i)) continue;
    s += f(i);
    n++;
  }
  return n > 0 ? s / n : NaN;
}

function welfareOf(st: FlowsState, i: number): number {
  let s = 0;
  for (let g = 0; g < G; g++) s += payoff(st, i, g, st.pop.choice[i * G + g]);
  return s;
}

export function metricsOf(): Metric<FlowsState>[] {
  const out: Spec[] = [
    { name: 'refugee_displaced', description: 'refugees displaced since the start (cumulative)', unit: PEOPLE, kind: 'amount', dimensions: { issueArea: 'refugee' }, value: (st) => st.stocks.totals[0] },
    { name: 'refugee_hosted', description: 'refugees hosted now', unit: PEOPLE, kind: 'amount', dimensions: { issueArea: 'refugee' }, value: (st) => st.ref.sums[0] },
    { name: 'refugee_in_transit', description: 'refugees moving on from first asylum now', unit: PEOPLE, kind: 'amount', dimensions: { issueArea: 'refugee' }, value: (st) => st.ref.sums[1] },
    { name: 'refugee_returned', description: 'refugees returned home since the start (cumulative)', unit: PEOPLE, kind: 'amount', dimensions: { issueArea: 'refugee' }, value: (st) => st.stocks.totals[1] },
    {
      name: 'refugee_hosted_low_income',
      description: 'share of the hosted refugees held by states below the median income per head',
      unit: 'share of hosted refugees',
      kind: 'share',
      dimensions: { issueArea: 'refugee' },
      value(st) {
        const H = st.ref.sums[0];
        if (!(H > 0)) return NaN;
        let low = 0;
        for (let i = 0; i < st.w.N; i++) if (st.w.lowIncome[i]) low += st.ref.hosted[i];
        return low / H;
      },
    },
    { name: 'refugee_protected', description: 'share of the hosted refugees who are protected', unit: 'share of hosted refugees', kind: 'share', dimensions: { issueArea: 'refugee' }, value: (st) => (st.ref.sums[0] > 0 ? st.ref.sums[2] / st.ref.sums[0] : NaN) },
    { name: 'irregular_emitted', description: 'irregular migrants leaving low-income states this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'irregular' }, value: (st) => st.irr.sums[0] },
    { name: 'irregular_arrivals', description: 'irregular migrants reaching their destination this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'irregular' }, value: (st) => st.irr.sums[1] },
    { name: 'irregular_diverted', description: 'irregular migrants diverted into states outside the institution that cut them, this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'irregular' }, value: (st) => st.irr.sums[2] },
    { name: 'irregular_stopped', description: 'irregular migrants stopped at a border (or deterred) this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'irregular' }, value: (st) => st.irr.sums[3] + st.irr.sums[4] },
    { name: 'skilled_pool', description: 'skilled people choosing a country this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'skilled' }, value: (st) => st.sk.sums[0] },
    { name: 'skilled_moved', description: 'skilled people who chose another country than their own this round', unit: `${PEOPLE} per round`, kind: 'rate', dimensions: { issueArea: 'skilled' }, value: (st) => st.sk.sums[1] },
  ];
  AREAS.forEach((area, g) => {
    out.push({
      name: `${area}_regime_in_force`,
      description: `1 when the ${area} regime has its minimum participation`,
      unit: 'indicator (0/1)',
      kind: 'indicator',
      dimensions: { issueArea: area, level: 'M' },
      value: (st) => (st.nM[g] >= st.minMembers ? 1 : 0),
    });
  });
  out.push({ name: 'welfare', description: 'mean payoff per unit of capacity, summed over the three areas', unit: 'payoff units per unit of capacity', kind: 'welfare', value: (st) => mean(st, () => true, (i) => welfareOf(st, i)) });
  ROLES.forEach((role, r) => {
    out.push({ name: `welfare_${role}`, description: `mean payoff per unit of capacity of ${role} states (roles measured from the flows)`, unit: 'payoff units per unit of capacity', kind: 'welfare', dimensions: { role }, value: (st) => mean(st, (i) => st.role[i] === r, (i) => welfareOf(st, i)) });
  });
  ROLES.forEach((role, r) => {
    out.push({ name: `role_${role}`, description: `share of states whose largest flow this round makes them ${role === 'origin' ? 'an origin' : `a ${role}`}`, unit: 'share of states', kind: 'share', dimensions: { role }, value: (st) => mean(st, () => true, (i) => (st.role[i] === r ? 1 : 0)) });
  });
  AREAS.forEach((area, g) => {
    out.push({
      name: `${area}_excludability`,
      description: `measured share of the benefit of ${area} institutions that reaches non-members (NaN: no institution or no benefit)`,
      unit: 'share of benefit',
      kind: 'share',
      dimensions: { issueArea: area },
      value(st) {
        measureGoods(st);
        return st.goods[g * 2];
      },
    });
    out.push({
      name: `${area}_rivalry`,
      description: `measured relative fall of ${area} members' benefit when the largest non-member joins (NaN: undefined)`,
      unit: 'share of benefit',
      kind: 'index',
      dimensions: { issueArea: area },
      value(st) {
        measureGoods(st);
        return st.goods[g * 2 + 1];
      },
    });
  });
  AREAS.forEach((area, g) => {
    LEVELS.forEach((level, l) => {
      ROLES.forEach((role, r) => {
        out.push({
          name: `${area}_${level}_${role}`,
          description: `share of ${role} states (measured from the flows) at level ${level} in ${area}`,
          unit: `share of ${role} states`,
          kind: 'share',
          dimensions: { issueArea: area, level, role },
          value: (st) => mean(st, (i) => st.role[i] === r, (i) => (st.pop.choice[i * G + g] === l ? 1 : 0)),
        });
      });
    });
  });
  return out;
}

export { C, SKILLED };
