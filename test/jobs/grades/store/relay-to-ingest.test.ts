import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, Pseudonymizer } from '../../../../core/index.js';
import {
  importEvaluationsFile,
  OutboxRelay,
  SqliteGradesStore,
} from '../../../../jobs/grades/store/index.js';
import { createIngestService, SqliteLandingBuffer } from '../../../../pipelines/index.js';
import { importLine, rosterRecords, teacher, tenantA, testClock } from './factories.js';

async function storeFromFile(dir: string, file: string) {
  const store = SqliteGradesStore.open({ file: join(dir, 'grades.db'), clock: testClock() });
  await store.putRoster(rosterRecords());
  await importEvaluationsFile(store, file);

  return store;
}

describe('OutboxRelay into the ingest service', () => {
  it('lands every kind of event once, even from a rebuilt store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luca-relay-ingest-'));
    const file = join(dir, 'evaluations.jsonl');
    writeFileSync(
      file,
      `${[1, 2, 3].map((n) => JSON.stringify(importLine(n).value)).join('\n')}\n`,
    );
    const buffer = new SqliteLandingBuffer({ dir: join(dir, 'buffer') });
    const ingest = createIngestService({
      buffer,
      pseudonymizer: new Pseudonymizer(Buffer.alloc(32, 3)),
      logger: createLogger({ level: 'silent' }),
    });
    const sink = ingest.ingestBatch.bind(ingest);
    const store = await storeFromFile(join(dir, 'first'), file);
    const clock = testClock('2026-12-10');
    const late = SqliteGradesStore.open({ file: join(dir, 'first', 'grades.db'), clock });
    await late.correctEvaluation(
      {
        tenant_id: tenantA,
        evaluation_id: 'ev-i1',
        score: 9,
        reason_code: 'regrade',
        reason: 'acta',
      },
      teacher,
    );
    await late.close();

    const first = await new OutboxRelay({ outbox: store.outbox, sink }).drain();
    const rebuilt = await storeFromFile(join(dir, 'second'), file);
    const second = await new OutboxRelay({ outbox: rebuilt.outbox, sink }).drain();

    expect(first).toMatchObject({ sent: 5, accepted: 5, rejected: [], pending_left: 0 });
    expect(second).toMatchObject({ sent: 3, accepted: 0, duplicate: 3 });
    expect(buffer.depth()).toBe(5);
    await store.close();
    await rebuilt.close();
    buffer.close();
  });
});
