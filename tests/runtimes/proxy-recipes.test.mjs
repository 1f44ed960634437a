// The proxy recipes of examples/proxy, run for real: a Worker in workerd (the widget in Chromium chatting through it), a Next.js edge route, Deno.serve, Bun.serve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeRuntime } from 'edge-runtime';
import { startServer } from '../../dist/server/index.mjs';
import { makeApp, nodeBinary, nodeVersions, ROOT, toolBin } from './helpers/matrix.mjs';
import { bundle, edgeWasmBinding, externalWasm, WRANGLER_CONDITIONS } from './helpers/bundle.mjs';
import { launchChromium } from '../browser/helpers/chromium.mjs';
import { FLASH, TEXT_ONLY, openWidget, replies, send, startSite, waitForEvents } from '../browser/helpers/widget.mjs';

const SERVE_WORKER = fileURLToPath(new URL('./helpers/workerd-serve.mjs', import.meta.url));
const RECIPES = join(ROOT, 'examples', 'proxy');
const PROXY_KEY = 'llmbase_recipe_owner_secret_7373';

let upstream;
let app;
const upstreamChats = [];
const services = [];

/** Starts a long-running program and resolves once a stdout line matches `ready` (its first group is the URL). */
function startService(command, args, { cwd, env = {}, ready }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise((done) => child.once('exit', done));
    const service = {
      output: () => output,
      stop: () => {
        child.stdin.end();
        if (child.exitCode === null) child.kill('SIGTERM');
        return exited;
      },
    };
    child.stdout.on('data', (data) => {
      output += data;
      const match = ready.exec(output);
      if (match && !service.url) {
        service.url = match[1];
        services.push(service);
        resolve(service);
      }
    });
    child.stderr.on('data', (data) => {
      output += data;
    });
    child.once('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`)));
  });
}

function recipe(name) {
  copyFileSync(join(RECIPES, name), join(app.dir, name));
  return join(app.dir, name);
}

/** A streamed chat through a proxy at `base` (…/v1): the text and what the upstream received. */
async function streamedChat(base, text, headers = {}) {
  upstreamChats.length = 0;
  const response = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer llmbase_page_must_not_matter', ...headers },
    body: JSON.stringify({ model: FLASH, messages: [{ role: 'user', content: `echo: ${text}` }], stream: true }),
  });
  const body = await response.text();
  const deltas = body
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '');
  return { status: response.status, text: deltas.join(''), chunks: deltas.filter(Boolean).length, body, sent: upstreamChats[0] };
}

function assertProxied(result, text) {
  assert.equal(result.status, 200, result.body);
  assert.equal(result.text, text);
  assert.ok(result.chunks > 1, 'streamed in more than one chunk');
  assert.equal(result.sent.headers.authorization, `Bearer ${PROXY_KEY}`, "the proxy's key, not the page's");
  assert.equal(result.sent.body.max_tokens, 4096, 'the cap was added');
  assert.doesNotMatch(result.body, new RegExp(PROXY_KEY));
}

before(async () => {
  upstream = await startServer({ port: 0, chunkDelayMs: 5, keys: [PROXY_KEY] });
  upstream.stats.events.on('chat-request', (event) => upstreamChats.push(event));
  app = makeApp('proxy-recipes');
});

after(async () => {
  await Promise.all(services.map((service) => service.stop()));
  app?.cleanup();
  await upstream?.close();
});

