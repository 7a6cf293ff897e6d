import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';

type LogMethod = FastifyBaseLogger['info'];

/**
 * A request's logger that builds its pino child (with the `trace_id` binding)
 * only when a line is actually written. Pino's `child()` serialises the
 * bindings through the redaction rules on every request, which was 2% of the
 * read path's CPU although at the usual `warn` level no request line is
 * written. A line that is written goes through the real child, so it carries
 * `trace_id` exactly as before.
 */
class RequestLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);

    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    const logger = (this.#child ?? this.#parent) as unknown as {
      isLevelEnabled(l: string): boolean;
    };

    return logger.isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real.child(bindings, options);
  }

  #write(level: Level, args: Parameters<LogMethod>): void {
    if (!this.isLevelEnabled(level)) return;
    (this.#real[level] as (...a: unknown[]) => void)(...args);
  }

  // Prototype methods, not arrow fields: nothing is allocated per request.
  fatal(...args: Parameters<LogMethod>): void {
    this.#write('fatal', args);
  }

  error(...args: Parameters<LogMethod>): void {
    this.#write('error', args);
  }

  warn(...args: Parameters<LogMethod>): void {
    this.#write('warn', args);
  }

  info(...args: Parameters<LogMethod>): void {
    this.#write('info', args);
  }

  debug(...args: Parameters<LogMethod>): void {
    this.#write('debug', args);
  }

  trace(...args: Parameters<LogMethod>): void {
    this.#write('trace', args);
  }

  silent(): void {}
}

/**
 * Fastify `childLoggerFactory`: a lazily built child per request. A route
 * with its own log level gets a real child at once (the level must apply).
 *
 * @example
 * Fastify({ loggerInstance, childLoggerFactory: lazyRequestLogger });
 */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level !== undefined) return logger.child(bindings, options);

  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
