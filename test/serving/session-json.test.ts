import { describe, expect, it } from 'vitest';
import { defaultFreshnessPolicy } from '../../serving/session/index.js';
import { jsonMembers } from '../../serving/session/json-members.js';
import { mergeSession } from '../../serving/session/merge.js';
import { sessionJson } from '../../serving/session/session-json.js';
import { laidOutDoc } from '../support/snapshot-docs.js';

const now = Date.parse('2026-12-03T18:00:00.000Z');
const realtime = [
  'last_activity_at',
  '2026-12-03T17:50:00.000Z',
  'today_events',
  '7',
  'streak_days',
  '3',
  'updated_at',
  '2026-12-03T17:55:00.000Z',
];

/** A document in the shape `jobs/publish` writes (head, profile, grades, freshness). */
function publishedDoc(overrides: { profile?: string; grades?: string; freshness?: string } = {}) {
  const profile =
    overrides.profile ??
    '{"as_of":"2026-12-02","features":[{"feature_id":"engagement_7d","value":0.4}],"mastery":[],' +
      '"disengagement":{"flag":false,"rule_id":"r","version":1,"reasons":[]},"cohort":null}';
  const grades =
    overrides.grades ??
    '{"period_id":"2026-2027/P1","as_of":"2026-12-02T05:00:00.000Z","subjects":[{"subject_code":"MAT","grade":"8.4"}],"general_average":"8.4"}';
  const freshness =
    overrides.freshness ??
    '{"profile_as_of":"2026-12-03T06:00:00.000Z","grades_as_of":"2026-12-02T05:00:00.000Z"}';

  return `{"schema_version":1,"tenant_id":"t-1","student_id":"p_x","snapshot_version":"v7","published_at":"2026-12-03T07:00:00.000Z","profile":${profile},"grades":${grades},"freshness":${freshness}}`;
}

/** Both paths on the bytes the store hands the route. */
function bothWays(doc: string, flat: string[] | undefined = realtime) {
  const spliced = sessionJson('s-1', Buffer.from(doc), flat, defaultFreshnessPolicy, now);
  const merged = mergeSession('s-1', doc, flat, defaultFreshnessPolicy, now);

  return { spliced, merged };
}

