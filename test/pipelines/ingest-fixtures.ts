import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import {
  createLogger,
  createTokenVerifier,
  type DataPaths,
  ensureDataPaths,
  ErasureRegisterCache,
  type Logger,
  loadPseudonymizer,
  mintToken,
  newEventId,
  type Pseudonymizer,
  type Role,
  TokenKeys,
} from '../../core/index.js';
import {
  createIngestService,
  type DrainClaim,
  type IngestService,
  type LandingBuffer,
  SqliteLandingBuffer,
} from '../../pipelines/index.js';
import { buildApp } from '../../serving/index.js';
import { quizAnswered } from '../core/factories.js';

export { quizAnswered };

/** A fresh data directory under the OS temp dir. */
export function tempDataPaths(prefix = 'luca-ingest-'): DataPaths {
  return ensureDataPaths(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDataDir(paths: DataPaths): void {
  rmSync(paths.root, { recursive: true, force: true });
}

/** A logger whose JSON lines are kept in memory, for assertions on log objects. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level, destination });

  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

export interface IngestHarness {
  paths: DataPaths;
  keys: TokenKeys;
  buffer: SqliteLandingBuffer;
  pseudonymizer: Pseudonymizer;
  ingest: IngestService;
  app: FastifyInstance;
  token(role: Role, subject?: string, tenantId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The ingest API in-process on a temp data directory (use `app.inject`), with
 * the erasure registers of that directory's lake.
 */
export async function ingestHarness(
  options: { highWaterMark?: number; logger?: Logger } = {},
): Promise<IngestHarness> {
  const paths = tempDataPaths();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const keys = await TokenKeys.load(paths.secrets);
  const buffer = new SqliteLandingBuffer({ dir: paths.buffer });
  const pseudonymizer = loadPseudonymizer(paths.secrets);
  const ingest = createIngestService({
    buffer,
    pseudonymizer,
    logger,
    highWaterMark: options.highWaterMark,
    erasures: new ErasureRegisterCache(paths.lake),
  });
  const app = await buildApp({ logger, verifyToken: createTokenVerifier(keys), ingest });

  return {
    paths,
    keys,
    buffer,
    pseudonymizer,
    ingest,
    app,
    token: (role, subject = `${role}-1`, tenantId = 't-school-a') =>
      mintToken(keys, { tenantId, role, subject }),
    async close() {
      await app.close();
      buffer.close();
      removeDataDir(paths);
    },
  };
}

/** A valid `evaluation.recorded` event (a grade event). */
export function evaluationRecorded(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    event_id: newEventId(),
    event_type: 'evaluation.recorded',
    schema_version: 1,
    occurred_at: new Date(Date.now() - 120_000).toISOString(),
    actor: { id: 'tch-0001', role: 'teacher' },
    student_id: 'stu-0001',
    payload: {
      evaluation_id: 'ev-1',
      subject_code: 'MAT',
      period_id: '2026-2027/P1',
      category: 'exam',
      score: 8.5,
      max_score: 10,
    },
    ...overrides,
  };
}

/** A valid `audit.recorded` event. */
export function auditRecorded(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: newEventId(),
    event_type: 'audit.recorded',
    schema_version: 1,
    occurred_at: new Date(Date.now() - 30_000).toISOString(),
    actor: { id: 'tch-0001', role: 'teacher' },
    student_id: 'stu-0001',
    payload: {
      action: 'student.session_read',
      resource_type: 'student',
      outcome: 'allowed',
    },
    ...overrides,
  };
}

/** `n` quiz events for distinct students `stu-<k>`. */
export function quizBatch(n: number, start = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const student = `stu-${String(start + i).padStart(5, '0')}`;
    return quizAnswered({ student_id: student, actor: { id: student, role: 'student' } });
  });
}

/** Rows in the buffer file, read independently of the buffer object: what a request wrote. */
export function writtenRows(paths: DataPaths): { pending: number; seen: number } {
  const db = new Database(join(paths.buffer, 'landing.sqlite'), { readonly: true });
  try {
    const count = (table: string) =>
      db.prepare(`select count(*) from ${table}`).pluck().get() as number;
    return { pending: count('pending_events'), seen: count('seen_event_ids') };
  } finally {
    db.close();
  }
}

/** The buffer's next claim, failing the test when nothing waits. */
export function claimOrFail(buffer: LandingBuffer, maxRows: number): DrainClaim {
  const claim = buffer.claim(maxRows);
  if (!claim) throw new Error('expected rows waiting in the buffer');

  return claim;
}
