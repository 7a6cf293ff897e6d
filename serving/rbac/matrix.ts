import type { Role } from '../../core/index.js';

/**
 * How far a role's session reads reach. `none` means the role never reads an
 * individual student's session, whoever the student is.
 */
export const sessionReadScopes = {
  student: 'self',
  guardian: 'children',
  teacher: 'groups',
  school_admin: 'tenant',
  analyst: 'none',
  platform_operator: 'none',
  ingest: 'none',
  service: 'none',
} as const satisfies Record<Role, string>;

export type SessionReadScope = (typeof sessionReadScopes)[Role];

/**
 * Who the student being read is, seen from the caller. The test fixture builds
 * one student per column; `docs/rbac.md` renders the same columns.
 */
export const rbacTargets = [
  'self',
  'own_child',
  'own_group',
  'same_tenant_unrelated',
  'other_tenant',
  'missing',
] as const;

export type RbacTarget = (typeof rbacTargets)[number];

export const rbacTargetMeaning: Record<RbacTarget, string> = {
  self: "the student whose id is the token's `sub`",
  own_child: "a child linked to the token's `sub` as guardian in the roster",
  own_group: "a student of a group the token's `sub` teaches",
  same_tenant_unrelated: 'a student of the same school with no link to the caller',
  other_tenant: 'a student who exists only in another tenant',
  missing: 'an id no tenant has',
};

const deny = 403;
const hidden = 404;
const allow = 200;
type Cell = typeof deny | typeof hidden | typeof allow;
const noRead: Record<RbacTarget, Cell> = {
  self: deny,
  own_child: deny,
  own_group: deny,
  same_tenant_unrelated: deny,
  other_tenant: deny,
  missing: deny,
};

/**
 * The specification of `GET /v1/students/{id}/session`: the HTTP status every
 * role gets for every target. The RBAC test walks every cell against the real
 * API, and a docs test checks that `docs/rbac.md` shows this same table.
 */
export const rbacMatrix: Readonly<Record<Role, Readonly<Record<RbacTarget, Cell>>>> = {
  student: {
    self: allow,
    own_child: hidden,
    own_group: hidden,
    same_tenant_unrelated: hidden,
    other_tenant: hidden,
    missing: hidden,
  },
  guardian: {
    self: hidden,
    own_child: allow,
    own_group: hidden,
    same_tenant_unrelated: hidden,
    other_tenant: hidden,
    missing: hidden,
  },
  teacher: {
    self: hidden,
    own_child: hidden,
    own_group: allow,
    same_tenant_unrelated: hidden,
    other_tenant: hidden,
    missing: hidden,
  },
  school_admin: {
    self: allow,
    own_child: allow,
    own_group: allow,
    same_tenant_unrelated: allow,
    other_tenant: hidden,
    missing: hidden,
  },
  analyst: noRead,
  platform_operator: noRead,
  ingest: noRead,
  service: noRead,
};

/** The matrix as the Markdown table `docs/rbac.md` embeds. */
export function renderRbacMatrix(): string {
  const header = `| role | ${rbacTargets.join(' | ')} |`;
  const rule = `|---|${rbacTargets.map(() => '---').join('|')}|`;
  const rows = Object.entries(rbacMatrix).map(
    ([role, cells]) => `| ${role} | ${rbacTargets.map((target) => cells[target]).join(' | ')} |`,
  );

  return [header, rule, ...rows].join('\n');
}
