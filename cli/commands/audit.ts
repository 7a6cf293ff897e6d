import { join } from 'node:path';
import type { Command } from 'commander';
import {
  auditErrors,
  importLegacyDatabase,
  readAuditEvents,
  verifyAuditLog,
} from '../../serving/audit/index.js';
import { numberArg } from '../options.js';
import { action, pathsOf } from '../program.js';

/** The log's directory; a SQLite log of the earlier format is carried over first. */
function auditDirOf(cmd: Command, dir: string | undefined): string {
  const state = pathsOf(cmd).state;
  const target = dir ?? join(state, 'audit');
  if (!dir) importLegacyDatabase(join(state, 'audit.db'), target);

  return target;
}

/** `luca audit verify` checks the hash chain; `luca audit export` prints `audit.recorded` events. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the read audit log (state/audit/)');

  audit
    .command('verify')
    .description('recompute the hash chain; exits non-zero when a record was altered or removed')
    .option('--dir <path>', 'audit log directory (default: <data-dir>/state/audit)')
    .action(
      action(async (options: { dir?: string }, cmd: Command) => {
        const dir = auditDirOf(cmd, options.dir);
        const result = verifyAuditLog(dir);
        process.stdout.write(`${JSON.stringify({ dir, ...result })}\n`);
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
    .option('--dir <path>', 'audit log directory (default: <data-dir>/state/audit)')
    .option(
      '--after <seq>',
      'last sequence number already shipped',
      numberArg({ whole: true, min: 0 }),
      0,
    )
    .option('--limit <n>', 'records to read', numberArg({ whole: true, min: 1 }), 5000)
    .action(
      action(async (options: { dir?: string; after: number; limit: number }, cmd: Command) => {
        const page = readAuditEvents(auditDirOf(cmd, options.dir), {
          afterSeq: options.after,
          limit: options.limit,
        });
        for (const event of page.events) process.stdout.write(`${JSON.stringify(event)}\n`);
        process.stderr.write(
          `${JSON.stringify({ events: page.events.length, skipped: page.skipped, last_seq: page.lastSeq })}\n`,
        );
      }),
    );
}
