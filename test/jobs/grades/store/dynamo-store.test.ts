import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoGradesStore, ensureGradesTable } from '../../../../jobs/grades/store/index.js';
import { describeGradesStore } from './store-suite.js';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: object) => import('node:net').Server;

let server: import('node:net').Server;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describeGradesStore('dynamodb', async (clock) => {
  const tableName = `grades-${Math.random().toString(36).slice(2, 10)}`;
  await ensureGradesTable(client, tableName);

  return new DynamoGradesStore({ client, tableName, clock });
});
