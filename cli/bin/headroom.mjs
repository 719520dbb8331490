#!/usr/bin/env node
// The installed command line: the bundle `npm run build` wrote (our code inlined, npm packages as dependencies).
import { main } from '../dist/main.mjs';

await main(process.argv);
