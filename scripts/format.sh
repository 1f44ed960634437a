#!/usr/bin/env bash
# Rewrites the C++ sources with clang-format (.clang-format) and the JS/TS/JSON with prettier (.prettierrc.json).
# scripts/check-format.sh, run by scripts/test.sh, fails when this would change a file.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/format-files.sh

clang_format=$(format_find_clang_format)
prettier=$(format_find_prettier)

mapfile -t cpp < <(format_cpp_files)
mapfile -t js < <(format_js_files)
((${#cpp[@]})) && "$clang_format" -i --style=file "${cpp[@]}"
# --log-level warn: prettier lists every file it reads otherwise.
((${#js[@]})) && "$prettier" --write --log-level warn "${js[@]}"
# prettier is not always idempotent (a long member chain can settle only on a second pass), so the
# files its check still lists are written once more.
mapfile -t again < <("$prettier" --list-different "${js[@]}" || true)
((${#again[@]})) && "$prettier" --write --log-level warn "${again[@]}"
echo "format: ${#cpp[@]} C++ files, ${#js[@]} JS/TS/JSON files (see git diff)"
