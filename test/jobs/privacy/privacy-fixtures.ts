import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pseudonymizer, rawPartitionDir } from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import { type RosterRecord, SqliteGradesStore } from '../../../jobs/grades/store/index.js';
import { type BufferedEvent, SqliteLandingBuffer } from '../../../pipelines/buffer/index.js';

export const tenants = ['t-privacy-a', 't-privacy-b'] as const;
export const students = ['s-erased', 's-kept'] as const;
export const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'luca-privacy-'));
}

/** One raw event row of a student: the student is also the actor (a quiz answer). */
export function eventRow(tenantId: string, studentId: string, n: number, date: string) {
  const p = pseudonymizer.pseudonym(tenantId, studentId);

  return {
    event_id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    event_type: 'quiz.answered',
    schema_version: 1,
    occurred_at: `${date}T15:00:00.000Z`,
    received_at: `${date}T15:00:01.000Z`,
    actor_id: p,
    actor_role: 'student',
    student_id: p,
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    payload: JSON.stringify({ quiz_id: 'q1', score: n % 10 }),
  };
}

type Row = ReturnType<typeof eventRow>;

/** Writes rows as one Parquet file with DuckDB (the lander's column order). */
export async function writeParquet(engine: DuckDbEngine, file: string, rows: Row[]) {
  const values = rows
    .map((r) =>
      [
        sqlString(r.event_id),
        sqlString(r.event_type),
        r.schema_version,
        `${sqlString(r.occurred_at)}::timestamptz`,
        `${sqlString(r.received_at)}::timestamptz`,
        sqlString(r.actor_id),
        sqlString(r.actor_role),
        sqlString(r.student_id),
        sqlString(r.trace_id),
        sqlString(r.payload),
      ].join(', '),
    )
    .map((row) => `(${row})`)
    .join(',\n');
  const columns =
    'event_id, event_type, schema_version, occurred_at, received_at, actor_id, ' +
    'actor_role, student_id, trace_id, payload';
  await engine.run(
    `copy (select * from (values ${values}) as t(${columns})) to ${sqlString(file)} (format parquet)`,
  );
}

/**
 * Two tenants, each with two students on two days (behaviour and grade), one
 * file holding only the erased student, an audit file naming them, and a
 * curated features file.
 */
export async function buildLake(lakeRoot: string): Promise<void> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  let n = 0;
  const rows = (tenantId: string, studentId: string, date: string, count: number) =>
    Array.from({ length: count }, () => eventRow(tenantId, studentId, n++, date));
  for (const tenantId of tenants) {
    for (const date of ['2026-09-01', '2026-09-02']) {
      for (const family of ['behaviour', 'grade', 'audit'] as const) {
        const dir = rawPartitionDir(lakeRoot, family, tenantId, date);
        mkdirSync(dir, { recursive: true });
        const mixed = [
          ...rows(tenantId, students[0], date, 3),
          ...rows(tenantId, students[1], date, 2),
        ];
        await writeParquet(engine, join(dir, 'part-000000000001-000000000010.parquet'), mixed);
      }
    }
    const only = rawPartitionDir(lakeRoot, 'behaviour', tenantId, '2026-09-03');
    mkdirSync(only, { recursive: true });
    await writeParquet(
      engine,
      join(only, 'part-1.parquet'),
      rows(tenantId, students[0], '2026-09-03', 4),
    );
    const keptOnly = rawPartitionDir(lakeRoot, 'behaviour', tenantId, '2026-09-04');
    mkdirSync(keptOnly, { recursive: true });
    await writeParquet(
      engine,
      join(keptOnly, 'part-1.parquet'),
      rows(tenantId, students[1], '2026-09-04', 4),
    );
    await writeCurated(engine, lakeRoot, tenantId);
  }
  await engine.close();
}

async function writeCurated(engine: DuckDbEngine, lakeRoot: string, tenantId: string) {
  const dir = join(
    lakeRoot,
    'curated',
    'student_features',
    'snapshot_date=2026-09-02',
    `tenant_id=${tenantId}`,
  );
  mkdirSync(dir, { recursive: true });
  const values = students
    .map((s) => `(${sqlString(pseudonymizer.pseudonym(tenantId, s))}, 0.5::double)`)
    .join(', ');
  await engine.run(
    `copy (select * from (values ${values}) as t(student_id, engagement)) ` +
      `to ${sqlString(join(dir, 'part-0.parquet'))} (format parquet)`,
  );
}

/** A distinct name per tenant and student, so a byte search finds one record only. */
export function nameOf(tenantId: string, studentId: string): string {
  return `Nombre ${studentId} ${tenantId}`;
}

export function curpOf(tenantId: string, studentId: string): string {
  const letters = `${tenantId.at(-1)}${studentId.at(2)}`.toUpperCase();

  return `GO${letters}100101HDFRRN09`;
}

function student(tenantId: string, studentId: string): RosterRecord {
  const data = {
    tenant_id: tenantId,
    student_id: studentId,
    name: nameOf(tenantId, studentId),
    curp: curpOf(tenantId, studentId),
    group_id: 'g-1',
    grade_level: 3,
  };

  return { tenant_id: tenantId, kind: 'student', id: studentId, group_id: 'g-1', data };
}

function guardian(tenantId: string, guardianId: string, studentIds: string[]): RosterRecord {
  const data = {
    tenant_id: tenantId,
    guardian_id: guardianId,
    name: 'Tutor',
    student_ids: studentIds,
  };

  return { tenant_id: tenantId, kind: 'guardian', id: guardianId, group_id: null, data };
}

/** Both students in both tenants; one guardian of the erased student only, one of both. */
export async function buildStore(file: string): Promise<SqliteGradesStore> {
  const store = SqliteGradesStore.open({ file });
  await store.putRoster(
    tenants.flatMap((t) => [
      student(t, students[0]),
      student(t, students[1]),
      guardian(t, 'g-only', [students[0]]),
      guardian(t, 'g-both', [students[0], students[1]]),
    ]),
  );

  return store;
}

/** Waiting buffer rows: two per student per tenant. */
export async function buildBuffer(dir: string): Promise<void> {
  const buffer = new SqliteLandingBuffer({ dir });
  const events: BufferedEvent[] = tenants.flatMap((t, i) =>
    students.flatMap((s, j) =>
      [0, 1].map((k) => ({
        ...eventRow(t, s, 9000 + i * 10 + j * 2 + k, '2026-09-05'),
        tenant_id: t,
        event_date: '2026-09-05',
        family: 'behaviour' as const,
      })),
    ),
  );
  await buffer.append(events);
  buffer.close();
}
