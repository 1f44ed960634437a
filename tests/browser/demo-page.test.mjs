// Browser test: the demo page in web/ streams a reply from the local server into the DOM in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../dist/server/index.mjs';
import { launchChromium } from './helpers/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server;
let browser;

before(async () => {
  // The page and the package come from the same origin as the API, as in `npm start`.
  server = await startServer({
    port: 0,
    chunkDelayMs: 40,
    staticDir: `${root}web`,
    staticMounts: { '/dist/': `${root}dist` },
  });
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

test('the demo page streams a reply into the DOM, token by token', async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  const origin = new URL(server.url).origin;
  await page.goto(`${origin}/`);

  const ended = [];
  const onEnd = (e) => ended.push(e.requestId);
  server.stats.events.on('stream-end', onEnd);
  try {
    await page.fill('#prompt', 'Tell me about streaming in the browser.');
    await page.click('#send');
    // The first text appears while the server is still sending: streaming, not buffering.
    await page.waitForFunction(() => document.getElementById('reply').textContent.length > 0);
    assert.equal(ended.length, 0, 'the server had not finished when the first token was shown');
    assert.equal(await page.getAttribute('#reply', 'aria-busy'), 'true');

    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, { timeout: 30000 });
    assert.equal(ended.length, 1);
    const chunks = Number(await page.getAttribute('#reply', 'data-chunks'));
    assert.ok(chunks > 3, `rendered ${chunks} chunks`);
    const text = await page.textContent('#reply');
    assert.ok(text.length > 40);
    assert.match(await page.textContent('#status'), /^Done: \d+ chunks/);
    assert.deepEqual(pageErrors, []);
  } finally {
    server.stats.events.off('stream-end', onEnd);
  }
});

test('the Stop button aborts the stream and keeps the partial reply', async () => {
  const page = await browser.newPage();
  await page.goto(`${new URL(server.url).origin}/`);
  await page.click('#send');
  await page.waitForFunction(() => document.getElementById('reply').textContent.length > 0);
  await page.click('#stop');
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'error');
  assert.match(await page.textContent('#status'), /APIUserAbortError/);
  assert.ok((await page.textContent('#reply')).length > 0);
});

test('in a page, a client with an API key is refused unless dangerouslyAllowBrowser is set', async () => {
  const page = await browser.newPage();
  await page.goto(`${new URL(server.url).origin}/`);
  const outcome = await page.evaluate(async () => {
    const { LLMBase } = await import('/dist/browser.mjs');
    const results = {};
    try {
      new LLMBase({ apiKey: 'llmbase_visible_to_everyone' });
      results.withKey = 'constructed';
    } catch (error) {
      results.withKey = `${error.name}: ${error.message}`;
    }
    results.optIn = new LLMBase({ apiKey: 'llmbase_x', dangerouslyAllowBrowser: true }).baseURL;
    results.noKey = new LLMBase({ baseURL: 'http://127.0.0.1:1/v1' }).baseURL;
    return results;
  });
  assert.match(outcome.withKey, /^InvalidArgumentError: Refusing to use an API key in a browser/);
  assert.equal(outcome.optIn, 'https://api.llmbase.ai/v1');
  assert.equal(outcome.noKey, 'http://127.0.0.1:1/v1');
});
