import cliProgress from 'cli-progress';

/** How a long command names its progress: the bar's label and unit, the log line's keys. */
export interface ProgressLabels {
  /** `sync`: the bar reads `sync [...]`, the line `sync progress`. */
  readonly name: string;
  /** What the bar counts, e.g. `records`. */
  readonly unit: string;
  /** Prefix of the line's `<key>_done` and `<key>_total`. */
  readonly key: string;
}

const syncLabels: ProgressLabels = { name: 'sync', unit: 'records', key: 'rows' };

/** A progress bar on a terminal, else a line on stderr at most every 5 seconds. */
export function progressReporter(labels: ProgressLabels = syncLabels) {
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = 0;

  return {
    update(done: number, total: number) {
      if (process.stderr.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `${labels.name} [{bar}] {value}/{total} ${labels.unit} | eta {eta}s`,
            },
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
      const line = {
        msg: `${labels.name} progress`,
        [`${labels.key}_done`]: done,
        [`${labels.key}_total`]: total,
      };
      process.stderr.write(`${JSON.stringify(line)}\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
