# lib.sh — sourced by Lanyard's TAP integration tests (bash).
#
# The tests run inside tests/session/lanyard-test-session (private HOME/XDG dirs, private session
# bus, unlocked gnome-keyring); meson sets LANYARD_CLI and LANYARD_TEST_SRCDIR. Run one by hand:
#   LANYARD_CLI=_build/src/cli/lanyard-cli LANYARD_TEST_SRCDIR=tests \
#     tests/session/lanyard-test-session bash tests/integration/cli-sign-in.sh
#
# TAP (plan-less; done_testing prints the plan and sets the exit status):
#   pass DESC | fail DESC [DIAG...] | t_ok DESC CMD... | is GOT WANT DESC | isnt GOT NOT DESC
#   like GOT ERE DESC | unlike GOT ERE DESC | skip DESC REASON | diag MSG... | skip_all REASON
#   bail_out MSG | done_testing
# Test provider (tests/idp/idp.mjs, oidc-provider):
#   start_idp [--tls] [--cert server|expired|wronghost] [-- IDP-ARGS...]
#       exports IDP_ISSUER IDP_PORT IDP_PID IDP_REQUEST_LOG IDP_CLIENT_ID; with --tls also
#       LANYARD_CA_FILE / LANYARD_TEST_CA_FILE / IDP_CA_FILE (the throwaway CA) and IDP_CERT_DIR
#   stop_idp | count_requests ROUTE [GRANT_TYPE] | reset_requests | free_port
#   start_mock_idp   the second provider (oauth2-mock-server) -> MOCK_ISSUER, IDP_PID
# Scripted browser (tests/browser/lanyard-test-browser):
#   use_test_browser MODE [--via-handler]   ($BROWSER, or the registered default handler)
#   browser_reset | wait_browser ERE [SECONDS] | browser_auth_url | browser_page
#   url_param URL NAME | port_of URL | port_closed PORT
# CLI (lanyard-cli, with a watchdog so a hang fails instead of blocking the suite):
#   cli ARGS...       -> CLI_RC, CLI_OUT, CLI_ERR (files $T/cli.out, $T/cli.err too)
#   cli_bg ARGS...    -> CLI_PID; cli_wait -> CLI_RC, CLI_OUT, CLI_ERR
#   jwt_payload JWT   -> the decoded JSON payload

set -u

: "${LANYARD_TEST_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${LANYARD_CLI:=}"
: "${IDP_CLIENT_ID:=dev.lanyard.Lanyard.Test}"
export LANYARD_TEST_SRCDIR IDP_CLIENT_ID
export GSETTINGS_BACKEND="${GSETTINGS_BACKEND:-memory}"
# the CLI must not read configuration from the invoking environment
unset LANYARD_AUTHORITY LANYARD_CLIENT_ID LANYARD_SCOPES LANYARD_CA_FILE BROWSER

LANYARD_TEST_BROWSER=$LANYARD_TEST_SRCDIR/browser/lanyard-test-browser
T=$(mktemp -d "${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/lanyard-it.XXXXXX")
export T

