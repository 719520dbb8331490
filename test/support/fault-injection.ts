import {
  ApplicationAutoScalingServiceException,
  ConcurrentUpdateException,
  LimitExceededException,
  ObjectNotFoundException,
} from '@aws-sdk/client-application-auto-scaling';

export type FaultKind = 'throttling' | 'server-error' | 'timeout' | 'limit-exceeded' | 'concurrent-update' | 'target-not-found';

/** The errors AWS answers with, built from the SDK's own exception classes so its retry strategy classifies them. */
export function awsFault(kind: FaultKind): Error {
  const $metadata = { httpStatusCode: 400 };
  switch (kind) {
    case 'throttling':
      return new ApplicationAutoScalingServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata, message: 'Rate exceeded' });
    case 'server-error':
      return new ApplicationAutoScalingServiceException({
        name: 'InternalServiceException',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'Internal failure',
      });
    case 'timeout':
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
    case 'limit-exceeded':
      return new LimitExceededException({ $metadata, message: 'You have reached the maximum number of scheduled actions' });
    case 'concurrent-update':
      return new ConcurrentUpdateException({ $metadata, message: 'Concurrent update to the scalable target' });
    case 'target-not-found':
      return new ObjectNotFoundException({ $metadata, message: 'No scalable target registered' });
  }
}

export interface InjectedFault {
  /** Calls of the command for the resource that passed the fault point (each retry attempt counts). */
  readonly attempts: () => number;
  /** Faults actually thrown. */
  readonly injected: () => number;
}

/**
 * Makes `times` attempts of one command (any command when `command` is '*'; optionally only for one resource),
 * after the first `skip` of them, fail with `kind`. The middleware sits after the SDK's retry middleware, so every
 * attempt the SDK retries passes through it: real retries run.
 */
export function injectFault(
  // biome-ignore lint/suspicious/noExplicitAny: any SDK v3 client's middleware stack
  client: { middlewareStack: { addRelativeTo(middleware: any, options: any): void } },
  options: { command: string; kind: FaultKind; times: number; resourceId?: string; skip?: number },
): InjectedFault {
  let attempts = 0;
  let injected = 0;
  const matches = (input: { ResourceId?: string; ResourceIds?: string[] }) =>
    options.resourceId === undefined || input.ResourceId === options.resourceId || input.ResourceIds?.includes(options.resourceId) === true;
  client.middlewareStack.addRelativeTo(
    // biome-ignore lint/suspicious/noExplicitAny: the middleware passes every command's arguments and output through
    (next: (args: any) => Promise<any>, context: { commandName?: string }) =>
      async (args: { input: { ResourceId?: string; ResourceIds?: string[] } }) => {
        if ((options.command === '*' || context.commandName === options.command) && matches(args.input)) {
          attempts++;
          if (attempts > (options.skip ?? 0) && injected < options.times) {
            injected++;
            throw awsFault(options.kind);
          }
        }
        return next(args);
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: `fault-${options.command}-${options.kind}-${Math.random()}` },
  );
  return { attempts: () => attempts, injected: () => injected };
}
