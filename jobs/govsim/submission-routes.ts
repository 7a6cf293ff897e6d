import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GovsimState } from './govsim-state.js';
import { judgeRecord, type RecordResult, type SubmittedRecord } from './record-rules.js';
import { hashBody } from './registry-store.js';
import {
  authenticate,
  guardMaintenance,
  maybeDrop,
  sendError,
  throttleAndFault,
} from './sim-guards.js';

const submissionBody = z.object({
  cct: z.string().regex(/^[0-9]{2}[A-Z]{3}[0-9]{4}[A-Z]$/),
  period: z.string().min(1).max(32),
  records: z.array(z.looseObject({ record_id: z.string().min(1).max(64) })).min(1),
});

/** Runs the shared gate of every `/v1` call: maintenance, token, limit, faults. */
export function gate(state: GovsimState, request: FastifyRequest, reply: FastifyReply) {
  if (guardMaintenance(state, reply)) return undefined;
  const clientId = authenticate(state, request, reply);
  if (!clientId) return undefined;

  return throttleAndFault(state, clientId, request, reply) ? clientId : undefined;
}

/** Replays a kept answer or reports a conflict; true when it answered. */
export function answerKnownKey(
  state: GovsimState,
  reply: FastifyReply,
  clientId: string,
  key: string,
  bodyHash: string,
): boolean {
  const kept = state.store.answerFor(clientId, key);
  if (!kept) return false;
  if (kept.bodyHash !== bodyHash) {
    state.stats.conflicts += 1;
    sendError(reply, 409, 'idempotency_conflict', 'this key was used with another body');

    return true;
  }
  state.stats.replays += 1;
  reply.header('idempotent-replayed', 'true').code(kept.status).send(kept.body);

  return true;
}

function applySubmission(state: GovsimState, cct: string, body: z.infer<typeof submissionBody>) {
  const now = new Date(state.clock()).toISOString();
  const submissionId = `sub_${randomUUID()}`;
  const seen = new Set<string>();
  const context = {
    cct,
    period: body.period,
    subjects: state.subjects,
    isPeriodClosed: state.options.closedPeriods.includes(body.period),
    isEnrolled: (curp: string) => state.isEnrolled(curp),
    store: state.store,
  };
  const results: RecordResult[] = body.records.map((record) => {
    const result = judgeRecord(record as SubmittedRecord, context, seen);
    countRecord(state, result);
    if (result.status !== 'rejected') {
      state.store.putGrade(cct, body.period, {
        curp: String(record.curp),
        subject_code: String(record.subject_code),
        grade: result.registered_grade as number,
        status: result.status,
        ...(result.code ? { code: result.code } : {}),
        submission_id: submissionId,
        updated_at: now,
        record_id: record.record_id,
      });
    }

    return result;
  });
  state.stats.submissions_applied += 1;
  const submission = { submission_id: submissionId, received_at: now, results };
  state.store.keepSubmission(submissionId, cct, submission);

  return submission;
}

function countRecord(state: GovsimState, result: RecordResult): void {
  state.stats.records_by_status[result.status] += 1;
  if (result.status !== 'rejected') state.stats.records_applied += 1;
  if (result.code === 'DUPLICATE_RECORD') state.stats.duplicate_records += 1;
}

/** `POST /v1/submissions` and `GET /v1/submissions/{id}`. */
export function registerSubmissionRoutes(app: FastifyInstance, state: GovsimState): void {
  const seenRecords = new Set<string>();

  app.post('/v1/submissions', async (request, reply) => {
    const clientId = gate(state, request, reply);
    if (!clientId) return reply;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      return sendError(reply, 400, 'invalid_request', 'Idempotency-Key is required');
    }
    const bodyHash = hashBody(request.body);
    if (answerKnownKey(state, reply, clientId, key, bodyHash)) return reply;

    const raw = request.body as { records?: unknown[] } | undefined;
    if (Array.isArray(raw?.records) && raw.records.length > 100) {
      return sendError(reply, 413, 'payload_too_large', 'at most 100 records per submission');
    }
    const parsed = submissionBody.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid_request', parsed.error.message);
    if (parsed.data.cct !== clientId) {
      return sendError(reply, 403, 'unauthorized', 'the token is for another school');
    }
    for (const record of parsed.data.records) {
      const recordKey = `${clientId}\u0000${record.record_id}`;
      if (seenRecords.has(recordKey)) state.stats.records_resubmitted += 1;
      seenRecords.add(recordKey);
    }

    const submission = applySubmission(state, clientId, parsed.data);
    state.store.keepAnswer(clientId, key, { bodyHash, status: 201, body: submission });
    if (maybeDrop(state, request, reply)) return reply;

    return reply.code(201).send(submission);
  });

  app.get<{ Params: { submissionId: string } }>(
    '/v1/submissions/:submissionId',
    async (request, reply) => {
      const clientId = gate(state, request, reply);
      if (!clientId) return reply;
      const kept = state.store.submission(request.params.submissionId);
      if (!kept || kept.cct !== clientId)
        return sendError(reply, 404, 'not_found', 'no such submission');

      return kept.body;
    },
  );
}
