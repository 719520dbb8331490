import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, pageStyle } from './html.ts';
import { prepareReportFolder } from './folder.ts';

/** A backtest with no charts (Lambda, DynamoDB, the web service): a verdict and a scoreboard. */
export interface TableReport {
  readonly title: string;
  /** What was replayed, with which settings, and where the load came from. */
  readonly intro: string;
  /** The result in words. */
  readonly verdict: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Lines after the table (choices made, notes). */
  readonly notes?: readonly string[];
}

/** The table as the terminal shows it: first column left, the rest right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows]
    .map((row) => `${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`)
    .join('');
}

export function printTableReport(report: TableReport, write: (text: string) => void): void {
  write(`${report.intro}\n`);
  write(formatTable(report.header, report.rows));
  for (const note of report.notes ?? []) write(`${note}\n`);
  write(`${report.verdict}\n`);
}

/** Writes report.html for a backtest with no charts. */
export function writeTableReport(report: TableReport, dir: string): string {
  const folder = prepareReportFolder(dir);
  const rows = report.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>${pageStyle}</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p id="verdict" class="verdict">${escapeHtml(report.verdict)}</p>
<p>${escapeHtml(report.intro)}</p>
<table id="scoreboard">
<thead><tr>${report.header.map((title) => `<th>${escapeHtml(title)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${(report.notes ?? []).map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n')}
</body>
</html>
`;
  const path = join(folder, 'report.html');
  writeFileSync(path, html);
  return path;
}
