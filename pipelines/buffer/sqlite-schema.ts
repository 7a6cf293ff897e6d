import { rawEventColumns } from '../../core/index.js';

/**
 * Tables of the SQLite landing buffer. `pending_events` holds rows until they
 * land; `seen_event_ids` remembers every (tenant, event id) for the dedup
 * window, landed or not; `drain_claims` holds at most one range a lander is
 * working on.
 *
 * `seen_event_ids` is keyed by the event id first, as its 16 bytes when it is
 * a lowercase UUID (every contract's `event_id` is a UUIDv7) and as text
 * otherwise; a text key never equals a blob, so the two cannot collide. A
 * UUIDv7 starts with its millisecond time, so ids arrive near the right edge
 * of the tree and pruning walks a key range instead of a `seen_at` index
 * (see `pruneDedupSql` and ADR 0075).
 */
export const bufferSchema = `
    create table if not exists pending_events (
        seq integer primary key autoincrement,
        family text not null,
        tenant_id text not null,
        event_date text not null,
        event_id text not null,
        event_type text not null,
        schema_version integer not null,
        occurred_at text not null,
        received_at text not null,
        actor_id text not null,
        actor_role text not null,
        student_id text,
        trace_id text not null,
        payload text not null
    );

    create table if not exists seen_event_ids (
        event_key blob not null,
        tenant_id text not null,
        seen_at integer not null,
        primary key (event_key, tenant_id)
    ) without rowid;

    create table if not exists drain_claims (
        id integer primary key check (id = 1),
        first_seq integer not null,
        last_seq integer not null,
        claimed_at integer not null
    );
`;

/** Column order of `pending_events` inserts and reads (after `seq`). */
export const pendingColumns = ['family', 'tenant_id', 'event_date', ...rawEventColumns] as const;

/**
 * Forgets ids first seen before the cut (`seen_at`, unix seconds). The first
 * parameter is the cut as the 6-byte time prefix of a UUIDv7: every id minted
 * before the cut sorts below it (text ids sort below every blob), so the
 * delete walks that key range only. An id minted later than it was received
 * (a producer's clock ahead) stays until its own time passes the cut too.
 */
export const pruneDedupSql = `
    delete from seen_event_ids
    where event_key < ? and seen_at < ?`;

/** The 6-byte UUIDv7 time prefix of an instant: ids minted before it sort below it. */
export function uuidTimePrefix(instant: Date): Buffer {
  const prefix = Buffer.alloc(6);
  prefix.writeUIntBE(Math.max(0, Math.floor(instant.getTime())), 0, 6);

  return prefix;
}

/**
 * Moves the ids of a buffer file written before `seen_event_ids` (text keys
 * with a `seen_at` index) into it, once; a no-op when there is nothing to move.
 */
export const migrateSeenEventsSql = `
    insert or ignore into seen_event_ids (event_key, tenant_id, seen_at)
    select
        case
            when length(event_id) = 36
                and substr(event_id, 9, 1) || substr(event_id, 14, 1)
                    || substr(event_id, 19, 1) || substr(event_id, 24, 1) = '----'
                and replace(event_id, '-', '') not glob '*[^0-9a-f]*'
                then unhex(replace(event_id, '-', ''))
            else event_id
        end,
        tenant_id,
        seen_at
    from seen_events;

    drop table seen_events;`;
