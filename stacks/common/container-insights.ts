import { Annotations, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IConstruct } from 'constructs';

const CONTAINER_INSIGHTS_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/deploy-container-insights-ECS-cluster.html';

/**
 * Whether a service's cluster publishes Container Insights (ECS/ContainerInsights RunningTaskCount, DesiredTaskCount),
 * as far as synth can see: the cluster's own `containerInsights` setting when the cluster is defined in this app
 * (`enabled` or `enhanced`), else unknown (an imported cluster, or an account-level default synth cannot read).
 */
export function containerInsightsAtSynth(service: ecs.IBaseService): 'enabled' | 'disabled' | 'unknown' {
  const cfnCluster = service.cluster.node.defaultChild;
  if (!(cfnCluster instanceof ecs.CfnCluster)) return 'unknown';
  const settings = Token.isUnresolved(cfnCluster.clusterSettings)
    ? undefined
    : (cfnCluster.clusterSettings as ecs.CfnCluster.ClusterSettingsProperty[] | undefined);
  const setting = settings?.find((entry) => entry.name === 'containerInsights');
  if (!setting || Token.isUnresolved(setting.value)) return setting ? 'unknown' : 'disabled';
  return setting.value === 'enabled' || setting.value === 'enhanced' ? 'enabled' : 'disabled';
}

/**
 * A synth warning naming what reads Container Insights and the fix, unless the cluster turns it on. Not an error:
 * the account-level default (`aws ecs put-account-setting-default --name containerInsights --value enabled`) may.
 */
export function warnWithoutContainerInsights(scope: IConstruct, service: ecs.IBaseService, what: string): void {
  const state = containerInsightsAtSynth(service);
  if (state === 'enabled') return;
  Annotations.of(scope).addWarningV2(
    'headroom:containerInsights',
    `${what} reads ECS/ContainerInsights, which ${state === 'disabled' ? 'this cluster does not turn on' : 'synth cannot confirm for this cluster'}: without it that metric has no data. Turn it on (ecs.Cluster containerInsightsV2: ContainerInsights.ENABLED, or the account default) - ${CONTAINER_INSIGHTS_DOC}`,
  );
}
