#!/usr/bin/env bash
# Webhook delivery benchmark: 10,000 events published on chainmesh.tx reach one local receiver as signed
# webhooks. Runs notification-service (the packaged jar, same JVM flags as bin/chainmesh) on its own port, database and
# Redis database, a node receiver that verifies every signature with the standardwebhooks package and also stands in
# for tenant-service's plan-limits endpoint, then publishes the events straight to the stream (as contract-service's
# outbox relay would) and reports:
#   deliveries/s (first publication to last receipt), end-to-end lag p50/p90/p99/max (publication -> receipt),
#   distinct webhook-ids received (must be exactly COUNT), duplicates, invalid signatures,
#   notification-service CPU seconds per 1,000 deliveries (user+system time of its JVM from /proc/<pid>/stat, from
#   just before publication to the last receipt: far less noisy on a shared machine than throughput), and the
#   attempts in the delivery log that did not get a 2xx, by error (each one means a retry and a late delivery).
# Env: BENCH_COUNT (10000), BENCH_RATE (0 = publish all at once; N = N events/s), BENCH_CONCURRENCY (64),
#   BENCH_WARMUP (0; N = first deliver N events, all at once, and measure only what follows: a warm JVM, without
#   the JIT compilation a fresh one does while it works), BENCH_JAR (the notification-service jar to run; default
#   this checkout's, so another build can be measured under the same script),
#   BENCH_JFR (a path: record a Java Flight Recording of the run there, profile settings),
#   BENCH_THREADS=1 (also print notification-service's CPU seconds by thread name over the same interval: JIT
#   compiler, GC and carrier threads, which a JFR execution profile does not show).
# The CPU figure is also given without the JIT compiler's threads: a freshly started JVM compiles for a minute or more
# at 200 events/s, about as much CPU as the work itself, and that part says little about the code being measured.
# Stops every process it started, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${BENCH_COUNT:-10000}"
RATE="${BENCH_RATE:-0}"
NOTIF_PORT=19385; RECEIVER_PORT=19386; REDIS_DB=11; DB_PREFIX=cm_whbench
STREAM=chainmesh.tx
WORK="$(mktemp -d /tmp/chainmesh-webhook-bench.XXXXXX)"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

JAVA_HOME="$("$ROOT/bin/chainmesh" java-home)"; export JAVA_HOME
"$ROOT/bin/chainmesh" prepare >/dev/null
JAR="${BENCH_JAR:-$ROOT/notification-service/target/notification-service.jar}"
if [ ! -f "$JAR" ] && [ -z "${BENCH_JAR:-}" ]; then (cd "$ROOT" && mvn -B -q -DskipTests package -pl notification-service -am); fi

# fresh state: database and Redis database of this benchmark only
dropdb -h 127.0.0.1 -U postgres --if-exists "${DB_PREFIX}_notification" 2>/dev/null || true
redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null

cd "$ROOT"
node bench/webhook-bench-tools.js receiver "$RECEIVER_PORT" > "$WORK/receiver.log" 2>&1 &
PIDS+=($!)
RECEIVER_PID=$!
SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48)"
SERVER_PORT="$NOTIF_PORT" CHAINMESH_DB_PREFIX="$DB_PREFIX" SPRING_DATA_REDIS_DATABASE="$REDIS_DB" \
CHAINMESH_IDENTITY_SECRET="$SECRET" CHAINMESH_TENANT_URL="http://127.0.0.1:$RECEIVER_PORT" \
CHAINMESH_NOTIFICATION_ALLOW_PRIVATE_TARGETS=true \
CHAINMESH_NOTIFICATION_DELIVERY_CONCURRENCY="${BENCH_CONCURRENCY:-64}" \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xss512k -Xmx384m \
  ${BENCH_JFR:+-XX:StartFlightRecording=filename=$BENCH_JFR,settings=profile,dumponexit=true} \
  -jar "$JAR" > "$WORK/notification.log" 2>&1 < /dev/null &
