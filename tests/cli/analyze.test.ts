// `migov analyze`: prints the exact results, writes a claimed folder with --out, and
// refuses bad input with exit code 2, writing nothing.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowsBestResponses } from '../../src/analysis/levels-flows.ts';
import { resolveSpec } from '../../src/experiment/load.ts';
import { migov, tempDir, writeSpec } from './helpers.ts';

const SPEC = `name: pgg-twin
model: linear-pgg
params: { Z: 50, N: 5, r: 3 }
protocol: { rule: fermi, selectionIntensity: 1, mutation: 0.01 }
analysis: { populationSizes: [10, 50, 100], selectionIntensities: [0.1, 1] }
`;

// 15 rounds of the flows model under logit T 0.1, two replications; seed 41 for this test only
const FLOWS_SPEC = `name: flows-best-responses
model: migration-flows
protocol: { rule: logit, temperature: 0.1 }
rounds: 15
replications: 2
seed: 41
`;

describe('migov analyze', () => {
  it('prints the fixation probabilities and writes analysis.json, the tables and the charts with --out', () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SPEC);
    const r = migov(['analyze', 'spec.yaml', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    // the cooperator's fixation at Z 50, N 5, r 3, beta 1: 1.009e-10 (closed form, tests/analysis/closed-forms.test.ts)
    expect(r.stdout).toMatch(/C\s+D\s+1\.009e-10\s+-9\.9961/);
    expect(r.stdout).toContain("mutation convention 'any'");
    const files = readdirSync(join(dir, 'out')).sort();
    expect(files).toEqual(expect.arrayContaining(['analysis.json', 'fixation.csv', 'fixation-by-beta.csv', 'fixation-by-size.csv', 'gradient.csv', 'full-chain.csv', 'small-mutation.csv', 'transitions.csv', 'rest-points.csv', 'charts', '.migov']));
    const json = JSON.parse(readFileSync(join(dir, 'out', 'analysis.json'), 'utf8'));
    expect(json.analysis.mutationConvention).toBe('any');
    expect(json.analysis.fixationBySize.map((f: { Z: number }) => f.Z)).toEqual([10, 10, 50, 50, 100, 100]);
    const charts = readdirSync(join(dir, 'out', 'charts'));
    for (const id of ['analysis-gradient', 'analysis-small-mutation', 'analysis-transitions', 'analysis-full-chain', 'analysis-fixation-beta', 'analysis-fixation-size']) {
      for (const ext of ['vl.json', 'svg', 'png']) expect(charts).toContain(`${id}.${ext}`);
    }
    // a second analysis may replace the folder (it is migov's own); the other mutation convention changes the full chain
    const before = readFileSync(join(dir, 'out', 'full-chain.csv'), 'utf8');
    expect(migov(['analyze', 'spec.yaml', '--out', 'out', '--set', 'analysis.mutation=other'], dir).code).toBe(0);
    const other = readFileSync(join(dir, 'out', 'full-chain.csv'), 'utf8');
    expect(other).not.toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'analysis.json'), 'utf8')).analysis.mutationConvention).toBe('other');
  }, 120_000);

  it('refuses a bad analysis section, naming the field and what is allowed, and writes nothing', () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SPEC.replace('populationSizes: [10, 50, 100]', 'mutation: sometimes'));
    const r = migov(['analyze', 'spec.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('analysis.mutation');
    expect(r.stderr).toMatch(/any.*other/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses a population above 100,000, writing nothing', () => {
    const dir = tempDir();
    writeSpec(dir, 'big.yaml', SPEC.replace('Z: 50', 'Z: 200000'));
    const big = migov(['analyze', 'big.yaml', '--out', 'out'], dir);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('params.Z');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('answers for migration-flows: says there is no stage game, and gives each replication\'s one-shot best responses at its final state', () => {
    const dir = tempDir();
    writeSpec(dir, 'flows.yaml', FLOWS_SPEC);
    const r = migov(['analyze', 'flows.yaml', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The flows model has no stage game');
    expect(r.stdout).toContain('equilibria and stochastic stability are not computed');
    const json = JSON.parse(readFileSync(join(dir, 'out', 'flows.json'), 'utf8'));
    expect(json.flows.statement).toContain('no stage game');
    // the same numbers as the API's flowsBestResponses on the same spec (the seeds of migov run)
    const expected = flowsBestResponses(resolveSpec(join(dir, 'flows.yaml')), { replications: 2 });
    expect(json.flows.areas.map((a: { issueArea: string; replication: number }) => `${a.issueArea}:${a.replication}`)).toEqual(expected.map((a) => `${a.issueArea}:${a.replication}`));
    json.flows.areas.forEach((a: { bestShares: number[]; shares: number[]; nash: boolean }, i: number) => {
      expect(a.bestShares).toEqual(expected[i].bestShares);
      expect(a.shares).toEqual(expected[i].shares);
      expect(a.nash).toBe(expected[i].nash);
    });
    // printed beside each other: the final levels and the shares of best responses, per area
    const first = expected[0];
    const f = (x: number[]) => `U ${x[0].toFixed(2)} C ${x[1].toFixed(2)} M ${x[2].toFixed(2)}`;
    expect(r.stdout).toContain(`final levels:                 ${f(first.shares)}\n  best responses (one-shot):    ${f(first.bestShares)}`);
    expect(r.stdout).toContain(`final profile a Nash equilibrium of the one-shot game: ${first.nash ? 'yes' : 'no'}`);
    expect(r.stdout).toContain('Over the 2 replications (means):');
    const rows = readFileSync(join(dir, 'out', 'best-responses.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('replication,issue_area,state,level,best_response,gain');
    expect(rows).toHaveLength(1 + 2 * 3 * json.flows.states.length);
  }, 120_000);

  it('checks a flows spec against the budget before running it, writing nothing', () => {
    const dir = tempDir();
    writeSpec(dir, 'huge.yaml', FLOWS_SPEC.replace('rounds: 15', 'rounds: 1000000').replace('replications: 2', 'replications: 100000'));
    const r = migov(['analyze', 'huge.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/field "rounds": world\.N = 60 agents x 1,000,000 rounds x 100,000 runs = 6\.00e12 decisions, above the default budget/);
    expect(r.stderr).toContain('--allow-large to accept it');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--beside a run folder: the z-score of its replications and their points beside the full chain; another model refused', () => {
    const dir = tempDir();
    // seed 31 for this test only; 120 replications of 150 rounds: the chain (Z 12) forgets its start in a few rounds
    writeSpec(dir, 'stag.yaml', 'name: stag-twin\nmodel: matrix-game\nparams: { Z: 12 }\nprotocol: { rule: fermi, selectionIntensity: 1, mutation: 0.05 }\nrounds: 150\nrecordEvery: 150\nreplications: 120\nseed: 31\n');
    expect(migov(['run', 'stag.yaml', '--out', 'run', '--no-report', '-q'], dir).code).toBe(0);
    const r = migov(['analyze', 'stag.yaml', '--beside', 'run', '--out', 'twin'], dir);
    expect(r.code, r.stderr).toBe(0);
    const z = Number(/z (-?\d+\.\d+)/.exec(r.stdout)?.[1]);
    expect(Math.abs(z), r.stdout).toBeLessThanOrEqual(4);
    const vl = readFileSync(join(dir, 'twin', 'charts', 'analysis-full-chain.vl.json'), 'utf8');
    expect(vl).toContain('simulated (last round)');
    writeSpec(dir, 'pgg.yaml', SPEC);
    const wrong = migov(['analyze', 'pgg.yaml', '--beside', 'run', '--out', 'nothing'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('matrix-game');
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });

  it("refuses an --out folder that is not migov's and leaves its files as they were", () => {
    const dir = tempDir();
    writeSpec(dir, 'spec.yaml', SPEC);
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
    const r = migov(['analyze', 'spec.yaml', '--out', 'mine'], dir);
    expect(r.code).toBe(2);
    expect(readdirSync(join(dir, 'mine'))).toEqual(['notes.txt']);
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
