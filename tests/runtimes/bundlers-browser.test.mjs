// Runtimes matrix, browser cells: Vite and webpack production builds and a plain module page, opened in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../browser/helpers/chromium.mjs';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, makeApp } from './helpers/matrix.mjs';
import { MAIN, buildSizes, viteBuild, webpackBuild } from './helpers/browser-builds.mjs';

let app;
let server;
let browser;
let expected;
const out = {};

before(async () => {
  app = makeApp('browser');
  writeFileSync(join(app.dir, 'main.mjs'), MAIN);
  // The plain page: an import map instead of a bundler.
  const importMap = JSON.stringify({ imports: { 'llmbase-wasm': './node_modules/llmbase-wasm/dist/browser.mjs' } });
  writeFileSync(join(app.dir, 'plain.html'), `<!doctype html><meta charset="utf-8"><script type="importmap">${importMap}</script><script type="module" src="./main.mjs"></script>`);
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

async function openCell(path) {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(new URL(path, server.url).href);
    await page.waitForFunction(() => window.__result !== undefined);
    return { result: await page.evaluate(() => window.__result), pageErrors };
  } finally {
    await page.close();
  }
}

for (const [name, path] of [['Vite', '/vite/'], ['webpack', '/webpack/'], ['a plain module page', '/plain/plain.html']]) {
  test(`Chromium, ${name}: streams, chats and lists models`, async (t) => {
    const { result, pageErrors } = await openCell(path);
    assert.deepEqual(result, expected);
    assert.deepEqual(pageErrors, []);
    const key = { Vite: 'vite', webpack: 'webpack' }[name];
    if (key) {
      const sizes = buildSizes(out[key]);
      assert.ok(sizes.wasm > 0, `${name} emitted the .wasm as an asset`);
      t.diagnostic(`${name} production build: JS ${sizes.js} B (${sizes.jsGzip} gz), wasm ${sizes.wasm} B (${sizes.wasmGzip} gz)`);
    }
  });
}
