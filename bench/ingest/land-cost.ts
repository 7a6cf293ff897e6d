/**
 * What landing costs alone: appends `--rows` sample rows to a fresh buffer,
 * then drains it with the lander (drains of `--drain` rows) and prints rows/s
 * and the process CPU per landed row (every thread, DuckDB's included).
 *
 *   npx tsx bench/ingest/land-cost.ts [--rows 50000] [--drain 20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, ensureDataPaths } from '../../core/index.js';
import { Lander, SqliteLandingBuffer } from '../../pipelines/index.js';
import { parseBenchArgs } from '../bench-args.js';
import { sampleRow } from './sample-rows.js';

const args = parseBenchArgs({
  usage: `Usage:
  npx tsx bench/ingest/land-cost.ts [--rows 50000] [--drain 20000]

--rows sample rows appended to a fresh buffer; --drain the most rows one lander drain takes.`,
  options: {
    rows: { type: 'string', default: '50000' },
    drain: { type: 'string', default: '20000' },
  },
});
const rowCount = args.number('rows', { isWhole: true });
const drainRows = args.number('drain', { isWhole: true });
const dir = mkdtempSync(join(tmpdir(), 'luca-land-cost-'));
try {
  const paths = ensureDataPaths(dir);
  const buffer = new SqliteLandingBuffer({ dir: paths.buffer });
  for (let start = 0; start < rowCount; start += 500) {
    const size = Math.min(500, rowCount - start);
    await buffer.append(Array.from({ length: size }, (_, i) => sampleRow(start + i)));
  }
  const logger = createLogger({ level: 'warn' });
  const lander = await Lander.open({
    buffer,
    lakeRoot: paths.lake,
    logger,
    maxRowsPerDrain: drainRows,
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await lander.drainAll();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  lander.close();
  buffer.close();
  const cpuPerRow = (cpu.user + cpu.system) / summary.rowsOut;
  process.stdout.write(
    `rows=${rowCount} drain=${drainRows} drains=${summary.drains} files=${summary.files}\n` +
      `landed: ${Math.round(summary.rowsOut / seconds).toLocaleString('en-US')} rows/s, ` +
      `${cpuPerRow.toFixed(1)} us cpu/row (all threads)\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
