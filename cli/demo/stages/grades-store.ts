import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isLucaError } from '../../../core/index.js';
import {
  runEvaluationChange,
  runEvaluationsImport,
  runOutboxRelay,
} from '../../commands/evaluations-run.js';
import { runRosterImport } from '../../commands/roster.js';
import { count, type DemoContext, type DemoStage } from '../context.js';

export interface SeedEvaluationLine {
  tenant_id: string;
  evaluation_id: string;
  teacher_id: string;
  student_id: string;
  subject_code: string;
  period_id: string;
  is_missing: boolean;
  is_extra_credit: boolean;
}

/** The first first-period evaluation in the seed's file: the one the demo corrects after close. */
async function firstClosedPeriodEvaluation(file: string): Promise<SeedEvaluationLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const row = JSON.parse(line) as SeedEvaluationLine;
    if (row.period_id === '2026-2027/P1' && !row.is_missing && !row.is_extra_credit) {
      lines.close();
      return row;
    }
  }
  throw new Error(`no P1 evaluation in ${file}`);
}

/** After-close correction: refused without a reason, accepted and audited with one. */
async function correctAfterClose(context: DemoContext): Promise<void> {
  const target = await firstClosedPeriodEvaluation(
    join(context.paths.root, 'seed', 'evaluations.jsonl'),
  );
  context.shared.correctedEvaluation = target;
  const base = {
    dataDir: context.paths.root,
    today: '2026-12-10',
    actorId: target.teacher_id,
    role: 'teacher' as const,
    change: 'correct' as const,
  };
  const input = { tenant_id: target.tenant_id, evaluation_id: target.evaluation_id, score: 10 };
  try {
    await runEvaluationChange({ ...base, input: { ...input, reason_code: 'regrade' } });
    context.say('   !! a correction after the close without a reason was accepted');
  } catch (err) {
    if (!isLucaError(err)) throw err;
    context.say(`   after-close correction without a reason: refused (${err.code})`);
  }
  const result = await runEvaluationChange({
    ...base,
    input: { ...input, reason_code: 'regrade', reason: 'examen recalificado por la maestra' },
  });
  const types = result.events.map((event) => event.event_type).join(' + ');
  context.say(
    `   with a reason: accepted, ${result.evaluation.evaluation_id} now version ` +
      `${result.evaluation.version}, events ${types}`,
  );
}

/** Roster and evaluations into the store; every change reaches the lake through the outbox. */
export const gradesStoreStage: DemoStage = {
  title: 'Roster and evaluations into the grades store (SQLite + transactional outbox)',
  async run(context: DemoContext) {
    const dataDir = context.paths.root;
    const roster = await runRosterImport({ dataDir });
    context.say(`   roster: ${count(roster.written)} records ${JSON.stringify(roster.by_kind)}`);
    const evaluations = await runEvaluationsImport({ dataDir, today: '2026-12-03' });
    context.say(
      `   evaluations: ${count(evaluations.recorded)} recorded from ${count(evaluations.lines)} lines`,
    );
    await correctAfterClose(context);
    const relay = await runOutboxRelay({ dataDir });
    context.say(
      `   outbox relayed to the landing buffer: ${count(relay.accepted)} accepted, ` +
        `${count(relay.duplicate)} duplicates, ${relay.rejected.length} rejected, ${relay.pending_left} pending`,
    );
  },
};
