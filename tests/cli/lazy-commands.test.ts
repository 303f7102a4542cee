// `migov --help` (and every call, before its command runs) loads only the commands'
// options and help: the bundle's main.js and the chunks it imports statically hold no
// model, zod, yaml or CSV code; each command's work is a chunk loaded when it runs
// (src/cli/<command>.ts against src/cli/actions/<command>.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledMain } from '../../scripts/bundle.js';

/** The files a module loads before it runs: itself and its static imports, transitively (not `import()`). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|\n)import\s*(?:[^'"();]*?\sfrom\s*)?"(\.\/[^"]+\.js)"/g)) staticClosure(join(dirname(file), m[1]), seen);
  return seen;
}

/** The source files esbuild names in its output (its `// path` comments). */
function sources(files: Iterable<string>): string[] {
  const names: string[] = [];
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/gm)) names.push(m[1]);
  return names;
}

const HEAVY = [/^models\//, /node_modules\/zod\//, /node_modules\/yaml\//, /node_modules\/csv-parse\//, /node_modules\/csv-stringify\//, /^src\/engine\//, /^src\/experiment\/load\.ts$/, /^src\/sweep\/(sweep|plan|executor|merge|slurm)\.ts$/];

describe('start-up', () => {
  it('loads no model, zod, yaml or sweep code before a command runs', { timeout: 120_000 }, async () => {
    const url = await bundledMain();
    expect(url, 'a bundle could be built').toBeDefined();
    const main = fileURLToPath(url!);
    const atStart = sources(staticClosure(main));
    expect(atStart).toContain('src/cli/main.ts');
    expect(atStart.some((s) => s.includes('node_modules/commander/'))).toBe(true);
    expect(atStart.filter((s) => HEAVY.some((h) => h.test(s)))).toEqual([]);
    // the check can see them: the lazily loaded chunks beside main.js hold the models and the command code
    const all = sources(readdirSync(dirname(main)).filter((f) => f.endsWith('.js')).map((f) => join(dirname(main), f)));
    expect(all.some((s) => /^models\//.test(s))).toBe(true);
    expect(all).toContain('src/cli/actions/run.ts');
  });
});
