// The condition language of `migov discover --where`: which runs are of interest,
// written over the outcomes a sweep declares, e.g.
//   final.share_refugee_M >= 0.5 and refugee_gap < 0.2
// The text is parsed by mathjs (its expression parser only) and the tree is checked
// and compiled here into a function of one run: numbers, true/false, the declared
// metric names (alone or as final.<name>: a sweep keeps each run's final values),
// parentheses, arithmetic (+ - * / ^, unary minus), comparisons (< <= > >= == !=,
// chained as a < b < c) and logic (and, or, xor, not). Nothing else is accepted: no
// assignment, no function definition or call, no strings, matrices, units or
// conditionals; nothing is ever evaluated by mathjs or eval. Errors are SpecErrors
// (exit 2) naming `--where`, the construct or name, and what is allowed, with a
// "did you mean" for a misspelt metric.
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { SpecError, closest, quote } from '../experiment/errors.ts';

const require = createRequire(import.meta.url);
// mathjs's single-file build loads in a fraction of a second; its ES modules (hundreds of files) take seconds
let parser: ((text: string) => MathNode) | null = null;
function parse(text: string): MathNode {
  parser ??= (require('mathjs/lib/browser/math.js') as { parse: (text: string) => MathNode }).parse;
  return parser(text);
}

/** The longest condition accepted (the parser recurses on nesting). */
export const MAX_CONDITION_LENGTH = 2000;

/** A compiled condition: reads the metric columns of run i. */
export interface Condition {
  readonly text: string;
  /** The metric names the condition reads, in order of first use. */
  readonly metrics: readonly string[];
  /** 1 where run i meets the condition, 0 elsewhere (a comparison with a missing value, NaN, is false). */
  evaluate(columns: Readonly<Record<string, ArrayLike<number>>>, runs: number): Uint8Array;
}

type Compiled = (i: number) => number;

const COMPARISON: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

const ALLOWED = 'numbers, true/false, the declared metric names (or final.<name>), ( ), + - * / ^, < <= > >= == !=, and, or, xor, not';

const truthy = (x: number) => x !== 0 && !Number.isNaN(x);

/**
 * Parses and checks `text` against the declared metric names; throws a SpecError
 * (`--where`, what is wrong, what is allowed) on any construct outside the language
 * or any name that is not a declared metric.
 */