test('Cloudflare Worker recipe in workerd: the widget in Chromium chats through it; limits counted in a Durable Object', async () => {
  const site = await startSite();
  const browser = await launchChromium();
  try {
    const outdir = join(app.dir, 'out', 'worker');
    mkdirSync(outdir, { recursive: true });
    await bundle({
      entry: recipe('cloudflare-worker.mjs'),
      outdir,
      outName: 'worker.mjs',
      conditions: WRANGLER_CONDITIONS,
      plugins: [externalWasm(outdir)],
    });
    const bindings = {
      LLMBASE_API_KEY: PROXY_KEY,
      LLMBASE_UPSTREAM: upstream.url,
      ALLOW_MODELS: `${FLASH},${TEXT_ONLY}`,
      ALLOWED_ORIGINS: site.origin,
      RATE_LIMIT: '8/min',
    };
    // miniflare needs Node 22 or newer: the newest tested Node runs it.
    const node = nodeBinary(nodeVersions()[nodeVersions().length - 1]);
    const worker = await startService(
      node,
      [SERVE_WORKER, outdir, JSON.stringify(bindings), JSON.stringify({ PROXY_COUNTERS: 'ProxyCounter' })],
      {
        cwd: app.dir,
        ready: /\{"url":"(http:\/\/127\.0\.0\.1:\d+)"\}/,
      }
    );
    const health = await (await fetch(`${worker.url}/healthz`)).json();
    assert.deepEqual(health, { status: 'ok', store: 'durable-object' });

    const { page, pageErrors } = await openWidget(browser, site.origin);
    const sentHeaders = [];
    page.on('request', (request) => {
      if (request.url().startsWith(worker.url)) sentHeaders.push(request.headers());
    });
    await page.evaluate((url) => {
      const el = document.createElement('llmbase-chat');
      el.id = 'worker';
      el.setAttribute('base-url', url);
      document.querySelector('llmbase-chat').replaceWith(el);
    }, `${worker.url}/v1`);
    await page.waitForFunction(
      () => window.llmbaseEvents.filter((e) => e.type === 'llmbase-ready' || e.type === 'llmbase-error').length >= 2
    );
    const chat = page.locator('#worker');
    assert.deepEqual((await chat.locator('select option').evaluateAll((os) => os.map((o) => o.value))).sort(), [FLASH, TEXT_ONLY].sort());
    upstreamChats.length = 0;
    await send(chat, 'echo: Hello through the Worker.');
    await waitForEvents(page, 'llmbase-stream-end');
    assert.deepEqual(await replies(chat), ['Hello through the Worker.']);
    assert.equal(upstreamChats.length, 1);
    assert.equal(upstreamChats[0].headers.authorization, `Bearer ${PROXY_KEY}`, "the key from the Worker's env");
    assert.ok(sentHeaders.length >= 2 && sentHeaders.every((headers) => !('authorization' in headers)), 'the browser never sent a key');
    assert.deepEqual(pageErrors, []);

    // The page's requests counted in the Durable Object: the rest of the 8 per minute, then 429.
    let allowed = sentHeaders.filter((headers) => headers['access-control-request-method'] === undefined).length;
    let refused = null;
    while (!refused && allowed <= 8) {
      const answer = await fetch(`${worker.url}/v1/models`);
      if (answer.status === 429) refused = answer;
      else allowed += 1;
    }
    assert.ok(refused, 'the limit refused a request');
    assert.equal((await refused.json()).error.code, 'rate_limit_exceeded');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(
      worker.output(),
      /"route":"\/v1\/chat\/completions","url":"\/v1\/chat\/completions","status":200,"model":"deepseek\/deepseek-v4-flash","tokens":\{"prompt":\d+/,
      'a JSON access line with tokens'
    );
    assert.doesNotMatch(worker.output(), new RegExp(PROXY_KEY), 'the key is never logged');
    await worker.stop();
  } finally {
    await browser.close();
    await site.close();
  }
});

test('Next.js route handler recipe under edge-runtime: export const POST/GET stream through the proxy', async () => {
  const entry = join(app.dir, 'next-edge-entry.mjs');
  recipe('nextjs-route.mjs');
  // What Next's edge adapter does with a route module: each method's export answers that method.
  writeFileSync(
    entry,
    `import * as route from './nextjs-route.mjs';
addEventListener('fetch', (event) => event.respondWith(route[event.request.method](event.request)));
`
  );
  const outdir = join(app.dir, 'out', 'next');
  mkdirSync(outdir, { recursive: true });
  await bundle({
    entry,
    outdir,
    outName: 'route.js',
    conditions: ['edge-light', 'worker', 'browser'],
    format: 'iife',
    plugins: [edgeWasmBinding],
  });
  assert.equal(typeof (await import(join(RECIPES, 'nextjs-route.mjs'))).POST, 'function', 'the recipe exports POST');
  const wasmModule = new WebAssembly.Module(readFileSync(join(app.dir, 'node_modules', 'llmbase-wasm', 'dist', 'llmbase_core.wasm')));
  const env = { LLMBASE_API_KEY: PROXY_KEY, LLMBASE_UPSTREAM: upstream.url, ALLOW_MODELS: FLASH, ALLOWED_HOSTS: 'edge.test' };
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false }, // as Vercel's edge: no eval, no wasm compile at run time
    extend: (context) => Object.assign(context, { process: { env }, __edge_wasm_llmbase_core: wasmModule }),
    initialCode: readFileSync(join(outdir, 'route.js'), 'utf8'),
  });
  const dispatch = async (path, init) => {
    const response = await runtime.dispatchFetch(`http://edge.test${path}`, init);
    await response.waitUntil();
    return response;
  };
  upstreamChats.length = 0;
  const streamed = await dispatch('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    body: JSON.stringify({ model: FLASH, messages: [{ role: 'user', content: 'echo: From the edge route.' }], stream: true }),
  });
  const body = await streamed.text();
  assert.equal(streamed.status, 200, body);
  assert.match(body, /"content":"From/);
  assert.match(body, /data: \[DONE\]/);
  assert.equal(upstreamChats[0].headers.authorization, `Bearer ${PROXY_KEY}`);
  const models = await (await dispatch('/v1/models', { method: 'GET' })).json();
  assert.deepEqual(
    models.data.map((m) => m.id),
    [FLASH],
    'the allow-list filters the list'
  );
  const refused = await dispatch('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: TEXT_ONLY, messages: [{ role: 'user', content: 'x' }] }),
  });
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).error.code, 'model_not_allowed');
  const foreignHost = await dispatch('/v1/models', { headers: { host: 'attacker.example' } });
  assert.equal(foreignHost.status, 403, 'the Host check holds on the edge too');
  assert.equal((await foreignHost.json()).error.code, 'host_not_allowed');
});

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1/;
const recipeEnv = { LLMBASE_API_KEY: PROXY_KEY, PORT: '0', RATE_LIMIT: '1000/min' };

