// The learning rule as a sweep factor: a factor with path `protocol` whose values name
// whole protocols of `sweep.protocols`. A point that picks a protocol runs exactly as a
// spec written with that protocol; a bad name or a bad protocol is an error naming the
// field, the value and what is allowed; a spec without the feature parses as before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, planSweep, sweep, validateSpec } from '../../src/index.ts';
import type { SpecInput } from '../../src/index.ts';
import { runSeed } from '../../src/engine/rng.ts';
import { parameterInfo } from '../../src/experiment/parameters.ts';
import { specIdentity } from '../../src/sweep/experiment.ts';
import { tempDir } from '../cli/helpers.ts';
import { readCsv } from '../cli/sweep-helpers.ts';

const PROTOCOLS = {
  logit: { rule: 'logit', temperature: 0.5, revisionRate: 0.5 },
  imitate: { rule: 'fermi', selectionIntensity: 2, mutation: 0.05 },
  learn: { rule: 'roth-erev', reinforce: 'advantage', forgetting: 0.1 },
} as const;

const spec = (sweepPart: Record<string, unknown>, extra: Partial<SpecInput> = {}): SpecInput =>
  ({
    name: 'protocol-factor',
    model: 'linear-pgg',
    params: { Z: 30, N: 3, r: 3, c: 1 },
    protocol: { rule: 'fermi', selectionIntensity: 1 },
    rounds: 4,
    recordEvery: 2,
    replications: 2,
    seed: 'rules',
    sweep: { design: 'grid', factors: [{ path: 'protocol', values: ['logit', 'imitate', 'learn'] }], protocols: PROTOCOLS, ...sweepPart },
    ...extra,
  }) as SpecInput;

/** The SpecError's problems as `field: message; allowed` lines. */
function problems(input: SpecInput): string[] {
  try {
    planSweep(validateSpec(input, 'f.yaml'), 'f.yaml');
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.problems.map((p) => `${p.field}: ${p.message}; ${p.allowed}`);
  }
  throw new Error('no SpecError');
}

