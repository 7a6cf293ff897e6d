import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../core/index.js';
import { bundleEnrichment } from '../../infra/index.js';
import { evaluationItemOf, streamRecordOf } from '../pipelines/cloud/stream-factories.js';

const keyHex = '0f'.repeat(32);
const outDir = mkdtempSync(join(tmpdir(), 'luca-bundle-test-'));
let extension: Server;
const seenTokens: (string | undefined)[] = [];

beforeAll(async () => {
  // Stands in for the Parameters and Secrets extension on its local port.
  extension = createServer((request, response) => {
    seenTokens.push(request.headers['x-aws-parameters-secrets-token'] as string | undefined);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ SecretString: keyHex }));
  });
  await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve));
});

afterAll(() => {
  extension.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe('bundleEnrichment', () => {
  it('builds a self-contained handler that enriches a stream batch with the secret key', async () => {
    // Prepare
    const { outFile } = bundleEnrichment(outDir);
    process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(
      (extension.address() as AddressInfo).port,
    );
    process.env.LUCA_PSEUDONYM_SECRET_ID = 'luca/test';
    process.env.AWS_SESSION_TOKEN = 'session-token';
    process.env.LUCA_LOG_LEVEL = 'silent';
    const records = [streamRecordOf('INSERT', { newItem: evaluationItemOf() })];

    // Act
    const bundle = (await import(pathToFileURL(outFile).href)) as {
      handler: (records: unknown[]) => Promise<Record<string, unknown>[]>;
    };
    const rows = await bundle.handler(records);

    // Assess
    const expected = new Pseudonymizer(Buffer.from(keyHex, 'hex'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.student_id).toBe(expected.pseudonym('t-09dpr0001a', 'stu-000123'));
    expect(seenTokens).toEqual(['session-token']);
    expect(statSync(outFile).size).toBeLessThan(2 * 1024 * 1024);
  });
});
