#!/usr/bin/env bash
# Builds everything: the native core + tests (g++), the wasm module (Emscripten), and dist/ (the npm payload).
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
