import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataPaths } from '../../core/index.js';
import { type BufferedEvent, type DrainClaim, SqliteLandingBuffer } from '../../pipelines/index.js';
import { sampleRow } from '../../bench/ingest/sample-rows.js';
import { claimOrFail, removeDataDir, tempDataPaths } from './ingest-fixtures.js';

function rows(n: number): BufferedEvent[] {
  return Array.from({ length: n }, (_, i) => sampleRow(i));
}

describe.each([
  { mode: 'inline', isThreaded: false },
  { mode: 'threaded', isThreaded: true },
])('SqliteLandingBuffer ($mode writer)', ({ isThreaded }) => {
  let paths: DataPaths;
  let buffer: SqliteLandingBuffer;

  beforeEach(() => {
    paths = tempDataPaths('luca-buffer-');
    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
  });

  afterEach(() => {
    buffer.close();
    removeDataDir(paths);
  });

  it('accepts new events and marks repeats of an event id as duplicates', async () => {
    const batch = rows(3);

    const first = await buffer.append([...batch, batch[0] as BufferedEvent]);
    const second = await buffer.append(batch);

    expect(first).toEqual(['accepted', 'accepted', 'accepted', 'duplicate']);
    expect(second).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(buffer.depth()).toBe(3);
  });

  it('treats the same event id in two tenants as two events', async () => {
    const [row] = rows(1) as [BufferedEvent];

    const statuses = await buffer.append([row, { ...row, tenant_id: 't-other' }]);

    expect(statuses).toEqual(['accepted', 'accepted']);
  });

  it('groups concurrent appends and settles each caller with its own statuses', async () => {
    const batches = [rows(2), rows(5), rows(1)];

    const results = await Promise.all(batches.map((batch) => buffer.append(batch)));

    expect(results.map((r) => r.length)).toEqual([2, 5, 1]);
    expect(buffer.depth()).toBe(8);
  });

  it('keeps acknowledged rows and dedup ids across a reopen', async () => {
    const batch = rows(4);
    await buffer.append(batch);
    buffer.close();

    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
    const again = await buffer.append(batch);

    expect(buffer.depth()).toBe(4);
    expect(again).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('hands an unfinished claim back after a reopen, marked as resumed', async () => {
    await buffer.append(rows(10));
    const claim = buffer.claim(4);
    await buffer.append(rows(3));
    buffer.close();

    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
    const resumed = buffer.claim(100);

    expect(claim).toEqual({ firstSeq: 1, lastSeq: 4, isResumed: false });
    expect(resumed).toEqual({ firstSeq: 1, lastSeq: 4, isResumed: true });
    expect(buffer.read(resumed as DrainClaim).map((row) => row.seq)).toEqual([1, 2, 3, 4]);
  });

  it('removes a completed range but still deduplicates its ids', async () => {
    const batch = rows(5);
    await buffer.append(batch);
    const claim = claimOrFail(buffer, 5);

    buffer.complete(claim);
    const retry = await buffer.append(batch.slice(0, 2));

    expect(buffer.depth()).toBe(0);
    expect(buffer.claim(5)).toBeNull();
    expect(retry).toEqual(['duplicate', 'duplicate']);
  });

  it('forgets dedup ids older than the retention cut', async () => {
    const batch = rows(2);
    await buffer.append(batch);
    buffer.complete(claimOrFail(buffer, 10));

    const pruned = buffer.pruneDedup(new Date(Date.now() + 2000));
    const again = await buffer.append(batch);

    expect(pruned).toBe(2);
    expect(again).toEqual(['accepted', 'accepted']);
  });

  it('fails appends made after close instead of acknowledging them', async () => {
    buffer.close();

    await expect(buffer.append(rows(1))).rejects.toMatchObject({ code: 'BUFFER_ERR_UNAVAILABLE' });
    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
  });

  it('reports the oldest waiting row', async () => {
    const batch = rows(2);
    await buffer.append(batch);

    expect(buffer.stats()).toEqual({ depth: 2, oldestReceivedAt: batch[0]?.received_at });
  });
});
