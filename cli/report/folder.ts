import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Makes sure the report can be written to `dir` before anything long runs: creates the folder (one level at a time;
 * Node's recursive mkdir never returns on some paths, such as under /proc) and writes a probe file into it. Throws a
 * message naming --report and the reason.
 */
export function prepareReportFolder(dir: string): string {
  const folder = resolve(dir);
  const fail = (reason: string) => new Error(`--report ${dir}: cannot write the report there (${reason}): give a folder you can write to`);
  const missing: string[] = [];
  let existing = folder;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) throw fail(`${existing} is not a folder`);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw code ? fail(code) : error;
      missing.unshift(existing);
      if (dirname(existing) === existing) throw fail('ENOENT');
      existing = dirname(existing);
    }
  }
  const probe = join(folder, `.headroom-write-check-${process.pid}`);
  try {
    for (const path of missing) mkdirSync(path);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return folder;
}
