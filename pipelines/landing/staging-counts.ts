import { eventFamilies, type EventFamily } from '../../core/index.js';
import { DuckDbEngine, duckdbRawRelations, loadModel } from '../../jobs/engine/index.js';

/** Rows per family in the raw files and in the deduplicated staging views. */
export type StagedCounts = Record<EventFamily, { raw: number; staged: number }>;

/**
 * The staging model of a family, rendered for DuckDB over a local lake. The
 * behaviour model groups a 64-bit hash of the id that its raw relation must
 * carry (`event_key_hash`, as the features job's source adds it) and takes
 * DuckDB's `inline_cte` hint (docs/adr/0080).
 */
export function stagingModelSql(family: EventFamily, lakeRoot: string): string {
  const raw = duckdbRawRelations(lakeRoot);
  const vars = {
    ...raw,
    raw_behaviour: `(select *, hash(tenant_id, event_id) as event_key_hash from ${raw.raw_behaviour})`,
    inline_cte: 'not materialized',
  };

  return loadModel(`staging/stg_events__${family}.sql`, vars);
}

/**
 * Counts what landed: raw rows and rows of `stg_events__<family>` (one per
 * event id). The demo prints these; tests compare them with what was acknowledged.
 *
 * @example
 * const counts = await countStagedEvents(paths.lake);
 * console.log(counts.behaviour.staged);
 */
export async function countStagedEvents(lakeRoot: string): Promise<StagedCounts> {
  const engine = await DuckDbEngine.open({ threads: 2 });
  try {
    const counts = {} as StagedCounts;
    const relations = duckdbRawRelations(lakeRoot);
    for (const family of eventFamilies) {
      const [raw] = await engine.query<{ n: string | number }>(
        `select count(*) as n from ${relations[`raw_${family}`]}`,
      );
      const [staged] = await engine.query<{ n: string | number }>(
        `select count(*) as n from (${stagingModelSql(family, lakeRoot)})`,
      );
      counts[family] = { raw: Number(raw?.n ?? 0), staged: Number(staged?.n ?? 0) };
    }

    return counts;
  } finally {
    await engine.close();
  }
}
