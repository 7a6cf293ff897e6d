import { createHash, randomUUID } from 'node:crypto';
import { createLogger, type Logger, newTraceId } from '../../core/index.js';
import { type CutoffRecord, readCutoff } from '../cutoff/index.js';
import { type PreparedBatch, planSchoolBatches } from './batch-plan.js';
import { sendBatch } from './batch-sender.js';
import type { RegistryCredentials } from './credentials.js';
import type { AmendmentRow, BatchRow, SyncLedger } from './ledger.js';
import { callRegistry, type ListedGrade, listRegistry, naturalKey } from './registry-calls.js';
import { inParallel, prepareCutoff, registryClient, schoolContext } from './run-sync.js';
import { resolveTuning, type SyncTuning } from './sync-tuning.js';

export interface ResendOptions {
  readonly lakeRoot: string;
  /** The cutoff version holding the fixed data (a new version after the roster or grade fix). */
  readonly cutoffId: string;
  readonly registryUrl: string;
  readonly credentials: RegistryCredentials;
  readonly ledger: SyncLedger;
  readonly tuning?: Partial<SyncTuning>;
  readonly logger?: Logger;
}

export interface ResendSummary {
  readonly cutoff_id: string;
  readonly amendments_sent: number;
  readonly amendments_by_status: Readonly<Record<string, number>>;
  readonly records_resent: number;
  readonly records_unchanged: number;
  /** Rejected before with the same content, or already sent under this cutoff: not sent again. */
  readonly records_skipped: number;
  readonly duration_ms: number;
}

/** The grade the registry would hold for a sent grade (failing grades are registered as 5). */
function registeredFor(grade: number): number {
  return grade < 6 ? 5 : grade;
}

/**
 * Records that resending cannot help: already answered under this cutoff, or
 * rejected under the previous version with exactly the same content.
 */
async function notWorthResending(options: ResendOptions, previousId: string | null) {
  const skip = new Set((await options.ledger.results(options.cutoffId)).map((r) => r.record_id));
  if (!previousId) return () => (record: CutoffRecord) => skip.has(record.record_id);
  const previous = readCutoff(options.lakeRoot, previousId);
  const before = new Map(
    [...previous.records.values()].flat().map((r) => [r.record_id, JSON.stringify(r)]),
  );
  const rejected = new Set(
    (await options.ledger.results(previousId))
      .filter((r) => r.status === 'rejected')
      .map((r) => r.record_id),
  );

  return () => (record: CutoffRecord) =>
    skip.has(record.record_id) ||
    (rejected.has(record.record_id) && before.get(record.record_id) === JSON.stringify(record));
}

/** Re-plans the missing records as resend batches named by content, so a re-run is safe. */
function resendBatches(cutoffId: string, cct: string, period: string, records: CutoffRecord[]) {
  return planSchoolBatches(cutoffId, cct, period, records).map(({ body, plan }): PreparedBatch => {
    const batchId = `${cct}-r-${plan.request_hash.slice(0, 16)}`;
    const key = `luca:${cutoffId}:${batchId}`;

    return { body, plan: { ...plan, batch_id: batchId, batch_seq: 0, idempotency_key: key } };
  });
}

