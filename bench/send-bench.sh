#!/usr/bin/env bash
# Transaction manager benchmark: 1,000 concurrent sends from one wallet through contract-service,
# nonce/receipt verification, the same number of pre-signed raw transactions straight to anvil for comparison,
# then the burst again with contract-service killed (-9) half way and restarted.
# Starts its own platform instance (own ports, databases, Redis db) with bin/chainmesh and stops it at the end.
#   bench/send-bench.sh            (SENDS=1000 by default; SEND_BENCH_PORT_BASE=19480, clear of the other benches' ports)
#   SEND_BENCH_ROUNDS=3 bench/send-bench.sh      three measured bursts (ranges), then the kill -9 run
#   SEND_BENCH_KILL=0 SEND_BENCH_JFR=/tmp/send.jfr bench/send-bench.sh   quick run with a JFR profile of contract-service
# Each measured burst also reports the CPU seconds contract-service, blockchain-service and anvil spent per 1,000
# sends (from /proc/<pid>/stat), which varies far less than wall-clock rates on a shared machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PORT_BASE="${SEND_BENCH_PORT_BASE:-19480}"
export ANVIL_PORT="${SEND_BENCH_ANVIL_PORT:-19645}"
export DB_PREFIX="${SEND_BENCH_DB_PREFIX:-cm_sendbench}"
export CHAINMESH_HOME="${SEND_BENCH_HOME:-/tmp/cm-send-bench}"
export CHAINMESH_PORT_BASE="$PORT_BASE" CHAINMESH_ANVIL_PORT="$ANVIL_PORT" CHAINMESH_DB_PREFIX="$DB_PREFIX"
export CHAINMESH_REDIS_DB="${SEND_BENCH_REDIS_DB:-6}" CHAINMESH_SKIP_BUILD="${CHAINMESH_SKIP_BUILD:-1}"
export SENDS="${SENDS:-1000}"
# Six services share the machine's PostgreSQL (max_connections 100) with whatever else runs; keep pools small.
export SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE="${SEND_BENCH_DB_POOL:-8}"

for db in tenant chain contract analytics notification; do
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB_PREFIX}_$db WITH (FORCE)" >/dev/null
done
redis-cli -n "$CHAINMESH_REDIS_DB" FLUSHDB >/dev/null
rm -rf "$CHAINMESH_HOME"
trap 'bin/chainmesh down >/dev/null 2>&1 || true' EXIT
# The bench needs gateway, tenant, blockchain and contract; a failing unrelated service must not stop it.
bin/chainmesh up >"$CHAINMESH_HOME.up.log" 2>&1 || echo "note: bin/chainmesh up reported a problem (see $CHAINMESH_HOME.up.log); checking the services the bench needs"
for port in "$PORT_BASE" $((PORT_BASE + 1)) $((PORT_BASE + 2)) $((PORT_BASE + 3)); do
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"' && break
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"' || { echo "service on :$port is not healthy"; exit 1; }
done
JCMD="$(bin/chainmesh java-home)/bin/jcmd" node bench/send-bench.js
