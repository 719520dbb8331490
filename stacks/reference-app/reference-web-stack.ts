import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type { Construct } from 'constructs';
import { PredictiveScaling } from '../predictive-scaling/index.ts';
import { RequestScaledService } from '../request-scaled-service/request-scaled-service.ts';
import { AlarmTopic } from '../workload-dashboard/alarm-topic.ts';

/**
 * headroom's reference web service: a request-driven Fargate service behind a public ALB, scaled on requests per
 * target at the rate one task serves within its latency SLO, with the p99 latency guard, predictive floors from
 * its request history (forecast only) and SLO burn-rate alarms. A stack of its own because the local AWS cannot
 * deploy a target group's attributes (README: the local AWS and its limits); `cdk deploy --all` deploys it to AWS.
 */
export class ReferenceWebStack extends Stack {
  readonly web: ecsPatterns.ApplicationLoadBalancedFargateService;
  readonly scaling: RequestScaledService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.web = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Web', {
      cluster,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      // Stands in for your web service's image; the reference app is about the scaling around it.
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') },
    });
    Validations.of(this.web.loadBalancer).acknowledge(
      { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer takes requests from the internet.' },
      { id: 'AwsSolutions-ELB2', reason: 'The reference app keeps no access logs; a real service logs to a bucket of its own.' },
    );
    const alarmTopic = new AlarmTopic(this, 'Alarms').topic;
    this.scaling = new RequestScaledService(this, 'WebScaling', {
      loadBalancedService: this.web,
      requestsPerSecondPerTask: 50,
      latencySlo: Duration.millis(500),
      minCapacity: 2,
      maxCapacity: 20,
      workload: 'reference-web',
      alarmTopic,
    });
    this.scaling.addPredictiveScaling(new PredictiveScaling(this, 'Predictor', { alarmTopic }));
    this.scaling.addSloAlarms({ objective: 0.999 });
    this.scaling.addDashboard();
  }
}
