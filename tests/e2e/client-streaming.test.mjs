// node:test end-to-end: the built package (ESM and CJS entries) streaming from the local server over 127.0.0.1.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import LLMBase, {
  LLMBase as NamedLLMBase,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  IncompleteStreamError,
  APIConnectionError,
} from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';

const require = createRequire(import.meta.url);
const MODEL = 'deepseek/deepseek-v4-flash';
const KEY = 'llmbase_e2e_test_key';
const ask = (content, extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content }], ...extra });

let server;
let client;

before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 5 });
  client = new LLMBase({ apiKey: KEY, baseURL: server.url });
});
after(async () => {
  await server.close();
});

describe('chat.completions.create', () => {
  test('default and named exports are the same class', () => {
    assert.equal(LLMBase, NamedLLMBase);
  });

  test('returns a chat.completion without streaming', async () => {
    const completion = await client.chat.completions.create(ask('Say hello'));
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0].message.role, 'assistant');
    assert.ok(completion.choices[0].message.content.length > 20);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.ok(completion.usage.total_tokens > 0);
  });

  test('streams chunks whose deltas add up to the final completion, usage included', async () => {
    const stream = await client.chat.completions.create(ask('Say hello', { stream: true }));
    let text = '';
    let count = 0;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      text += chunk.choices[0]?.delta?.content ?? '';
      count += 1;
    }
    const final = await stream.finalChatCompletion();
    assert.ok(count > 3, `expected several chunks, got ${count}`);
    assert.equal(final.choices[0].message.content, text);
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.ok(final.usage.completion_tokens > 0);
    // Same deterministic content as the non-streaming reply.
    const whole = await client.chat.completions.create(ask('Say hello'));
    assert.equal(whole.choices[0].message.content, text);
  });

  test('delivers the first delta before the server has sent the last one', async () => {
    const ended = new Set();
    const onEnd = (e) => ended.add(e.requestId);
    server.stats.events.on('stream-end', onEnd);
    try {
      const stream = await client.chat.completions.create(ask('Stream slowly', { stream: true }), {
        headers: { 'x-llmbase-test-fault': 'stall:400' },
      });
      const requestId = stream.response.headers.get('x-request-id');
      let sawFirstDeltaWhileServerBusy = null;
      for await (const chunk of stream) {
        if (sawFirstDeltaWhileServerBusy === null && chunk.choices[0]?.delta?.content) {
          sawFirstDeltaWhileServerBusy = !ended.has(requestId);
        }
      }
      assert.equal(sawFirstDeltaWhileServerBusy, true);
      assert.ok(ended.has(requestId), 'the server reported the end of this stream');
    } finally {
      server.stats.events.off('stream-end', onEnd);
    }
  });

  test('controller.abort() mid-stream closes the server-side connection', async () => {
    const closed = once(server.stats.events, 'client-closed');
    const stream = await client.chat.completions.create(ask('A long story', { stream: true }), {
      headers: { 'x-llmbase-test-fault': 'stall:2000' },
    });
    const received = [];
    await assert.rejects(async () => {
      for await (const chunk of stream) {
        received.push(chunk);
        if (chunk.choices[0]?.delta?.content) stream.controller.abort();
      }
    }, APIUserAbortError);
    const [info] = await closed;
    assert.ok(info.chunksSent >= 1);
    const error = await stream.finalChatCompletion().catch((e) => e);
    assert.ok(error instanceof APIUserAbortError);
    assert.ok(error.partial.choices[0].message.content.length > 0, 'the partial reply is kept');
  });

  test('breaking out of the loop aborts the request', async () => {
    const closed = once(server.stats.events, 'client-closed');
    const stream = await client.chat.completions.create(ask('Another long story', { stream: true }), {
      headers: { 'x-llmbase-test-fault': 'stall:2000' },
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) break;
    }
    await closed;
    await assert.rejects(stream.finalChatCompletion(), APIUserAbortError);
  });

  test('an AbortSignal passed per request aborts the stream', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(ask('Signal me', { stream: true }), {
      signal: controller.signal,
      headers: { 'x-llmbase-test-fault': 'stall:2000' },
    });
    await assert.rejects(async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) controller.abort();
      }
    }, APIUserAbortError);
  });

  test('a stream that ends without [DONE] or finish_reason is an IncompleteStreamError', async () => {
    const stream = await client.chat.completions.create(ask('Cut me off', { stream: true }), {
      headers: { 'x-llmbase-test-fault': 'no-done' },
    });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    assert.ok(error instanceof IncompleteStreamError, `got ${error}`);
    assert.ok(error.partial.choices[0].message.content.length > 0);
  });

  test('server errors become typed errors with status, code and request id', async () => {
    const error = await client.chat.completions.create(ask('hi', { model: 'nobody/no-such-model' })).catch((e) => e);
    assert.ok(error instanceof NotFoundError, `got ${error}`);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'model_not_found');
    assert.ok(error.requestId);
  });

  test('an llmbase_chat_ key is rejected by the server with 401, and the key is not echoed', async () => {
    const chatKey = 'llmbase_chat_secret_value_123456';
    const agentsClient = new LLMBase({ apiKey: chatKey, baseURL: server.url });
    const error = await agentsClient.chat.completions.create(ask('hi')).catch((e) => e);
    assert.ok(error instanceof AuthenticationError, `got ${error}`);
    assert.equal(error.status, 401);
    assert.match(error.message, /llmbase\.ai\/api\/v1\/agents/);
    assert.ok(!JSON.stringify({ m: error.message, s: String(error.stack) }).includes(chatKey));
  });

  test('a refused connection is an APIConnectionError', async () => {
    const closedServer = await startServer({ port: 0 });
    const url = closedServer.url;
    await closedServer.close();
    const offline = new LLMBase({ apiKey: KEY, baseURL: url });
    await assert.rejects(offline.chat.completions.create(ask('hi')), APIConnectionError);
  });
});

describe('models.list', () => {
  test('returns the OpenAI list shape and iterates with for await', async () => {
    const page = await client.models.list();
    assert.equal(page.object, 'list');
    assert.ok(page.data.some((m) => m.id === MODEL));
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(
      ids,
      page.data.map((m) => m.id)
    );
  });
});

describe('CommonJS entry', () => {
  test('require() gives the same API, and it streams', async () => {
    const cjs = require('../../dist/index.cjs');
    assert.equal(typeof cjs, 'function');
    assert.equal(cjs.LLMBase, cjs);
    assert.equal(cjs.default, cjs);
    const cjsClient = new cjs.LLMBase({ apiKey: KEY, baseURL: server.url });
    const stream = await cjsClient.chat.completions.create(ask('From CJS', { stream: true }));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.ok(text.length > 20);
  });
});
