#!/usr/bin/env bash
# bench-session.sh — the measurements of Lanyard's benchmarks. Runs INSIDE
# tests/session/lanyard-test-session with LANYARD_TEST_DISPLAY=1 (private HOME/XDG dirs, session
# bus, unlocked gnome-keyring, Xvfb); run-bench.sh sets it up, calls it and then report.mjs.
#
# Environment (set by run-bench.sh): BENCH_ROOT BENCH_OUT BENCH_ITER BENCH_WARMUP
# BENCH_ACCOUNTS ("1 10 100 1000") BENCH_CLI BENCH_APP (empty: not built) BENCH_APP_SCHEMAS
# BENCH_TOOLS (the directory with bench-browser, bare-window, wait-window, keyring-fill,
# loopback-catch).
#
# Writes $BENCH_OUT/raw.jsonl (one JSON object per measured run), $BENCH_OUT/meta-*.json and a
# directory per run under $BENCH_OUT/runs (outputs, browser log, the provider's requests).
# Never judges a number. Exits non-zero only when a contender fails to complete.
set -uo pipefail

ROOT=$BENCH_ROOT OUT=$BENCH_OUT ITER=$BENCH_ITER WARMUP=$BENCH_WARMUP CLI=$BENCH_CLI
# --baseline: another build's lanyard-cli and app, run as the "-base" contenders
BASE_CLI=${BENCH_BASE_CLI:-} BASE_APP=${BENCH_BASE_APP:-}
APP=${BENCH_APP:-} TOOLS=$BENCH_TOOLS
BENCH=$ROOT/tests/bench
RAW=$OUT/raw.jsonl
CLIENT_ID=dev.lanyard.Lanyard.Test
: >"$RAW"
mkdir -p "$OUT/runs"

