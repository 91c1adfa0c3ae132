-- Two-window weighted rate check over four limits (key RPM, key TPM, team RPM, team TPM); counts the request in
-- all of them only if all allow it, each with a lease (RedisCounters, Leases). Same arithmetic, in the same order,
-- as SlidingWindow.fits.
-- KEYS[2i-1] current-minute counter, KEYS[2i] previous-minute counter of limit i
-- ARGV[1] ms elapsed in the current minute, ARGV[2] window ms, ARGV[3] time to live of the current counter (ms)
-- ARGV[4i] limit i (-1 = unlimited), ARGV[4i+1] what to add for the request (its cost minus what this process took
-- from its lease), ARGV[4i+2] what it took from its lease, ARGV[4i+3] largest lease to take
-- Returns {allowed, prev1, curr1, lease1, ..., prev4, curr4, lease4}, curr after counting when allowed.
local elapsed = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local out = {1}
for i = 1, 4 do
  local limit = tonumber(ARGV[4 * i])
  local prev, curr = 0, 0
  if limit >= 0 then
    local need = tonumber(ARGV[4 * i + 1])
    local taken = tonumber(ARGV[4 * i + 2])
    curr = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
    prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
    if (need > 0 or taken == 0) and prev * (w - elapsed) / w + curr + need > limit then
      out[1] = 0
    end
  end
  out[3 * i - 1] = prev
  out[3 * i] = curr
  out[3 * i + 1] = 0
end
if out[1] == 1 then
  for i = 1, 4 do
    local limit = tonumber(ARGV[4 * i])
    if limit >= 0 then
      local need = tonumber(ARGV[4 * i + 1])
      local cost = need + tonumber(ARGV[4 * i + 2])
      -- whole requests like this one, at most an eighth of the room left (as in reserve.lua)
      local lease = math.min(tonumber(ARGV[4 * i + 3]),
        (limit - (out[3 * i - 1] * (w - elapsed) / w + out[3 * i]) - need) / 8)
      if cost > 0 and lease > 0 then lease = math.floor(lease / cost) * cost else lease = 0 end
      if need + lease ~= 0 then
        out[3 * i] = redis.call('INCRBY', KEYS[2 * i - 1], need + lease)
        redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[3])
      end
      out[3 * i + 1] = lease
    end
  end
end
return out
