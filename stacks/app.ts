// The CDK app that cdk.json runs: headroom's reference stacks. Needs no AWS account or credentials to synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReferenceStack } from './reference-app/reference-stack.ts';
import { ReferenceWebStack } from './reference-app/reference-web-stack.ts';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new ReferenceStack(app, 'HeadroomReference', { description: 'headroom reference app: queue workers scaled on backlog per task' });
new ReferenceWebStack(app, 'HeadroomReferenceWeb', {
  description: 'headroom reference app: a web service scaled on requests within its latency SLO',
});
app.synth();
