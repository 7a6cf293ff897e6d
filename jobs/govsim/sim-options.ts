/** A maintenance window, in milliseconds from the simulator's start. */
export interface MaintenanceWindow {
  readonly startMs: number;
  readonly durationMs: number;
}

/**
 * Seeded faults. Each rate is a probability per request (0 to 1), drawn from
 * the simulator's seeded generator in arrival order.
 */
export interface FaultOptions {
  /** Answer 500/502/503/504 without doing the work. */
  readonly error5xxRate: number;
  /** Hold the connection without answering, then close it (the work is not done). */
  readonly hangRate: number;
  /** How long a hung request is held before its socket is closed. */
  readonly hangMs: number;
  /** Do the work, then drop the connection without an answer. */
  readonly dropAfterProcessRate: number;
  /** Start a burst of 429 answers for the caller's credential. */
  readonly burst429Rate: number;
  /** How many requests a 429 burst covers. */
  readonly burst429Length: number;
  readonly maintenance: readonly MaintenanceWindow[];
}

/** Who may enrol: an explicit CURP list, or every valid CURP but a seeded share. */
export interface EnrollmentOptions {
  /** When set, only these CURPs are enrolled. */
  readonly curps?: Iterable<string>;
  /** When `curps` is not set: the share of valid CURPs treated as not enrolled (by hash). */
  readonly notEnrolledShare?: number;
}

export interface GovsimOptions {
  readonly seed: number;
  /** Accepted credentials: client_id (the school's CCT) to client_secret. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly tokenTtlSeconds: number;
  readonly subjects: readonly string[];
  readonly closedPeriods: readonly string[];
  readonly enrollment: EnrollmentOptions;
  readonly faults: FaultOptions;
}

/** SEP-like subject codes the simulator knows by default (the seed's catalogue). */
export const defaultSubjects = [
  'ESP',
  'MAT',
  'ING',
  'CIEN',
  'BIO',
  'FIS',
  'QUI',
  'HIST',
  'GEO',
  'FCE',
  'ART',
  'EF',
  'TEC',
  'SOC',
] as const;

export const noFaults: FaultOptions = {
  error5xxRate: 0,
  hangRate: 0,
  hangMs: 5_000,
  dropAfterProcessRate: 0,
  burst429Rate: 0,
  burst429Length: 5,
  maintenance: [],
};

/** Fills defaults: the contract's 5 requests/s, burst 10, one-hour tokens, no faults. */
export type GovsimOptionsInput = Partial<Omit<GovsimOptions, 'faults'>> & {
  readonly faults?: Partial<FaultOptions>;
};

export function resolveGovsimOptions(options: GovsimOptionsInput = {}): GovsimOptions {
  return {
    seed: options.seed ?? 1,
    credentials: options.credentials ?? {},
    ratePerSecond: options.ratePerSecond ?? 5,
    burst: options.burst ?? 10,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    subjects: options.subjects ?? defaultSubjects,
    closedPeriods: options.closedPeriods ?? [],
    enrollment: options.enrollment ?? { notEnrolledShare: 0 },
    faults: { ...noFaults, ...options.faults },
  };
}
