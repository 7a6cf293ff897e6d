import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  type DataPaths,
  type Logger,
  loadPseudonymizer,
  newEventId,
  newTraceId,
} from '../../../core/index.js';
import { openLocalGradesStore } from '../../../jobs/grades/store/index.js';
import { runErasure, runRetention } from '../../../jobs/privacy/index.js';
import { localPrincipal, withLocalIngest } from '../../local-ingest.js';
import { count, type DemoContext, type DemoStage } from '../context.js';
import type { SeedEvaluationLine } from './grades-store.js';

/** The last student of the roster file: not the one the earlier stages follow. */
function lastStudent(context: DemoContext): { tenant_id: string; student_id: string } {
  const lines = readFileSync(join(context.paths.root, 'seed', 'roster.jsonl'), 'utf8').split('\n');
  const students = lines
    .filter((line) => line.includes('"kind":"student"'))
    .map((line) => JSON.parse(line) as { tenant_id: string; student_id: string });
  const followed = context.shared.correctedEvaluation as SeedEvaluationLine;
  const student = students.reverse().find((each) => each.student_id !== followed.student_id);
  if (!student) throw new Error('the roster has no second student to erase');

  return student;
}

/**
 * A late `lesson.completed` of the erased student (a device that was offline)
 * through the in-process ingest: its result, a refusal once the register
 * holds the student.
 */
async function postLateEvent(
  paths: DataPaths,
  logger: Logger,
  student: { tenant_id: string; student_id: string },
): Promise<string> {
  const event = {
    event_id: newEventId(),
    event_type: 'lesson.completed',
    schema_version: 1,
    occurred_at: new Date(Date.now() - 3_600_000).toISOString(),
    actor: { id: student.student_id, role: 'student' },
    student_id: student.student_id,
    payload: { lesson_id: 'lesson-offline', duration_seconds: 300 },
  };
  const result = await withLocalIngest(paths, logger, (ingest) =>
    ingest.ingestBatch(localPrincipal(student.tenant_id, 'ingest', 'demo'), [event], {
      traceId: newTraceId(),
    }),
  );
  const [answer] = result.results;

  return answer?.code ?? answer?.status ?? 'no result';
}

/** One student erased on request everywhere it can be, then the retention rules checked. */
export const privacyStage: DemoStage = {
  title: 'Privacy: erase one student on request, check retention',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const student = lastStudent(context);
    const store = openLocalGradesStore(paths);
    const redis = new Redis(context.redis.url);
    try {
      const erasure = await runErasure({
        tenantId: student.tenant_id,
        studentId: student.student_id,
        store,
        lakeRoot: paths.lake,
        pseudonymizer: loadPseudonymizer(paths.secrets),
        bufferDir: paths.buffer,
        redis,
        keyPrefix: context.redisPrefix,
        logger,
      });
      context.say(
        `   erased ${student.student_id}: roster record ${erasure.roster.student_removed ? 'removed' : 'absent'}, ` +
          `${erasure.lake.files_rewritten} lake files rewritten (${count(erasure.lake.rows_removed)} rows), ` +
          `${erasure.redis?.keys_deleted ?? 0} Redis keys, ${erasure.roster.evaluations_kept} evaluations ` +
          `kept as school records (ADR 0070), audit event ${erasure.audit_event.event_type}`,
      );
      const late = await postLateEvent(paths, logger, student);
      context.say(
        `   a late event of ${student.student_id} from an offline device: ${late} (ADR 0092)`,
      );
    } finally {
      await store.close();
      redis.disconnect();
    }
    const retention = await runRetention({ lakeRoot: paths.lake, isDryRun: true, logger });
    context.say(
      `   retention (dry run, as of ${retention.as_of}): ${retention.partitions.length} partitions ` +
        'past their limit (raw behaviour 400 days, grades and audit 5 years)',
    );
  },
};
