#!/usr/bin/env bash
# Gateway benchmark: the same trivial upstream measured three ways in one run:
#   direct    wrk -> upstream (nginx `return 200` on :$UP_PORT)
#   nginx     wrk -> nginx reverse proxy -> upstream
#   gateway   wrk -> chainmesh gateway (API key auth from the Redis cache, token-bucket rate limit on a plan
#             high enough not to trigger, compute-unit quota, usage event) -> upstream
# Phase 1 finds each one's peak throughput (closed loop, many connections). Phase 2 offers every target the
# same paced load, half of the gateway's peak, and compares latency there.
# Installs wrk and nginx from apt if missing; stops every process it started, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
UP_PORT=19100; NGINX_PORT=19101; GW_PORT=19180; TENANT_PORT=19181
WORK="$(mktemp -d /tmp/chainmesh-bench.XXXXXX)"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true; done
  cp "$WORK"/gateway.log /tmp/bench-gateway.log 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

source "$ROOT/bench/lib.sh"
need wrk wrk
need nginx nginx

JAVA_HOME="$("$ROOT/bin/chainmesh" java-home)"; export JAVA_HOME
"$ROOT/bin/chainmesh" prepare >/dev/null
if [ ! -f "$ROOT/gateway-service/target/gateway-service.jar" ] || [ ! -f "$ROOT/tenant-service/target/tenant-service.jar" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl platform-common,tenant-service,gateway-service -am)
fi

