// Runtimes matrix, Bun and Deno cells (both from their npm packages): the installed package by name, ESM and require.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, lastJson, makeApp, run, toolBin } from './helpers/matrix.mjs';
import { useCellApp } from './helpers/cells.mjs';

const cells = useCellApp('bun-deno', { before, after, startTestServer, expectedResult, makeApp, writeFileSync, join });

for (const cell of ['cell.mjs', 'cell.cjs']) {
  test(`Bun: ${cell.endsWith('cjs') ? 'require' : 'import'} streams, chats and lists models`, async () => {
    const out = await run(toolBin('bun'), [cell], { cwd: cells.app.dir });
    assert.deepEqual(lastJson(out), cells.expected);
  });
}

test('Deno: import from the local node_modules streams, chats and lists models', async () => {
  // Loopback only: the permissions say so, and no registry is contacted (node_modules is used as it is).
  const host = new URL(cells.server.url).host;
  const out = await run(
    toolBin('deno'),
    ['run', '--no-config', '--node-modules-dir=manual', `--allow-net=${host}`, '--allow-read', '--allow-env', 'cell.mjs'],
    {
      cwd: cells.app.dir,
      env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(cells.app.dir, '.deno') },
    }
  );
  assert.deepEqual(lastJson(out), cells.expected);
});
