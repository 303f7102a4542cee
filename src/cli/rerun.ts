// Where a command writes when no --out is given, and what a rerun from a result
// folder's manifest.json changes about it.
import { dirname, join, resolve } from 'node:path';
import { rerunOf } from '../experiment/load.ts';
import type { Spec } from '../experiment/schema.ts';

/**
 * The default result folder of a spec: `<results>/<name>`. A spec read from a
 * manifest.json (a rerun) never goes into the folder the manifest is in (the folder
 * rules refuse a folder holding a spec file given): when `<results>/<name>` is that
 * folder, the rerun goes to `<results>/<name>-rerun`, and `note` says so.
 */
export function defaultResultDir(spec: Spec, results: string): { dir: string; note?: string } {
  const dir = join(results, spec.name);
  const rerun = rerunOf(spec);
  if (!rerun || resolve(dirname(rerun.manifest)) !== resolve(dir)) return { dir };
  const other = `${dir}-rerun`;
  return { dir: other, note: `Rerunning ${rerun.manifest} into ${other} (the folder it came from is kept as it is; --out names another folder)` };
}
