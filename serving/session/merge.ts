import { sessionErrors } from './errors.js';

/** How old each part may be before the response marks it stale. */
export interface FreshnessPolicy {
  /** Batch profile (features, mastery): published daily, so a day and a half. */
  readonly profileMaxAgeSeconds: number;
  /** Consolidated grades: recomputed daily. */
  readonly gradesMaxAgeSeconds: number;
  /** Real-time signals: updated on every event, so minutes. */
  readonly realtimeMaxAgeSeconds: number;
}

export const defaultFreshnessPolicy: FreshnessPolicy = {
  profileMaxAgeSeconds: 36 * 3600,
  gradesMaxAgeSeconds: 36 * 3600,
  realtimeMaxAgeSeconds: 15 * 60,
};

export interface PartFreshness {
  as_of: string | null;
  age_seconds: number | null;
  status: 'fresh' | 'stale' | 'absent';
}

export interface RealtimeSignals {
  last_activity_at: string | null;
  today_events: number;
  today_minutes: number;
  streak_days: number;
  updated_at: string | null;
}

/** The response body of one student's session. */
export interface SessionBody {
  student_id: string;
  snapshot_version: string;
  published_at: string | null;
  profile: Record<string, unknown> & { realtime: RealtimeSignals | null };
  grades: Record<string, unknown> | null;
  freshness: { profile: PartFreshness; grades: PartFreshness; realtime: PartFreshness };
}

interface SnapshotDocument {
  snapshot_version?: string;
  published_at?: string;
  profile?: Record<string, unknown>;
  grades?: Record<string, unknown> | null;
  freshness?: { profile_as_of?: string | null; grades_as_of?: string | null };
}

/** How fresh a part stamped `asOf` is at `nowMs`. */
export function freshnessOf(asOf: unknown, maxAgeSeconds: number, nowMs: number): PartFreshness {
  if (typeof asOf !== 'string') return { as_of: null, age_seconds: null, status: 'absent' };
  const parsed = Date.parse(asOf);
  if (Number.isNaN(parsed)) return { as_of: asOf, age_seconds: null, status: 'stale' };
  const age = Math.max(0, Math.round((nowMs - parsed) / 1000));

  return { as_of: asOf, age_seconds: age, status: age <= maxAgeSeconds ? 'fresh' : 'stale' };
}

/** Turns the flat HGETALL reply into typed signals (null when the hash is empty). */
export function realtimeFrom(flat: readonly string[] | undefined): RealtimeSignals | null {
  if (!flat || flat.length === 0) return null;
  // One pass over the pairs, no map or closure: this runs on every read.
  const signals: RealtimeSignals = {
    last_activity_at: null,
    today_events: 0,
    today_minutes: 0,
    streak_days: 0,
    updated_at: null,
  };
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i];
    const value = flat[i + 1] as string;
    if (name === 'last_activity_at' || name === 'updated_at') signals[name] = value;
    else if (name === 'today_events' || name === 'today_minutes' || name === 'streak_days') {
      signals[name] = countOf(value);
    }
  }

  return signals;
}

function countOf(value: string): number {
  const count = Number(value);

  return Number.isFinite(count) ? count : 0;
}

/**
 * Merges a published snapshot with the real-time signals into the session body,
 * marking each part fresh or stale against the policy.
 */
export function mergeSession(
  studentId: string,
  snapshotJson: string,
  realtimeFlat: readonly string[] | undefined,
  policy: FreshnessPolicy,
  nowMs: number,
): SessionBody {
  let doc: SnapshotDocument;
  try {
    doc = JSON.parse(snapshotJson) as SnapshotDocument;
  } catch (cause) {
    throw sessionErrors.create('SESSION_ERR_SNAPSHOT_CORRUPT', 'Republish the snapshot.', {
      cause,
    });
  }
  const realtime = realtimeFrom(realtimeFlat);
  const profileAsOf = doc.freshness?.profile_as_of ?? doc.profile?.as_of;
  const gradesAsOf = doc.freshness?.grades_as_of ?? doc.grades?.as_of;

  return {
    student_id: studentId,
    snapshot_version: String(doc.snapshot_version ?? ''),
    published_at: doc.published_at ?? null,
    profile: { ...doc.profile, realtime },
    grades: doc.grades ?? null,
    freshness: {
      profile: freshnessOf(profileAsOf, policy.profileMaxAgeSeconds, nowMs),
      grades: freshnessOf(gradesAsOf, policy.gradesMaxAgeSeconds, nowMs),
      realtime: freshnessOf(realtime?.updated_at, policy.realtimeMaxAgeSeconds, nowMs),
    },
  };
}

/** The freshness of the three parts of a response, from the two stated as_of and the signals. */
export function partsFreshness(
  asOf: { profile: string | null; grades: string | null },
  realtime: RealtimeSignals | null,
  policy: FreshnessPolicy,
  nowMs: number,
): SessionBody['freshness'] {
  return {
    profile: freshnessOf(asOf.profile, policy.profileMaxAgeSeconds, nowMs),
    grades: freshnessOf(asOf.grades, policy.gradesMaxAgeSeconds, nowMs),
    realtime: freshnessOf(realtime?.updated_at, policy.realtimeMaxAgeSeconds, nowMs),
  };
}

/** The part names the audit records for a response with or without signals and grades. */
export function partNames(hasRealtime: boolean, hasGrades: boolean): string[] {
  const parts = hasRealtime ? ['profile', 'profile.realtime'] : ['profile'];
  if (hasGrades) parts.push('grades');
  parts.push('freshness');

  return parts;
}

/** The top-level parts a session response returns, as the audit records them. */
export function returnedParts(body: SessionBody): string[] {
  return partNames(body.profile.realtime !== null, body.grades !== null);
}
