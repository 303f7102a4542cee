#!/usr/bin/env node
// The `migov` command. It runs from JavaScript bundled from the TypeScript sources
// (scripts/bundle.js: built on first use, rebuilt whenever a source changes, kept in
// node_modules/.cache/migov/), or, when there is no fresh bundle to be had (or
// MIGOV_NO_BUNDLE=1), from the sources themselves through tsx's loader. Either way
// there is no build step to remember: `npm ci` and then `npx migov ...` works.
import { bundledMain } from '../scripts/bundle.js';

/** @type {((argv: readonly string[]) => Promise<number>) | undefined} */
let main;
const bundled = await bundledMain();
if (bundled) {
  try {
    // stack traces name the TypeScript sources, as they do through tsx
    process.setSourceMapsEnabled(true);
    ({ main } = await import(bundled));
  } catch {
    // a bundle that does not load: the sources say why, or run
  }
}
if (typeof main !== 'function') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
