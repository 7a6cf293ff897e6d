import { createHash } from 'node:crypto';
import { v7 } from 'uuid';
import type { z } from 'zod';
import { newEventId } from '../../../core/index.js';
import { gradesStoreErrors } from './errors.js';
import {
  correctInput,
  describeIssues,
  type EvaluationImportLine,
  type RecordInput,
  recordInput,
  voidInput,
} from './inputs.js';
import { requestHash } from './lifecycle.js';
import type { ChangeContext } from './types.js';

/** What an `Idempotency-Key` is bound to: the first request that used it. */
export interface KeyBinding {
  operation: 'record' | 'correct' | 'void';
  request_hash: string;
  evaluation_id: string;
}

/** Parses a request body against its schema or throws `EVAL_ERR_INVALID_INPUT`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw gradesStoreErrors.create('EVAL_ERR_INVALID_INPUT', describeIssues(parsed.error));
  }

  return parsed.data;
}

export function prepareRecord(raw: RecordInput) {
  const input = parseOrThrow(recordInput, raw);

  const newId = input.evaluation_id ?? `ev-${newEventId()}`;

  return { input, hash: requestHash('record', input), newId };
}

export function prepareCorrection(raw: unknown) {
  const input = parseOrThrow(correctInput, raw);

  return { input, hash: requestHash('correct', input) };
}

export function prepareVoid(raw: unknown) {
  const input = parseOrThrow(voidInput, raw);

  return { input, hash: requestHash('void', input) };
}

/** Refuses a key already bound to another request; returns the binding to use. */
export function checkBinding(existing: KeyBinding | undefined, wanted: KeyBinding): KeyBinding {
  if (!existing) return wanted;
  if (existing.request_hash !== wanted.request_hash || existing.operation !== wanted.operation) {
    throw gradesStoreErrors.create(
      'EVAL_ERR_IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was used with a different request; use a new key.',
    );
  }

  return existing;
}

/** An import line as a record request made by its teacher (or by the importer). */
export function importRequest(value: EvaluationImportLine): {
  input: RecordInput;
  context: ChangeContext;
} {
  const { teacher_id: teacherId, ...input } = value;
  const actor = teacherId
    ? { id: teacherId, role: 'teacher' as const }
    : { id: 'roster-import', role: 'service' as const };

  return { input, context: { actor, eventId: importedEventId(value) } };
}

/**
 * The event id of an imported evaluation: a UUIDv7 at its `recorded_at` whose
 * random bits come from the tenant and evaluation id, so importing the same
 * file into a fresh store emits the same ids and the ingest path dedupes them.
 */
export function importedEventId(value: EvaluationImportLine): string {
  const digest = createHash('sha256').update(`${value.tenant_id}/${value.evaluation_id}`).digest();

  return v7({ msecs: Date.parse(value.recorded_at), random: digest.subarray(0, 16) });
}
