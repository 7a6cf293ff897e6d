import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { DuckDbEngine } from '../../../jobs/engine/index.js';
import { runErasure } from '../../../jobs/privacy/index.js';
import { runLand, stagingModelSql } from '../../../pipelines/index.js';
import {
  type IngestHarness,
  ingestHarness,
  quizAnswered,
} from '../../pipelines/ingest-fixtures.js';
import { buildStore, students, tenants } from './privacy-fixtures.js';

const [tenantId] = tenants;
const [erasedStudent, keptStudent] = students;

/** A quiz answer of a student (also its actor) from a device that was offline. */
function lateQuizOf(studentId: string): Record<string, unknown> {
  return quizAnswered({ student_id: studentId, actor: { id: studentId, role: 'student' } });
}

/** Student pseudonyms in the behaviour staging view (one row per event). */
async function stagedStudents(lakeRoot: string): Promise<string[]> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    const rows = await engine.query<{ student_id: string }>(
      `select student_id from (${stagingModelSql('behaviour', lakeRoot)}) order by all`,
    );

    return rows.map((row) => row.student_id);
  } finally {
    await engine.close();
  }
}

describe('late events after an erasure', () => {
  let harness: IngestHarness;

  beforeEach(async () => {
    harness = await ingestHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('refuses them at the door, drops any that reach the buffer, and the staging view has none', async () => {
    const { paths, pseudonymizer, buffer } = harness;
    const erasedP = pseudonymizer.pseudonym(tenantId, erasedStudent);
    const keptP = pseudonymizer.pseudonym(tenantId, keptStudent);
    const store = await buildStore(join(paths.state, 'grades.db'));
    await runErasure({
      tenantId,
      studentId: erasedStudent,
      store,
      lakeRoot: paths.lake,
      pseudonymizer,
      bufferDir: paths.buffer,
    });
    await store.close();
    const token = await harness.token('ingest', 'app', tenantId);

    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: { events: [lateQuizOf(erasedStudent), lateQuizOf(keptStudent)] },
    });
    // A row that reached the buffer without the ingest's check (appended the
    // instant before the register was seen, or by another producer).
    await buffer.append([
      {
        family: 'behaviour',
        tenant_id: tenantId,
        event_date: '2026-12-01',
        event_id: '0190a000-0000-7000-8000-000000000001',
        event_type: 'quiz.answered',
        schema_version: 1,
        occurred_at: '2026-12-01T15:00:00.000Z',
        received_at: '2026-12-01T15:00:01.000Z',
        actor_id: erasedP,
        actor_role: 'student',
        student_id: erasedP,
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        payload: JSON.stringify({ quiz_id: 'q1' }),
      },
    ]);
    const land = await runLand({ paths, logger: createLogger({ level: 'silent' }) });

    expect(response.statusCode).toBe(202);
    expect(
      response.json().results.map((r: { code?: string; status: string }) => r.code ?? r.status),
    ).toEqual(['INGEST_ERR_STUDENT_ERASED', 'accepted']);
    expect(land).toMatchObject({ rowsIn: 2, rowsOut: 1, erasedDropped: 1 });
    expect(await stagedStudents(paths.lake)).toEqual([keptP]);
  });
});