say() { printf 'bench: %s\n' "$*" >&2; }
FAILED=0
contender_failed() { # contender_failed RUN_DIR MESSAGE
  FAILED=1
  say "FAILED: $2 (files in $1)"
  for f in "$1/err" "$1/browser.log" "$1/browser.log.debug"; do
    [ -s "$f" ] && { say "--- $f (tail)"; tail -n 12 "$f" >&2; }
  done
  return 0
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
jq -n --arg load "$(loadavg)" --arg started "$(date -u +%FT%TZ)" \
  '{load_before: $load, started: $started}' >"$OUT/meta-start.json"

# ---------------------------------------------------------------- the provider (https, loopback)
CERTS=$OUT/certs
sh "$ROOT/tests/idp/mkcerts.sh" "$CERTS" 2>"$OUT/mkcerts.log" || { cat "$OUT/mkcerts.log" >&2; exit 1; }
CA=$CERTS/ca.pem
REQLOG=$OUT/idp-requests.jsonl
: >"$REQLOG"
# MSAL Node sends redirect_uri=http://localhost:PORT (no path); oidc-provider matches the path
# exactly, so that form is registered too (the port is ignored for native loopback clients).
IDP_REQUEST_LOG=$REQLOG IDP_REDIRECT_URIS='http://127.0.0.1/,http://localhost/,http://[::1]/,http://localhost' \
  node "$ROOT/tests/idp/idp.mjs" --host 127.0.0.1 --port 0 --ready-file "$OUT/idp.ready" \
  --tls-cert "$CERTS/server.pem" --tls-key "$CERTS/server.key" >"$OUT/idp.out" 2>"$OUT/idp.err" &
IDP_PID=$!
cleanup() {
  kill -TERM "$IDP_PID" 2>/dev/null || true
  wait "$IDP_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do [ -s "$OUT/idp.ready" ] && break; sleep 0.05; done
[ -s "$OUT/idp.ready" ] || { say "the test provider did not start"; cat "$OUT/idp.err" >&2; exit 1; }
ISSUER=$(jq -r .issuer "$OUT/idp.ready")
say "provider $ISSUER (pid $IDP_PID)"

export LANYARD_TEST_CA_FILE=$CA            # the scripted browser (CURLOPT_CAINFO)
export BROWSER=$TOOLS/bench-browser        # logs OPEN and DELIVER times to $LANYARD_BENCH_OPEN_LOG
unset LANYARD_AUTHORITY LANYARD_CLIENT_ID LANYARD_SCOPES LANYARD_CA_FILE

req_lines() { wc -l <"$REQLOG"; }
# wait (up to 10 s) for the detached scripted browser to finish, so it does not overlap the next run
wait_browser_done() {
  local i
  for i in $(seq 1 200); do
    grep -Eq '^(LANDED|ERROR)' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# run_one SECTION CONTENDER ITER(-1 = warm-up) [VAR=VALUE...] -- CMD... : one measured process
# tree under /usr/bin/time; appends one JSON line to raw.jsonl (unless a warm-up).
RUN_N=0
run_one() {
  local section=$1 contender=$2 iter=$3
  shift 3
  local envs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  RUN_N=$((RUN_N + 1))
  local d
  d=$OUT/runs/$(printf '%04d' "$RUN_N")-$section-$contender
  [ "$iter" -lt 0 ] && d=$d-warmup
  mkdir -p "$d"
  local before after t0 t1 rc
  before=$(req_lines)
  t0=$EPOCHREALTIME
  env LANYARD_TEST_BROWSER_LOG="$d/browser.log" LANYARD_BENCH_OPEN_LOG="$d/open.log" \
    LANYARD_BENCH_DONE_LOG="$d/done.log" "${envs[@]}" \
    /usr/bin/time -f '%U %S %M' -o "$d/time" "$@" >"$d/out" 2>"$d/err" </dev/null
  rc=$?
  t1=$EPOCHREALTIME
  after=$(req_lines)
  if [ "$after" -gt "$before" ]; then sed -n "$((before + 1)),${after}p" "$REQLOG" >"$d/requests.jsonl"; else : >"$d/requests.jsonl"; fi
  local opened='' tokens='' redirect=''
  if [ -s "$d/open.log" ]; then
    wait_browser_done "$d/browser.log" || true
    opened=$(awk '$1 == "OPEN" {print $2; exit}' "$d/open.log")
    redirect=$(awk '$1 == "DELIVER" {print $2; exit}' "$d/open.log")
  fi
  [ -s "$d/done.log" ] && tokens=$(awk 'NR==1{print $2}' "$d/done.log")
  # GNU time writes "Command exited with non-zero status N" before the numbers
  local usage
  usage=$(tail -n 1 "$d/time" 2>/dev/null)
  if [ "$rc" != 0 ]; then
    contender_failed "$d" "$section/$contender exited with status $rc"
    return 1
  fi
  [ "$iter" -lt 0 ] && return 0
  read -r u s m <<<"$usage"
  jq -nc --arg section "$section" --arg contender "$contender" --argjson iter "$iter" \
    --argjson t0 "$t0" --argjson t1 "$t1" --argjson user "$u" --argjson sys "$s" --argjson maxrss_kb "$m" \
    --arg opened "$opened" --arg tokens "$tokens" --arg redirect "$redirect" --arg dir "${d#"$OUT"/}" \
    --argjson accounts "${BENCH_N_ACCOUNTS:-0}" --slurpfile requests "$d/requests.jsonl" \
    '{section: $section, contender: $contender, iter: $iter, accounts: $accounts,
      wall_s: ($t1 - $t0), cpu_s: ($user + $sys), user_s: $user, sys_s: $sys, maxrss_kb: $maxrss_kb,
      opened: ($opened | if . == "" then null else tonumber end),
      redirect: ($redirect | if . == "" then null else tonumber end),
      tokens: ($tokens | if . == "" then null else tonumber end),
      end: $t1, requests: $requests, dir: $dir}' >>"$RAW"
}

# ================================================================ 1+2. sign-in + forced refresh
COLD_BASE=$OUT/cache-cold
WARM_CACHE=$OUT/cache-warm
mkdir -p "$COLD_BASE" "$WARM_CACHE"
signin() { # signin CONTENDER ITER
  case $1 in
    lanyard-cold)
      local c
      c=$(mktemp -d "$COLD_BASE/XXXXXX")
      run_one signin "$1" "$2" XDG_CACHE_HOME="$c" LANYARD_CA_FILE="$CA" -- \
        "$BENCH/lanyard-flow.sh" "$CLI" "$ISSUER" "$CLIENT_ID" ;;
    lanyard-warm)
      run_one signin "$1" "$2" XDG_CACHE_HOME="$WARM_CACHE" LANYARD_CA_FILE="$CA" -- \
        "$BENCH/lanyard-flow.sh" "$CLI" "$ISSUER" "$CLIENT_ID" ;;
    lanyard-cold-base)
      local c
      c=$(mktemp -d "$COLD_BASE/XXXXXX")
      run_one signin "$1" "$2" XDG_CACHE_HOME="$c" LANYARD_CA_FILE="$CA" -- \
        "$BENCH/lanyard-flow.sh" "$BASE_CLI" "$ISSUER" "$CLIENT_ID" ;;
    lanyard-warm-base)
      run_one signin "$1" "$2" XDG_CACHE_HOME="$WARM_CACHE" LANYARD_CA_FILE="$CA" -- \
        "$BENCH/lanyard-flow.sh" "$BASE_CLI" "$ISSUER" "$CLIENT_ID" ;;
    msal)
      run_one signin "$1" "$2" NODE_EXTRA_CA_CERTS="$CA" -- \
        node "$BENCH/msal-flow.mjs" --authority "$ISSUER" --client-id "$CLIENT_ID" --browser "$BROWSER" ;;
    curl)
      run_one signin "$1" "$2" -- "$BENCH/curl-flow.sh" "$ISSUER" "$CLIENT_ID" "$CA" "$TOOLS/loopback-catch" ;;
  esac
}
SIGNIN_CONTENDERS=(lanyard-cold lanyard-warm msal curl)
[ -n "$BASE_CLI" ] && SIGNIN_CONTENDERS+=(lanyard-cold-base lanyard-warm-base)

