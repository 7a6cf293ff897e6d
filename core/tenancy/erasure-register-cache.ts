import { fileSignature } from '../config/durable-files.js';
import { hiveFolderValues } from '../contracts/lake-layout.js';
import { erasedStudents, erasureRegisterFile, erasureRegisterRoot } from './erasure-register.js';

/**
 * Who was erased in a tenant, as the paths that refuse or drop a late event
 * ask it: the ingest service once per batch, the lander once per drain. A
 * cloud implementation would read the same register from S3 (ADR 0092).
 */
export interface ErasedStudentsLookup {
  /** The tenant's erased pseudonyms (empty when nobody was erased). */
  erasedIn(tenantId: string): ReadonlySet<string>;
}

interface CachedRegister {
  readonly signature: string;
  readonly students: ReadonlySet<string>;
}

const nobody: ReadonlySet<string> = new Set();

/**
 * The erasure registers of one lake, kept in memory and read again only when
 * a register file changes: each `erasedIn` costs one `statSync`, and the file
 * is parsed again only when its inode, size or modification time moved (an
 * erasure appends a line, so the size always grows). A register written by
 * another process (`luca erase`) is therefore seen on the next call.
 *
 * @example
 * const erasures = new ErasureRegisterCache(paths.lake);
 * if (erasures.erasedIn(tenantId).has(pseudonym)) refuse();
 */
export class ErasureRegisterCache implements ErasedStudentsLookup {
  readonly #lakeRoot: string;
  readonly #registers = new Map<string, CachedRegister>();

  constructor(lakeRoot: string) {
    this.#lakeRoot = lakeRoot;
  }

  erasedIn(tenantId: string): ReadonlySet<string> {
    const signature = fileSignature(erasureRegisterFile(this.#lakeRoot, tenantId));
    if (signature === undefined) {
      this.#registers.delete(tenantId);
      return nobody;
    }
    const cached = this.#registers.get(tenantId);
    if (cached?.signature === signature) return cached.students;

    // Stat before reading: a line appended in between is read now and, as the
    // size moved past the stored one, read again on the next call.
    const students = erasedStudents(this.#lakeRoot, tenantId);
    this.#registers.set(tenantId, { signature, students });

    return students;
  }

  /**
   * Every tenant that has a register, with its erased pseudonyms: one
   * `readdirSync` and one `statSync` per tenant. Tenants with nobody erased
   * are left out. A tenant's set is the same object until its file changes.
   */
  erasedByTenant(): ReadonlyMap<string, ReadonlySet<string>> {
    const root = erasureRegisterRoot(this.#lakeRoot);
    const byTenant = new Map<string, ReadonlySet<string>>();
    for (const tenantId of hiveFolderValues(root, 'tenant_id')) {
      const students = this.erasedIn(tenantId);
      if (students.size > 0) byTenant.set(tenantId, students);
    }

    return byTenant;
  }
}

/** Whether two `erasedByTenant` answers hold the same sets (compared by identity). */
export function isSameErasedByTenant(
  a: ReadonlyMap<string, ReadonlySet<string>>,
  b: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [tenantId, students] of a) if (b.get(tenantId) !== students) return false;

  return true;
}
