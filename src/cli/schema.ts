// `migov schema`: writes the JSON Schema of spec files, for editor completion.
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { OutputError, writeFileExclusive } from '../sweep/folder.ts';

export const SCHEMA_FILE = 'schema/spec.schema.json';

/** The schema's text; loads the spec schema (every model's parameters), so only when it is written. */
export async function schemaText(): Promise<string> {
  const { specJsonSchema } = await import('../experiment/load.ts');
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}

export function register(program: Command): void {
  program
    .command('schema')
    .description(`write the JSON Schema of experiment spec files (for editor completion) to ${SCHEMA_FILE} or --out`)
    .option('--out <file>', 'where to write it', SCHEMA_FILE)
    .option('--stdout', 'print it instead of writing a file')
    .action(async (opts: { out: string; stdout?: boolean }) => {
      const text = await schemaText();
      if (opts.stdout) {
        process.stdout.write(text);
        return;
      }
      checkSchemaTarget(opts.out);
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileExclusive(opts.out, text);
      console.log(`JSON Schema: ${opts.out}`);
    });
}

/**
 * The one file `migov schema` writes: new, or a JSON Schema written before (it is
 * replaced through a temporary name). A link, a folder, or a file that is not a JSON
 * Schema (someone's own file) is refused.
 */
function checkSchemaTarget(path: string): void {
  if (path.trim() === '') throw new OutputError(JSON.stringify(path), '--out is empty; name a file, e.g. --out schema/spec.schema.json');
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) throw new OutputError(path, 'it is a symbolic link, which migov never follows or replaces; name a new file');
  if (!st.isFile()) throw new OutputError(path, 'it is a folder, not a file; name a file inside it, e.g. --out ' + `${path.replace(/\/+$/, '')}/spec.schema.json`);
  let ours: boolean;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
    ours = !!v && typeof v === 'object' && typeof v.$schema === 'string' && String(v.$schema).includes('json-schema');
  } catch {
    ours = false;
  }
  if (!ours) throw new OutputError(path, 'it is a file that is not a JSON Schema (perhaps one of yours), which migov never writes over; name a new file');
}