say "1/4 sign-in + forced refresh: priming the warm cache with one sign-in"
signin lanyard-warm -1 || exit 1
for ((w = 0; w < WARMUP; w++)); do
  say "1/4 warm-up round $((w + 1))"
  for c in "${SIGNIN_CONTENDERS[@]}"; do signin "$c" -1 || exit 1; done
done
for ((i = 0; i < ITER; i++)); do
  say "1/4 sign-in round $((i + 1))/$ITER"
  for c in "${SIGNIN_CONTENDERS[@]}"; do signin "$c" "$i" || exit 1; done
done

# ================================================================ 4. the window (one stored account)
window_run() { # window_run CONTENDER ITER
  local d
  RUN_N=$((RUN_N + 1))
  d=$OUT/runs/$(printf '%04d' "$RUN_N")-window-$1
  [ "$2" -lt 0 ] && d=$d-warmup
  mkdir -p "$d"
  local cmd=() envs=()
  case $1 in
    bare) cmd=("$TOOLS/bare-window") ;;
    lanyard-app)
      envs=(LANYARD_AUTHORITY="$ISSUER" LANYARD_CLIENT_ID="$CLIENT_ID" LANYARD_CA_FILE="$CA")
      [ -n "${BENCH_APP_SCHEMAS:-}" ] && envs+=(GSETTINGS_SCHEMA_DIR="$BENCH_APP_SCHEMAS")
      cmd=("$APP") ;;
    lanyard-app-base)
      envs=(LANYARD_AUTHORITY="$ISSUER" LANYARD_CLIENT_ID="$CLIENT_ID" LANYARD_CA_FILE="$CA")
      [ -n "${BENCH_APP_SCHEMAS:-}" ] && envs+=(GSETTINGS_SCHEMA_DIR="$BENCH_APP_SCHEMAS")
      cmd=("$BASE_APP") ;;
  esac
  local before after
  before=$(req_lines)
  if ! env "${envs[@]}" "$TOOLS/wait-window" --quiet-ms 700 --timeout-ms 20000 -- "${cmd[@]}" \
    >"$d/result.json" 2>"$d/err"; then
    contender_failed "$d" "window/$1 did not draw a frame: $(cat "$d/result.json")"
    return 1
  fi
  after=$(req_lines)
  [ "$2" -lt 0 ] && return 0
  local gtk_frame=null
  [ "$1" = bare ] && gtk_frame=$(awk '/^FIRST-FRAME/{print $2; exit}' "$d/err" "$d/result.json" 2>/dev/null)
  [ -n "$gtk_frame" ] || gtk_frame=null
  jq -c --arg contender "$1" --argjson iter "$2" --argjson gtk_frame "$gtk_frame" \
    --argjson requests "$((after - before))" --arg dir "${d#"$OUT"/}" \
    '{section: "window", contender: $contender, iter: $iter, exec: .exec, map: .map,
      first_frame: .first_frame, settled: .settled, gtk_after_paint: $gtk_frame,
      maxrss_kb: .maxrss_kb, cpu_s: .cpu_s, provider_requests: $requests, dir: $dir}' \
    "$d/result.json" >>"$RAW"
}
WINDOW_CONTENDERS=(bare)
if [ -n "$APP" ] && [ -x "$APP" ]; then
  WINDOW_CONTENDERS+=(lanyard-app)
  [ -n "$BASE_APP" ] && WINDOW_CONTENDERS+=(lanyard-app-base)
