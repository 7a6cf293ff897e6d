import cliProgress from 'cli-progress';

/** A progress bar on a terminal, else a line on stderr at most every 5 seconds. */
export function progressReporter() {
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = 0;

  return {
    update(done: number, total: number) {
      if (process.stderr.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { stream: process.stderr, format: 'sync [{bar}] {value}/{total} records | eta {eta}s' },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        }
        bar.update(done);
        return;
      }
      const now = Date.now();
      if (now - lastLine < 5_000 && done < total) return;
      lastLine = now;
      process.stderr.write(
        `${JSON.stringify({ msg: 'sync progress', rows_done: done, rows_total: total })}\n`,
      );
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
