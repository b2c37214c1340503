-- wrk script for JSON-RPC: POSTs $BODY (with X-API-Key: $API_KEY when set), optionally paced to PACE_RPS in total
-- over CONNECTIONS connections, and prints one machine-readable RESULT line. Non-2xx answers count as errors, and so
-- do 200 answers carrying a JSON-RPC "error" (a proxy that turns failures into JSON-RPC errors must not look fast).
local api_key = os.getenv("API_KEY")
local body = os.getenv("BODY")
local pace = tonumber(os.getenv("PACE_RPS") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
local rpc_errors = 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function()
  rpc_errors = 0
end

request = function()
  local headers = { ["Content-Type"] = "application/json" }
  if api_key and api_key ~= "" then headers["X-API-Key"] = api_key end
  return wrk.format("POST", nil, headers, body)
end

response = function(status, headers, resp)
  if status == 200 and resp and string.find(resp, '"error"', 1, true) then
    rpc_errors = rpc_errors + 1
  end
end

if pace > 0 then
  delay = function()
    return math.floor(connections * 1000 / pace)
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  for _, t in ipairs(threads) do errors = errors + (t:get("rpc_errors") or 0) end
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99), summary.requests, errors))
end
