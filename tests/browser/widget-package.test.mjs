// Browser test of the packed widget: npm pack → install into an empty folder → a static site with one <script> tag (own folder, a CDN-like origin, a bundler) in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium } from './helpers/chromium.mjs';
import { FLASH, ROOT, openWidget, send, waitForEvents } from './helpers/widget.mjs';

let work;
let site; // the empty folder the package is installed into, and the static site
let servers = []; // `npx llmbase serve` processes (their process groups)
let pageServer;
let browser;

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The installed bin, as a site owner starts it: `npx llmbase serve --static DIR` (static files and the
// local API on one origin). Resolves its origin.
function serveStatic(dir) {
  const child = spawn('npx', ['--no-install', 'llmbase', 'serve', '--port', '0', '--static', dir], {
    cwd: site,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\/v1/);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`llmbase serve exited with ${code}: ${out}`)));
  });
}

// A site owner's page: one script tag, one element. `src` is where the script comes from.
const page = (src, baseURL) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A static site</title><link rel="icon" href="data:,">
<script type="module" src="${src}"></script></head>
<body><h1>A static site</h1>
<llmbase-chat base-url="${baseURL}" model="${FLASH}" title="Packed widget"></llmbase-chat></body></html>`;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'llmbase-widget-pack-'));
  site = join(work, 'site');
  mkdirSync(site);
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
  writeFileSync(join(site, 'package.json'), JSON.stringify({ name: 'static-site', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work, filename)], site);
  writeFileSync(join(site, 'index.html'), page('./node_modules/llmbase-wasm/dist/llmbase-chat.js', '/v1'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve()));
  await Promise.all(
    servers
      .filter((child) => child.exitCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGINT');
        return exited;
      })
  );
  if (work) rmSync(work, { recursive: true, force: true });
});

const TABLE = '| Name | Price |\n|:--|--:|\n| **flash** | 0.1 |';

// Opens `path` on `origin`, sends a table; returns what the widget drew, the files the page loaded
// and what `probe` returns in the page.
async function chatOnce(origin, path, probe = () => null) {
  const { page: tab, chat, context, pageErrors } = await openWidget(browser, origin, { path });
  assert.deepEqual(await tab.evaluate(() => window.llmbaseEvents.filter((e) => e.type === 'llmbase-error')), [], 'the model list loaded');
  await send(chat, `echo: ${TABLE}`);
  await waitForEvents(tab, 'llmbase-stream-end');
  const drawn = await chat.evaluate((el) => ({
    title: el.shadowRoot.getElementById('title').textContent,
    headers: [...el.shadowRoot.querySelectorAll('.msg.assistant th')].map((th) => th.textContent),
    align: [...el.shadowRoot.querySelectorAll('.msg.assistant td')].map((td) => td.style.textAlign),
    strong: el.shadowRoot.querySelector('.msg.assistant td strong')?.textContent,
    messages: el.messages.map((m) => m.role),
  }));
  const files = await tab.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((name) => !name.includes('/v1/'))
  );
  const probed = await tab.evaluate(probe);
  await context.close();
  return { drawn, pageErrors, files, probed };
}

const EXPECTED = {
  title: 'Packed widget',
  headers: ['Name', 'Price'],
  align: ['left', 'right'],
  strong: 'flash',
  messages: ['user', 'assistant'],
};

test('the tarball ships the one-file widget, its module build and types', () => {
  const names = JSON.parse(npm(['pack', '--dry-run', '--json'], ROOT))[0].files.map((f) => f.path);
  for (const file of [
    'dist/llmbase-chat.js',
    'dist/chat.mjs',
    'dist/chat.d.ts',
    'dist/llmbase_core_chat.wasm',
    'dist/llmbase_core.wasm',
    'dist/llmbase_core.mjs',
  ])
    assert.ok(names.includes(file), file);
  assert.ok(!names.some((n) => n.startsWith('web/')), 'the widget sources are bundled, not shipped');
  const manifest = JSON.parse(readFileSync(join(site, 'node_modules', 'llmbase-wasm', 'package.json'), 'utf8'));
  assert.deepEqual(manifest.exports['./chat'], { types: './dist/chat.d.ts', default: './dist/chat.mjs' });
});

test("one <script> tag from the site's own folder: the widget finds its wasm next to it and streams", async () => {
  const origin = await serveStatic('.');
  const { drawn, pageErrors, files } = await chatOnce(origin, '/');
  assert.deepEqual(drawn, EXPECTED);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(
    files,
    [`${origin}/node_modules/llmbase-wasm/dist/llmbase-chat.js`, `${origin}/node_modules/llmbase-wasm/dist/llmbase_core_chat.wasm`],
    'one script and the chat module beside it: nothing else of the package (not the full core)'
  );
});

test('one <script> tag from a CDN-like origin: the wasm comes from there too, the API from a third', async () => {
  // "The CDN": the installed node_modules served on an origin of its own (with CORS, as CDNs do).
  const cdn = await serveStatic('node_modules');
  const api = await serveStatic('.');
  const src = `${cdn}/llmbase-wasm/dist/llmbase-chat.js`;
  // The site's own server: its page, with a CSP that allows scripts (and their wasm) from the CDN only, and no eval.
  const html = page(src, `${api}/v1`);
  const csp = `default-src 'self'; script-src ${cdn} 'wasm-unsafe-eval'; connect-src ${cdn} ${api}; style-src 'unsafe-inline'`;
  pageServer = createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html)
  );
  const origin = await new Promise((resolve) =>
    pageServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${pageServer.address().port}`))
  );
  const { drawn, pageErrors, files } = await chatOnce(origin, '/');
  assert.deepEqual(drawn, EXPECTED);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(files, [src, `${cdn}/llmbase-wasm/dist/llmbase_core_chat.wasm`]);
});

test('a bundler imports llmbase-wasm/chat and llmbase-wasm and gets one client, not two', async () => {
  // esbuild from the site's folder resolves the installed package through its "exports".
  writeFileSync(
    join(site, 'app.mjs'),
    `import LLMBase from 'llmbase-wasm';
import { LLMBaseChat, createWidgetClient } from 'llmbase-wasm/chat';
window.bundleCheck = {
  registered: customElements.get('llmbase-chat') === LLMBaseChat,
  oneClient: createWidgetClient('http://127.0.0.1:9/v1') instanceof LLMBase,
};
`
  );
  mkdirSync(join(site, 'bundled'), { recursive: true });
  await build({
    entryPoints: [join(site, 'app.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(site, 'bundled', 'app.js'),
    absWorkingDir: site,
    logLevel: 'warning',
  });
  // What a bundler does with `new URL('./llmbase_core_chat.wasm', import.meta.url)`: the asset goes beside the bundle.
  copyFileSync(
    join(site, 'node_modules', 'llmbase-wasm', 'dist', 'llmbase_core_chat.wasm'),
    join(site, 'bundled', 'llmbase_core_chat.wasm')
  );
  writeFileSync(join(site, 'bundled', 'index.html'), page('./app.js', '/v1'));
  const origin = await serveStatic('.');
  const { drawn, pageErrors, probed } = await chatOnce(origin, '/bundled/', () => window.bundleCheck);
  assert.deepEqual(drawn, EXPECTED);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(probed, { registered: true, oneClient: true });
});
