-- Per-tenant admission in one atomic round trip: token-bucket rate limit, then monthly compute-unit quota.
-- Both keys carry the hash tag {tenant:<id>} so they live in one slot on a Redis Cluster.
--
-- KEYS[1]  {tenant:<id>}:rl            hash {tokens, ts}: tokens left and the time (ms) they were computed at
-- KEYS[2]  {tenant:<id>}:cu:<yyyyMM>   compute units used this month (UTC); tenant-service reads it
-- ARGV[1]  rate, tokens per second (may be fractional); <= 0: no rate limit
-- ARGV[2]  burst, bucket capacity
-- ARGV[3]  now in milliseconds; <= 0: use the Redis server's TIME (one clock for every gateway instance)
-- ARGV[4]  compute units this request costs
-- ARGV[5]  monthly compute-unit limit; < 0: unlimited
-- ARGV[6]  TTL in seconds of the monthly counter, set when it is created
-- ARGV[7]  tokens this request takes from the bucket (1 per HTTP request; a JSON-RPC batch takes one per call,
--          capped at the burst so that a batch up to the burst size is admitted on a full bucket); default 1
--
-- Returns {outcome, remaining, retryAfterMs, resetMs, used}
--   outcome 0 admitted (token taken, units counted), 1 rate limited, 2 quota exceeded (nothing taken or counted)
--   remaining     whole tokens left; retryAfterMs: wait until one token is back (outcome 1)
--   resetMs       time until the bucket is full again; used: compute units used this month
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local cu_limit = tonumber(ARGV[5])
local cu_ttl = tonumber(ARGV[6])
local take = tonumber(ARGV[7] or '1')

if now <= 0 then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local limited = rate > 0 and burst > 0
local tokens = 0
local ts = now
if limited then
  local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
  tokens = tonumber(bucket[1])
  ts = tonumber(bucket[2])
  if tokens == nil or ts == nil then
    tokens = burst
    ts = now
  end
  -- A clock that went backwards (another instance, a test) refills nothing rather than draining.
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
end

local function reset_ms(left)
  if not limited then return 0 end
  return math.ceil((burst - left) * 1000 / rate)
end

if limited then
  take = math.max(1, math.min(take, burst))
end
if limited and tokens < take then
  -- Denied requests write nothing: the bucket state stays as the last admitted request left it.
  return {1, 0, math.ceil((take - tokens) * 1000 / rate), reset_ms(tokens), tonumber(redis.call('GET', KEYS[2]) or '0')}
end

local used = tonumber(redis.call('GET', KEYS[2]) or '0')
if cu_limit >= 0 and used + cost > cu_limit then
  return {2, math.floor(tokens), 0, reset_ms(tokens), used}
end

if limited then
  tokens = tokens - take
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', math.max(now, ts))
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
end
if cost > 0 then
  used = redis.call('INCRBY', KEYS[2], cost)
  if used == cost then
    redis.call('EXPIRE', KEYS[2], cu_ttl)
  end
end
return {0, math.floor(tokens), 0, reset_ms(tokens), used}
