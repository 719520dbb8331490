import { Logger } from '@aws-lambda-powertools/logger';
import { createQueueWorker, type QueueWorker, type QueueWorkerOptions } from '../queue-worker/index.ts';
import { type Order, orderTotal, parseOrder } from './order.ts';

/**
 * The reference app's Fargate worker: the same order handling as its Lambda consumer, run by the worker kit in an
 * ECS task (task.ts) or in-process (the local demo). Malformed orders are left for redelivery and end in the DLQ.
 */
export function createOrderWorker(options: Partial<QueueWorkerOptions<Order>> & { readonly workMs?: number } = {}): QueueWorker {
  const { workMs = 0, ...overrides } = options;
  const queueUrl = overrides.queueUrl ?? process.env.QUEUE_URL;
  if (!queueUrl) throw new Error('the order worker needs QUEUE_URL (the reference stack sets it in the task definition)');
  const logger = overrides.logger ?? new Logger({ serviceName: 'headroom-reference-worker' });
  return createQueueWorker<Order>(
    async (order, _record, _context, signal) => {
      if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs)).then(() => signal.throwIfAborted());
      const total = orderTotal(order);
      logger.debug('order totalled', { orderId: order.orderId, total });
      return { orderId: order.orderId, total };
    },
    { parse: parseOrder, logger, ...overrides, queueUrl },
  );
}
