import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { monthlyCost } from '../../shared/cost/index.ts';
import { queueWorkersStack } from '../support/queue-workers.ts';

function report(workers: number, dashboards = false) {
  const stack = queueWorkersStack(new App(), 'Workers', { workers, dashboards });
  return monthlyCost({ Workers: Template.fromStack(stack).toJSON() });
}

describe('scratch', () => {
  it('prints', () => {
    for (const [n, d] of [[1, false], [20, false], [1, true]] as const) {
      const r = report(n, d);
      console.log(`n=${n} dash=${d} total ${r.totalUsd.toFixed(2)} per ${r.perWorkloadUsd.toFixed(2)}`);
      for (const w of [r.workloads[0]!, r.workloads.at(-1)!]) {
        console.log(w.workload, w.monthlyUsd.toFixed(3));
        for (const l of w.lines) console.log('   ', l.item, l.quantity.toFixed(1), l.unit, l.monthlyUsd.toFixed(3));
      }
    }
    expect(1).toBe(1);
  });
});
