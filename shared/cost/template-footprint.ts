import type { ProducerFootprint } from './producers.ts';

/** The template metadata key under which headroom's constructs record what belongs to which workload. */
export const FOOTPRINT_METADATA_KEY = 'headroom:footprint';

/** The pseudo-workload of what headroom's constructs share between workloads (predictor, publisher, overview). */
export const SHARED_WORKLOAD = '(shared)';

/** What the constructs record in a template: the logical IDs of each workload's resources, and the producers. */
export interface TemplateFootprint {
  readonly workloads: Readonly<Record<string, readonly string[]>>;
  readonly producers: readonly ProducerFootprint[];
}

/** The part of a synthesized CloudFormation template the cost model reads. */
export interface CloudFormationTemplate {
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Resources?: Readonly<Record<string, CloudFormationResource>>;
}

export interface CloudFormationResource {
  readonly Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
  readonly Properties?: Record<string, any>;
}

/** The footprint a template records, or an empty one when no headroom construct is in it. */
export function templateFootprint(template: CloudFormationTemplate): TemplateFootprint {
  const recorded = template.Metadata?.[FOOTPRINT_METADATA_KEY] as TemplateFootprint | undefined;
  return recorded ?? { workloads: {}, producers: [] };
}
