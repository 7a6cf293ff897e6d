import { isNullSpan, type SnapshotLayout } from '../../core/index.js';
import { type FreshnessPolicy, partNames, partsFreshness, realtimeFrom } from './merge.js';

/** A session response as the bytes sent, and the parts the audit records. */
export interface SessionBytes {
  readonly json: Buffer;
  readonly parts: string[];
}

interface StoredHead {
  snapshot_version?: unknown;
  published_at?: unknown;
}

interface StoredFreshness {
  profile_as_of?: unknown;
  grades_as_of?: unknown;
}

const space = 32;
const openBrace = 123;
const realtimeKey = Buffer.from('"realtime"');

function parsed<T>(doc: Buffer, start: number, end: number, suffix = ''): T | undefined {
  try {
    return JSON.parse(`${doc.toString('latin1', start, end)}${suffix}`) as T;
  } catch {
    return undefined;
  }
}

/** The part's `as_of`: the stated one, null for a missing part, undefined when unknown. */
function asOfOf(stated: unknown, isPartNull: boolean): string | null | undefined {
  if (typeof stated === 'string') return stated;

  return isPartNull ? null : undefined;
}

/** Where the profile's members end (before its `}`), or -1 when it has none or looks unusual. */
function profileBodyEnd(doc: Buffer, layout: SnapshotLayout): number {
  const { start, end } = layout.profile;
  if (isNullSpan(doc, layout.profile) || end - start === 2) return -1;
  const last = doc[end - 2] ?? space;

  // Compact JSON only: a space or brace before the closing brace takes the text path.
  return last <= space || last === openBrace ? -2 : end - 1;
}

/**
 * The session response of a laid-out document (ADR 0095), assembled as bytes:
 * the stored `profile` (less its closing brace) and `grades` are copied into
 * the answer as they are, never decoded to text or encoded back. Only the
 * short head and `freshness` are parsed. Returns undefined for a document
 * the text path must handle (its head or freshness unreadable, a profile
 * naming its own `realtime`, a profile not written compactly).
 */
export function sessionBytes(
  studentId: string,
  doc: Buffer,
  layout: SnapshotLayout,
  realtimeFlat: readonly string[] | undefined,
  policy: FreshnessPolicy,
  nowMs: number,
): SessionBytes | undefined {
  const { profile, grades, freshness } = layout;
  const head = parsed<StoredHead>(doc, 0, profile.start - ',"profile":'.length, '}');
  const stated = parsed<StoredFreshness>(doc, freshness.start, freshness.end);
  const bodyEnd = profileBodyEnd(doc, layout);
  const realtimeAt = doc.indexOf(realtimeKey, profile.start);
  const namesRealtime = realtimeAt >= 0 && realtimeAt < profile.end;
  if (!head || !stated || bodyEnd === -2 || namesRealtime) return undefined;
  if (typeof head.snapshot_version !== 'string') return undefined;
  const isGradesNull = isNullSpan(doc, grades);
  const profileAsOf = asOfOf(stated.profile_as_of, isNullSpan(doc, profile));
  const gradesAsOf = asOfOf(stated.grades_as_of, isGradesNull);
  if (profileAsOf === undefined || gradesAsOf === undefined) return undefined;

  const realtime = realtimeFrom(realtimeFlat);
  const fresh = partsFreshness(
    { profile: profileAsOf, grades: gradesAsOf },
    realtime,
    policy,
    nowMs,
  );
  const published = typeof head.published_at === 'string' ? head.published_at : null;
  const lead =
    `{"student_id":${JSON.stringify(studentId)},"snapshot_version":` +
    `${JSON.stringify(head.snapshot_version)},"published_at":${JSON.stringify(published)},"profile":` +
    (bodyEnd < 0 ? '{' : '');
  const realtimeText = `${bodyEnd < 0 ? '' : ','}"realtime":${JSON.stringify(realtime)}},"grades":`;
  const tail = `,"freshness":${JSON.stringify(fresh)}}`;
  const pieces = [lead, [profile.start, bodyEnd], realtimeText, [grades.start, grades.end], tail];
  const parts = partNames(realtime !== null, !isGradesNull);

  return { json: assemble(doc, pieces as Piece[]), parts };
}

/** Text to write, or a `[start, end)` span of the document to copy (skipped when end < 0). */
type Piece = string | [number, number];

function assemble(doc: Buffer, pieces: readonly Piece[]): Buffer {
  let total = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') total += Buffer.byteLength(piece);
    else if (piece[1] >= 0) total += piece[1] - piece[0];
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += out.write(piece, at);
    else if (piece[1] >= 0) at += doc.copy(out, at, piece[0], piece[1]);
  }

  return out;
}
