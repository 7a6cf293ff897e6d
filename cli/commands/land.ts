import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { runLand } from '../../pipelines/index.js';
import { action, pathsOf } from '../program.js';

/** `luca land`: drains the landing buffer into the lake, prints a summary, exits. */
export function registerLand(program: Command): void {
  program
    .command('land')
    .description('drain the landing buffer into lake/raw as Parquet and exit')
    .option('--max-rows-per-drain <rows>', 'rows per drain (one file per partition)', '100000')
    .option('--threads <n>', 'DuckDB threads for writing Parquet', '2')
    .action(
      action(async (options: { maxRowsPerDrain: string; threads: string }, cmd: Command) => {
        const paths = pathsOf(cmd);
        const maxRowsPerDrain = Number(options.maxRowsPerDrain);
        const threads = Number(options.threads);
        if (!Number.isInteger(maxRowsPerDrain) || maxRowsPerDrain < 1) {
          throw new Error('--max-rows-per-drain must be a positive whole number');
        }
        if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads must be >= 1');

        const logger = createLogger({ base: { job: 'land' } });
        const summary = await runLand({ paths, logger, maxRowsPerDrain, threads });
        const seconds = summary.durationMs / 1000;
        process.stdout.write(
          `landed ${summary.rowsIn} rows in, ${summary.rowsOut} rows out, ` +
            `${summary.erasedDropped} of erased students left out, ` +
            `${summary.files} files in ${summary.partitions} partitions, ` +
            `${summary.drains} drains, ${seconds.toFixed(2)} s -> ${summary.lakeRoot}/raw\n`,
        );
      }),
    );
}
