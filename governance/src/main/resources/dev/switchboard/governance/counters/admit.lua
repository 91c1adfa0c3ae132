-- Two-window weighted rate check over four limits (key RPM, key TPM, team RPM, team TPM); counts the
-- request in all of them only if all allow it. Same arithmetic, in the same order, as SlidingWindow.fits.
-- KEYS[2i-1] current-minute counter, KEYS[2i] previous-minute counter of limit i
-- ARGV[1] ms elapsed in the current minute, ARGV[2] window ms, ARGV[3] time to live of the current counter (ms)
-- ARGV[2+2i] limit i (-1 = unlimited), ARGV[3+2i] cost i
-- Returns {allowed, prev1, curr1, ..., prev4, curr4}, curr after counting when allowed.
local elapsed = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local out = {1}
for i = 1, 4 do
  local limit = tonumber(ARGV[2 + 2 * i])
  local prev, curr = 0, 0
  if limit >= 0 then
    curr = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
    prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
    if prev * (w - elapsed) / w + curr + tonumber(ARGV[3 + 2 * i]) > limit then
      out[1] = 0
    end
  end
  out[2 * i] = prev
  out[2 * i + 1] = curr
end
if out[1] == 1 then
  for i = 1, 4 do
    local cost = tonumber(ARGV[3 + 2 * i])
    if tonumber(ARGV[2 + 2 * i]) >= 0 and cost ~= 0 then
      out[2 * i + 1] = redis.call('INCRBY', KEYS[2 * i - 1], cost)
      redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[3])
    end
  end
end
return out
