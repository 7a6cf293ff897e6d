import type { AuditEntry } from '../../serving/audit/index.js';

/** One audit entry of an allowed teacher read, with any field replaced. */
export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    tenant_id: 't-alpha',
    actor_id: 'p_a',
    actor_role: 'teacher',
    action: 'student.session_read',
    student_id: 'p_s',
    outcome: 'allowed',
    http_status: 200,
    fields: ['profile'],
    error_code: null,
    ...overrides,
  };
}
