import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isLucaError, Pseudonymizer } from '../../../core/index.js';
import { createEnrichmentHandler, enrichStreamBatch } from '../../../pipelines/cloud/index.js';
import { evaluationItemOf, streamRecordOf } from './stream-factories.js';

const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });

  return { lines, logger: createLogger({ destination, level: 'debug' }) };
}

function mixedBatch() {
  const item = evaluationItemOf();
  const broken = evaluationItemOf({ evaluation_id: 'ev-0002', score: Number.NaN });

  return [
    streamRecordOf('INSERT', { newItem: item }),
    streamRecordOf('INSERT', {
      newItem: { PK: 'T#t-09dpr0001a#STU#x', SK: 'PROFILE', entity: 'student' },
    }),
    streamRecordOf('INSERT', { newItem: { ...broken, score: 'n/a' } }),
  ];
}

describe('enrichStreamBatch', () => {
  it('lands pseudonymised rows with the Hive partition values', () => {
    // Prepare
    const records = [streamRecordOf('INSERT', { newItem: evaluationItemOf() })];

    // Act
    const batch = enrichStreamBatch(records, pseudonymizer);

    // Assess
    const [row] = batch.rows;
    expect(row).toMatchObject({
      tenant_id: 't-09dpr0001a',
      event_date: '2026-10-05',
      student_id: pseudonymizer.pseudonym('t-09dpr0001a', 'stu-000123'),
      actor_id: pseudonymizer.pseudonym('t-09dpr0001a', 'tch-0042'),
      actor_role: 'teacher',
      event_type: 'evaluation.recorded',
    });
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ evaluation_id: 'ev-0001' });
    expect(JSON.stringify(batch.rows)).not.toMatch(/stu-000123|tch-0042/);
  });

  it('counts skipped records and reports unmappable ones by sequence number', () => {
    // Prepare
    const records = mixedBatch();

    // Act
    const batch = enrichStreamBatch(records, pseudonymizer);

    // Assess
    expect(batch.rows).toHaveLength(1);
    expect(batch.skipped).toEqual({ not_an_evaluation: 1, already_voided: 0, unchanged: 0 });
    expect(batch.batchItemFailures).toEqual([
      { itemIdentifier: records[2]?.dynamodb?.SequenceNumber },
    ]);
    expect(batch.failureReasons[0]?.reason).toContain('score');
  });
});

describe('createEnrichmentHandler', () => {
  it('returns the rows and logs a batch summary', async () => {
    // Prepare
    const { lines, logger } = capturedLogger();
    let loads = 0;
    const handler = createEnrichmentHandler({
      logger,
      pseudonymizer: async () => {
        loads += 1;
        return pseudonymizer;
      },
    });
    const records = [streamRecordOf('INSERT', { newItem: evaluationItemOf() })];

    // Act
    const first = await handler(records);
    const second = await handler(records);

    // Assess
    expect(first).toHaveLength(1);
    expect(second[0]?.event_id).toBe(first[0]?.event_id);
    expect(loads).toBe(1);
    expect(lines.at(-1)).toMatchObject({
      msg: 'stream batch enriched',
      records_in: 1,
      rows_out: 1,
      failed: 0,
    });
  });

  it('throws with the failures in the Pipes shape so the batch is retried, then dead-lettered', async () => {
    // Prepare
    const { lines, logger } = capturedLogger();
    const handler = createEnrichmentHandler({ logger, pseudonymizer: async () => pseudonymizer });
    const records = mixedBatch();

    // Act
    const error = await handler(records).catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('CLOUD_ERR_UNMAPPABLE_RECORDS');
    expect(isLucaError(error) && error.details).toEqual({
      batchItemFailures: [{ itemIdentifier: records[2]?.dynamodb?.SequenceNumber }],
    });
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'stream batch unmappable',
      failed: 1,
    });
    expect(JSON.stringify(lines)).not.toMatch(/stu-000123|tch-0042/);
  });

  it('tries to load the key again after a failed load', async () => {
    // Prepare
    const { logger } = capturedLogger();
    let calls = 0;
    const handler = createEnrichmentHandler({
      logger,
      pseudonymizer: async () => {
        calls += 1;
        if (calls === 1) throw new Error('extension not ready');
        return pseudonymizer;
      },
    });
    const records = [streamRecordOf('INSERT', { newItem: evaluationItemOf() })];

    // Act
    const failed = await handler(records).catch((err: unknown) => err);
    const rows = await handler(records);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(rows).toHaveLength(1);
    expect(calls).toBe(2);
  });
});
