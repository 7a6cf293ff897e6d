/** Every role a token may carry. `ingest` is a tenant's event producer; `service` runs jobs. */
export const roles = [
  'student',
  'guardian',
  'teacher',
  'school_admin',
  'analyst',
  'platform_operator',
  'ingest',
  'service',
] as const;

export type Role = (typeof roles)[number];
