#!/usr/bin/env bash
# Webhook delivery benchmark (issue 5): 10,000 events published on chainmesh.tx reach one local receiver as signed
# webhooks. Runs notification-service (the packaged jar, same JVM flags as bin/chainmesh) on its own port, database and
# Redis database, a node receiver that verifies every signature with the standardwebhooks package and also stands in
# for tenant-service's plan-limits endpoint, then publishes the events straight to the stream (as contract-service's
# outbox relay would) and reports:
#   deliveries/s (first publication to last receipt), end-to-end lag p50/p90/p99/max (publication -> receipt),
#   distinct webhook-ids received (must be exactly COUNT), duplicates, invalid signatures.
# Env: BENCH_COUNT (10000), BENCH_RATE (0 = publish all at once; N = N events/s), BENCH_CONCURRENCY (64).
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
JAR="$ROOT/notification-service/target/notification-service.jar"
if [ ! -f "$JAR" ]; then (cd "$ROOT" && mvn -B -q -DskipTests package -pl notification-service -am); fi

# fresh state: database and Redis database of this benchmark only
dropdb -h 127.0.0.1 -U postgres --if-exists "${DB_PREFIX}_notification" 2>/dev/null || true
redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null

cd "$ROOT"
node bench/webhook-bench-tools.js receiver "$RECEIVER_PORT" > "$WORK/receiver.log" 2>&1 &
PIDS+=($!)
SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48)"
SERVER_PORT="$NOTIF_PORT" CHAINMESH_DB_PREFIX="$DB_PREFIX" SPRING_DATA_REDIS_DATABASE="$REDIS_DB" \
CHAINMESH_IDENTITY_SECRET="$SECRET" CHAINMESH_TENANT_URL="http://127.0.0.1:$RECEIVER_PORT" \
CHAINMESH_NOTIFICATION_ALLOW_PRIVATE_TARGETS=true \
CHAINMESH_NOTIFICATION_DELIVERY_CONCURRENCY="${BENCH_CONCURRENCY:-64}" \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xss512k -Xmx384m -jar "$JAR" > "$WORK/notification.log" 2>&1 < /dev/null &
PIDS+=($!)
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

echo "publishing $COUNT events to $STREAM (rate: ${RATE:-0}/s, 0 = all at once) ..."
START_MS="$(date +%s%3N)"
node bench/webhook-bench-tools.js publish 6379 "$REDIS_DB" "$STREAM" "$TENANT" "$COUNT" "$RATE"
PUBLISHED_MS="$(date +%s%3N)"
DEADLINE=$((SECONDS + 600))
while :; do
  STATS="$(curl -fsS "http://127.0.0.1:$RECEIVER_PORT/stats")"
  DISTINCT="$(printf '%s' "$STATS" | sed -n 's/.*"distinct":\([0-9]*\).*/\1/p')"
  [ "$DISTINCT" -ge "$COUNT" ] && break
  [ "$SECONDS" -lt "$DEADLINE" ] || { echo "timed out: $STATS"; exit 1; }
  sleep 0.5
done
sleep 3 # anything sent twice would arrive now
STATS="$(curl -fsS "http://127.0.0.1:$RECEIVER_PORT/stats")"
node -e '
const s = JSON.parse(process.argv[1]); const start = Number(process.argv[2]); const published = Number(process.argv[3]);
const count = Number(process.argv[4]); const secs = (s.lastAt - start) / 1000;
console.log("events published          " + count + " in " + ((published - start) / 1000).toFixed(2) + " s");
console.log("webhooks received         " + s.received + " (" + s.distinct + " distinct webhook-ids, " + s.duplicates
  + " duplicates, " + s.invalidSignatures + " invalid signatures)");
console.log("deliveries/s              " + (s.distinct / secs).toFixed(0) + " (first publication to last receipt: " + secs.toFixed(2) + " s)");
console.log("lag publication->receipt  p50 " + s.lagP50 + " ms, p90 " + s.lagP90 + " ms, p99 " + s.lagP99 + " ms, max " + s.lagMax + " ms");
const ok = s.distinct === count && s.duplicates === 0 && s.invalidSignatures === 0;
console.log(ok ? "RESULT: exactly " + count + " distinct webhook-ids, all signatures valid" : "RESULT: FAILED");
process.exit(ok ? 0 : 1);
' "$STATS" "$START_MS" "$PUBLISHED_MS" "$COUNT"
