import type { GradesStore } from '../grades/store/index.js';

/** What erasure did to the roster store. */
export interface RosterErasure {
  student_removed: boolean;
  guardians_unlinked: number;
  /** Guardians whose only child was the student: their record (name) goes too. */
  guardians_removed: number;
  /** Evaluations kept as school records (ids and scores, no name): see ADR 0070. */
  evaluations_kept: number;
}

async function unlinkGuardians(store: GradesStore, tenantId: string, studentId: string) {
  const linked = [];
  for await (const record of store.listRoster(tenantId)) {
    const children = record.data.student_ids;
    if (record.kind === 'guardian' && Array.isArray(children) && children.includes(studentId)) {
      linked.push({ record, others: children.filter((id) => id !== studentId) });
    }
  }
  let removed = 0;
  for (const { record, others } of linked) {
    if (others.length === 0) {
      await store.deleteRoster(tenantId, 'guardian', record.id);
      removed += 1;
    } else {
      await store.putRoster([{ ...record, data: { ...record.data, student_ids: others } }]);
    }
  }

  return { guardians_unlinked: linked.length - removed, guardians_removed: removed };
}

async function countEvaluations(store: GradesStore, tenantId: string, studentId: string) {
  let count = 0;
  for await (const item of store.listEvaluations(tenantId)) {
    if (item.student_id === studentId) count += 1;
  }

  return count;
}

/**
 * Deletes the student's roster record (name, CURP, group) and their links
 * from guardian records. Evaluations stay: they are the school's grade record
 * and carry only opaque ids.
 */
export async function eraseFromRoster(
  store: GradesStore,
  tenantId: string,
  studentId: string,
): Promise<RosterErasure> {
  const studentRemoved = await store.deleteRoster(tenantId, 'student', studentId);
  const guardians = await unlinkGuardians(store, tenantId, studentId);

  return {
    student_removed: studentRemoved,
    ...guardians,
    evaluations_kept: await countEvaluations(store, tenantId, studentId),
  };
}
