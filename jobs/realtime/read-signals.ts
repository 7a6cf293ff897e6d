import type { Redis } from 'ioredis';
import { defaultKeyPrefix, profileKeys } from '../publish/index.js';
import { schoolDayOf } from './signals.js';

/** The real-time hash interpreted at a given instant. */
export interface RealtimeView {
  last_activity_at: string | null;
  /** Today's counters; zero when the hash's `today_date` is not today. */
  today_events: number;
  today_minutes: number;
  /** The live streak; 0 when its last school day is before the previous school day. */
  streak_days: number;
  updated_at: string | null;
}

/**
 * Reads a student's real-time signals and interprets them at `now`: the hash
 * keeps yesterday's counters until the student's next event, so a reader
 * must compare `today_date` with today (school time) and check the streak's
 * last school day, which this function does.
 */
export async function readRealtimeSignals(
  redis: Redis,
  tenantId: string,
  student: string,
  options: { keyPrefix?: string; now?: Date } = {},
): Promise<RealtimeView | null> {
  const keys = profileKeys(options.keyPrefix ?? defaultKeyPrefix, tenantId);
  const hash = await redis.hgetall(keys.realtime(student));
  if (Object.keys(hash).length === 0) return null;
  const today = schoolDayOf((options.now ?? new Date()).toISOString());
  const isToday = hash.today_date === today.localDate;
  const streakLast = Number(hash.streak_last_school_day ?? Number.NaN);
  // Alive if the last active school day is today's (or Friday's on a weekend) or the one before.
  const isStreakAlive = streakLast >= today.schoolDayIndex - (today.isSchoolDay ? 1 : 0);

  return {
    last_activity_at: hash.last_activity_at ?? null,
    today_events: isToday ? Number(hash.today_events ?? 0) : 0,
    today_minutes: isToday ? Number(hash.today_minutes ?? 0) : 0,
    streak_days: isStreakAlive ? Number(hash.streak_days ?? 0) : 0,
    updated_at: hash.updated_at ?? null,
  };
}
