import { inject } from 'vitest';
import { localAwsEnvironment } from '../../cli/local-aws/moto-server.ts';

// Every test worker talks to the run's moto server through the SDK's own environment settings,
// exactly as the deployed handlers read theirs.
Object.assign(process.env, localAwsEnvironment(inject('localAwsEndpoint')));
