import { join } from 'node:path';
import type { Command } from 'commander';
import { auditErrors, readAuditEvents, verifyAuditLog } from '../../serving/audit/index.js';
import { action, pathsOf } from '../program.js';

function auditPathOf(cmd: Command, file: string | undefined): string {
  return file ?? join(pathsOf(cmd).state, 'audit.db');
}

/** `luca audit verify` checks the hash chain; `luca audit export` prints `audit.recorded` events. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the read audit log (state/audit.db)');

  audit
    .command('verify')
    .description('recompute the hash chain; exits non-zero when a record was altered or removed')
    .option('--file <path>', 'audit log (default: <data-dir>/state/audit.db)')
    .action(
      action(async (options: { file?: string }, cmd: Command) => {
        const path = auditPathOf(cmd, options.file);
        const result = verifyAuditLog(path);
        process.stdout.write(`${JSON.stringify({ file: path, ...result })}\n`);
        if (!result.ok) {
          throw auditErrors.create(
            'AUDIT_ERR_CHAIN_BROKEN',
            `Record ${result.brokenAt?.seq} does not chain (${result.brokenAt?.reason}); ` +
              'restore the log from a backup and investigate who wrote to it.',
          );
        }
      }),
    );

  audit
    .command('export')
    .description('print audit records after a sequence number as audit.recorded events (NDJSON)')
    .option('--file <path>', 'audit log (default: <data-dir>/state/audit.db)')
    .option('--after <seq>', 'last sequence number already shipped', '0')
    .option('--limit <n>', 'records to read', '5000')
    .action(
      action(async (options: { file?: string; after: string; limit: string }, cmd: Command) => {
        const page = readAuditEvents(auditPathOf(cmd, options.file), {
          afterSeq: Number(options.after),
          limit: Number(options.limit),
        });
        for (const event of page.events) process.stdout.write(`${JSON.stringify(event)}\n`);
        process.stderr.write(
          `${JSON.stringify({ events: page.events.length, skipped: page.skipped, last_seq: page.lastSeq })}\n`,
        );
      }),
    );
}
