/**
 * Clean-ups a bench runs whether it ends or is interrupted (Ctrl-C,
 * SIGTERM): benches fill Redis with hundreds of thousands of keys and the
 * disk with generated lakes, which must not outlive an aborted run.
 */
type Cleanup = () => Promise<unknown> | unknown;

const pending = new Set<() => Promise<void>>();
let isInstalled = false;

async function runPending(signal: NodeJS.Signals): Promise<never> {
  process.stderr.write(`${signal}: cleaning up before exiting\n`);
  for (const cleanup of [...pending].reverse()) await cleanup();

  return process.exit(130);
}

/**
 * Registers `cleanup` to run if the process is interrupted, and returns the
 * function the normal path calls instead. Either way it runs once: an
 * interrupt that arrives while it runs waits for the same run, then exits.
 * Clean-ups run newest first; a failing one is reported, not thrown.
 *
 * @example
 * const removeKeys = cleanUpOnInterrupt(() => deleteKeysWithPrefix(redis, prefix));
 * try { await run(); } finally { await removeKeys(); }
 */
export function cleanUpOnInterrupt(cleanup: Cleanup): () => Promise<void> {
  let running: Promise<void> | undefined;
  const once = () =>
    (running ??= (async () => {
      try {
        await cleanup();
      } catch (err) {
        process.stderr.write(`clean-up failed: ${String(err)}\n`);
      }
    })());
  pending.add(once);
  if (!isInstalled) {
    isInstalled = true;
    process.once('SIGINT', (signal) => void runPending(signal));
    process.once('SIGTERM', (signal) => void runPending(signal));
    // A reader that goes away (`| head`) must not end the bench before it cleans up.
    process.stdout.on('error', () => undefined);
  }

  return async () => {
    await once();
    pending.delete(once);
  };
}
