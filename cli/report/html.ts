import type { BacktestResult } from '../../shared/simulate/index.ts';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The report pages' one style sheet. */
export const pageStyle = `
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 72rem; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #ccc; padding: 0.3rem 0.7rem; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  figure { margin: 1.5rem 0; }
  figcaption { font-weight: 600; margin-bottom: 0.4rem; }
  .verdict { font-size: 1.1rem; border-left: 4px solid #0072b2; padding-left: 0.8rem; }
  .note { color: #555; }
`;

/** The report page: parameters, the scoreboard, and the charts as inline SVG. */
export function reportHtml(result: BacktestResult, charts: ReadonlyArray<{ title: string; svg: string }>): string {
  const p = result.parameters;
  const rows = result.policies
    .map(
      (policy) =>
        `<tr><td>${policy.name}</td><td>${policy.sloViolationMinutes}</td><td>${policy.p99WaitSeconds}</td><td>${fixed(policy.capacityHours, 1)}</td><td>${policy.scalingActions}</td><td>${fixed(policy.capacityHoursVsOracle, 2)}</td></tr>`,
    )
    .join('\n');
  const figures = charts.map((chart) => `<figure class="chart"><figcaption>${escapeHtml(chart.title)}</figcaption>${chart.svg}</figure>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>headroom backtest</title>
<style>${pageStyle}</style>
</head>
<body>
<h1>headroom backtest</h1>
<p>${(result.arrivals.length / 1440).toFixed(1)} days from ${new Date(result.startMs).toISOString()}; throughput ${p.throughputPerWorker} messages/s per worker,
start-up ${p.startupMs / 1000} s, SLO ${p.sloMs / 1000} s, capacity ${p.minCapacity}–${p.maxCapacity} workers.</p>
<table id="scoreboard">
<thead><tr><th>policy</th><th>SLO-violation minutes</th><th>p99 wait (s)</th><th>capacity-hours</th><th>scaling actions</th><th>capacity vs oracle</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${result.oracleExact === false ? '<p class="note">The oracle here is the fast spread plan (the trace is too long for the exact search): it can cost up to ~12% more than the exact optimum, so &ldquo;capacity vs oracle&rdquo; may be understated.</p>\n' : ''}${figures}
</body>
</html>
`;
}
