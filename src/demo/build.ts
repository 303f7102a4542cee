// Builds the demo into one folder of static files: index.html, demo.js (the page,
// with the worker's source inlined so that it starts from a Blob URL and works from
// file://) and the three vega libraries copied from node_modules. Node-only. Each file
// is written through a new temporary name and a rename, never through a link.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { writeFileExclusive } from '../sweep/folder.ts';

const HERE = import.meta.dirname;
const LIBRARIES: [string, string][] = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
];

export async function buildDemo(out: string): Promise<string[]> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const common = { bundle: true, platform: 'browser' as const, format: 'iife' as const, target: 'es2022', minify: true, write: false, logLevel: 'silent' as const };
  const worker = await build({ ...common, entryPoints: [join(HERE, 'worker.ts')] });
  const page = await build({
    ...common,
    entryPoints: [join(HERE, 'main.ts')],
    define: { WORKER_SOURCE: JSON.stringify(worker.outputFiles![0].text) },
  });
  writeFileExclusive(join(dir, 'demo.js'), page.outputFiles![0].text);
  writeFileExclusive(join(dir, 'index.html'), readFileSync(join(HERE, 'index.html'), 'utf8'));
  const require = createRequire(import.meta.url);
  for (const [pkg, file] of LIBRARIES) {
    const path = join(dirname(require.resolve(pkg)), file);
    // the source-map comment would point at a file that is not there
    writeFileExclusive(join(dir, file), readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '\n'));
  }
  return ['index.html', 'demo.js', ...LIBRARIES.map(([, f]) => f)];
}

