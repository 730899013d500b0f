#!/bin/sh
# lanyard-flow.sh CLI ISSUER CLIENT_ID — the Lanyard contender of the sign-in benchmark: one
# interactive sign-in, then one forced refresh in a second process, exactly as a user would run
# them. The CA comes from $LANYARD_CA_FILE, the browser from $BROWSER. Appends
# "TOKENS <epoch>" to $LANYARD_BENCH_DONE_LOG when `sign-in` has exited (the ID token was
# validated and the account saved in the keyring by then).
set -eu
"$1" sign-in --authority "$2" --client-id "$3" >/dev/null
if [ -n "${LANYARD_BENCH_DONE_LOG:-}" ]; then
  # dash has no $EPOCHREALTIME; date costs ~1 ms and is only here for the timestamp
  printf 'TOKENS %s\n' "$(date +%s.%N)" >>"$LANYARD_BENCH_DONE_LOG"
fi
"$1" token --force-refresh >/dev/null
