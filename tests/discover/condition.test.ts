// The --where condition language (src/discover/condition.ts).
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/experiment/errors.ts';
import { compileCondition } from '../../src/discover/condition.ts';

const declared = ['refugee_in_force', 'refugee_gap', 'share_refugee_M'];
const columns = {
  refugee_in_force: [1, 1, 0, 1, NaN],
  refugee_gap: [0.1, 0.3, 0.05, 0.19, 0.1],
  share_refugee_M: [0.9, 0.8, 0.1, 0.5, 0.7],
};

function refusal(text: string): string {
  try {
    compileCondition(text, declared);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${text}`);
}

describe('conditions', () => {
  it('evaluates comparisons, logic, arithmetic and final.<metric> per run; a missing value (NaN) fails its comparison', () => {
    const c = compileCondition('final.refugee_in_force >= 0.5 and refugee_gap < 0.2', declared);
    expect([...c.evaluate(columns, 5)]).toEqual([1, 0, 0, 1, 0]);
    expect(c.metrics).toEqual(['refugee_in_force', 'refugee_gap']);
    expect([...compileCondition('not (share_refugee_M > 0.6) or refugee_gap * 2 == 0.1', declared).evaluate(columns, 5)]).toEqual([0, 0, 1, 1, 0]);
    expect([...compileCondition('0.1 < share_refugee_M - refugee_gap <= 0.8', declared).evaluate(columns, 5)]).toEqual([1, 1, 0, 1, 1]);
    expect([...compileCondition('refugee_in_force xor true', declared).evaluate(columns, 5)]).toEqual([0, 0, 1, 0, 1]);
  });

  it('refuses an unknown metric, listing the declared ones with a did-you-mean', () => {
    const m = refusal('refugee_gapp < 0.2');
    expect(m).toMatch(/unknown name "refugee_gapp" \(did you mean "refugee_gap"\?\)/);
    expect(m).toMatch(/allowed: refugee_in_force, refugee_gap, share_refugee_M/);
    expect(m).toMatch(/^--where:/);
  });

  it('refuses assignment, function definitions and calls, strings, matrices, units, conditionals and empty text', () => {
    expect(refusal('refugee_gap = 1')).toMatch(/assignment/);
    expect(refusal('f(x) = x')).toMatch(/assignment and function definitions/);
    expect(refusal('abs(refugee_gap) < 1')).toMatch(/function calls/);
    expect(refusal('refugee_gap == "a"')).toMatch(/not a number/);
    expect(refusal('[1, 2]')).toMatch(/not part of the language/);
    expect(refusal('2 cm')).toMatch(/implicit multiplication/);
    expect(refusal('refugee_gap > 0 ? 1 : 0')).toMatch(/not part of the language/);
    expect(refusal('refugee_gap <')).toMatch(/does not parse/);
    expect(refusal('  ')).toMatch(/empty/);
    expect(refusal('x.constructor')).toMatch(/not part of the language|unknown name/);
    expect(refusal('a'.repeat(3000))).toMatch(/characters long/);
  });
});
