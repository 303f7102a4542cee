// The fast paths of per-run bookkeeping give the same bytes as the plain ones:
// node:crypto's SHA-256 as the browser's JavaScript one, and seedsOf (the identity's
// canonical JSON built once per design point) as runSeed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, runSeed, seedsOf, sha256Hex, sha256HexJs } from '../../src/engine/rng.ts';

describe('seed hashing', () => {
  it('property: sha256Hex (node:crypto) equals the browser path (@noble/hashes) on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => sha256Hex(text) === sha256HexJs(text)), { numRuns: 500 });
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('property: seedsOf(master, identity)(r) equals runSeed(master, identity, r)', () => {
    const json = fc.jsonValue().filter((v) => {
      try {
        canonicalJson(v);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), json, fc.nat(1e9), (master, identity, r) => {
        expect(seedsOf(master, identity)(r)).toBe(runSeed(master, identity, r));
      }),
      { numRuns: 300 },
    );
    expect(seedsOf(7, undefined)(3)).toBe(runSeed(7, undefined, 3));
  });
});
