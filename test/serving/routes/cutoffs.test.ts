import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createTokenVerifier,
  mintToken,
  type Role,
  TokenKeys,
} from '../../../core/index.js';
import { buildApp } from '../../../serving/app.js';
import { type SyncScenario, syncScenario } from '../../jobs/sync/sync-harness.js';

describe('GET /v1/cutoffs/{id}/status', () => {
  let scenario: SyncScenario;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let keys: TokenKeys;
  const token = (tenantId: string, role: Role) =>
    mintToken(keys, { tenantId, role, subject: 'u-1', ttlSeconds: 600 });

  beforeAll(async () => {
    scenario = await syncScenario([{ cct: '09DPR0001A', students: 30 }]);
    await scenario.run();
    keys = await TokenKeys.load(scenario.paths.secrets);
    app = await buildApp({
      logger: createLogger({ level: 'silent' }),
      verifyToken: createTokenVerifier(keys),
      syncLedger: scenario.ledger,
    });
  });
  afterAll(async () => {
    await app.close();
    await scenario.close();
  });

  it('returns counts by state, the rate and the projection for the school admin', async () => {
    // Act
    const res = await app.inject({
      url: `/v1/cutoffs/${scenario.cutoffIds[0]}/status`,
      headers: { authorization: `Bearer ${await token('t-09dpr0001a', 'school_admin')}` },
    });

    // Assess
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ state: 'synced', is_on_track: true, warning: null });
    expect(body.records).toMatchObject({ total: 60, pending: 0 });
    expect(body.records.accepted + body.records.corrected).toBe(60);
    expect(body.rate_records_per_second).toBeGreaterThan(0);
  });

  it('refuses another school with a problem document', async () => {
    // Act
    const res = await app.inject({
      url: `/v1/cutoffs/${scenario.cutoffIds[0]}/status`,
      headers: { authorization: `Bearer ${await token('t-09dpr0002b', 'school_admin')}` },
    });

    // Assess
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('TENANCY_ERR_CROSS_TENANT');
  });

  it('answers 404 with a stable code for an id that is not a cutoff id', async () => {
    // Act
    const res = await app.inject({
      url: '/v1/cutoffs/nope/status',
      headers: { authorization: `Bearer ${await token('t-09dpr0001a', 'platform_operator')}` },
    });

    // Assess
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('SYNC_ERR_CUTOFF_NOT_FOUND');
  });
});
