// A results folder that cannot be reported on (ReportError: a file missing or
// malformed; the message names the folder, the file and where in it; the CLI prints it
// and exits with code 2), and a chart that does not compile or render cleanly
// (RenderError: a fault in the chart builders, not in the user's input).

export class ReportError extends Error {
  constructor(
    /** The results folder. */
    readonly folder: string,
    /** The file in it (relative to the folder), or '' for the folder as a whole. */
    readonly file: string,
    /** What is wrong and, where it helps, what was expected. */
    readonly problem: string,
  ) {
    super(`${file ? `${folder}/${file}` : folder}: ${problem}`);
    this.name = 'ReportError';
  }
}

export class RenderError extends Error {
  constructor(
    readonly chartId: string,
    readonly problems: readonly string[],
  ) {
    super(`chart "${chartId}": ${problems.join('; ')}`);
    this.name = 'RenderError';
  }
}
