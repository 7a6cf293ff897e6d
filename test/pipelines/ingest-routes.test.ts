import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimOrFail,
  type IngestHarness,
  ingestHarness,
  quizAnswered,
  quizBatch,
} from './ingest-fixtures.js';

describe('POST /v1/events', () => {
  let harness: IngestHarness;

  beforeEach(async () => {
    harness = await ingestHarness({ highWaterMark: 600 });
  });

  afterEach(async () => {
    await harness.close();
  });

  async function post(events: unknown, headers: Record<string, string> = {}) {
    return harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${await harness.token('ingest')}`, ...headers },
      payload: { events },
    });
  }

  it('answers 202 with per-event results once the batch is durable', async () => {
    const events = [...quizBatch(2), { event_id: 'nope' }];

    const response = await post(events);

    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      accepted: 2,
      duplicates: 0,
      rejected: 1,
      results: [
        { index: 0, status: 'accepted', event_id: events[0]?.event_id },
        { index: 1, status: 'accepted' },
        { index: 2, status: 'rejected', code: 'CONTRACT_ERR_INVALID_EVENT' },
      ],
    });
    expect(harness.buffer.depth()).toBe(2);
  });

  it('is idempotent by event id: a retried batch answers 202 with duplicates', async () => {
    const events = quizBatch(3);
    await post(events);

    const retry = await post(events);

    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(harness.buffer.depth()).toBe(3);
  });

  it('uses the trace id of a W3C traceparent header', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';

    const response = await post(quizBatch(1), {
      traceparent: `00-${traceId}-b7ad6b7169203331-01`,
    });
    const [row] = harness.buffer.read(claimOrFail(harness.buffer, 5));

    expect(response.json().trace_id).toBe(traceId);
    expect(response.headers['x-trace-id']).toBe(traceId);
    expect(row?.trace_id).toBe(traceId);
  });

  it('answers 429 with Retry-After beyond the high-water mark and writes nothing', async () => {
    await post(quizBatch(500));
    await post(quizBatch(200, 500));
    const depth = harness.buffer.depth();

    const response = await post(quizBatch(1, 900));

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('INGEST_ERR_BACKPRESSURE');
    expect(harness.buffer.depth()).toBe(depth);
  });

  it('accepts a student token for that student events', async () => {
    const token = await harness.token('student', 'stu-9');
    const event = quizAnswered({ student_id: 'stu-9', actor: { id: 'stu-9', role: 'student' } });

    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: { events: [event] },
    });

    expect(response.statusCode).toBe(202);
  });
});
