import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect, inject, it } from 'vitest';

it('points the SDK at the run’s local AWS on loopback', async () => {
  expect(inject('localAwsEndpoint')).toMatch(/^http:\/\/localhost:\d+$/);
  const queues = await new SQSClient({}).send(new ListQueuesCommand({}));
  expect(queues.$metadata.httpStatusCode).toBe(200);
});
