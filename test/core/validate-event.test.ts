import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../core/index.js';
import { quizAnswered } from './factories.js';

const context = { tenantId: 't-demo', traceId: 'a'.repeat(32), now: new Date() };

describe('validateEvent', () => {
  it('accepts a valid event and fills tenant, received_at and trace id', () => {
    const result = validateEvent(quizAnswered(), context);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.family).toBe('behaviour');
    expect(result.event.tenant_id).toBe('t-demo');
    expect(result.event.trace_id).toBe('a'.repeat(32));
    expect(result.event.received_at).toBe(context.now.toISOString());
  });

  it('rejects an unknown event type with its own code', () => {
    const result = validateEvent(quizAnswered({ event_type: 'quiz.cheated' }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_UNKNOWN_EVENT_TYPE' });
  });

  it('rejects an unsupported schema version and names the supported ones', () => {
    const result = validateEvent(quizAnswered({ schema_version: 9 }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_UNSUPPORTED_VERSION' });
    expect(!result.ok && result.message).toContain('supported: 1');
  });

  it('rejects wrong payload types with the field path', () => {
    const event = quizAnswered();
    (event.payload as Record<string, unknown>).is_correct = 'yes';
    const result = validateEvent(event, context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_INVALID_EVENT' });
    expect(!result.ok && result.message).toContain('is_correct');
  });

  it('rejects a payload carrying extra fields such as a name', () => {
    const event = quizAnswered();
    (event.payload as Record<string, unknown>).student_name = 'Ana';

    expect(validateEvent(event, context)).toMatchObject({ ok: false });
  });

  it('rejects an event id that is not a UUIDv7', () => {
    const result = validateEvent(quizAnswered({ event_id: crypto.randomUUID() }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_INVALID_EVENT' });
  });

  it('rejects a behaviour event without student_id', () => {
    const result = validateEvent(quizAnswered({ student_id: undefined }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_INVALID_EVENT' });
  });

  it('rejects an occurred_at far in the future', () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const result = validateEvent(quizAnswered({ occurred_at: future }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_INVALID_EVENT' });
  });

  it('rejects ids containing spaces, so no free text hides in an id', () => {
    const result = validateEvent(quizAnswered({ student_id: 'Ana Lopez' }), context);

    expect(result).toMatchObject({ ok: false, code: 'CONTRACT_ERR_INVALID_EVENT' });
  });
});
