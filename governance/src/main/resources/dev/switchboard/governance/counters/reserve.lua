-- Budget reservation on the key's and the team's counter, both or neither.
-- KEYS[1] key counter, KEYS[2] team counter (micro-dollars spent + reserved this period)
-- ARGV[1] key limit, ARGV[2] team limit (-1 = not counted), ARGV[3] amount,
-- ARGV[4], ARGV[5] key and team counter time to live (ms, 0 = never)
-- Returns {0, 0} when reserved, {1, remaining} refused by the key, {2, remaining} refused by the team.
local amount = tonumber(ARGV[3])
for i = 1, 2 do
  local limit = tonumber(ARGV[i])
  if limit >= 0 then
    local spent = tonumber(redis.call('GET', KEYS[i]) or '0')
    if spent >= limit or spent + amount > limit then
      return {i, limit - spent}
    end
  end
end
for i = 1, 2 do
  if tonumber(ARGV[i]) >= 0 then
    redis.call('INCRBY', KEYS[i], amount)
    if ARGV[3 + i] ~= '0' then
      redis.call('PEXPIRE', KEYS[i], ARGV[3 + i])
    end
  end
end
return {0, 0}
