#!/usr/bin/env node
// The `migov` command. TypeScript sources run through tsx's loader, so there is no
// build step to remember: `npm ci` and then `npx migov ...` works.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
