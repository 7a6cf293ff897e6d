import { closeSync, openSync, readSync } from 'node:fs';
import { gradesStoreErrors } from './errors.js';
import { describeIssues, type EvaluationImportLine, evaluationImportLine } from './inputs.js';
import { parseRosterLine, type RosterRecord } from './roster.js';
import type {
  EvaluationImportSummary,
  GradesStore,
  ImportProgress,
  RosterImportSummary,
} from './types.js';

/** Non-empty lines of a file with their 1-based numbers, read synchronously in 1 MiB chunks. */
export function* readLinesSync(file: string): Generator<{ line: number; text: string }> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let carry = '';
  let line = 0;
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const parts = (carry + buffer.toString('utf8', 0, read)).split('\n');
      carry = parts.pop() ?? '';
      for (const text of parts) {
        line += 1;
        if (text.trim()) yield { line, text };
      }
    }
    if (carry.trim()) yield { line: line + 1, text: carry };
  } finally {
    closeSync(fd);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Imports `roster.jsonl` (one `{ "kind": ... }` object per line). Invalid lines
 * are reported and skipped; the rest are written in one pass.
 */
export async function importRosterFile(
  store: GradesStore,
  file: string,
): Promise<RosterImportSummary> {
  const summary: RosterImportSummary = { lines: 0, written: 0, by_kind: {}, rejected: [] };
  const records: RosterRecord[] = [];
  const tenants = new Set<string>(await store.listTenants());
  for (const { line, text } of readLinesSync(file)) {
    summary.lines += 1;
    try {
      const parsed = parseRosterLine(parseJson(text), line, [...tenants]);
      for (const record of parsed) {
        if (record.kind === 'school') tenants.add(record.tenant_id);
        summary.by_kind[record.kind] = (summary.by_kind[record.kind] ?? 0) + 1;
        records.push(record);
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ROSTER_ERR_INVALID_LINE';
      summary.rejected.push({ line, code, message: (err as Error).message });
    }
  }
  summary.written = await store.putRoster(records);

  return summary;
}

/**
 * Imports `evaluations.jsonl` through the store's bulk path. Lines that are
 * not valid JSON or not a valid evaluation are reported with their number.
 */
export async function importEvaluationsFile(
  store: GradesStore,
  file: string,
  onProgress?: ImportProgress,
): Promise<EvaluationImportSummary> {
  const invalid: EvaluationImportSummary['rejected'] = [];
  function* lines(): Generator<{ line: number; value: EvaluationImportLine }> {
    for (const { line, text } of readLinesSync(file)) {
      const parsed = evaluationImportLine.safeParse(parseJson(text));
      if (parsed.success) yield { line, value: parsed.data };
      else
        invalid.push({
          line,
          code: 'EVAL_ERR_INVALID_INPUT',
          message: describeIssues(parsed.error),
        });
    }
  }
  const summary = await store.importEvaluations(lines(), onProgress);
  const rejected = [...invalid, ...summary.rejected].sort((a, b) => a.line - b.line);

  return { ...summary, lines: summary.lines + invalid.length, rejected };
}

/** Throws when an import rejected lines, naming the first few (for strict callers). */
export function assertNoRejections(summary: { rejected: { line: number; message: string }[] }) {
  if (summary.rejected.length === 0) return;
  const first = summary.rejected.slice(0, 3).map((r) => `line ${r.line}: ${r.message}`);
  throw gradesStoreErrors.create(
    'EVAL_ERR_INVALID_INPUT',
    `${summary.rejected.length} lines rejected; ${first.join('; ')}`,
  );
}
