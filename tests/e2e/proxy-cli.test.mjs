// `llmbase serve --proxy …` and the keyless front of `llmbase serve --static`: flags, start-up summary, forwarding, stop.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLASH, startTestServer, userMessage } from './helpers/server.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));
const PROXY_KEY = 'llmbase_cli_proxy_key_9876';

function withoutKey(env) {
  const copy = { ...env };
  delete copy.LLMBASE_API_KEY;
  return copy;
}

/** Runs the CLI to completion. */
function run(args, env = withoutKey(process.env)) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `llmbase serve --port 0 …` and resolves once it printed its base URL. */
function serve(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const output = { stdout: '', stderr: '' };
    const exited = new Promise((done) => child.on('close', (code) => done(code)));
    child.stdout.on('data', (data) => {
      output.stdout += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)[\s\S]*Press Ctrl-C/.exec(output.stdout);
      if (match) resolve({ child, url: match[1], output, exited });
    });
    child.stderr.on('data', (data) => {
      output.stderr += data;
    });
    child.on('close', () => reject(new Error(`serve exited early: ${output.stdout}${output.stderr}`)));
  });
}

const chat = (url, body, headers = {}) =>
  fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

let upstream;
before(async () => {
  upstream = await startTestServer({ keys: [PROXY_KEY] });
});
after(async () => {
  await upstream?.close();
});

describe('llmbase serve --proxy', () => {
  it('documents the proxy flags and rejects misplaced ones', async () => {
    const help = await run(['serve', '--help']);
    assert.equal(help.code, 0);
    for (const flag of [
      '--proxy',
      '--upstream',
      '--allow-models',
      '--max-tokens-cap',
      '--rate-limit',
      '--allowed-origins',
      '--trust-proxy',
      '--allowed-hosts',
      '--allow-params',
      '--upstream-headers-timeout',
      '--upstream-idle-timeout',
    ]) {
      assert.ok(help.stdout.includes(flag), flag);
    }
    assert.match(help.stdout, /useChat at POST \/ui\/chat/);
    const noUpstream = await run(['serve', '--proxy']);
    assert.equal(noUpstream.code, 2);
    assert.match(noUpstream.stderr, /--proxy needs --upstream/);
    assert.match((await run(['serve', '--allow-models', FLASH])).stderr, /--allow-models needs --proxy/);
    assert.match(
      (await run(['serve', '--proxy', '--upstream', upstream.url, '--balance', '3'])).stderr,
      /--balance is for the local server/
    );
    const badRate = await run(['serve', '--proxy', '--upstream', upstream.url, '--rate-limit', 'fast']);
    assert.equal(badRate.code, 2);
    assert.match(badRate.stderr, /--rate-limit takes N\/min/);
  });

  it('exits 1 naming LLMBASE_API_KEY when the key is missing', async () => {
    const result = await run(['serve', '--proxy', '--upstream', upstream.url, '--port', '0']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /LLMBASE_API_KEY/);
  });

  it('forwards with the key from the environment, enforces its flags, never prints the key, and stops on SIGINT', async () => {
    const env = { ...process.env, LLMBASE_API_KEY: PROXY_KEY };
    const { child, url, output, exited } = await serve(
      [
        '--proxy',
        '--upstream',
        upstream.url,
        '--allow-models',
        FLASH,
        '--max-tokens-cap',
        '300',
        '--rate-limit',
        '100/min',
        '--allowed-origins',
        'https://a.example,https://b.example',
      ],
      env
    );
    assert.match(output.stdout, /key-safe proxy listening on/);
    assert.match(output.stdout, /models: deepseek\/deepseek-v4-flash/);
    assert.match(output.stdout, /max_tokens cap: 300/);
    assert.match(output.stdout, /rate limit: 100 per 60 s per client IP/);
    assert.match(output.stdout, /allowed origins: same origin, https:\/\/a\.example, https:\/\/b\.example/);
    assert.match(output.stdout, /useChat at POST \/ui\/chat/);

    const ok = await chat(url, { model: FLASH, messages: userMessage('echo: via the CLI proxy') }, { origin: 'https://b.example' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://b.example');
    assert.equal((await ok.json()).choices[0].message.content, 'via the CLI proxy');
    assert.equal((await chat(url, { model: 'qwen/qwen3-coder', messages: userMessage('hi') })).status, 403);
    assert.equal((await chat(url, { model: FLASH, max_tokens: 301, messages: userMessage('hi') })).status, 400);
    assert.equal((await fetch(`${url}/models`, { headers: { origin: 'https://c.example' } })).status, 403);
    assert.equal((await fetch(`${url}/balance`)).status, 404);
    const ui = await fetch(url.replace(/\/v1$/, '/ui/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://a.example' },
      body: JSON.stringify({
        id: 'c',
        trigger: 'submit-message',
        messages: [{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'echo: via useChat' }] }],
      }),
    });
    assert.equal(ui.status, 200);
    assert.equal(ui.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    const events = (await ui.text())
      .split('\n\n')
      .filter(Boolean)
      .map((event) => event.slice('data: '.length));
    assert.equal(events.at(-1), '[DONE]');
    const text = events
      .slice(0, -1)
      .map((data) => JSON.parse(data))
      .filter((c) => c.type === 'text-delta')
      .map((c) => c.delta)
      .join('');
    assert.equal(text, 'via useChat');

    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output.stdout, /POST \/v1\/chat\/completions 200 deepseek\/deepseek-v4-flash/);
    assert.doesNotMatch(output.stdout + output.stderr, new RegExp(PROXY_KEY));
  });
});

describe('llmbase serve --static (the page needs no key)', () => {
  it('adds the local key to keyless requests and leaves requests with a key alone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llmbase-front-'));
    await writeFile(path.join(dir, 'index.html'), '<h1>page</h1>');
    try {
      const { child, url, output, exited } = await serve(['--static', dir, '--chunk-delay-ms', '0', '--keys', 'llmbase_page_key']);
      assert.match(output.stdout, /page: open http:\/\/127\.0\.0\.1:\d+\/ /);
      const keyless = await chat(url, { model: FLASH, messages: userMessage('echo: no key in the page') });
      assert.equal(keyless.status, 200);
      assert.equal((await keyless.json()).choices[0].message.content, 'no key in the page');
      const wrong = await chat(url, { model: FLASH, messages: userMessage('hi') }, { authorization: 'Bearer llmbase_not_listed' });
      assert.equal(wrong.status, 401, 'a key that is sent is still checked');
      assert.equal(await (await fetch(url.replace(/\/v1$/, '/'))).text(), '<h1>page</h1>');
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
