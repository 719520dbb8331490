import { inject } from 'vitest';
import { localAwsEnvironment } from '../../cli/local-aws/moto-server.ts';

// Every test worker talks to the run's moto server through the SDK's own environment settings,
// exactly as the deployed handlers read theirs. The SDK's notice about Node 20 is for users, not test output.
Object.assign(process.env, localAwsEnvironment(inject('localAwsEndpoint')), { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
