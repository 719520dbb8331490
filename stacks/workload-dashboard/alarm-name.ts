import { createHash } from 'node:crypto';
import { Token } from 'aws-cdk-lib';
import { InvalidPropError } from '../common/prop-validation.ts';

const MAX_ALARM_NAME = 255;

/**
 * Refuses a workload name CloudWatch cannot take as a dimension value (it must be ASCII with no control
 * characters and not blank): headroom's metrics, alarms and dashboards are all keyed by it.
 */
export function requireWorkloadName(construct: string, workload: string): void {
  if (Token.isUnresolved(workload)) return;
  if (!/^[\x20-\x7e]{1,255}$/.test(workload) || workload.trim() === '') {
    const found = [...workload].find((character) => !/[\x20-\x7e]/.test(character));
    throw new InvalidPropError(
      construct,
      'workload',
      `"${workload}" cannot be a CloudWatch dimension value (${found !== undefined ? `it contains ${JSON.stringify(found)}; ` : ''}1-255 printable ASCII characters, not all spaces)`,
      'Name the workload with letters, digits, spaces and punctuation only, such as "orders-worker".',
    );
  }
}

/**
 * An alarm name from its parts, joined by `-`, within CloudWatch's 255 characters: a longer one keeps its
 * start and end and replaces the middle with a hash of the whole, so two long names stay distinct.
 */
export function alarmName(...parts: string[]): string {
  const name = parts.join('-');
  if (Token.isUnresolved(name) || name.length <= MAX_ALARM_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  const suffix = parts.at(-1)!;
  return `${name.slice(0, MAX_ALARM_NAME - hash.length - suffix.length - 2)}-${hash}-${suffix}`;
}
