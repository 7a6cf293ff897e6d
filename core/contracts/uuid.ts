import { v7 } from 'uuid';

/** A new UUIDv7 (time-ordered), the shape of every `event_id`. */
export function newEventId(): string {
  return v7();
}

/** A new W3C trace id (32 lowercase hex characters). */
export function newTraceId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
