#!/usr/bin/env bash
# Builds everything: the native core + tests (g++), the wasm module (Emscripten), and dist/ (the npm payload).
# Usage: scripts/build.sh [--with-test-tools]   (also the wasm GoogleTest suite, which scripts/test.sh runs)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh "$@"

echo "build: native (g++)"
cmake --preset native >/dev/null
cmake --build --preset native -j"$(nproc)"

echo "build: wasm (Emscripten)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)"

node scripts/assemble-package.mjs

# The core's GoogleTest suite as wasm under Node (cmake/wasm-tests.cmake): only for the tests.
if [[ "${1:-}" == "--with-test-tools" ]]; then
  echo "build: wasm GoogleTest suite (Emscripten)"
  cmake --build --preset wasm-tests -j"$(nproc)"
fi
