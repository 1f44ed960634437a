#!/usr/bin/env bash
# Type-checks the consumers against dist/: ESM and CommonJS under node16 and nodenext, and a bundler project.
set -uo pipefail
cd "$(dirname "$0")"
status=0
for config in tsconfig.node16.json tsconfig.nodenext.json tsconfig.bundler.json; do
  if npx --no-install tsc -p "$config"; then echo "types: $config ok"; else echo "types: $config FAILED" >&2; status=1; fi
done
exit $status
