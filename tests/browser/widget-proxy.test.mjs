// Browser test of the proxy path: the widget on a page talks to `startProxy`, which adds the key and forwards to the local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../../dist/proxy-node.mjs';
import { startServer } from '../../dist/server/index.mjs';
import { launchChromium } from './helpers/chromium.mjs';
import { FLASH, TEXT_ONLY, errorText, events, openWidget, replies, send, startSite, waitForEvents } from './helpers/widget.mjs';

const PROXY_KEY = 'llmbase_site_owner_secret_4242';

let upstream;
let site;
let otherSite;
let proxy;
let browser;
const upstreamChats = [];

before(async () => {
  upstream = await startServer({ port: 0, chunkDelayMs: 20, keys: [PROXY_KEY] });
  upstream.stats.events.on('chat-request', (event) => upstreamChats.push(event));
  site = await startSite();
  otherSite = await startSite();
  proxy = await startProxy({
    upstream: upstream.url,
    apiKey: PROXY_KEY,
    allowModels: [FLASH, TEXT_ONLY],
    maxTokensCap: 500,
    rateLimit: '1000/min',
    allowedOrigins: [site.origin],
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await otherSite?.close();
  await site?.close();
  await upstream?.close();
});

/** Replaces the demo page's widget with one whose base-url is `baseURL`; waits for its model list. */
async function proxiedWidget(page, baseURL, maxTokens = '400') {
  await page.evaluate(
    ([url, max]) => {
      const el = document.createElement('llmbase-chat');
      el.id = 'proxied';
      el.setAttribute('base-url', url);
      el.setAttribute('max-tokens', max);
      el.setAttribute('title', 'Through the proxy');
      document.querySelector('llmbase-chat').replaceWith(el);
    },
    [baseURL, maxTokens]
  );
  await page.waitForFunction(
    () => window.llmbaseEvents.filter((e) => e.type === 'llmbase-ready' || e.type === 'llmbase-error').length >= 2
  );
  return page.locator('#proxied');
}

test('through the proxy: no key in the browser, the key added server side, allowed models only, streaming and Stop', async () => {
  const { page, pageErrors } = await openWidget(browser, site.origin);
  const sentHeaders = [];
  page.on('request', (request) => {
    if (request.url().startsWith(proxy.origin)) sentHeaders.push(request.headers());
  });
  const chat = await proxiedWidget(page, proxy.url);
  assert.deepEqual((await chat.locator('select option').evaluateAll((os) => os.map((o) => o.value))).sort(), [FLASH, TEXT_ONLY].sort());

  upstreamChats.length = 0;
  await send(chat, 'echo: Hello through the proxy.');
  await waitForEvents(page, 'llmbase-stream-end');
  assert.deepEqual(await replies(chat), ['Hello through the proxy.']);
  assert.equal(upstreamChats.length, 1);
  assert.equal(upstreamChats[0].headers.authorization, `Bearer ${PROXY_KEY}`);
  assert.equal(upstreamChats[0].body.max_tokens, 400);
  assert.ok(sentHeaders.length >= 2, 'metadata and chat went to the proxy');
  assert.ok(
    sentHeaders.every((headers) => !('authorization' in headers)),
    'the browser never sent a key'
  );
  assert.equal(await page.evaluate(() => document.documentElement.outerHTML.includes('llmbase_site_owner')), false);

  // Stop travels through the proxy: the upstream sees the connection close.
  const closed = new Promise((resolve) => upstream.stats.events.once('client-closed', resolve));
  await send(chat, `echo: ${'A long reply that is stopped half-way through the proxy. '.repeat(30)}`);
  await page.waitForFunction(
    () => document.getElementById('proxied').shadowRoot.querySelectorAll('.msg.assistant .md')[1]?.textContent.length > 0
  );
  await chat.getByRole('button', { name: 'Stop' }).click();
  await closed;
  await waitForEvents(page, 'llmbase-stream-end', 2);
  assert.equal((await events(page, 'llmbase-stream-end'))[1].outcome, 'stopped');
  assert.ok((await replies(chat))[1].length > 0, 'the partial reply stays');
  assert.deepEqual(pageErrors, []);
});

test("the proxy's refusals reach the user in words: max_tokens over the cap, the rate limit", async () => {
  const { page } = await openWidget(browser, site.origin);
  const chat = await proxiedWidget(page, proxy.url, '1000');
  await send(chat, 'echo: Too long an answer allowed.');
  await waitForEvents(page, 'llmbase-error');
  assert.match(await errorText(chat), /The server refused the request \(400\): max_tokens 1000 is above this proxy's cap of 500/);

  const limited = await startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: '2/min', allowedOrigins: [site.origin] });
  try {
    const { page: page2 } = await openWidget(browser, site.origin);
    const chat2 = await proxiedWidget(page2, limited.url); // the metadata request is the first of two
    await send(chat2, 'echo: One.');
    await waitForEvents(page2, 'llmbase-stream-end');
    await send(chat2, 'echo: Two.');
    await waitForEvents(page2, 'llmbase-error');
    assert.match(await errorText(chat2), /Too many messages in a short time \(429\)\.[\s\S]*Wait \d+ s, then try again\./);
  } finally {
    await limited.close();
  }
});

test('a page from an origin the proxy does not allow cannot use it', async () => {
  const before = upstream.stats.requests;
  const { page } = await openWidget(browser, otherSite.origin);
  const chat = await proxiedWidget(page, proxy.url);
  const [failure] = await events(page, 'llmbase-error');
  assert.equal(failure.kind, 'connection');
  assert.match(await errorText(chat), new RegExp(`Could not reach the chat server at ${proxy.url}`));
  assert.equal(upstream.stats.requests, before, 'nothing reached the upstream');
});
