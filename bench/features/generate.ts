import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEngine, sqlString } from '../../jobs/engine/index.js';

export interface GenerateOptions {
  lakeRoot: string;
  tenant: string;
  events: number;
  students: number;
  /** Local days the events spread over, ending at `asOf`. */
  days: number;
  asOf: string;
  topics: number;
}

/**
 * Writes synthetic behaviour events in the lake layout with DuckDB
 * (`generate_series`, hive `PARTITION_BY`), pseudonym-shaped student ids and
 * realistic payloads for every event type. Deterministic: the same options
 * give the same rows.
 *
 * Each drawn attribute hashes its own integer (`i * 5 + k`). DuckDB combines
 * the hashes of `hash(i, 'student')` and `hash(i, 'topic')` so that their
 * difference does not depend on `i`: with those seeds every student saw one
 * topic only and half of the days, which made documents smaller than real ones.
 */
export async function generateEvents(options: GenerateOptions): Promise<void> {
  const engine = await DuckDbEngine.open();
  try {
    const first = `timestamptz '${options.asOf} 06:00:00+00' - interval ${options.days - 1} day`;
    const sql = `
      with numbered as (
        select
          i,
          hash(i * 5) % ${options.students} as student_no,
          hash(i * 5 + 1) % 100 as type_roll,
          hash(i * 5 + 2) % ${options.topics} as topic_no,
          ${first}
            + to_days(cast(hash(i * 5 + 3) % ${options.days} as integer))
            + to_seconds(cast(hash(i * 5 + 4) % 57600 + 25200 as bigint)) as occurred_at
        from generate_series(0, ${options.events - 1}) as t(i)
      ),
      typed as (
        select *,
          case
            when type_roll < 10 then 'session.started'
            when type_roll < 18 then 'session.ended'
            when type_roll < 40 then 'video.watched'
            when type_roll < 75 then 'quiz.answered'
            when type_roll < 82 then 'game.completed'
            when type_roll < 90 then 'lesson.completed'
            else 'hint.requested'
          end as event_type
        from numbered
      )
      select
        '0190' || lpad(printf('%x', i), 28, '0') as event_id,
        event_type,
        1 as schema_version,
        occurred_at,
        occurred_at + interval 2 second as received_at,
        'p_bench' || lpad(cast(student_no as varchar), 15, '0') as actor_id,
        'student' as actor_role,
        'p_bench' || lpad(cast(student_no as varchar), 15, '0') as student_id,
        lpad(printf('%x', i), 32, '0') as trace_id,
        case event_type
          when 'video.watched' then printf('{"video_id":"v%d","topic_id":"t%d","seconds_watched":%d,"duration_seconds":300}', i % 97, topic_no, i % 300)
          when 'quiz.answered' then printf('{"quiz_id":"q%d","question_id":"x%d","topic_id":"t%d","is_correct":%s,"attempt":1,"time_ms":%d}', i % 31, i % 401, topic_no, case when i % 3 = 0 then 'false' else 'true' end, 5000 + i % 40000)
          when 'game.completed' then printf('{"game_id":"g%d","topic_id":"t%d","score":%d,"max_score":100,"duration_seconds":%d}', i % 13, topic_no, i % 100, 60 + i % 400)
          when 'lesson.completed' then printf('{"lesson_id":"l%d","topic_id":"t%d","duration_seconds":%d}', i % 53, topic_no, 120 + i % 900)
          when 'hint.requested' then printf('{"question_id":"x%d","topic_id":"t%d"}', i % 401, topic_no)
          when 'session.ended' then printf('{"session_id":"s%d","duration_seconds":%d}', i, 300 + i % 1800)
          else printf('{"session_id":"s%d","device":"web"}', i)
        end as payload,
        ${sqlString(options.tenant)} as tenant_id,
        strftime(occurred_at, '%Y-%m-%d') as event_date
      from typed`;
    const target = join(options.lakeRoot, 'raw', 'behaviour');
    mkdirSync(target, { recursive: true });
    await engine.run(
      `copy (${sql}) to ${sqlString(target)} (format parquet, compression zstd, partition_by (tenant_id, event_date), overwrite_or_ignore true)`,
    );
  } finally {
    await engine.close();
  }
}
