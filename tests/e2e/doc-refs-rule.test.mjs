// node:test: § references must resolve inside the repository (scripts/check-doc-refs.mjs passes here, fails on a bad one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/check-doc-refs.mjs', import.meta.url).pathname;

test('every § reference of the repository resolves', () => {
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\d+ § references resolve/);
});

// A made-up work tree: docs/decisions.md and docs/llmbase-api.md with one section each.
function check(comment) {
  const dir = mkdtempSync(join(tmpdir(), 'doc-refs-'));
  try {
    spawnSync('git', ['init', '-q', dir]);
    mkdirSync(join(dir, 'docs'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'docs/decisions.md'), '# Decisions\n\n## §1 Metadata\n');
    writeFileSync(join(dir, 'docs/llmbase-api.md'), '# API\n\n## §3 Requests\n\n### §3.2 Messages\n');
    writeFileSync(join(dir, 'src/a.mjs'), `${comment}\n`);
    return spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('cited sections that exist pass, external standards are not checked', () => {
  const result = check('// (llmbase-api.md §3, §3.2; Decisions §1), RFC 9110 §7.6.1, WHATWG HTML §9.2.6');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^check-doc-refs: 3 § references resolve/);
});

for (const [comment, problem] of [
  ['// Decisions §2', /Decisions §2: docs\/decisions\.md has no heading §2/],
  ['// llmbase-api.md §3.1', /llmbase-api\.md §3\.1: docs\/llmbase-api\.md has no heading §3\.1/],
  ['// toolchain.md §4.3', /toolchain\.md §4\.3: no such document in the repository/],
  ['// the docs say so (§3)', /§3 names no document before it/],
  ['// as Decision 1 says', /write "Decisions §N"/],
  ['// see /work/shared/docs/llmbase-api.md', /cites a document outside the repository/],
]) {
  test(`"${comment}" fails the check`, () => {
    const result = check(comment);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, problem);
    assert.match(result.stderr, /src\/a\.mjs:1/);
  });
}
