import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { BacktestResult } from '../../shared/simulate/index.ts';
import { reportCharts } from './charts.ts';
import { reportHtml } from './html.ts';

export interface WrittenReport {
  readonly htmlPath: string;
  readonly pngPaths: readonly string[];
}

/** Renders a Vega-Lite spec to SVG headlessly (no browser, no network). */
async function toSvg(spec: object): Promise<string> {
  const compiled = vegaLite.compile(spec as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

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

/** Writes report.html (charts inline, works offline) and a PNG of each chart into `dir`. */
export async function writeReport(result: BacktestResult, dir: string): Promise<WrittenReport> {
  const folder = prepareReportFolder(dir);
  const charts = reportCharts(result);
  const svgs = await Promise.all(charts.map((chart) => toSvg(chart)));
  const pngPaths = svgs.map((svg, index) => {
    const path = join(folder, `chart-${index + 1}.png`);
    writeFileSync(
      path,
      new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: 1400 }, font: { loadSystemFonts: true } }).render().asPng(),
    );
    return path;
  });
  const htmlPath = join(folder, 'report.html');
  writeFileSync(
    htmlPath,
    reportHtml(
      result,
      charts.map((chart, index) => ({ title: chart.title, svg: svgs[index]! })),
    ),
  );
  return { htmlPath, pngPaths };
}
