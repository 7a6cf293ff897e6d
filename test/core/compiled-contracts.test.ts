import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptCompiled,
  compiledContract,
  contractJsonSchemas,
  eventCatalogue,
  validateEvent,
  validateWithZod,
} from '../../core/index.js';

type Schema = {
  type?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  maxItems?: number;
};

const now = new Date('2026-10-05T15:00:00.000Z');
const context = { tenantId: 't-demo', traceId: 'a'.repeat(32), now };

const validIds = ['a', 'quiz-12', 'stu_0001.x:y', `A${'b'.repeat(63)}`];
const invalidIds = ['', '-a', 'Ana López', `A${'b'.repeat(64)}`, 'a b', '😀', 'a\n'];
const oddValues = [null, true, 0, -1, 1.5, '', [], {}, 'x'];

/** Mostly a valid value, sometimes a near miss, rarely anything at all. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const odd = fc.oneof(fc.constantFrom(...oddValues), fc.jsonValue({ maxDepth: 2 }));

  return fc.oneof(
    { weight: 40, arbitrary: valid },
    { weight: 2, arbitrary: invalid },
    { weight: 1, arbitrary: odd },
  );
}

/** Values around a number schema's bounds: inside, and just outside. */
function numberOf(schema: Schema): fc.Arbitrary<unknown> {
  const low = schema.minimum ?? schema.exclusiveMinimum ?? -1000;
  const high = schema.maximum ?? 1_000_000;
  const isInteger = schema.type === 'integer';
  const edges = [low, high, low + 1, high - 1].filter(
    (value) => value !== schema.exclusiveMinimum && (!isInteger || Number.isInteger(value)),
  );
  const inside = isInteger
    ? fc.integer({ min: Math.max(low, -(2 ** 31)), max: Math.min(high, 2 ** 31) })
    : fc.double({
        min: low,
        max: high,
        noNaN: true,
        minExcluded: schema.exclusiveMinimum !== undefined,
      });
  const outside = [low - 1, high + 1, high + 0.5, 1.5, 2 ** 53, schema.exclusiveMinimum ?? -0.5];

  return mostly(fc.oneof(inside, fc.constantFrom(...edges)), fc.constantFrom(...outside));
}

/** Near-valid values of one JSON Schema property. */
function valueOf(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return mostly(fc.constantFrom(...schema.enum), fc.constantFrom('bogus', 'WEB'));
  if (schema.type === 'boolean') return mostly(fc.boolean(), fc.constantFrom('true', 1));
  if (schema.type === 'number' || schema.type === 'integer') return numberOf(schema);
  if (schema.type === 'array' && schema.items) {
    const max = schema.maxItems ?? 5;
    return mostly(
      fc.array(valueOf(schema.items), { maxLength: 3 }),
      fc.array(fc.constant('a'), { minLength: max + 1, maxLength: max + 1 }),
    );
  }
  if (schema.pattern?.includes('A-Z0-9_]{2,16}')) {
    return mostly(fc.constantFrom('MAT', 'ESP_1'), fc.constantFrom('m', 'ABCDEFGHIJKLMNOPQ'));
  }
  if (schema.pattern?.includes('/P')) {
    return mostly(fc.constant('2026-2027/P1'), fc.constantFrom('2026-2027/P0', '2026/P1'));
  }

  return mostly(fc.constantFrom(...validIds), fc.constantFrom(...invalidIds));
}

/** A payload from a JSON Schema: each property kept (mostly), dropped or bent; sometimes extra. */
function payloadOf(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const isRequired = schema.required?.includes(key) ?? false;
    const value = valueOf(property);
    const present = isRequired ? value : fc.oneof(value, fc.constant(undefined));

    return fc.tuple(
      fc.constant(key),
      fc.oneof({ weight: 12, arbitrary: present }, fc.constant(undefined)),
    );
  });

  return fc
    .tuple(
      fc.tuple(...entries),
      fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, fc.constantFrom('extra', 'note')),
    )
    .map(([pairs, extra]) => {
      const payload: Record<string, unknown> = {};
      for (const [key, value] of pairs) if (value !== undefined) payload[key] = value;
      if (extra) payload[extra] = 'x';

      return payload;
    });
}

const validInstants = [
  '2026-10-05T14:00:00.000Z',
  '2026-10-05T14:00:00Z',
  '2026-10-05T08:00:00.123456-06:00',
  '2026-06-01T00:00:00.000+00:00',
];

