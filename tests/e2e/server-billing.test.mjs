// Money and limits of the local server: balance, 402, the 20-request concurrency guard, smart fallback, prompt caching.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLASH, KEY, costFromPricing, getJson, nextEvent, postChat, startTestServer, userMessage, waitUntil } from './helpers/server.mjs';
import { assertErrorBody } from './helpers/schema.mjs';
import { accumulate, chunksOf, parseSse } from './helpers/sse.mjs';

const auth = { authorization: `Bearer ${KEY}` };

async function balanceOf(server) {
  const { body } = await getJson(`${server.url}/balance`, auth);
  assert.equal(body.object, 'balance');
  assert.equal(body.currency, 'USD');
  return body.balance;
}

async function pricingOf(server, id) {
  const { body } = await getJson(`${server.url}/model-metadata`);
  return body.data.find((model) => model.id === id).pricing;
}

describe('balance and billing', () => {
  let server;
  before(async () => {
    server = await startTestServer({ balance: 5 });
  });
  after(() => server.close());

  it('starts at the configured balance and lowers it by each completion priced from the catalog', async () => {
    assert.equal(await balanceOf(server), 5);
    const pricing = await pricingOf(server, 'moonshotai/kimi-k2.6');
    const response = await postChat(server, { model: 'moonshotai/kimi-k2.6', messages: userMessage('Price me.') });
    const { usage } = await response.json();
    const afterOne = await balanceOf(server);
    assert.ok(Math.abs(5 - afterOne - costFromPricing(pricing, usage)) < 1e-9);

    const streamed = await postChat(server, { model: 'moonshotai/kimi-k2.6', stream: true, messages: userMessage('Price me too.') });
    const { usage: streamUsage } = accumulate(chunksOf(parseSse(await streamed.text()).events).chunks);
    const afterTwo = await balanceOf(server);
    assert.ok(Math.abs(afterOne - afterTwo - costFromPricing(pricing, streamUsage)) < 1e-9);
  });

  it('does not bill refused requests', async () => {
    const before = await balanceOf(server);
    await postChat(server, { model: 'qwen/qwen3.5-9b', messages: [] });
    await postChat(server, { model: 'qwen/qwen3.5-9b', messages: userMessage('x') }, { headers: { 'x-llmbase-test-fault': 'status:500' } });
    assert.equal(await balanceOf(server), before);
  });

  it('bills cached prompt tokens at input_cache_read on a prompt_cache_key hit', async () => {
    const pricing = await pricingOf(server, FLASH);
    const body = {
      model: FLASH,
      prompt_cache_key: 'conversation-42',
      messages: [
        { role: 'system', content: 'You are a careful assistant. '.repeat(40) },
        { role: 'user', content: 'First question?' },
      ],
      max_tokens: 10,
    };
    const first = await (await postChat(server, body)).json();
    assert.equal(first.usage.prompt_tokens_details.cached_tokens, 0, 'the first request only warms the cache');
    const before = await balanceOf(server);
    const second = await (
      await postChat(server, { ...body, messages: [body.messages[0], { role: 'user', content: 'Second question?' }] })
    ).json();
    const cached = second.usage.prompt_tokens_details.cached_tokens;
    assert.ok(cached > 0 && cached < second.usage.prompt_tokens);
    assert.ok(Math.abs(before - (await balanceOf(server)) - costFromPricing(pricing, second.usage)) < 1e-9);
  });
});

describe('402 insufficient_balance', () => {
  let server;
  before(async () => {
    server = await startTestServer({ balance: 0.001 });
  });
  after(() => server.close());

  it('refuses a request whose worst case (prompt + max_output_length) exceeds the balance', async () => {
    const response = await postChat(server, { model: FLASH, messages: userMessage('hi') });
    assert.equal(response.status, 402);
    const body = await response.json();
    assertErrorBody(body);
    assert.equal(body.error.code, 'insufficient_balance');
    assert.equal(await balanceOf(server), 0.001, 'a refused request costs nothing');
  });

  it('serves the same request once max_tokens brings the worst case under the balance', async () => {
    const response = await postChat(server, { model: FLASH, messages: userMessage('hi'), max_tokens: 100 });
    assert.equal(response.status, 200);
    await response.json();
    assert.ok((await balanceOf(server)) < 0.001);
  });

  it('lets tests set the balance through stats', async () => {
    server.stats.balance = 0;
    assert.equal((await postChat(server, { model: FLASH, messages: userMessage('hi'), max_tokens: 1 })).status, 402);
  });
});

