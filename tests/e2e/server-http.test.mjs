// Raw-HTTP robustness of the local server: bad inputs, 404/405/413/415, CORS, request ids, static files, catalogs, close().
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../src/js/server/index.mjs';
import { FLASH, KEY, jsonHeaders, postChat, startTestServer, userMessage } from './helpers/server.mjs';
import { assertErrorBody } from './helpers/schema.mjs';
import { rawRequest, rawSocket } from './helpers/raw-http.mjs';

async function expectEnvelope(response, status, code) {
  assert.equal(response.status, status);
  const body = await response.json();
  assertErrorBody(body);
  assert.equal(body.error.code, code, body.error.message);
  return body.error;
}

describe('raw HTTP inputs', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers invalid JSON with 400 invalid_json', async () => {
    await expectEnvelope(await postChat(server, '{"model": "x", '), 400, 'invalid_json');
  });

  it('answers a wrong or missing content type with 415', async () => {
    const wrong = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' },
      body: '{}',
    });
    await expectEnvelope(wrong, 415, 'unsupported_media_type');
    const missing = await rawRequest(server.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}` },
      body: '{}',
    });
    assert.equal(missing.status, 415);
    assert.equal(
      await postChat(
        server,
        { model: FLASH, messages: userMessage('x'), max_tokens: 1 },
        { headers: { 'content-type': 'application/json; charset=utf-8' } }
      ).then((r) => r.status),
      200,
      'a charset parameter is fine'
    );
  });

  it('answers a body over 4 MiB with 413 and keeps serving', async () => {
    const big = JSON.stringify({ model: FLASH, messages: userMessage('x'.repeat(4 * 1024 * 1024)) });
    const error = await expectEnvelope(await postChat(server, big), 413, 'request_too_large');
    assert.match(error.message, /4194304/);
    assert.equal((await fetch(`${server.url}/models`)).status, 200);
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const getChat = await fetch(`${server.url}/chat/completions`);
    await expectEnvelope(getChat, 405, 'method_not_allowed');
    assert.equal(getChat.headers.get('allow'), 'POST, OPTIONS');
    const postModels = await fetch(`${server.url}/models`, { method: 'POST', headers: jsonHeaders(), body: '{}' });
    await expectEnvelope(postModels, 405, 'method_not_allowed');
    assert.equal(postModels.headers.get('allow'), 'GET, OPTIONS');
  });

  it('answers unknown paths with 404 and the envelope', async () => {
    for (const route of ['/v1/embeddings', '/v1', '/v1/', '/', '/index.html', '/v1/models/no%2Fsuch']) {
      const response = await fetch(`${server.origin}${route}`);
      assert.equal(response.status, 404, route);
      assertErrorBody(await response.json());
    }
  });

  it('answers malformed HTTP with a 400 envelope instead of crashing', async () => {
    const reply = await rawSocket(server.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400/);
    assertErrorBody(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)));
    const badEscape = await rawRequest(server.port, { path: '/v1/models/%E0%A4%A' });
    assert.equal(badEscape.status, 400);
    assert.equal((await fetch(`${server.url}/models`)).status, 200, 'still alive');
  });

  it('puts a unique x-request-id and CORS headers on every response', async () => {
    const responses = await Promise.all([
      fetch(`${server.url}/models`),
      fetch(`${server.url}/nothing`),
      postChat(server, { model: FLASH, messages: userMessage('x'), max_tokens: 1 }),
      postChat(server, { model: FLASH, messages: [] }),
    ]);
    const ids = responses.map((response) => response.headers.get('x-request-id'));
    assert.ok(ids.every((id) => /^req_[0-9a-f]{24}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
    for (const response of responses) {
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('access-control-expose-headers'), /x-llmbase-served-model/);
      await response.text();
    }
  });

  it('answers a CORS preflight, reflecting the requested headers (Authorization needs it)', async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:9',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-llmbase-fallback',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization,content-type,x-llmbase-fallback');
    const hostile = await rawRequest(server.port, {
      method: 'OPTIONS',
      path: '/v1/models',
      headers: { 'access-control-request-headers': 'authorization, x"<script>' },
    });
    assert.equal(hostile.status, 204);
    assert.match(hostile.headers['access-control-allow-headers'], /Authorization/);
  });

  it('serves /v1/model-metadata and /v1/models?metadata=true with the same data, and filter=agents', async () => {
    const a = await (await fetch(`${server.url}/model-metadata`)).json();
    const b = await (await fetch(`${server.url}/models?metadata=true`)).json();
    assert.deepEqual(a, b);
    assert.ok(a.data.length >= 6);
    for (const model of a.data) {
      for (const field of [
        'context_length',
        'max_output_length',
        'input_modalities',
        'supported_features',
        'supported_parameters',
        'pricing',
      ]) {
        assert.ok(field in model, `${model.id}.${field}`);
      }
    }
    const agents = await (await fetch(`${server.url}/models?filter=agents&metadata=true`)).json();
    assert.ok(agents.data.length > 0 && agents.data.every((model) => model.supported_features.includes('tools')));
  });
});

describe('static files (staticDir)', () => {
  let server;
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmbase-static-'));
    const root = path.join(dir, 'site');
    await mkdir(path.join(root, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(path.join(root, 'app.mjs'), 'export const x = 1;');
    await writeFile(path.join(root, 'glue.js'), 'var y = 2;');
    await writeFile(path.join(root, 'style.css'), 'body{}');
    await writeFile(path.join(root, 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await writeFile(path.join(root, 'sub', 'index.html'), '<p>sub</p>');
    await symlink(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
    server = await startTestServer({ staticDir: root });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves files with the right content types, index.html for directories', async () => {
    const expectations = [
      ['/', 'text/html; charset=utf-8', '<!doctype html><title>demo</title>'],
      ['/sub/', 'text/html; charset=utf-8', '<p>sub</p>'],
      ['/app.mjs', 'text/javascript; charset=utf-8', 'export const x = 1;'],
      ['/glue.js', 'text/javascript; charset=utf-8', 'var y = 2;'],
      ['/style.css', 'text/css; charset=utf-8', 'body{}'],
    ];
    for (const [route, type, text] of expectations) {
      const response = await fetch(`${server.origin}${route}`);
      assert.equal(response.status, 200, route);
      assert.equal(response.headers.get('content-type'), type, route);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(await response.text(), text);
    }
    const wasm = await fetch(`${server.origin}/mod.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const head = await fetch(`${server.origin}/app.mjs`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '19');
  });

  it('still routes /v1 to the API and answers missing files and other methods with the envelope', async () => {
    assert.equal((await fetch(`${server.url}/models`)).status, 200);
    await expectEnvelope(await fetch(`${server.origin}/missing.js`), 404, 'not_found');
    await expectEnvelope(await fetch(`${server.origin}/app.mjs`, { method: 'POST', body: 'x' }), 405, 'method_not_allowed');
  });

  it('refuses path traversal, encoded or not, and symlinks out of the root', async () => {
    for (const route of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/sub/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/link.txt',
      '/%00',
    ]) {
      const result = await rawRequest(server.port, { path: route });
      assert.ok([400, 403, 404].includes(result.status), `${route} → ${result.status}`);
      assert.ok(!result.text.includes('TOP SECRET'), route);
      assertErrorBody(JSON.parse(result.text));
    }
  });
});

