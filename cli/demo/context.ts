import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLogger, type DataPaths, ensureDataPaths, type Logger } from '../../core/index.js';
import type { DemoRedis } from './redis.js';

/** What every demo stage gets: a fresh data directory, a logger to a file, Redis, output. */
export interface DemoContext {
  readonly paths: DataPaths;
  readonly logger: Logger;
  readonly logFile: string;
  readonly redis: DemoRedis;
  /** Key prefix of this run in Redis, so a demo never touches other keys. */
  readonly redisPrefix: string;
  /** Values later stages need from earlier ones (tenants, ids, URLs). */
  readonly shared: Record<string, unknown>;
  say(line: string): void;
}

/**
 * Makes the demo's data directory `<data-dir>/demo` anew (it is the demo's
 * alone: a second run starts from nothing) and a logger writing JSON lines to
 * `<data-dir>/demo/logs/demo.log`, so the terminal shows only the summary.
 */
export function createDemoContext(dataDir: string | undefined, redis: DemoRedis): DemoContext {
  const root = join(ensureDataPaths(dataDir).root, 'demo');
  rmSync(root, { recursive: true, force: true });
  const paths = ensureDataPaths(root);
  mkdirSync(join(root, 'logs'), { recursive: true });
  const logFile = join(root, 'logs', 'demo.log');
  const logger = createLogger({ destination: pino.destination({ dest: logFile, sync: true }) });

  return {
    paths,
    logger,
    logFile,
    redis,
    redisPrefix: `luca-demo:${process.pid}:`,
    shared: {},
    say: (line) => process.stdout.write(`${line}\n`),
  };
}

/** A demo stage: a title and the work, which prints its own figures. */
export interface DemoStage {
  readonly title: string;
  run(context: DemoContext): Promise<void>;
}

/** Runs the stages in order, timing each; stops at the first failure. */
export async function runStages(context: DemoContext, stages: readonly DemoStage[]): Promise<void> {
  const started = performance.now();
  for (const [index, stage] of stages.entries()) {
    context.say(`\n== ${index + 1}. ${stage.title}`);
    const stageStarted = performance.now();
    await stage.run(context);
    context.say(`   (${Math.round(performance.now() - stageStarted)} ms)`);
  }
  context.say(`\ndemo finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Formats a number with thousands separators for the summary. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}
