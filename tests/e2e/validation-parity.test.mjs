// node:test: the shared validation cases give identical results from the native build and from the wasm module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateRequest } from '../../dist/index.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const casesDir = join(root, 'tests', 'fixtures', 'validation');
const nativeCli = join(root, 'build', 'native', 'llmbase');
const cases = JSON.parse(readFileSync(join(casesDir, 'cases.json'), 'utf8'));

// A case's metadata: a file name in the fixtures folder, inline JSON, or null (no metadata).
function metadataOf(testCase) {
  if (typeof testCase.metadata === 'string') return JSON.parse(readFileSync(join(casesDir, testCase.metadata), 'utf8'));
  return testCase.metadata;
}

function runNative(testCase, dir) {
  const requestFile = join(dir, 'request.json');
  writeFileSync(requestFile, JSON.stringify(testCase.request));
  // No metadata: an empty file, so `llmbase validate` does not fetch the live metadata instead.
  const metadata = metadataOf(testCase);
  writeFileSync(join(dir, 'metadata.json'), metadata === null || metadata === undefined ? '' : JSON.stringify(metadata));
  const args = ['validate', '--metadata', join(dir, 'metadata.json')];
  for (const name of (testCase.options && testCase.options.allow_params) || []) args.push('--allow', name);
  args.push(requestFile);
  try {
    return execFileSync(nativeCli, args, { encoding: 'utf8' });
  } catch (error) {
    if (error.status === 7) return error.stdout; // error findings: exit 7, JSON on stdout
    throw error;
  }
}

test('the parity set is large enough', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

test('native `llmbase validate` and wasm validateRequest agree on every case, and match the expected findings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-'));
  try {
    for (const testCase of cases) {
      const native = JSON.parse(runNative(testCase, dir));
      const wasm = await validateRequest(testCase.request, metadataOf(testCase), {
        allowParams: testCase.options && testCase.options.allow_params,
      });
      // Messages included: the same code must say the same thing in both builds.
      assert.deepEqual(wasm, native, `case ${testCase.name}`);
      assert.equal(native.ok, testCase.expected.ok, `case ${testCase.name}`);
      assert.deepEqual(
        native.findings.map((f) => ({ path: f.path, code: f.code, severity: f.severity })),
        testCase.expected.findings.map((f) => ({ path: f.path, code: f.code, severity: f.severity })),
        `case ${testCase.name}`
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
