/** What the simulator counts, so tests can judge the client. */
export interface GovsimStats {
  requests: number;
  by_status: Record<string, number>;
  tokens_issued: number;
  token_expired: number;
  rate_limited: number;
  submissions_applied: number;
  records_applied: number;
  records_by_status: { accepted: number; corrected: number; rejected: number };
  /** Records (by school and record_id) sent in two different processed submissions. */
  records_resubmitted: number;
  duplicate_records: number;
  replays: number;
  conflicts: number;
  amendments_applied: number;
  faults: { error5xx: number; hang: number; drop: number; burst429: number; maintenance: number };
}

export function emptyStats(): GovsimStats {
  return {
    requests: 0,
    by_status: {},
    tokens_issued: 0,
    token_expired: 0,
    rate_limited: 0,
    submissions_applied: 0,
    records_applied: 0,
    records_by_status: { accepted: 0, corrected: 0, rejected: 0 },
    records_resubmitted: 0,
    duplicate_records: 0,
    replays: 0,
    conflicts: 0,
    amendments_applied: 0,
    faults: { error5xx: 0, hang: 0, drop: 0, burst429: 0, maintenance: 0 },
  };
}
