import { schoolTime } from '../features/index.js';

/** A behaviour event reduced to what the real-time signals need. */
export interface SignalInput {
  event_id: string;
  occurred_at: string;
  local_date: string;
  /** Monday-Friday numbering, consecutive across weekends (as in the SQL models). */
  school_day_index: number;
  is_school_day: boolean;
  active_seconds: number;
}

const mondayAnchor = Date.UTC(2000, 0, 3);

/** School-local date and school-day index of an instant (fixed UTC-6, like the SQL). */
export function schoolDayOf(occurredAt: string) {
  const local = Date.parse(occurredAt) + schoolTime.utc_offset_hours * 3_600_000;
  const localDate = new Date(local).toISOString().slice(0, 10);
  const dayNumber = Math.floor((Date.parse(`${localDate}T00:00:00Z`) - mondayAnchor) / 86_400_000);
  const weekday = ((dayNumber % 7) + 7) % 7;
  const index = ((dayNumber - weekday) / 7) * 5 + Math.min(weekday, 4);

  return { localDate, schoolDayIndex: index, isSchoolDay: weekday < 5 };
}

function numberField(payload: Record<string, unknown>, name: string): number {
  const value = payload[name];

  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Seconds of learning activity an event stands for: the same definition as
 * `engagement_minutes_7d` in `sql/features/int_behaviour_events__local.sql`.
 */
export function activeSecondsOf(eventType: string, payload: Record<string, unknown>): number {
  switch (eventType) {
    case 'video.watched':
      return numberField(payload, 'seconds_watched');
    case 'quiz.answered':
      return numberField(payload, 'time_ms') / 1000;
    case 'game.completed':
    case 'lesson.completed':
      return numberField(payload, 'duration_seconds');
    default:
      return 0;
  }
}

/** Reduces a raw row (payload as JSON text) to a signal input. */
export function signalInputOf(row: {
  event_id: string;
  event_type: string;
  occurred_at: string;
  payload: string;
}): SignalInput {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(row.payload) as Record<string, unknown>;
  } catch {
    payload = {};
  }
  const occurredAt = new Date(row.occurred_at).toISOString();
  const day = schoolDayOf(occurredAt);

  return {
    event_id: row.event_id,
    occurred_at: occurredAt,
    local_date: day.localDate,
    school_day_index: day.schoolDayIndex,
    is_school_day: day.isSchoolDay,
    active_seconds: activeSecondsOf(row.event_type, payload),
  };
}
