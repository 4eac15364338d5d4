#!/usr/bin/env bash
# `npm test`: every check, in order, on a fresh clone or a warm machine:
#   setup (host tools + npm ci when needed), lint, typecheck, build, unit tests, integration tests
#   in a real VS Code (code-server + Chromium), end-to-end journeys.
# A failing stage does not stop the later ones, so the summary is complete. The last line is
#   N passed, M failed
# summing every suite (lint and typecheck count 1 each; a stage that crashes or cannot run
# counts as one failure). Exits non-zero if anything failed.
#
# DUAL_MODEL_TEST_ELECTRON=1 runs the integration suites in desktop VS Code through
# @vscode/test-electron instead (needs to download VS Code).
set -uo pipefail
cd "$(dirname "$0")/.."

logs=.test-output/logs
mkdir -p "$logs"
# Scratch folders a killed run left behind (live runs remove their own).
find .test-output/runs -mindepth 1 -maxdepth 1 -mmin +120 -exec rm -rf {} + 2>/dev/null || true

total_passed=0
total_failed=0
summary=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
banner() { printf '\n=== %s ===\n' "$1"; }

record() { # stage passed failed seconds [note]
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  summary+=("$(printf '  %-12s %4s passed %4s failed %8ss %s' "$1" "$2" "$3" "$4" "${5:-}")")
}

# A check that passes or fails as a whole (lint, typecheck, build).
check_stage() { # name command...
  local name=$1; shift
  banner "$name"
  local start; start=$(now)
  if "$@" </dev/null 2>&1 | tee "$logs/$name.log"; then
    record "$name" 1 0 "$(elapsed "$start")"
    return 0
  fi
  record "$name" 0 1 "$(elapsed "$start")"
  return 1
}

# Mocha with the spec reporter: its "N passing" / "N failing" lines give the counts.
mocha_stage() { # name command...
  local name=$1; shift
  banner "$name"
  local start status passed failed; start=$(now)
  "$@" </dev/null 2>&1 | tee "$logs/$name.log"
  status=${PIPESTATUS[0]}
  passed=$(grep -E '^ +[0-9]+ passing( \(|$)' "$logs/$name.log" | tail -n 1 | grep -oE '[0-9]+' | head -n 1)
  failed=$(grep -E '^ +[0-9]+ failing$' "$logs/$name.log" | tail -n 1 | grep -oE '[0-9]+' | head -n 1)
  passed=${passed:-0}; failed=${failed:-0}
  local note=""
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1; note="(exit $status without a failing test: counted as one failure)"
  fi
  record "$name" "$passed" "$failed" "$(elapsed "$start")" "$note"
}

# The real-host runners print `DUALMODEL-SUITE integration passed=N failed=M` last.
integration_stage() { # command...
  banner integration
  local start status line passed failed; start=$(now)
  "$@" </dev/null 2>&1 | tee "$logs/integration.log"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^DUALMODEL-SUITE integration ' "$logs/integration.log" | tail -n 1)
  passed=$(sed -nE 's/.*passed=([0-9]+).*/\1/p' <<<"$line")
  failed=$(sed -nE 's/.*failed=([0-9]+).*/\1/p' <<<"$line")
  passed=${passed:-0}; failed=${failed:-0}
  local note=""
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1; note="(exit $status without a failing test: counted as one failure)"
  fi
  record integration "$passed" "$failed" "$(elapsed "$start")" "$note"
}

print_summary() {
  printf '\n=== summary ===\n'
  printf '%s\n' "${summary[@]}"
  printf '%s passed, %s failed\n' "$total_passed" "$total_failed"
}

banner setup
setup_start=$(now)
# scripts/node24.sh installs Chromium, Node 24 and code-server once per machine (cached), puts
# Node 24 first on PATH, and runs `npm ci` when node_modules is missing or package-lock.json
# changed. Run it first in a subshell with errexit, so a failed install stops there; then source
# it for its environment (a second pass only checks, in well under a second).
if ! (set -e; source scripts/node24.sh; [[ "$(node --version)" == v24.* ]]) </dev/null; then
  record setup 0 1 "$(elapsed "$setup_start")" "(host tools or npm ci failed)"
  print_summary
  exit 1
fi
source scripts/node24.sh </dev/null
echo "node $(node --version), cache $DUAL_MODEL_CACHE"
summary+=("$(printf '  %-12s %4s        %4s        %8ss' setup - - "$(elapsed "$setup_start")")")

check_stage lint npm run -s lint
check_stage typecheck npm run -s typecheck

banner build
build_start=$(now)
if npm run -s build </dev/null 2>&1 | tee "$logs/build.log"; then
  built=1
  summary+=("$(printf '  %-12s %4s        %4s        %8ss' build ok - "$(elapsed "$build_start")")")
else
  built=0
  record build 0 1 "$(elapsed "$build_start")" "(build failed)"
fi

mocha_stage unit npx mocha

if [ "$built" = 1 ]; then
  if [ "${DUAL_MODEL_TEST_ELECTRON:-0}" = 1 ]; then
    integration_stage node --import tsx test/host/runElectron.ts
  else
    integration_stage node --import tsx test/host/runIntegration.ts
  fi
  mocha_stage e2e npx mocha --config test/e2e/.mocharc.json
else
  # Running them on a stale or missing bundle would prove nothing.
  record integration 0 1 0 "(not run: the build failed)"
  record e2e 0 1 0 "(not run: the build failed)"
fi

print_summary
[ "$total_failed" -eq 0 ]
