import type { TestProject } from 'vitest/node';
import { startLocalAws } from '../../cli/local-aws/moto-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localAwsEndpoint: string;
  }
}

/** One moto server for the whole run; tests keep apart by giving their resources unique names. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const localAws = await startLocalAws();
  project.provide('localAwsEndpoint', localAws.endpoint);
  return () => localAws.stop();
}
