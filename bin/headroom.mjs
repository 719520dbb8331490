#!/usr/bin/env node
// Runs the command line from its TypeScript sources through tsx (the suite's CLI tests use it, so they need no
// rebuild). What users install and `npx headroom` runs is the built bundle: cli/bin/headroom.mjs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
