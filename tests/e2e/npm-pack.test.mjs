// node:test: `npm pack` → install into an empty folder → import (ESM and CJS) → stream from `npx llmbase serve`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
let work;
let app;
let serverProcess;
let baseURL;

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'llmbase-pack-'));
  app = join(work, 'app');
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const tarball = join(work, packed[0].filename);
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-smoke', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);

  // The installed bin, as a user would start it.
  // Its own process group, so that stopping it reaches the server behind npx as well.
  serverProcess = spawn('npx', ['--no-install', 'llmbase', 'serve', '--port', '0'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  baseURL = await new Promise((resolve, reject) => {
    let out = '';
    serverProcess.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\/v1/);
      if (match) resolve(match[0]);
    });
    serverProcess.on('exit', (code) => reject(new Error(`llmbase serve exited with ${code}: ${out}`)));
  });
});

after(async () => {
  if (serverProcess && serverProcess.exitCode === null) {
    const exited = new Promise((resolve) => serverProcess.once('exit', resolve));
    process.kill(-serverProcess.pid, 'SIGINT');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the wasm modules, their glues and the entries, and no sources or tests', () => {
  const files = npm(['pack', '--dry-run', '--json'], root);
  const names = JSON.parse(files)[0].files.map((f) => f.path);
  for (const needed of [
    'dist/llmbase_core_chat.wasm',
    'dist/llmbase_core_chat.mjs',
    'dist/llmbase_core.wasm',
    'dist/llmbase_core.node.wasm',
    'dist/llmbase_core.mjs',
    'dist/llmbase_core.node.cjs',
    'dist/llmbase_cli.node.wasm',
    'dist/llmbase_cli.node.cjs',
    'dist/index.mjs',
    'dist/index.cjs',
    'dist/browser.mjs',
    'dist/index.d.ts',
    'dist/chat-types.d.ts',
    'dist/runners.d.ts',
    'dist/index.d.cts',
    'dist/edge.mjs',
    'dist/cli.mjs',
    'dist/llmbase-chat.js',
    'dist/chat.mjs',
    'dist/chat.d.ts',
    'dist/proxy-node.mjs',
    'dist/proxy-edge.mjs',
    'dist/proxy.d.ts',
    'dist/proxy-node.d.ts',
    'dist/proxy/handler.mjs',
    'dist/proxy/node/start-proxy.mjs',
    'package.json',
    'README.md',
    'SECURITY.md',
    'LICENSE',
  ]) {
    assert.ok(names.includes(needed), `${needed} is in the package`);
  }
  assert.ok(!names.some((n) => n.startsWith('src/') || n.startsWith('tests/')));
  assert.deepEqual(
    readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')),
    ['llmbase-wasm']
  );
});

const script = (kind) =>
  kind === 'esm'
    ? `import LLMBase from 'llmbase-wasm';
       const client = new LLMBase({ apiKey: 'llmbase_pack_test', baseURL: process.argv[2] });
       const stream = await client.chat.completions.create({ model: 'deepseek/deepseek-v4-flash', stream: true, messages: [{ role: 'user', content: 'hi' }] });
       let text = ''; for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
       console.log(JSON.stringify({ length: text.length, finish: (await stream.finalChatCompletion()).choices[0].finish_reason }));`
    : `const LLMBase = require('llmbase-wasm');
       (async () => {
         const client = new LLMBase({ apiKey: 'llmbase_pack_test', baseURL: process.argv[2] });
         const stream = await client.chat.completions.create({ model: 'deepseek/deepseek-v4-flash', stream: true, messages: [{ role: 'user', content: 'hi' }] });
         let text = ''; for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
         console.log(JSON.stringify({ length: text.length, finish: (await stream.finalChatCompletion()).choices[0].finish_reason }));
       })();`;

for (const [kind, file] of [
  ['esm', 'smoke.mjs'],
  ['cjs', 'smoke.cjs'],
]) {
  test(`the installed package streams through its ${kind} entry`, () => {
    writeFileSync(join(app, file), script(kind));
    const out = execFileSync('node', [file, baseURL], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(out.trim());
    assert.ok(result.length > 20, out);
    assert.equal(result.finish, 'stop');
  });
}

test("the installed package's llmbase-wasm/proxy handler relays a streamed chat with its own key", () => {
  writeFileSync(
    join(app, 'proxy-smoke.mjs'),
    `import { createProxyHandler } from 'llmbase-wasm/proxy';
const handler = createProxyHandler({ upstream: process.argv[2], apiKey: 'llmbase_pack_proxy', rateLimit: 0 });
const body = JSON.stringify({ model: 'deepseek/deepseek-v4-flash', stream: true, messages: [{ role: 'user', content: 'echo: a packed proxy' }] });
const response = await handler(new Request('http://127.0.0.1/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
const text = await response.text();
await handler.close();
const reply = text.split('\\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '').join('');
console.log(JSON.stringify({ status: response.status, done: text.endsWith('data: [DONE]\\n\\n'), reply }));`
  );
  const out = execFileSync('node', ['proxy-smoke.mjs', baseURL], { cwd: app, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim()), { status: 200, done: true, reply: 'a packed proxy' });
});

test("the installed package's startProxy (llmbase-wasm/proxy on Node) serves a chat over loopback with its own key", () => {
  writeFileSync(
    join(app, 'start-proxy-smoke.mjs'),
    `import { startProxy } from 'llmbase-wasm/proxy';
const proxy = await startProxy({ upstream: process.argv[2], apiKey: 'llmbase_pack_proxy', rateLimit: 0 });
const response = await fetch(proxy.url + '/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'user', content: 'echo: a packed Node proxy' }] }) });
const body = await response.json();
await proxy.close();
console.log(JSON.stringify({ status: response.status, reply: body.choices[0].message.content }));`
  );
  const out = execFileSync('node', ['start-proxy-smoke.mjs', baseURL], { cwd: app, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim()), { status: 200, reply: 'a packed Node proxy' });
});
