#!/usr/bin/env bash
# `npm start`: the extension as a user gets it, in a real VS Code in your browser. Packages the
# .vsix (production build), installs it into a dedicated code-server, opens the sample workspace
# and prints the URL. Runs in the foreground until Ctrl+C, then stops everything it started.
# With no API keys configured the extension runs its demo models.
#
#   PORT=8080 (default; a free port is used instead when it is taken)
#   DUAL_MODEL_TRUST=0   keep Workspace Trust on (the workspace opens in Restricted Mode)
#
# State that should survive a restart (settings, the workspace the demo Coder edits) lives in
# .dual-model-start/; delete that folder to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# Chromium is not needed here, but ensure-host installs it with the rest; cached after once.
source scripts/node24.sh

echo "[start] packaging the extension"
vsix="$repo/.dual-model-start/dual-model-orchestration.vsix"
state="$repo/.dual-model-start"
mkdir -p "$state"
DUAL_MODEL_VSIX="$vsix" bash scripts/package.sh >"$state/package.log" 2>&1 || {
  cat "$state/package.log"; echo "[start] packaging failed" >&2; exit 1; }

node_version=$(grep -m1 '^NODE_VERSION=' scripts/ensure-host.sh | cut -d= -f2)
cs_version=$(grep -m1 '^CODE_SERVER_VERSION=' scripts/ensure-host.sh | cut -d= -f2)
entry="$DUAL_MODEL_CACHE/code-server-$cs_version-node-$node_version/node_modules/code-server/out/node/entry.js"

# code-server and everything it starts keep their home, temp and config inside $state.
mkdir -p "$state"/{home,tmp,xdg/config,xdg/data,xdg/cache,user-data/User,extensions}
chmod 700 "$state/tmp"
cs_env=(env HOME="$state/home" TMPDIR="$state/tmp" XDG_RUNTIME_DIR="$state/tmp"
  XDG_CONFIG_HOME="$state/xdg/config" XDG_DATA_HOME="$state/xdg/data" XDG_CACHE_HOME="$state/xdg/cache")
printf 'auth: none\ncert: false\n' >"$state/config.yaml"
common=(--config "$state/config.yaml" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions")

echo "[start] installing it into code-server"
"${cs_env[@]}" node "$entry" "${common[@]}" --force --install-extension "$vsix" >"$state/install.log" 2>&1 || {
  cat "$state/install.log"; echo "[start] installing the .vsix failed" >&2; exit 1; }

workspace="$state/workspace"
if [ ! -d "$workspace" ]; then
  cp -R sample-workspace "$workspace"
  echo "[start] copied sample-workspace/ to $workspace"
fi
settings="$state/user-data/User/settings.json"
if [ ! -f "$settings" ]; then
  cat >"$settings" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "git.openRepositoryInParentFolders": "never",
  "workbench.startupEditor": "none"
}
JSON
fi

port=${PORT:-8080}
if ! node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(0)));' "$port"; then
  echo "[start] port $port is taken: using a free one"
  port=0
fi
flags=(--auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check
  --disable-getting-started-override)
if [ "${DUAL_MODEL_TRUST:-1}" = 1 ]; then
  flags+=(--disable-workspace-trust)
fi

log="$state/code-server.log"
: >"$log"
# Its own session and process group, so that one signal stops code-server and all it started.
setsid "${cs_env[@]}" node "$entry" "${common[@]}" "${flags[@]}" "$workspace" >"$log" 2>&1 &
pgid=$!
stop() {
  # A second Ctrl+C (or npm passing on SIGTERM) must not cut the cleanup short.
  trap '' INT TERM
  trap - EXIT
  echo
  echo "[start] stopping code-server"
  kill -TERM -- "-$pgid" 2>/dev/null || true
  # code-server goes at once; its agent host (copilot-runtime) ignores SIGTERM, hence the KILL.
  for _ in $(seq 30); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=""
for _ in $(seq 600); do
  url=$(sed -nE 's#.*HTTP server listening on (http://127\.0\.0\.1:[0-9]+)/.*#\1#p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pgid" 2>/dev/null || { cat "$log"; echo "[start] code-server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "[start] code-server did not start" >&2; exit 1; }
open_url="$url/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$workspace")"
start_title=$(node -p 'const c = (require("./package.json").contributes?.commands ?? []).find((c) => c.command === "dualModel.start");
  c ? `${c.category ? c.category + ": " : ""}${c.title}` : "Dual-Model: Start"')

cat <<EOF

  Dual-Model Orchestration is running in VS Code (code-server):

      $open_url

  Open the Command Palette (F1) and run "$start_title".
  Without API keys the Architect and the Coder are the demo models.
  Workspace: $workspace
  Log:       $log
  Press Ctrl+C to stop.

EOF

# Stay in the foreground while the server runs; its log lines follow the banner.
tail -n 0 -f --pid="$pgid" "$log" &
wait "$pgid" || true
