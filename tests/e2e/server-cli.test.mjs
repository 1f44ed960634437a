// The `llmbase` CLI: help, usage errors, and `serve` starting, answering and stopping cleanly on SIGINT.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The assembled CLI: it runs the front end from its wasm module, which only dist/ holds.
const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

/** Runs the CLI to completion. */
function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Starts `llmbase serve …` and resolves once it printed its base URL. */
function serve(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    const exited = new Promise((done) => child.on('close', (code, signal) => done({ code, signal })));
    child.stdout.on('data', (data) => {
      output.stdout += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output.stdout);
      if (match) resolve({ child, url: match[1], output, exited });
    });
    child.stderr.on('data', (data) => {
      output.stderr += data;
    });
    child.on('close', () => reject(new Error(`serve exited early: ${output.stdout}${output.stderr}`)));
  });
}

describe('llmbase CLI', () => {
  it('prints help and lists the serve command', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: llmbase <command>/);
    assert.match(result.stdout, /serve\s+start the local LLMBase-compatible server/);
    const serveHelp = await run(['serve', '--help']);
    assert.equal(serveHelp.code, 0);
    for (const flag of ['--port', '--host', '--catalog', '--balance', '--keys', '--chunk-delay-ms', '--static'])
      assert.ok(serveHelp.stdout.includes(flag), flag);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await run([])).code, 2);
    const unknown = await run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badPort = await run(['serve', '--port', 'abc']);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port must be a whole number/);
    assert.equal((await run(['serve', '--nope'])).code, 2);
  });

  it('exits 1 with a readable message for a bad catalog file', async () => {
    const result = await run(['serve', '--port', '0', '--catalog', '/nonexistent/catalog.json']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Cannot read the model catalog \/nonexistent\/catalog\.json/);
  });

  it('serves with the given flags and stops cleanly on SIGINT', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llmbase-cli-'));
    const catalog = path.join(dir, 'catalog.json');
    await writeFile(catalog, JSON.stringify([{ id: 'acme/cli-model', pricing: { input: 1, output: 2 } }]));
    await writeFile(path.join(dir, 'index.html'), '<h1>demo</h1>');
    try {
      const { child, url, output, exited } = await serve([
        '--balance',
        '3.5',
        '--keys',
        'llmbase_k1,llmbase_k2',
        '--catalog',
        catalog,
        '--chunk-delay-ms',
        '0',
        '--static',
        dir,
      ]);
      const auth = { authorization: 'Bearer llmbase_k2' };
      assert.deepEqual(await (await fetch(`${url}/balance`, { headers: auth })).json(), {
        object: 'balance',
        currency: 'USD',
        balance: 3.5,
      });
      assert.equal((await fetch(`${url}/balance`, { headers: { authorization: 'Bearer llmbase_other' } })).status, 401);
      const { data } = await (await fetch(`${url}/models`)).json();
      assert.deepEqual(
        data.map((model) => model.id),
        ['acme/cli-model']
      );
      const chat = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'acme/cli-model', stream: true, messages: [{ role: 'user', content: 'echo: from the CLI' }] }),
      });
      assert.match(await chat.text(), /"content":"from/);
      assert.equal(await (await fetch(url.replace(/\/v1$/, '/'))).text(), '<h1>demo</h1>');
      assert.match(output.stdout, /POST \/v1\/chat\/completions 200 acme\/cli-model/, 'one log line per request');

      child.kill('SIGINT');
      const { code, signal } = await exited;
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.match(output.stdout, /Stopped\./);
      await assert.rejects(fetch(`${url}/models`), 'nothing listens any more');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
