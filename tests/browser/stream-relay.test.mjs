// Browser test: a Node route relays client.chat.completions.stream() as NDJSON to the browser build in Chromium, aborts both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import LLMBase from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';
import { serveStatic } from '../../src/js/proxy/node/static-files.mjs';
import { launchChromium } from './helpers/chromium.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLASH = 'deepseek/deepseek-v4-flash';
const KEY = 'llmbase_relay_route_key';
const PAGE = '<!doctype html><meta charset="utf-8"><title>relay</title><p>relay test page</p>';

let upstream;
let client;
let route;
let origin;
let browser;
const routeEvents = [];
let routeAborted = null; // resolves when the route's runner emits abort

// The app's server route: the key stays here; the browser only gets the relayed chunks.
async function relay(req, res, url) {
  const runner = client.chat.completions.stream(
    { model: FLASH, messages: [{ role: 'user', content: url.searchParams.get('prompt') }] },
    { headers: url.searchParams.has('fault') ? { 'x-llmbase-test-fault': url.searchParams.get('fault') } : {} }
  );
  runner.on('abort', () => {
    routeEvents.push('route-runner-aborted');
    if (routeAborted) routeAborted.resolve();
  });
  if (url.searchParams.get('serverAbort') === '1') runner.once('content', () => runner.abort());
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const reader = runner.toReadableStream().getReader();
  // The browser went away: cancelling the relay stream aborts the upstream call.
  res.on('close', () => {
    if (!res.writableFinished) reader.cancel();
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

before(async () => {
  upstream = await startServer({ port: 0, chunkDelayMs: 0 });
  client = new LLMBase({ apiKey: KEY, baseURL: upstream.url });
  route = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const handle =
      url.pathname === '/relay'
        ? relay(req, res, url)
        : url.pathname.startsWith('/dist/')
          ? serveStatic(req, res, path.join(ROOT, 'dist'), url.pathname.slice('/dist'.length))
          : Promise.resolve(res.writeHead(200, { 'content-type': 'text/html' })).then(() => res.end(PAGE));
    handle.catch((error) => {
      res.statusCode = error.status || 500;
      res.end(String(error.message));
    });
  });
  route.listen(0, '127.0.0.1');
  await once(route, 'listening');
  origin = `http://127.0.0.1:${route.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  route?.close();
  await upstream?.close();
});

async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/`);
  return { page, errors };
}

test('the browser build reads the relayed stream: same content, usage and finish_reason as a direct call', async () => {
  const { page, errors } = await openPage();
  const result = await page.evaluate(async () => {
    const { ChatCompletionStream } = await import('/dist/browser.mjs');
    const response = await fetch('/relay?prompt=Tell%20me%20about%20relays');
    const runner = ChatCompletionStream.fromReadableStream(response.body);
    let text = '';
    let chunks = 0;
    runner.on('content', (delta) => {
      text += delta;
    });
    for await (const chunk of runner) chunks += chunk.object === 'chat.completion.chunk' ? 1 : 0;
    const final = await runner.finalChatCompletion();
    return { text, chunks, content: final.choices[0].message.content, finish: final.choices[0].finish_reason, usage: final.usage };
  });
  const direct = await client.chat.completions.create({ model: FLASH, messages: [{ role: 'user', content: 'Tell me about relays' }] });
  assert.equal(result.content, direct.choices[0].message.content);
  assert.equal(result.text, result.content);
  assert.ok(result.chunks > 3);
  assert.equal(result.finish, 'stop');
  assert.equal(result.usage.total_tokens, direct.usage.total_tokens);
  assert.deepEqual(errors, []);
  await page.close();
});

test('aborting in the browser cancels the relay, and the route aborts its upstream call', async () => {
  routeEvents.length = 0;
  let resolve;
  routeAborted = {
    promise: new Promise((r) => {
      resolve = r;
    }),
    resolve: () => resolve(),
  };
  const closed = once(upstream.stats.events, 'client-closed');
  const { page } = await openPage();
  const outcome = await page.evaluate(async () => {
    const { ChatCompletionStream } = await import('/dist/browser.mjs');
    const response = await fetch('/relay?prompt=echo:%20first%20words%20then%20a%20stall&fault=stall:20000');
    const runner = ChatCompletionStream.fromReadableStream(response.body);
    const events = [];
    runner.on('abort', (e) => events.push(`abort:${e.name}`));
    runner.on('error', (e) => events.push(`error:${e.name}`));
    runner.once('content', () => runner.abort());
    const error = await runner.done().then(
      () => null,
      (e) => e.name
    );
    return { error, events };
  });
  assert.equal(outcome.error, 'APIUserAbortError');
  assert.deepEqual(outcome.events, ['abort:APIUserAbortError', 'error:APIUserAbortError']);
  await closed; // the upstream LLMBase server saw the route's connection close
  await routeAborted.promise; // and the route's runner ended with an abort (it settles after the call is freed)
  assert.deepEqual(routeEvents, ['route-runner-aborted']);
  await page.close();
});

test('an abort on the server side reaches the browser as an error with the partial reply, never a clean end', async () => {
  const { page } = await openPage();
  const outcome = await page.evaluate(async () => {
    const { ChatCompletionStream, APIError } = await import('/dist/browser.mjs');
    const response = await fetch('/relay?prompt=echo:%20words%20before%20the%20server%20gives%20up&serverAbort=1&fault=stall:2000');
    const runner = ChatCompletionStream.fromReadableStream(response.body);
    let text = '';
    runner.on('content', (delta) => {
      text += delta;
    });
    const error = await runner.finalChatCompletion().then(
      () => null,
      (e) => e
    );
    return {
      text,
      isApiError: error instanceof APIError,
      code: error && error.code,
      partial: error && error.partial && error.partial.choices[0].message.content,
    };
  });
  assert.ok(outcome.isApiError);
  assert.equal(outcome.code, 'user_abort');
  assert.ok(outcome.text.length > 0);
  assert.equal(outcome.partial, outcome.text);
  await page.close();
});

test('a route whose upstream connection drops relays an IncompleteStreamError, an APIConnectionError', async () => {
  const { page } = await openPage();
  const outcome = await page.evaluate(async () => {
    const { ChatCompletionStream, APIConnectionError } = await import('/dist/browser.mjs');
    const response = await fetch('/relay?prompt=echo:%20cut%20short%20by%20a%20dropped%20connection&fault=drop-after:3');
    const runner = ChatCompletionStream.fromReadableStream(response.body);
    const error = await runner.done().then(
      () => null,
      (e) => e
    );
    return { code: error && error.code, connection: error instanceof APIConnectionError, name: error && error.name };
  });
  // The route's stream ended early, so the browser's core finds it incomplete too.
  assert.equal(outcome.name, 'IncompleteStreamError');
  assert.equal(outcome.code, 'incomplete_stream');
  assert.equal(outcome.connection, true);
  await page.close();
});
