// The proxy's POST /ui/chat under the same attacks as /v1: foreign Host, deep JSON, smuggled parameters, silent upstreams, echoed keys.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../../dist/proxy-node.mjs';
import { FLASH, startTestServer } from './helpers/server.mjs';
import { rawRequest } from './helpers/raw-http.mjs';
import {
  assertNoSecret,
  contentFrame,
  keyEchoingError,
  onBody,
  stallsAfterFirstChunk,
  startProxyBefore,
  withProxyBefore,
} from './helpers/hostile-upstream.mjs';

const PROXY_KEY = 'llmbase_ui_hardening_key_0099';
const uiMessage = (text) => ({ id: 'u1', role: 'user', parts: [{ type: 'text', text }] });
const uiBody = (text, extra = {}) => JSON.stringify({ id: 'chat-1', trigger: 'submit-message', messages: [uiMessage(text)], ...extra });

let upstream;
let proxy;
const seen = []; // chat bodies as the upstream received them

function post(origin, body, headers = {}) {
  return fetch(`${origin}/ui/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** The UI message chunks of a UI message stream body, and whether it ended with [DONE]. */
function uiChunks(text) {
  const data = text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
  return { chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d)), done: data.at(-1) === '[DONE]' };
}

const textOf = (chunks) =>
  chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');

before(async () => {
  upstream = await startTestServer({ keys: [PROXY_KEY] });
  upstream.stats.events.on('chat-request', (event) => seen.push(event.body));
  proxy = await startProxy({
    upstream: upstream.url,
    apiKey: PROXY_KEY,
    allowModels: [FLASH],
    maxTokensCap: 300,
    rateLimit: 0,
    allowedHosts: ['proxy.example.com'],
  });
});

after(async () => {
  await proxy?.close();
  await upstream?.close();
});

beforeEach(() => {
  seen.length = 0;
});

describe('/ui/chat: the request gates of /v1', () => {
  it('refuses a foreign Host (DNS rebinding) before the upstream is touched, and never echoes its Origin', async () => {
    const { port } = proxy;
    const attack = await rawRequest(port, {
      method: 'POST',
      path: '/ui/chat',
      body: uiBody('echo: hi'),
      headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}`, 'content-type': 'application/json' },
    });
    assert.equal(attack.status, 403);
    assert.equal(JSON.parse(attack.text).error.code, 'host_not_allowed');
    assert.equal(attack.headers['access-control-allow-origin'], undefined);
    assert.equal(seen.length, 0);
    const named = await rawRequest(port, {
      method: 'POST',
      path: '/ui/chat',
      body: uiBody('echo: hi'),
      headers: { host: `proxy.example.com:${port}`, 'content-type': 'application/json' },
    });
    assert.equal(named.status, 200, 'the configured public name is answered');
  });

  it('refuses a body nested deeper than 512 levels with 400 json_too_deep', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const answer = await post(proxy.origin, uiBody('echo: hi').replace(/}$/, `,"seed":${deep}}`));
    assert.equal(answer.status, 400);
    assert.equal((await answer.json()).error.code, 'json_too_deep');
    assert.equal(seen.length, 0);
  });

  it('takes the chat parameters /v1 forwards, and refuses those the UI stream cannot carry back', async () => {
    const answer = await post(proxy.origin, uiBody('echo: hi', { user: 'page-user-7', parallel_tool_calls: false }));
    assert.equal(answer.status, 200);
    assert.equal(uiChunks(await answer.text()).done, true);
    assert.equal(seen.at(-1).user, 'page-user-7');
    assert.equal(seen.at(-1).parallel_tool_calls, false);
    seen.length = 0;
    for (const param of ['logprobs', 'stream']) {
      const refused = await post(proxy.origin, uiBody('echo: hi', { [param]: true }));
      assert.equal(refused.status, 400, param);
      assert.equal((await refused.json()).error.param, param);
    }
    assert.equal(seen.length, 0);
  });

  it('forwards an extra parameter only when the operator allows it, and caps it like the rest', async () => {
    const refused = await post(proxy.origin, uiBody('echo: hi', { max_new_tokens: 100_000 }));
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).error.param, 'max_new_tokens');
    assert.equal(seen.length, 0);
    const open = await startProxy({
      upstream: upstream.url,
      apiKey: PROXY_KEY,
      rateLimit: 0,
      maxTokensCap: 300,
      allowParams: ['max_new_tokens'],
    });
    try {
      const answer = await post(open.origin, uiBody('echo: hi', { model: FLASH, max_new_tokens: 10 }));
      assert.equal(answer.status, 200);
      assert.equal(uiChunks(await answer.text()).done, true);
      assert.equal(seen.at(-1).max_new_tokens, 10);
      assert.equal(seen.at(-1).max_tokens, 300, 'the cap is still added');
    } finally {
      await open.close();
    }
  });
});

