// How good is analyzeLevels' large-N method (role-wise candidates, best-response
// dynamics, greedy resistance bounds)? On small generated worlds where every profile
// can be enumerated, compare it with the exact method (docs/theory.md, "The migration
// levels"): the strict equilibria it finds, the stochastically stable level and the
// level expected within 300 rounds at T 0.1.
//   npx tsx docs/findings/scripts/levels-accuracy.ts [N] [first seed] [seeds]
import { analyzeArea, buildState, type AreaLevels } from '../../../src/analysis/levels.ts';
import { resolveSpec } from '../../../src/experiment/load.ts';

const N = Number(process.argv[2] ?? 7);
const first = Number(process.argv[3] ?? 100);
const count = Number(process.argv[4] ?? 30);
let total = 0;
let allStrictFound = 0;
let ssAgree = 0;
let withinAgree = 0;
const modal = (a: AreaLevels) => a.stochasticallyStable.map((k) => a.equilibria[k].modal).join('');
const within = (a: AreaLevels) => (a.atTemperature[0].withinRounds >= 0 ? a.equilibria[a.atTemperature[0].withinRounds].modal : '-');
for (let seed = first; seed < first + count; seed++) {
  const spec = resolveSpec({ name: 'levels-accuracy', model: 'migration-governance', params: { states: { N, regions: 2 } }, protocol: { rule: 'logit', temperature: 0.1, revisionRate: 0.2 }, rounds: 300, seed });
  const { st } = buildState(spec, 0);
  for (let g = 0; g < st.G; g++) {
    const meta = { replication: 0, seed: '', temperatures: [0.1], revisionRate: 0.2, rounds: 300, tolerance: 1e-9 };
    const exact = analyzeArea(st, g, { ...meta, exactLimit: Infinity });
    const cand = analyzeArea(st, g, { ...meta, exactLimit: 0 });
    const keys = new Set(cand.equilibria.map((e) => e.profile.join('')));
    total++;
    if (exact.equilibria.filter((e) => e.strict).every((e) => keys.has(e.profile.join('')))) allStrictFound++;
    if (modal(exact) === modal(cand)) ssAgree++;
    if (within(exact) === within(cand)) withinAgree++;
  }
}
console.log(`${count} worlds of ${N} states (seeds ${first}-${first + count - 1}) x 3 issue areas = ${total} games`);
console.log(`every strict equilibrium found: ${allStrictFound}; same stochastically stable level: ${ssAgree}; same level within 300 rounds at T 0.1: ${withinAgree}`);
