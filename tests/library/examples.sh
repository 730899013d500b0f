#!/usr/bin/env bash
# examples.sh — liblanyard-1 from an installed DESTDIR, the way an application developer gets it:
# `meson install` puts the library, headers, lanyard-1.pc, Lanyard-1.gir and the typelib in place
# (and no private header); then the C example (built with `pkg-config --cflags --libs lanyard-1`),
# the Python example (PyGObject, /usr/bin/python3) and the GJS example each sign in as alice
# against the test provider over https (LANYARD_CA_FILE), with the scripted browser as $BROWSER,
# print the ID token's claims as JSON and exit 0; the account they signed in is in the keyring,
# where lanyard-cli finds it; and a refused sign-in makes each exit non-zero with the error on
# stderr and nothing on stdout. GI_TYPELIB_PATH and LD_LIBRARY_PATH point into the DESTDIR only.
# meson sets LANYARD_TEST_BUILD_ROOT and LANYARD_TEST_PREFIX / _LIBDIR / _INCLUDEDIR / _DATADIR.
source "$(dirname "$0")/../integration/lib.sh"
require_cli

: "${LANYARD_TEST_BUILD_ROOT:?set by meson}" "${LANYARD_TEST_PREFIX:?}" "${LANYARD_TEST_LIBDIR:?}"
: "${LANYARD_TEST_INCLUDEDIR:?}" "${LANYARD_TEST_DATADIR:?}"
EXAMPLES=$LANYARD_TEST_SRCDIR/../examples
PYTHON=/usr/bin/python3   # Debian's, with python3-gi (a pyenv python on PATH has no gi)

DESTDIR=$T/destdir
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$LANYARD_TEST_PREFIX" "$1" ;; esac; }
LIBDIR=$DESTDIR$(abs "$LANYARD_TEST_LIBDIR")
INCDIR=$DESTDIR$(abs "$LANYARD_TEST_INCLUDEDIR")/lanyard-1
DATADIR=$DESTDIR$(abs "$LANYARD_TEST_DATADIR")

if meson install -C "$LANYARD_TEST_BUILD_ROOT" --no-rebuild --destdir "$DESTDIR" >"$T/install.log" 2>&1; then
  pass "meson install --destdir succeeds"
else
  fail "meson install --destdir succeeds" "$(tail -n 20 "$T/install.log")"
  done_testing
fi

# ---------------------------------------------------------------- what is installed
t_ok "liblanyard-1.so.0 is installed" test -f "$LIBDIR/liblanyard-1.so.0"
is "$(readlink "$LIBDIR/liblanyard-1.so")" liblanyard-1.so.0 "liblanyard-1.so (for the linker) points to the soname"
for h in lanyard.h lanyard-client.h lanyard-account.h lanyard-config.h lanyard-error.h lanyard-enum-types.h; do
  t_ok "include/lanyard-1/$h is installed" test -s "$INCDIR/$h"
done
is "$(cd "$INCDIR" && ls | grep -E 'jws|json|pkce|loopback|http|provider|private|token-endpoint' | tr '\n' ' ')" "" \
  "no private header is installed"
