-- Budget reservation on the key's and the team's counter, both or neither, each with a lease (RedisCounters, Leases).
-- KEYS[1] key counter, KEYS[2] team counter (micro-dollars spent + reserved + leased this period)
-- ARGV[1] key limit, ARGV[2] team limit (-1 = not counted)
-- ARGV[3], ARGV[4] what to add for the request on each (its amount minus what this process took from its lease)
-- ARGV[5], ARGV[6] counter time to live (ms, 0 = never); ARGV[7], ARGV[8] largest lease to take
-- ARGV[9], ARGV[10] what the process took from its lease of each (already counted here)
-- A request fully covered by a lease (need 0, taken > 0) is not checked again; a free request (need 0, taken 0) is,
-- so a used-up budget refuses even free requests.
-- Returns {0, key lease, team lease, key room, team room} when reserved (room: the limit minus what is counted now),
-- {1, remaining} refused by the key, {2, remaining} by the team.
local spent = {0, 0}
for i = 1, 2 do
  local limit = tonumber(ARGV[i])
  if limit >= 0 then
    local need = tonumber(ARGV[2 + i])
    local taken = tonumber(ARGV[8 + i])
    spent[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
    if (need > 0 or taken == 0) and (spent[i] - taken >= limit or spent[i] + need > limit) then
      return {i, limit - spent[i] + taken}
    end
  end
end
local out = {0, 0, 0, 0, 0}
for i = 1, 2 do
  local limit = tonumber(ARGV[i])
  if limit >= 0 then
    local need = tonumber(ARGV[2 + i])
    local amount = need + tonumber(ARGV[8 + i])
    -- whole requests like this one, at most an eighth of the room left: leases shrink as a budget runs out and
    -- vanish near its end, where every check is counted here as without leases
    local lease = math.min(tonumber(ARGV[6 + i]), (limit - spent[i] - need) / 8)
    if amount > 0 and lease > 0 then lease = math.floor(lease / amount) * amount else lease = 0 end
    redis.call('INCRBY', KEYS[i], need + lease)
    if ARGV[4 + i] ~= '0' then
      redis.call('PEXPIRE', KEYS[i], ARGV[4 + i])
    end
    out[1 + i] = lease
    out[3 + i] = limit - spent[i] - need - lease
  end
end
return out
