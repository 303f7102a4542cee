// Each learning rule on the flows baseline (experiments/flows-rules-baseline.yaml,
// seed 7308): after
//   npx migov sweep experiments/flows-rules-baseline.yaml
// prints, per rule and issue area, the mean final share at each level (t-based 95 %
// intervals over the 20 replications), the modal level and levelTest's verdict (the
// rule of flows-pattern-2-typology.yaml), then the header's verdict of H (some rule
// with all three areas supported). From any folder:
//   npx tsx docs/findings/scripts/flows-rules-baseline.ts [--results <dir>]
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { AREAS, BETTS, LEVELS, levelTest, modalLevels, type Row, type Verdict } from './flows-stats.ts';
import { resultFile } from './paths.ts';

const rows = parse(readFileSync(resultFile('flows-rules-baseline', 'runs.csv')), { columns: true, cast: true }) as Row[];
const manifest = JSON.parse(readFileSync(resultFile('flows-rules-baseline', 'manifest.json'), 'utf8')) as { spec: { sweep: { factors: { path: string; values?: string[] }[] } } };
const rules = manifest.spec.sweep.factors.find((x) => x.path === 'protocol')?.values ?? [];
const f = (x: number) => x.toFixed(3);

console.log(`| rule | runs | ${AREAS.map((a) => `${a} U / C / M (modal; Betts ${BETTS[a]}: verdict)`).join(' | ')} |`);
console.log(`|---|---|${AREAS.map(() => '---').join('|')}|`);
const verdicts: Record<string, Verdict[]> = {};
for (const rule of rules) {
  const rs = rows.filter((r) => String(r.protocol) === rule);
  const modal = modalLevels(rs);
  verdicts[rule] = [];
  const cells = AREAS.map((a) => {
    const t = levelTest(rs, a);
    verdicts[rule].push(t.verdict);
    return `${LEVELS.map((l) => f(t.levels[l].mean)).join(' / ')} (${modal[a]}; ${t.verdict})`;
  });
  console.log(`| ${rule} | ${rs.length} | ${cells.join(' | ')} |`);
}
console.log('\nintervals (mean [lo, hi]):');
for (const rule of rules) {
  const rs = rows.filter((r) => String(r.protocol) === rule);
  console.log(`  ${rule}: ${AREAS.map((a) => `${a} ${LEVELS.map((l) => { const iv = levelTest(rs, a).levels[l]; return `${l} ${f(iv.mean)} [${f(iv.lo)}, ${f(iv.hi)}]`; }).join(', ')}`).join('; ')}`);
}
const anyAll = rules.some((r) => verdicts[r].every((v) => v === 'supported'));
const everyRefuted = rules.every((r) => verdicts[r].includes('refuted'));
console.log(`\nH (some rule with all three areas supported): ${anyAll ? 'supported' : everyRefuted ? 'refuted' : 'undecided'}`);
