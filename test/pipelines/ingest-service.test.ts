import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../core/index.js';
import {
  auditRecorded,
  evaluationRecorded,
  type IngestHarness,
  ingestHarness,
  quizAnswered,
  quizBatch,
  claimOrFail,
} from './ingest-fixtures.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

function principal(role: Principal['role'], subject = `${role}-1`): Principal {
  return { tenantId: 't-school-a', role, subject, tokenId: undefined };
}

describe('createIngestService', () => {
  let harness: IngestHarness;

  beforeEach(async () => {
    harness = await ingestHarness({ highWaterMark: 50 });
  });

  afterEach(async () => {
    await harness.close();
  });

  it('stores pseudonyms, never the raw student and actor ids', async () => {
    const event = quizAnswered({ student_id: 'stu-77', actor: { id: 'stu-77', role: 'student' } });

    await harness.ingest.ingestBatch(principal('ingest'), [event], { traceId });
    const [row] = harness.buffer.read(claimOrFail(harness.buffer, 10));

    const pseudonym = harness.pseudonymizer.pseudonym('t-school-a', 'stu-77');
    expect(row).toMatchObject({
      student_id: pseudonym,
      actor_id: pseudonym,
      tenant_id: 't-school-a',
    });
    expect(JSON.stringify(row)).not.toContain('stu-77');
    expect(row?.trace_id).toBe(traceId);
  });

  it('stores occurred_at in UTC milliseconds whatever offset and precision it came with', async () => {
    const at = new Date(Date.now() - 3_600_000);
    const local = new Date(at.getTime() - 6 * 3_600_000).toISOString().replace('Z', '-06:00');
    const events = [
      quizAnswered({ occurred_at: local }),
      quizAnswered({ occurred_at: at.toISOString().replace('Z', '123Z') }),
      quizAnswered({ occurred_at: at.toISOString() }),
    ];

    await harness.ingest.ingestBatch(principal('ingest'), events, { traceId });
    const rows = harness.buffer.read(claimOrFail(harness.buffer, 10));

    expect(rows.map((row) => row.occurred_at)).toEqual([
      at.toISOString(),
      at.toISOString(),
      at.toISOString(),
    ]);
    expect(rows[0]?.event_date).toBe(at.toISOString().slice(0, 10));
    expect(new Set(rows.map((row) => row.received_at)).size).toBe(1);
  });

  it('lets a student post its own events only', async () => {
    const own = quizAnswered({ student_id: 'stu-1', actor: { id: 'stu-1', role: 'student' } });
    const other = quizAnswered({ student_id: 'stu-2', actor: { id: 'stu-2', role: 'student' } });

    const result = await harness.ingest.ingestBatch(principal('student', 'stu-1'), [own, other], {
      traceId,
    });

    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(result.results[1]?.code).toBe('INGEST_ERR_STUDENT_MISMATCH');
  });

  it('lets a service post grade and audit events but not behaviour events', async () => {
    const events = [evaluationRecorded(), auditRecorded(), quizAnswered()];

    const result = await harness.ingest.ingestBatch(principal('service'), events, { traceId });

    expect(result.results.map((r) => r.code ?? r.status)).toEqual([
      'accepted',
      'accepted',
      'INGEST_ERR_EVENT_TYPE_NOT_ALLOWED',
    ]);
  });

  it('refuses roles that do not produce events', async () => {
    const act = harness.ingest.ingestBatch(principal('teacher'), [quizAnswered()], { traceId });

    await expect(act).rejects.toMatchObject({ code: 'INGEST_ERR_ROLE_NOT_ALLOWED', status: 403 });
  });

  it('rejects an event naming another tenant in its body', async () => {
    const event = quizAnswered({ tenant_id: 't-school-b' });

    const result = await harness.ingest.ingestBatch(principal('ingest'), [event], { traceId });

    expect(result.results[0]).toMatchObject({
      status: 'rejected',
      code: 'TENANCY_ERR_CROSS_TENANT',
    });
    expect(harness.buffer.depth()).toBe(0);
  });

  it('accepts a body tenant equal to the token tenant', async () => {
    const event = quizAnswered({ tenant_id: 't-school-a' });

    const result = await harness.ingest.ingestBatch(principal('ingest'), [event], { traceId });

    expect(result.accepted).toBe(1);
  });

  it('reports pressure and refuses batches once the buffer passes its high-water mark', async () => {
    await harness.ingest.ingestBatch(principal('ingest'), quizBatch(60), { traceId });

    const act = harness.ingest.ingestBatch(principal('ingest'), quizBatch(1, 100), { traceId });

    expect(harness.ingest.pressure()).toEqual({ retryAfterSeconds: 1 });
    await expect(act).rejects.toMatchObject({
      code: 'INGEST_ERR_BACKPRESSURE',
      details: { retry_after_seconds: 1 },
    });
  });
});
