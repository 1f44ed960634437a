// The key-safe proxy under attack (issue 16, items 1-6): unanswered requests, silent upstreams, DNS rebinding, smuggled parameters, echoed keys, dotfiles.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy } from '../../dist/proxy-node.mjs';
import { FLASH, startTestServer, userMessage } from './helpers/server.mjs';
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

const PROXY_KEY = 'llmbase_proxy_hardening_key_0042';
const chat = (extra = {}) => JSON.stringify({ model: FLASH, messages: userMessage('echo: hi'), ...extra });

let upstream;
let proxy;
const seen = []; // chat bodies as the upstream received them

function post(base, body, headers = {}) {
  return fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

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

describe('every request gets an answer', () => {
  it("refuses a body nested deeper than the core's 512 levels with 400, on the proxy and the local server", async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const bodies = Array.from({ length: 20 }, () => chat().replace(/}$/, `,"x":${deep}}`));
    for (const base of [proxy.url, upstream.url]) {
      const answers = await Promise.all(bodies.map((body) => post(base, body, { authorization: `Bearer ${PROXY_KEY}` })));
      for (const answer of answers) {
        assert.equal(answer.status, 400);
        assert.equal((await answer.json()).error.code, 'json_too_deep');
      }
    }
  });

  it('lets 512 levels through, and does not count brackets inside strings', async () => {
    seen.length = 0;
    const atLimit = `${'['.repeat(510)}${']'.repeat(510)}`; // + the body object + "x"'s array = 511 < 512
    const answer = await post(proxy.url, chat({ stop: ['['.repeat(5000)] }));
    assert.equal(answer.status, 200, await answer.clone().text());
    const refusedForOtherReasons = await post(proxy.url, chat().replace(/}$/, `,"x":${atLimit}}`));
    assert.equal((await refusedForOtherReasons.json()).error.code, 'parameter_not_allowed', 'parsed, then judged on its fields');
  });
});

describe('upstream timeouts', () => {
  it('answers 504 in the error envelope when the upstream accepts and never answers', async () => {
    // The upstream reads the request and never responds.
    await withProxyBefore(
      () => {},
      { apiKey: PROXY_KEY, rateLimit: 0, upstreamHeadersTimeout: 300, metadataTTL: 0 },
      async (waiting) => {
        const answer = await post(waiting.url, chat());
        assert.equal(answer.status, 504);
        const { error } = await answer.json();
        assert.equal(error.code, 'upstream_headers_timeout');
        assert.equal(error.type, 'server_error');
        const models = await fetch(`${waiting.url}/models`);
        assert.equal(models.status, 504);
      }
    );
  });

  it('cuts the stream when the upstream goes silent mid-body, so the browser never waits for ever', async () => {
    await withProxyBefore(stallsAfterFirstChunk, { apiKey: PROXY_KEY, rateLimit: 0, upstreamIdleTimeout: 300 }, async (waiting) => {
      const answer = await post(waiting.url, chat({ stream: true }));
      assert.equal(answer.status, 200);
      await assert.rejects(answer.text(), 'the body ends with an error, not a clean end');
    });
  });

  it('checks the timeout options', async () => {
    await assert.rejects(startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, upstreamIdleTimeout: -1 }), /upstreamIdleTimeout/);
    await assert.rejects(
      startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, upstreamHeadersTimeout: 'soon' }),
      /upstreamHeadersTimeout/
    );
  });
});

describe('DNS rebinding', () => {
  it('refuses a foreign Host before the upstream is touched, and never echoes its Origin', async () => {
    seen.length = 0;
    const { port } = proxy;
    const attack = await rawRequest(port, {
      method: 'POST',
      path: '/v1/chat/completions',
      body: chat(),
      headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}`, 'content-type': 'application/json' },
    });
    assert.equal(attack.status, 403);
    assert.equal(JSON.parse(attack.text).error.code, 'host_not_allowed');
    assert.equal(attack.headers['access-control-allow-origin'], undefined);
    assert.doesNotMatch(attack.text, /attacker\.example/);
    assert.equal(seen.length, 0, 'nothing reached the upstream');
  });

  it('does not take an Origin matching Host as same-origin', async () => {
    const { port } = proxy;
    const answer = await rawRequest(port, {
      path: '/v1/models',
      headers: { host: `proxy.example.com:${port}`, origin: `http://evil.example:${port}` },
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
    assert.doesNotMatch(answer.text, /evil\.example/);
  });

  it('answers loopback names, IP addresses and the configured public name, with its own origins allowed', async () => {
    const { port } = proxy;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `proxy.example.com:${port}`, 'PROXY.example.com']) {
      assert.equal((await rawRequest(port, { path: '/v1/models', headers: { host } })).status, 200, host);
    }
    const self = await rawRequest(port, {
      path: '/v1/models',
      headers: { host: 'proxy.example.com', origin: 'https://proxy.example.com' },
    });
    assert.equal(self.status, 200);
    assert.equal(self.headers['access-control-allow-origin'], 'https://proxy.example.com');
  });
});

