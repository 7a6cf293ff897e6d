/** Types of `sqlite-audit-store.mjs`. */
export interface AuditStore {
  readonly head: { seq: number; hash: string | null };
  writeGroup(rows: readonly Record<string, unknown>[]): void;
  close(): void;
}

export function openAuditStore(path: string, columns: readonly string[]): AuditStore;
