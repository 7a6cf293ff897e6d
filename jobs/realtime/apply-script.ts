/**
 * Applies one event to a student's real-time hash, exactly once. KEYS[1] is
 * the hash `<prefix>{t}:rt:<student>`, KEYS[2] the set of event ids already
 * counted for that student and local day. A redelivered event finds its id in
 * the set and changes nothing (returns 0).
 *
 * ARGV: event_id, local_date, school_day_index, is_school_day (1/0),
 * active_ms (integer), occurred_at, updated_at, seen_ttl_seconds, hash_ttl_seconds.
 *
 * Hash fields: last_activity_at, today_date, today_events, today_active_ms,
 * today_minutes, streak_days, streak_last_date, streak_last_school_day,
 * updated_at. An event of a day before `today_date` (late) updates only
 * last_activity_at-style maxima, never today's counters.
 */
export const applyEventScript = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[8]))
local h = KEYS[1]
local today = redis.call('HGET', h, 'today_date')
if (not today) or ARGV[2] > today then
  redis.call('HSET', h, 'today_date', ARGV[2], 'today_events', 0, 'today_active_ms', 0,
    'today_minutes', 0)
  today = ARGV[2]
end
if ARGV[2] == today then
  redis.call('HINCRBY', h, 'today_events', 1)
  local ms = redis.call('HINCRBY', h, 'today_active_ms', ARGV[5])
  redis.call('HSET', h, 'today_minutes', string.format('%.2f', ms / 60000))
end
local last = redis.call('HGET', h, 'last_activity_at')
if (not last) or ARGV[6] > last then
  redis.call('HSET', h, 'last_activity_at', ARGV[6])
end
if ARGV[4] == '1' then
  local index = tonumber(ARGV[3])
  local previous = tonumber(redis.call('HGET', h, 'streak_last_school_day') or '-10')
  if index == previous + 1 then
    redis.call('HINCRBY', h, 'streak_days', 1)
    redis.call('HSET', h, 'streak_last_school_day', index, 'streak_last_date', ARGV[2])
  elseif index > previous + 1 then
    redis.call('HSET', h, 'streak_days', 1, 'streak_last_school_day', index,
      'streak_last_date', ARGV[2])
  end
end
redis.call('HSET', h, 'updated_at', ARGV[7])
redis.call('EXPIRE', h, tonumber(ARGV[9]))
return 1
`;
