import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Principal, registerErasure, repoRoot } from '../../core/index.js';
import {
  auditRecorded,
  capturingLogger,
  claimOrFail,
  evaluationRecorded,
  type IngestHarness,
  ingestHarness,
  quizAnswered,
} from './ingest-fixtures.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const tenantId = 't-school-a';
const ingestPrincipal: Principal = { tenantId, role: 'ingest', subject: 'app', tokenId: undefined };

/** A quiz answer of one student, who is also its actor. */
function quizOf(studentId: string): Record<string, unknown> {
  return quizAnswered({ student_id: studentId, actor: { id: studentId, role: 'student' } });
}

/** Registers an erasure the way `luca erase` does, from a separate Node process. */
function registerFromAnotherProcess(lakeRoot: string, pseudonym: string): void {
  const core = JSON.stringify(join(repoRoot, 'core', 'index.ts'));
  const entry = JSON.stringify({
    student_id: pseudonym,
    erased_at: '2026-12-03T10:00:00.000Z',
    audit_event_id: 'ev-1',
  });
  const script = [
    `const { registerErasure } = await import(${core});`,
    `registerErasure(${JSON.stringify(lakeRoot)}, ${JSON.stringify(tenantId)}, ${entry});`,
  ].join('\n');
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
  });
}

describe('createIngestService with the erasure register', () => {
  let harness: IngestHarness;
  let erasedPseudonym: string;

  function erase(studentId: string): void {
    registerErasure(harness.paths.lake, tenantId, {
      student_id: harness.pseudonymizer.pseudonym(tenantId, studentId),
      erased_at: '2026-12-03T10:00:00.000Z',
      audit_event_id: 'ev-erasure',
    });
  }

  function bufferedText(): string {
    return JSON.stringify(harness.buffer.read(claimOrFail(harness.buffer, 100)));
  }

  beforeEach(async () => {
    harness = await ingestHarness();
    erasedPseudonym = harness.pseudonymizer.pseudonym(tenantId, 'stu-erased');
  });

  afterEach(async () => {
    await harness.close();
  });

  it('rejects the events of an erased student with INGEST_ERR_STUDENT_ERASED and accepts the rest', async () => {
    erase('stu-erased');
    const events = [quizOf('stu-erased'), quizOf('stu-kept')];

    const result = await harness.ingest.ingestBatch(ingestPrincipal, events, { traceId });

    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
    expect(result.results[0]).toMatchObject({
      event_id: events[0]?.event_id,
      status: 'rejected',
      code: 'INGEST_ERR_STUDENT_ERASED',
      message: expect.stringContaining('must not be re-sent'),
    });
    expect(result.results[1]?.status).toBe('accepted');
    expect(harness.buffer.depth()).toBe(1);
    const buffered = bufferedText();
    expect(buffered).not.toContain(erasedPseudonym);
    expect(buffered).not.toContain(String(events[0]?.event_id));
  });

  it("refuses a grade event about an erased student and lets the student's audit events in", async () => {
    erase('stu-erased');
    const service: Principal = { ...ingestPrincipal, role: 'service' };
    const events = [
      evaluationRecorded({ student_id: 'stu-erased' }),
      auditRecorded({ student_id: 'stu-erased' }),
    ];

    const result = await harness.ingest.ingestBatch(service, events, { traceId });

    expect(result.results.map((r) => r.code ?? r.status)).toEqual([
      'INGEST_ERR_STUDENT_ERASED',
      'accepted',
    ]);
  });

  it('refuses an event whose actor is the erased student', async () => {
    erase('stu-erased');
    const event = quizAnswered({
      student_id: 'stu-kept',
      actor: { id: 'stu-erased', role: 'student' },
    });

    const result = await harness.ingest.ingestBatch(ingestPrincipal, [event], { traceId });

    expect(result.results[0]?.code).toBe('INGEST_ERR_STUDENT_ERASED');
    expect(harness.buffer.depth()).toBe(0);
  });

  it('sees a register written by another process on the next batch', async () => {
    const before = await harness.ingest.ingestBatch(ingestPrincipal, [quizOf('stu-erased')], {
      traceId,
    });

    registerFromAnotherProcess(harness.paths.lake, erasedPseudonym);
    const after = await harness.ingest.ingestBatch(ingestPrincipal, [quizOf('stu-erased')], {
      traceId,
    });

    expect(before.accepted).toBe(1);
    expect(after.results[0]?.code).toBe('INGEST_ERR_STUDENT_ERASED');
  });

  it('answers 400 INGEST_ERR_ALL_REJECTED over HTTP when every event is of an erased student', async () => {
    erase('stu-erased');
    const token = await harness.token('ingest');

    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: { events: [quizOf('stu-erased')] },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'INGEST_ERR_ALL_REJECTED',
      results: [{ status: 'rejected', code: 'INGEST_ERR_STUDENT_ERASED' }],
    });
  });
});

describe('createIngestService log line', () => {
  it('counts the events refused for an erasure in batch ingested', async () => {
    const { logger, lines } = capturingLogger();
    const harness = await ingestHarness({ logger });
    registerErasure(harness.paths.lake, tenantId, {
      student_id: harness.pseudonymizer.pseudonym(tenantId, 'stu-erased'),
      erased_at: '2026-12-03T10:00:00.000Z',
      audit_event_id: 'ev-erasure',
    });

    await harness.ingest.ingestBatch(ingestPrincipal, [quizOf('stu-erased'), quizOf('stu-kept')], {
      traceId,
    });
    await harness.close();

    const entry = lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((each) => each.msg === 'batch ingested');
    expect(entry).toMatchObject({ accepted: 1, rejected: 1, erased_refused: 1 });
  });
});
