#!/usr/bin/env bash
# The file lists and tools shared by scripts/format.sh (rewrites) and scripts/check-format.sh (checks).
# Sourced, not run. Tracked files plus new ones not ignored by git, so a file not yet added is covered.

# C++: every C++ source of the project (src, tests, scripts/bench), by .clang-format.
format_cpp_files() {
  git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' '*.cc' '*.hpp'
}

# JS, TS and JSON, by .prettierrc.json; .prettierignore drops fixtures and data. Markdown and
# HTML are not formatted: README's tables and the demo page are laid out by hand.
format_js_files() {
  git ls-files --cached --others --exclude-standard -- \
    '*.js' '*.mjs' '*.cjs' '*.ts' '*.mts' '*.cts' '*.json'
}

# clang-format 14 (Debian 12's clang-format package): another major version lays C++ out
# differently, so the check would fail on files nobody touched.
format_find_clang_format() {
  local bin
  for bin in clang-format-14 clang-format; do
    if command -v "$bin" >/dev/null && "$bin" --version | grep -q 'version 14\.'; then
      echo "$bin"
      return 0
    fi
  done
  echo "format: clang-format 14 not found (Debian: apt-get install clang-format)" >&2
  return 1
}

# prettier, pinned in package.json's devDependencies (npm ci installs it).
format_find_prettier() {
  if [[ -x node_modules/.bin/prettier ]]; then
    echo node_modules/.bin/prettier
    return 0
  fi
  echo "format: node_modules/.bin/prettier missing (run npm ci)" >&2
  return 1
}
