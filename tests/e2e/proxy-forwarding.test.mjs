// The key-safe proxy (startProxy) against the local server as upstream: what it forwards, refuses, adds and never leaks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../../dist/proxy-node.mjs';
import { FLASH, nextEvent, startTestServer, userMessage, waitUntil } from './helpers/server.mjs';

const PROXY_KEY = 'llmbase_proxy_secret_key_1234';
const ALLOWED = [FLASH, 'qwen/qwen3.5-9b'];
const PAGE = 'https://shop.example';

let upstream;
let proxy;
const seen = []; // chat requests as the upstream received them

function post(body, headers = {}) {
  return fetch(`${proxy.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

before(async () => {
  upstream = await startTestServer({ chunkDelayMs: 25, keys: [PROXY_KEY] });
  upstream.stats.events.on('chat-request', (event) => seen.push(event));
  proxy = await startProxy({
    upstream: upstream.url,
    apiKey: PROXY_KEY,
    allowModels: ALLOWED,
    maxTokensCap: 500,
    rateLimit: '1000/min',
    allowedOrigins: [PAGE],
  });
});

after(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('startProxy: forwarding', () => {
  it("forwards a chat with its own key, dropping the browser's Authorization, and adds max_tokens", async () => {
    seen.length = 0;
    const response = await post(
      { model: FLASH, messages: userMessage('echo: hello through the proxy') },
      { authorization: 'Bearer llmbase_from_the_page' }
    );
    assert.equal(response.status, 200);
    assert.equal((await response.json()).choices[0].message.content, 'hello through the proxy');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers.authorization, `Bearer ${PROXY_KEY}`);
    assert.equal(seen[0].body.max_tokens, 500, 'a request without max_tokens gets the cap');
  });

  it('streams the upstream bytes as they arrive, before the upstream has finished', async () => {
    const ended = [];
    const onEnd = (event) => ended.push(event);
    upstream.stats.events.on('stream-end', onEnd);
    try {
      const response = await post({ model: FLASH, stream: true, max_tokens: 200, messages: userMessage('Tell me about streaming.') });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type'), /^text\/event-stream/);
      assert.equal(response.headers.get('x-llmbase-served-model'), FLASH, 'the fallback headers pass through');
      const reader = response.body.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /^data: /);
      assert.equal(ended.length, 0, 'the first bytes reached us while the upstream was still writing');
      let text = '';
      for (let part = await reader.read(); !part.done; part = await reader.read()) text += new TextDecoder().decode(part.value);
      assert.match(text, /data: \[DONE\]/);
      assert.equal(ended.length, 1);
    } finally {
      upstream.stats.events.off('stream-end', onEnd);
    }
  });

  it('closes the upstream stream when the browser goes away', async () => {
    const controller = new AbortController();
    const closed = nextEvent(upstream.stats.events, 'client-closed');
    const response = await fetch(`${proxy.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: FLASH, stream: true, max_tokens: 400, messages: userMessage(`echo: ${'long text '.repeat(150)}`) }),
      signal: controller.signal,
    });
    const reader = response.body.getReader();
    await reader.read();
    controller.abort();
    const event = await closed;
    assert.ok(event.chunksSent >= 1);
  });

  it('lists only the allowed models, from /v1/models and /v1/model-metadata', async () => {
    const models = await (await fetch(`${proxy.url}/models`)).json();
    assert.deepEqual(models.data.map((m) => m.id).sort(), [...ALLOWED].sort());
    const metadata = await (await fetch(`${proxy.url}/model-metadata`)).json();
    assert.deepEqual(metadata.data.map((m) => m.id).sort(), [...ALLOWED].sort());
    assert.ok(metadata.data.every((m) => m.pricing && Array.isArray(m.supported_features)));
  });
});