const invalidInstants = [
  '2026-10-05T14:00:00',
  '2026-02-29T10:00:00.000Z',
  '2026-10-05T15:10:00.000Z',
  '2024-02-29T10:00:00.000Z',
  '2024-10-29T10:00:00.000Z',
  '2026-13-01T10:00:00.000Z',
];

function envelopeOf(type: string, version: number) {
  const actor = fc.record({
    id: mostly(fc.constantFrom(...validIds), fc.constantFrom(...invalidIds)),
    role: mostly(fc.constantFrom('student', 'teacher', 'ingest'), fc.constant('boss')),
  });

  return fc.record({
    event_id: mostly(
      fc.constant('019a2b3c-4d5e-7f60-8a1b-2c3d4e5f6a7b'),
      fc.constantFrom(
        '019A2B3C-4D5E-7F60-8A1B-2C3D4E5F6A7B',
        '019a2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b',
      ),
    ),
    tenant_id: mostly(fc.constant('t-demo'), fc.constantFrom('T-DEMO', 'x')),
    event_type: mostly(fc.constant(type), fc.constantFrom('quiz.cheated', '', 'x'.repeat(65))),
    schema_version: mostly(fc.constant(version), fc.constantFrom(version + 1, 0, 1.5, '1')),
    occurred_at: mostly(fc.constantFrom(...validInstants), fc.constantFrom(...invalidInstants)),
    received_at: mostly(fc.constantFrom(...validInstants), fc.constantFrom(...invalidInstants)),
    actor: mostly(actor, fc.constant({ id: 'stu-1', role: 'student', name: 'Ana' })),
    student_id: mostly(fc.constantFrom(...validIds), fc.constantFrom(...invalidIds)),
    trace_id: mostly(fc.constant('b'.repeat(32)), fc.constantFrom('0'.repeat(32), 'B'.repeat(32))),
  });
}

/** Envelope fields a producer may leave out (and some it may not). */
const omissible = ['tenant_id', 'received_at', 'student_id', 'trace_id', 'event_id', 'actor'];

function eventOf(type: string, version: number, payloadSchema: Schema) {
  const payload = mostly(payloadOf(payloadSchema), fc.jsonValue({ maxDepth: 1 }));

  return fc
    .tuple(
      envelopeOf(type, version),
      payload,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([]) },
        fc.subarray(omissible, { minLength: 1, maxLength: 2 }),
      ),
    )
    .map(([envelope, body, omitted]) => {
      const event: Record<string, unknown> = { ...envelope, payload: body };
      for (const key of omitted) delete event[key];

      return event;
    })
    .chain((event) =>
      fc.oneof(
        { weight: 20, arbitrary: fc.constant(event) },
        fc.constant({ ...event, extra: 1 }),
        fc.constantFrom(null, 'event', [event]),
      ),
    );
}

const contracts = Object.entries(eventCatalogue).flatMap(([type, entry]) =>
  Object.keys(entry.versions).map((version) => ({ type, version: Number(version) })),
);

describe('compiled contracts', () => {
  it('exist for every event type and version of the catalogue, and only for those', () => {
    for (const { type, version } of contracts)
      expect(compiledContract(type, version)).toBeDefined();

    expect(compiledContract('quiz.cheated', 1)).toBeUndefined();
    expect(compiledContract('quiz.answered', 99)).toBeUndefined();
  });

  it('leave to zod the payload checks JSON Schema cannot express (a refine)', () => {
    expect(compiledContract('video.watched', 1)?.zodPayload).toBeDefined();
    expect(compiledContract('quiz.answered', 1)?.zodPayload).toBeUndefined();
  });

  for (const { type, version } of contracts) {
    it(`accept and reject ${type} v${version} exactly as zod does`, () => {
      const schemas = contractJsonSchemas();
      const payloadSchema = schemas[`${type}.v${version}.schema.json`] as Schema;
      let accepted = 0;

      fc.assert(
        fc.property(eventOf(type, version, payloadSchema), (raw) => {
          const reference = validateWithZod(raw, context);
          const compiled = acceptCompiled(raw, context);

          if (reference.ok) {
            accepted += 1;
            expect(compiled).toEqual(reference);
            // Same payload text in the lake: same keys in the same order.
            expect(compiled?.ok && JSON.stringify(compiled.event.payload)).toBe(
              JSON.stringify(reference.event.payload),
            );
          } else if (compiled !== undefined) {
            expect(compiled).toEqual(reference);
          }
          expect(validateEvent(raw, context)).toEqual(reference);
        }),
        { numRuns: 2000, seed: 20261203 },
      );
      // The generator must reach the accepting side often, or the test proves little.
      expect(accepted).toBeGreaterThan(100);
    });
  }
});