# ---------------------------------------------------------------- TAP
_tap_n=0
_tap_failed=0
diag() { local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }
pass() { _tap_n=$((_tap_n + 1)); printf 'ok %d - %s\n' "$_tap_n" "$1"; }
fail() {
  _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1))
  printf 'not ok %d - %s\n' "$_tap_n" "$1"; shift
  if [ $# -gt 0 ]; then diag "$@"; fi
  return 0
}
t_ok() { local d=$1; shift; if "$@" >/dev/null; then pass "$d"; else fail "$d" "command failed ($?): $*"; fi; }
is() { if [ "$1" = "$2" ]; then pass "$3"; else fail "$3" "got:      '$1'" "expected: '$2'"; fi; }
isnt() { if [ "$1" != "$2" ]; then pass "$3"; else fail "$3" "got '$1', expected anything else"; fi; }
like() { if printf '%s' "$1" | grep -Eq -- "$2"; then pass "$3"; else fail "$3" "'$(printf '%s' "$1" | head -c 2000)'" "does not match /$2/"; fi; }
unlike() { if ! printf '%s' "$1" | grep -Eq -- "$2"; then pass "$3"; else fail "$3" "'$(printf '%s' "$1" | head -c 2000)'" "matches /$2/"; fi; }
skip() { _tap_n=$((_tap_n + 1)); printf 'ok %d - %s # SKIP %s\n' "$_tap_n" "$1" "${2:-}"; }
skip_all() { printf "1..0 # SKIP %s\n" "$1"; exit 0; }
bail_out() { printf 'Bail out! %s\n' "$1"; exit 1; }
done_testing() {
  printf '1..%d\n' "$_tap_n"
  if [ "$_tap_failed" -gt 0 ]; then
    diag "$_tap_failed of $_tap_n failed"
    exit 1
  fi
  exit 0
}
# the CLI's last output, for a failing check's diagnostics
cli_diag() { diag "exit status: ${CLI_RC:-?}" "stdout: $(head -c 1500 "$T/cli.out" 2>/dev/null)" "stderr: $(tail -c 3000 "$T/cli.err" 2>/dev/null)"; }
# is_rc WANT DESC — checks CLI_RC, with the CLI's output as diagnostics on failure
is_rc() {
  if [ "${CLI_RC:-}" = "$1" ]; then pass "$2"; else fail "$2" "expected exit status $1"; cli_diag; fi
}

_lib_cleanup() {
  local p
  for p in ${_LIB_BG_PIDS:-}; do kill -TERM "$p" 2>/dev/null || true; done
  # release a scripted browser still waiting for its go-ahead file
  if [ -n "${LANYARD_TEST_BROWSER_WAIT_FOR:-}" ]; then touch "$LANYARD_TEST_BROWSER_WAIT_FOR" 2>/dev/null || true; fi
  if [ -n "${IDP_PID:-}" ]; then kill -TERM "$IDP_PID" 2>/dev/null || true; fi
  if [ -n "${_tap_failed:-}" ] && [ "$_tap_failed" -gt 0 ]; then
    diag "test files kept in $T"
    [ -s "$T/browser.log.debug" ] && diag "--- browser debug log (tail)" "$(tail -n 30 "$T/browser.log.debug")"
    for p in "$T"/idp-*.err; do [ -s "$p" ] && diag "--- $p (tail)" "$(tail -n 15 "$p")"; done
  fi
  return 0
}
trap _lib_cleanup EXIT

require_cli() {
  if [ -z "$LANYARD_CLI" ] || [ ! -x "$LANYARD_CLI" ]; then bail_out "LANYARD_CLI is not set to an executable lanyard-cli"; fi
}

