import type { z } from 'zod';
import {
  group,
  guardian,
  type Student,
  school,
  student,
  subject,
  teacher,
  tenantId,
} from '../../../core/index.js';
import { gradesStoreErrors } from './errors.js';
import { describeIssues } from './inputs.js';

export const rosterKinds = [
  'school',
  'group',
  'teacher',
  'guardian',
  'student',
  'subject',
] as const;
export type RosterKind = (typeof rosterKinds)[number];
export type StudentRecord = Student;

/**
 * One roster entity as stored: `data` is the contract object (names and CURPs
 * included), `group_id` is set for students (the ACL and cutoff look it up).
 */
export interface RosterRecord {
  tenant_id: string;
  kind: RosterKind;
  id: string;
  group_id: string | null;
  data: Record<string, unknown>;
}

const schemas: Record<Exclude<RosterKind, 'subject'>, z.ZodType<Record<string, unknown>>> = {
  school,
  group,
  teacher,
  guardian,
  student,
};

function idOf(kind: RosterKind, data: Record<string, unknown>): string {
  const field = { school: 'cct', subject: 'subject_code' }[kind as string] ?? `${kind}_id`;

  return String(data[field]);
}

function invalid(line: number, message: string): never {
  throw gradesStoreErrors.create('ROSTER_ERR_INVALID_LINE', `line ${line}: ${message}`, {
    details: { line },
  });
}

/**
 * Parses one roster line `{ "kind": ..., ...fields }` into records. A subject
 * line without `tenant_id` belongs to every tenant in `tenants` (the catalogue
 * is SEP-wide; each tenant keeps its copy so every key stays tenant-scoped).
 */
export function parseRosterLine(raw: unknown, line: number, tenants: string[]): RosterRecord[] {
  if (typeof raw !== 'object' || raw === null) invalid(line, 'a line must be a JSON object');
  const { kind, ...fields } = raw as Record<string, unknown>;
  if (kind === 'subject') return parseSubject(fields, line, tenants);
  if (typeof kind !== 'string' || !(kind in schemas)) {
    invalid(line, `kind must be one of ${rosterKinds.join(', ')}`);
  }
  const rosterKind = kind as Exclude<RosterKind, 'subject'>;
  const parsed = schemas[rosterKind].safeParse(fields);
  if (!parsed.success) invalid(line, describeIssues(parsed.error));
  const data = parsed.data;
  const groupId = rosterKind === 'student' ? String(data.group_id) : null;

  return [
    {
      tenant_id: String(data.tenant_id),
      kind: rosterKind,
      id: idOf(rosterKind, data),
      group_id: groupId,
      data,
    },
  ];
}

function parseSubject(fields: Record<string, unknown>, line: number, tenants: string[]) {
  const { tenant_id: owner, ...rest } = fields;
  const parsed = subject.safeParse(rest);
  if (!parsed.success) invalid(line, describeIssues(parsed.error));
  const owners = owner === undefined ? tenants : [tenantId.parse(owner)];
  if (owners.length === 0) invalid(line, 'a subject needs a tenant_id or a school line before it');

  return owners.map((tenant) => ({
    tenant_id: tenant,
    kind: 'subject' as const,
    id: parsed.data.subject_code,
    group_id: null,
    data: { tenant_id: tenant, ...parsed.data },
  }));
}

/**
 * The roster record without names or CURPs: ids and relationships only, safe
 * to print. Subjects are not part of the listing.
 */
export function publicRosterView(record: RosterRecord): Record<string, unknown> | undefined {
  const { name: _name, curp, ...rest } = record.data;
  if (record.kind === 'subject') return undefined;
  const view: Record<string, unknown> = { kind: record.kind, ...rest };
  if (record.kind === 'student') view.has_curp = typeof curp === 'string' && curp.length > 0;

  return view;
}

/** CURP shape (RENAPO): 18 characters, checked before the registry sees it. */
export const curpPattern = /^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{5}[A-Z0-9][0-9]$/;
