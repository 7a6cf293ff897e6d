import type { HttpCall, HttpOutcome, RegistryHttp } from './registry-http.js';
import { type BackoffOptions, classify, fullJitterDelay } from './retry-policy.js';
import { syncErrors } from './errors.js';
import { sleep, type TokenBucket } from './token-bucket.js';
import type { TokenProvider } from './token-provider.js';

/** One grade as the registry lists it (`RegisteredGrade`). */
export interface ListedGrade {
  readonly curp: string;
  readonly subject_code: string;
  readonly grade: number;
  readonly status: 'accepted' | 'corrected';
  readonly code?: string;
  readonly submission_id: string;
  readonly updated_at: string;
}

export interface CallContext {
  readonly http: RegistryHttp;
  readonly tokens: TokenProvider;
  readonly backoff: BackoffOptions;
  readonly maxFailures: number;
  /** The school's bucket, when the calls must share the send limit. */
  readonly bucket?: TokenBucket;
}

/**
 * One contract call with the sync's rules: token refresh, Retry-After,
 * backoff with full jitter on transient failures. Returns the final outcome
 * (success or a fatal answer); throws SYNC_ERR_REGISTRY_UNREACHABLE when out
 * of attempts.
 */
export async function callRegistry(
  context: CallContext,
  call: HttpCall,
  successStatus: number,
): Promise<Extract<HttpOutcome, { kind: 'response' }>> {
  for (let failures = 0; ; ) {
    const token = await context.tokens.get();
    await context.bucket?.take();
    const outcome = await context.http.send({
      ...call,
      headers: { ...call.headers, authorization: `Bearer ${token}` },
    });
    const verdict = classify(outcome, successStatus);
    if (outcome.kind === 'response' && (verdict.kind === 'done' || verdict.kind === 'fatal')) {
      return outcome;
    }
    if (verdict.kind === 'token_expired') context.tokens.invalidate(token);
    else if (verdict.kind === 'throttled') {
      context.bucket?.pauseFor(verdict.waitMs);
      await sleep(verdict.waitMs);
    } else {
      failures += 1;
      if (failures >= context.maxFailures) {
        throw syncErrors.create(
          'SYNC_ERR_REGISTRY_UNREACHABLE',
          `${call.method} ${call.path.split('?')[0]} failed ${failures} times; try again later.`,
        );
      }
      await sleep(fullJitterDelay(failures, context.backoff));
    }
  }
}

/** The registry's whole listing of a school and period, page by page. */
export async function listRegistry(
  context: CallContext,
  cct: string,
  period: string,
): Promise<ListedGrade[]> {
  const base = `/v1/schools/${cct}/periods/${encodeURIComponent(period)}/grades?limit=1000`;
  const items: ListedGrade[] = [];
  let cursor: string | null = null;
  do {
    const path: string = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
    const outcome = await callRegistry(context, { method: 'GET', path }, 200);
    if (outcome.status !== 200) {
      throw syncErrors.create(
        'SYNC_ERR_REGISTRY_UNREACHABLE',
        `The registry refused the listing of ${cct} (${outcome.status}).`,
      );
    }
    const page = outcome.body as { items: ListedGrade[]; next_cursor?: string | null };
    items.push(...page.items);
    cursor = page.next_cursor ?? null;
  } while (cursor);

  return items;
}

/** The natural key the registry and the cutoff share. */
export function naturalKey(curp: string, subject: string): string {
  return `${curp}|${subject}`;
}
