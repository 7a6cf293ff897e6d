import { Command } from 'commander';
import { type DataPaths, ensureDataPaths, isLucaError } from '../core/index.js';

/** Options every command inherits from the root program. */
export interface GlobalOptions {
  dataDir?: string;
}

/** Resolves the data directory of a command from its inherited `--data-dir`. */
export function pathsOf(command: Command): DataPaths {
  const options = command.optsWithGlobals<GlobalOptions>();

  return ensureDataPaths(options.dataDir);
}

/**
 * Wraps a command action so a known error prints its code and what to fix on
 * stderr and exits 2; anything else exits 1 with its message.
 */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (err) {
      if (isLucaError(err)) {
        process.stderr.write(`error ${err.code}: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  };
}

/**
 * Makes commander's usage errors (an unknown flag, a missing value) exit 2
 * like a bad value does, instead of commander's 1; `--help` still exits 0.
 * Commander has printed the message (and the help) before this runs.
 */
export function exitTwoOnUsageError(command: Command): Command {
  return command.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
}

export function createProgram(): Command {
  return new Command('luca')
    .description('Grades, behaviour-profile and audit lakehouse (local mode)')
    .option('--data-dir <dir>', 'data directory (default: $LUCA_DATA_DIR or ./.luca)')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}
