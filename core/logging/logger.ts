import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths pino removes from every log line. Names, CURPs, tokens and raw event
 * bodies must never reach a log (minors' data; see docs/privacy.md).
 */
export const redactedPaths = [
  'name',
  '*.name',
  'first_name',
  '*.first_name',
  'last_name',
  '*.last_name',
  'full_name',
  '*.full_name',
  'curp',
  '*.curp',
  '*.*.curp',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'client_secret',
  '*.client_secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'payload',
  '*.payload',
  'body',
  '*.body',
  'events',
  '*.events',
  'records',
  '*.records',
] as const;

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect log objects. */
  destination?: DestinationStream;
  /** Fixed fields on every line (for instance `{ job: 'land' }`). */
  base?: Record<string, unknown>;
}

/** Creates the project's JSON logger: snake_case keys, redaction on, ISO times. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LUCA_LOG_LEVEL ?? 'info';
  const config = {
    level,
    base: { service: 'luca', ...options.base },
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };

  return options.destination ? pino(config, options.destination) : pino(config);
}

export type { Logger } from 'pino';
