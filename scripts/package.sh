#!/usr/bin/env bash
# `npm run package`: a production build (minified, no source maps, no test bundle), then the
# .vsix at the repo root: dual-model-orchestration.vsix. Offline: --no-dependencies because
# esbuild has already bundled what runs; .vscodeignore keeps everything else out.
set -euo pipefail
cd "$(dirname "$0")/.."

# vsce needs Node 22 or later; the machine's Node may be older, so fall back on the cached Node 24
# (which also installs the npm packages when needed).
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 22 ] || [ ! -d node_modules ]; then
  source scripts/node24.sh
fi

out=${DUAL_MODEL_VSIX:-dual-model-orchestration.vsix}
# A dev build's leftovers (dist/test, source maps) stay on disk: .vscodeignore keeps them out.
node scripts/build.mjs --production
node_modules/.bin/vsce package --no-dependencies --allow-missing-repository --out "$out"
echo "[package] $(pwd)/$out"
