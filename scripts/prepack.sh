#!/usr/bin/env bash
# npm pack/publish hook: rebuilds the wasm module (incremental) and dist/ from the sources, so a stale dist/ is never packed.
set -euo pipefail
cd "$(dirname "$0")/.."
# Progress goes to stderr: `npm pack --json` would print the lifecycle output into its JSON on stdout.
exec 1>&2

[[ -f build/wasm/CMakeCache.txt ]] || cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)" >/dev/null
node scripts/assemble-package.mjs
