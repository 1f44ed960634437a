#!/usr/bin/env bash
# Runs every suite: core include rule, GoogleTest (ctest), Jest over the real wasm module,
# node:test end-to-end against the local server, and Chromium (playwright-core) browser tests.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh --with-browser || { echo "test: build failed" >&2; exit 1; }

failed=()
run() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  if "$@"; then
    echo "=== $name: ok"
  else
    echo "=== $name: FAILED" >&2
    failed+=("$name")
  fi
}

run core-includes bash scripts/check-core-includes.sh
run gtest ctest --preset native
run jest npx jest --ci
run types npx tsc -p tests/types/tsconfig.json
# Node 20's --test takes no glob: the shell expands the file lists.
run e2e node --test --test-concurrency=1 tests/e2e/*.test.mjs
run browser node --test --test-concurrency=1 tests/browser/*.test.mjs

echo
if ((${#failed[@]})); then
  echo "test: FAILED suites: ${failed[*]}" >&2
  exit 1
fi
echo "test: all suites passed"