test('Deno recipe: Deno.serve runs the proxy; a streamed chat goes through with the key added', async () => {
  const file = recipe('deno.mjs');
  const host = new URL(upstream.url).host;
  const deno = await startService(
    toolBin('deno'),
    ['run', '--no-config', '--node-modules-dir=manual', `--allow-net=127.0.0.1,${host}`, '--allow-read', '--allow-env', file],
    {
      cwd: app.dir,
      env: { ...recipeEnv, LLMBASE_UPSTREAM: upstream.url, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(app.dir, '.deno') },
      ready: LISTENING,
    }
  );
  assertProxied(await streamedChat(`${deno.url}/v1`, 'Deno serves the proxy.'), 'Deno serves the proxy.');
  assert.equal((await fetch(`${deno.url}/v1/balance`)).status, 404, 'only the proxied endpoints');
  await deno.stop();
});

test('Bun recipe: Bun.serve runs the proxy; a streamed chat goes through with the key added', async () => {
  const file = recipe('bun.mjs');
  const bun = await startService(toolBin('bun'), [file], {
    cwd: app.dir,
    env: { ...recipeEnv, LLMBASE_UPSTREAM: upstream.url },
    ready: LISTENING,
  });
  assertProxied(await streamedChat(`${bun.url}/v1`, 'Bun serves the proxy.'), 'Bun serves the proxy.');
  const health = await fetch(`${bun.url}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok', store: 'memory' });
  await bun.stop();
});
