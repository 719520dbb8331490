import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readmeExamples, repoRoot } from '../package/consumer-app.ts';
import { assertCfnLintClean } from '../support/template-checks.ts';

// The README's app examples under cdk-nag's AwsSolutions pack and cfn-lint, as the examples/ apps are: each is
// written beside the repository (so `cdk-headroom` resolves to the built package), its `new App()` swapped for a
// nag-checked one. The packaged-consumer test runs the same files in a fresh `cdk init` app.
const scratch = join(repoRoot, '.headroom', 'readme-examples');
const examples = readmeExamples();

function nagCheckedVariant(code: string): string {
  expect(code).toContain('const app = new App();');
  const body = code.replace('const app = new App();', 'const app = nagCheckedApp();').replaceAll("'lambda/", `'${scratch}/lambda/`);
  return `import { nagCheckedApp } from '${join(repoRoot, 'test', 'support', 'template-checks.ts')}';\n${body}\nexport { app };\n`;
}

describe('the README examples', () => {
  for (const example of examples.filter((candidate) => candidate.path.startsWith('lambda/'))) {
    mkdirSync(join(scratch, 'lambda'), { recursive: true });
    writeFileSync(join(scratch, example.path), example.code);
  }

  it.each(examples.filter((example) => example.language === 'ts' && example.path.startsWith('bin/')).map((example) => [example.path, example.code]))(
    '%s passes cdk-nag and cfn-lint',
    async (path, code) => {
      const file = join(scratch, path.replace(/\//g, '-'));
      mkdirSync(scratch, { recursive: true });
      writeFileSync(file, nagCheckedVariant(code));
      const { app } = (await import(file)) as { app: App };
      app.synth();
      const stacks = app.node.children.filter((child): child is Stack => Stack.isStack(child));
      expect(stacks.length).toBeGreaterThan(0);
      for (const stack of stacks) assertCfnLintClean(stack);
    },
    120_000,
  );
});
