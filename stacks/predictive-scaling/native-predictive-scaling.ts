import { Duration, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Construct } from 'constructs';
import { InvalidPropError } from '../common/prop-validation.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { PredictorMode } from './predictive-scaling.ts';

export interface NativePredictiveScalingProps {
  /** The ECS service's scalable target (`ecs:service:DesiredCount`). */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** The value the forecast capacity is sized for: a utilization in percent, or requests per target for ALBRequestCount. */
  readonly targetValue: number;
  /**
   * The ECS metric pair the forecast learns from.
   * @default 'ECSServiceCPUUtilization'
   */
  readonly metric?: 'ECSServiceCPUUtilization' | 'ECSServiceMemoryUtilization' | 'ALBRequestCount';
  /**
   * Whether AWS only forecasts or also scales: PredictorMode, as for headroom's own predictor. AWS's spelling
   * ('ForecastOnly', 'ForecastAndScale') is still taken but deprecated: one vocabulary across headroom.
   * @default PredictorMode.FORECAST_ONLY
   */
  readonly mode?: PredictorMode | 'ForecastOnly' | 'ForecastAndScale';
  /**
   * How long before the forecast load capacity is launched.
   * @default Duration.minutes(5)
   */
  readonly schedulingBuffer?: Duration;
  /**
   * ALBRequestCount only (and required there): the load balancer and target group the requests are counted for,
   * `app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>`.
   * @default none
   */
  readonly resourceLabel?: string;
}

/**
 * AWS's own predictive scaling for an ECS service (an `AWS::ApplicationAutoScaling::ScalingPolicy` of type
 * PredictiveScaling), as the alternative to headroom's predictor where its predefined metrics fit: it forecasts
 * from CPU, memory or ALB requests only, and covers ECS only; headroom's predictor also covers DynamoDB and any
 * load metric (such as queue arrivals). Like headroom's, it never scales in on a forecast.
 */
export class NativePredictiveScaling extends Construct {
  readonly policy: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: NativePredictiveScalingProps) {
    super(scope, id);
    checkDeployLimits(this);
    const metric = props.metric ?? 'ECSServiceCPUUtilization';
    const cfnTarget = props.scalableTarget.node.defaultChild as appscaling.CfnScalableTarget;
    if (!Token.isUnresolved(cfnTarget.serviceNamespace) && cfnTarget.serviceNamespace !== 'ecs') {
      throw new InvalidPropError(
        'NativePredictiveScaling',
        'scalableTarget',
        `is in the ${cfnTarget.serviceNamespace} namespace: AWS's predictive scaling for Application Auto Scaling covers ECS services only`,
        'Give an ECS service’s scalable target, or use PredictiveScaling (headroom’s predictor) for DynamoDB.',
      );
    }
    if (metric === 'ALBRequestCount') {
      if (props.resourceLabel === undefined || props.resourceLabel === '') {
        throw new InvalidPropError(
          'NativePredictiveScaling',
          'resourceLabel',
          'is required with ALBRequestCount (AWS cannot tell which target group’s requests to count)',
          'Set resourceLabel to app/<load-balancer>/<id>/targetgroup/<target-group>/<id>.',
        );
      }
      if (!(props.targetValue > 0))
        throw new InvalidPropError(
          'NativePredictiveScaling',
          'targetValue',
          `must be a number of requests per target above 0, got ${props.targetValue}`,
          'Use the requests per target one task serves within its latency SLO.',
        );
    } else if (!(props.targetValue > 0 && props.targetValue <= 100)) {
      throw new InvalidPropError(
        'NativePredictiveScaling',
        'targetValue',
        `must be a percentage in (0, 100], got ${props.targetValue}`,
        'Use a utilization target such as 60.',
      );
    }
    if (props.resourceLabel !== undefined && metric !== 'ALBRequestCount') {
      throw new InvalidPropError(
        'NativePredictiveScaling',
        'resourceLabel',
        `applies to ALBRequestCount only, not ${metric}`,
        'Leave resourceLabel unset, or set metric to ALBRequestCount.',
      );
    }
    const buffer = props.schedulingBuffer ?? Duration.minutes(5);
    if (buffer.toSeconds() > 3600)
      throw new InvalidPropError('NativePredictiveScaling', 'schedulingBuffer', 'is over AWS’s limit of 1 hour', 'Use at most Duration.hours(1).');
    // aws-cdk-lib's L2 has no predictive scaling: the L1 policy is the only way to declare it.
    this.policy = new appscaling.CfnScalingPolicy(this, 'Policy', {
      policyName: `${id}-predictive`,
      policyType: 'PredictiveScaling',
      scalingTargetId: props.scalableTarget.scalableTargetId,
      predictiveScalingPolicyConfiguration: {
        mode: awsPredictiveMode(props.mode),
        schedulingBufferTime: buffer.toSeconds(),
        metricSpecifications: [
          { targetValue: props.targetValue, predefinedMetricPairSpecification: { predefinedMetricType: metric, resourceLabel: props.resourceLabel } },
        ],
      },
    });
  }
}

/** AWS's PredictiveScalingMode for headroom's PredictorMode (or AWS's own spelling, deprecated). */
export function awsPredictiveMode(mode: PredictorMode | 'ForecastOnly' | 'ForecastAndScale' | undefined): 'ForecastOnly' | 'ForecastAndScale' {
  return mode === PredictorMode.FORECAST_AND_SCALE || mode === 'ForecastAndScale' ? 'ForecastAndScale' : 'ForecastOnly';
}
