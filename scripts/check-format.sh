#!/usr/bin/env bash
# Fails, listing each file, when scripts/format.sh would change a C++ (clang-format) or JS/TS/JSON (prettier) file.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/format-files.sh

clang_format=$(format_find_clang_format) || exit 1
prettier=$(format_find_prettier) || exit 1

differ=()
while IFS= read -r file; do
  "$clang_format" --style=file "$file" | cmp -s - "$file" || differ+=("$file")
done < <(format_cpp_files)

mapfile -t js < <(format_js_files)
if ((${#js[@]})); then
  # --list-different prints the files whose formatting differs; exit 1 then, 2 on a parse error.
  mapfile -t js_differ < <("$prettier" --list-different "${js[@]}")
  differ+=("${js_differ[@]}")
fi

if ((${#differ[@]})); then
  printf 'check-format: not formatted: %s\n' "${differ[@]}" >&2
  echo "check-format: ${#differ[@]} files differ; run bash scripts/format.sh" >&2
  exit 1
fi
echo "check-format: C++ and JS/TS/JSON formatted"
