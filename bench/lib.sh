# Shared by the benchmark scripts (sourced, not run). Expects $WORK (their temp dir) to be set.

# need COMMAND PACKAGE: install a Debian package when its command is missing.
need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2"; apt-get install -y -q "$2" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }; }; }

# json PATH: read JSON on stdin and print one value, e.g. json "['tenant']['id']".
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# field NAME LINE: a number from wrk-report.lua's "RESULT name=value ..." line.
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# wait_ready PORT...: every service ready within 180 s, or show the logs and stop.
wait_ready() {
  local port
  for port in "$@"; do
    for _ in $(seq 1 180); do curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q UP && break; sleep 1; done
    curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { tail -50 "$WORK"/*.log; echo "service on :$port did not start"; exit 1; }
  done
}

# bench_tenant GATEWAY_URL OPERATOR_EMAIL OPERATOR_PASSWORD SCOPES_JSON: signs a tenant up, moves it to the
# enterprise plan (limits high enough not to throttle the load) and sets TENANT_ID and API_KEY.
bench_tenant() {
  local gw="$1" email password op_jwt jwt
  email="bench-$(date +%s)@bench.test"; password="bench-password-$(date +%s)"
  TENANT_ID=$(curl -fsS -X POST "$gw/v1/signup" -H 'Content-Type: application/json' \
    -d "{\"tenantName\":\"bench\",\"email\":\"$email\",\"password\":\"$password\"}" | json "['tenant']['id']")
  op_jwt=$(curl -fsS -X POST "$gw/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | json "['access_token']")
  curl -fsS -X PUT "$gw/v1/admin/tenants/$TENANT_ID/plan" -H "Authorization: Bearer $op_jwt" \
    -H 'Content-Type: application/json' -d '{"plan":"enterprise"}' >/dev/null
  jwt=$(curl -fsS -X POST "$gw/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | json "['access_token']")
  API_KEY=$(curl -fsS -X POST "$gw/v1/api-keys" -H "Authorization: Bearer $jwt" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"scopes\":$4}" | json "['key']")
}