PIDS+=($!)
NOTIF_PID=$!
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the command name in field 2
# may contain spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
system_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $13 }'; }
# "tid name ticks" for every thread of a process (name with digits folded, so thread pools add up).
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(tr -d '0-9' < "$t/comm" | tr ' ' '_')" "$(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')"
  done 2>/dev/null
}
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$NOTIF_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"' && break
  kill -0 "${PIDS[1]}" 2>/dev/null || { tail -40 "$WORK/notification.log"; exit 1; }
  sleep 1
done

TENANT="$(cat /proc/sys/kernel/random/uuid)"
TOKEN="$(node bench/webhook-bench-tools.js token "$SECRET" "$TENANT")"
CREATED="$(curl -fsS -X POST "http://127.0.0.1:$NOTIF_PORT/v1/webhooks" -H "X-Chainmesh-Identity: $TOKEN" \
  -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"eventTypes\":[\"tx.*\"]}")"
WHSEC="$(printf '%s' "$CREATED" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')"
curl -fsS -X POST "http://127.0.0.1:$RECEIVER_PORT/configure" -d "{\"secret\":\"$WHSEC\"}" >/dev/null

# distinct_received: distinct webhook-ids the receiver has seen since its last reset.
distinct_received() { curl -fsS "http://127.0.0.1:$RECEIVER_PORT/stats" | sed -n 's/.*"distinct":\([0-9]*\).*/\1/p'; }
WARMUP="${BENCH_WARMUP:-0}"
if [ "$WARMUP" -gt 0 ]; then
  echo "warming up with $WARMUP events ..."
  node bench/webhook-bench-tools.js publish 6379 "$REDIS_DB" "$STREAM" "$TENANT" "$WARMUP" 0
  DEADLINE=$((SECONDS + 300))
  until [ "$(distinct_received)" -ge "$WARMUP" ]; do
    [ "$SECONDS" -lt "$DEADLINE" ] || { echo "warm-up timed out"; exit 1; }
    sleep 0.5
  done
  sleep 2
  curl -fsS -X POST "http://127.0.0.1:$RECEIVER_PORT/reset" >/dev/null
fi

echo "publishing $COUNT events to $STREAM (rate: ${RATE:-0}/s, 0 = all at once) ..."
CPU_BEFORE="$(cpu_ticks "$NOTIF_PID")"
SYSTEM_BEFORE="$(system_ticks "$NOTIF_PID")"
RECEIVER_CPU_BEFORE="$(cpu_ticks "$RECEIVER_PID")"
thread_ticks "$NOTIF_PID" > "$WORK/threads.before"
START_MS="$(date +%s%3N)"
node bench/webhook-bench-tools.js publish 6379 "$REDIS_DB" "$STREAM" "$TENANT" "$COUNT" "$RATE"
PUBLISHED_MS="$(date +%s%3N)"
DEADLINE=$((SECONDS + 600))
while :; do
  STATS="$(curl -fsS "http://127.0.0.1:$RECEIVER_PORT/stats")"
  DISTINCT="$(printf '%s' "$STATS" | sed -n 's/.*"distinct":\([0-9]*\).*/\1/p')"
  if [ "$DISTINCT" -ge "$COUNT" ]; then
    CPU_AFTER="$(cpu_ticks "$NOTIF_PID")"
    SYSTEM_AFTER="$(system_ticks "$NOTIF_PID")"
    RECEIVER_CPU_AFTER="$(cpu_ticks "$RECEIVER_PID")"
    thread_ticks "$NOTIF_PID" > "$WORK/threads.after"
    break
  fi
  [ "$SECONDS" -lt "$DEADLINE" ] || { echo "timed out: $STATS"; exit 1; }
  sleep 0.5
done
sleep 3 # anything sent twice would arrive now
STATS="$(curl -fsS "http://127.0.0.1:$RECEIVER_PORT/stats")"
CPU_SECONDS="$(awk -v t=$((CPU_AFTER - CPU_BEFORE)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
SYSTEM_SECONDS="$(awk -v t=$((SYSTEM_AFTER - SYSTEM_BEFORE)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
# per thread name: CPU seconds used over the run
awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $3; next }
  { used[$2] += $3 - ($1 in before ? before[$1] : 0) }
  END { for (n in used) if (used[n] > 0) printf "%.2f %s\n", used[n] / hz, n }' \
  "$WORK/threads.before" "$WORK/threads.after" | sort -rn > "$WORK/threads.used"
