import type { Command } from 'commander';
import { Redis } from 'ioredis';
import {
  createLogger,
  type DataPaths,
  type IncomingEnvelope,
  loadPseudonymizer,
} from '../../core/index.js';
import { openLocalGradesStore } from '../../jobs/grades/store/index.js';
import { type ErasureSummary, runErasure } from '../../jobs/privacy/index.js';
import { localPrincipal, withLocalIngest } from '../local-ingest.js';
import { action, pathsOf } from '../program.js';

interface EraseOptions {
  tenant: string;
  student: string;
  redisUrl?: string;
  keyPrefix: string;
}

/** Sends the erasure's audit event through the ingest path into the landing buffer. */
function auditSink(paths: DataPaths) {
  return async (event: IncomingEnvelope) => {
    // Audit events pass the erasure register (this one names the erased student).
    const principal = localPrincipal(String(event.tenant_id), 'service', 'privacy-job');
    const traceId = String(event.trace_id);
    const result = await withLocalIngest(paths, createLogger({ level: 'warn' }), (ingest) =>
      ingest.ingestBatch(principal, [event], { traceId }),
    );
    const rejection = result.results.find((r) => r.status === 'rejected');
    if (rejection) throw new Error(`audit event rejected: ${rejection.code} ${rejection.message}`);
  };
}

function printSummary(s: ErasureSummary): void {
  const redis = s.redis
    ? `${s.redis.keys_deleted} keys, ${s.redis.guardian_links_removed} guardian links`
    : 'not touched';
  process.stdout.write(
    `${s.tenant_id}: roster student ${s.roster.student_removed ? 'removed' : 'absent'}, ` +
      `${s.roster.guardians_unlinked} guardians unlinked, ${s.roster.guardians_removed} removed, ` +
      `${s.roster.evaluations_kept} evaluations kept\n` +
      `  lake: ${s.lake.files_scanned} files scanned, ${s.lake.files_rewritten} rewritten, ` +
      `${s.lake.files_deleted} deleted, ${s.lake.rows_removed} rows removed\n` +
      `  buffer: ${s.buffer_rows_removed} rows removed; redis: ${redis}\n` +
      `  audit event ${s.audit_event.event_id} (${s.is_nothing_left ? 'nothing was left' : 'erased'}), ` +
      `${s.duration_ms} ms\n`,
  );
}

/** `luca erase --tenant T --student S`: erases one student's personal data on request. */
export function registerErase(program: Command): void {
  program
    .command('erase')
    .description("erase one student's personal data (roster, lake, buffer, Redis); safe to rerun")
    .requiredOption('--tenant <tenant>', 'the school (tenant id)')
    .requiredOption('--student <student>', 'the student id (not the pseudonym)')
    .option('--redis-url <url>', 'Redis (default: $LUCA_REDIS_URL or redis://127.0.0.1:6379)')
    .option('--key-prefix <prefix>', 'Redis key prefix', 'luca:')
    .action(
      action(async (options: EraseOptions, cmd: Command) => {
        const paths = pathsOf(cmd);
        const url = options.redisUrl ?? process.env.LUCA_REDIS_URL ?? 'redis://127.0.0.1:6379';
        const redis = new Redis(url, { maxRetriesPerRequest: 2 });
        const store = openLocalGradesStore(paths);
        try {
          const summary = await runErasure({
            tenantId: options.tenant,
            studentId: options.student,
            store,
            lakeRoot: paths.lake,
            pseudonymizer: loadPseudonymizer(paths.secrets),
            bufferDir: paths.buffer,
            redis,
            keyPrefix: options.keyPrefix,
            sink: auditSink(paths),
            logger: createLogger({ destination: process.stderr }),
          });
          printSummary(summary);
        } finally {
          await store.close();
          redis.disconnect();
        }
      }),
    );
}