else
  say "4/4 the Lanyard app is not built: measuring the bare window only"
fi
for ((w = 0; w < WARMUP; w++)); do
  for c in "${WINDOW_CONTENDERS[@]}"; do window_run "$c" -1 || exit 1; done
done
for ((i = 0; i < ITER; i++)); do
  say "4/4 window round $((i + 1))/$ITER"
  for c in "${WINDOW_CONTENDERS[@]}"; do window_run "$c" "$i" || exit 1; done
done

# ================================================================ 3. silent token, N accounts
# The last sign-in left alice with a fresh access token (valid for an hour): `token` must answer
# from the keyring without the network.
ACCOUNT_ID=$("$CLI" accounts 2>"$OUT/accounts.err" | awk 'NR==1{print $1}')
[ -n "$ACCOUNT_ID" ] || { say "no stored account after the sign-ins"; cat "$OUT/accounts.err" >&2; exit 1; }
secret-tool lookup xdg:schema dev.lanyard.Lanyard.Account account-id "$ACCOUNT_ID" >"$OUT/account.json" ||
  { say "secret-tool cannot read the stored account"; exit 1; }
silent() { # silent CONTENDER ITER
  case $1 in
    lanyard-token) run_one silent "$1" "$2" -- "$CLI" token ;;
    lanyard-token-account) run_one silent "$1" "$2" -- "$CLI" token --account "$ACCOUNT_ID" ;;
    lanyard-token-base) run_one silent "$1" "$2" -- "$BASE_CLI" token ;;
    secret-tool) run_one silent "$1" "$2" -- secret-tool lookup xdg:schema dev.lanyard.Lanyard.Account account-id "$ACCOUNT_ID" ;;
  esac
}
SILENT_CONTENDERS=(lanyard-token secret-tool lanyard-token-account)
[ -n "$BASE_CLI" ] && SILENT_CONTENDERS+=(lanyard-token-base)
have=1
for n in $BENCH_ACCOUNTS; do
  if [ "$n" -gt "$have" ]; then
    say "3/4 storing accounts $((have + 1))..$n in the keyring"
    t0=$EPOCHREALTIME
    node "$BENCH/gen-accounts.mjs" "$have" "$n" <"$OUT/account.json" | "$TOOLS/keyring-fill" 2>>"$OUT/keyring-fill.log" ||
      { say "could not store the extra accounts"; cat "$OUT/keyring-fill.log" >&2; exit 1; }
    say "3/4   took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
    have=$n
  fi
  # count what is really there (secret-tool prints the attributes on stderr)
  stored=$(secret-tool search --all xdg:schema dev.lanyard.Lanyard.Account 2>&1 | grep -c '^attribute.account-id')
  [ "$stored" = "$n" ] || say "3/4 WARNING: $stored accounts in the keyring, expected $n"
  # Lookups search by id and filter by issuer: an item without it is not what Lanyard stores.
  with_issuer=$(secret-tool search --all xdg:schema dev.lanyard.Lanyard.Account 2>&1 | grep -c '^attribute.issuer')
  [ "$with_issuer" = "$stored" ] ||
    { say "3/4 only $with_issuer of $stored items have the issuer attribute: keyring-fill does not store what Lanyard does"; exit 1; }
  export BENCH_N_ACCOUNTS=$stored
  for ((w = 0; w < WARMUP; w++)); do
    for c in "${SILENT_CONTENDERS[@]}"; do silent "$c" -1 || exit 1; done
  done
  for ((i = 0; i < ITER; i++)); do
    for c in "${SILENT_CONTENDERS[@]}"; do silent "$c" "$i" || exit 1; done
  done
  say "3/4 silent token with $n accounts: done"
done
unset BENCH_N_ACCOUNTS

jq -n --arg load "$(loadavg)" --arg finished "$(date -u +%FT%TZ)" \
  '{load_after: $load, finished: $finished}' >"$OUT/meta-end.json"
exit "$FAILED"
