// Browser test: a page on another origin reads LLMBase's response headers (served model, request id) from the local server and through the proxy, which expose one shared list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../../dist/proxy-node.mjs';
import { startServer } from '../../dist/server/index.mjs';
import { launchChromium } from './helpers/chromium.mjs';
import { FLASH, startSite } from './helpers/widget.mjs';

const KEY = 'llmbase_cors_headers_test_5151';

let upstream;
let proxy;
let site;
let browser;

before(async () => {
  upstream = await startServer({ port: 0, keys: [KEY] });
  site = await startSite();
  proxy = await startProxy({ upstream: upstream.url, apiKey: KEY, rateLimit: 0, allowedOrigins: [site.origin] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await proxy?.close();
  await upstream?.close();
});

/** What a script on the site's page can read of the headers of a chat call to `url` (CORS applies). */
async function readableFromPage(url, headers) {
  const page = await browser.newPage();
  try {
    await page.goto(`${site.origin}/`);
    return await page.evaluate(
      async ([target, extra, model, names]) => {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...extra },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'echo: hi' }], max_tokens: 20 }),
        });
        await response.text();
        return { status: response.status, headers: Object.fromEntries(names.map((name) => [name, response.headers.get(name)])) };
      },
      [url, headers, FLASH, ['x-request-id', 'x-llmbase-served-model', 'x-llmbase-requested-model', 'x-llmbase-fallback-applied']]
    );
  } finally {
    await page.close();
  }
}

for (const [name, target] of [
  ['the local server', () => [`${upstream.url}/chat/completions`, { authorization: `Bearer ${KEY}` }]],
  ['the proxy', () => [`${proxy.url}/chat/completions`, {}]],
]) {
  test(`a page on another origin reads the served model and the request id from ${name}`, async () => {
    const [url, headers] = target();
    assert.notEqual(new URL(url).origin, site.origin, 'the call is cross-origin, so only exposed headers are readable');
    const { status, headers: read } = await readableFromPage(url, headers);
    assert.equal(status, 200);
    assert.equal(read['x-llmbase-served-model'], FLASH);
    assert.equal(read['x-llmbase-requested-model'], FLASH);
    assert.equal(read['x-llmbase-fallback-applied'], 'false');
    assert.match(read['x-request-id'], /\S/);
  });
}
