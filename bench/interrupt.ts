/**
 * Clean-ups a bench runs if it is interrupted (Ctrl-C, SIGTERM) before its
 * own `finally` can: benches fill Redis with hundreds of thousands of keys
 * and the disk with generated lakes, which must not outlive an aborted run.
 */
type Cleanup = () => Promise<unknown> | unknown;

const pending = new Set<Cleanup>();
let isInstalled = false;

async function runPending(signal: NodeJS.Signals): Promise<never> {
  process.stderr.write(`${signal}: cleaning up before exiting\n`);
  for (const cleanup of [...pending].reverse()) {
    try {
      await cleanup();
    } catch (err) {
      process.stderr.write(`clean-up failed: ${String(err)}\n`);
    }
  }

  return process.exit(130);
}

/**
 * Runs `cleanup` (newest first, each once) if the process is interrupted
 * while it is registered; the returned function unregisters it, for the
 * normal path that cleans up itself.
 *
 * @example
 * const release = cleanUpOnInterrupt(() => removeKeys(redis, prefix));
 * try { await run(); } finally { release(); await removeKeys(redis, prefix); }
 */
export function cleanUpOnInterrupt(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  if (!isInstalled) {
    isInstalled = true;
    process.once('SIGINT', (signal) => void runPending(signal));
    process.once('SIGTERM', (signal) => void runPending(signal));
    // A reader that goes away (`| head`) must not end the bench before it cleans up.
    process.stdout.on('error', () => undefined);
  }

  return () => {
    pending.delete(cleanup);
  };
}
