import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: object) => Server;

/** A DynamoDB client and a fresh table name, for suites that run against dynalite. */
export interface Dynalite {
  /** The client of the running dynalite; valid inside tests (after `beforeAll`). */
  readonly client: DynamoDBClient;
  /** A table name no other test in the run uses. */
  tableName(prefix: string): string;
}

/**
 * Starts an in-process dynalite on a free port for the calling test file and
 * stops it afterwards. dynalite has no TransactWriteItems, TTL or Streams.
 */
export function useDynalite(): Dynalite {
  let server: Server | undefined;
  let client: DynamoDBClient | undefined;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  return {
    get client() {
      if (!client) throw new Error('dynalite is not started yet: use it inside a test');
      return client;
    },
    tableName: (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`,
  };
}
