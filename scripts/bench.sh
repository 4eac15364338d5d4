#!/usr/bin/env bash
# `npm run bench`: builds, packages, then prints every figure side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
node scripts/build.mjs --production >/dev/null
bash scripts/package.sh >/dev/null
node scripts/build.mjs >/dev/null
node --import tsx test/bench/bench.ts
if [ "${DUAL_MODEL_BENCH_HOST:-1}" = "1" ]; then
  echo
  echo "## Activation in a real VS Code (code-server extension host)"
  DUAL_MODEL_BENCH=1 node --import tsx test/host/runIntegration.ts --pass trusted 2>&1 | grep -E "DUALMODEL-BENCH" | sed 's/^.*DUALMODEL-BENCH /  /' || echo "  (the real host could not be started; see npm test)"
fi
