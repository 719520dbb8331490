import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ecsDescribeBatches, type EcsServiceRef } from '../../shared/backlog/index.ts';
import { errorReason, readFailure, readValue, type SourceResult } from './source-result.ts';

const key = (cluster: string, service: string): string => `${cluster}\u0000${service}`;

/** An ECS service's task counts: started and running, and asked for. */
export interface EcsCapacity {
  readonly running: number;
  readonly desired: number;
}

/**
 * Running and desired task counts of ECS services, ten per DescribeServices call and one call per cluster batch. A
 * service ECS reports missing or not ACTIVE, or a call that fails, is a failed read for the services it covers.
 */
export async function readEcsCapacity(ecs: ECSClient, services: readonly EcsServiceRef[]): Promise<Map<string, SourceResult<EcsCapacity>>> {
  const results = new Map<string, SourceResult<EcsCapacity>>();
  await Promise.all(
    ecsDescribeBatches(services).map(async ({ cluster, services: names }) => {
      try {
        const response = await ecs.send(new DescribeServicesCommand({ cluster, services: names }));
        for (const name of names) {
          const found = response.services?.find((service) => service.serviceName === name || service.serviceArn === name);
          const failure = response.failures?.find((entry) => entry.arn === name || entry.arn?.endsWith(`/${name}`));
          if (found === undefined) {
            results.set(
              key(cluster, name),
              readFailure(`DescribeServices did not return ${name} in ${cluster}: ${failure?.reason ?? 'no reason given'}`),
            );
          } else if (found.status !== 'ACTIVE') {
            results.set(key(cluster, name), readFailure(`service ${name} in ${cluster} is ${found.status}`));
          } else {
            results.set(key(cluster, name), readValue({ running: found.runningCount ?? 0, desired: found.desiredCount ?? 0 }));
          }
        }
      } catch (error) {
        for (const name of names) results.set(key(cluster, name), readFailure(errorReason(error)));
      }
    }),
  );
  return results;
}

/** The entry of `readEcsCapacity`'s result for one service. */
export function ecsCapacityOf(results: Map<string, SourceResult<EcsCapacity>>, service: EcsServiceRef): SourceResult<EcsCapacity> {
  return results.get(key(service.cluster, service.service)) ?? readFailure(`service ${service.service} was not read`);
}