t_ok "lanyard-1.pc is installed" test -s "$LIBDIR/pkgconfig/lanyard-1.pc"
t_ok "Lanyard-1.gir is installed" test -s "$DATADIR/gir-1.0/Lanyard-1.gir"
t_ok "Lanyard-1.typelib is installed" test -s "$LIBDIR/girepository-1.0/Lanyard-1.typelib"
like "$(grep -o 'shared-library="[^"]*"' "$DATADIR/gir-1.0/Lanyard-1.gir")" 'shared-library="liblanyard-1\.so\.0"' \
  "the GIR names the soname"

if [ "${LANYARD_TEST_DOCS:-false}" = true ]; then
  for page in index getting-started entra-external-id security-model testing-your-app class.Client; do
    t_ok "the reference is installed: doc/lanyard-1/$page.html" test -s "$DATADIR/doc/lanyard-1/$page.html"
  done
else
  skip "the reference is installed" "configured without -Ddocs=true"
fi

# ---------------------------------------------------------------- the C example, through pkg-config
# The installed .pc, relocated into the DESTDIR (its prefix is where it will be installed for real)
mkdir -p "$T/pkgconfig"
sed "s|^prefix=.*|prefix=$DESTDIR$LANYARD_TEST_PREFIX|" "$LIBDIR/pkgconfig/lanyard-1.pc" >"$T/pkgconfig/lanyard-1.pc"
export PKG_CONFIG_PATH=$T/pkgconfig
flags=$(pkg-config --cflags --libs lanyard-1 2>"$T/pkg-config.err")
like "$flags" "-I$INCDIR( |$)" "pkg-config --cflags lanyard-1 gives the installed header directory"
like "$flags" '(^| )-llanyard-1( |$)' "pkg-config --libs lanyard-1 gives -llanyard-1"
# shellcheck disable=SC2086
if cc -Wall -Werror -o "$T/lanyard-sign-in" "$EXAMPLES/c/lanyard-sign-in.c" $flags 2>"$T/cc.err"; then
  pass "the C example builds with pkg-config --cflags --libs lanyard-1 alone"
else
  fail "the C example builds with pkg-config --cflags --libs lanyard-1 alone" "$(cat "$T/cc.err")"
fi
unset PKG_CONFIG_PATH
like "$(LD_LIBRARY_PATH=$LIBDIR ldd "$T/lanyard-sign-in" 2>&1)" "liblanyard-1\.so\.0 => $LIBDIR/liblanyard-1\.so\.0" \
  "the C example loads the installed liblanyard-1.so.0"

# ---------------------------------------------------------------- sign in from each example
export LD_LIBRARY_PATH=$LIBDIR GI_TYPELIB_PATH=$LIBDIR/girepository-1.0
run_example() { # run_example CMD... -> EX_RC, EX_OUT, EX_ERR
  timeout -k 5 90 "$@" >"$T/ex.out" 2>"$T/ex.err" </dev/null
  EX_RC=$?
  EX_OUT=$(cat "$T/ex.out")
  EX_ERR=$(cat "$T/ex.err")
}
check_sign_in() { # check_sign_in LABEL
  local label=$1
  if [ "$EX_RC" = 0 ]; then pass "$label: exits 0"; else fail "$label: exits 0" "exit status $EX_RC" "stderr: $EX_ERR"; fi
  if jq -e 'type == "object"' >/dev/null 2>&1 <<<"$EX_OUT"; then
    pass "$label: stdout is one JSON object"
  else
    fail "$label: stdout is one JSON object" "$EX_OUT"
  fi
  is "$(jq -r .sub <<<"$EX_OUT" 2>/dev/null)" alice "$label: sub"
  is "$(jq -r .iss <<<"$EX_OUT" 2>/dev/null)" "$IDP_ISSUER" "$label: iss is the provider's issuer"
  is "$(jq -r .name <<<"$EX_OUT" 2>/dev/null)" "Alice Example" "$label: name"
  like "$(wait_browser '^LANDED ' 5)" '^LANDED 200 http://' "$label: the browser landed on the loopback page"
  if [ "$label" != c ]; then
    # Lanyard.SignIn's notify::phase, from the typelib, in the order the sign-in went
    is "$(sed -n 's/^lanyard-sign-in: phase //p' "$T/ex.err" | tr '\n' ' ')" \
      "preparing waiting-for-browser redeeming saving done " "$label: notify::phase saw every phase in order"
  fi
  cli accounts
  like "$CLI_OUT" $'^[^\t]+\talice\tAlice Example\t[^\t]+$' "$label: lanyard-cli finds the account in the keyring"
  cli sign-out --no-browser
  is_rc 0 "$label: lanyard-cli signs it out"
}
check_refused() { # check_refused LABEL
  local label=$1
  isnt "$EX_RC" 0 "$label: a refused sign-in exits non-zero"
  is "$EX_OUT" "" "$label: a refused sign-in prints nothing on stdout"
  like "$EX_ERR" 'lanyard-sign-in: .*(denied|refused|declined)' "$label: the error message is on stderr ('$EX_ERR')"
  if [ "$label" != c ]; then
    like "$(sed -n 's/^lanyard-sign-in: phase //p' "$T/ex.err" | tr '\n' ' ')" 'waiting-for-browser failed $' \
      "$label: a refused sign-in ends in the failed phase"
  fi
}

start_idp --tls
export LANYARD_AUTHORITY=$IDP_ISSUER LANYARD_CLIENT_ID=$IDP_CLIENT_ID   # LANYARD_CA_FILE: start_idp --tls
declare -A CMD=(
  [c]="$T/lanyard-sign-in"
  [python]="$PYTHON $EXAMPLES/python/lanyard-sign-in.py"
  [gjs]="gjs -m $EXAMPLES/gjs/lanyard-sign-in.js"
)
for ex in c python gjs; do
  # shellcheck disable=SC2086
  use_test_browser login; run_example ${CMD[$ex]}; check_sign_in "$ex"
  # shellcheck disable=SC2086
  use_test_browser deny; run_example ${CMD[$ex]}; check_refused "$ex"
done

# a claims request checked before any request, as bindings see it
got=$("$PYTHON" -c "
import gi; gi.require_version('Lanyard', '1'); from gi.repository import GLib, Lanyard
print(Lanyard.SignIn.check_claims('{\"id_token\":{\"acrs\":{\"essential\":true}}}'))
try:
    Lanyard.SignIn.check_claims('[1]')
except GLib.Error as e:
    print(e.matches(Lanyard.error_quark(), Lanyard.Error.CONFIGURATION))" 2>&1)
is "$got" $'True\nTrue' "Python: SignIn.check_claims takes a JSON object and refuses an array"

# the boxed and settable forms bindings need, from the installed typelib
got=$(gjs -c "
const Lanyard = imports.gi.Lanyard;
const o = Lanyard.SignInOptions.new('create', 'alice', null);
const c = Lanyard.Config.new();
c.set_scopes(['openid', 'api://x/read']);
c.set_authority('contoso');
print([o.prompt, o.login_hint, o.domain_hint, c.scopes.join(' '), c.authority].join('|'));" 2>&1)
is "$got" "create|alice||openid api://x/read|contoso" "GJS: SignInOptions.new and the Config setters"
got=$("$PYTHON" -c "
import gi; gi.require_version('Lanyard', '1'); from gi.repository import Lanyard
o = Lanyard.SignInOptions.new(None, 'bob', 'contoso.com').copy()
r = Lanyard.Authority.parse('contoso')
print(o.prompt, o.login_hint, o.domain_hint, r.get_url(), r.is_entra(), sep='|')" 2>&1)
is "$got" "None|bob|contoso.com|https://contoso.ciamlogin.com/contoso.onmicrosoft.com/|True" \
  "Python: SignInOptions.new/copy and Authority.parse"

# without a client id: a configuration error, said so
unset LANYARD_CLIENT_ID
use_test_browser login
run_example "$PYTHON" "$EXAMPLES/python/lanyard-sign-in.py"
isnt "$EX_RC" 0 "python without LANYARD_CLIENT_ID exits non-zero"
like "$EX_ERR" 'lanyard-sign-in: .*client' "python without LANYARD_CLIENT_ID says what is missing ('$EX_ERR')"

done_testing
