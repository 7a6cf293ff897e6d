import { join } from 'node:path';
import { ErasureRegisterCache, type ErasedStudentsLookup, lakeZones } from '../../core/index.js';
import {
  DuckDbEngine,
  duckdbParquetRelation,
  hasParquet,
  loadModel,
  sqlString,
} from '../engine/index.js';
import type { LandedEvent, RealtimeBackfill, ReplayWindow } from './backfill.js';
import { withoutErased } from './erased-filter.js';

export interface LakeBackfillOptions {
  /** DuckDB threads; default 1, as a catch-up runs next to the API and the lander. */
  threads?: number;
  /** For instance `'512MB'`: the sort of a big day spills to disk past it. */
  memoryLimit?: string;
  /** Who was erased; default: the lake's own erasure registers. */
  erasures?: ErasedStudentsLookup;
}

interface ReplayRow {
  tenant_id: string;
  student_id: string;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  payload: string;
}

/** A UTC instant as a timestamp literal both DuckDB and Athena read. */
function instantSql(instant: string): string {
  return `cast(${sqlString(instant.replace('T', ' ').replace('Z', '+00'))} as timestamp with time zone)`;
}

/** The replay model rendered for one window over a relation of raw behaviour rows. */
export function replaySql(rawBehaviour: string, window: ReplayWindow): string {
  return loadModel('realtime/rt_replay_events.sql', {
    raw_behaviour: rawBehaviour,
    first_event_date: `date ${sqlString(window.firstEventDate)}`,
    last_event_date: `date ${sqlString(window.lastEventDate)}`,
    replay_from: instantSql(window.from),
    replay_to: instantSql(window.to),
    received_since: instantSql(window.receivedSince ?? '1970-01-01T00:00:00.000Z'),
  });
}

/**
 * Reads landed behaviour events back from a local lake with DuckDB: one
 * query over every tenant's raw partitions in the window (Hive partition
 * filters skip the other folders), streamed chunk by chunk and handed out in
 * batches, less the events of erased students. A fresh in-memory DuckDB per
 * read, closed when the read ends.
 *
 * @example
 * const backfill = lakeBackfill(paths.lake);
 * for await (const events of backfill.read(window, 1000)) apply(events);
 */
export function lakeBackfill(
  lakeRoot: string,
  options: LakeBackfillOptions = {},
): RealtimeBackfill {
  const dir = join(lakeRoot, lakeZones.raw, 'behaviour');
  const erasures = options.erasures ?? new ErasureRegisterCache(lakeRoot);

  return {
    async *read(window, batchSize) {
      if (!hasParquet(dir)) return;
      const engine = await DuckDbEngine.open({
        threads: options.threads ?? 1,
        memoryLimit: options.memoryLimit,
      });
      try {
        const result = await engine.connection.stream(
          replaySql(duckdbParquetRelation(dir, 2), window),
        );
        let batch: LandedEvent[] = [];
        for await (const rows of result.yieldRowObjectJs()) {
          for (const row of rows as unknown as ReplayRow[]) {
            batch.push({ ...row, occurred_at: row.occurred_at.toISOString() });
            if (batch.length < batchSize) continue;
            yield withoutErased(batch, erasures);
            batch = [];
          }
        }
        if (batch.length > 0) yield withoutErased(batch, erasures);
      } finally {
        await engine.close();
      }
    },
  };
}
