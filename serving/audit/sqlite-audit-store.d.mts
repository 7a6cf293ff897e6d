/** Types of `sqlite-audit-store.mjs`. */
export interface AuditStore {
  readonly head: { seq: number; hash: string | null };
  /** The WAL file the commits append to. */
  readonly walPath: string;
  writeGroup(rows: readonly Record<string, unknown>[]): void;
  close(): void;
}

export function openAuditStore(
  path: string,
  columns: readonly string[],
  options?: { syncs?: 'each-commit' | 'caller' },
): AuditStore;
