import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { runLand } from '../../pipelines/index.js';
import { numberArg } from '../options.js';
import { action, pathsOf } from '../program.js';

/** `luca land`: drains the landing buffer into the lake, prints a summary, exits. */
export function registerLand(program: Command): void {
  program
    .command('land')
    .description('drain the landing buffer into lake/raw as Parquet and exit')
    .option(
      '--max-rows-per-drain <rows>',
      'rows per drain (one file per partition)',
      numberArg({ whole: true, min: 1 }),
      100_000,
    )
    .option(
      '--threads <n>',
      'DuckDB threads for writing Parquet',
      numberArg({ whole: true, min: 1 }),
      2,
    )
    .action(
      action(async (options: { maxRowsPerDrain: number; threads: number }, cmd: Command) => {
        const paths = pathsOf(cmd);
        const { maxRowsPerDrain, threads } = options;

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
