import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PredictiveScaling, PredictorMode, QueueScaledService, type PredictiveTargetOptions } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { predictorConfigText } from '../support/deployed-config.ts';

function predictor(calendar: Partial<PredictiveTargetOptions>): Stack {
  const stack = new Stack(undefined, 'Calendar');
  const { service, queue } = fargateWorker(stack);
  const scaling = new QueueScaledService(stack, 'Scaling', {
    service,
    queue,
    acceptableLatency: Duration.minutes(5),
    timePerMessage: Duration.seconds(2),
    maxCapacity: 40,
    workload: 'orders',
  });
  new PredictiveScaling(stack, 'Predictor', { mode: PredictorMode.FORECAST_AND_SCALE }).addTarget({
    workload: 'orders',
    scalableTarget: scaling.scalableTarget,
    load: [queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
    unitThroughput: 0.5,
    timeZone: 'America/New_York',
    ...calendar,
  });
  return stack;
}

/** The predictor's configuration as synthesized (an Fn::Join around the target's tokens), as one string. */
/** The predictor's settings and target shards as one text (what the function reads, JSON-quoted). */
function configOf(stack: Stack): string {
  return predictorConfigText(Template.fromStack(stack));
}

describe("PredictiveScaling: a target's calendar", () => {
  // Synthesized once, outside any test's time limit (the first synth loads the assets).
  const withCalendar = configOf(
    predictor({
      holidays: ['2026-11-26', '2026-12-25'],
      forgetDays: ['2026-11-03'],
      events: [{ start: '2026-11-27T13:00:00Z', end: '2026-11-28T01:00:00Z', multiplier: 2.5 }],
    }),
  );

  it('writes holidays, days to forget and events into the predictor configuration', () => {
    expect(withCalendar).toContain(
      JSON.stringify(
        JSON.stringify({
          calendar: {
            holidays: ['2026-11-26', '2026-12-25'],
            forgetDays: ['2026-11-03'],
            events: [{ start: '2026-11-27T13:00:00Z', end: '2026-11-28T01:00:00Z', multiplier: 2.5 }],
          },
        }).slice(1, -1),
      ).slice(1, -1),
    );
  });

  it('writes no calendar when none is given', () => {
    expect(configOf(predictor({}))).not.toContain('calendar');
  });

  it('rejects an event without a multiplier or an expected load at synth, naming the prop', () => {
    expect(() => predictor({ events: [{ start: '2026-11-27T13:00:00Z', end: '2026-11-28T01:00:00Z' }] })).toThrow(/events\[0\]/);
  });

  it('rejects a holiday that is not a local date at synth, naming the prop', () => {
    expect(() => predictor({ holidays: ['Thanksgiving'] })).toThrow(/holidays must be an array of local dates/);
  });
});
