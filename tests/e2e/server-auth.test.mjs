// Auth of the local server as documented: missing key, llmbase_chat_ keys, --keys lists, other keys, keyless model list.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLASH, postChat, startTestServer, userMessage } from './helpers/server.mjs';
import { assertErrorBody } from './helpers/schema.mjs';

const BODY = { model: FLASH, messages: userMessage('hi'), max_tokens: 5 };

async function errorOf(response) {
  const body = await response.json();
  assertErrorBody(body);
  return body.error;
}

describe('auth with the default policy (any llmbase_ key)', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('refuses a request without Authorization with 401 missing_api_key', async () => {
    const response = await postChat(server, BODY, { key: null });
    assert.equal(response.status, 401);
    const error = await errorOf(response);
    assert.deepEqual([error.type, error.code, error.param], ['invalid_request_error', 'missing_api_key', null]);
  });

  it('treats a non-Bearer Authorization header as a missing key', async () => {
    const response = await postChat(server, BODY, { key: null, headers: { authorization: 'Basic bGxtYmFzZV94Og==' } });
    assert.equal(response.status, 401);
    assert.equal((await errorOf(response)).code, 'missing_api_key');
  });

  it('refuses an llmbase_chat_ key with 401 invalid_api_key naming the agents base URL, without echoing the key', async () => {
    const key = 'llmbase_chat_secret123';
    const response = await postChat(server, BODY, { key });
    assert.equal(response.status, 401);
    const error = await errorOf(response);
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(error.type, 'invalid_request_error');
    assert.ok(error.message.includes('https://llmbase.ai/api/v1/agents'));
    assert.ok(!error.message.includes(key));
  });

  it('refuses keys that do not start with llmbase_ (e.g. an OpenAI sk- key)', async () => {
    const response = await postChat(server, BODY, { key: 'sk-proj-abc' });
    assert.equal(response.status, 401);
    const error = await errorOf(response);
    assert.equal(error.code, 'invalid_api_key');
    assert.ok(!error.message.includes('sk-proj-abc'));
  });

  it('accepts any llmbase_ key', async () => {
    const response = await postChat(server, BODY, { key: 'llmbase_anything_goes' });
    assert.equal(response.status, 200);
  });

  it('serves the model list and metadata without a key, and the balance only with one', async () => {
    for (const path of ['/models', '/models?metadata=true', '/model-metadata', `/models/${encodeURIComponent(FLASH)}`]) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, path);
    }
    const withChatKey = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer llmbase_chat_x' } });
    assert.equal(withChatKey.status, 200, 'the model list needs no account authorization');
    const balance = await fetch(`${server.url}/balance`);
    assert.equal(balance.status, 401);
    assert.equal((await errorOf(balance)).code, 'missing_api_key');
    const ok = await fetch(`${server.url}/balance`, { headers: { authorization: 'Bearer llmbase_x' } });
    assert.deepEqual(Object.keys(await ok.json()), ['object', 'currency', 'balance']);
  });
});

describe('auth with a key list (--keys)', () => {
  let server;
  before(async () => {
    server = await startTestServer({ keys: 'llmbase_alpha,llmbase_beta,llmbase_chat_listed' });
  });
  after(() => server.close());

  it('accepts listed keys only', async () => {
    assert.equal((await postChat(server, BODY, { key: 'llmbase_alpha' })).status, 200);
    assert.equal((await postChat(server, BODY, { key: 'llmbase_beta' })).status, 200);
    const other = await postChat(server, BODY, { key: 'llmbase_gamma' });
    assert.equal(other.status, 401);
    assert.equal((await errorOf(other)).code, 'invalid_api_key');
  });

  it('still refuses an llmbase_chat_ key even when it is listed', async () => {
    const response = await postChat(server, BODY, { key: 'llmbase_chat_listed' });
    assert.equal(response.status, 401);
    assert.match((await errorOf(response)).message, /https:\/\/llmbase\.ai\/api\/v1\/agents/);
  });
});
