/** JSON schemas of the session routes; the OpenAPI document is generated from them. */

/** The platform's raw student id: 1-64 of A-Z a-z 0-9 _ . : - (no slashes, no dots first). */
export const studentIdSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$',
  maxLength: 64,
} as const;

const freshnessPart = {
  type: 'object',
  properties: {
    as_of: { type: ['string', 'null'] },
    age_seconds: { type: ['number', 'null'] },
    status: { type: 'string', enum: ['fresh', 'stale', 'absent'] },
  },
} as const;

const realtimeSchema = {
  type: ['object', 'null'],
  properties: {
    last_activity_at: { type: ['string', 'null'] },
    today_events: { type: 'number' },
    today_minutes: { type: 'number' },
    streak_days: { type: 'number' },
    updated_at: { type: ['string', 'null'] },
  },
} as const;

export const sessionBodySchema = {
  type: 'object',
  required: ['student_id', 'snapshot_version', 'profile', 'grades', 'freshness'],
  properties: {
    student_id: { type: 'string' },
    snapshot_version: { type: 'string' },
    published_at: { type: ['string', 'null'] },
    profile: {
      type: 'object',
      description: 'Batch features, mastery and disengagement, merged with real-time signals.',
      additionalProperties: true,
      properties: { realtime: realtimeSchema },
    },
    grades: {
      type: ['object', 'null'],
      description: 'Current-period consolidated grades, each with its explanation.',
      additionalProperties: true,
    },
    freshness: {
      type: 'object',
      properties: { profile: freshnessPart, grades: freshnessPart, realtime: freshnessPart },
    },
  },
} as const;

export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem document with a stable `code`.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'number' },
    code: { type: 'string' },
    detail: { type: 'string' },
    trace_id: { type: 'string' },
  },
  additionalProperties: true,
} as const;

const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  429: problemSchema,
  503: problemSchema,
} as const;

export const getSessionSchema = {
  summary: "One student's session: profile, real-time signals and grades",
  tags: ['sessions'],
  params: {
    type: 'object',
    required: ['studentId'],
    properties: { studentId: studentIdSchema },
  },
  response: { 200: sessionBodySchema, ...errorResponses },
} as const;

export const maxBatchStudents = 50;

export const batchSessionSchema = {
  summary: 'Sessions of up to 50 students (a class list), per-student results',
  tags: ['sessions'],
  body: {
    type: 'object',
    required: ['student_ids'],
    additionalProperties: false,
    properties: {
      student_ids: {
        type: 'array',
        minItems: 1,
        maxItems: maxBatchStudents,
        uniqueItems: true,
        items: studentIdSchema,
      },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            required: ['student_id', 'status'],
            properties: {
              student_id: { type: 'string' },
              status: { type: 'number' },
              session: sessionBodySchema,
              error: {
                type: 'object',
                properties: { code: { type: 'string' }, title: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