describe('sessionJson', () => {
  it.each([
    ['a full document', publishedDoc()],
    ['no grades', publishedDoc({ grades: 'null' })],
    [
      'no profile',
      publishedDoc({
        profile: 'null',
        freshness: '{"profile_as_of":null,"grades_as_of":"2026-12-02T05:00:00.000Z"}',
      }),
    ],
    ['an empty profile', publishedDoc({ profile: '{}' })],
    ['freshness without as_of (read from the parts)', publishedDoc({ freshness: '{}' })],
    ['a profile naming its own realtime', publishedDoc({ profile: '{"realtime":1,"as_of":"x"}' })],
    [
      'spaces and escapes',
      publishedDoc({ profile: ' { "as_of" : "2026-12-02" , "n\\"x" : [ 1 , -2.5e3 ] } ' }),
    ],
  ])('gives the same JSON value as the merge for %s', (_name, doc) => {
    // Act
    const { spliced, merged } = bothWays(doc);

    // Assess
    expect(JSON.parse(String(spliced.json))).toEqual(JSON.parse(JSON.stringify(merged)));
  });

  it.each([
    ['a full document', laidOutDoc()],
    ['no grades', laidOutDoc({ grades: 'null' })],
    ['no profile', laidOutDoc({ profile: 'null' })],
    ['an empty profile', laidOutDoc({ profile: '{}' })],
    ['freshness without as_of (read from the parts)', laidOutDoc({ freshness: '{}' })],
    ['a profile naming its own realtime', laidOutDoc({ profile: '{"realtime":1,"as_of":"x"}' })],
    ['a profile with a space before its brace', laidOutDoc({ profile: '{"as_of":"x" }' })],
    [
      'a layout that lies about where the profile ends',
      laidOutDoc().replace(/"layout":"(\d{7}),(\d{7})/, (_all, start, end) => {
        const shorter = String(Number(end) - 1).padStart(7, '0');

        return `"layout":"${start},${shorter}`;
      }),
    ],
  ])('gives the same JSON value as the merge for a laid-out document: %s', (_name, doc) => {
    // Act
    const { spliced, merged } = bothWays(doc);
    const withoutSignals = bothWays(doc, []);

    // Assess
    expect(JSON.parse(String(spliced.json))).toEqual(JSON.parse(JSON.stringify(merged)));
    expect(JSON.parse(String(withoutSignals.spliced.json))).toEqual(
      JSON.parse(JSON.stringify(withoutSignals.merged)),
    );
  });

  it('answers a laid-out document as bytes copied from it, and any other as text', () => {
    // Act
    const laidOut = sessionJson(
      's-1',
      Buffer.from(laidOutDoc()),
      realtime,
      defaultFreshnessPolicy,
      now,
    );
    const scanned = sessionJson(
      's-1',
      Buffer.from(publishedDoc()),
      realtime,
      defaultFreshnessPolicy,
      now,
    );

    // Assess
    expect(Buffer.isBuffer(laidOut.json)).toBe(true);
    expect(typeof scanned.json).toBe('string');
  });

  it('names the parts returned, realtime only when signals exist', () => {
    // Act
    const withSignals = sessionJson('s-1', publishedDoc(), realtime, defaultFreshnessPolicy, now);
    const without = sessionJson(
      's-1',
      publishedDoc({ grades: 'null' }),
      [],
      defaultFreshnessPolicy,
      now,
    );

    // Assess
    expect(withSignals.parts).toEqual(['profile', 'profile.realtime', 'grades', 'freshness']);
    expect(without.parts).toEqual(['profile', 'freshness']);
  });

  it('names the same parts for a laid-out document read as bytes', () => {
    // Act
    const bytes = (doc: string, flat: string[]) =>
      sessionJson('s-1', Buffer.from(doc), flat, defaultFreshnessPolicy, now).parts;

    // Assess
    expect(bytes(laidOutDoc(), realtime)).toEqual([
      'profile',
      'profile.realtime',
      'grades',
      'freshness',
    ]);
    expect(bytes(laidOutDoc({ grades: 'null' }), [])).toEqual(['profile', 'freshness']);
  });

  it.each([
    ['not JSON', 'not json'],
    ['a bad literal inside the profile', publishedDoc({ profile: '{"a":tru}' })],
    ['a trailing comma', publishedDoc({ grades: '{"a":1,}' })],
    ['an unterminated string', '{"profile":{"a":"b}}'],
  ])('throws SESSION_ERR_SNAPSHOT_CORRUPT for %s', (_name, doc) => {
    // Act
    const reading = () => sessionJson('s-1', doc, realtime, defaultFreshnessPolicy, now);

    // Assess
    expect(reading).toThrow(expect.objectContaining({ code: 'SESSION_ERR_SNAPSHOT_CORRUPT' }));
  });
});

describe('jsonMembers', () => {
  it('finds each top-level member, the last of a repeated key winning', () => {
    // Prepare
    const text = '{"a":1,"b":{"c":[2,{"d":null}]},"e":"x\\u00e9","a":true}';

    // Act
    const spans = jsonMembers(text);

    // Assess
    const value = (key: string) => {
      const span = spans?.get(key);
      return span && JSON.parse(text.slice(span.start, span.end));
    };
    expect([...(spans?.keys() ?? [])]).toEqual(['a', 'b', 'e']);
    expect(value('a')).toBe(true);
    expect(value('b')).toEqual({ c: [2, { d: null }] });
    expect(value('e')).toBe('xé');
  });

  it.each([
    '',
    '[1]',
    '{"a":01}',
    '{"a":1.}',
    '{"a":NaN}',
    '{"a" 1}',
    '{"a":[1 2]}',
    '{"a":"\\x"}',
    '{"a":"\\u12"}',
    '{"a":"tab\tinside"}',
    '{"a":1} x',
    '{"a":{"b":1}',
    `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
  ])('refuses %j, which JSON.parse refuses or we never publish', (text) => {
    // Act
    const spans = jsonMembers(text);

    // Assess
    expect(spans).toBeUndefined();
  });
});
