import type { LakeEventRow } from '../../core/index.js';
import { addDays, schoolTime, schoolToday } from '../features/index.js';

/** What the apply script needs of a landed behaviour event about a student. */
export type LandedEvent = Pick<
  LakeEventRow,
  'tenant_id' | 'event_id' | 'event_type' | 'occurred_at' | 'payload'
> & { student_id: string };

/** The landed events a catch-up replays: whole school-local days, optionally only recent receipts. */
export interface ReplayWindow {
  /** First and last school-local dates replayed (the last is today). */
  readonly firstLocalDate: string;
  readonly lastLocalDate: string;
  /** `occurred_at` bounds, UTC instants: `from` included, `to` excluded. */
  readonly from: string;
  readonly to: string;
  /** UTC dates of the raw partitions that can hold those events (`event_date`). */
  readonly firstEventDate: string;
  readonly lastEventDate: string;
  /** Only events received at or after this instant; null reads the whole window. */
  readonly receivedSince: string | null;
}

/**
 * Where the real-time consumer reads landed events back from when the landing
 * buffer no longer holds them: the lake locally (`lakeBackfill`), the raw
 * table on Athena in the cloud. Events come in `occurred_at` order, every
 * tenant, in batches of at most `batchSize`, so a big day never sits in memory
 * at once.
 */
export interface RealtimeBackfill {
  read(window: ReplayWindow, batchSize: number): AsyncIterable<LandedEvent[]>;
}

/**
 * Room between the end of today and the earliest instant a replayed day's
 * seen set can expire: covers a catch-up running past midnight and an event
 * stamped ahead of the clock that applied it (the contract allows 5 minutes).
 */
const expiryMarginMs = 3_600_000;
const dayMs = 86_400_000;

/** 00:00 school time of a local date, as a UTC instant in milliseconds. */
function localDayStart(localDate: string): number {
  return Date.parse(`${localDate}T00:00:00Z`) - schoolTime.utc_offset_hours * 3_600_000;
}

/**
 * The school-local days a catch-up may replay at `now`: those whose seen sets
 * are alive until the end of today. An event applied at any time after its
 * day began keeps that day's set for `seenTtlSeconds`, so a day is safe when
 * its start plus the TTL is past the end of today (with `expiryMarginMs` to
 * spare); replaying an older day could count an event again once its set
 * expired. With the default 3-day TTL: today and yesterday. Null when the TTL
 * leaves no safe day.
 *
 * @example
 * replayWindow(new Date('2026-10-16T02:00:00Z'), 3 * 86_400);
 * // local 2026-10-14 and 2026-10-15 (20:00 local): occurred_at from
 * // 2026-10-14T06:00Z to 2026-10-16T06:00Z, partitions 2026-10-14 to 2026-10-16
 */
export function replayWindow(
  now: Date,
  seenTtlSeconds: number,
  receivedSince: string | null = null,
): ReplayWindow | null {
  const days = Math.floor((seenTtlSeconds * 1000 - expiryMarginMs) / dayMs);
  if (days < 1) return null;
  const today = schoolToday(now);
  const first = addDays(today, 1 - days);
  const from = new Date(localDayStart(first)).toISOString();
  const to = new Date(localDayStart(addDays(today, 1))).toISOString();

  return {
    firstLocalDate: first,
    lastLocalDate: today,
    from,
    to,
    // A local day spans two UTC dates: UTC-6 runs from 06:00 of its date to 06:00 of the next.
    firstEventDate: from.slice(0, 10),
    lastEventDate: new Date(Date.parse(to) - 1).toISOString().slice(0, 10),
    receivedSince,
  };
}
