// Runtimes matrix, browser cells: Vite and webpack production builds and a plain module page, opened in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../browser/helpers/chromium.mjs';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, makeApp } from './helpers/matrix.mjs';
import { MAIN, buildSizes, htmlPage, viteBuild, webpackBuild } from './helpers/browser-builds.mjs';

let app;
let server;
let browser;
let expected;
const out = {};

before(async () => {
  app = makeApp('browser');
  writeFileSync(join(app.dir, 'main.mjs'), MAIN);
  // The plain page: no bundler, the package's browser entry imported by path. No inline import map:
  // the local server sends pages a CSP without inline scripts, as a careful site would.
  writeFileSync(join(app.dir, 'plain.mjs'), MAIN.replace("from 'llmbase-wasm'", "from './node_modules/llmbase-wasm/dist/browser.mjs'"));
  writeFileSync(join(app.dir, 'plain.html'), htmlPage('<script type="module" src="./plain.mjs"></script>'));
  for (const name of ['vite', 'webpack']) mkdirSync((out[name] = join(app.dir, 'out', name)), { recursive: true });
  await viteBuild(app.dir, out.vite, '/vite/');
  await webpackBuild(app.dir, out.webpack, '/webpack/');
  server = await startTestServer({ staticMounts: { '/vite/': out.vite, '/webpack/': out.webpack, '/plain/': app.dir } });
  expected = await expectedResult(server.url);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  app?.cleanup();
});

// What a cell leaves behind besides its result: uncaught errors, console errors (a CSP refusal, or
// net::ERR_ABORTED from cancelling a finished stream) and requests that did not complete.
async function openCell(path) {
  const page = await browser.newPage();
  const pageErrors = [];
  const consoleErrors = [];
  const failedRequests = [];
  let failed;
  const firstError = new Promise((resolve) => (failed = resolve));
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
    failed();
  });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(`${message.text()} (${message.location().url})`));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  try {
    await page.goto(new URL(path, server.url).href);
    // An uncaught error (a module that cannot load) ends the wait at once, with the error reported.
    await Promise.race([page.waitForFunction(() => window.__result !== undefined), firstError]);
    return { result: await page.evaluate(() => window.__result), pageErrors, consoleErrors, failedRequests };
  } finally {
    await page.close();
  }
}

for (const [name, path] of [
  ['Vite', '/vite/'],
  ['webpack', '/webpack/'],
  ['a plain module page', '/plain/plain.html'],
]) {
  test(`Chromium, ${name}: streams, chats and lists models`, async (t) => {
    const { result, pageErrors, consoleErrors, failedRequests } = await openCell(path);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(result, expected);
    // A completed stream ends quietly: no reader.cancel() after [DONE], so no aborted request.
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(failedRequests, []);
    const key = { Vite: 'vite', webpack: 'webpack' }[name];
    if (key) {
      const sizes = buildSizes(out[key]);
      assert.ok(sizes.wasm > 0, `${name} emitted the .wasm as an asset`);
      t.diagnostic(`${name} production build: JS ${sizes.js} B (${sizes.jsGzip} gz), wasm ${sizes.wasm} B (${sizes.wasmGzip} gz)`);
    }
  });
}
