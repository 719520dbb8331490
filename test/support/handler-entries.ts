import { fileURLToPath } from 'node:url';

/** The demo worker's entry file: a createQueueConsumer handler, as a user's QueueConsumerFunction points at. */
export const demoWorkerEntry = fileURLToPath(new URL('../../functions/demo-worker/handler.ts', import.meta.url));
