#!/usr/bin/env bash
# run-bench.sh [--smoke] [--iterations N] [--out DIR] — Lanyard's benchmarks in one command.
#
# Lanyard vs the MSAL Node path it replaces, against the same oidc-provider over HTTPS on
# loopback and the same scripted browser: (1) interactive sign-in + one forced refresh, (2) the
# provider requests per sign-in, (3) a silent token in a new process with 1–1000 stored accounts
# vs one keyring lookup, (4) the window's first frame and peak RSS vs a bare AdwApplicationWindow,
# (5) `lanyard-cli api` vs curl + `lanyard-cli token`, token lookups with 1 and 50 cached APIs.
# Every contender runs several times, interleaved (A B C A B C …), after a warm-up round.
#
#   --smoke          1 iteration, no warm-up, 1 and 10 accounts (CI: checks that it all runs)
#   --iterations N   measured runs per contender (default 10)
#   --out DIR        where the report, results.json and per-run files go
#                    (default _build-bench/bench/<date-time>)
#   --baseline DIR   also measure the lanyard-cli and app of another build directory (built
#                    already, e.g. of the previous commit), interleaved with this one's, and
#                    report the ratios: a change must keep them ≤ 1.05× (see README.md)
#
# Installs what is missing (Debian packages via build-aux/install-deps.sh and apt-get, `npm ci` in
# tests/idp and tests/bench), builds lanyard-cli in _build-bench (release) and the app in
# _build-bench-app when src/app exists, then runs everything inside its own
# tests/session/lanyard-test-session (private HOME, bus, keyring, Xvfb). Prints a Markdown report
# and writes DIR/results.json. It never judges timings: it exits non-zero only when a contender
# (or the set-up) fails to complete.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/tests/bench
SMOKE=0 ITER='' OUT='' BASELINE=''
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) SMOKE=1 ;;
    --iterations) ITER=${2:?--iterations needs a number}; shift ;;
    --iterations=*) ITER=${1#*=} ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --out=*) OUT=${1#*=} ;;
    --baseline) BASELINE=${2:?--baseline needs a build directory}; shift ;;
    --baseline=*) BASELINE=${1#*=} ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$SMOKE" = 1 ]; then
  ITER=${ITER:-1} WARMUP=0 ACCOUNTS="1 10"
else
  ITER=${ITER:-10} WARMUP=1 ACCOUNTS="1 10 100 1000"
fi
case $ITER in '' | *[!0-9]* | 0) echo "run-bench: --iterations must be a positive number" >&2; exit 2 ;; esac
OUT=${OUT:-$ROOT/_build-bench/bench/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
say() { printf 'run-bench: %s\n' "$*" >&2; }
T_START=$EPOCHREALTIME

# ---------------------------------------------------------------- dependencies
"$ROOT/build-aux/install-deps.sh" >&2
EXTRA=(time xdotool x11-utils libx11-dev libxdamage-dev libcurl4-openssl-dev jq curl openssl)
missing=()
installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${EXTRA[@]}" 2>/dev/null || true) "
for p in "${EXTRA[@]}"; do [[ $installed == *" $p=installed "* ]] || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo)
  say "installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# npm ci only when node_modules does not match the lock file