export function compileCondition(text: string, declared: readonly string[]): Condition {
  const fail = (message: string, allowed = ALLOWED): never => {
    throw new SpecError('--where', [{ field: '', at: `condition ${quote(text)}`, message, allowed }]);
  };
  if (typeof text !== 'string' || text.trim() === '') fail('the condition is empty', `a condition on the outcomes, e.g. "${declared[0] ?? 'metric'} >= 0.5"; ${ALLOWED}`);
  if (text.length > MAX_CONDITION_LENGTH) fail(`the condition is ${text.length} characters long`, `at most ${MAX_CONDITION_LENGTH} characters`);
  let tree: MathNode;
  try {
    tree = parse(text);
  } catch (e) {
    return fail(`it does not parse: ${(e as Error).message}`);
  }
  const names = new Set(declared);
  const used: string[] = [];
  const metric = (name: string): Compiled => {
    if (!names.has(name)) {
      const hint = closest(name, declared);
      fail(`unknown name ${quote(name)}${hint ? ` (did you mean "${hint}"?)` : ''}: the condition may name only the metrics the sweep declares`, declared.join(', '));
    }
    if (!used.includes(name)) used.push(name);
    return () => NaN; // replaced when evaluated (see bind)
  };
  const compile = (node: MathNode): ((cols: Record<string, ArrayLike<number>>) => Compiled) => {
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ConstantNode': {
        const v = n.value;
        if (typeof v === 'number' && Number.isFinite(v)) return () => () => v;
        if (typeof v === 'boolean') return () => () => (v ? 1 : 0);
        return fail(`${typeof v === 'string' ? `the text ${quote(v)}` : `the value ${String(v)}`} is not a number`);
      }
      case 'SymbolNode': {
        const name = String(n.name);
        metric(name);
        return (cols) => {
          const col = cols[name];
          return (i) => col[i];
        };
      }
      case 'AccessorNode': {
        const object = n.object as MathNode & { name?: string };
        const index = n.index as MathNode & { dimensions?: (MathNode & { value?: unknown })[]; dotNotation?: boolean };
        const dims = index.dimensions ?? [];
        if (object.type === 'SymbolNode' && object.name === 'final' && index.dotNotation && dims.length === 1 && typeof dims[0].value === 'string') {
          const name = dims[0].value;
          metric(name);
          return (cols) => {
            const col = cols[name];
            return (i) => col[i];
          };
        }
        return fail('an index or property other than final.<metric> is not part of the language');
      }
      case 'ParenthesisNode':
        return compile(n.content as MathNode);
      case 'OperatorNode': {
        const op = String(n.op);
        const fnName = String(n.fn);
        if (n.implicit) fail('implicit multiplication (two terms side by side, such as "2 x" or a unit) is not part of the language; write * between them');
        const args = (n.args as MathNode[]).map(compile);
        if (args.length === 1) {
          const [a] = args;
          if (fnName === 'unaryMinus') return (c) => { const f = a(c); return (i) => -f(i); };
          if (fnName === 'unaryPlus') return (c) => a(c);
          if (op === 'not') return (c) => { const f = a(c); return (i) => (truthy(f(i)) ? 0 : 1); };
          return fail(`the operator ${quote(op)} is not part of the language`);
        }
        if (args.length !== 2) return fail(`the operator ${quote(op)} is not part of the language`);
        const [a, b] = args;
        const bin = (g: (x: number, y: number) => number) => (c: Record<string, ArrayLike<number>>) => {
          const f = a(c);
          const h = b(c);
          return (i: number) => g(f(i), h(i));
        };
        if (op in COMPARISON) {
          const cmp = COMPARISON[op];
          return bin((x, y) => (cmp(x, y) ? 1 : 0));
        }
        switch (op) {
          case '+': return bin((x, y) => x + y);
          case '-': return bin((x, y) => x - y);
          case '*': return bin((x, y) => x * y);
          case '/': return bin((x, y) => x / y);
          case '^': return bin((x, y) => x ** y);
          case 'and': return bin((x, y) => (truthy(x) && truthy(y) ? 1 : 0));
          case 'or': return bin((x, y) => (truthy(x) || truthy(y) ? 1 : 0));
          case 'xor': return bin((x, y) => (truthy(x) !== truthy(y) ? 1 : 0));
          default: return fail(`the operator ${quote(op)} is not part of the language`);
        }
      }
      case 'RelationalNode': {
        // a < b <= c: every neighbouring pair holds
        const ops = (n.conditionals as string[]).map((c) => {
          const sym = ({ smaller: '<', smallerEq: '<=', larger: '>', largerEq: '>=', equal: '==', unequal: '!=' } as Record<string, string>)[c];
          if (!sym) fail(`the comparison ${quote(c)} is not part of the language`);
          return COMPARISON[sym];
        });
        const params = (n.params as MathNode[]).map(compile);
        return (c) => {
          const fs = params.map((p) => p(c));
          return (i) => {
            for (let k = 0; k < ops.length; k++) if (!ops[k](fs[k](i), fs[k + 1](i))) return 0;
            return 1;
          };
        };
      }
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        return fail('assignment and function definitions are not part of the language');
      case 'FunctionNode':
        return fail(`function calls (${quote(String((n.fn as { name?: string }).name ?? 'a function'))}) are not part of the language`);
      default:
        return fail(`${node.type.replace(/Node$/, '').toLowerCase()} expressions are not part of the language`);
    }
  };
  const program = compile(tree);
  return {
    text,
    metrics: used,
    evaluate(columns, runs) {
      for (const m of used) if (!columns[m]) throw new RangeError(`condition reads ${m}, which is not among the columns given`);
      const f = program(columns as Record<string, ArrayLike<number>>);
      const out = new Uint8Array(runs);
      for (let i = 0; i < runs; i++) out[i] = truthy(f(i)) ? 1 : 0;
      return out;
    },
  };
}
