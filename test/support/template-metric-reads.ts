import type { MetricRead } from '../../shared/metrics/metric-read.ts';

/**
 * Every metric a synthesized template reads: CloudWatch alarms (single metric and metric math), Application Auto
 * Scaling policies (customized target tracking, metric math, predictive), dashboard bodies (every widget's metrics)
 * and metric references inside function configuration (JSON in environment variables or parameters).
 */
type Json = unknown;
type Resources = Record<string, { Type: string; Properties?: Record<string, Json> }>;

const TOKEN = '«token»';

/** A CloudFormation value with intrinsic functions flattened to a placeholder (Fn::Join joined). */
export function flatten(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [separator, parts] = (value as { 'Fn::Join': [string, Json[]] })['Fn::Join'];
    return parts.map(flatten).join(separator);
  }
  return TOKEN;
}

const dimensionNames = (dimensions: Json): string[] =>
  Array.isArray(dimensions)
    ? dimensions.map((dimension) => flatten((dimension as { Name?: Json; name?: Json }).Name ?? (dimension as { name: Json }).name))
    : [];

/** MetricDataQuery-shaped entries (alarms, scaling policies): { Id, MetricStat: { Metric, Stat } | Expression }. */
function fromQueries(queries: Json, where: string): MetricRead[] {
  if (!Array.isArray(queries)) return [];
  return queries.flatMap((query) => {
    const stat = (query as { MetricStat?: { Metric: Record<string, Json>; Stat: Json } }).MetricStat;
    if (!stat) return [];
    return [
      {
        namespace: flatten(stat.Metric.Namespace),
        metricName: flatten(stat.Metric.MetricName),
        dimensions: dimensionNames(stat.Metric.Dimensions),
        statistic: flatten(stat.Stat),
        where: `${where} query ${flatten((query as { Id: Json }).Id)}`,
      },
    ];
  });
}

function fromAlarm(properties: Record<string, Json>, where: string): MetricRead[] {
  if (properties.Metrics) return fromQueries(properties.Metrics, where);
  return [
    {
      namespace: flatten(properties.Namespace),
      metricName: flatten(properties.MetricName),
      dimensions: dimensionNames(properties.Dimensions),
      statistic: flatten(properties.ExtendedStatistic ?? properties.Statistic),
      where,
    },
  ];
}

function fromScalingPolicy(properties: Record<string, Json>, where: string): MetricRead[] {
  const tracking = properties.TargetTrackingScalingPolicyConfiguration as Record<string, Json> | undefined;
  const customized = tracking?.CustomizedMetricSpecification as Record<string, Json> | undefined;
  const reads: MetricRead[] = [];
  if (customized?.Metrics) reads.push(...fromQueries(customized.Metrics, where));
  else if (customized)
    reads.push({
      namespace: flatten(customized.Namespace),
      metricName: flatten(customized.MetricName),
      dimensions: dimensionNames(customized.Dimensions),
      statistic: flatten(customized.Statistic),
      where,
    });
  const predictive = properties.PredictiveScalingPolicyConfiguration as { MetricSpecifications?: Record<string, Json>[] } | undefined;
  for (const specification of predictive?.MetricSpecifications ?? []) {
    for (const [key, value] of Object.entries(specification)) {
      if (key.startsWith('Customized')) reads.push(...fromQueries((value as { MetricDataQueries?: Json }).MetricDataQueries, `${where} ${key}`));
    }
  }
  return reads;
}

/** A dashboard widget's metric array: [namespace, name, dim, value, ..., {options}] (expressions are [{expression}]). */
function fromDashboard(properties: Record<string, Json>, where: string): MetricRead[] {
  const body = JSON.parse(flatten(properties.DashboardBody)) as {
    widgets?: { properties?: { metrics?: Json[][]; stat?: string; title?: string } }[];
  };
  return (body.widgets ?? []).flatMap((widget) =>
    (widget.properties?.metrics ?? []).flatMap((entry): MetricRead[] => {
      const last = entry[entry.length - 1];
      const options = last && typeof last === 'object' ? (last as { stat?: string; expression?: string }) : {};
      if (options.expression !== undefined) return [];
      const fields = (options === last ? entry.slice(0, -1) : entry) as string[];
      if (fields.includes('.')) throw new Error(`${where}: dashboard metric shorthand "." is not read by this check`);
      const [namespace, metricName, ...pairs] = fields;
      return [
        {
          namespace: namespace!,
          metricName: metricName!,
          dimensions: pairs.filter((_, index) => index % 2 === 0),
          statistic: options.stat ?? widget.properties?.stat ?? 'Average',
          where: `${where} widget "${widget.properties?.title ?? '?'}"`,
        },
      ];
    }),
  );
}

/** Metric references in JSON configuration strings: { namespace, metricName, dimensions, stat? }. */
function fromConfiguration(value: Json, where: string): MetricRead[] {
  const reads: MetricRead[] = [];
  const visit = (node: Json): void => {
    if (node && typeof node === 'object' && 'Fn::Join' in node) {
      visit(flatten(node));
      return;
    }
    if (typeof node === 'string') {
      const text = node.trim();
      if (!(text.startsWith('{') || text.startsWith('['))) return;
      try {
        visit(JSON.parse(text));
      } catch {
        // not JSON: nothing read there
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, Json>;
    if (typeof object.namespace === 'string' && typeof object.metricName === 'string') {
      const dimensions = object.dimensions;
      reads.push({
        namespace: object.namespace,
        metricName: object.metricName,
        dimensions: Array.isArray(dimensions) ? dimensionNames(dimensions) : Object.keys((dimensions as object) ?? {}),
        // The backlog publisher reads the mean time per message; the predictor names its statistic.
        statistic: typeof object.stat === 'string' ? object.stat : 'Average',
        where,
      });
      return;
    }
    Object.values(object).forEach(visit);
  };
  visit(value);
  return reads;
}

export function templateMetricReads(template: { Resources?: Resources }): MetricRead[] {
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    const where = `${logicalId} (${resource.Type})`;
    switch (resource.Type) {
      case 'AWS::CloudWatch::Alarm':
        return fromAlarm(properties, where);
      case 'AWS::ApplicationAutoScaling::ScalingPolicy':
        return fromScalingPolicy(properties, where);
      case 'AWS::CloudWatch::Dashboard':
        return fromDashboard(properties, where);
      case 'AWS::Lambda::Function':
        return fromConfiguration((properties.Environment as { Variables?: Json } | undefined)?.Variables ?? {}, `${where} environment`);
      default:
        // Configuration held elsewhere (a parameter, a custom resource): any metric reference in its properties.
        return fromConfiguration(properties, `${where} configuration`);
    }
  });
}
