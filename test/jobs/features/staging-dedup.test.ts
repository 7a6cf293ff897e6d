import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sqlPath } from '../../../core/index.js';
import { DuckDbEngine, engineMacros, renderSql } from '../../../jobs/engine/index.js';
import { duckdbFeatureSource, featureMacros } from '../../../jobs/features/index.js';
import { events, local, tempLake, testEventId, writeRawEvents } from './lake-fixture.js';

/** Runs the staging model over `relation` and returns event id and receipt time per row. */
async function staged(relation: string) {
  const template = readFileSync(sqlPath('staging', 'stg_events__behaviour.sql'), 'utf8');
  const sql = renderSql(template, {
    ...engineMacros.duckdb,
    ...featureMacros.duckdb,
    raw_behaviour: relation,
  });
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    return await engine.query<{ event_id: string; received_at: string }>(
      `select event_id, strftime(received_at, '%H:%M') as received_at
      from (${sql}) order by event_id`,
    );
  } finally {
    await engine.close();
  }
}

describe('stg_events__behaviour', () => {
  it('keeps one first received copy per event id when every id hash collides', async () => {
    // Prepare: an event landed twice and two single events, all under one hash.
    const lake = tempLake();
    const repeated = testEventId();
    const at = local('2026-10-14', '10:00');
    const copy = { ...events.lesson('s1', at, 60), eventId: repeated };
    await writeRawEvents(lake, 't-a', [
      { ...copy, receivedAt: local('2026-10-14', '10:05') },
      { ...copy, receivedAt: local('2026-10-14', '10:01') },
      { ...events.lesson('s1', at, 30), eventId: testEventId() },
      { ...events.lesson('s2', at, 30), eventId: testEventId() },
    ]);
    const source = duckdbFeatureSource(lake, 't-a', '2026-10-15');
    const colliding = `(select * replace (0 as event_key_hash) from ${source?.relation})`;

    // Act
    const rows = await staged(colliding);

    // Assess
    expect(rows).toHaveLength(3);
    expect(rows.filter((row) => row.event_id === repeated)).toEqual([
      { event_id: repeated, received_at: '16:01' },
    ]);
  });
});
