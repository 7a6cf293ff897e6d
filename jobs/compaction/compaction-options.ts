import { isoDate, tenantId } from '../../core/index.js';
import { compactionErrors } from './errors.js';

/** Defaults of `luca jobs compact`. */
export const compactionDefaults = {
  /** A day is closed 2 days after it ends in UTC: the lander no longer writes there. */
  minAgeDays: 2,
  /** A partition with a single file has nothing to compact. */
  minFiles: 2,
  threads: 2,
} as const;

/** The options of one run, as `runCompaction` takes them. */
export interface CompactionOptionValues {
  asOf?: string;
  minAgeDays?: number;
  minFiles?: number;
  tenantId?: string;
  threads?: number;
}

/** The options checked, defaults applied, and the last closed day worked out. */
export interface CompactionSettings {
  readonly asOf: string;
  readonly minAgeDays: number;
  readonly minFiles: number;
  readonly tenantId: string | undefined;
  readonly threads: number;
  /** The last `event_date` compacted: `asOf` less `minAgeDays` days. */
  readonly closedThrough: string;
}

function invalid(message: string): Error {
  return compactionErrors.create('COMPACTION_ERR_INVALID_OPTION', message);
}

function wholeAtLeast(flag: string, value: number, least: number): number {
  if (!Number.isInteger(value) || value < least) {
    throw invalid(`${flag} must be a whole number of at least ${least}, not '${value}'.`);
  }

  return value;
}

function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Checks a run's options; throws `COMPACTION_ERR_INVALID_OPTION` naming the flag. */
export function compactionSettings(options: CompactionOptionValues): CompactionSettings {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!isoDate.safeParse(asOf).success) {
    throw invalid(`--as-of must be a date as yyyy-mm-dd (UTC), not '${asOf}'.`);
  }
  if (options.tenantId !== undefined && !tenantId.safeParse(options.tenantId).success) {
    throw invalid(`--tenant must be a tenant id (2-63 of a-z 0-9 -), not '${options.tenantId}'.`);
  }
  const minAgeDays = wholeAtLeast(
    '--min-age-days',
    options.minAgeDays ?? compactionDefaults.minAgeDays,
    1,
  );

  return {
    asOf,
    minAgeDays,
    minFiles: wholeAtLeast('--min-files', options.minFiles ?? compactionDefaults.minFiles, 2),
    tenantId: options.tenantId,
    threads: wholeAtLeast('--threads', options.threads ?? compactionDefaults.threads, 1),
    closedThrough: daysBefore(asOf, minAgeDays),
  };
}
