// node:test end-to-end: retries, time limits, stream failures and the concurrency limit against the local server's faults.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import LLMBase, {
  AuthenticationError,
  IdleTimeoutError,
  APIConnectionTimeoutError,
  IncompleteStreamError,
  InternalServerError,
  RateLimitError,
  APIError,
  APIUserAbortError,
} from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';

// A text-only model: its replies start with content at once (no reasoning deltas first).
const MODEL = 'qwen/qwen3.5-9b';
const ask = (content, extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content }], ...extra });
let server;
let client;

// Requests the server received for one attempt key, with their arrival times.
function recordAttempts(key) {
  const seen = [];
  const onRequest = (e) => {
    if (e.headers['x-llmbase-test-attempt-key'] === key) seen.push(Date.now());
  };
  server.stats.events.on('request', onRequest);
  return { seen, stop: () => server.stats.events.off('request', onRequest) };
}
const faulty = (fault, key = randomUUID()) => ({ headers: { 'x-llmbase-test-fault': fault, 'x-llmbase-test-attempt-key': key }, key });

before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 2, keys: ['llmbase_good_key'] });
  client = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url });
});
after(() => server.close());

describe('retries', () => {
  test('a 429 with retry-after-ms is retried after the hinted wait, then succeeds', async () => {
    const { headers, key } = faulty('fail-first:1:429:0.3');
    const attempts = recordAttempts(key);
    try {
      const completion = await client.chat.completions.create(ask('hi'), { headers });
      assert.equal(completion.choices[0].finish_reason, 'stop');
      assert.equal(attempts.seen.length, 2);
      assert.ok(attempts.seen[1] - attempts.seen[0] >= 290, `waited ${attempts.seen[1] - attempts.seen[0]} ms, hint was 300`);
    } finally {
      attempts.stop();
    }
  });

  test('two 500s then success: three attempts, one result', async () => {
    const { headers, key } = faulty('fail-first:2:500');
    const attempts = recordAttempts(key);
    try {
      const stream = await client.chat.completions.create(ask('hi', { stream: true }), { headers });
      const final = await stream.finalChatCompletion();
      assert.ok(final.choices[0].message.content.length > 0);
      assert.equal(attempts.seen.length, 3);
    } finally {
      attempts.stop();
    }
  });

  test('gives up after maxRetries with the last error', async () => {
    const { headers, key } = faulty('fail-first:5:503');
    const attempts = recordAttempts(key);
    try {
      const error = await client.chat.completions.create(ask('hi'), { headers, maxRetries: 1 }).catch((e) => e);
      assert.ok(error instanceof InternalServerError, `got ${error}`);
      assert.equal(error.status, 503);
      assert.equal(attempts.seen.length, 2);
    } finally {
      attempts.stop();
    }
  });

  test('a 401 is not retried', async () => {
    const key = randomUUID();
    const attempts = recordAttempts(key);
    try {
      const bad = new LLMBase({ apiKey: 'llmbase_wrong_key', baseURL: server.url });
      const error = await bad.chat.completions.create(ask('hi'), { headers: { 'x-llmbase-test-attempt-key': key } }).catch((e) => e);
      assert.ok(error instanceof AuthenticationError);
      assert.equal(attempts.seen.length, 1);
    } finally {
      attempts.stop();
    }
  });

  test('a retry-after above maxRetryAfterMs falls back to backoff (no 30 s wait)', async () => {
    const { headers } = faulty('fail-first:1:429:30');
    const started = Date.now();
    const completion = await client.chat.completions.create(ask('hi'), { headers, maxRetryAfterMs: 1000 });
    assert.equal(completion.object, 'chat.completion');
    assert.ok(Date.now() - started < 25_000);
  });

  test('a stream is never retried once bytes have arrived', async () => {
    const { headers, key } = faulty('drop-after:3');
    const attempts = recordAttempts(key);
    try {
      const stream = await client.chat.completions.create(ask('hi', { stream: true }), { headers });
      const chunks = [];
      const error = await (async () => {
        for await (const chunk of stream) chunks.push(chunk);
      })().catch((e) => e);
      assert.ok(error instanceof IncompleteStreamError, `got ${error}`);
      assert.match(error.message, /connection closed/);
      assert.ok(chunks.length >= 2, 'the chunks before the drop were delivered');
      assert.ok(error.partial.choices[0].message.content.length > 0, 'the error carries the partial completion');
      assert.equal(attempts.seen.length, 1);
    } finally {
      attempts.stop();
    }
  });
});