describe('/ui/chat: upstream timeouts', () => {
  it('answers 504 upstream_headers_timeout when the upstream accepts and never answers', async () => {
    const silent = (req, res) => {
      if (req.url.includes('metadata')) res.writeHead(404).end(); // then the chat request waits for ever
    };
    await withProxyBefore(silent, { apiKey: PROXY_KEY, rateLimit: 0, upstreamHeadersTimeout: 300 }, async (waiting) => {
      const answer = await post(waiting.origin, uiBody('echo: hi', { model: FLASH }));
      assert.equal(answer.status, 504);
      assert.equal((await answer.json()).error.code, 'upstream_headers_timeout');
    });
  });

  it('ends the UI stream with an error chunk and [DONE] when the upstream goes silent mid-body', async () => {
    await withProxyBefore(stallsAfterFirstChunk, { apiKey: PROXY_KEY, rateLimit: 0, upstreamIdleTimeout: 300 }, async (waiting) => {
      const answer = await post(waiting.origin, uiBody('echo: hi', { model: FLASH }));
      assert.equal(answer.status, 200);
      const { chunks, done } = uiChunks(await answer.text());
      assert.equal(textOf(chunks), 'Hi');
      assert.equal(chunks.at(-1).type, 'error');
      assert.match(chunks.at(-1).errorText, /300 ms/, "the proxy's idle limit ended it");
      assert.equal(done, true);
    });
  });
});

describe('/ui/chat: a key echoed by the upstream never reaches the page', () => {
  let echoing;
  before(async () => {
    // Echoes the key in headers, in a reply split inside the key across two deltas, and in a 401.
    echoing = await startProxyBefore(
      (req, res) => {
        const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (req.url.includes('metadata')) return void res.writeHead(404).end();
        onBody(req, (body) => {
          if (body.includes('refuse me')) {
            return void res.writeHead(401, { 'content-type': 'application/json', 'retry-after': key }).end(keyEchoingError(key));
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'x-llmbase-served-model': key, 'x-llmbase-debug-auth': key });
          res.write(contentFrame(`your key is ${key.slice(0, 12)}`));
          setTimeout(() => res.end(`${contentFrame(`${key.slice(12)} ok`)}${contentFrame(`, again: ${key}`)}data: [DONE]\n\n`), 50);
          return undefined;
        });
        return undefined;
      },
      { apiKey: PROXY_KEY, rateLimit: 0 }
    );
  });
  after(async () => {
    await echoing?.close();
  });

  const noKey = (text, where) => assertNoSecret(text, PROXY_KEY, where);

  it('scrubs it from the streamed text (even split between two deltas) and the headers', async () => {
    const answer = await post(echoing.origin, uiBody('echo: hi', { model: FLASH }));
    assert.equal(answer.status, 200);
    noKey(JSON.stringify([...answer.headers]), 'the headers');
    assert.match(answer.headers.get('x-llmbase-served-model'), /\[redacted\]/, 'a listed header passes, scrubbed');
    assert.equal(answer.headers.get('x-llmbase-debug-auth'), null, 'an unlisted x-llmbase header does not pass');
    const text = await answer.text();
    noKey(text, 'the stream');
    const { chunks, done } = uiChunks(text);
    assert.equal(textOf(chunks), 'your key is llmbase_…[redacted] ok, again: llmbase_…[redacted]');
    assert.equal(done, true);
  });

  it('scrubs it from a 401 envelope, every field and its headers', async () => {
    const refused = await post(echoing.origin, uiBody('refuse me', { model: FLASH }));
    assert.equal(refused.status, 401);
    noKey(JSON.stringify([...refused.headers]), 'the 401 headers');
    const text = await refused.text();
    noKey(text, 'the 401 body');
    assert.match(JSON.parse(text).error.code, /\[redacted\]/);
  });
});