# ---------------------------------------------------------------- test provider
_idp_n=0
start_idp() {
  local tls=0 cert=server extra=()
  while [ $# -gt 0 ]; do
    case $1 in
      --tls) tls=1 ;;
      --cert) cert=$2; tls=1; shift ;;
      --) shift; extra=("$@"); break ;;
      *) bail_out "start_idp: unknown argument $1" ;;
    esac
    shift
  done
  command -v node >/dev/null 2>&1 || bail_out "node is not installed (run build-aux/install-deps.sh)"
  [ -d "$LANYARD_TEST_SRCDIR/idp/node_modules/oidc-provider" ] ||
    bail_out "tests/idp/node_modules is missing: run build-aux/install-deps.sh (npm ci in tests/idp)"
  if [ -n "${IDP_PID:-}" ]; then stop_idp; fi
  _idp_n=$((_idp_n + 1))
  local ready=$T/idp-$_idp_n.ready
  local args=(--host 127.0.0.1 --port 0 --ready-file "$ready")
  IDP_REQUEST_LOG=$T/idp-$_idp_n.requests
  : >"$IDP_REQUEST_LOG"
  export IDP_REQUEST_LOG
  if [ "$tls" = 1 ]; then
    IDP_CERT_DIR=$T/certs
    if [ ! -s "$IDP_CERT_DIR/ca.pem" ]; then
      sh "$LANYARD_TEST_SRCDIR/idp/mkcerts.sh" "$IDP_CERT_DIR" 2>"$T/mkcerts.err" || { diag "$(cat "$T/mkcerts.err")"; bail_out "mkcerts.sh failed"; }
    fi
    args+=(--tls-cert "$IDP_CERT_DIR/$cert.pem" --tls-key "$IDP_CERT_DIR/$cert.key")
    export IDP_CERT_DIR IDP_CA_FILE=$IDP_CERT_DIR/ca.pem
    export LANYARD_CA_FILE=$IDP_CA_FILE LANYARD_TEST_CA_FILE=$IDP_CA_FILE
  else
    unset LANYARD_CA_FILE LANYARD_TEST_CA_FILE IDP_CA_FILE
  fi
  node "$LANYARD_TEST_SRCDIR/idp/idp.mjs" "${args[@]}" "${extra[@]}" \
    >"$T/idp-$_idp_n.out" 2>"$T/idp-$_idp_n.err" </dev/null &
  IDP_PID=$!
  local i
  for i in $(seq 1 1200); do
    [ -s "$ready" ] && break
    if ! kill -0 "$IDP_PID" 2>/dev/null; then diag "$(cat "$T/idp-$_idp_n.err")"; bail_out "the test provider exited"; fi
    sleep 0.05
  done
  [ -s "$ready" ] || { diag "$(cat "$T/idp-$_idp_n.err")"; bail_out "the test provider did not get ready in 60 s"; }
  IDP_ISSUER=$(jq -r .issuer "$ready")
  IDP_PORT=$(jq -r .port "$ready")
  export IDP_ISSUER IDP_PORT IDP_PID
  diag "test provider $IDP_ISSUER (pid $IDP_PID)"
}
# stop_idp: stop the provider; IDP_ISSUER keeps pointing at the now closed port
stop_idp() {
  [ -n "${IDP_PID:-}" ] || return 0
  kill -TERM "$IDP_PID" 2>/dev/null || true
  wait "$IDP_PID" 2>/dev/null || true
  IDP_PID=
}
# count_requests ROUTE [GRANT_TYPE] — how many requests for that route the provider has seen
count_requests() {
  [ -s "${IDP_REQUEST_LOG:-}" ] || { echo 0; return 0; }
  jq -s --arg r "$1" --arg g "${2:-}" \
    '[.[] | select(.route == $r and ($g == "" or .grant_type == $g))] | length' "$IDP_REQUEST_LOG"
}
reset_requests() { : >"$IDP_REQUEST_LOG"; }
# a TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago)
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# start_mock_idp — the second, independent provider (tests/idp/mock-idp.mjs, oauth2-mock-server):
# exports MOCK_ISSUER and IDP_PID, IDP_REQUEST_LOG (one JSON line per request); stop_idp stops it
start_mock_idp() {
  local ready=$T/mock-idp.ready
  [ -d "$LANYARD_TEST_SRCDIR/idp/node_modules/oauth2-mock-server" ] ||
    bail_out "tests/idp/node_modules is missing oauth2-mock-server: run build-aux/install-deps.sh (npm ci in tests/idp)"
  if [ -n "${IDP_PID:-}" ]; then stop_idp; fi
  rm -f "$ready"
  IDP_REQUEST_LOG=$T/mock-idp.requests
  : >"$IDP_REQUEST_LOG"
  export IDP_REQUEST_LOG
  node "$LANYARD_TEST_SRCDIR/idp/mock-idp.mjs" --ready-file "$ready" \
    >"$T/idp-mock.out" 2>"$T/idp-mock.err" </dev/null &
  IDP_PID=$!
  local i
  for i in $(seq 1 1200); do
    [ -s "$ready" ] && break
    kill -0 "$IDP_PID" 2>/dev/null || { diag "$(cat "$T/idp-mock.err")"; bail_out "the second provider exited"; }
    sleep 0.05
  done
  [ -s "$ready" ] || bail_out "the second provider did not get ready in 60 s"
  MOCK_ISSUER=$(jq -r .issuer "$ready")
  export MOCK_ISSUER IDP_PID
  diag "second provider (oauth2-mock-server) $MOCK_ISSUER (pid $IDP_PID)"
}

