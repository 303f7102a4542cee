// `migov demo`: builds the browser teaching demo and serves it on localhost, or with
// --out writes it as static files (they work from file:// and on any static host).
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Command } from 'commander';

interface DemoOptions {
  out?: string;
  force?: boolean;
  port: string;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export function register(program: Command): void {
  program
    .command('demo')
    .description('build the browser teaching demo and serve it on localhost (or write it as static files with --out)')
    .option('-o, --out <dir>', 'write the static files to this folder and exit')
    .option('-p, --port <port>', 'port to serve on (0: any free port)', '8080')
    .option('--force', 'with --out: if the folder exists and is not a demo folder migov wrote, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .addHelpText(
      'after',
      `
The page runs the migration-governance model and the textbook games in a Web Worker,
with sliders, lessons (presets), a live chart and a board of states. The URL carries
every setting and the seed; "Download spec" gives a spec for \`migov run\`.

Examples:
  migov demo                 serve on http://localhost:8080/
  migov demo --out site      write site/index.html and its scripts`,
    )
    .action(async (opts: DemoOptions, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        cmd.error(`error: --port: ${JSON.stringify(opts.port)} is not a port (an integer from 0 to 65535)`, { exitCode: 2 });
      }
      const { buildDemo } = await import('../demo/build.ts');
      let dir: string;
      let files: string[];
      if (opts.out !== undefined) {
        // a folder migov made for a demo (its .migov marker), a new or an empty one; anything else is refused (see folder.ts)
        const { claimOutput, writeMarker } = await import('../sweep/folder.ts');
        const claim = claimOutput(opts.out, { kind: 'demo', force: opts.force });
        try {
          mkdirSync(claim.dir, { recursive: true });
          writeMarker(claim.dir, 'demo');
          files = await buildDemo(claim.dir);
        } finally {
          claim.lock.release();
        }
        dir = opts.out;
      } else {
        dir = mkdtempSync(join(tmpdir(), 'migov-demo-'));
        files = await buildDemo(dir);
      }
      if (opts.out) {
        console.log(`Demo: ${join(dir, 'index.html')} (${files.length} files; opens from file://)`);
        return;
      }
      // node:http only when it serves (not at start-up, for every command)
      const { createServer } = await import('node:http');
      const server = createServer((req, res) => {
        const name = (req.url ?? '/').split(/[?#]/)[0].replace(/^\/+/, '') || 'index.html';
        if (!files.includes(name)) {
          res.writeHead(404).end('not found');
          return;
        }
        res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
        res.end(readFileSync(join(dir, name)));
      });
      await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      console.log(`Demo: http://localhost:${actual}/ (Ctrl-C to stop)`);
      await new Promise<void>(() => {});
    });
}
