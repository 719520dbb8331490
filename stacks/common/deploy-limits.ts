import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { deployedLengthBound, resourceTypes } from './deployed-length.ts';

// What AWS enforces when the template deploys (or when a policy first evaluates) and neither synth, cfn-lint,
// cdk-nag nor moto checks. Each rule cites the page that states it. Tokens are bounded by the documented maximum
// of what they resolve to (deployed-length.ts), never counted as their placeholder.

/** Lambda: "4 KB" of environment variables per function, in all (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;
/** Dashboard names: up to 255 characters of A-Z, a-z, 0-9, - and _ (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html). */
export const DASHBOARD_NAME = { maxLength: 255, pattern: /^[A-Za-z0-9_-]*$/ } as const;
/** Alarm names: 1-255 UTF-8 characters, no ASCII control characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). */
export const ALARM_NAME_MAX_LENGTH = 255;
/**
 * Period x EvaluationPeriods: at most 604,800 s (7 days), and at most 86,400 s (1 day) for a period under an hour
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, Period).
 */
export const ALARM_RANGE = { maxSeconds: 604_800, maxSecondsUnderAnHour: 86_400 } as const;
/**
 * A metric-math alarm: up to 20 queries, of which at most 10 retrieve a metric and at most 10 are expressions, and
 * exactly one returns data (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * Metrics). Target tracking on metric math is evaluated by alarms Application Auto Scaling creates, so the same
 * caps are applied to a policy's queries (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingMetricDataQuery.html).
 */
export const METRIC_MATH = { maxQueries: 20, maxMetrics: 10, maxExpressions: 10 } as const;

type Json = Record<string, unknown>;

const watched = new WeakMap<Stack, Set<IConstruct>>();

/**
 * Checks, when the app synthesizes, the deploy limits of every resource under `scope`: function environment size,
 * dashboard and alarm names, alarms' evaluation range, metric-math query counts of alarms and scaling policies.
 * Each finding is a validation error naming the resource, the limit, the page and what to do.
 */
export function checkDeployLimits(scope: IConstruct): void {
  const stack = Stack.of(scope);
  let scopes = watched.get(stack);
  if (!scopes) {
    const registered = new Set<IConstruct>();
    scopes = registered;
    watched.set(stack, registered);
    stack.node.addValidation({ validate: () => deployLimitErrors(stack, registered) });
  }
  scopes.add(scope);
}

/** The findings for every resource under the registered scopes of `stack`. */
export function deployLimitErrors(stack: Stack, scopes: Iterable<IConstruct>): string[] {
  const types = resourceTypes(stack);
  const seen = new Set<CfnResource>();
  const errors: string[] = [];
  for (const scope of scopes) {
    for (const child of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || seen.has(child) || Stack.of(child) !== stack) continue;
      seen.add(child);
      const properties = stack.resolve((child as unknown as { _toCloudFormation(): Json })._toCloudFormation()) as Json;
      const resource = Object.values((properties.Resources ?? {}) as Record<string, Json>)[0];
      if (!resource) continue;
      const props = (resource.Properties ?? {}) as Json;
      const check = CHECKS[child.cfnResourceType];
      if (check) errors.push(...check(props, types).map((problem) => `${child.node.path}: ${problem}`));
    }
  }
  return errors;
}

const CHECKS: Readonly<Record<string, (props: Json, types: ReadonlyMap<string, string>) => string[]>> = {
  'AWS::Lambda::Function': (props, types) => functionEnvironment(props, types),
  'AWS::CloudWatch::Dashboard': (props, types) => dashboardName(props.DashboardName, types),
  'AWS::CloudWatch::Alarm': (props, types) => [...alarmName(props.AlarmName, types), ...alarmRange(props), ...metricMath('alarm', props.Metrics)],
  'AWS::CloudWatch::CompositeAlarm': (props, types) => alarmName(props.AlarmName, types),
  'AWS::ApplicationAutoScaling::ScalingPolicy': (props) => {
    const tracking = props.TargetTrackingScalingPolicyConfiguration as Json | undefined;
    const custom = tracking?.CustomizedMetricSpecification as Json | undefined;
    return metricMath('scaling policy', custom?.Metrics);
  },
};

/** The environment as Lambda counts it: the variables' JSON (keys, values, quotes), references at their longest. */
export function environmentBound(variables: Json, types: ReadonlyMap<string, string>): number {
  const entries = Object.entries(variables);
  // {"key":"value",...}: two braces, per entry four quotes and a colon, commas between entries.
  const framing = 2 + entries.length * 5 + Math.max(0, entries.length - 1);
  return entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key, 'utf8') + deployedLengthBound(value, types), framing);
}

