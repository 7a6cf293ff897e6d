import { rawEventColumns } from '../../core/index.js';

/**
 * Tables of the SQLite landing buffer. `pending_events` holds rows until they
 * land; `seen_events` remembers every (tenant, event id) for the dedup window,
 * landed or not; `drain_claims` holds at most one range a lander is working on.
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

    create table if not exists seen_events (
        tenant_id text not null,
        event_id text not null,
        seen_at integer not null,
        primary key (tenant_id, event_id)
    ) without rowid;

    create index if not exists seen_events_by_time on seen_events (seen_at);

    create table if not exists drain_claims (
        id integer primary key check (id = 1),
        first_seq integer not null,
        last_seq integer not null,
        claimed_at integer not null
    );
`;

/** Column order of `pending_events` inserts and reads (after `seq`). */
export const pendingColumns = ['family', 'tenant_id', 'event_date', ...rawEventColumns] as const;