# --- the trivial upstream and nginx in front of it (one nginx master, two server blocks) ---
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream trivial { server 127.0.0.1:$UP_PORT; keepalive 128; }
  server { listen 127.0.0.1:$UP_PORT; location / { default_type application/json; return 200 '{"ok":true}'; } }
  server { listen 127.0.0.1:$NGINX_PORT;
           location / { proxy_pass http://trivial; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"

# --- tenant-service (key verification) and a gateway whose analytics route points at the upstream ---
SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48)"
OPERATOR_PASSWORD="bench-operator-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
common_env=(CHAINMESH_IDENTITY_SECRET="$SECRET" CHAINMESH_DB_PREFIX=chainmesh_bench SPRING_DATA_REDIS_DATABASE=4
            CHAINMESH_OPERATOR_EMAIL=operator@bench.test CHAINMESH_OPERATOR_PASSWORD="$OPERATOR_PASSWORD")
redis-cli -n 4 FLUSHDB >/dev/null
env "${common_env[@]}" SERVER_PORT=$TENANT_PORT setsid "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx384m \
  -jar "$ROOT/tenant-service/target/tenant-service.jar" >"$WORK/tenant.log" 2>&1 < /dev/null &
PIDS+=($!)
env "${common_env[@]}" SERVER_PORT=$GW_PORT CHAINMESH_TENANT_URL="http://127.0.0.1:$TENANT_PORT" \
  CHAINMESH_ANALYTICS_URL="http://127.0.0.1:$UP_PORT" setsid "$JAVA_HOME/bin/java" -Xmx512m ${GATEWAY_JAVA_OPTS:-} \
  -jar "$ROOT/gateway-service/target/gateway-service.jar" >"$WORK/gateway.log" 2>&1 < /dev/null &
PIDS+=($!)
wait_ready $TENANT_PORT $GW_PORT

GW="http://127.0.0.1:$GW_PORT"
bench_tenant "$GW" operator@bench.test "$OPERATOR_PASSWORD" '["read"]'
export API_KEY
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $API_KEY" "$GW/v1/analytics/usage")
[ "$code" = 200 ] || { echo "gateway route check failed: HTTP $code"; exit 1; }

declare -A URL=([direct]="http://127.0.0.1:$UP_PORT/v1/analytics/usage" [nginx]="http://127.0.0.1:$NGINX_PORT/v1/analytics/usage"
                [gateway]="$GW/v1/analytics/usage")
run_wrk() { # target rate(0 = as fast as possible) duration
  local key=""; [ "$1" = gateway ] && key="$API_KEY"
  API_KEY="$key" PACE_RPS="$2" CONNECTIONS="$CONNECTIONS" wrk -t2 -c"$CONNECTIONS" -d"$3" --timeout 5s \
    -s "$ROOT/bench/wrk-report.lua" "${URL[$1]}" | grep '^RESULT'
}

echo "warming up the gateway (JIT) ..."
run_wrk gateway 0 "${BENCH_WARMUP:-45s}" >/dev/null
GW_PID="${PIDS[1]}"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
declare -A PEAK P50 P99 ERR H50 H99 REQS
for t in direct nginx gateway; do
  [ "$t" = gateway ] && T0=$(cpu_ticks "$GW_PID")
  r="$(run_wrk "$t" 0 "$DURATION")"
  [ "$t" = gateway ] && T1=$(cpu_ticks "$GW_PID")
  REQS[$t]=$(field requests "$r")
  PEAK[$t]=$(field rps "$r"); P50[$t]=$(field p50_us "$r"); P99[$t]=$(field p99_us "$r"); ERR[$t]=$(field errors "$r")
done
HALF=$(python3 -c "print(int(${PEAK[gateway]}/2))")
for t in direct nginx gateway; do
  r="$(run_wrk "$t" "$HALF" "$DURATION")"
  H50[$t]=$(field p50_us "$r"); H99[$t]=$(field p99_us "$r"); ERR[$t]="${ERR[$t]}+$(field errors "$r")"
done

GW_CPU_US=$(python3 -c "print(round(($T1-$T0)/$(getconf CLK_TCK)*1e6/max(1,${REQS[gateway]}),1))")
python3 - "${PEAK[direct]}" "${PEAK[nginx]}" "${PEAK[gateway]}" "${P50[direct]}" "${P50[nginx]}" "${P50[gateway]}" \
  "${P99[direct]}" "${P99[nginx]}" "${P99[gateway]}" "$HALF" "${H50[direct]}" "${H50[nginx]}" "${H50[gateway]}" \
  "${H99[direct]}" "${H99[nginx]}" "${H99[gateway]}" "${ERR[direct]}" "${ERR[nginx]}" "${ERR[gateway]}" "$CONNECTIONS" "$DURATION" "$GW_CPU_US" <<'PY'
import sys
a = sys.argv[1:]
peak = dict(zip(["direct", "nginx", "gateway"], map(float, a[0:3])))
p50 = dict(zip(["direct", "nginx", "gateway"], map(int, a[3:6])))
p99 = dict(zip(["direct", "nginx", "gateway"], map(int, a[6:9])))
half = int(a[9])
h50 = dict(zip(["direct", "nginx", "gateway"], map(int, a[10:13])))
h99 = dict(zip(["direct", "nginx", "gateway"], map(int, a[13:16])))
err = dict(zip(["direct", "nginx", "gateway"], a[16:19]))
print(f"\nGateway benchmark: wrk -t2 -c{a[19]} -d{a[20]}, same trivial upstream, one run")
print(f"{'target':<9}{'peak req/s':>12}{'p50 ms':>9}{'p99 ms':>9}   | at {half} req/s: {'p50 ms':>8}{'p99 ms':>9}   errors(non-2xx/socket)")
for t in ["direct", "nginx", "gateway"]:
    print(f"{t:<9}{peak[t]:>12.0f}{p50[t]/1000:>9.2f}{p99[t]/1000:>9.2f}   | {'':>{len(str(half))+12}}{h50[t]/1000:>8.2f}{h99[t]/1000:>9.2f}   {err[t]}")
print(f"\nthroughput  gateway/nginx = {peak['gateway']/peak['nginx']:.2f}x  (goal >= 0.60x)   gateway/direct = {peak['gateway']/peak['direct']:.2f}x   nginx/direct = {peak['nginx']/peak['direct']:.2f}x")
print(f"gateway CPU per request at peak: {a[21]} us (user+system, all gateway threads; independent of other load)")
print(f"added p99 at half the gateway's peak: gateway {(h99['gateway']-h99['direct'])/1000:+.2f} ms (goal <= 5 ms), nginx {(h99['nginx']-h99['direct'])/1000:+.2f} ms over direct")
PY
