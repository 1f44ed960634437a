// Runtimes matrix, Bun and Deno cells (both from their npm packages): the installed package by name, ESM and require.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, lastJson, makeApp, run, toolBin } from './helpers/matrix.mjs';
import { cjsCell, esmCell } from './helpers/cells.mjs';

let server;
let app;
let expected;

before(async () => {
  server = await startTestServer();
  expected = await expectedResult(server.url);
  app = makeApp('bun-deno');
  writeFileSync(join(app.dir, 'cell.mjs'), esmCell(server.url));
  writeFileSync(join(app.dir, 'cell.cjs'), cjsCell(server.url));
});

after(async () => {
  app?.cleanup();
  await server?.close();
});

for (const cell of ['cell.mjs', 'cell.cjs']) {
  test(`Bun: ${cell.endsWith('cjs') ? 'require' : 'import'} streams, chats and lists models`, async () => {
    const out = await run(toolBin('bun'), [cell], { cwd: app.dir });
    assert.deepEqual(lastJson(out), expected);
  });
}

test('Deno: import from the local node_modules streams, chats and lists models', async () => {
  // Loopback only: the permissions say so, and no registry is contacted (node_modules is used as it is).
  const host = new URL(server.url).host;
  const out = await run(toolBin('deno'), ['run', '--no-config', '--node-modules-dir=manual', `--allow-net=${host}`, '--allow-read', '--allow-env', 'cell.mjs'], {
    cwd: app.dir,
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(app.dir, '.deno') },
  });
  assert.deepEqual(lastJson(out), expected);
});
