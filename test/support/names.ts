import { randomUUID } from 'node:crypto';

/** A resource name no other test in the run uses, since all tests share one moto server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
