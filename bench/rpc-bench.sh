#!/usr/bin/env bash
# JSON-RPC benchmark: the same anvil measured straight and through gateway + blockchain-service proxy,
# in one run:
#   eth_blockNumber           direct vs proxied (never cacheable: a miss by definition)
#   eth_call at "latest"      direct vs proxied (never cacheable: miss)
#   eth_call at a final block direct vs proxied (cacheable: served from Redis after the first call: hit)
# The proxy path is the real one: API key auth (Redis-cached verification), token bucket + compute-unit quota on an
# enterprise plan (high enough not to refuse), per-method pricing, usage event, identity token, method policy,
# cache lookup, failover-capable upstream pool. The node is an `external` node whose one upstream is the very anvil
# measured directly, so both paths hit the same process.
# Phase 1: closed loop (BENCH_CONNECTIONS connections) -> peak throughput and its latency.
# Phase 2: every target at the same paced load (BENCH_RATE req/s) -> the latency the proxy adds at that load.
# Installs wrk from apt if missing; stops every process it started, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
RATE="${BENCH_RATE:-400}"
ANVIL_PORT=19245; GW_PORT=19280; TENANT_PORT=19281; CHAIN_PORT=19282
WORK="$(mktemp -d /tmp/chainmesh-rpc-bench.XXXXXX)"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && { kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; }; done
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }; done
  # local node processes, should a run have created any
  for f in "$WORK"/nodes/*/anvil.pid; do [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

source "$ROOT/bench/lib.sh"
need wrk wrk

JAVA_HOME="$("$ROOT/bin/chainmesh" java-home)"; export JAVA_HOME
"$ROOT/bin/chainmesh" prepare >/dev/null
for s in tenant gateway blockchain; do
  [ -f "$ROOT/$s-service/target/$s-service.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests package -pl platform-common,tenant-service,gateway-service,blockchain-service -am)
done

ANVIL="$ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
setsid "$ANVIL" --host 127.0.0.1 --port $ANVIL_PORT --silent >"$WORK/anvil.log" 2>&1 < /dev/null &
PIDS+=($!)

SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48)"
OPERATOR_PASSWORD="bench-operator-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
common_env=(CHAINMESH_IDENTITY_SECRET="$SECRET" CHAINMESH_DB_PREFIX=chainmesh_bench SPRING_DATA_REDIS_DATABASE=4
            CHAINMESH_OPERATOR_EMAIL=operator@bench.test CHAINMESH_OPERATOR_PASSWORD="$OPERATOR_PASSWORD"
            CHAINMESH_TENANT_URL="http://127.0.0.1:$TENANT_PORT" CHAINMESH_BLOCKCHAIN_URL="http://127.0.0.1:$CHAIN_PORT"
            CHAINMESH_ANVIL_BIN="$ANVIL" CHAINMESH_NODE_DATA_DIR="$WORK/nodes" CHAINMESH_NODE_PORT_RANGE=19250-19259
            CHAINMESH_NODE_ALLOW_PRIVATE_UPSTREAMS=true)
redis-cli -n 4 FLUSHDB >/dev/null
# BENCH_JAVA_OPTS: the GC of the services on the measured path (gateway, blockchain); bin/chainmesh's default
# (SerialGC) by default, e.g. "-XX:+UseZGC" to see what pause times do to p99.
start() { # name port jar-module heap
  local gc="-XX:+UseSerialGC"; [ "$1" != tenant ] && gc="${BENCH_JAVA_OPTS:--XX:+UseSerialGC}"
  env "${common_env[@]}" SERVER_PORT="$2" setsid "$JAVA_HOME/bin/java" $gc "-Xmx$4" \
    -jar "$ROOT/$3-service/target/$3-service.jar" >"$WORK/$1.log" 2>&1 < /dev/null &
  PIDS+=($!)
}
start tenant $TENANT_PORT tenant 384m
start blockchain $CHAIN_PORT blockchain 384m
start gateway $GW_PORT gateway 512m
wait_ready $TENANT_PORT $CHAIN_PORT $GW_PORT

GW="http://127.0.0.1:$GW_PORT"
bench_tenant "$GW" operator@bench.test "$OPERATOR_PASSWORD" '["read","write","rpc"]'
sleep 5.5 # the gateway caches tenant limits for 5 s: let the enterprise plan show
NODE=$(curl -fsS -X POST "$GW/v1/nodes" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"network\":\"custom-evm\",\"upstreams\":[\"http://127.0.0.1:$ANVIL_PORT\"]}" | json "['id']")
for _ in $(seq 1 100); do
  [ "$(curl -fsS "$GW/v1/nodes/$NODE" -H "X-API-Key: $API_KEY" | json "['status']")" = RUNNING ] && break; sleep 0.2
done
DIRECT="http://127.0.0.1:$ANVIL_PORT"; PROXY="$GW/v1/nodes/$NODE/rpc"
# Some history, so block 2 is final (default confirmation depth 12), and let the proxy learn the head.
curl -fsS -X POST "$DIRECT" -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x20"]}' >/dev/null
curl -fsS -X POST "$PROXY" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' >/dev/null

BN='{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'
# eth_call of the identity precompile (0x04) with 32 bytes: a real EVM call with a deterministic answer.
CALL_DATA='{"to":"0x0000000000000000000000000000000000000004","data":"0x00000000000000000000000000000000000000000000000000000000deadbeef"}'
CALL_LATEST="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[$CALL_DATA,\"latest\"]}"
CALL_FINAL="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[$CALL_DATA,\"0x2\"]}"
for body in "$BN" "$CALL_LATEST" "$CALL_FINAL"; do
  a=$(curl -fsS -X POST "$DIRECT" -H 'Content-Type: application/json' -d "$body" | json "['result']")
  b=$(curl -fsS -X POST "$PROXY" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d "$body" | json "['result']")
  [ "$a" = "$b" ] || { echo "proxy answer differs from anvil's for $body: $a vs $b"; exit 1; }
done

run_wrk() { # url key body rate
  BODY="$3" API_KEY="$2" PACE_RPS="$4" CONNECTIONS="$CONNECTIONS" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s \
    -s "$ROOT/bench/wrk-rpc.lua" "$1" | grep '^RESULT'
}

echo "warming up (JIT) ..."
BENCH_W="$DURATION"; DURATION="${BENCH_WARMUP:-20s}"
for body in "$BN" "$CALL_LATEST" "$CALL_FINAL"; do run_wrk "$PROXY" "$API_KEY" "$body" 0 >/dev/null; done
DURATION="$BENCH_W"
GW_PID="${PIDS[3]}"; CHAIN_PID="${PIDS[2]}"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks

NAMES=(blockNumber.direct blockNumber.proxy-miss call.direct call.proxy-miss call-final.direct call-final.proxy-hit)
URLS=("$DIRECT" "$PROXY" "$DIRECT" "$PROXY" "$DIRECT" "$PROXY")
KEYS=("" "$API_KEY" "" "$API_KEY" "" "$API_KEY")
BODIES=("$BN" "$BN" "$CALL_LATEST" "$CALL_LATEST" "$CALL_FINAL" "$CALL_FINAL")
OUT="$WORK/results"; : > "$OUT"
for i in "${!NAMES[@]}"; do
  g0=$(cpu_ticks "$GW_PID"); c0=$(cpu_ticks "$CHAIN_PID")
  peak="$(run_wrk "${URLS[$i]}" "${KEYS[$i]}" "${BODIES[$i]}" 0)"
  g1=$(cpu_ticks "$GW_PID"); c1=$(cpu_ticks "$CHAIN_PID")
  paced="$(run_wrk "${URLS[$i]}" "${KEYS[$i]}" "${BODIES[$i]}" "$RATE")"
  reqs=$(field requests "$peak"); tick_us=$(python3 -c "print(1e6/$(getconf CLK_TCK))")
  cpu="$(python3 -c "r=max(1,$reqs); print(round(($g1-$g0)*$tick_us/r), round(($c1-$c0)*$tick_us/r))")"
  echo "${NAMES[$i]} $(field rps "$peak") $(field p50_us "$peak") $(field p99_us "$peak") $(field p50_us "$paced") $(field p99_us "$paced") $(field errors "$peak")+$(field errors "$paced") $cpu" >> "$OUT"
done
HITS=$(redis-cli -n 4 --scan --pattern "{tenant:$TENANT_ID}:rpc:$NODE:*:eth_call:*" | wc -l)

python3 - "$OUT" "$CONNECTIONS" "$DURATION" "$RATE" "$HITS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, q50, q99, err, gcpu, ccpu = line.split()
    rows[name] = dict(rps=float(rps), p50=int(p50) / 1000, p99=int(p99) / 1000, q50=int(q50) / 1000, q99=int(q99) / 1000, err=err,
                      cpu=f"{gcpu}+{ccpu}" if name.endswith(("miss", "hit")) else "-")
conn, dur, rate, hits = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
print(f"\nJSON-RPC benchmark: wrk -t2 -c{conn} -d{dur}; same anvil straight and through gateway+proxy; one run")
print(f"{'target':<22}{'peak req/s':>11}{'p50 ms':>8}{'p99 ms':>8}   | at {rate} req/s: {'p50 ms':>7}{'p99 ms':>8}   errors   CPU us/req at peak (gateway+blockchain)")
for name, r in rows.items():
    print(f"{name:<22}{r['rps']:>11.0f}{r['p50']:>8.2f}{r['p99']:>8.2f}   | {'':>{len(rate)+12}}{r['q50']:>7.2f}{r['q99']:>8.2f}   {r['err']:<8} {r['cpu']}")
def cmp(proxy, direct, label):
    p, d = rows[proxy], rows[direct]
    print(f"{label:<34} throughput x{p['rps']/d['rps']:.2f}   added p99 at {rate} req/s {p['q99']-d['q99']:+.2f} ms   added p50 {p['q50']-d['q50']:+.2f} ms")
print()
cmp("blockNumber.proxy-miss", "blockNumber.direct", "eth_blockNumber miss vs direct")
cmp("call.proxy-miss", "call.direct", "eth_call(latest) miss vs direct")
cmp("call-final.proxy-hit", "call-final.direct", "eth_call(final block) hit vs direct")
cmp("call-final.proxy-hit", "call.proxy-miss", "eth_call hit vs miss (proxy)")
print(f"goals: miss adds <= 2 ms p99 over direct; hit faster than direct.  cached eth_call entries in Redis: {hits}")
PY
