// Errors in what a user wrote: each names the file, the field, the value given and
// what is allowed, in one paragraph. The CLI prints them and exits with code 2.

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
  const lines = problems.map((p) => {
    const where = p.at ?? (p.field ? `field "${p.field}"` : 'the file');
    return `${p.file ?? file}: ${where}: ${p.message}${p.allowed ? `; allowed: ${p.allowed}` : ''}`;
  });
  return lines.join('\n');
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    }
  }
  return d[a.length][b.length];
}

/** The closest of `candidates` to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