if [ ! -f "$BENCH/node_modules/.package-lock.json" ] || [ "$BENCH/package-lock.json" -nt "$BENCH/node_modules/.package-lock.json" ]; then
  say "npm ci in tests/bench"
  (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# ---------------------------------------------------------------- builds
BUILD=$ROOT/_build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$ROOT" -Dapp=false --buildtype=release >&2
fi
ninja -C "$BUILD" src/cli/lanyard-cli >&2
CLI=$BUILD/src/cli/lanyard-cli

APP='' APP_SCHEMAS=''
if [ -f "$ROOT/src/app/meson.build" ]; then
  APP_BUILD=$ROOT/_build-bench-app
  if { [ -f "$APP_BUILD/build.ninja" ] || meson setup "$APP_BUILD" "$ROOT" -Dapp=true --buildtype=release >"$OUT/app-setup.log" 2>&1; } &&
    ninja -C "$APP_BUILD" src/app/lanyard data/gschemas.compiled >"$OUT/app-build.log" 2>&1; then
    APP=$APP_BUILD/src/app/lanyard
    [ -f "$APP_BUILD/data/gschemas.compiled" ] && APP_SCHEMAS=$APP_BUILD/data
  else
    say "the Lanyard app did not build (see $OUT/app-build.log): reporting it as not built"
  fi
fi

BASE_CLI='' BASE_APP=''
if [ -n "$BASELINE" ]; then
  BASELINE=$(cd "$BASELINE" && pwd) || exit 2
  BASE_CLI=$BASELINE/src/cli/lanyard-cli
  [ -x "$BASE_CLI" ] || { say "--baseline: $BASE_CLI is not built"; exit 2; }
  [ -n "$APP" ] && [ -x "$BASELINE/src/app/lanyard" ] && BASE_APP=$BASELINE/src/app/lanyard
fi

TOOLS=$BUILD/tests-bench
mkdir -p "$TOOLS"
cc_tool() { # cc_tool NAME PKG... — rebuilds tests/bench/NAME.c when it changed
  local name=$1
  shift
  if [ ! -x "$TOOLS/$name" ] || [ "$BENCH/$name.c" -nt "$TOOLS/$name" ]; then
    # shellcheck disable=SC2046
    cc -O2 -Wall -o "$TOOLS/$name" "$BENCH/$name.c" $([ $# -gt 0 ] && pkg-config --cflags --libs "$@")
  fi
}
cc_tool bench-browser   # loads libcurl with dlopen(): no link flags
cc_tool bare-window libadwaita-1
cc_tool wait-window x11 xdamage
cc_tool keyring-fill libsecret-1 json-glib-1.0
cc_tool loopback-catch

jq -n --arg root "$ROOT" --arg cli "$CLI" --arg app "$APP" --argjson smoke "$SMOKE" \
  --arg base_cli "$BASE_CLI" --arg base_app "$BASE_APP" \
  --argjson iterations "$ITER" --argjson warmup "$WARMUP" --arg accounts "$ACCOUNTS" \
  '{root: $root, cli: $cli, app: (if $app == "" then null else $app end), smoke: ($smoke == 1),
    baseline_cli: (if $base_cli == "" then null else $base_cli end),
    baseline_app: (if $base_app == "" then null else $base_app end),
    iterations: $iterations, warmup: $warmup, accounts: ($accounts | split(" ") | map(tonumber))}' >"$OUT/config.json"

# ---------------------------------------------------------------- measure, then report
say "measuring ($ITER iteration(s), warm-up $WARMUP, accounts: $ACCOUNTS); load average $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
env BENCH_ROOT="$ROOT" BENCH_OUT="$OUT" BENCH_ITER="$ITER" BENCH_WARMUP="$WARMUP" \
  BENCH_ACCOUNTS="$ACCOUNTS" BENCH_CLI="$CLI" BENCH_APP="$APP" BENCH_APP_SCHEMAS="$APP_SCHEMAS" \
  BENCH_TOOLS="$TOOLS" BENCH_BASE_CLI="$BASE_CLI" BENCH_BASE_APP="$BASE_APP" LANYARD_TEST_DISPLAY=1 \
  "$ROOT/tests/session/lanyard-test-session" bash "$BENCH/bench-session.sh" || rc=$?

if [ -s "$OUT/raw.jsonl" ]; then
  node "$BENCH/report.mjs" "$OUT"
fi

# 5. Calling an API: `lanyard-cli api` vs curl + `lanyard-cli token`, and token lookups with 1 and
# 50 cached APIs (api-bench.sh, its own test session); its table goes into DIR/api-bench.md too.
say "measuring api calls and token lookups (api-bench.sh)"
if "$BENCH/api-bench.sh" --iterations "$((ITER * 3))" --build "$BUILD" >"$OUT/api-bench.md" 2>"$OUT/api-bench.err"; then
  printf '\n### 5. Calling an API\n\n' && cat "$OUT/api-bench.md"
else
  say "api-bench.sh did not complete (see $OUT/api-bench.err)"
  rc=1
fi
say "took $(awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s; results in $OUT"
if [ "$rc" != 0 ]; then
  say "FAILED: a contender did not complete (exit status $rc); see the messages above"
  exit 1
fi
exit 0
