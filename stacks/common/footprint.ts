import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { FOOTPRINT_METADATA_KEY, type ProducerFootprint, SHARED_WORKLOAD, type TemplateFootprint } from '../../shared/cost/index.ts';

/** The resource types that cost money by themselves a month (the rest of a workload's resources cost nothing idle). */
const BILLED_TYPES = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
]);

interface StackFootprint {
  readonly owners: Array<{ readonly scope: IConstruct; readonly workload: string }>;
  readonly producers: Array<() => ProducerFootprint>;
}

const footprints = new WeakMap<Stack, StackFootprint>();

/**
 * Records in the stack's template which billed resources belong to a workload (everything under `scope`, read at
 * synth, so alarms and dashboards added later count too), for `headroom cost` and `monthlyCost` to price.
 */
export function recordWorkload(scope: IConstruct, workload: string): void {
  footprintOf(scope).owners.push({ scope, workload });
}

/** Records resources shared between workloads (the predictor's, the publisher's, an overview dashboard). */
export function recordShared(scope: IConstruct): void {
  recordWorkload(scope, SHARED_WORKLOAD);
}

/** Records what one of headroom's functions publishes and requests for a workload; read at synth. */
export function recordProducer(scope: IConstruct, produce: () => ProducerFootprint): void {
  footprintOf(scope).producers.push(produce);
}

/** The logical ID of a function as its template knows it. */
export function logicalIdOf(resource: IConstruct): string {
  const cfn = CfnResource.isCfnResource(resource) ? resource : (resource.node.defaultChild as CfnResource);
  return Stack.of(cfn).resolve(cfn.logicalId) as string;
}

function footprintOf(scope: IConstruct): StackFootprint {
  const stack = Stack.of(scope);
  let footprint = footprints.get(stack);
  if (!footprint) {
    const created: StackFootprint = { owners: [], producers: [] };
    footprint = created;
    footprints.set(stack, created);
    stack.addMetadata(FOOTPRINT_METADATA_KEY, Lazy.any({ produce: () => render(stack, created) }));
  }
  return footprint;
}

function render(stack: Stack, footprint: StackFootprint): TemplateFootprint {
  const workloads: Record<string, string[]> = {};
  const claimed = new Set<string>();
  // A workload claims before the shared owners, and the innermost owner first: SLO alarms made inside a workload's
  // construct are the workload's, an overview dashboard beside them is shared.
  const rank = (owner: { scope: IConstruct; workload: string }): number =>
    (owner.workload === SHARED_WORKLOAD ? 1e6 : 0) - owner.scope.node.path.length;
  const owners = [...footprint.owners].sort((a, b) => rank(a) - rank(b));
  for (const { scope, workload } of owners) {
    for (const child of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || Stack.of(child) !== stack || !BILLED_TYPES.has(child.cfnResourceType)) continue;
      const id = stack.resolve(child.logicalId) as string;
      if (claimed.has(id)) continue;
      claimed.add(id);
      (workloads[workload] ??= []).push(id);
    }
  }
  return { workloads, producers: footprint.producers.map((produce) => produce()) };
}
