import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { coreErrors, type Principal } from '../../core/index.js';
import {
  type ChangeContext,
  type ChangeResult,
  type EvaluationItem,
  type GradesStore,
  gradesStoreErrors,
} from '../../jobs/grades/store/index.js';
import { requirePrincipal, requireRole } from '../http/index.js';

/** What the evaluation routes need from the app. */
export interface EvaluationRouteOptions {
  store: GradesStore;
}

type Body = Record<string, unknown>;

const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{8,128}$/;
const writers = requireRole('teacher', 'school_admin');

function bodyOf(request: FastifyRequest): Body {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw gradesStoreErrors.create('EVAL_ERR_INVALID_INPUT', 'Send a JSON object.');
  }

  return body as Body;
}

/** The body with the caller's tenant: a body naming another tenant is refused. */
function withTenant(principal: Principal, body: Body): Body {
  if (body.tenant_id !== undefined && body.tenant_id !== principal.tenantId) {
    throw coreErrors.create('TENANCY_ERR_CROSS_TENANT', 'tenant_id comes from your token.');
  }

  return { ...body, tenant_id: principal.tenantId };
}

function contextOf(request: FastifyRequest, principal: Principal): ChangeContext {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !idempotencyKeyPattern.test(key))) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_INVALID_INPUT',
      'Idempotency-Key is 8-128 of A-Z a-z 0-9 _ . : -',
    );
  }

  return {
    actor: { id: principal.subject, role: principal.role },
    traceId: request.id,
    idempotencyKey: key,
  };
}

/** `If-Match: "3"` (or a `version` field) as the version the caller expects. */
function expectedVersion(request: FastifyRequest, body: Body): number | undefined {
  const header = request.headers['if-match'];
  const fromHeader =
    typeof header === 'string' ? header.replace(/^W\//, '').replaceAll('"', '') : undefined;
  const values = [fromHeader, body.version].filter((v) => v !== undefined).map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1) || new Set(values).size > 1) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_INVALID_INPUT',
      'If-Match and version must be the same positive integer version.',
    );
  }

  return values[0];
}

/** A teacher may change evaluations of the groups they teach; a school admin, any. */
async function checkGroup(store: GradesStore, principal: Principal, groupIds: string[]) {
  if (principal.role !== 'teacher') return;
  const taught = await store.groupsOfTeacher(principal.tenantId, principal.subject);
  if (!groupIds.some((group) => taught.includes(group))) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_FORBIDDEN_GROUP',
      'You do not teach this student group; ask a school admin.',
    );
  }
}

async function existing(store: GradesStore, principal: Principal, id: string) {
  const item = await store.getEvaluation(principal.tenantId, id);
  if (!item) throw gradesStoreErrors.create('EVAL_ERR_NOT_FOUND', `No evaluation ${id} here.`);
  const current = await store.groupOfStudent(principal.tenantId, item.student_id);
  await checkGroup(store, principal, [item.group_id, ...(current ? [current] : [])]);

  return item;
}

/** The evaluation as the API shows it; `GET` adds the history. */
function view(item: EvaluationItem, withHistory = false) {
  const { history, ...current } = item;

  return withHistory ? { ...current, history } : { ...current, change_count: history.length };
}

function answer(reply: FastifyReply, result: ChangeResult, status: number) {
  reply.header('etag', `"${result.evaluation.version}"`);
  if (result.replayed) reply.header('idempotent-replayed', 'true');

  return reply.code(status).send({ evaluation: view(result.evaluation) });
}

function withoutVersion(body: Body): Body {
  const { version: _version, ...rest } = body;

  return rest;
}

/**
 * Evaluation lifecycle: `POST /v1/evaluations` (201), `POST
 * /v1/evaluations/:id/corrections`, `DELETE /v1/evaluations/:id` and `GET
 * /v1/evaluations/:id`. Teachers of the student's group and school admins;
 * the tenant comes from the token, so another tenant's student is a 404.
 */
export const evaluationRoutes: FastifyPluginAsync<EvaluationRouteOptions> = async (
  app,
  options,
) => {
  const { store } = options;

  app.post('/v1/evaluations', { preHandler: writers }, async (request, reply) => {
    const principal = requirePrincipal(request);
    const body = withTenant(principal, bodyOf(request));
    if (body.recorded_at !== undefined) {
      throw gradesStoreErrors.create('EVAL_ERR_INVALID_INPUT', 'recorded_at is set by the server.');
    }
    const group = await store.groupOfStudent(principal.tenantId, String(body.student_id));
    if (!group) {
      throw gradesStoreErrors.create(
        'EVAL_ERR_STUDENT_NOT_FOUND',
        'No such student in your school.',
      );
    }
    await checkGroup(store, principal, [group]);
    const result = await store.recordEvaluation(body as never, contextOf(request, principal));

    return answer(reply, result, 201);
  });

  app.post<{ Params: { id: string } }>(
    '/v1/evaluations/:id/corrections',
    { preHandler: writers },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const body = withTenant(principal, bodyOf(request));
      await existing(store, principal, request.params.id);
      const input = {
        ...withoutVersion(body),
        evaluation_id: request.params.id,
        expected_version: expectedVersion(request, body),
      };
      const result = await store.correctEvaluation(input as never, contextOf(request, principal));

      return answer(reply, result, 200);
    },
  );

  app.delete<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    '/v1/evaluations/:id',
    { preHandler: writers },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const body = withTenant(principal, bodyOf(request));
      await existing(store, principal, request.params.id);
      const input = {
        tenant_id: principal.tenantId,
        evaluation_id: request.params.id,
        reason_code: body.reason_code ?? request.query.reason_code ?? 'other',
        reason: body.reason ?? request.query.reason,
        expected_version: expectedVersion(request, body),
      };
      const result = await store.voidEvaluation(input as never, contextOf(request, principal));

      return answer(reply, result, 200);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/evaluations/:id',
    { preHandler: writers },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const item = await existing(store, principal, request.params.id);
      reply.header('etag', `"${item.version}"`);

      return { evaluation: view(item, true) };
    },
  );
};
