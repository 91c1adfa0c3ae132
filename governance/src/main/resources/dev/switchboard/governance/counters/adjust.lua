-- Adds ARGV[i] to KEYS[i] (i = 1, 2) where the delta is not zero and the counter still exists: a counter
-- that expired with its period is not brought back (without an expiry it would live for ever).
for i = 1, #KEYS do
  local delta = tonumber(ARGV[i])
  if delta ~= 0 and redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], delta)
  end
end
return 0
