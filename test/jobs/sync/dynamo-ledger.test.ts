import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { DynamoSyncLedger, ensureSyncLedgerTable, runSync } from '../../../jobs/sync/index.js';
import { describeSyncLedger } from './ledger-suite.js';
import { fastTuning, syncScenario } from './sync-harness.js';
import { useDynalite } from '../../support/dynalite.js';

const dynamo = useDynalite();

async function openDynamoLedger() {
  const tableName = dynamo.tableName('sync-ledger');
  await ensureSyncLedgerTable(dynamo.client, tableName);

  return new DynamoSyncLedger({ client: dynamo.client, tableName });
}

describeSyncLedger('dynamodb', openDynamoLedger);

describe('runSync with the DynamoDB ledger', () => {
  it('sends a cutoff under faults and records every record once', async () => {
    // Prepare
    const scenario = await syncScenario([{ cct: '09DPR0001A', students: 600 }], {
      faults: { error5xxRate: 0.2, dropAfterProcessRate: 0.5 },
    });
    const ledger = await openDynamoLedger();

    // Act
    await runSync({
      lakeRoot: scenario.paths.lake,
      cutoffIds: scenario.cutoffIds,
      registryUrl: scenario.govsim.url,
      credentials: scenario.credentials,
      ledger,
      tuning: fastTuning,
      logger: createLogger({ level: 'silent' }),
    });

    // Assess
    const id = scenario.cutoffIds[0] as string;
    expect(await ledger.results(id)).toHaveLength(1200);
    expect((await ledger.batches(id)).every((b) => b.state === 'succeeded')).toBe(true);
    const stats = scenario.govsim.stats();
    expect(stats.faults.drop).toBeGreaterThan(0);
    expect((await ledger.attempts(id)).filter((a) => a.is_replayed)).toHaveLength(stats.replays);
    expect(scenario.govsim.stats()).toMatchObject({
      conflicts: 0,
      records_resubmitted: 0,
      records_applied: 1200,
    });
    await scenario.close();
  });
});