describe('time limits and stream failures', () => {
  test('a stall longer than idleTimeout raises IdleTimeoutError with the partial reply', async () => {
    const stream = await client.chat.completions.create(ask('hi', { stream: true }), { ...faulty('stall:3000'), idleTimeout: 300 });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    assert.ok(error instanceof IdleTimeoutError, `got ${error}`);
    assert.ok(error instanceof APIConnectionTimeoutError);
    assert.match(error.message, /idleTimeout/);
    assert.ok(error.partial.choices[0].message.content.length > 0);
  });

  test('the total timeout ends a slow request with APIConnectionTimeoutError', async () => {
    const error = await client.chat.completions.create(ask('hi'), { ...faulty('stall:3000'), timeout: 300 }).catch((e) => e);
    assert.ok(error instanceof APIConnectionTimeoutError, `got ${error}`);
    assert.ok(!(error instanceof IdleTimeoutError));
    assert.match(error.message, /300 ms/);
  });

  test('an error frame mid-stream raises after the chunks before it, with the partial', async () => {
    const stream = await client.chat.completions.create(ask('hi', { stream: true }), faulty('error-frame-after:3'));
    const chunks = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((e) => e);
    assert.ok(error instanceof APIError, `got ${error}`);
    assert.equal(error.kind, 'stream_error');
    assert.equal(chunks.length, 3);
    assert.deepEqual(await stream.finalChatCompletion().catch((e) => e.partial), error.partial);
  });

  test('a malformed chunk is a typed error, not a crash', async () => {
    const stream = await client.chat.completions.create(ask('hi', { stream: true }), faulty('malformed-after:2'));
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    assert.ok(error instanceof APIError);
    assert.equal(error.code, 'malformed_chunk');
  });

  test('streams in 1-7 byte pieces with CRLF, BOM, keep-alives and multi-line data parse the same', async () => {
    const plain = await client.chat.completions.create(ask('same text'));
    const stream = await client.chat.completions.create(
      ask('same text', { stream: true }),
      faulty('split-bytes,crlf,bom,keepalive,multiline-data,sse-fields')
    );
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].message.content, plain.choices[0].message.content);
  });
});

describe('concurrency', () => {
  test('25 concurrent streams with maxConcurrency 20 never exceed 20 in flight at the server', async () => {
    server.stats.resetPeaks();
    const limited = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url, maxConcurrency: 20, validation: 'off' });
    const streams = Array.from({ length: 25 }, (_, i) =>
      limited.chat.completions.create(ask(`stream ${i}`, { stream: true }), faulty('stall:300')).then((s) => s.finalChatCompletion())
    );
    for (let i = 0; i < 200 && limited.concurrency.queued < 5; i += 1) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(limited.concurrency, { active: 20, queued: 5 });
    const results = await Promise.all(streams);
    assert.equal(results.length, 25);
    assert.ok(results.every((r) => r.choices[0].finish_reason === 'stop'));
    assert.equal(server.stats.maxInflight, 20);
    // A slot is freed once its connection is let go of, which may follow the result by a tick.
    for (let i = 0; i < 200 && limited.concurrency.active; i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(limited.concurrency, { active: 0, queued: 0 });
  });

  test('requests wait in order, and one aborted while queued leaves the queue', async () => {
    // Validation off: no metadata request shares the single slot.
    const one = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url, maxConcurrency: 1, validation: 'off' });
    const order = [];
    const first = one.chat.completions.create(ask('first'), faulty('stall:200')).then(() => order.push('first'));
    const controller = new AbortController();
    const aborted = one.chat.completions.create(ask('aborted'), { signal: controller.signal }).catch((e) => e);
    const third = one.chat.completions.create(ask('third')).then(() => order.push('third'));
    for (let i = 0; i < 200 && one.concurrency.queued < 2; i += 1) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(one.concurrency, { active: 1, queued: 2 });
    controller.abort();
    assert.ok((await aborted) instanceof APIUserAbortError);
    await Promise.all([first, third]);
    assert.deepEqual(order, ['first', 'third']);
  });
});

describe('pass-through and headers', () => {
  test('extra_body and chat_template_kwargs reach the server as top-level fields', async () => {
    const seen = new Promise((resolve) => server.stats.events.once('chat-request', (e) => resolve(e.body)));
    await client.chat.completions.create(
      { ...ask('hi'), chat_template_kwargs: { enable_thinking: false }, extra_body: { prompt_cache_key: 'conv-1' } },
      { extra_body: { seed: 7 } }
    );
    const body = await seen;
    assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false });
    assert.equal(body.prompt_cache_key, 'conv-1');
    assert.equal(body.seed, 7);
    assert.equal(body.extra_body, undefined);
  });

  test('withResponse() exposes the x-llmbase fallback headers; fallback: false turns fallback off', async () => {
    const { data, response, requestId } = await client.chat.completions.create(ask('hi', { model: 'z-ai/glm-5' })).withResponse();
    assert.equal(response.headers.get('x-llmbase-fallback-applied'), 'true');
    assert.equal(response.headers.get('x-llmbase-requested-model'), 'z-ai/glm-5');
    assert.equal(data.model, response.headers.get('x-llmbase-served-model'));
    assert.ok(requestId);
    const error = await client.chat.completions
      .create(ask('hi', { model: 'z-ai/glm-5' }), { fallback: false, maxRetries: 0 })
      .catch((e) => e);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'model_unavailable');
  });
});

describe('models.metadata and balance', () => {
  test('metadata is normalised, cached for the TTL, and refreshed on request', async () => {
    let requests = 0;
    const count = (e) => {
      if (e.url.includes('metadata')) requests += 1;
    };
    server.stats.events.on('request', count);
    try {
      const fresh = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url });
      const first = await fresh.models.metadata();
      const model = first.data.find((m) => m.id === 'deepseek/deepseek-v4-flash');
      assert.ok(model.supported_features.includes('tools'));
      assert.equal(typeof model.pricing.input, 'number');
      await fresh.models.metadata();
      assert.equal(requests, 1, 'second call served from the cache');
      await fresh.models.metadata({ refresh: true });
      assert.equal(requests, 2);
    } finally {
      server.stats.events.off('request', count);
    }
  });

  test('balance.retrieve() returns the balance, which drops after a completion', async () => {
    const before = await client.balance.retrieve();
    assert.equal(before.object, 'balance');
    assert.equal(before.currency, 'USD');
    await client.chat.completions.create(ask('spend a little'));
    const afterSpend = await client.balance.retrieve();
    assert.ok(afterSpend.balance < before.balance);
  });
});
