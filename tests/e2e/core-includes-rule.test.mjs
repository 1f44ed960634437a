// node:test: the src/core include rules are enforced (portability, and core/detail/ stays inside the core): passes on the tree, fails on a violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/check-core-includes.sh', import.meta.url).pathname;

test('src/core passes the include check', () => {
  const result = spawnSync('bash', [script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

for (const header of [
  '<emscripten/bind.h>',
  '<curl/curl.h>',
  '<thread>',
  '<iostream>',
  '"../wasm/x.h"',
  '"not_in_core.h"',
  '"detail/../../wasm/x.h"',
]) {
  test(`a core file including ${header} fails the check`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-rule-'));
    try {
      writeFileSync(join(dir, 'bad.cpp'), `// test\n#include ${header}\n`);
      const result = spawnSync('bash', [script, dir], { encoding: 'utf8' });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /bad\.cpp/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Outside the core (a shell), a public core header is fine and a detail/ one is not, however it is spelled.
for (const [header, allowed] of [
  ['"core/json_text.h"', true],
  ['"core/detail/text.h"', false],
  ['"../core/detail/text.h"', false],
  ['<core/detail/json_cursor.h>', false],
]) {
  test(`a shell file including ${header} ${allowed ? 'passes' : 'fails'} the check`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-rule-'));
    try {
      writeFileSync(join(dir, 'shell.cpp'), `// test\n#include ${header}\n`);
      const result = spawnSync('bash', [script, 'src/core', dir], { encoding: 'utf8' });
      assert.equal(result.status, allowed ? 0 : 1, result.stderr);
      if (!allowed) assert.match(result.stderr, /shell\.cpp/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
