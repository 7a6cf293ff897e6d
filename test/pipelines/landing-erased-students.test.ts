import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  type DataPaths,
  type Logger,
  rawPartitionDir,
  registerErasure,
} from '../../core/index.js';
import {
  type BufferedEvent,
  Lander,
  type LandingBuffer,
  type SqliteLandingBuffer,
} from '../../pipelines/index.js';
import { sampleRow } from '../../bench/ingest/sample-rows.js';
import { capturingLogger } from './ingest-fixtures.js';
import {
  closeLandingDir,
  crashingBeforeComplete,
  openLandingDir,
  parquetFiles,
} from './landing-fixtures.js';

const tenantId = 't-bench-0';
const erased = 'p_erased0000000000000000';
const kept = 'p_kept00000000000000000000';

/** A buffered row of one tenant about `studentId`, who is also its actor unless told. */
function rowOf(studentId: string, overrides: Partial<BufferedEvent> = {}): BufferedEvent {
  return { ...sampleRow(0, 1), student_id: studentId, actor_id: studentId, ...overrides };
}

const teacher = 'p_teacher000000000000000';
const privacyJob = 'p_privacyjob0000000000000';

/** A grade row about the student (a teacher's evaluation). */
function gradeOf(studentId: string): BufferedEvent {
  const grade = { family: 'grade', event_type: 'evaluation.recorded' } as const;

  return rowOf(studentId, { ...grade, actor_id: teacher, actor_role: 'teacher' });
}

/** An audit row about the student (the erasure's own event). */
function auditOf(studentId: string): BufferedEvent {
  const audit = { family: 'audit', event_type: 'audit.recorded' } as const;

  return rowOf(studentId, { ...audit, actor_id: privacyJob, actor_role: 'service' });
}

function eraseInRegister(lakeRoot: string, pseudonym: string): void {
  registerErasure(lakeRoot, tenantId, {
    student_id: pseudonym,
    erased_at: '2026-12-03T10:00:00.000Z',
    audit_event_id: 'ev-erasure',
  });
}

/** `family|student_id|actor_id` of every landed row, sorted. */
async function landedRows(lakeRoot: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const keys: string[] = [];
    for (const file of parquetFiles(join(lakeRoot, 'raw'))) {
      const family = relative(join(lakeRoot, 'raw'), file).split('/')[0];
      const reader = await connection.runAndReadAll(
        `select student_id, actor_id from read_parquet('${file}', hive_partitioning = false)`,
      );
      for (const [student, actor] of reader.getRows()) keys.push(`${family}|${student}|${actor}`);
    }

    return keys.sort();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('Lander with the erasure register', () => {
  let paths: DataPaths;
  let buffer: SqliteLandingBuffer;

  beforeEach(() => {
    ({ paths, buffer } = openLandingDir('luca-landing-erased-'));
  });

  afterEach(() => closeLandingDir({ paths, buffer }));

  async function openLander(
    logger: Logger = createLogger({ level: 'silent' }),
    on: LandingBuffer = buffer,
  ) {
    return Lander.open({ buffer: on, lakeRoot: paths.lake, logger, maxRowsPerDrain: 100 });
  }

  it("leaves out an erased student's grade and behaviour rows, keeps audit rows, lands the rest", async () => {
    eraseInRegister(paths.lake, erased);
    await buffer.append([
      rowOf(erased),
      rowOf(kept),
      rowOf(kept, { actor_id: erased }),
      gradeOf(erased),
      gradeOf(kept),
      auditOf(erased),
    ]);
    const { logger, lines } = capturingLogger('info');
    const lander = await openLander(logger);

    const summary = await lander.drainAll();
    lander.close();

    expect(await landedRows(paths.lake)).toEqual([
      `audit|${erased}|${privacyJob}`,
      `behaviour|${kept}|${kept}`,
      `grade|${kept}|${teacher}`,
    ]);
    expect(summary).toMatchObject({ rowsIn: 6, rowsOut: 3, erasedDropped: 3 });
    expect(buffer.depth()).toBe(0);
    const landed = lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'range landed');
    expect(landed).toMatchObject({ rows_in: 6, rows_out: 3, erased_dropped: 3 });
  });

  it('writes no file for a partition that held only erased rows', async () => {
    eraseInRegister(paths.lake, erased);
    await buffer.append([
      rowOf(erased, { event_date: '2026-09-07' }),
      rowOf(kept, { event_date: '2026-09-08' }),
    ]);
    const lander = await openLander();

    await lander.drainAll();
    lander.close();

    expect(existsSync(rawPartitionDir(paths.lake, 'behaviour', tenantId, '2026-09-07'))).toBe(
      false,
    );
    expect(
      parquetFiles(rawPartitionDir(paths.lake, 'behaviour', tenantId, '2026-09-08')),
    ).toHaveLength(1);
  });

  it('sees an erasure registered while it runs on its next drain', async () => {
    const lander = await openLander();
    await buffer.append([rowOf(erased)]);
    const before = await lander.drainOnce();

    eraseInRegister(paths.lake, erased);
    await buffer.append([rowOf(erased), rowOf(kept)]);
    const after = await lander.drainOnce();
    lander.close();

    expect(before).toMatchObject({ rows: 1, rowsWritten: 1, erasedDropped: 0 });
    expect(after).toMatchObject({ rows: 2, rowsWritten: 1, erasedDropped: 1 });
  });

  it('rewrites the same file names without the erased rows when a crashed claim resumes', async () => {
    await buffer.append([rowOf(erased), rowOf(kept)]);
    const crashed = await openLander(
      createLogger({ level: 'silent' }),
      crashingBeforeComplete(buffer),
    );
    await expect(crashed.drainOnce()).rejects.toThrow('killed before complete');
    crashed.close();
    const namesAfterCrash = parquetFiles(paths.lake).map((file) => relative(paths.lake, file));

    eraseInRegister(paths.lake, erased);
    const lander = await openLander();
    const resumed = await lander.drainOnce();
    lander.close();

    expect(resumed).toMatchObject({ isResumed: true, rowsWritten: 1, erasedDropped: 1 });
    expect(parquetFiles(paths.lake).map((file) => relative(paths.lake, file))).toEqual(
      namesAfterCrash,
    );
    expect(await landedRows(paths.lake)).toEqual([`behaviour|${kept}|${kept}`]);
  });
});
