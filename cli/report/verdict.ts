import type { HttpBacktestResult, TargetTuning } from '../../shared/simulate/http/index.ts';

/**
 * What each scored policy is, in words, and the verdict of a backtest against every baseline: the terminal and the
 * HTML report say the same thing, from one place.
 */

/** The queue policies (`headroom backtest`, the demo's worker). */
export const QUEUE_POLICY_DEFINITIONS: Readonly<Record<string, string>> = {
  'cpu-target-tracking': 'ECS target tracking on average CPU at 70%, the console default: it sees busy workers, not the waiting queue',
  'queue-step-scaling': "aws-ecs-patterns' QueueProcessingFargateService: step scaling on the queue's visible messages plus CPU tracking at 50%",
  'backlog-target-tracking': "AWS's backlog-per-task recipe: target tracking on visible messages per task at acceptable latency / time per message",
  'headroom-reactive':
    "headroom's default (QueueScaledService): target tracking on RequiredCapacityPerTask, the tasks the arrival rate and backlog need within the SLO per running task, at 0.9, with a burst guard on the oldest message's age",
  'headroom-predictive':
    "headroom's predictor: scheduled MinCapacity floors raised ahead of the forecast load (and restored after), with the same signal tracked at 1 under them",
  oracle: 'a clairvoyant oracle: the least capacity that meets the SLO, knowing the whole trace in advance (the lower bound, not a policy)',
};

/** The request-driven policies (`headroom backtest --workload http`, the demo's web service). */
export const HTTP_POLICY_DEFINITIONS: Readonly<Record<string, string>> = {
  'cpu-target-tracking': 'ECS target tracking on average CPU at 70%, the console default',
  'request-count-tracking': "target tracking on ALBRequestCountPerTarget at a guessed requests-per-task target (80% of a task's saturation rate)",
  'headroom-reactive':
    "headroom's default (RequestScaledService): target tracking on RequiredTasksPerTask, the tasks the request rate needs within the p99 SLO per task, with a p99 latency guard",
  headroom: "headroom-reactive under the predictor's scheduled floors",
  oracle: 'a clairvoyant oracle: the fewest tasks that meet the SLO, knowing the whole trace in advance (the lower bound, not a policy)',
};

export interface ScoredPolicy {
  readonly name: string;
  readonly violationMinutes: number;
  readonly hours: number;
  readonly vsOracle: number;
}

const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} x` : 'n/a');
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * One line per headroom policy against each baseline (never only the weakest), then the plain summary: where headroom
 * wins on both counts, where it loses, and to whom. `unit` names the hours (capacity-hours, task-hours).
 */
export function verdictLines(scores: readonly ScoredPolicy[], headroomNames: readonly string[], unit: string): string[] {
  const baselines = scores.filter((score) => !headroomNames.includes(score.name) && score.name !== 'oracle');
  const lines: string[] = [];
  for (const headroom of scores.filter((score) => headroomNames.includes(score.name))) {
    const clauses = baselines.map((baseline) => {
      const detail = `${baseline.name} (${ratio(baseline.vsOracle)}, ${plural(baseline.violationMinutes, 'violation minute')})`;
      const costs = Math.round((100 * (baseline.hours - headroom.hours)) / headroom.hours);
      const minutes = baseline.violationMinutes - headroom.violationMinutes;
      const cost = costs >= 0 ? `which needs ${costs}% more ${unit}` : `which needs ${-costs}% fewer ${unit}`;
      const slo =
        minutes === 0
          ? 'the same violation minutes'
          : minutes > 0
            ? `${plural(minutes, 'violation minute')} more`
            : `${plural(-minutes, 'violation minute')} fewer`;
      if (costs >= 0 && minutes >= 0) return `beats ${detail}, ${cost} and has ${slo}`;
      if (costs <= 0 && minutes <= 0) return `loses to ${detail}, ${cost} and has ${slo}`;
      return `trades with ${detail}, ${cost} and has ${slo}`;
    });
    lines.push(
      `${headroom.name} runs at ${ratio(headroom.vsOracle)} the oracle's ${unit} with ${plural(headroom.violationMinutes, 'violation minute')}; it ${clauses.join('; ')}.`,
    );
  }
  const real = scores.filter((score) => score.name !== 'oracle');
  const cheapest = [...real].sort((a, b) => a.hours - b.hours)[0];
  const fewest = [...real].sort((a, b) => a.violationMinutes - b.violationMinutes || a.hours - b.hours)[0];
  const whose = (name: string) => (headroomNames.includes(name) ? 'headroom' : 'a baseline');
  if (cheapest && fewest)
    lines.push(
      `Least ${unit}: ${cheapest.name} (${whose(cheapest.name)}, ${ratio(cheapest.vsOracle)}); fewest violation minutes: ${fewest.name} (${whose(fewest.name)}, ${fewest.violationMinutes}).`,
    );
  return lines;
}

/** What to write in the stack: the rate within the SLO (not the saturation rate given) and the target chosen. */
export function deployAdvice(result: HttpBacktestResult, tuning: TargetTuning | undefined): string {
  const rate = Math.floor(result.sloRatePerTask * 10) / 10;
  return `deploy RequestScaledService with requestsPerSecondPerTask: ${rate} (what one task serves within the p99 SLO of ${result.parameters.sloMs} ms, derived from the ${result.parameters.requestsPerSecondPerTask} requests/s it serves saturated)${tuning ? ` and targetUtilization: ${tuning.chosen}` : ''}`;
}
