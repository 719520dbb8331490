import { Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** CloudWatch dashboard names take A-Z, a-z, 0-9, - and _; the other places a workload name goes take those too. */
const SAFE = /[^A-Za-z0-9_-]+/g;
const MOST = 128;

/**
 * A readable default for a construct's `workload` (the `Workload` dimension of its metrics, its dashboard's and
 * scheduled actions' names): the stack's name and the construct's path under it, e.g. `Shop-Orders-Worker`, unique in
 * the app as the path is. Names.uniqueId would give `ShopOrdersWorker8F3A1B2C`, a hash a person then meets in every
 * metric and alarm. A stack whose name is a token falls back to the path alone.
 */
export function defaultWorkloadName(construct: Construct): string {
  const stack = Stack.of(construct);
  const under = construct.node.scopes.slice(construct.node.scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  const parts = [...(Token.isUnresolved(stack.stackName) ? [] : [stack.stackName]), ...under];
  const name = parts
    .join('-')
    .replace(SAFE, '-')
    .replace(/^-+|-+$/g, '');
  return name.length <= MOST ? name : name.slice(name.length - MOST).replace(/^-+/, '');
}