describe('429 too_many_concurrent_requests', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('serves 20 concurrent requests and refuses the 21st, then frees the slots on abort', async () => {
    const controllers = Array.from({ length: 21 }, () => new AbortController());
    const closed = [];
    server.stats.events.on('client-closed', (event) => closed.push(event));
    // stall keeps each stream open (holding its slot) right after its first content chunk.
    const responses = await Promise.all(
      controllers.map((controller, i) =>
        postChat(
          server,
          { model: 'qwen/qwen3.5-9b', stream: true, messages: userMessage(`request ${i}`) },
          { headers: { 'x-llmbase-test-fault': 'stall:60000' }, signal: controller.signal }
        )
      )
    );
    const statuses = responses.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 200).length, 20);
    const refused = responses.find((response) => response.status === 429);
    const body = await refused.json();
    assertErrorBody(body);
    assert.equal(body.error.code, 'too_many_concurrent_requests');
    assert.equal(body.error.message, 'Too many active inference requests. Retry after current requests finish.');
    assert.equal(server.stats.inflight, 20);
    assert.equal(server.stats.maxInflight, 20);

    for (const controller of controllers) controller.abort();
    await waitUntil(() => server.stats.inflight === 0 && closed.length === 20, 'all slots to be released');
    const again = await postChat(server, { model: 'qwen/qwen3.5-9b', messages: userMessage('after'), max_tokens: 5 });
    assert.equal(again.status, 200, 'slots are free again');
  });
});

describe('smart fallback headers', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('sends x-llmbase-* headers on every completion, streaming or not, with fallback not applied', async () => {
    for (const stream of [false, true]) {
      const response = await postChat(server, { model: FLASH, stream, messages: userMessage('hi'), max_tokens: 5 });
      assert.equal(response.headers.get('x-llmbase-requested-model'), FLASH);
      assert.equal(response.headers.get('x-llmbase-served-model'), FLASH);
      assert.equal(response.headers.get('x-llmbase-fallback-applied'), 'false');
      assert.equal(response.headers.get('x-llmbase-fallback-reason'), null);
      assert.match(response.headers.get('x-request-id'), /^req_/);
      await response.text();
    }
  });

  it('serves an unavailable catalog model (z-ai/glm-5) with its fallback and bills the cheaper model', async () => {
    const before = await balanceOf(server);
    const completionEvent = nextEvent(server.stats.events, 'completion');
    const response = await postChat(server, { model: 'z-ai/glm-5', messages: userMessage('hi') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-llmbase-requested-model'), 'z-ai/glm-5');
    assert.equal(response.headers.get('x-llmbase-served-model'), 'z-ai/glm-5.1');
    assert.equal(response.headers.get('x-llmbase-fallback-applied'), 'true');
    assert.equal(response.headers.get('x-llmbase-fallback-reason'), 'model_unavailable');
    assert.equal(response.headers.get('x-llmbase-fallback-chain'), 'z-ai/glm-5,z-ai/glm-5.1');
    const body = await response.json();
    assert.equal(body.model, 'z-ai/glm-5.1', 'the body names the model that produced the reply');
    const { cost } = await completionEvent;
    assert.ok(Math.abs(cost - costFromPricing(await pricingOf(server, 'z-ai/glm-5'), body.usage)) < 1e-12, 'glm-5 is the cheaper one');
    assert.ok(Math.abs(before - (await balanceOf(server)) - cost) < 1e-9);
  });

  it('hard-fails with 503 model_unavailable when X-LLMBase-Fallback: off', async () => {
    const response = await postChat(
      server,
      { model: 'z-ai/glm-5', messages: userMessage('hi') },
      { headers: { 'X-LLMBase-Fallback': 'off' } }
    );
    assert.equal(response.status, 503);
    const body = await response.json();
    assertErrorBody(body);
    assert.equal(body.error.code, 'model_unavailable');
  });

  it('keeps fallback capability-safe (the `unavailable` fault on a model with tools)', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    const response = await postChat(
      server,
      { model: FLASH, messages: userMessage('hi'), tools, max_tokens: 20 },
      { headers: { 'x-llmbase-test-fault': 'unavailable' } }
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-llmbase-served-model'), 'qwen/qwen3-coder', 'the first catalog model with tools');
    const plain = await postChat(
      server,
      { model: FLASH, messages: userMessage('hi'), max_tokens: 20 },
      { headers: { 'x-llmbase-test-fault': 'unavailable' } }
    );
    assert.equal(plain.headers.get('x-llmbase-served-model'), 'qwen/qwen3.5-9b', 'the first other catalog model');
    const images = await postChat(
      server,
      {
        model: 'paddlepaddle/paddleocr-vl-0.9b',
        messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f' } }] }],
        max_tokens: 20,
      },
      { headers: { 'x-llmbase-test-fault': 'unavailable' } }
    );
    assert.equal(
      images.headers.get('x-llmbase-served-model'),
      'nvidia/nemotron-3-nano-omni-30b-a3b-reasoning',
      'the only other model taking files'
    );
    await Promise.all([response.text(), plain.text(), images.text()]);
  });

  it('counts requests and completions in stats', async () => {
    const { requests, completions } = server.stats;
    await (await postChat(server, { model: FLASH, messages: userMessage('hi'), max_tokens: 3 })).text();
    await (await fetch(`${server.url}/models`)).text();
    assert.equal(server.stats.requests, requests + 2);
    assert.equal(server.stats.completions, completions + 1);
  });
});
