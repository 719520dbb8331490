import { type MathNode, parseMetricMath } from '../../shared/metrics/math/index.ts';
import { flatten } from './template-metric-reads.ts';

/** Every metric-math expression a template synthesizes: alarms, scaling policies and dashboard widgets. */
export function templateExpressions(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): {
  where: string;
  expression: string;
}[] {
  const found: { where: string; expression: string }[] = [];
  const fromQueries = (queries: unknown, where: string) => {
    if (!Array.isArray(queries)) return;
    for (const query of queries as { Id?: unknown; Expression?: unknown }[])
      if (query.Expression !== undefined) found.push({ where: `${where} ${flatten(query.Id)}`, expression: flatten(query.Expression) });
  };
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const properties = (resource.Properties ?? {}) as {
      Metrics?: unknown;
      TargetTrackingScalingPolicyConfiguration?: { CustomizedMetricSpecification?: { Metrics?: unknown } };
      DashboardBody?: unknown;
    };
    if (resource.Type === 'AWS::CloudWatch::Alarm') fromQueries(properties.Metrics, id);
    if (resource.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy')
      fromQueries(properties.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification?.Metrics, id);
    if (resource.Type === 'AWS::CloudWatch::Dashboard') {
      const body = JSON.parse(flatten(properties.DashboardBody)) as { widgets?: { properties?: { metrics?: unknown[][] } }[] };
      for (const widget of body.widgets ?? [])
        for (const entry of widget.properties?.metrics ?? []) {
          const options = entry[entry.length - 1] as { expression?: string } | undefined;
          if (options && typeof options === 'object' && options.expression) found.push({ where: `${id} widget`, expression: options.expression });
        }
    }
  }
  return found;
}

/** The metric ids an expression reads. */
export function expressionIds(node: MathNode): string[] {
  switch (node.kind) {
    case 'id':
      return [node.id];
    case 'unary':
      return expressionIds(node.operand);
    case 'binary':
      return [...expressionIds(node.left), ...expressionIds(node.right)];
    case 'call':
      return node.args.flatMap(expressionIds);
    case 'array':
      return node.items.flatMap(expressionIds);
    default:
      return [];
  }
}

export { parseMetricMath };
