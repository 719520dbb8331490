import { Logger } from '@aws-lambda-powertools/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import { createQueueConsumer } from '../queue-consumer/index.ts';
import { dynamoDBIdempotency } from '../queue-consumer/idempotency.ts';
import { orderTotal, parseOrder } from './order.ts';

const logger = new Logger();
/** Stands in for the I/O a real worker does per message, so the reference app has a time per message to scale on. */
const workMs = Number(process.env.HEADROOM_DEMO_WORK_MS ?? 0);

/**
 * The reference app's Lambda consumer: totals each order message, once per message (its QueueConsumerFunction
 * has idempotency: true, which names the table in HEADROOM_IDEMPOTENCY_TABLE). Malformed orders end in the DLQ.
 */
export const handler = createQueueConsumer(
  async (order) => {
    if (workMs > 0) await sleep(workMs);
    const total = orderTotal(order);
    logger.debug('order totalled', { orderId: order.orderId, total });
    return { orderId: order.orderId, total };
  },
  { parse: parseOrder, logger, idempotency: dynamoDBIdempotency() },
);
