import type { BacktestResult } from '../../shared/simulate/index.ts';
import { plannedQuantiles } from './charts.ts';
import type { ReportStory } from './index.ts';
import { deployAdvice, HTTP_POLICY_DEFINITIONS, QUEUE_POLICY_DEFINITIONS, verdictLines } from './verdict.ts';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The report pages' one style sheet. */
export const pageStyle = `
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 72rem; line-height: 1.45; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #ccc; padding: 0.3rem 0.7rem; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  figure { margin: 1.5rem 0; }
  figcaption { font-weight: 600; margin-bottom: 0.4rem; }
  figure p { color: #555; margin: 0.2rem 0 0.6rem; }
  .verdict { font-size: 1.05rem; border-left: 4px solid #0072b2; padding-left: 0.8rem; }
  .note { color: #555; }
  .placeholder { border: 1px dashed #d55e00; padding: 0.5rem 0.8rem; color: #555; }
  dt { font-weight: 600; font-family: ui-monospace, monospace; }
  dd { margin: 0 0 0.5rem 1.5rem; }
`;

const table = (id: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>) =>
  `<table id="${id}">
<thead><tr>${header.map((title) => `<th>${escapeHtml(title)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`;

const definitions = (names: readonly string[], from: Readonly<Record<string, string>>) =>
  `<dl>${names.map((name) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(from[name] ?? '')}</dd>`).join('')}</dl>`;

const verdictList = (lines: readonly string[]) => `<ul class="verdict">${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`;

/** headroom-predictive's floor settings, day by day (runs of equal days merged). */
function floorSection(result: BacktestResult): string {
  if (!result.policies.some((policy) => policy.name === 'headroom-predictive')) return '';
  const runs: string[] = [];
  let previous = '';
  for (const day of result.floorSettings ?? []) {
    const setting = `${day.settings.quantile} at ${Math.round(day.settings.targetUtilization * 100)}%`;
    if (setting !== previous) runs.push(`from ${utcDay(day.fromMs)}: the forecast ${setting}`);
    previous = setting;
  }
  return `<section id="floors">
<h2>The floors and the settings chosen</h2>
<p>headroom-predictive forecasts the load each hour from the history before it, plans MinCapacity floors from a forecast quantile at a
target utilization, and raises them ahead of the load by the start-up lead time (each raise paired with a restore). Until nine days of
history exist it uses the configured setting; from then on, each UTC day, it replays the week before for every candidate setting and keeps
the cheapest that met the SLO. Over this trace it planned from the ${escapeHtml(plannedQuantiles(result))}.</p>
${runs.length > 0 ? `<ul>${runs.map((run) => `<li>${escapeHtml(run)}</li>`).join('')}</ul>` : '<p>The settings were pinned: no daily choice.</p>'}
</section>`;
}

function scheduledSection(story: ReportStory): string {
  if (!story.scheduledActions?.length) return '';
  return `<section id="scheduled-actions">
<h2>Scheduled actions the predictor wrote</h2>
<p>Read back from Application Auto Scaling after the predictor ran (times are UTC; each raise of MinCapacity is paired with a restore).</p>
${story.scheduledActions
  .map(
    (target) =>
      `<h3>${escapeHtml(target.resourceId)} (${escapeHtml(target.mode)})</h3>
${
  target.actions.length === 0
    ? '<p>None: forecastOnly publishes the plan as metrics and writes no action.</p>'
    : table(
        'actions',
        ['schedule', 'MinCapacity', 'name'],
        target.actions.map((action) => [action.schedule, String(action.minCapacity ?? '–'), action.name]),
      )
}`,
  )
  .join('\n')}
</section>`;
}

function webSection(story: ReportStory): { verdict: string[]; html: string } {
  if (!story.web) return { verdict: [], html: '' };
  const { web, webTuning } = story.web;
  const p = web.parameters;
  const scores = web.policies.map((policy) => ({
    name: policy.name,
    violationMinutes: policy.sloViolationMinutes,
    hours: policy.taskHours,
    vsOracle: policy.taskHoursVsOracle,
  }));
  const verdict = verdictLines(scores, ['headroom-reactive', 'headroom'], 'task-hours').map((line) => `Web service: ${line}`);
  const html = `<section id="web">
<h2>The web service</h2>
<p>The same load as requests behind an ALB: ${p.requestsPerSecondPerTask} requests/s per task saturated (${fixed(web.sloRatePerTask, 1)} within the
p99 SLO of ${p.sloMs} ms), ${p.startupMs / 1000} s start-up, ${p.minCapacity}–${p.maxCapacity} tasks.</p>
${definitions(
  web.policies.map((policy) => policy.name),
  HTTP_POLICY_DEFINITIONS,
)}
${table(
  'web-scoreboard',
  ['policy', 'SLO-violation minutes', 'bad requests %', 'task-hours', 'scaling actions', 'task-hours vs oracle'],
  web.policies.map((policy) => [
    policy.name,
    String(policy.sloViolationMinutes),
    (100 * policy.badRequestShare).toFixed(3),
    fixed(policy.taskHours, 1),
    String(policy.scalingActions),
    fixed(policy.taskHoursVsOracle, 2),
  ]),
)}
<p>${escapeHtml(deployAdvice(web, webTuning))}${webTuning ? ` (${escapeHtml(webTuning.reason)})` : ''}.</p>
</section>`;
  return { verdict, html };
}

function tableSection(story: ReportStory): string {
  if (!story.table) return '';
  return `<section id="table">
<h2>The DynamoDB table</h2>
<p>${escapeHtml(story.table.intro)}</p>
${table('table-scoreboard', story.table.header, story.table.rows)}
<p>${escapeHtml(story.table.verdict)}</p>
</section>`;
}

/**
 * The report page, in the order a reader asks: the verdict, the load and where it came from, what each policy is,
 * the results (queue, web service, table), the floors and the scheduled actions, then the charts.
 */
export function reportHtml(
  result: BacktestResult,
  charts: ReadonlyArray<{ title: string; caption: string; svg: string }>,
  story: ReportStory,
): string {
  const p = result.parameters;
  const names = result.policies.map((policy) => policy.name);
  const queueVerdict = verdictLines(
    result.policies.map((policy) => ({
      name: policy.name,
      violationMinutes: policy.sloViolationMinutes,
      hours: policy.capacityHours,
      vsOracle: policy.capacityHoursVsOracle,
    })),
    names.filter((name) => name.startsWith('headroom')),
    'capacity-hours',
  ).map((line) => `Queue worker: ${line}`);
  const web = webSection(story);
  const rows = result.policies.map((policy) => [
    policy.name,
    String(policy.sloViolationMinutes),
    String(policy.p99WaitSeconds),
    fixed(policy.capacityHours, 1),
    String(policy.scalingActions),
    fixed(policy.capacityHoursVsOracle, 2),
  ]);
  const figures = charts
    .map(
      (chart) => `<figure class="chart"><figcaption>${escapeHtml(chart.title)}</figcaption><p>${escapeHtml(chart.caption)}</p>${chart.svg}</figure>`,
    )
    .join('\n');
  const endMs = result.startMs + result.arrivals.length * 60_000;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>headroom backtest</title>
<style>${pageStyle}</style>
</head>
<body>
<h1>headroom backtest</h1>
<section id="verdict">
<h2>Verdict</h2>
${verdictList([...queueVerdict, ...web.verdict])}
</section>
<section id="load">
<h2>The load</h2>
<p id="provenance">${escapeHtml(story.provenance)}.</p>
<p>${fixed(result.arrivals.length / 1440, 1)} days, ${escapeHtml(utcMinute(result.startMs))} to ${escapeHtml(utcMinute(endMs))}; the queue worker:
${p.throughputPerWorker} messages/s per worker, ${p.startupMs / 1000} s start-up, SLO ${p.sloMs / 1000} s on the oldest message's wait,
${p.minCapacity}–${p.maxCapacity} workers.</p>
</section>
<section id="policies">
<h2>The policies</h2>
${definitions(names, QUEUE_POLICY_DEFINITIONS)}
</section>
<section id="queue">
<h2>The queue worker</h2>
${table('scoreboard', ['policy', 'SLO-violation minutes', 'p99 wait (s)', 'capacity-hours', 'scaling actions', 'capacity vs oracle'], rows)}
</section>
${web.html}
${tableSection(story)}
${floorSection(result)}
${scheduledSection(story)}
<section id="cost">
<h2>What headroom itself costs</h2>
<p class="placeholder">Not in this report yet: the CloudWatch cost of headroom's own metrics, alarms and dashboards beside the capacity it
saves comes with the platform-scale work (a separate issue) and will be shown here when it lands.</p>
</section>
<section id="charts">
<h2>Charts</h2>
${figures}
</section>
</body>
</html>
`;
}
