import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { BacktestResult } from '../../shared/simulate/index.ts';
import type { HttpBacktestResult, TargetTuning } from '../../shared/simulate/http/index.ts';
import { reportCharts } from './charts.ts';
import { prepareReportFolder } from './folder.ts';
import { reportHtml } from './html.ts';

export { prepareReportFolder };

/** The scheduled actions the predictor left on a target (the demo reads them back). */
export interface ScheduledActionsShown {
  readonly resourceId: string;
  readonly mode: string;
  readonly actions: ReadonlyArray<{ readonly schedule: string; readonly minCapacity: number | null; readonly name: string }>;
}

/** What the report says beside the queue backtest: where the load came from, and what else was run on it. */
export interface ReportStory {
  /** Where the trace came from, in words; says "synthetic" when it is. */
  readonly provenance: string;
  readonly web?: { readonly web: HttpBacktestResult; readonly webTuning?: TargetTuning };
  readonly table?: {
    readonly intro: string;
    readonly verdict: string;
    readonly header: readonly string[];
    readonly rows: ReadonlyArray<readonly string[]>;
  };
  readonly scheduledActions?: readonly ScheduledActionsShown[];
}

export interface WrittenReport {
  readonly htmlPath: string;
  readonly pngPaths: readonly string[];
}

/** Renders a Vega-Lite spec to SVG headlessly (no browser, no network). */
async function toSvg({ caption: _caption, ...spec }: { caption: string }): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes report.html (charts inline, works offline) and a PNG of each chart into `dir`. */
export async function writeReport(result: BacktestResult, dir: string, story: ReportStory): Promise<WrittenReport> {
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
      charts.map((chart, index) => ({ title: chart.title, caption: chart.caption, svg: svgs[index]! })),
      story,
    ),
  );
  return { htmlPath, pngPaths };
}
