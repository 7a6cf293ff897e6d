import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, evaluationCorrectedV1 } from '../../../core/index.js';
import { DuckDbEngine, sqlString } from '../../../jobs/engine/index.js';
import {
  reconcileCutoff,
  recordJourney,
  type RegistryCorrection,
  resendCutoff,
  type SqliteSyncLedger,
} from '../../../jobs/sync/index.js';
import { call, tokenFor } from '../govsim/govsim-client.js';
import { freezeSchool, pseudonymizer, testPeriod, validCurp } from './factories.js';
import { fastTuning, type SyncScenario, syncScenario } from './sync-harness.js';

const logger = createLogger({ level: 'silent' });
const cct = '09DPR0001A';
const grades = ['8.5', '9', '5.5', '7.2', '10', '6'];
const v1 = {
  cct,
  students: 40,
  subjects: ['ESP', 'MAT', 'SOC'],
  gradeOf: (i: number, s: number) => grades[(i + s) % 6] as string,
  curpOf: (i: number) => (i === 5 ? null : validCurp(i)),
};
const v2 = {
  ...v1,
  gradeOf: (i: number, s: number) => (i === 0 && s === 1 ? '9.1' : (grades[(i + s) % 6] as string)),
  curpOf: (i: number) => validCurp(i),
};
let scenario: SyncScenario;

afterEach(async () => {
  await scenario?.close();
});

function reconcile(s: SyncScenario, cutoffId: string, sink: RegistryCorrection[]) {
  return reconcileCutoff({
    lakeRoot: s.paths.lake,
    reportsDir: join(s.paths.root, 'reports', 'sync'),
    cutoffId,
    registryUrl: s.govsim.url,
    credentials: s.credentials,
    ledger: s.ledger,
    pseudonymizer,
    tuning: fastTuning,
    logger,
    onCorrection: (c) => {
      sink.push(c);
    },
  });
}

describe('reconcileCutoff and resendCutoff', () => {
  it('classifies every record, emits corrections once, and writes Parquet and Markdown', async () => {
    // Prepare: SOC is unknown to the registry; one record sits in the registry unsent
    scenario = await syncScenario([v1], { subjects: ['ESP', 'MAT'] });
    await scenario.run();
    const token = await tokenFor(
      scenario.govsim.url,
      cct,
      scenario.credentials[cct]?.client_secret as string,
    );
    const stray = {
      record_id: 'x',
      curp: validCurp(900),
      grade_level: 3,
      subject_code: 'ESP',
      grade: 7,
    };
    await call(scenario.govsim.url, 'POST', '/v1/submissions', {
      token,
      key: 'stray',
      json: { cct, period: testPeriod, records: [stray] },
    });
    const sink: RegistryCorrection[] = [];

    // Act
    const first = await reconcile(scenario, scenario.cutoffIds[0] as string, sink);
    const again = await reconcile(scenario, scenario.cutoffIds[0] as string, sink);

    // Assess
    const failing = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => i !== 5)
      .flatMap((i) => [0, 1].map((s) => v1.gradeOf(i, s)))
      .filter((g) => g === '5.5').length;
    expect(failing).toBeGreaterThan(5);
    expect(first.counts).toEqual({
      accepted_as_sent: 78 - failing,
      corrected: failing,
      rejected: 39,
      present_not_sent: 1,
      unsendable: 1,
    });
    expect(first.corrections_emitted).toBe(failing);
    expect(again.corrections_emitted).toBe(0);
    expect(sink).toHaveLength(failing);
    for (const c of sink) {
      expect(c).toMatchObject({
        sent_grade: 5.5,
        registered_grade: 5,
        code: 'FAILING_GRADE_NORMALISED',
      });
      expect(evaluationCorrectedV1.parse(c.event.payload).reason_code).toBe('registry_correction');
    }
    const engine = await DuckDbEngine.open({ threads: 1 });
    const [row] = await engine.query(
      `select count(*)::int as n, count(distinct outcome)::int as outcomes from read_parquet(${sqlString(first.parquet_file)})`,
    );
    await engine.close();
    expect(row).toEqual({ n: 119, outcomes: 5 });
  });

  it('amends a changed grade with PUT and submits a fixed record, once', async () => {
    // Prepare
    scenario = await syncScenario([v1], { subjects: ['ESP', 'MAT'] });
    await scenario.run();
    const fixed = await freezeSchool(scenario.paths.lake, v2);

    // Act
    const options = {
      lakeRoot: scenario.paths.lake,
      cutoffId: fixed.cutoff_id,
      registryUrl: scenario.govsim.url,
      credentials: scenario.credentials,
      ledger: scenario.ledger,
      tuning: fastTuning,
      logger,
    };
    const summary = await resendCutoff(options);
    const rerun = await resendCutoff(options);

    // Assess
    expect(fixed.diff).toMatchObject({ added: 3, changed: 1, removed: 0 });
    expect(summary).toMatchObject({
      amendments_sent: 1,
      amendments_by_status: { accepted: 1 },
      records_resent: 3,
      records_skipped: 39,
    });
    expect(rerun).toMatchObject({ amendments_sent: 0, records_resent: 0, records_skipped: 40 });
    expect(scenario.govsim.stats()).toMatchObject({
      amendments_applied: 1,
      conflicts: 0,
      duplicate_records: 0,
    });
    const amended = scenario.govsim
      .registeredGrades()
      .find((g) => g.curp === validCurp(0) && g.subject_code === 'MAT');
    expect(amended?.grade).toBe(9.1);
  });

  it('gives any record its whole journey from cutoff to reconciliation', async () => {
    // Prepare
    scenario = await syncScenario([v1], {
      subjects: ['ESP', 'MAT'],
      faults: { error5xxRate: 0.5 },
    });
    await scenario.run();
    await reconcile(scenario, scenario.cutoffIds[0] as string, []);
    const [result] = await scenario.ledger.results(scenario.cutoffIds[0] as string);

    // Act
    const steps = recordJourney(
      scenario.ledger as SqliteSyncLedger,
      scenario.cutoffIds[0] as string,
      result?.record_id as string,
    );

    // Assess
    const stages = steps.map((s) => s.stage);
    expect(stages[0]).toBe('cutoff');
    expect(stages).toEqual(
      expect.arrayContaining(['batch', 'attempt', 'result', 'reconciliation']),
    );
    const attempts = steps.filter((s) => s.stage === 'attempt');
    expect(attempts.every((a) => a.trace_id?.length === 32 && a.request_hash?.length === 64)).toBe(
      true,
    );
    expect(attempts.at(-1)?.outcome).toMatch(/^done|^succeeded/);
  });
});
