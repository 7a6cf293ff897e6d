import type { ChainableCommander, Redis } from 'ioredis';
import { profileKeys } from '../publish/index.js';
import { applyEventScript } from './apply-script.js';
import type { LandedEvent } from './backfill.js';
import { signalInputOf } from './signals.js';

/** Where and how long events are kept: the key prefix and the two TTLs. */
export interface ApplySettings {
  readonly redis: Redis;
  readonly prefix: string;
  readonly seenTtlSeconds: number;
  readonly hashTtlSeconds: number;
}

/** The pipeline with the command `defineCommand` adds (ioredis cannot type it). */
type ApplyPipeline = ChainableCommander & {
  lucaApplyEvent(...args: (string | number)[]): ApplyPipeline;
};

/** Registers the apply script on a connection as `lucaApplyEvent`. */
export function defineApplyCommand(redis: Redis): void {
  redis.defineCommand('lucaApplyEvent', { numberOfKeys: 2, lua: applyEventScript });
}

/**
 * Applies behaviour events in the order given, in one pipeline, each through
 * the exactly-once script; `updatedAt` stamps the hashes. Returns how many
 * were new: the others were already counted (their ids in the day's set).
 * The connection must have `defineApplyCommand` run on it.
 */
export async function applyEvents(
  settings: ApplySettings,
  events: readonly LandedEvent[],
  updatedAt: string,
): Promise<number> {
  if (events.length === 0) return 0;
  const pipeline = settings.redis.pipeline() as ApplyPipeline;
  for (const event of events) {
    const input = signalInputOf(event);
    const keys = profileKeys(settings.prefix, event.tenant_id);
    pipeline.lucaApplyEvent(
      keys.realtime(event.student_id),
      keys.realtimeSeen(event.student_id, input.local_date),
      input.event_id,
      input.local_date,
      input.school_day_index,
      input.is_school_day ? 1 : 0,
      Math.round(input.active_seconds * 1000),
      input.occurred_at,
      updatedAt,
      settings.seenTtlSeconds,
      settings.hashTtlSeconds,
    );
  }
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];

  return replies.filter(([, reply]) => Number(reply) === 1).length;
}
