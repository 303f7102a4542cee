// Errors in what a user wrote: each names the file, the field, the value given and
// what is allowed, in one paragraph. The CLI prints them and exits with code 2.
// Messages stay short whatever the input: at most MAX_LISTED problems are listed (then
// a count of the rest), a value is echoed truncated to ECHO_LENGTH characters, and a
// "did you mean" is only looked for among names of at most SUGGEST_LENGTH characters.

/** A message lists this many problems, then "and N more problems". */
export const MAX_LISTED = 20;
/** A value or name echoed in a message is cut to about this many characters. */
export const ECHO_LENGTH = 80;
/** Names longer than this get no "did you mean" (the edit distance is quadratic in the length). */
export const SUGGEST_LENGTH = 64;

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly SpecProblem[],
    /** A last line saying how the files named relate (e.g. which spec named a table file). */
    readonly note?: string,
  ) {
    super(formatProblems(file, problems) + (note ? `\n${note}` : ''));
    this.name = 'SpecError';
  }
}

export interface SpecProblem {
  /** Dotted path of the field (empty for the file as a whole). */
  readonly field: string;
  /** What was wrong, including the value given. */
  readonly message: string;
  /** What is allowed there. */
  readonly allowed?: string;
  /** The file the problem is in, when not the spec itself (a table file the spec names). */
  readonly file?: string;
  /** Where in that file, when not a field path (e.g. 'data row 3 (line 4), column "capacity"'). */
  readonly at?: string;
}

function formatProblems(file: string, problems: readonly SpecProblem[]): string {
  // a list already capped by its maker (one count line at the end) is shown whole
  const shown = problems.length > MAX_LISTED + 1 ? problems.slice(0, MAX_LISTED) : problems;
  const lines = shown.map((p) => {
    // JSON quoting: a field name with a quote or a line break stays on one readable line
    const where = p.at ?? (p.field ? `field ${JSON.stringify(truncate(p.field, 2 * ECHO_LENGTH))}` : 'the file');
    return `${p.file ?? file}: ${where}: ${p.message}${p.allowed ? `; allowed: ${p.allowed}` : ''}`;
  });
  if (shown.length < problems.length) lines.push(`${file}: the file: and ${problems.length - shown.length} more problems`);
  return lines.join('\n');
}

/** The first problems of a long list and a count line for the rest (`more`: problems not even collected). */
export function capProblems(problems: readonly SpecProblem[], file?: string, more = 0): SpecProblem[] {
  const rest = Math.max(0, problems.length - MAX_LISTED) + more;
  if (rest === 0) return [...problems];
  return [...problems.slice(0, MAX_LISTED), { field: '', ...(file ? { file } : {}), at: 'the file', message: `and ${rest} more problem${rest > 1 ? 's' : ''}` }];
}

/** A string cut to `max` characters, saying how long it was: `aaaa… (1000000 chars)`. */
export function truncate(s: string, max = ECHO_LENGTH): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} chars)`;
}

/** A string quoted as JSON, cut to about ECHO_LENGTH characters. */
export function quote(s: string): string {
  return s.length <= ECHO_LENGTH ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, ECHO_LENGTH)).slice(0, -1)}…" (${s.length} chars)`;
}

/** A value as a message shows it: NaN and Infinity by name (JSON would say null), strings quoted and cut. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as object | null;
    return proto === null || proto === Object.prototype ? 'a mapping' : `a ${(proto.constructor as { name?: string } | undefined)?.name || 'object'}`;
  }
  return String(v);
}

/** Edit distance, for "did you mean" suggestions (two rows, not a matrix). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  let cur = new Array<number>(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** The closest of `candidates` to `name`, if it is close enough to be a likely typo (none for long names). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > SUGGEST_LENGTH) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.length > SUGGEST_LENGTH) continue;
    const dist = editDistance(name, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
