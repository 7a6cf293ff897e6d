import type { Command } from 'commander';
import type { ChangeResult } from '../../jobs/grades/store/index.js';
import {
  type CliActor,
  runEvaluationChange,
  runEvaluationsExport,
  runEvaluationsImport,
  runOutboxRelay,
  type StoreOptions,
  withStore,
} from './evaluations-run.js';
import { checkedNumber } from '../options.js';
import { action, pathsOf } from '../program.js';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function number(value: string | undefined, flag: string): number | undefined {
  return checkedNumber(flag, value, {}, (message) => new Error(message));
}

interface ActorFlags {
  as: string;
  role: string;
  idempotencyKey?: string;
  today?: string;
}

function actorOf(flags: ActorFlags, cmd: Command): StoreOptions & CliActor {
  if (!['teacher', 'school_admin', 'service'].includes(flags.role)) {
    throw new Error('--role must be teacher, school_admin or service');
  }
  if (flags.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.today)) {
    throw new Error('--today must be YYYY-MM-DD');
  }

  return {
    dataDir: pathsOf(cmd).root,
    today: flags.today,
    actorId: flags.as,
    role: flags.role as CliActor['role'],
    idempotencyKey: flags.idempotencyKey,
  };
}

function withActorFlags(command: Command): Command {
  return command
    .option('--as <id>', 'who makes the change (teacher id, admin id)', 'cli-admin')
    .option('--role <role>', 'teacher, school_admin or service', 'school_admin')
    .option('--idempotency-key <key>', 'retrying with the same key answers the same way')
    .option('--today <date>', 'calendar date for period close rules (default: today)');
}

function summaryOf(result: ChangeResult) {
  const { history, ...current } = result.evaluation;

  return {
    replayed: result.replayed,
    evaluation: { ...current, change_count: history.length },
    events: result.events.map((e) => e.event_type),
  };
}

function registerChanges(evaluations: Command): void {
  withActorFlags(
    evaluations
      .command('record')
      .description('record an evaluation')
      .requiredOption('--tenant <tenant>', 'tenant id')
      .requiredOption('--student <id>', 'student id')
      .requiredOption('--subject <code>', 'subject code, e.g. MAT')
      .requiredOption('--period <id>', 'period, e.g. 2026-2027/P1')
      .requiredOption('--category <id>', 'category, e.g. exam')
      .requiredOption('--score <n>', 'score')
      .requiredOption('--max-score <n>', 'maximum score')
      .option('--id <evaluation_id>', 'client-chosen id (makes retries safe)')
      .option('--missing', 'not handed in')
      .option('--extra-credit', 'extra-credit evaluation'),
  ).action(
    action(
      async (flags: Record<string, string | boolean | undefined> & ActorFlags, cmd: Command) => {
        const input = {
          tenant_id: String(flags.tenant),
          evaluation_id: flags.id as string | undefined,
          student_id: String(flags.student),
          subject_code: String(flags.subject),
          period_id: String(flags.period),
          category: String(flags.category),
          score: number(String(flags.score), '--score') as number,
          max_score: number(String(flags.maxScore), '--max-score') as number,
          is_missing: flags.missing === true,
          is_extra_credit: flags.extraCredit === true,
        };
        print(
          summaryOf(await runEvaluationChange({ ...actorOf(flags, cmd), change: 'record', input })),
        );
      },
    ),
  );

  withActorFlags(
    evaluations
      .command('correct <evaluation_id>')
      .description('correct an evaluation (after the close, --reason is required)')
      .requiredOption('--tenant <tenant>', 'tenant id')
      .requiredOption('--score <n>', 'new score')
      .requiredOption('--reason-code <code>', 'capture_error, regrade, late_submission, ...')
      .option('--reason <text>', 'free-text reason (kept only in the store)')
      .option('--max-score <n>', 'new maximum score')
      .option('--missing', 'mark as not handed in')
      .option('--if-version <n>', 'refuse unless the evaluation is at this version'),
  ).action(
    action(
      async (
        id: string,
        flags: Record<string, string | boolean | undefined> & ActorFlags,
        cmd: Command,
      ) => {
        const input = {
          tenant_id: String(flags.tenant),
          evaluation_id: id,
          score: number(String(flags.score), '--score') as number,
          max_score: number(flags.maxScore as string | undefined, '--max-score'),
          is_missing: flags.missing === true ? true : undefined,
          reason_code: flags.reasonCode as never,
          reason: flags.reason as string | undefined,
          expected_version: number(flags.ifVersion as string | undefined, '--if-version'),
        };
        print(
          summaryOf(
            await runEvaluationChange({ ...actorOf(flags, cmd), change: 'correct', input }),
          ),
        );
      },
    ),
  );

  withActorFlags(
    evaluations
      .command('void <evaluation_id>')
      .description('void an evaluation (refused after the period close)')
      .requiredOption('--tenant <tenant>', 'tenant id')
      .option('--reason-code <code>', 'duplicate, capture_error, ...', 'other')
      .option('--reason <text>', 'free-text reason (kept only in the store)')
      .option('--if-version <n>', 'refuse unless the evaluation is at this version'),
  ).action(
    action(
      async (
        id: string,
        flags: Record<string, string | boolean | undefined> & ActorFlags,
        cmd: Command,
      ) => {
        const input = {
          tenant_id: String(flags.tenant),
          evaluation_id: id,
          reason_code: flags.reasonCode as never,
          reason: flags.reason as string | undefined,
          expected_version: number(flags.ifVersion as string | undefined, '--if-version'),
        };
        print(
          summaryOf(await runEvaluationChange({ ...actorOf(flags, cmd), change: 'void', input })),
        );
      },
    ),
  );
}

