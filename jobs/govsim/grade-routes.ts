import type { FastifyInstance } from 'fastify';
import type { GovsimState } from './govsim-state.js';
import { gradeResult, isContractGrade } from './record-rules.js';
import { hashBody } from './registry-store.js';
import { maybeDrop, sendError } from './sim-guards.js';
import { answerKnownKey, gate } from './submission-routes.js';

interface ListParams {
  cct: string;
  period: string;
}
interface AmendParams extends ListParams {
  curp: string;
  subject_code: string;
}

function cursorKey(cursor: string | undefined): string | undefined {
  return cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
}

/** The listing (`GET .../grades`) and the amendment (`PUT .../grades/{curp}/{subject}`). */
export function registerGradeRoutes(app: FastifyInstance, state: GovsimState): void {
  app.get<{ Params: ListParams; Querystring: { cursor?: string; limit?: string } }>(
    '/v1/schools/:cct/periods/:period/grades',
    async (request, reply) => {
      const clientId = gate(state, request, reply);
      if (!clientId) return reply;
      const { cct, period } = request.params;
      if (cct !== clientId)
        return sendError(reply, 403, 'unauthorized', 'the token is for another school');
      const limit = request.query.limit === undefined ? 500 : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        return sendError(reply, 400, 'invalid_request', 'limit is 1 to 1000');
      }

      const page = state.store.listGrades(cct, period, cursorKey(request.query.cursor), limit);
      const items = page.items.map(({ record_id: _recordId, ...item }) => item);
      const nextCursor = page.lastKey ? Buffer.from(page.lastKey).toString('base64url') : null;

      return { items, next_cursor: nextCursor };
    },
  );

  app.put<{ Params: AmendParams; Body: { grade?: unknown; reason?: unknown } }>(
    '/v1/schools/:cct/periods/:period/grades/:curp/:subject_code',
    async (request, reply) => {
      const clientId = gate(state, request, reply);
      if (!clientId) return reply;
      const { cct, period, curp, subject_code: subject } = request.params;
      if (cct !== clientId)
        return sendError(reply, 403, 'unauthorized', 'the token is for another school');
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
        return sendError(reply, 400, 'invalid_request', 'Idempotency-Key is required');
      }
      const bodyHash = hashBody({ path: request.url, body: request.body });
      if (answerKnownKey(state, reply, clientId, `PUT ${key}`, bodyHash)) return reply;
      const current = state.store.findGrade(cct, period, curp, subject);
      if (!current) return sendError(reply, 404, 'not_found', 'nothing registered to amend');

      const grade = request.body?.grade;
      const result = isContractGrade(grade)
        ? gradeResult(current.record_id, grade)
        : { record_id: current.record_id, status: 'rejected' as const, code: 'GRADE_OUT_OF_RANGE' };
      if (result.status !== 'rejected') {
        state.store.putGrade(cct, period, {
          ...current,
          grade: result.registered_grade as number,
          status: result.status,
          ...(result.code ? { code: result.code } : { code: undefined }),
          updated_at: new Date(state.clock()).toISOString(),
        });
        state.stats.amendments_applied += 1;
      }
      state.store.keepAnswer(clientId, `PUT ${key}`, { bodyHash, status: 200, body: result });
      if (maybeDrop(state, request, reply)) return reply;

      return result;
    },
  );
}
