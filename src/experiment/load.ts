// Loading experiment specs (YAML or JSON) from files. Nothing downstream sees a spec
// that has not passed here, and every failure is a SpecError naming the file, the
// field, the value and what is allowed. The validation itself is validate.ts's (it
// reads no file, so the browser demo uses it too); here are the file reads: the spec,
// and a state table a spec names (tables.ts), which validateSpec below passes in.
import { readFileSync, statSync } from 'node:fs';
import { SpecError, truncate } from './errors.ts';
import { checkSpecSize, parseYaml, specText } from './input.ts';
import type { Spec } from './schema.ts';
import { readStateTable } from './tables.ts';
import { applyOverrides, inspectSpecObject, manifestJson, manifestOf, recordRerun, validateSpec as validateWith } from './validate.ts';

export { applyOverrides, modelOf, parseSpecText, rerunOf, specJsonSchema, type Rerun } from './validate.ts';

/** Validates a parsed spec (validate.ts), reading a state table it names from the file system. */
export function validateSpec(raw: unknown, file: string, set: ReadonlySet<string> = new Set()): Spec {
  return validateWith(raw, file, set, readStateTable);
}

/** A spec file's text, through the same gates as every spec: a regular file, its size before it is read, UTF-8. */
export function readSpecText(file: string): string {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new SpecError(file, [{ field: '', message: 'is not a file', allowed: 'a readable YAML (.yaml, .yml) or JSON (.json) file' }]);
    // refused before it is read: a huge file never reaches memory
    checkSpecSize(file, st.size);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : truncate(String((e as Error).message), 200);
    throw new SpecError(file, [{ field: '', message: `cannot read the spec: ${why}`, allowed: 'a readable YAML (.yaml, .yml) or JSON (.json) file' }]);
  }
  return specText(file, bytes);
}

/** Reads, parses and validates a spec file; `overrides` are `path=value` strings as given to --set. */
export function loadSpec(file: string, overrides: readonly string[] = []): Spec {
  const text = readSpecText(file);
  const parsed = manifestJson(file, text) ?? parseYaml(file, text);
  const manifest = manifestOf(file, parsed);
  if (!manifest) {
    const set = applyOverrides(file, parsed, overrides);
    return validateSpec(parsed, file, set);
  }
  // a result folder's manifest.json: its spec (validated, defaults filled in), checked against its hash
  const raw = manifest.spec;
  const set = applyOverrides(file, raw, overrides);
  let spec: Spec;
  try {
    spec = validateSpec(raw, file, set);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new SpecError(file, e.problems.map((p) => (p.file && p.file !== file ? p : { ...p, field: p.field ? `spec.${p.field}` : 'spec' })), e.note);
  }
  recordRerun(spec, { manifest: file, kind: manifest.kind });
  return spec;
}

/**
 * A spec given as a file path or as an object (labelled `<spec object>` in errors),
 * with `--set`-style overrides and, if given, the master seed overriding the spec's
 * (as `--seed` does); validated.
 */
export function resolveSpec(spec: string | unknown, set: readonly string[] = [], seed?: string | number): Spec {
  const overrides = seed !== undefined ? [...set, `seed=${seed}`] : set;
  if (typeof spec === 'string') return loadSpec(spec, overrides);
  const file = '<spec object>';
  const raw = inspectSpecObject(file, spec);
  return validateSpec(raw, file, applyOverrides(file, raw, overrides));
}

