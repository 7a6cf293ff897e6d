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
 * Returns a function writing a group of rows (arrays in column order) in one
 * IMMEDIATE transaction: a row whose (tenant, event id) was seen before is a
 * duplicate and is not stored again.
 */
export function createGroupWriter(db, statements) {
  const insertSeen = db.prepare(statements.insertSeenSql);
  const insertPending = db.prepare(statements.insertPendingSql);
  const { tenantIndex, eventIdIndex } = statements;
  const write = db.transaction((rows, seenAt) =>
    rows.map((row) => {
      if (insertSeen.run(row[tenantIndex], row[eventIdIndex], seenAt).changes === 0) {
        return 'duplicate';
      }
      insertPending.run(row);

      return 'accepted';
    }),
  );

  return (rows) => write.immediate(rows, Math.floor(Date.now() / 1000));
}
