// Where the findings scripts read and write, whatever the working folder: the sweeps'
// folders under the repository's results/ (or `--results <dir>`), and the chart under
// docs/findings/ (or the path given as the first argument). Paths given on the
// command line are relative to the working folder; the defaults are relative to the
// repository, found from this file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The repository's root folder. */
export const REPO = resolve(import.meta.dirname, '../../..');

const { values, positionals } = parseArgs({ options: { results: { type: 'string' } }, allowPositionals: true });

/** The folder holding the sweeps' result folders: --results, or <repository>/results. */
export const RESULTS = values.results !== undefined ? resolve(values.results) : resolve(REPO, 'results');

/** A sweep's file: `<results>/<folder>/<file>`. */
export function resultFile(folder: string, file = 'summary.csv'): string {
  return resolve(RESULTS, folder, file);
}

/** Where the chart goes: the first argument, or docs/findings/<name> in the repository. */
export function chartFile(name: string): string {
  return positionals[0] !== undefined ? resolve(positionals[0]) : resolve(REPO, 'docs/findings', name);
}