async function amend(
  context: Parameters<typeof callRegistry>[0],
  options: ResendOptions,
  cct: string,
  period: string,
  record: CutoffRecord,
  listed: ListedGrade,
) {
  const digest = createHash('sha256').update(`${record.grade}`).digest('hex').slice(0, 12);
  const key = `luca:amend:${options.cutoffId}:${record.record_id}:${digest}`;
  const path = `/v1/schools/${cct}/periods/${encodeURIComponent(period)}/grades/${record.curp}/${record.subject_code}`;
  const traceId = newTraceId();
  const outcome = await callRegistry(
    context,
    {
      method: 'PUT',
      path,
      headers: {
        'idempotency-key': key,
        traceparent: `00-${traceId}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
      },
      json: { grade: record.grade, reason: `school amendment in ${options.cutoffId}` },
    },
    200,
  );
  const body = outcome.body as { status?: string; code?: string; registered_grade?: number };
  const row: AmendmentRow = {
    cutoff_id: options.cutoffId,
    record_id: record.record_id,
    idempotency_key: key,
    trace_id: traceId,
    http_status: outcome.status,
    status: outcome.status === 200 ? (body.status ?? null) : 'failed',
    code: body.code ?? null,
    previous_grade: listed.grade,
    sent_grade: record.grade,
    registered_grade: body.registered_grade ?? null,
    amended_at: new Date().toISOString(),
  };
  await options.ledger.recordAmendment(row);

  return row.status ?? 'unknown';
}

/**
 * Sends what a fixed cutoff version changes: grades the registry holds with
 * another value are amended with PUT; records the registry does not hold
 * (previously rejected or unsendable, now fixed) are submitted in new batches.
 * Everything goes through the ledger, with idempotency keys derived from the
 * content, so running it twice sends nothing twice.
 */
export async function resendCutoff(options: ResendOptions): Promise<ResendSummary> {
  const started = performance.now();
  const tuning = resolveTuning(options.tuning);
  const logger = options.logger ?? createLogger({ base: { job: 'sync-resend' } });
  const cutoff = readCutoff(options.lakeRoot, options.cutoffId);
  const { manifest } = cutoff;
  const runOptions = { ...options, cutoffIds: [options.cutoffId] };
  await prepareCutoff(runOptions, { ...cutoff, records: new Map() }, tuning);
  const { http, timeouts } = registryClient(options.registryUrl, tuning);
  const byStatus: Record<string, number> = {};
  let resent = 0;
  let unchanged = 0;
  let amended = 0;
  let skipped = 0;
  const isNotWorthIt = (await notWorthResending(options, manifest.previous_cutoff_id))();
  try {
    for (const [cct, records] of cutoff.records) {
      const school = schoolContext(
        runOptions,
        cutoff,
        cct,
        http,
        timeouts,
        randomUUID(),
        tuning,
        logger,
      );
      const context = {
        http,
        tokens: school.tokens,
        backoff: tuning.backoff,
        maxFailures: tuning.maxFailures,
        bucket: school.bucket,
      };
      const listed = new Map(
        (await listRegistry(context, cct, manifest.period_id)).map((g) => [
          naturalKey(g.curp, g.subject_code),
          g,
        ]),
      );
      const missing: CutoffRecord[] = [];
      for (const record of records) {
        const current = listed.get(naturalKey(record.curp, record.subject_code));
        if (!current && isNotWorthIt(record)) skipped += 1;
        else if (!current) missing.push(record);
        else if (current.grade === registeredFor(record.grade)) unchanged += 1;
        else {
          const status = await amend(context, options, cct, manifest.period_id, record, current);
          byStatus[status] = (byStatus[status] ?? 0) + 1;
          amended += 1;
        }
      }
      const prepared = resendBatches(options.cutoffId, cct, manifest.period_id, missing);
      await options.ledger.planBatches(prepared.map((p) => p.plan));
      const rows = new Map(
        (await options.ledger.batches(options.cutoffId)).map((b) => [b.batch_id, b]),
      );
      const pending = prepared.filter((p) => rows.get(p.plan.batch_id)?.state === 'pending');
      await inParallel(pending, tuning.inFlightPerSchool, (p) =>
        sendBatch(school, rows.get(p.plan.batch_id) as BatchRow, p),
      );
      resent += pending.reduce((sum, p) => sum + p.plan.record_ids.length, 0);
    }
  } finally {
    await http.close();
  }
  const summary = {
    cutoff_id: options.cutoffId,
    amendments_sent: amended,
    amendments_by_status: byStatus,
    records_resent: resent,
    records_unchanged: unchanged,
    records_skipped: skipped,
    duration_ms: Math.round(performance.now() - started),
  };
  logger.info(summary, 'resend finished');

  return summary;
}
