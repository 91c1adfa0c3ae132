-- Sets KEYS[1] to ARGV[1] unless it exists (a live counter is never overwritten); ARGV[2] time to live in ms or 0.
-- Returns 1 when set.
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  if ARGV[2] ~= '0' then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
  return 1
end
return 0