describe('only documented parameters reach the upstream', () => {
  it('applies the max_tokens cap and the model allow-list to extra_body merged into the body', async () => {
    seen.length = 0;
    const overCap = await post(proxy.url, chat({ extra_body: { max_tokens: 100_000 } }));
    assert.equal(overCap.status, 400);
    assert.equal((await overCap.json()).error.code, 'max_tokens_over_cap');
    const otherModel = await post(proxy.url, chat({ extra_body: { model: 'qwen/qwen3.5-9b' } }));
    assert.equal(otherModel.status, 403);
    assert.equal((await otherModel.json()).error.code, 'model_not_allowed');
    assert.equal(seen.length, 0);
    const kwargs = await post(proxy.url, chat({ extra_body: { chat_template_kwargs: { enable_thinking: false } } }));
    assert.equal(kwargs.status, 200);
    assert.deepEqual(seen[0].chat_template_kwargs, { enable_thinking: false }, 'documented extra_body fields arrive flattened');
    assert.equal(seen[0].extra_body, undefined);
  });

  it('refuses an undocumented parameter with 400 naming it and the flag, unless the operator allows it', async () => {
    seen.length = 0;
    const refused = await post(proxy.url, chat({ max_new_tokens: 100_000 }));
    assert.equal(refused.status, 400);
    const { error } = await refused.json();
    assert.equal(error.code, 'parameter_not_allowed');
    assert.equal(error.param, 'max_new_tokens');
    assert.match(error.message, /--allow-params max_new_tokens/);
    assert.equal((await post(proxy.url, chat({ n: 50 }))).status, 400, 'n would multiply the output past the cap');
    assert.equal(seen.length, 0);
    const open = await startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: 0, allowParams: ['max_new_tokens'] });
    try {
      assert.equal((await post(open.url, chat({ max_new_tokens: 10 }))).status, 200);
      assert.equal(seen.at(-1).max_new_tokens, 10);
    } finally {
      await open.close();
    }
  });
});

describe('a key echoed by the upstream never reaches the browser', () => {
  let echoing;
  before(async () => {
    // Echoes the Authorization it got: in headers, in a streamed body split inside the key, in a 401.
    echoing = await startProxyBefore(
      (req, res) => {
        const auth = req.headers.authorization ?? '';
        const key = auth.replace(/^Bearer /, '');
        if (req.url.endsWith('/models')) {
          return void res
            .writeHead(200, { 'content-type': 'application/json', 'x-llmbase-served-model': key, 'x-llmbase-debug-auth': auth })
            .end(JSON.stringify({ object: 'list', data: [{ id: key, object: 'model' }] }));
        }
        if (req.url.includes('metadata')) return void res.writeHead(404).end();
        onBody(req, (body) => {
          if (JSON.parse(body).stream !== true) {
            return void res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': `req_${key}` }).end(keyEchoingError(key));
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'x-llmbase-served-model': key, 'x-llmbase-debug-auth': auth });
          const frame = contentFrame(`your key is ${key}`);
          const cut = frame.indexOf(key) + 10;
          res.write(frame.slice(0, cut));
          setTimeout(() => res.end(`${frame.slice(cut)}data: [DONE]\n\n`), 50);
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

  it('scrubs it from JSON bodies', async () => {
    const models = await fetch(`${echoing.url}/models`);
    assert.equal(models.status, 200);
    noKey(JSON.stringify([...models.headers]), 'the headers');
    const text = await models.text();
    noKey(text, 'the body');
    assert.match(text, /\[redacted\]/);
  });

  it('scrubs it from a 401 error envelope (every field) and a streamed body split inside the key', async () => {
    const refused = await post(echoing.url, chat());
    assert.equal(refused.status, 401);
    noKey(JSON.stringify([...refused.headers]), 'the 401 headers');
    const text = await refused.text();
    noKey(text, 'the 401 body');
    assert.match(JSON.parse(text).error.code, /\[redacted\]/);
    const streamed = await post(echoing.url, chat({ stream: true }));
    assert.equal(streamed.status, 200);
    noKey(JSON.stringify([...streamed.headers]), 'the stream headers');
    assert.match(streamed.headers.get('x-llmbase-served-model'), /\[redacted\]/, 'a listed header passes, scrubbed');
    assert.equal(streamed.headers.get('x-llmbase-debug-auth'), null, 'an unlisted x-llmbase header does not pass');
    const body = await streamed.text();
    noKey(body, 'the stream');
    assert.match(body, /your key is llmbase_…\[redacted\]/);
    assert.match(body, /data: \[DONE\]/);
  });
});

describe('static files', () => {
  let dir;
  let site;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmbase-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(dir, '.env'), `LLMBASE_API_KEY=${PROXY_KEY}\n`);
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]\n');
    mkdirSync(join(dir, 'sub', '.hidden'), { recursive: true });
    writeFileSync(join(dir, 'sub', '.hidden', 'x.txt'), 'x');
    mkdirSync(join(dir, '.well-known'));
    writeFileSync(join(dir, '.well-known', 'security.txt'), 'Contact: mailto:security@example.com\n');
    site = await startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, rateLimit: 0, staticDir: dir });
  });
  after(() => site?.close());

  it('refuses dotfiles and dot-directories (plain and percent-encoded) but serves /.well-known/', async () => {
    for (const path of ['/.env', '/%2eenv', '/.git/config', '/sub/.hidden/x.txt', '/sub/%2Ehidden/x.txt']) {
      const answer = await rawRequest(site.port, { path });
      assert.equal(answer.status, 404, path);
      noKeyIn(answer.text, path);
    }
    const wellKnown = await fetch(`${site.origin}/.well-known/security.txt`);
    assert.equal(wellKnown.status, 200);
  });

  it('forbids framing by other origins and sends a CSP on pages', async () => {
    const page = await fetch(`${site.origin}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors 'self'/);
    assert.match(csp, /script-src 'self'/);
    // No 'unsafe-eval' or inline scripts: the wasm glue needs only 'wasm-unsafe-eval' (browser suite).
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'));
    assert.equal(scriptSrc, "script-src 'self' 'wasm-unsafe-eval'");
    assert.match(csp, /object-src 'none'/);
    const file = await fetch(`${site.origin}/.well-known/security.txt`);
    assert.match(file.headers.get('content-security-policy'), /frame-ancestors 'self'/);
  });
});

function noKeyIn(text, where) {
  assert.ok(!text.includes(PROXY_KEY), `${where} leaked the key`);
}
