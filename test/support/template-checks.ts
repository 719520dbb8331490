import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/** An App with cdk-nag's AwsSolutions pack applied the cdk-nag 3 way: synth fails on any unacknowledged finding. */
export function nagCheckedApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/**
 * Runs cfn-lint on a synthesized template. Errors and warnings fail; informational findings do not.
 * cfn-lint ships with this machine image only, so a missing binary fails loudly rather than passing.
 */
export function assertCfnLintClean(stack: Stack): void {
  const templateFile = join(mkdtempSync(join(tmpdir(), 'headroom-cfn-')), `${stack.stackName}.json`);
  writeFileSync(templateFile, JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
  try {
    // W3005 (DependsOn already implied by a GetAtt) is how aws-cdk-lib orders every function after its role policy.
    execFileSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', 'W3005', '--', templateFile], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { status?: number; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error('cfn-lint was not found on PATH: install it (pip install cfn-lint) to check synthesized templates');
    }
    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    if (((failure.status ?? 2) & 0b110) !== 0) {
      throw new Error(`cfn-lint found problems in ${stack.stackName}:\n${failure.stdout}${failure.stderr}`);
    }
  }
}

/** Synthesizes the app (running cdk-nag), runs cfn-lint on the stack and returns its template for assertions. */
export function checkedTemplate(stack: Stack): Template {
  const app = stack.node.root as App;
  app.synth();
  assertCfnLintClean(stack);
  return Template.fromStack(stack);
}
