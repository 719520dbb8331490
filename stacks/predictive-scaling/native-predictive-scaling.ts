import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Construct } from 'constructs';
import { InvalidPropError } from '../common/prop-validation.ts';

export interface NativePredictiveScalingProps {
  /** The ECS service's scalable target (`ecs:service:DesiredCount`). */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** The utilization the forecast capacity is sized for, in percent of the metric. */
  readonly targetValue: number;
  /**
   * The ECS metric pair the forecast learns from.
   * @default 'ECSServiceCPUUtilization'
   */
  readonly metric?: 'ECSServiceCPUUtilization' | 'ECSServiceMemoryUtilization' | 'ALBRequestCount';
  /**
   * Whether AWS only forecasts or also scales.
   * @default 'ForecastOnly'
   */
  readonly mode?: 'ForecastOnly' | 'ForecastAndScale';
  /**
   * How long before the forecast load capacity is launched.
   * @default Duration.minutes(5)
   */
  readonly schedulingBuffer?: Duration;
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
    if (!(props.targetValue > 0 && props.targetValue <= 100)) {
      throw new InvalidPropError('NativePredictiveScaling', 'targetValue', `must be a percentage in (0, 100], got ${props.targetValue}`, 'Use a utilization target such as 60.');
    }
    const buffer = props.schedulingBuffer ?? Duration.minutes(5);
    if (buffer.toSeconds() > 3600) throw new InvalidPropError('NativePredictiveScaling', 'schedulingBuffer', 'is over AWS’s limit of 1 hour', 'Use at most Duration.hours(1).');
    // aws-cdk-lib's L2 has no predictive scaling: the L1 policy is the only way to declare it.
    this.policy = new appscaling.CfnScalingPolicy(this, 'Policy', {
      policyName: `${id}-predictive`,
      policyType: 'PredictiveScaling',
      scalingTargetId: props.scalableTarget.scalableTargetId,
      predictiveScalingPolicyConfiguration: {
        mode: props.mode ?? 'ForecastOnly',
        schedulingBufferTime: buffer.toSeconds(),
        metricSpecifications: [
          { targetValue: props.targetValue, predefinedMetricPairSpecification: { predefinedMetricType: props.metric ?? 'ECSServiceCPUUtilization' } },
        ],
      },
    });
  }
}
