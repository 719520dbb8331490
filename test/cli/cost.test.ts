import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { queueWorkersStack } from '../support/queue-workers.ts';
import { runCli } from './run-cli.ts';

// A cloud assembly as `cdk synth` writes it: manifest.json and one template per stack.
const cdkOut = mkdtempSync(join(tmpdir(), 'headroom-cost-'));
const app = new App({ outdir: cdkOut });
queueWorkersStack(app, 'Workers', { workers: 2, dashboards: [1] });
app.synth();

describe('headroom cost', () => {
  it('prints each workload’s monthly cost and the total, with the prices’ date', () => {
    const { status, stdout } = runCli(['cost', cdkOut]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Workers\s+worker-0\s+\$\d+\.\d\d$/m);
    expect(stdout).toMatch(/^Workers\s+worker-1\s+\$\d+\.\d\d$/m);
    expect(stdout).toMatch(/^Workers\s+\(shared\)\s+\$\d+\.\d\d$/m);
    expect(stdout).toMatch(/headroom's own bill: \$\d+\.\d\d a month for 2 workload\(s\)/);
    expect(stdout).toMatch(/us-east-1 prices of \d{4}-\d\d-\d\d/);
  });

  it('prints the same report as JSON, the total the sum of the workloads', () => {
    const { status, stdout } = runCli(['cost', cdkOut, '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { totalUsd: number; workloads: Array<{ monthlyUsd: number }> };
    expect(report.totalUsd).toBeCloseTo(
      report.workloads.reduce((sum, workload) => sum + workload.monthlyUsd, 0),
      10,
    );
  });

  it('says in one line what to do when the directory holds no cloud assembly', () => {
    const { status, stderr } = runCli(['cost', tmpdir()]);
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no manifest\.json: run `cdk synth` first/);
  });
});
