/** The read audit log: durable, hash-chained, verifiable, shippable to the lake. */
export { AuditLog, type AuditLogOptions, type GroupTimer } from './audit-log.js';
export { auditRecords } from './audit-records.js';
export { importLegacyDatabase } from './legacy-import.js';
export type { DataSync } from './segment-files.js';
export { type AuditEntry, type AuditRecord, genesisHash, hashRow } from './chain.js';
export { auditErrors } from './errors.js';
export { type AuditEventPage, readAuditEvents, shipAuditEvents } from './ship.js';
export { type AuditVerification, verifyAuditLog } from './verify.js';
