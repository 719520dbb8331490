import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { backlogDatums } from '../../shared/backlog/metric-data.ts';
import {
  type CloudFormationTemplate,
  FOOTPRINT_METADATA_KEY,
  monthlyCost,
  SHARED_WORKLOAD,
  type TemplateFootprint,
} from '../../shared/cost/index.ts';
import { queueWorkersStack } from '../support/queue-workers.ts';

// Two default queue workers under one predictor; the second also has its dashboard.
const template = Template.fromStack(queueWorkersStack(new App(), 'Workers', { workers: 2, dashboards: [1] })).toJSON() as CloudFormationTemplate & {
  Resources: Record<string, { Type: string }>;
};
const footprint = template.Metadata?.[FOOTPRINT_METADATA_KEY] as TemplateFootprint;
const report = monthlyCost({ Workers: template });
const cost = (workload: string) => report.workloads.find((entry) => entry.workload === workload)!;
const quantity = (workload: string, item: string) => cost(workload).lines.find((line) => line.item === item)?.quantity ?? 0;

describe('the footprint headroom records in a template', () => {
  it('lists each worker’s target-tracking and step policies and its alarms under its workload', () => {
    const types = footprint.workloads['worker-0']!.map((id) => template.Resources[id]!.Type).sort();
    expect(types).toEqual([
      'AWS::ApplicationAutoScaling::ScalingPolicy',
      'AWS::ApplicationAutoScaling::ScalingPolicy',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
    ]);
  });

  it('lists the predictor’s own alarms as shared', () => {
    expect(footprint.workloads[SHARED_WORKLOAD]!.map((id) => template.Resources[id]!.Type)).toEqual([
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
    ]);
  });

  it('claims every billed resource of the stack for a workload or as shared', () => {
    const billed = Object.entries(template.Resources)
      .filter(([, resource]) => /^AWS::CloudWatch::|^AWS::ApplicationAutoScaling::ScalingPolicy$/.test(resource.Type))
      .map(([id]) => id)
      .sort();
    expect(Object.values(footprint.workloads).flat().sort()).toEqual(billed);
  });
});

describe('what a queue worker costs', () => {
  it('counts the custom metrics the backlog publisher really publishes for it, and the predictor’s', () => {
    const published = backlogDatums(
      {
        workload: 'worker-0',
        depth: { visible: 1, inFlight: 0, delayed: 0 },
        countDelayed: false,
        runningCapacity: 1,
        desiredCapacity: 1,
        demand: { arrivalsPerSecond: 1, timePerMessageMs: 1000, drainBudgetMs: 60_000 },
        // What QueueScaledService has the publisher publish for it by default: the signal its policy tracks.
        metrics: ['RequiredCapacityPerTask'],
      },
      new Date(0),
    ).length;
    const predictor = footprint.producers.find((producer) => producer.kind === 'predictor' && producer.workload === 'worker-0')!;
    expect(quantity('worker-0', 'custom metrics')).toBe(published + predictor.metrics.length);
  });

  it('prices the two alarms target tracking creates and the burst guard’s, SLO and DLQ alarms', () => {
    expect(quantity('worker-0', 'target-tracking alarms (created by Application Auto Scaling)')).toBe(2);
    expect(quantity('worker-0', 'alarms (standard resolution)')).toBe(3);
  });

  it('shows a dashboard in the cost of the worker that adds it: the dashboard, its composite alarm and its alarms', () => {
    expect(quantity('worker-1', 'dashboards')).toBe(1);
    expect(quantity('worker-1', 'composite alarms')).toBe(1);
    expect(cost('worker-1').monthlyUsd).toBeGreaterThan(cost('worker-0').monthlyUsd + 3);
  });
});
