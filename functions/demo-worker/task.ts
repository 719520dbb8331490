import { createOrderWorker } from './order-worker.ts';

// The reference app's worker container: consumes until ECS stops the task (SIGTERM), then exits.
const summary = await createOrderWorker({ workMs: Number(process.env.HEADROOM_DEMO_WORK_MS ?? 0) }).run();
console.log(JSON.stringify({ message: 'worker stopped', ...summary }));
process.exit(0);
