import { readLayout } from '../../core/index.js';
import { jsonMembers, type MemberSpans } from './json-members.js';
import { sessionBytes } from './session-bytes.js';
import {
  type FreshnessPolicy,
  mergeSession,
  partNames,
  partsFreshness,
  realtimeFrom,
  returnedParts,
  type SessionBody,
} from './merge.js';

/** One student's session response, already serialised, and what the audit records of it. */
export interface SessionJson {
  /** Bytes for a laid-out document (ADR 0095), text otherwise. */
  readonly json: string | Buffer;
  readonly parts: string[];
}

interface StoredFreshness {
  profile_as_of?: unknown;
  grades_as_of?: unknown;
}

function slice(doc: string, spans: MemberSpans, key: string): string | undefined {
  const span = spans.get(key);

  return span && doc.slice(span.start, span.end);
}

/** A string member as JSON text, `null` when absent or null; undefined for any other type. */
function nullableString(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === 'null') return 'null';

  return raw.startsWith('"') ? raw : undefined;
}

/** An object member as JSON text, `null` when absent or null; undefined for any other type. */
function nullableObject(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === 'null') return 'null';

  return raw.startsWith('{') ? raw : undefined;
}

/** The part's `as_of` from the stored freshness, when it can be known without the part itself. */
function asOfFrom(stated: unknown, partRaw: string): string | null | undefined {
  if (typeof stated === 'string') return stated;
  // Only a missing part lets an unstated as_of stay null without reading the part.
  return partRaw === 'null' ? null : undefined;
}

function withRealtime(profileRaw: string, realtimeJson: string): string {
  if (profileRaw === 'null') return `{"realtime":${realtimeJson}}`;
  const body = profileRaw.slice(1, -1).trim();

  return body === '' ? `{"realtime":${realtimeJson}}` : `{${body},"realtime":${realtimeJson}}`;
}

/** The raw JSON text of the members a response is spliced from. */
interface RawParts {
  readonly version: string | undefined;
  readonly publishedAt: string | undefined;
  readonly profile: string | undefined;
  readonly grades: string | undefined;
  readonly freshness: string | undefined;
}

/** The parts as found by scanning the whole document (text, or bytes without a usable layout). */
function scannedParts(doc: string, spans: MemberSpans): RawParts {
  return {
    version: slice(doc, spans, 'snapshot_version'),
    publishedAt: nullableString(slice(doc, spans, 'published_at')),
    profile: nullableObject(slice(doc, spans, 'profile')),
    grades: nullableObject(slice(doc, spans, 'grades')),
    freshness: nullableObject(slice(doc, spans, 'freshness')),
  };
}

/**
 * The session response of one student, built by splicing the stored
 * document's `profile` and `grades` into it rather than parsing and
 * re-serialising them (ADR 0072). A laid-out document (ADR 0095) read as
 * bytes is answered as bytes, copied where its layout says; any other
 * document (text, no layout, or one the byte path declines) is scanned. The result is the
 * same JSON value as `mergeSession` gives. Documents of another shape than
 * the publish job writes take the parse-and-merge path, so a corrupt one
 * still throws `SESSION_ERR_SNAPSHOT_CORRUPT`.
 */
export function sessionJson(
  studentId: string,
  doc: string | Buffer,
  realtimeFlat: readonly string[] | undefined,
  policy: FreshnessPolicy,
  nowMs: number,
): SessionJson {
  if (typeof doc !== 'string') {
    const layout = readLayout(doc);
    const bytes = layout && sessionBytes(studentId, doc, layout, realtimeFlat, policy, nowMs);
    if (bytes) return bytes;
  }
  const text = typeof doc === 'string' ? doc : doc.toString('utf8');
  const spliced = splice(studentId, partsOf(text), realtimeFlat, policy, nowMs);
  if (spliced) return spliced;
  const body: SessionBody = mergeSession(studentId, text, realtimeFlat, policy, nowMs);

  return { json: JSON.stringify(body), parts: returnedParts(body) };
}

function partsOf(doc: string): RawParts | undefined {
  const spans = jsonMembers(doc);

  return spans && scannedParts(doc, spans);
}

function splice(
  studentId: string,
  raw: RawParts | undefined,
  realtimeFlat: readonly string[] | undefined,
  policy: FreshnessPolicy,
  nowMs: number,
): SessionJson | undefined {
  if (!raw) return undefined;
  const { version, publishedAt, profile, grades, freshness: freshnessRaw } = raw;
  if (!version?.startsWith('"') || !publishedAt || !profile || !grades || !freshnessRaw) {
    return undefined;
  }
  // A stored profile naming its own `realtime` is left to the merge, which replaces it.
  if (profile.includes('"realtime"')) return undefined;
  const stated = (JSON.parse(freshnessRaw) ?? {}) as StoredFreshness;
  const profileAsOf = asOfFrom(stated.profile_as_of, profile);
  const gradesAsOf = asOfFrom(stated.grades_as_of, grades);
  if (profileAsOf === undefined || gradesAsOf === undefined) return undefined;
  const realtime = realtimeFrom(realtimeFlat);
  const asOf = { profile: profileAsOf, grades: gradesAsOf };
  const freshness = partsFreshness(asOf, realtime, policy, nowMs);
  const json =
    `{"student_id":${JSON.stringify(studentId)},"snapshot_version":${version}` +
    `,"published_at":${publishedAt},"profile":${withRealtime(profile, JSON.stringify(realtime))}` +
    `,"grades":${grades},"freshness":${JSON.stringify(freshness)}}`;

  return { json, parts: partNames(realtime !== null, grades !== 'null') };
}
