import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sqlPath } from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';

/** One behaviour event as a test writes it (UTC instants). */
export interface TestEvent {
  student: string;
  type: string;
  at: string;
  payload?: Record<string, unknown>;
  eventId?: string;
  receivedAt?: string;
}

let counter = 0;

/** A UUIDv7-shaped id, unique per call. */
export function testEventId(): string {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');

  return `01890000-0000-7000-8000-${hex}`;
}

export const events = {
  quiz(student: string, at: string, isCorrect: boolean, topic = 'fractions', timeMs = 30_000) {
    const payload = {
      quiz_id: 'q1',
      question_id: randomUUID().slice(0, 8),
      topic_id: topic,
      is_correct: isCorrect,
      attempt: 1,
      time_ms: timeMs,
    };

    return { student, type: 'quiz.answered', at, payload };
  },
  video(student: string, at: string, watched: number, duration: number) {
    return {
      student,
      type: 'video.watched',
      at,
      payload: { video_id: 'v1', seconds_watched: watched, duration_seconds: duration },
    };
  },
  lesson(student: string, at: string, seconds: number) {
    return {
      student,
      type: 'lesson.completed',
      at,
      payload: { lesson_id: 'l1', duration_seconds: seconds },
    };
  },
  hint(student: string, at: string) {
    return { student, type: 'hint.requested', at, payload: { question_id: 'x1' } };
  },
  session(student: string, at: string) {
    return { student, type: 'session.started', at, payload: { session_id: 's1', device: 'web' } };
  },
} as const;

/** A fresh lake directory under the OS temp dir. */
export function tempLake(): string {
  return mkdtempSync(join(tmpdir(), 'luca-features-'));
}

/** The landing area's staging model, which the features job reads through. */
export function stagingModelForTests(): string {
  return sqlPath('staging', 'stg_events__behaviour.sql');
}

/**
 * Writes events as raw Parquet in the lake layout, one file per UTC date
 * partition (`event_date` is the UTC date of `occurred_at`, like the lander).
 */
export async function writeRawEvents(
  lake: string,
  tenant: string,
  list: TestEvent[],
  fileName = randomUUID(),
) {
  const byDate = new Map<string, TestEvent[]>();
  for (const event of list) {
    const date = event.at.slice(0, 10);
    byDate.set(date, [...(byDate.get(date) ?? []), event]);
  }
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    for (const [date, dayEvents] of byDate) {
      const dir = join(lake, 'raw', 'behaviour', `tenant_id=${tenant}`, `event_date=${date}`);
      mkdirSync(dir, { recursive: true });
      const json = join(dir, `${fileName}.ndjson.tmp`);
      writeFileSync(json, dayEvents.map((event) => JSON.stringify(toRow(event))).join('\n'));
      await engine.run(
        `copy (${rowsSql(json)}) to ${sqlString(join(dir, `${fileName}.parquet`))} (format parquet)`,
      );
      rmSync(json);
    }
  } finally {
    await engine.close();
  }
}

function toRow(event: TestEvent) {
  return {
    event_id: event.eventId ?? testEventId(),
    event_type: event.type,
    schema_version: 1,
    occurred_at: event.at,
    received_at: event.receivedAt ?? event.at,
    actor_id: event.student,
    actor_role: 'student',
    student_id: event.student,
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    payload: JSON.stringify(event.payload ?? {}),
  };
}

function rowsSql(json: string): string {
  return `select
      event_id, event_type, cast(schema_version as integer) as schema_version,
      cast(occurred_at as timestamptz) as occurred_at,
      cast(received_at as timestamptz) as received_at,
      actor_id, actor_role, student_id, trace_id, payload
    from read_json(${sqlString(json)}, format = 'newline_delimited', columns = {
      event_id: 'varchar', event_type: 'varchar', schema_version: 'integer',
      occurred_at: 'varchar', received_at: 'varchar', actor_id: 'varchar',
      actor_role: 'varchar', student_id: 'varchar', trace_id: 'varchar', payload: 'varchar'
    })`;
}

/** Reads one tenant's feature rows back, keyed `student/feature[/topic]`. */
export async function readFeatures(dir: string): Promise<Map<string, Record<string, unknown>>> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    const rows = await engine.query(
      `select * from read_parquet(${sqlString(join(dir, '*.parquet'))})`,
    );
    const map = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const key = [row.student_id, row.feature_id, row.topic_id]
        .filter((part) => part !== null)
        .join('/');
      map.set(key, row);
    }

    return map;
  } finally {
    await engine.close();
  }
}

/** The UTC instant of a school-local time: `local('2026-10-15', '09:30')`. */
export function local(date: string, time: string): string {
  return new Date(Date.parse(`${date}T${time}:00.000Z`) + 6 * 3_600_000).toISOString();
}

/** Runs the features job on a test lake and returns one tenant's rows. */
export async function featuresFor(lake: string, tenant: string, asOf: string) {
  const { runFeatures } = await import('../../../jobs/features/index.js');
  const summary = await runFeatures({
    lakeRoot: lake,
    asOf,
    tenants: [tenant],
    stagingModelPath: stagingModelForTests(),
    threads: 1,
  });
  const output = summary.tenants[0]?.output;
  const rows = output ? await readFeatures(output) : new Map<string, Record<string, unknown>>();

  return {
    summary,
    rows,
    value: (key: string) => (rows.has(key) ? rows.get(key)?.value : 'missing'),
  };
}