describe('the protocol factor', () => {
  it('runs each point exactly as a spec written with the chosen protocol (same parsed protocol, same run seeds)', () => {
    const plan = planSweep(validateSpec(spec({}), 'f.yaml'), 'f.yaml');
    expect(plan.points.map((p) => p.values.protocol)).toEqual(['logit', 'imitate', 'learn']);
    for (const point of plan.points) {
      const name = point.values.protocol as keyof typeof PROTOCOLS;
      const alone = validateSpec({ ...spec({}), sweep: undefined, protocol: PROTOCOLS[name] }, 'g.yaml');
      expect(point.spec.protocol).toEqual(alone.protocol);
      const tasks = plan.tasks.filter((t) => t.point === point.index);
      expect(tasks.map((t) => t.seed)).toEqual([0, 1].map((r) => runSeed('rules', specIdentity(alone), r)));
      expect(tasks.every((t) => JSON.stringify(t.protocol) === JSON.stringify(alone.protocol))).toBe(true);
    }
    // a named protocol takes the protocol defaults for what it leaves out, not the spec's protocol's
    expect(plan.points[1].spec.protocol).toMatchObject({ rule: 'fermi', selectionIntensity: 2, revisionRate: 1, mutation: 0.05 });
  });

  it('is categorical in sampled designs: every point picks one of the named protocols, all of them drawn by the strata', () => {
    const input = spec({ design: 'lhs', samples: 9, factors: [{ path: 'params.r', min: 1.5, max: 3 }, { path: 'protocol', values: ['logit', 'imitate', 'learn'] }] });
    const plan = planSweep(validateSpec(input, 'f.yaml'), 'f.yaml');
    const counts: Record<string, number> = {};
    for (const p of plan.points) {
      const name = p.values.protocol as keyof typeof PROTOCOLS;
      counts[name] = (counts[name] ?? 0) + 1;
      expect(p.spec.protocol.rule).toBe(PROTOCOLS[name].rule);
      expect(p.spec.params.r).toBe(p.values['params.r']);
    }
    // 9 points over 3 values: each value's stratum of [0, 1) holds exactly 3
    expect(counts).toEqual({ logit: 3, imitate: 3, learn: 3 });
  });

  it('sets a field under protocol. on the chosen protocol, whatever the factors order', () => {
    for (const factors of [
      [{ path: 'protocol.revisionRate', values: [0.3] }, { path: 'protocol', values: ['logit', 'imitate'] }],
      [{ path: 'protocol', values: ['logit', 'imitate'] }, { path: 'protocol.revisionRate', values: [0.3] }],
    ]) {
      const plan = planSweep(validateSpec(spec({ factors }), 'f.yaml'), 'f.yaml');
      expect(plan.points.map((p) => [p.spec.protocol.rule, p.spec.protocol.revisionRate])).toEqual([
        ['logit', 0.3],
        ['fermi', 0.3],
      ]);
    }
  });

  it('refuses a name that no named protocol has, naming the factor value and the names allowed', () => {
    expect(problems(spec({ factors: [{ path: 'protocol', values: ['logit', 'logti'] }] }))).toEqual([
      'sweep.factors.0.values.1: got "logti": factor protocol: value "logti" names no protocol in sweep.protocols; logit, imitate, learn',
    ]);
    expect(problems(spec({ factors: [{ path: 'protocol', values: [3] }] }))[0]).toMatch(/^sweep\.factors\.0\.values\.0: got 3: factor protocol: value 3 names no protocol/);
  });

  it('refuses a bad named protocol with the field inside it, drawn or not', () => {
    expect(problems(spec({ protocols: { ...PROTOCOLS, logit: { rule: 'logit', temprature: 0.5 } } }))[0]).toMatch(/^sweep\.protocols\.logit\.temprature: unknown field "temprature" \(did you mean "temperature"\?\)/);
    expect(problems(spec({ protocols: { ...PROTOCOLS, learn: { rule: 'roth-erev', forgetting: 2 } } }))[0]).toMatch(/^sweep\.protocols\.learn\.forgetting: got 2/);
    expect(problems(spec({ protocols: { ...PROTOCOLS, x: { rule: 'softmax' } } }))[0]).toMatch(/^sweep\.protocols\.x\.rule: /);
    // linear-pgg declares no peer classes; the named protocol is refused although the design never picks it
    const classes = spec({ factors: [{ path: 'protocol', values: ['logit'] }], protocols: { logit: PROTOCOLS.logit, byClass: { rule: 'fermi', peers: 'class' } } });
    expect(problems(classes)[0]).toMatch(/^sweep\.protocols\.byClass\.peers: model linear-pgg declares no peer classes/);
  });

  it('refuses a range, a protocol factor without named protocols, and named protocols without the factor', () => {
    expect(problems(spec({ factors: [{ path: 'protocol', min: 0, max: 1, steps: 2 }] }))[0]).toMatch(/^sweep\.factors\.0: .*factor protocol takes values naming protocols of sweep\.protocols, not a range; \{ path: protocol, values: \[logit, imitate, learn\] \}/);
    expect(problems(spec({ protocols: undefined }))[0]).toMatch(/^sweep\.factors\.0\.values: .*factor protocol needs sweep\.protocols/);
    expect(problems(spec({ factors: [{ path: 'params.r', values: [2] }] }))[0]).toMatch(/^sweep\.protocols: .*no factor has path protocol/);
  });

  it('names the sweep point where a field factor does not fit the chosen protocol', () => {
    const input = spec({ factors: [{ path: 'protocol', values: ['logit', 'imitate'] }, { path: 'protocol.temperature', values: [0.2] }] });
    expect(problems(input)[0]).toMatch(/^protocol\.temperature: unknown field "temperature" \(at sweep point 1: protocol="imitate", protocol\.temperature=0\.2\)/);
  });

  it('leaves a spec without it as it parsed before: no protocols key in the parsed sweep', () => {
    const input = spec({ factors: [{ path: 'params.r', values: [2, 3] }] });
    delete (input.sweep as Record<string, unknown>).protocols;
    const parsed = validateSpec(input, 'f.yaml');
    expect(Object.keys(parsed.sweep!)).not.toContain('protocols');
    expect(JSON.stringify(parsed.sweep)).toBe('{"design":"grid","factors":[{"path":"params.r","values":[2,3],"scale":"linear","integer":false}],"levels":4,"bootstrap":200,"series":false}');
  });

  it('is called the learning rule in charts and manifests', () => {
    expect(parameterInfo(validateSpec(spec({}), 'f.yaml'), 'protocol').label).toBe('learning rule');
  });

  it('writes the protocol names into runs.csv, byte-identical with 1 or 2 workers and when rerun from its manifest', async () => {
    const root = tempDir();
    await sweep(spec({}), { out: join(root, 'a'), workers: 1, report: false });
    await sweep(spec({}), { out: join(root, 'b'), workers: 2, report: false });
    const a = readCsv(join(root, 'a'), 'runs.csv');
    expect(a.map((r) => r.protocol)).toEqual(['logit', 'logit', 'imitate', 'imitate', 'learn', 'learn']);
    expect(readCsv(join(root, 'b'), 'runs.csv')).toEqual(a);
    // the manifest holds the parsed named protocols; rerunning from it gives the same runs
    await sweep(join(root, 'a', 'manifest.json'), { out: join(root, 'c'), workers: 1, report: false });
    expect(readFileSync(join(root, 'c', 'runs.csv'), 'utf8')).toBe(readFileSync(join(root, 'a', 'runs.csv'), 'utf8'));
  });
});
