// Operating the proxy: JSON access lines with tokens and the core's cost, /healthz, graceful shutdown with a deadline, a store that fails closed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../../dist/proxy-node.mjs';
import { createProxyHandler, MemoryStore } from '../../dist/proxy-node.mjs';
import { costFromPricing, FLASH, getJson, startTestServer, userMessage, waitUntil } from './helpers/server.mjs';
import { stallsAfterFirstChunk, startProxyBefore } from './helpers/hostile-upstream.mjs';

const PROXY_KEY = 'llmbase_operations_key_8086';
const SECRET_PROMPT = 'echo: a private question about my invoice';

let upstream;
let pricing;

function chat(base, { stream = false, content = SECRET_PROMPT } = {}) {
  return fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: FLASH, messages: userMessage(content), stream }),
  });
}

before(async () => {
  upstream = await startTestServer({ keys: [PROXY_KEY] });
  const { body } = await getJson(`${upstream.url}/model-metadata`, { authorization: `Bearer ${PROXY_KEY}` });
  pricing = body.data.find((m) => m.id === FLASH).pricing;
});

after(async () => {
  await upstream?.close();
});

describe('access log', () => {
  it("writes one JSON line per request: time, route, model, status, tokens, the core's cost, duration; never the key or the prompt", async () => {
    const lines = [];
    const proxy = await startProxy({
      upstream: upstream.url,
      apiKey: PROXY_KEY,
      rateLimit: 0,
      log: (entry) => lines.push(JSON.stringify(entry)),
    });
    try {
      const plain = await (await chat(proxy.url)).json();
      const streamed = await chat(proxy.url, { stream: true });
      assert.match(await streamed.text(), /data: \[DONE\]/);
      assert.equal((await fetch(`${proxy.url}/balance`)).status, 404);
      await waitUntil(() => lines.length === 3, 'three log lines');
      const [first, second, third] = lines.map((line) => JSON.parse(line));
      for (const entry of [first, second]) {
        assert.equal(entry.route, '/v1/chat/completions');
        assert.equal(entry.model, FLASH);
        assert.equal(entry.status, 200);
        assert.ok(!Number.isNaN(Date.parse(entry.time)));
        assert.ok(entry.durationMs >= 0);
        assert.equal(entry.completed, true);
        assert.deepEqual(entry.tokens, {
          prompt: plain.usage.prompt_tokens,
          completion: plain.usage.completion_tokens,
          total: plain.usage.total_tokens,
        });
        assert.ok(Math.abs(entry.costUSD - costFromPricing(pricing, plain.usage)) < 1e-12, `cost ${entry.costUSD}`);
      }
      assert.equal(third.route, '/v1/balance');
      assert.equal(third.status, 404);
      const all = lines.join('\n');
      assert.doesNotMatch(all, new RegExp(PROXY_KEY));
      assert.doesNotMatch(all, /private question/, 'no prompt unless opted in');
    } finally {
      await proxy.close();
    }
  });

  it('puts the messages in only when logPrompts is set', async () => {
    const lines = [];
    const proxy = await startProxy({
      upstream: upstream.url,
      apiKey: PROXY_KEY,
      rateLimit: 0,
      logPrompts: true,
      log: (entry) => lines.push(entry),
    });
    try {
      await (await chat(proxy.url)).json();
      await waitUntil(() => lines.length === 1, 'the log line');
      assert.deepEqual(lines[0].messages, userMessage(SECRET_PROMPT));
    } finally {
      await proxy.close();
    }
  });
});

