-- wrk script: adds the API key header (if API_KEY is set), optionally paces each connection to reach a
-- target total rate (PACE_RPS with CONNECTIONS), and prints one machine-readable line at the end.
-- Pacing with delay() approximates an open-loop load with wrk's closed-loop engine: each connection
-- waits CONNECTIONS/PACE_RPS seconds between requests.
local api_key = os.getenv("API_KEY")
local pace = tonumber(os.getenv("PACE_RPS") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")

request = function()
  local headers = {}
  if api_key and api_key ~= "" then headers["X-API-Key"] = api_key end
  return wrk.format("GET", nil, headers)
end

if pace > 0 then
  delay = function()
    return math.floor(connections * 1000 / pace)
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99), summary.requests, errors))
end
