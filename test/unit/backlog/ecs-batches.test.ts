import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESCRIBE_SERVICES_LIMIT, ecsDescribeBatches } from '../../../shared/backlog/index.ts';

describe('ecsDescribeBatches', () => {
  it('asks for up to ten services of one cluster per call', () => {
    const services = Array.from({ length: 23 }, (_, index) => ({ cluster: 'main', service: `svc-${index}` }));
    expect(ecsDescribeBatches(services).map((batch) => batch.services.length)).toEqual([10, 10, 3]);
  });

  it('never mixes clusters in a call, and asks for each service once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cluster: fc.constantFrom('a', 'b', 'c'), service: fc.constantFrom(...'0123456789abcdefghijklmn'.split('')) })),
        (services) => {
          const batches = ecsDescribeBatches(services);
          const asked = batches.flatMap((batch) => batch.services.map((service) => `${batch.cluster}/${service}`));
          expect(new Set(asked).size).toBe(asked.length);
          expect(new Set(asked)).toEqual(new Set(services.map(({ cluster, service }) => `${cluster}/${service}`)));
          for (const batch of batches) expect(batch.services.length).toBeLessThanOrEqual(DESCRIBE_SERVICES_LIMIT);
        },
      ),
    );
  });
});
