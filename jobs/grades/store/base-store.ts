import { gradesStoreErrors } from './errors.js';
import type { CorrectInput, EvaluationImportLine, RecordInput, VoidInput } from './inputs.js';
import { curpPattern, type RosterKind, type RosterRecord, type StudentRecord } from './roster.js';
import type {
  ChangeContext,
  ChangeResult,
  EvaluationImportSummary,
  EvaluationItem,
  GradesStore,
  ImportProgress,
} from './types.js';

/**
 * The roster relationships both implementations answer the same way, from
 * their `getRoster` and `listRoster` primitives.
 */
export abstract class BaseGradesStore implements GradesStore {
  abstract readonly kind: 'sqlite' | 'dynamodb';
  abstract putRoster(records: readonly RosterRecord[]): Promise<number>;
  abstract getRoster(
    tenantId: string,
    kind: RosterKind,
    id: string,
  ): Promise<RosterRecord | undefined>;
  abstract listRoster(tenantId?: string): AsyncIterable<RosterRecord>;
  abstract deleteRoster(tenantId: string, kind: RosterKind, id: string): Promise<boolean>;
  abstract listTenants(): Promise<string[]>;
  abstract recordEvaluation(input: RecordInput, context: ChangeContext): Promise<ChangeResult>;
  abstract correctEvaluation(input: CorrectInput, context: ChangeContext): Promise<ChangeResult>;
  abstract voidEvaluation(input: VoidInput, context: ChangeContext): Promise<ChangeResult>;
  abstract getEvaluation(
    tenantId: string,
    evaluationId: string,
  ): Promise<EvaluationItem | undefined>;
  abstract listEvaluations(tenantId: string): AsyncIterable<EvaluationItem>;
  abstract importEvaluations(
    lines: Iterable<{ line: number; value: EvaluationImportLine }>,
    onProgress?: ImportProgress,
  ): Promise<EvaluationImportSummary>;
  abstract close(): Promise<void>;

  async listStudentsWithCurp(tenantId: string): Promise<StudentRecord[]> {
    const students: StudentRecord[] = [];
    for await (const record of this.listRoster(tenantId)) {
      if (record.kind === 'student') students.push(record.data as StudentRecord);
    }

    return students.sort((a, b) => a.student_id.localeCompare(b.student_id));
  }

  async groupOfStudent(tenantId: string, studentId: string): Promise<string | undefined> {
    const record = await this.getRoster(tenantId, 'student', studentId);

    return record?.group_id ?? undefined;
  }

  async groupsOfTeacher(tenantId: string, teacherId: string): Promise<string[]> {
    const record = await this.getRoster(tenantId, 'teacher', teacherId);

    return record ? [...(record.data.group_ids as string[])] : [];
  }

  async childrenOfGuardian(tenantId: string, guardianId: string): Promise<string[]> {
    const record = await this.getRoster(tenantId, 'guardian', guardianId);

    return record ? [...(record.data.student_ids as string[])] : [];
  }

  async updateStudentCurp(tenantId: string, studentId: string, curp: string): Promise<void> {
    if (!curpPattern.test(curp)) {
      throw gradesStoreErrors.create(
        'ROSTER_ERR_INVALID_CURP',
        'A CURP is 18 characters (4 letters, 6 digits, H/M/X, 5 letters, 2 more).',
      );
    }
    const record = await this.getRoster(tenantId, 'student', studentId);
    if (!record) {
      throw gradesStoreErrors.create(
        'ROSTER_ERR_STUDENT_NOT_FOUND',
        `No student ${studentId} here.`,
      );
    }
    await this.putRoster([{ ...record, data: { ...record.data, curp } }]);
  }

  /** The enrolled student or `EVAL_ERR_STUDENT_NOT_FOUND` (also for another tenant's). */
  protected studentNotFound(studentId: string): never {
    throw gradesStoreErrors.create(
      'EVAL_ERR_STUDENT_NOT_FOUND',
      `No student ${studentId} in this school; import the roster first.`,
    );
  }
}
