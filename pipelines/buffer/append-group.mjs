// The buffer's one write path, in plain JavaScript so the writer thread can
// load it without the TypeScript loader. Types: append-group.d.mts.

/**
 * Opens the buffer file with the durability settings every connection needs:
 * WAL, and synchronous = FULL so a commit returns only after the WAL is fsync'd.
 */
export function openBufferDatabase(driver, file, busyTimeoutMs) {
  const db = new driver(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);

  return db;
}

/**
 * Returns a function writing a group of rows in one IMMEDIATE transaction: a
 * row whose (tenant, event id) was seen before is a duplicate and is not
 * stored again. The rows come as one flat array of column values, row after
 * row (`columnCount` values each): one array crosses to the writer thread
 * instead of one per row, which is cheaper to copy and to collect.
 */
export function createGroupWriter(db, statements) {
  const insertSeen = db.prepare(statements.insertSeenSql);
  const insertPending = db.prepare(statements.insertPendingSql);
  const { tenantIndex, eventIdIndex, columnCount } = statements;
  const write = db.transaction((values, seenAt) => {
    const statuses = [];
    for (let start = 0; start < values.length; start += columnCount) {
      const tenant = values[start + tenantIndex];
      if (insertSeen.run(tenant, values[start + eventIdIndex], seenAt).changes === 0) {
        statuses.push('duplicate');
        continue;
      }
      insertPending.run(values.slice(start, start + columnCount));
      statuses.push('accepted');
    }

    return statuses;
  });

  return (values) => write.immediate(values, Math.floor(Date.now() / 1000));
}