describe('/healthz and the fetch handler', () => {
  it('answers 200 with the store outside the rate limit, and 503 draining once shutdown begins', async () => {
    const handler = createProxyHandler({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: '1/min' });
    try {
      const ask = (path) => handler(new Request(`http://127.0.0.1${path}`), { clientIp: '192.0.2.7' });
      for (let i = 0; i < 3; i += 1) {
        const health = await ask('/healthz');
        assert.equal(health.status, 200);
        assert.deepEqual(await health.json(), { status: 'ok', store: 'memory' });
      }
      assert.equal((await ask('/v1/models')).status, 200);
      assert.equal((await ask('/v1/models')).status, 429, 'the second in a minute from that client');
      assert.equal(
        (await handler(new Request('http://127.0.0.1/v1/models'), { clientIp: '192.0.2.8' })).status,
        200,
        'another client has its own count'
      );
      handler.drain();
      const draining = await ask('/healthz');
      assert.equal(draining.status, 503);
      assert.equal((await draining.json()).status, 'draining');
    } finally {
      await handler.close();
    }
  });

  it('fails closed with 503 store_unavailable when the store cannot be reached', async () => {
    const broken = {
      name: 'broken',
      incr: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
      get: async () => 0,
    };
    const handler = createProxyHandler({ upstream: upstream.url, apiKey: PROXY_KEY, store: broken });
    const answer = await handler(new Request('http://127.0.0.1/v1/models'));
    assert.equal(answer.status, 503);
    const { error } = await answer.json();
    assert.equal(error.code, 'store_unavailable');
    assert.match(error.message, /ECONNREFUSED/);
    await handler.close();
  });

  it('checks the store and the spend limit options, naming the field', () => {
    assert.throws(
      () => createProxyHandler({ upstream: upstream.url, apiKey: PROXY_KEY, store: { get() {} } }),
      /store must implement incr/
    );
    assert.throws(
      () => createProxyHandler({ upstream: upstream.url, apiKey: PROXY_KEY, spendLimit: { perClientUSD: -1 } }),
      /spendLimit\.perClientUSD/
    );
    assert.throws(
      () => createProxyHandler({ upstream: upstream.url, apiKey: PROXY_KEY, spendLimit: { daily: 1 } }),
      /spendLimit has no field "daily"/
    );
    assert.throws(() => createProxyHandler({ upstream: upstream.url, env: {} }), /env\.LLMBASE_API_KEY/);
    assert.equal(
      createProxyHandler({ upstream: upstream.url, env: { LLMBASE_API_KEY: PROXY_KEY }, store: new MemoryStore() }).options.apiKey,
      PROXY_KEY,
      'the key from a Workers-style env'
    );
  });
});

describe('graceful shutdown', () => {
  it('lets a stream in flight finish, stops taking connections, then resolves', async () => {
    const slow = await startTestServer({ keys: [PROXY_KEY], chunkDelayMs: 20 });
    const proxy = await startProxy({ upstream: slow.url, apiKey: PROXY_KEY, rateLimit: 0, shutdownTimeout: 60_000 });
    try {
      const reply = 'Every word of this reply arrives although the proxy is shutting down. '.repeat(3);
      const response = await chat(proxy.url, { stream: true, content: `echo: ${reply}` });
      const reader = response.body.getReader();
      const first = await reader.read();
      assert.equal(first.done, false, 'the stream has begun');
      let closed = false;
      const closing = proxy.close().then(() => {
        closed = true;
      });
      await assert.rejects(fetch(`${proxy.url}/models`), 'no new connections while draining');
      let text = new TextDecoder().decode(first.value);
      for (let next = await reader.read(); !next.done; next = await reader.read()) text += new TextDecoder().decode(next.value);
      const content = text
        .split('\n')
        .filter((l) => l.startsWith('data: {'))
        .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '')
        .join('');
      assert.equal(content, reply);
      assert.match(text, /data: \[DONE\]\n\n$/);
      await closing;
      assert.equal(closed, true);
    } finally {
      await proxy.close();
      await slow.close();
    }
  });

  it('cuts what is still streaming at the deadline', async () => {
    const proxy = await startProxyBefore(stallsAfterFirstChunk, {
      apiKey: PROXY_KEY,
      rateLimit: 0,
      upstreamIdleTimeout: 600_000,
      shutdownTimeout: 100,
    });
    const response = await chat(proxy.url, { stream: true });
    assert.equal(response.status, 200);
    const reader = response.body.getReader();
    assert.equal((await reader.read()).done, false);
    const closing = proxy.close(); // shutdownTimeout: 100 ms, and the upstream never sends more
    await assert.rejects(async () => {
      for (let next = await reader.read(); !next.done; next = await reader.read());
    }, 'the stalled stream is cut, not ended cleanly');
    await closing;
  });
});
