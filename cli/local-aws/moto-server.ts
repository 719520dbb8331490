import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto server on a loopback port, standing in for AWS in tests and in the local demo. */
export interface LocalAws {
  /** `http://localhost:PORT`: the CDK CLI's deploy only works against `localhost`, not `127.0.0.1`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const MISSING_MOTO =
  'moto_server was not found on PATH. headroom runs against a local AWS emulator (moto 5.x, Python): ' +
  'install it with `pip install "moto[server]"` or use a machine image that ships it.';

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('could not allocate a loopback port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startLocalAws(options: { timeoutMs?: number } = {}): Promise<LocalAws> {
  const port = await freeLoopbackPort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(MISSING_MOTO) : error));
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://localhost:${port}`;
  try {
    await Promise.race([waitUntilServing(endpoint, child, options.timeoutMs ?? 30_000), spawnError]);
  } catch (error) {
    child.kill('SIGKILL');
    const detail = stderr ? `\nmoto_server said:\n${stderr}` : '';
    throw new Error(`${(error as Error).message}${detail}`);
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/**
 * Environment that points the AWS SDK v3 default credential/endpoint chain at a local AWS.
 * Request compression is off because moto 5.2.1 cannot read gzip-compressed PutMetricData.
 */
export function localAwsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DISABLE_REQUEST_COMPRESSION: 'true',
  };
}
