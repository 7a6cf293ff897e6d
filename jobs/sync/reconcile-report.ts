import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDbEngine, sqlString } from '../engine/index.js';
import type { ReconciliationRow } from './ledger.js';

const columns = {
  cutoff_id: 'varchar',
  record_id: 'varchar',
  reconciled_at: 'timestamptz',
  outcome: 'varchar',
  subject_code: 'varchar',
  curp_fingerprint: 'varchar',
  sent_grade: 'decimal(4,1)',
  registered_grade: 'decimal(4,1)',
  code: 'varchar',
  ledger_status: 'varchar',
  student_id: 'varchar',
  correction_event_id: 'varchar',
} as const;

/** Writes the reconciliation as one Parquet file (DuckDB), typed columns, no CURPs. */
export async function writeReconciliationParquet(file: string, rows: readonly ReconciliationRow[]) {
  mkdirSync(dirname(file), { recursive: true });
  const staging = `${file}.jsonl`;
  writeFileSync(staging, rows.map((row) => JSON.stringify(row)).join('\n'));
  const columnSpec = Object.entries(columns)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(', ');
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    await engine.run(`
      copy (
          select *
          from read_json(${sqlString(staging)}, format = 'newline_delimited', columns = {${columnSpec}})
          order by outcome, record_id
      ) to ${sqlString(file)} (format parquet, compression zstd)`);
  } finally {
    await engine.close();
    rmSync(staging, { force: true });
  }
}

function countBy(rows: readonly ReconciliationRow[], key: (row: ReconciliationRow) => string) {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);

  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The readable summary: counts by outcome, corrections with both values, codes, what to do. */
export function reconciliationMarkdown(
  cutoffId: string,
  rows: readonly ReconciliationRow[],
  parquetFile: string,
) {
  const byOutcome = countBy(rows, (r) => r.outcome);
  const corrections = rows.filter((r) => r.outcome === 'corrected');
  const lines = [
    `# Reconciliation of ${cutoffId}`,
    '',
    `Reconciled at ${rows[0]?.reconciled_at ?? 'n/a'}. Analysts: \`${parquetFile}\`.`,
    '',
    '| outcome | records |',
    '|---|---:|',
    ...byOutcome.map(([outcome, n]) => `| ${outcome} | ${n} |`),
    '',
    '## Corrections by the registry',
    '',
    corrections.length === 0
      ? 'None.'
      : '| student (pseudonym) | subject | sent | registered | code |',
    ...(corrections.length === 0 ? [] : ['|---|---|---:|---:|---|']),
    ...corrections
      .slice(0, 100)
      .map(
        (r) =>
          `| ${r.student_id} | ${r.subject_code} | ${r.sent_grade} | ${r.registered_grade} | ${r.code} |`,
      ),
    ...(corrections.length > 100
      ? ['', `(${corrections.length - 100} more in the Parquet report.)`]
      : []),
    '',
    '## Rejections and records not sent, by code',
    '',
    '| outcome | code | records |',
    '|---|---|---:|',
    ...countBy(
      rows.filter((r) =>
        ['rejected', 'missing_from_registry', 'unsendable', 'present_not_sent'].includes(r.outcome),
      ),
      (r) => `${r.outcome} | ${r.code ?? r.ledger_status ?? '-'}`,
    ).map(([key, n]) => `| ${key} | ${n} |`),
    '',
    '## What to do',
    '',
    '- `rejected` with CURP_INVALID or CURP_NOT_ENROLLED: fix the CURP in the roster, create a new cutoff version, run `luca sync resend --cutoff <new id>`.',
    '- `missing_from_registry`: the record was dead-lettered or never answered; see `luca sync journey` and re-run `luca sync run`.',
    '- `present_not_sent`: the registry holds a record this cutoff does not; check an earlier cutoff version.',
    '- `corrected`: the registry value is now the official one; correction events were emitted.',
    '',
  ];

  return lines.join('\n');
}

/** Where the reconciliation of a cutoff goes in the lake. */
export function reconciliationParquetPath(
  lakeRoot: string,
  tenantId: string,
  periodKey: string,
  version: number,
) {
  return join(
    lakeRoot,
    'curated',
    'sync_reconciliation',
    `tenant_id=${tenantId}`,
    `period_key=${periodKey}`,
    `cutoff_version=${version}`,
    'reconciliation.parquet',
  );
}
