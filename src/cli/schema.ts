// `migov schema`: writes the JSON Schema of spec files, for editor completion.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { specJsonSchema } from '../experiment/load.ts';

export const SCHEMA_FILE = 'schema/spec.schema.json';

export function schemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}

export function register(program: Command): void {
  program
    .command('schema')
    .description(`write the JSON Schema of experiment spec files (for editor completion) to ${SCHEMA_FILE} or --out`)
    .option('--out <file>', 'where to write it', SCHEMA_FILE)
    .option('--stdout', 'print it instead of writing a file')
    .action((opts: { out: string; stdout?: boolean }) => {
      const text = schemaText();
      if (opts.stdout) {
        process.stdout.write(text);
        return;
      }
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileSync(`${opts.out}.tmp`, text);
      renameSync(`${opts.out}.tmp`, opts.out);
      console.log(`JSON Schema: ${opts.out}`);
    });
}