/** `luca evaluations import|record|correct|void|show|relay|export`. */
export function registerEvaluations(program: Command): void {
  const evaluations = program
    .command('evaluations')
    .description('evaluations in the local grades store');

  evaluations
    .command('import [file]')
    .description('bulk-import evaluation JSON lines (default: <data-dir>/seed/evaluations.jsonl)')
    .action(
      action(async (file: string | undefined, _options, cmd: Command) => {
        let lastLine = 0;
        const summary = await runEvaluationsImport({
          dataDir: pathsOf(cmd).root,
          file,
          onProgress: (done) => {
            if (Date.now() - lastLine < 2_000) return;
            lastLine = Date.now();
            process.stderr.write(
              `${JSON.stringify({ msg: 'import progress', rows_done: done })}\n`,
            );
          },
        });
        const { rejected, ...counts } = summary;
        const perSecond = Math.round(summary.lines / Math.max(summary.duration_ms / 1000, 0.001));
        print({
          ...counts,
          lines_per_second: perSecond,
          rejected: rejected.length,
          first_rejected: rejected.slice(0, 5),
        });
        if (rejected.length > 0) process.exitCode = 2;
      }),
    );

  registerChanges(evaluations);

  evaluations
    .command('show <evaluation_id>')
    .description('print an evaluation with its history')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .action(
      action(async (id: string, flags: { tenant: string }, cmd: Command) => {
        const item = await withStore({ dataDir: pathsOf(cmd).root }, (store) =>
          store.getEvaluation(flags.tenant, id),
        );
        if (!item) throw new Error(`no evaluation ${id} in tenant ${flags.tenant}`);
        print(item);
      }),
    );

  evaluations
    .command('relay')
    .description('forward the outbox to the landing buffer through the ingest service')
    .action(
      action(async (_options, cmd: Command) => {
        const summary = await runOutboxRelay({ dataDir: pathsOf(cmd).root });
        print(summary);
        if (summary.error || summary.rejected.length > 0) process.exitCode = 2;
      }),
    );

  evaluations
    .command('export')
    .description('write lake/curated/evaluations_current/ (Parquet) for the grades job')
    .action(
      action(async (_options, cmd: Command) => {
        print(await runEvaluationsExport({ dataDir: pathsOf(cmd).root }));
      }),
    );
}
