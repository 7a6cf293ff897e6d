import type { Command } from 'commander';
import {
  compareGrades,
  previewGrades,
  readPolicyFile,
  readPreviewEvaluations,
} from '../../jobs/grades/index.js';
import { action } from '../program.js';

interface PreviewOptions {
  policy: string;
  evaluations: string;
  comparePolicy?: string;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/**
 * `luca grades preview --policy FILE --evaluations FILE.jsonl [--compare-policy FILE2]`:
 * the what-if. Runs the real SQL models on DuckDB and prints one JSON line per
 * student, subject and period; with a second policy, the differences.
 */
export function registerGrades(program: Command): void {
  const grades = program.command('grades').description('consolidated grades');

  grades
    .command('preview')
    .description('grade a JSONL file of evaluations under a policy, without storing anything')
    .requiredOption('--policy <file>', 'policy JSON file')
    .requiredOption('--evaluations <file>', 'evaluations, one JSON object per line')
    .option('--compare-policy <file>', 'a second policy: print the differences')
    .action(
      action(async (options: PreviewOptions) => {
        const policy = readPolicyFile(options.policy);
        const compared = options.comparePolicy ? readPolicyFile(options.comparePolicy) : undefined;
        const rows = readPreviewEvaluations(options.evaluations);
        const current = await previewGrades(policy, rows);
        if (!compared) {
          for (const grade of current) print(grade);
          return;
        }
        const comparison = compareGrades(current, await previewGrades(compared, rows));
        for (const difference of comparison.differences) print(difference);
        const { changed, becomes_passing, becomes_failing } = comparison;
        print({ summary: { grades: current.length, changed, becomes_passing, becomes_failing } });
      }),
    );
}
