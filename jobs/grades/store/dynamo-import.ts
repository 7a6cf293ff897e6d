import { isLucaError } from '../../../core/index.js';
import type { EvaluationImportLine, RecordInput } from './inputs.js';
import { importRequest } from './requests.js';
import type {
  ChangeContext,
  ChangeResult,
  EvaluationImportSummary,
  ImportProgress,
} from './types.js';

/**
 * Bulk record with a fixed number of requests in flight (DynamoDB has no
 * multi-item transaction to batch them into). Refused lines are reported;
 * any other error stops the import.
 */
export async function importConcurrently(
  record: (input: RecordInput, context: ChangeContext) => Promise<ChangeResult>,
  lines: Iterable<{ line: number; value: EvaluationImportLine }>,
  options: { concurrency: number; onProgress?: ImportProgress },
): Promise<EvaluationImportSummary> {
  const started = performance.now();
  const summary: EvaluationImportSummary = {
    lines: 0,
    recorded: 0,
    replayed: 0,
    rejected: [],
    duration_ms: 0,
  };
  const iterator = lines[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const { input, context } = importRequest(next.value.value);
      try {
        const result = await record(input, context);
        summary[result.replayed ? 'replayed' : 'recorded'] += 1;
      } catch (err) {
        if (!isLucaError(err)) throw err;
        summary.rejected.push({ line: next.value.line, code: err.code, message: err.message });
      }
      summary.lines += 1;
      if (summary.lines % 500 === 0) options.onProgress?.(summary.lines);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  options.onProgress?.(summary.lines);
  summary.rejected.sort((a, b) => a.line - b.line);
  summary.duration_ms = Math.round(performance.now() - started);

  return summary;
}
