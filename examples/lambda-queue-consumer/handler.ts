// The consumer's code: one order at a time, with partial batch responses, idempotency and deadline awareness.
import { createQueueConsumer } from 'cdk-headroom/consumer';
import { dynamoDBIdempotency } from 'cdk-headroom/consumer/idempotency';

interface Order {
  readonly orderId: string;
  readonly amount: number;
}

function parseOrder(body: string): Order {
  const order = JSON.parse(body) as Partial<Order>;
  if (typeof order.orderId !== 'string' || typeof order.amount !== 'number') throw new Error('an order needs a string orderId and a numeric amount');
  return order as Order;
}

export const handler = createQueueConsumer(
  async (order: Order, _record, _context, signal) => {
    // Pass the signal on, so work still running when the invocation runs out of time stops with it.
    const response = await fetch(`https://payments.example.com/charge/${order.orderId}`, { method: 'POST', body: String(order.amount), signal });
    if (!response.ok) throw new Error(`payment refused: ${response.status}`); // SQS redelivers it, then dead-letters it
  },
  { parse: parseOrder, idempotency: dynamoDBIdempotency() },
);
