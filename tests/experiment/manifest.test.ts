// A result folder's manifest.json given as the spec: its spec, checked against its hash.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/engine/rng.ts';
import { SpecError } from '../../src/experiment/errors.ts';
import { loadSpec, rerunOf, resolveSpec } from '../../src/experiment/load.ts';
import { tempDir } from '../cli/helpers.ts';

const spec = resolveSpec({ name: 'm', model: 'linear-pgg', params: { Z: 30, N: 3, r: 2, c: 1 }, rounds: 4, replications: 2, seed: 9 });

function manifestFile(extra: Record<string, unknown> = {}, text?: (json: string) => string): string {
  const file = join(tempDir(), 'manifest.json');
  const json = JSON.stringify({ migov: '0', specFile: 'm.yaml', spec, specHash: sha256Hex(canonicalJson(spec)), seed: spec.seed, ...extra }, null, 2);
  writeFileSync(file, text ? text(json) : json);
  return file;
}

describe('a manifest as the spec', () => {
  it('gives the recorded spec, and says it came from the manifest', () => {
    const file = manifestFile();
    const again = loadSpec(file);
    expect(again).toEqual(spec);
    expect(sha256Hex(canonicalJson(again))).toBe(sha256Hex(canonicalJson(spec)));
    expect(rerunOf(again)).toEqual({ manifest: file, kind: 'run' });
    expect(rerunOf(spec)).toBeUndefined();
  });

  it('reads the manifest of thousands of replications (more values than a spec may hold)', () => {
    const replications = Array.from({ length: 6000 }, (_, i) => ({ replication: i, seed: 'x', roundsRun: 4, stoppedBy: 'rounds', ms: 1 }));
    expect(loadSpec(manifestFile({ replications }))).toEqual(spec);
  });

  it('takes --set and --seed on the recorded spec', () => {
    const s = loadSpec(manifestFile(), ['params.r=2.5', 'seed=10']);
    expect(s.params.r).toBe(2.5);
    expect(s.seed).toBe(10);
  });

  it('refuses a spec changed after the run, naming specHash', () => {
    const file = manifestFile({}, (json) => json.replace('"r": 2', '"r": 2.5'));
    expect(() => loadSpec(file)).toThrow(SpecError);
    expect(() => loadSpec(file)).toThrow(/specHash .*changed after the run/);
  });

  it('refuses a forbidden key anywhere in the manifest, as any spec', () => {
    const file = manifestFile({}, (json) => json.replace('"migov": "0"', '"migov": {"__proto__": {"x": 1}}'));
    expect(() => loadSpec(file)).toThrow(/__proto__/);
  });

  it('names the manifest\'s fields under spec. when its spec is invalid', () => {
    const bad = { ...spec, rounds: -1 };
    const file = join(tempDir(), 'manifest.json');
    writeFileSync(file, JSON.stringify({ spec: bad, specHash: sha256Hex(canonicalJson(bad)) }));
    expect(() => loadSpec(file)).toThrow(/spec\.rounds/);
  });
});
