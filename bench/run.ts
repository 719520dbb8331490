// Runs every benchmark suite in bench/ (files named *.bench.ts), or only those named on the command line:
//   npm run bench            all suites
//   npm run bench -- forecast only bench/forecast.bench.ts
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.bench\.ts$/, '')))
  .sort();
if (suites.length === 0) throw new Error(`no benchmark suite matches ${wanted.join(', ')}`);
for (const suite of suites) {
  console.log(`\n=== bench/${suite} ===`);
  const module = (await import(pathToFileURL(join(here, suite)).href)) as { run(): Promise<void> };
  await module.run();
}
