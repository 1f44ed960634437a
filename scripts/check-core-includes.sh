#!/usr/bin/env bash
# Fails when src/core includes a platform header (the core must stay portable, sans-IO C++17), or
# when code outside the core includes its internals (core/detail/: the core's own .cpp files and the
# tests only).
# Usage: scripts/check-core-includes.sh [CORE_DIR [OUTSIDE_DIR...]]   (defaults: src/core, and the
# shells src/wasm src/native src/cli plus scripts; tests pass fixtures)
set -euo pipefail
cd "$(dirname "$0")/.."
core_dir="${1:-src/core}"
if (($# > 1)); then
  outside_dirs=("${@:2}")
else
  outside_dirs=(src/wasm src/native src/cli scripts)
fi

# Emscripten, OS, network, threads and stream I/O belong to src/wasm, src/native or the caller.
forbidden='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](emscripten[/.]|curl/|sys/|unistd\.h|windows\.h|winsock|netinet/|arpa/|netdb\.h|pthread\.h|thread>|mutex>|future>|iostream>|fstream>|filesystem>|cstdio>|stdio\.h|fcntl\.h|signal\.h|chrono>)'
if violations=$(grep -rnE "$forbidden" "$core_dir"); then
  echo "check-core-includes: FAILED, $core_dir must not include platform or I/O headers:" >&2
  echo "$violations" >&2
  exit 1
fi
# The core may only include itself, the standard library and nlohmann: a quoted include must name a
# header that exists inside the core dir, resolved from the including file (src/core/detail is core too).
core_root=$(realpath "$core_dir")
violations=""
while IFS=: read -r file line text; do
  target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/' <<<"$text")
  resolved=$(realpath -m "$(dirname "$file")/$target")
  if [[ "$target" == /* || "$resolved" != "$core_root"/* || ! -f "$resolved" ]]; then
    violations+="$file:$line:$text"$'\n'
  fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$core_dir" || true)
if [[ -n "$violations" ]]; then
  echo "check-core-includes: FAILED, $core_dir includes a local header from outside src/core:" >&2
  printf '%s' "$violations" >&2
  exit 1
fi
# Shells reach the core through its public headers; a detail/ header is an implementation choice
# the core may change without telling them (and it is not installed with the public ones).
if violations=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?core/detail/' \
  --include='*.h' --include='*.hpp' --include='*.cc' --include='*.cpp' "${outside_dirs[@]}"); then
  echo "check-core-includes: FAILED, only src/core and the tests may include core/detail/:" >&2
  echo "$violations" >&2
  exit 1
fi
echo "check-core-includes: $core_dir is portable ($(ls "$core_dir" | wc -l) files checked), and ${outside_dirs[*]} include no core/detail/"