describe('startProxy: refusals before the upstream is touched', () => {
  it('forwards nothing but the three endpoints', async () => {
    for (const path of ['/balance', '/models/deepseek%2Fdeepseek-v4-flash', '/agents/models', '']) {
      const response = await fetch(`${proxy.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal((await response.json()).error.code, 'not_found');
    }
    assert.equal((await fetch(`${proxy.url}/chat/completions`)).status, 405);
    assert.equal((await fetch(`${proxy.origin}/index.html`)).status, 404, 'no static files unless configured');
  });

  it('refuses a model outside the allow-list with 403', async () => {
    seen.length = 0;
    const response = await post({ model: 'z-ai/glm-5', messages: userMessage('hi') });
    assert.equal(response.status, 403);
    const { error } = await response.json();
    assert.equal(error.code, 'model_not_allowed');
    assert.match(error.message, /deepseek\/deepseek-v4-flash/);
    assert.equal(seen.length, 0);
  });

  it('refuses max_tokens above the cap with 400 naming the cap', async () => {
    const response = await post({ model: FLASH, max_tokens: 501, messages: userMessage('hi') });
    assert.equal(response.status, 400);
    const { error } = await response.json();
    assert.equal(error.code, 'max_tokens_over_cap');
    assert.equal(error.param, 'max_tokens');
    assert.match(error.message, /cap of 500/);
  });

  it('runs the shared validation against the upstream metadata and answers with the findings', async () => {
    seen.length = 0;
    const response = await post({
      model: 'qwen/qwen3.5-9b',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
      temperature: 7,
    });
    assert.equal(response.status, 400);
    const { error } = await response.json();
    const paths = error.findings
      .filter((f) => f.severity === 'error')
      .map((f) => f.path)
      .sort();
    assert.deepEqual(paths, ['messages[0].content[1].image_url', 'temperature']);
    assert.ok(error.findings.every((f) => f.code && f.message));
    assert.match(error.message, /^Request refused by the proxy before forwarding/);
    assert.equal(seen.length, 0);
  });

  it('answers CORS for allowed origins only, and refuses other pages with 403', async () => {
    const preflight = await fetch(`${proxy.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), PAGE);
    assert.match(preflight.headers.get('access-control-allow-headers'), /Content-Type/);
    const allowed = await fetch(`${proxy.url}/models`, { headers: { origin: PAGE } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), PAGE);
    assert.match(allowed.headers.get('vary'), /Origin/);
    for (const origin of ['https://evil.example', 'null', 'https://shop.example.evil.example']) {
      const refused = await fetch(`${proxy.url}/models`, { headers: { origin } });
      assert.equal(refused.status, 403, origin);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      assert.equal((await refused.json()).error.code, 'origin_not_allowed');
    }
    const sameOrigin = await fetch(`${proxy.url}/models`, { headers: { origin: proxy.origin } });
    assert.equal(sameOrigin.status, 200, 'a page served by the proxy itself is always allowed');
  });
});

describe('startProxy: rate limit and key hygiene', () => {
  it('limits requests per client IP and says when to come back', async () => {
    const limited = await startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: '2/min' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${limited.url}/models`)).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      const refused = await fetch(`${limited.url}/models`);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      const { error } = await refused.json();
      assert.equal(error.code, 'rate_limit_exceeded');
      assert.match(error.message, /2 per 60 s/);
    } finally {
      await limited.close();
    }
  });

  it('passes an upstream 401 through without the key, and reports an unreachable upstream with 502', async () => {
    const wrongKey = await startProxy({ upstream: upstream.url, apiKey: 'llmbase_wrong_key_5678', rateLimit: 0 });
    const nowhere = await startProxy({ upstream: 'http://127.0.0.1:9/v1', apiKey: PROXY_KEY, rateLimit: 0 });
    try {
      const refused = await fetch(`${wrongKey.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: FLASH, messages: userMessage('hi') }),
      });
      assert.equal(refused.status, 401);
      assert.doesNotMatch(await refused.text(), /llmbase_wrong_key_5678/);
      const down = await fetch(`${nowhere.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: FLASH, messages: userMessage('hi') }),
      });
      assert.equal(down.status, 502);
      const text = await down.text();
      assert.match(text, /upstream_unreachable/);
      assert.doesNotMatch(text, new RegExp(PROXY_KEY));
      assert.equal((await fetch(`${nowhere.url}/model-metadata`)).status, 502);
    } finally {
      await wrongKey.close();
      await nowhere.close();
    }
  });

  it('refuses to start without a key or with a bad option, and never logs the key', async () => {
    const saved = process.env.LLMBASE_API_KEY;
    delete process.env.LLMBASE_API_KEY;
    try {
      await assert.rejects(startProxy({ upstream: upstream.url }), /LLMBASE_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.LLMBASE_API_KEY = saved;
    }
    await assert.rejects(startProxy({ apiKey: PROXY_KEY }), /upstream/);
    await assert.rejects(startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: 'lots' }), /rateLimit/);
    await assert.rejects(
      startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, allowedOrigins: 'https://a.example/path' }),
      /allowedOrigins/
    );
    await assert.rejects(startProxy({ upstream: 'https://api.llmbase.ai/v1', apiKey: 'llmbase_chat_x' }), /agents/);

    const lines = [];
    const logged = await startProxy({
      upstream: upstream.url,
      apiKey: PROXY_KEY,
      rateLimit: 0,
      log: (entry) => lines.push(JSON.stringify(entry)),
    });
    try {
      await fetch(`${logged.url}/chat/completions?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: FLASH, messages: userMessage('hi') }),
      });
      await waitUntil(() => lines.length === 1, 'the log line');
      const entry = JSON.parse(lines[0]);
      assert.equal(entry.url, '/v1/chat/completions');
      assert.equal(entry.status, 200);
      assert.equal(entry.model, FLASH);
      assert.doesNotMatch(lines.join('\n'), new RegExp(PROXY_KEY));
    } finally {
      await logged.close();
    }
  });
});
