/** DescribeServices' limit on services per call. */
export const DESCRIBE_SERVICES_LIMIT = 10;

export interface EcsServiceRef {
  readonly cluster: string;
  readonly service: string;
}

/** Groups services into DescribeServices calls: one cluster per call, at most ten services each, no repeats. */
export function ecsDescribeBatches(services: readonly EcsServiceRef[]): { cluster: string; services: string[] }[] {
  const byCluster = new Map<string, Set<string>>();
  for (const { cluster, service } of services) {
    const names = byCluster.get(cluster) ?? new Set<string>();
    names.add(service);
    byCluster.set(cluster, names);
  }
  const batches: { cluster: string; services: string[] }[] = [];
  for (const [cluster, names] of byCluster) {
    const all = [...names];
    for (let start = 0; start < all.length; start += DESCRIBE_SERVICES_LIMIT) {
      batches.push({ cluster, services: all.slice(start, start + DESCRIBE_SERVICES_LIMIT) });
    }
  }
  return batches;
}