# ---------------------------------------------------------------- scripted browser
# use_test_browser MODE [--via-handler]: $BROWSER (default), or with --via-handler the script is
# the registered default handler for http/https (GIO/GTK path) and $BROWSER is unset.
use_test_browser() {
  local mode=$1 via=${2:-}
  export LANYARD_TEST_BROWSER_MODE=$mode
  export LANYARD_TEST_BROWSER_LOG=$T/browser.log
  sh "$LANYARD_TEST_SRCDIR/browser/install-test-browser.sh" "$LANYARD_TEST_BROWSER" || bail_out "install-test-browser.sh failed"
  if [ "$via" = --via-handler ]; then unset BROWSER; else export BROWSER=$LANYARD_TEST_BROWSER; fi
  browser_reset
}
browser_reset() { rm -f "$T/browser.log" "$T/browser.log.page" "$T/browser.log.page.tampered"; : >"$T/browser.log"; }
# wait_browser ERE [SECONDS] — wait for a browser log line; prints it; status 1 on timeout
wait_browser() {
  local i n=$((${2:-30} * 10)) line
  for i in $(seq 1 "$n"); do
    line=$(grep -E -m1 -- "$1" "$T/browser.log" 2>/dev/null) && { printf '%s\n' "$line"; return 0; }
    sleep 0.1
  done
  return 1
}
browser_auth_url() { sed -n 's/^OPEN //p' "$T/browser.log" | grep -v '/session/end' | tail -n1; }
# The browser logs LANDED after saving the page, which can be after lanyard-cli has exited.
browser_page() { wait_browser '^LANDED ' 10 >/dev/null; cat "$T/browser.log.page" 2>/dev/null; }
url_param() {
  local q=${1#*\?} kv
  [ "$q" = "$1" ] && return 0
  q=${q%%#*}
  local IFS='&'
  for kv in $q; do
    if [ "${kv%%=*}" = "$2" ]; then local v=${kv#*=}; v=${v//+/ }; printf '%b' "${v//%/\\x}"; return 0; fi
  done
}
port_of() { sed -E 's#^[a-z]+://(\[[^]]*\]|[^:/]*):([0-9]+).*#\2#' <<<"$1"; }
# port_closed PORT — true when nothing accepts connections on 127.0.0.1:PORT
port_closed() {
  local rc=0
  curl -sS -o /dev/null --max-time 3 "http://127.0.0.1:$1/" 2>/dev/null || rc=$?
  [ "$rc" = 7 ]
}

# ---------------------------------------------------------------- the CLI
: "${LANYARD_TEST_CLI_TIMEOUT:=90}"
_cli_collect() { CLI_OUT=$(cat "$T/cli.out"); CLI_ERR=$(cat "$T/cli.err"); }
cli() {
  require_cli
  CLI_RC=0
  timeout -k 5 "$LANYARD_TEST_CLI_TIMEOUT" "$LANYARD_CLI" "$@" </dev/null >"$T/cli.out" 2>"$T/cli.err" || CLI_RC=$?
  [ "$CLI_RC" = 124 ] && diag "lanyard-cli $1 hung: killed after $LANYARD_TEST_CLI_TIMEOUT s"
  _cli_collect
  return 0
}
# cli_bg ARGS... — start the CLI in the background (through `timeout`, which also gives it the
# default SIGINT disposition that a background job of a script would otherwise lack, and which
# forwards SIGINT/SIGTERM sent to CLI_PID to the CLI)
cli_bg() {
  require_cli
  timeout -k 5 "$LANYARD_TEST_CLI_TIMEOUT" "$LANYARD_CLI" "$@" </dev/null >"$T/cli.out" 2>"$T/cli.err" &
  CLI_PID=$!
  _LIB_BG_PIDS="${_LIB_BG_PIDS:-} $CLI_PID"
}
cli_wait() {
  CLI_RC=0
  wait "$CLI_PID" || CLI_RC=$?
  _LIB_BG_PIDS=${_LIB_BG_PIDS// $CLI_PID/}
  _cli_collect
}

jwt_payload() {
  local p
  p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while [ $((${#p} % 4)) -ne 0 ]; do p="$p="; done
  base64 -d <<<"$p" 2>/dev/null
}
