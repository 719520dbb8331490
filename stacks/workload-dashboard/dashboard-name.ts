import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DASHBOARD_NAME } from '../common/deploy-limits.ts';
import { InvalidPropError } from '../common/prop-validation.ts';

/** The longest region code a name leaves room for (`ap-southeast-5` is 14 today). */
const REGION_ROOM = 20;

/**
 * A dashboard name unique to one deployment: `headroom-<label>-<stack>-<region>`. CloudWatch dashboards are global
 * per account, not per region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html),
 * and a stack name is unique per account and region, so the same app deployed to a second region or as a second
 * stage gets dashboards of its own instead of failing with "already exists". The region is a deploy-time reference
 * in an environment-agnostic stack. A label too long for PutDashboard's 255 characters keeps its start and a hash.
 */
export function deploymentDashboardName(scope: IConstruct, label: string): string {
  const stack = Stack.of(scope);
  const clean = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '-');
  const stackName = Token.isUnresolved(stack.stackName) ? stack.stackName : clean(stack.stackName);
  const region = Token.isUnresolved(stack.region) ? stack.region : clean(stack.region);
  const fixed =
    'headroom-'.length +
    1 +
    (Token.isUnresolved(stackName) ? 128 : stackName.length) +
    1 +
    (Token.isUnresolved(region) ? REGION_ROOM : region.length);
  let safeLabel = clean(label);
  if (fixed + safeLabel.length > DASHBOARD_NAME.maxLength) {
    const hash = createHash('sha256').update(label).digest('hex').slice(0, 8);
    safeLabel = `${safeLabel.slice(0, Math.max(1, DASHBOARD_NAME.maxLength - fixed - hash.length - 1))}-${hash}`;
  }
  return `headroom-${safeLabel}-${stackName}-${region}`;
}

/** A dashboard name the user chose: checked against PutDashboard's rules at synth, naming the prop. */
export function requireDashboardName(construct: string, prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (name.length < 1 || name.length > DASHBOARD_NAME.maxLength || !DASHBOARD_NAME.pattern.test(name)) {
    throw new InvalidPropError(
      construct,
      prop,
      `"${name}" is not a dashboard name PutDashboard accepts (1-255 of A-Z, a-z, 0-9, - and _: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)`,
      `Leave ${prop} unset for a name unique to the stack and region, or choose one of letters, digits, - and _ that differs per region and stage (dashboards are global per account).`,
    );
  }
}
