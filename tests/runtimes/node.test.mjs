// Runtimes matrix, Node cells: the installed package through import and require on Node 20, 22 and 24, and Jest on 22 and 24.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, lastJson, makeApp, nodeBinary, nodeVersions, ROOT, run } from './helpers/matrix.mjs';
import { useCellApp } from './helpers/cells.mjs';

const cells = useCellApp('node', { before, after, startTestServer, expectedResult, makeApp, writeFileSync, join });

const nodes = [['20 (system)', () => process.execPath], ...nodeVersions().map((v) => [v, () => nodeBinary(v)])];

for (const [label, binary] of nodes) {
  for (const cell of ['cell.mjs', 'cell.cjs']) {
    test(`Node ${label}: ${cell.endsWith('cjs') ? 'require' : 'import'} streams, chats and lists models`, async () => {
      const out = await run(binary(), [cell], { cwd: cells.app.dir });
      assert.deepEqual(lastJson(out), cells.expected);
    });
  }
}

for (const version of nodeVersions()) {
  test(`Node ${version}: the Jest suite passes`, async () => {
    const out = await run(nodeBinary(version), [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--silent'], { cwd: ROOT });
    assert.ok(out !== undefined);
  });
}
