import { createHash, randomBytes } from 'node:crypto';

/** One grade as the registry holds it (`RegisteredGrade` plus what it was sent as). */
export interface RegisteredGrade {
  curp: string;
  subject_code: string;
  grade: number;
  status: 'accepted' | 'corrected';
  code?: string;
  submission_id: string;
  updated_at: string;
  record_id: string;
}

/** A stored answer for an idempotency key. */
export interface StoredAnswer {
  readonly bodyHash: string;
  readonly status: number;
  readonly body: unknown;
}

interface IssuedToken {
  readonly clientId: string;
  expiresAt: number;
}

/** Hash of a request body for idempotency comparisons (canonical JSON not needed: same bytes). */
export function hashBody(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * The simulator's memory: issued tokens, idempotency answers, submissions and
 * registered grades. Everything is per school (CCT) and period.
 */
export class RegistryStore {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #answers = new Map<string, StoredAnswer>();
  readonly #submissions = new Map<string, { cct: string; body: unknown }>();
  readonly #grades = new Map<string, Map<string, RegisteredGrade>>();

  issueToken(clientId: string, ttlSeconds: number, now: number): string {
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, { clientId, expiresAt: now + ttlSeconds * 1000 });

    return token;
  }

  /** The token's school, `expired`, or undefined when unknown. */
  checkToken(token: string, now: number): string | 'expired' | undefined {
    const issued = this.#tokens.get(token);
    if (!issued) return undefined;

    return issued.expiresAt <= now ? 'expired' : issued.clientId;
  }

  /** Makes every issued token expired (tests: token expiry in the middle of a run). */
  expireAllTokens(now: number): void {
    for (const issued of this.#tokens.values()) issued.expiresAt = now;
  }

  answerFor(clientId: string, key: string): StoredAnswer | undefined {
    return this.#answers.get(`${clientId}\u0000${key}`);
  }

  keepAnswer(clientId: string, key: string, answer: StoredAnswer): void {
    this.#answers.set(`${clientId}\u0000${key}`, answer);
  }

  keepSubmission(id: string, cct: string, body: unknown): void {
    this.#submissions.set(id, { cct, body });
  }

  submission(id: string): { cct: string; body: unknown } | undefined {
    return this.#submissions.get(id);
  }

  findGrade(cct: string, period: string, curp: string, subject: string) {
    return this.#grades.get(`${cct}\u0000${period}`)?.get(`${curp}\u0000${subject}`);
  }

  putGrade(cct: string, period: string, grade: RegisteredGrade): void {
    const scope = `${cct}\u0000${period}`;
    let grades = this.#grades.get(scope);
    if (!grades) {
      grades = new Map();
      this.#grades.set(scope, grades);
    }
    grades.set(`${grade.curp}\u0000${grade.subject_code}`, grade);
  }

  /** A page of a school's grades for a period, ordered by (CURP, subject). */
  listGrades(cct: string, period: string, after: string | undefined, limit: number) {
    const grades = this.#grades.get(`${cct}\u0000${period}`) ?? new Map();
    const keys = [...grades.keys()].sort();
    const start = after === undefined ? 0 : keys.findIndex((key) => key > after);
    const page = start < 0 ? [] : keys.slice(start, start + limit);
    const hasMore = start >= 0 && start + limit < keys.length;

    return {
      items: page.map((key) => grades.get(key) as RegisteredGrade),
      lastKey: hasMore ? page[page.length - 1] : undefined,
    };
  }

  /** Every registered grade (tests and the stats endpoint). */
  allGrades(): RegisteredGrade[] {
    return [...this.#grades.values()].flatMap((grades) => [...grades.values()]);
  }
}
