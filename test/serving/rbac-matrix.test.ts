import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, roles } from '../../core/index.js';
import {
  rbacMatrix,
  rbacTargets,
  renderRbacMatrix,
  sessionReadScopes,
} from '../../serving/rbac/index.js';
import { type SessionFixture, sessionFixture, students } from './session-fixture.js';

const cells = roles.flatMap((role) =>
  rbacTargets.map((target) => ({ role, target, expected: rbacMatrix[role][target] })),
);

describe('rbacMatrix', () => {
  let fx: SessionFixture;
  beforeAll(async () => {
    fx = await sessionFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it.each(cells)(
    'answers $expected to $role reading $target',
    async ({ role, target, expected }) => {
      // Prepare
      const token = await fx.token(role);
      const before = (await fx.auditRecords()).length;

      // Act
      const res = await fx.app.inject({
        url: `/v1/students/${students[target]}/session`,
        headers: { authorization: `Bearer ${token}` },
      });

      // Assess
      expect(res.statusCode).toBe(expected);
      const records = (await fx.auditRecords()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        actor_role: role,
        http_status: expected,
        tenant_id: 't-alpha',
      });
      if (expected === 200) expect(res.json().student_id).toBe(students[target]);
      else expect(res.headers['content-type']).toContain('application/problem+json');
    },
  );

  it.each(cells)(
    'gives $role the same answer for $target in a batch',
    async ({ role, target, expected }) => {
      // Prepare
      const token = await fx.token(role);

      // Act
      const res = await fx.app.inject({
        method: 'POST',
        url: '/v1/students/session:batch',
        headers: { authorization: `Bearer ${token}` },
        payload: { student_ids: [students[target]] },
      });

      // Assess
      if (expected === 403) expect(res.statusCode).toBe(403);
      else expect(res.json().results[0].status).toBe(expected);
    },
  );

  it('covers every role and every target', () => {
    // Assess
    expect(Object.keys(rbacMatrix).sort()).toEqual([...roles].sort());
    for (const role of roles) expect(Object.keys(rbacMatrix[role])).toEqual([...rbacTargets]);
  });

  it('agrees with the read scopes: a none scope never reads, others read their own', () => {
    // Assess
    for (const role of roles) {
      const reads = Object.values(rbacMatrix[role]).some((status) => status === 200);
      expect(reads).toBe(sessionReadScopes[role] !== 'none');
      expect(rbacMatrix[role].other_tenant).not.toBe(200);
      expect(rbacMatrix[role].missing).not.toBe(200);
    }
  });

  it('is the table docs/rbac.md shows', () => {
    // Prepare: compare cells, not the padding a Markdown formatter adds.
    const normalize = (text: string) => text.replace(/ *\| */g, '|').replace(/\|-+/g, '|-');
    const doc = readFileSync(join(repoRoot, 'docs', 'rbac.md'), 'utf8');

    // Assess
    expect(normalize(doc)).toContain(normalize(renderRbacMatrix()));
  });
});
