import { Annotations, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { refuseSecondScalableTarget, scalableAttributeKind } from '../common/scalable-target-conflicts.ts';
import { InvalidPropError, requireResolved, requireSecondsBetween, requireWholeNumber } from '../common/prop-validation.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { recordWorkload } from '../common/footprint.ts';

export interface CapacityRange {
  /** The fewest capacity units. */
  readonly min: number;
  /** The most capacity units. */
  readonly max: number;
  /**
   * Consumed capacity as a fraction of provisioned that target tracking keeps (0.2-0.9), a fraction as every
   * other headroom `targetUtilization` is.
   * @default 0.7
   */
  readonly targetUtilization?: number;
  /**
   * The same as a percentage (20-90).
   * @deprecated use targetUtilization (a fraction: 70 becomes 0.7)
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

export interface TableScalingProps {
  /**
   * A table in provisioned billing mode: a `dynamodb.Table`, or one imported by name or ARN (whose billing mode and
   * index names headroom cannot check at synth). Not a `dynamodb.TableV2`: it scales through its own capacity
   * settings.
   */
  readonly table: dynamodb.ITable;
  /**
   * Read capacity scaling of the table.
   * @default read capacity not scaled
   */
  readonly read?: CapacityRange;
  /**
   * Write capacity scaling of the table.
   * @default write capacity not scaled
   */
  readonly write?: CapacityRange;
  /**
   * Scaling of global secondary indexes, by index name.
   * @default no index scaled
   */
  readonly globalSecondaryIndexes?: Record<string, { readonly read?: CapacityRange; readonly write?: CapacityRange }>;
  /**
   * Wait after a scale-in before the next (whole seconds): DynamoDB allows a limited number of decreases a day.
   * @default Duration.minutes(15)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next (whole seconds).
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
}

const NAME = 'TableScaling';

/**
 * Target tracking on a provisioned DynamoDB table's (and its indexes') read and write capacity. Each scaled
 * dimension is an Application Auto Scaling scalable target that `PredictiveScaling.addTarget` can manage too.
 */
export class TableScaling extends Construct {
  readonly readTarget?: appscaling.ScalableTarget;
  readonly writeTarget?: appscaling.ScalableTarget;
  /** Index scalable targets by `${indexName}/read` and `${indexName}/write`. */
  readonly indexTargets: ReadonlyMap<string, appscaling.ScalableTarget>;

  constructor(scope: Construct, id: string, props: TableScalingProps) {
    super(scope, id);
    checkDeployLimits(this);
    if (props.table instanceof dynamodb.TableV2) {
      throw new InvalidPropError(
        NAME,
        'table',
        'is a dynamodb.TableV2 (AWS::DynamoDB::GlobalTable), whose capacity auto scaling is part of the table resource; scalable targets registered beside it would fight its own',
        'Scale it with billing: dynamodb.Billing.provisioned({ readCapacity: dynamodb.Capacity.autoscaled({ maxCapacity }), writeCapacity: dynamodb.Capacity.autoscaled({ maxCapacity }) }), or use a dynamodb.Table.',
      );
    }
    const defined = props.table instanceof dynamodb.Table ? props.table : undefined;
    if (!defined) {
      Annotations.of(this).addWarningV2(
        'headroom:imported-table',
        `${NAME}: table ${props.table.node.path} is imported, so headroom cannot check at synth that it is PROVISIONED or that the globalSecondaryIndexes it scales exist; a deploy fails if either is wrong.`,
      );
    }
    const tableName = props.table.tableName;
    recordWorkload(this, Token.isUnresolved(tableName) ? Names.uniqueId(this) : tableName);
    if (!props.read && !props.write && !props.globalSecondaryIndexes) {
      throw new InvalidPropError(
        NAME,
        'read',
        'and write and globalSecondaryIndexes are all unset, so nothing is scaled',
        'Give at least one capacity range.',
      );
    }
    const cooldowns = {
      scaleInCooldown: props.scaleInCooldown ?? Duration.minutes(15),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.minutes(1),
    };
    requireSecondsBetween(NAME, 'scaleInCooldown', cooldowns.scaleInCooldown, Duration.seconds(0), Duration.days(1));
    requireSecondsBetween(NAME, 'scaleOutCooldown', cooldowns.scaleOutCooldown, Duration.seconds(0), Duration.days(1));
    if (defined) this.node.addValidation({ validate: () => billingModeErrors(defined) });
    const scale = (
      targetId: string,
      range: CapacityRange,
      resourceId: string,
      dimension: 'table' | 'index',
      capacity: 'Read' | 'Write',
      where: string,
    ) => {
      requireWholeNumber(NAME, `${where}.min`, range.min, 1);
      requireWholeNumber(NAME, `${where}.max`, range.max, 1);
      if (Token.isUnresolved(range.min) !== Token.isUnresolved(range.max)) {
        requireResolved(
          NAME,
          Token.isUnresolved(range.min) ? `${where}.min` : `${where}.max`,
          Token.isUnresolved(range.min) ? range.min : range.max,
          `it must be compared with ${where}.${Token.isUnresolved(range.min) ? 'max' : 'min'}; make both tokens, or neither`,
        );
      }
      if (!Token.isUnresolved(range.min) && range.max < range.min) {
        throw new InvalidPropError(
          NAME,
          `${where}.max`,
          `must be a whole number >= ${where}.min (${range.min}), got ${range.max}`,
          `Raise ${where}.max or lower ${where}.min.`,
        );
      }
      if (range.targetUtilization !== undefined && range.targetUtilizationPercent !== undefined) {
        throw new InvalidPropError(
          NAME,
          `${where}.targetUtilizationPercent`,
          'is set with targetUtilization',
          'Keep targetUtilization (a fraction) only.',
        );
      }
      const utilization =
        range.targetUtilization !== undefined ? Math.round(range.targetUtilization * 1000) / 10 : (range.targetUtilizationPercent ?? 70);
      if (!Token.isUnresolved(range.targetUtilization ?? range.targetUtilizationPercent) && !(utilization >= 20 && utilization <= 90)) {
        throw new InvalidPropError(
          NAME,
          range.targetUtilization !== undefined ? `${where}.targetUtilization` : `${where}.targetUtilizationPercent`,
          `must be between 20 and 90, got ${utilization}`,
          'DynamoDB target tracking accepts 20-90%; 70 is the usual choice.',
        );
      }
      const target = new appscaling.ScalableTarget(this, targetId, {
        serviceNamespace: appscaling.ServiceNamespace.DYNAMODB,
        resourceId,
        scalableDimension: `dynamodb:${dimension}:${capacity}CapacityUnits`,
        minCapacity: range.min,
        maxCapacity: range.max,
      });
      target.scaleToTrackMetric('Tracking', {
        predefinedMetric:
          capacity === 'Read'
            ? appscaling.PredefinedMetric.DYNAMODB_READ_CAPACITY_UTILIZATION
            : appscaling.PredefinedMetric.DYNAMODB_WRITE_CAPACITY_UTILIZATION,
        targetValue: utilization,
        ...cooldowns,
      });
      target.node.addDependency(props.table);
      refuseSecondScalableTarget(this, `${NAME} (${this.node.path}) ${where}`, target, (other) =>
        scalableAttributeKind(other) === 'table'
          ? `table.autoScale${capacity}Capacity() registers it too: remove that call and let ${NAME} scale it through ${where}, or leave ${where} out of ${NAME}.`
          : `Scale each table's (and index's) read and write capacity from one ${NAME}.`,
      );
      return target;
    };
    this.readTarget = props.read && scale('Read', props.read, `table/${tableName}`, 'table', 'Read', 'read');
    this.writeTarget = props.write && scale('Write', props.write, `table/${tableName}`, 'table', 'Write', 'write');
    const indexTargets = new Map<string, appscaling.ScalableTarget>();
    for (const [indexName, ranges] of Object.entries(props.globalSecondaryIndexes ?? {})) {
      if (!Token.isUnresolved(indexName) && !/^[A-Za-z0-9_.-]{3,255}$/.test(indexName)) {
        throw new InvalidPropError(
          NAME,
          'globalSecondaryIndexes',
          `has an invalid index name "${indexName}"`,
          'Use the index names the table defines.',
        );
      }
      if (defined) this.node.addValidation({ validate: () => missingIndexErrors(defined, indexName) });
      const resourceId = `table/${tableName}/index/${indexName}`;
      if (ranges.read)
        indexTargets.set(
          `${indexName}/read`,
          scale(`${indexName}Read`, ranges.read, resourceId, 'index', 'Read', `globalSecondaryIndexes.${indexName}.read`),
        );
      if (ranges.write)
        indexTargets.set(
          `${indexName}/write`,
          scale(`${indexName}Write`, ranges.write, resourceId, 'index', 'Write', `globalSecondaryIndexes.${indexName}.write`),
        );
    }
    this.indexTargets = indexTargets;
  }
}

// Checked when the app synthesizes, so a table configured after TableScaling was created is seen as it ends up.
function billingModeErrors(table: dynamodb.Table): string[] {
  const billingMode = Stack.of(table).resolve((table.node.defaultChild as dynamodb.CfnTable).billingMode);
  return billingMode === dynamodb.BillingMode.PAY_PER_REQUEST
    ? [
        `${NAME}: table ${table.node.path} is PAY_PER_REQUEST (on demand), which has no provisioned capacity to scale. Create it with billingMode: dynamodb.BillingMode.PROVISIONED, or remove TableScaling.`,
      ]
    : [];
}

function missingIndexErrors(table: dynamodb.Table, indexName: string): string[] {
  if (Token.isUnresolved(indexName)) return [];
  const indexes = (Stack.of(table).resolve((table.node.defaultChild as dynamodb.CfnTable).globalSecondaryIndexes) ?? []) as { indexName: string }[];
  if (indexes.some((index) => index.indexName === indexName)) return [];
  const known = indexes.map((index) => index.indexName);
  return [
    `${NAME}: globalSecondaryIndexes names "${indexName}", which is not a global secondary index of ${table.node.path} (${known.length > 0 ? `it has ${known.join(', ')}` : 'it has none'}). Use one of its index names, or add the index with table.addGlobalSecondaryIndex.`,
  ];
}
