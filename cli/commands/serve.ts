import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { type RequestLogPolicy, startLocalServer } from '../../serving/index.js';
import { action, pathsOf } from '../program.js';

function positiveInt(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} must be a whole number`);

  return parsed;
}

function sampleRate(value: string): RequestLogPolicy {
  const rate = Number(value);
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`--log-sample-rate must be a share between 0 and 1, got "${value}"`);
  }

  // Refusals are rarer and say more: ten times the share of successful answers.
  return { successRate: rate, clientErrorRate: Math.min(1, rate * 10), slowMs: 250 };
}

/** `luca serve`: the API (ingest, healthz, read routes) and the lander loop. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the API and the lander on the data directory')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--high-water-mark <rows>', 'buffer rows beyond which ingest answers 429', '1000000')
    .option('--land-min-rows <rows>', 'drain when this many rows wait', '20000')
    .option('--land-max-age-ms <ms>', 'drain when the oldest row is this old', '5000')
    .option('--max-rows-per-drain <rows>', 'rows per drain (one file per partition)', '100000')
    .option('--no-land', 'run the API only (another process lands)')
    .option(
      '--log-sample-rate <share>',
      'share of successful requests logged (refusals: 10x; errors and slow ones: all)',
      '0.01',
    )
    .action(
      action(async (options: Record<string, string | boolean>, cmd: Command) => {
        const paths = pathsOf(cmd);
        const logger = createLogger({ base: { component: 'serve' } });
        const server = await startLocalServer({
          paths,
          logger,
          port: positiveInt(String(options.port), '--port'),
          host: String(options.host),
          highWaterMark: positiveInt(String(options.highWaterMark), '--high-water-mark'),
          landMinRows: positiveInt(String(options.landMinRows), '--land-min-rows'),
          landMaxAgeMs: positiveInt(String(options.landMaxAgeMs), '--land-max-age-ms'),
          maxRowsPerDrain: positiveInt(String(options.maxRowsPerDrain), '--max-rows-per-drain'),
          isLanding: options.land !== false,
          deps: { requestLog: sampleRate(String(options.logSampleRate)) },
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
