#!/usr/bin/env bash
# api-bench.sh [--iterations N] [--build DIR] — calling an API with Lanyard's tokens.
#
#  1. `lanyard-cli api URL` on a cached token against the pair a script writes without it,
#     `curl -H "Authorization: Bearer $(lanyard-cli token)" URL` (two processes), interleaved.
#  2. `lanyard-cli token --scope S` (a cached token, no network) with 1 and with 50 access tokens
#     cached for the account — the one asked for is the oldest, so the lookup passes them all.
#
# Runs in its own tests/session/lanyard-test-session (private HOME, bus, keyring) against the test
# provider (tests/idp/idp.mjs, which issues JWT access tokens for its registered APIs) and the
# resource server (tests/idp/resource-server.mjs, which validates them). Wall time and CPU (user +
# system, of the whole process tree) from /usr/bin/time; prints median (min–max) per contender and
# the ratios. Reports, never judges: goals (issue #9) are api ≤ 0.8× the pair, 50 ≤ 1.2× 1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ITER=30 BUILD=$ROOT/_build
while [ $# -gt 0 ]; do
  case $1 in
    --iterations) ITER=$2; shift ;;
    --build) BUILD=$2; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "api-bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "${LANYARD_TEST_SESSION:-}" ] && [ -z "${API_BENCH_INSIDE:-}" ]; then
  exec env API_BENCH_INSIDE=1 "$ROOT/tests/session/lanyard-test-session" bash "$0" --iterations "$ITER" --build "$BUILD"
fi

CLI=$BUILD/src/cli/lanyard-cli
T=$(mktemp -d)
export T
trap 'kill $IDP_PID $RS_PID 2>/dev/null || true' EXIT
export GSETTINGS_BACKEND=memory
unset LANYARD_AUTHORITY LANYARD_CLIENT_ID LANYARD_SCOPES LANYARD_CA_FILE LANYARD_API_SCOPES

node "$ROOT/tests/idp/idp.mjs" --ready-file "$T/idp.ready" >"$T/idp.out" 2>"$T/idp.err" &
IDP_PID=$!
for _ in $(seq 1 600); do [ -s "$T/idp.ready" ] && break; sleep 0.05; done
ISSUER=$(jq -r .issuer "$T/idp.ready")
node "$ROOT/tests/idp/resource-server.mjs" --issuer "$ISSUER" --audience https://api-a.lanyard.test/ \
  --ready-file "$T/rs.ready" >"$T/rs.out" 2>"$T/rs.err" &
RS_PID=$!
for _ in $(seq 1 600); do [ -s "$T/rs.ready" ] && break; sleep 0.05; done
URL="http://127.0.0.1:$(jq -r .port "$T/rs.ready")/me"

LANYARD_TEST_BROWSER_MODE=login LANYARD_TEST_BROWSER_LOG=$T/browser.log \
  BROWSER=$ROOT/tests/browser/lanyard-test-browser \
  "$CLI" sign-in --authority "$ISSUER" --client-id dev.lanyard.Lanyard.Test --timeout 60 \
  --scope "openid profile offline_access api-a:read" >/dev/null 2>"$T/sign-in.err"
S=api-a:read
"$CLI" api --scope "$S" "$URL" >/dev/null   # the token is cached from here on

# measure LABEL CMD... — one run: appends "LABEL wall cpu" to $T/runs. getrusage (of the waited-for
# process tree, in microseconds; /usr/bin/time rounds to 10 ms) from a small Python wrapper whose
# own start is not counted.
measure() {
  local label=$1
  shift
  /usr/bin/python3 -c '
import os, resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(os.environ["T"] + "/errors", "a"), check=True)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(sys.argv[1], "%.5f" % w, "%.5f" % (r.ru_utime + r.ru_stime))' "$label" "$@" >>"$T/runs"
}

: >"$T/runs"
for _ in $(seq 1 "$ITER"); do
  measure api "$CLI" api --scope "$S" "$URL"
  measure curl+token sh -c 'curl -sS -f -H "Authorization: Bearer $("$0" token --scope "$1")" "$2"' "$CLI" "$S" "$URL"
done

# 49 more cached tokens (other resources, valid for an hour), written into the stored account as
# later sign-ins and refreshes would have; the one for $S stays the oldest.
ID=$("$CLI" accounts | cut -f1 | head -n1)
JSON=$(secret-tool lookup xdg:schema dev.lanyard.Lanyard.Account account-id "$ID")
: >"$T/runs50"
for _ in $(seq 1 "$ITER"); do measure token-1 "$CLI" token --scope "$S"; done
NOW=$(date +%s)
jq -c --argjson now "$NOW" '.access_tokens += [range(1; 50) as $i |
  {token: ("at-bench-\($i)"), token_type: "Bearer", expires_at: ($now + 3600),
   scopes: ["https://api-\($i).example/read"], requested: "https://api-\($i).example/read"}]' <<<"$JSON" >"$T/account50.json"
# The same item, its secret replaced (secret-tool store refuses secrets this long).
/usr/bin/python3 - "$ID" "$T/account50.json" <<'EOF'
import sys, gi
gi.require_version('Secret', '1')
from gi.repository import Secret
service = Secret.Service.get_sync(Secret.ServiceFlags.LOAD_COLLECTIONS | Secret.ServiceFlags.OPEN_SESSION)
items = service.search_sync(None, {'xdg:schema': 'dev.lanyard.Lanyard.Account', 'account-id': sys.argv[1]},
                            Secret.SearchFlags.ALL | Secret.SearchFlags.LOAD_SECRETS | Secret.SearchFlags.UNLOCK, None)
assert len(items) == 1, len(items)
data = open(sys.argv[2]).read().strip()
items[0].set_secret_sync(Secret.Value.new(data, len(data.encode()), 'application/json'), None)
EOF
for _ in $(seq 1 "$ITER"); do measure token-50 "$CLI" token --scope "$S"; done
[ "$("$CLI" token --scope https://api-7.example/read)" = at-bench-7 ] || { echo "api-bench: the 50 tokens are not in the cache" >&2; exit 1; }

node - "$T/runs" <<'EOF'
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' '));
const by = {};
for (const [label, wall, cpu] of rows) (by[label] ??= { wall: [], cpu: [] }, by[label].wall.push(+wall), by[label].cpu.push(+cpu));
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (a) => `${(med(a) * 1000).toFixed(1)} ms (${(Math.min(...a) * 1000).toFixed(1)}–${(Math.max(...a) * 1000).toFixed(1)})`;
console.log(`| contender | runs | wall | CPU (user+sys) |\n|---|---|---|---|`);
for (const [k, v] of Object.entries(by)) console.log(`| ${k} | ${v.wall.length} | ${ms(v.wall)} | ${ms(v.cpu)} |`);
const r = (a, b, f) => (med(by[a][f]) / med(by[b][f])).toFixed(2);
console.log(`\napi / (curl + token): wall ${r('api', 'curl+token', 'wall')}×, CPU ${r('api', 'curl+token', 'cpu')}× (goal ≤ 0.8×)`);
console.log(`token, 50 cached / 1 cached: wall ${r('token-50', 'token-1', 'wall')}×, CPU ${r('token-50', 'token-1', 'cpu')}× (goal ≤ 1.2×)`);
EOF
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
