import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { type RequestLogPolicy, startLocalServer } from '../../serving/index.js';
import { numberArg, portArg } from '../options.js';
import { action, pathsOf } from '../program.js';

const wholeNumber = numberArg({ whole: true, min: 0 });
const atLeastOne = numberArg({ whole: true, min: 1 });

function sampleRate(rate: number): RequestLogPolicy {
  // Refusals are rarer and say more: ten times the share of successful answers.
  return { successRate: rate, clientErrorRate: Math.min(1, rate * 10), slowMs: 250 };
}

interface ServeOptions {
  port: number;
  host: string;
  highWaterMark: number;
  landMinRows: number;
  landMaxAgeMs: number;
  maxRowsPerDrain: number;
  land: boolean;
  logSampleRate: number;
}

/** `luca serve`: the API (ingest, healthz, read routes) and the lander loop. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the API and the lander on the data directory')
    .option('--port <port>', 'port to listen on (0 picks a free one)', portArg, 8080)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--high-water-mark <rows>',
      'buffer rows beyond which ingest answers 429',
      atLeastOne,
      1_000_000,
    )
    .option('--land-min-rows <rows>', 'drain when this many rows wait', atLeastOne, 20_000)
    .option('--land-max-age-ms <ms>', 'drain when the oldest row is this old', wholeNumber, 5000)
    .option(
      '--max-rows-per-drain <rows>',
      'rows per drain (one file per partition)',
      atLeastOne,
      100_000,
    )
    .option('--no-land', 'run the API only (another process lands)')
    .option(
      '--log-sample-rate <share>',
      'share of successful requests logged (refusals: 10x; errors and slow ones: all)',
      numberArg({ min: 0, max: 1 }),
      0.01,
    )
    .action(
      action(async (options: ServeOptions, cmd: Command) => {
        const paths = pathsOf(cmd);
        const logger = createLogger({ base: { component: 'serve' } });
        const server = await startLocalServer({
          paths,
          logger,
          port: options.port,
          host: options.host,
          highWaterMark: options.highWaterMark,
          landMinRows: options.landMinRows,
          landMaxAgeMs: options.landMaxAgeMs,
          maxRowsPerDrain: options.maxRowsPerDrain,
          isLanding: options.land !== false,
          deps: { requestLog: sampleRate(options.logSampleRate) },
        });
        logger.info({ url: server.url, port: server.port, data_dir: paths.root }, 'listening');
        const stop = async () => {
          logger.info({}, 'stopping');
          await server.close();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
