#!/usr/bin/env bash
# The main job: builds if needed, then streams a chat reply in the terminal (local server unless LLMBASE_API_KEY is set).
# Usage: scripts/demo.sh [PROMPT…]     scripts/demo.sh --web  (serves the demo page instead)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f dist/llmbase_core.wasm || ! -f dist/index.cjs ]]; then
  bash scripts/build.sh
else
  bash scripts/setup.sh
fi

if [[ "${1:-}" == "--web" ]]; then
  shift
  exec node dist/cli.mjs serve --static web --static-mount /dist=dist "$@"
fi
exec node scripts/demo-chat.mjs "$@"