function functionEnvironment(props: Json, types: ReadonlyMap<string, string>): string[] {
  const variables = ((props.Environment as Json | undefined)?.Variables ?? {}) as Json;
  const bound = environmentBound(variables, types);
  if (bound <= LAMBDA_ENVIRONMENT_MAX_BYTES) return [];
  const largest = Object.entries(variables)
    .map(([key, value]) => [key, deployedLengthBound(value, types)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([key, length]) => `${key} ${length}`)
    .join(', ');
  return [
    `the function's environment may deploy as ${bound} bytes (references at their documented maximum length; largest: ${largest}), above the 4 KB Lambda allows per function (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): the deploy would fail. Move what grows with the number of workloads out of environment variables (headroom's own functions read theirs from SSM parameters).`,
  ];
}

/** The literal text of a template value (references dropped) and its longest deployed length. */
function nameParts(value: unknown, types: ReadonlyMap<string, string>): { literal: string; bound: number } | undefined {
  if (value === undefined) return undefined;
  const literal: string[] = [];
  const collect = (part: unknown): void => {
    if (typeof part === 'string') literal.push(part);
    else if (part && typeof part === 'object' && 'Fn::Join' in part)
      for (const piece of (part as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]) collect(piece);
  };
  collect(value);
  return { literal: literal.join(''), bound: deployedLengthBound(value, types) };
}

function dashboardName(value: unknown, types: ReadonlyMap<string, string>): string[] {
  const name = nameParts(value, types);
  if (!name) return [];
  const problems: string[] = [];
  if (name.bound > DASHBOARD_NAME.maxLength) problems.push(`may be ${name.bound} characters long (at most ${DASHBOARD_NAME.maxLength})`);
  const bad = [...name.literal].filter((character) => !DASHBOARD_NAME.pattern.test(character));
  if (bad.length > 0) problems.push(`contains ${JSON.stringify([...new Set(bad)].join(''))} (only A-Z, a-z, 0-9, - and _)`);
  return problems.map(
    (problem) =>
      `dashboard name "${name.literal}" ${problem}: PutDashboard rejects it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html). Choose a shorter name of letters, digits, - and _.`,
  );
}

function alarmName(value: unknown, types: ReadonlyMap<string, string>): string[] {
  const name = nameParts(value, types);
  if (!name) return [];
  const problems: string[] = [];
  if (name.bound > ALARM_NAME_MAX_LENGTH) problems.push(`may be ${name.bound} characters long (at most ${ALARM_NAME_MAX_LENGTH})`);
  if (name.literal === '' && name.bound === 0) problems.push('is empty');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters.
  const control = [...name.literal].filter((character) => /[\x00-\x1f\x7f]/.test(character));
  if (control.length > 0) problems.push(`contains the control character(s) ${JSON.stringify(control.join(''))}`);
  return problems.map(
    (problem) =>
      `alarm name ${JSON.stringify(name.literal)} ${problem}: PutMetricAlarm rejects it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). Shorten the workload or stack name the alarm is named after, without control characters.`,
  );
}

function alarmRange(props: Json): string[] {
  const evaluationPeriods = props.EvaluationPeriods;
  const metrics = (props.Metrics ?? []) as Json[];
  const periods = [props.Period, ...metrics.map((query) => query.Period ?? (query.MetricStat as Json | undefined)?.Period)].filter(
    (period): period is number => typeof period === 'number',
  );
  if (typeof evaluationPeriods !== 'number' || periods.length === 0) return [];
  const period = Math.max(...periods);
  const range = period * evaluationPeriods;
  const limit = period < 3600 ? ALARM_RANGE.maxSecondsUnderAnHour : ALARM_RANGE.maxSeconds;
  if (range <= limit) return [];
  return [
    `evaluates ${evaluationPeriods} periods of ${period} s (${range} s), above the ${limit} s CloudWatch allows${period < 3600 ? ' for a period under an hour' : ''} (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, Period): PutMetricAlarm rejects it. Use fewer evaluation periods or a longer period.`,
  ];
}

function metricMath(what: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) return [];
  const queries = value as Json[];
  const metrics = queries.filter((query) => query.MetricStat !== undefined).length;
  const expressions = queries.filter((query) => query.Expression !== undefined).length;
  const returning = queries.filter((query) => query.ReturnData !== false).length;
  const problems: string[] = [];
  if (queries.length > METRIC_MATH.maxQueries) problems.push(`${queries.length} queries (at most ${METRIC_MATH.maxQueries})`);
  if (metrics > METRIC_MATH.maxMetrics) problems.push(`${metrics} metrics (at most ${METRIC_MATH.maxMetrics})`);
  if (expressions > METRIC_MATH.maxExpressions) problems.push(`${expressions} expressions (at most ${METRIC_MATH.maxExpressions})`);
  if (returning !== 1) problems.push(`${returning} queries returning data (exactly one must; set ReturnData false on the others)`);
  return problems.map(
    (problem) =>
      `the ${what}'s metric math has ${problem}: CloudWatch rejects it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, Metrics). Sum fewer metrics in one expression, or split it.`,
  );
}