describe('catalog replacement, bad options and shutdown', () => {
  it('replaces the built-in catalog with given entries or a file, and rejects bad options', async () => {
    const entries = [{ id: 'acme/tiny', pricing: { input: '0.1', output: '0.2' }, supported_features: ['tools'] }];
    const dir = await mkdtemp(path.join(tmpdir(), 'llmbase-catalog-'));
    const file = path.join(dir, 'catalog.json');
    await writeFile(file, JSON.stringify({ models: entries }));
    try {
      for (const catalog of [entries, file]) {
        const server = await startTestServer({ catalog });
        const { data } = await (await fetch(`${server.url}/models?metadata=true`)).json();
        assert.deepEqual(
          data.map((model) => model.id),
          ['acme/tiny']
        );
        assert.deepEqual(data[0].pricing, { input: 0.1, output: 0.2 });
        assert.equal((await postChat(server, { model: 'acme/tiny', messages: userMessage('hi') })).status, 200);
        await server.close();
      }
      await assert.rejects(startServer({ catalog: [{ id: 'x/no-price' }] }), /pricing\.input/);
      await assert.rejects(startServer({ catalog: path.join(dir, 'missing.json') }), /Cannot read the model catalog/);
      await assert.rejects(startServer({ staticDir: path.join(dir, 'no-such-dir') }), /is not a directory/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('close() resolves with a stream still open, and the client sees the connection end', async () => {
    const server = await startTestServer();
    const response = await postChat(
      server,
      { model: FLASH, stream: true, messages: userMessage('hold') },
      { headers: { 'x-llmbase-test-fault': 'stall:60000' } }
    );
    const reader = response.body.getReader();
    await reader.read();
    await server.close();
    await assert.rejects(
      async () => {
        for (;;) if ((await reader.read()).done) throw new Error('ended cleanly');
      },
      (error) => error.message !== 'ended cleanly'
    );
    await server.close(); // idempotent
  });
});