JIT_SECONDS="$(awk '$2 ~ /CompilerThre/ { s += $1 } END { printf "%.2f", s }' "$WORK/threads.used")"
RECEIVER_CPU_SECONDS="$(awk -v t=$((RECEIVER_CPU_AFTER - RECEIVER_CPU_BEFORE)) -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "%.2f", t / hz }')"
FAILED_ATTEMPTS="$(psql -h 127.0.0.1 -U postgres -d "${DB_PREFIX}_notification" -At -F ' ' -c \
  "SELECT count(*), coalesce(error, 'HTTP ' || status_code) FROM delivery_attempts
   WHERE status_code IS NULL OR status_code NOT BETWEEN 200 AND 299 GROUP BY 2 ORDER BY 1 DESC LIMIT 5" | paste -sd ';')"
node -e '
const s = JSON.parse(process.argv[1]); const start = Number(process.argv[2]); const published = Number(process.argv[3]);
const count = Number(process.argv[4]); const secs = (s.lastAt - start) / 1000;
console.log("events published          " + count + " in " + ((published - start) / 1000).toFixed(2) + " s");
console.log("webhooks received         " + s.received + " (" + s.distinct + " distinct webhook-ids, " + s.duplicates
  + " duplicates, " + s.invalidSignatures + " invalid signatures)");
console.log("deliveries/s              " + (s.distinct / secs).toFixed(0) + " (first publication to last receipt: " + secs.toFixed(2) + " s)");
console.log("lag publication->receipt  p50 " + s.lagP50 + " ms, p90 " + s.lagP90 + " ms, p99 " + s.lagP99 + " ms, max " + s.lagMax + " ms");
console.log("worst lag per 5 s window  " + s.worstLagByWindow + " (ms, by publication time)");
console.log("receiver connections      " + s.connections + " new ones carried webhooks (each is a TCP handshake; keep-alive reuses them)");
const cpu = Number(process.argv[5]);
console.log("notification-service CPU  " + cpu.toFixed(2) + " s (" + (cpu * 1000 / s.distinct).toFixed(3)
  + " s per 1,000 deliveries; " + process.argv[10] + " s of it in the kernel)");
const jit = Number(process.argv[9]);
console.log("  without JIT compilation " + (cpu - jit).toFixed(2) + " s (" + ((cpu - jit) * 1000 / s.distinct).toFixed(3)
  + " s per 1,000 deliveries; the compiler threads used " + jit.toFixed(2) + " s)");
console.log("receiver CPU              " + Number(process.argv[8]).toFixed(2) + " s (" + (100 * Number(process.argv[8]) / secs).toFixed(0)
  + "% of one core: near 100% means the single-threaded receiver, not the service, sets the pace)");
console.log("attempts without a 2xx    " + (process.argv[6] || "none"));
console.log("machine load average      " + process.argv[7] + " (1/5/15 min, at the end; the machine is shared)");
const ok = s.distinct === count && s.duplicates === 0 && s.invalidSignatures === 0;
console.log(ok ? "RESULT: exactly " + count + " distinct webhook-ids, all signatures valid" : "RESULT: FAILED");
process.exit(ok ? 0 : 1);
' "$STATS" "$START_MS" "$PUBLISHED_MS" "$COUNT" "$CPU_SECONDS" "$FAILED_ATTEMPTS" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$RECEIVER_CPU_SECONDS" "$JIT_SECONDS" "$SYSTEM_SECONDS" \
  || RESULT_STATUS=$?
if [ -n "${BENCH_THREADS:-}" ]; then
  echo "CPU seconds by thread over the run:"
  head -15 "$WORK/threads.used" | awk '{ printf "  %8.2f %s\n", $1, $2 }'
fi
exit "${RESULT_STATUS:-0}"
