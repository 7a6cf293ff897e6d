import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis the demo can use, and how to release it. */
export interface DemoRedis {
  url: string;
  /** True when the demo started a private server that `stop` shuts down. */
  isPrivate: boolean;
  stop(): Promise<void>;
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function startPrivate(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await ping(url)) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within 5 s`);
}

/**
 * Finds Redis for the demo: `LUCA_REDIS_URL` or 127.0.0.1:6379 when it answers;
 * otherwise a private `redis-server` on a free port, stopped afterwards.
 */
export async function acquireRedis(): Promise<DemoRedis> {
  const url = process.env.LUCA_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await ping(url)) return { url, isPrivate: false, stop: async () => undefined };

  if (!hasRedisServer()) {
    throw new Error(
      `Redis is not reachable at ${url} and redis-server is not on the PATH. ` +
        'Install Redis 7 (Debian: apt-get install redis-server) or set LUCA_REDIS_URL.',
    );
  }
  const { url: privateUrl, child } = await startPrivate();

  return {
    url: privateUrl,
    isPrivate: true,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}
