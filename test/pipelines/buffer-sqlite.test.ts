import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataPaths } from '../../core/index.js';
import { type BufferedEvent, type DrainClaim, SqliteLandingBuffer } from '../../pipelines/index.js';
import { sampleRow } from '../../bench/ingest/sample-rows.js';
import { claimOrFail, removeDataDir, tempDataPaths } from './ingest-fixtures.js';

function rows(n: number): BufferedEvent[] {
  return Array.from({ length: n }, (_, i) => sampleRow(i));
}

/** A UUIDv7 minted at `instant` (what a producer whose event is that old sends). */
function uuidV7At(instant: Date, tail = 'a'): string {
  const time = instant.getTime().toString(16).padStart(12, '0');

  return `${time.slice(0, 8)}-${time.slice(8)}-7000-8000-${tail.repeat(12)}`;
}

/** Writes a buffer file as it was before ADR 0075: a text-keyed dedup table. */
function writeLegacyDedup(file: string, ids: readonly [string, string][]): void {
  const db = new Database(file);
  db.exec(`create table seen_events (tenant_id text not null, event_id text not null,
    seen_at integer not null, primary key (tenant_id, event_id)) without rowid;
    create index seen_events_by_time on seen_events (seen_at);`);
  const insert = db.prepare('insert into seen_events values (?, ?, ?)');
  for (const [tenant, id] of ids) insert.run(tenant, id, Math.floor(Date.now() / 1000));
  db.close();
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

  it('claims at most maxRows sequence numbers, fewer rows where rows were erased', async () => {
    const batch = rows(10);
    await buffer.append(batch);
    buffer.removeStudentRows(batch[1]?.tenant_id as string, batch[1]?.student_id as string);

    const claim = claimOrFail(buffer, 4);

    expect(claim).toEqual({ firstSeq: 1, lastSeq: 4, isResumed: false });
    expect(buffer.read(claim).map((row) => row.seq)).toEqual([1, 3, 4]);
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

  it('keeps every column as given, a null student and text holding NUL included', async () => {
    const plain = sampleRow(0);
    const odd = { ...sampleRow(1), student_id: null, payload: '{"note":"a\u0000b"}' };

    await buffer.append([plain, odd]);
    const stored = buffer.read(claimOrFail(buffer, 10));

    expect(stored).toEqual([
      { seq: 1, ...plain },
      { seq: 2, ...odd },
    ]);
  });

  it('deduplicates an event id that is not a UUID by its text', async () => {
    const row = { ...sampleRow(0), event_id: 'legacy-0001' };
    const upper = { ...sampleRow(1), event_id: row.event_id.toUpperCase() };

    const first = await buffer.append([row, upper]);
    const again = await buffer.append([row]);

    expect(first).toEqual(['accepted', 'accepted']);
    expect(again).toEqual(['duplicate']);
  });

  it('keeps an id received within the window though its UUID time is older', async () => {
    const old = { ...sampleRow(0), event_id: uuidV7At(new Date(Date.now() - 10 * 86_400_000)) };
    await buffer.append([old]);

    const pruned = buffer.pruneDedup(new Date(Date.now() - 7 * 86_400_000));
    const retry = await buffer.append([old]);

    expect(pruned).toBe(0);
    expect(retry).toEqual(['duplicate']);
  });

  it('fails appends made after close instead of acknowledging them', async () => {
    buffer.close();

    await expect(buffer.append(rows(1))).rejects.toMatchObject({ code: 'BUFFER_ERR_UNAVAILABLE' });
    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
  });

  it('moves the ids of a pre-0075 dedup table over when it opens the file', async () => {
    buffer.close();
    removeDataDir(paths);
    paths = tempDataPaths('luca-buffer-');
    const [uuid, text] = [sampleRow(0), { ...sampleRow(1), event_id: 'legacy-0001' }];
    writeLegacyDedup(join(paths.buffer, 'landing.sqlite'), [
      [uuid.tenant_id, uuid.event_id],
      [text.tenant_id, text.event_id],
    ]);

    buffer = new SqliteLandingBuffer({ dir: paths.buffer, isThreaded });
    const statuses = await buffer.append([uuid, text, sampleRow(2)]);

    expect(statuses).toEqual(['duplicate', 'duplicate', 'accepted']);
  });

  it('reports the oldest waiting row', async () => {
    const batch = rows(2);
    await buffer.append(batch);

    expect(buffer.stats()).toEqual({ depth: 2, oldestReceivedAt: batch[0]?.received_at });
  });
});
