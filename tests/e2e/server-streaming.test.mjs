// Streaming behaviour of the local server: chunk order and shape, determinism, budgets, thinking flags, incremental delivery and abort.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLASH, nextEvent, postChat, startTestServer, userMessage, waitUntil } from './helpers/server.mjs';
import { assertChunk } from './helpers/schema.mjs';
import { accumulate, chunksOf, parseSse } from './helpers/sse.mjs';

async function streamOf(server, body, headers = {}) {
  const response = await postChat(server, { stream: true, ...body }, { headers });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const { events } = parseSse(await response.text());
  const parsed = chunksOf(events);
  for (const chunk of parsed.chunks) assertChunk(chunk);
  return { ...parsed, requestId: response.headers.get('x-request-id') };
}

describe('streaming', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('sends role, varied content chunks, then the finish chunk with usage, then [DONE] and nothing else', async () => {
    const { chunks, done, afterDone } = await streamOf(server, { model: 'qwen/qwen3.5-9b', messages: userMessage('Describe streaming.') });
    assert.ok(done);
    assert.equal(afterDone, 0);
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant' });
    const content = chunks.slice(1, -1);
    assert.ok(content.length > 10, 'many content chunks');
    assert.ok(
      content.every(
        (chunk) => typeof chunk.choices[0].delta.content === 'string' && chunk.choices[0].finish_reason === null && !chunk.usage
      )
    );
    assert.ok(new Set(content.map((chunk) => chunk.choices[0].delta.content.length)).size > 3, 'boundaries vary');
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(Object.keys(last.usage).slice(0, 3), ['prompt_tokens', 'completion_tokens', 'total_tokens']);
    assert.equal(new Set(chunks.map((chunk) => `${chunk.id} ${chunk.created} ${chunk.model}`)).size, 1, 'same id, created and model');
  });

  it('is deterministic: the same request gives the same chunks; streaming and not agree', async () => {
    const body = { model: FLASH, messages: userMessage('Determinism check'), temperature: 0.3 };
    const one = await streamOf(server, body);
    const two = await streamOf(server, body);
    const deltas = (result) => result.chunks.map((chunk) => chunk.choices[0].delta);
    assert.deepEqual(deltas(one), deltas(two));
    const single = await (await postChat(server, body)).json();
    const { message, usage } = accumulate(one.chunks);
    assert.equal(single.choices[0].message.content, message.content);
    assert.equal(single.choices[0].message.reasoning_content, message.reasoning_content);
    assert.deepEqual(single.usage, usage);
    const other = await streamOf(server, { ...body, messages: userMessage('Something else entirely') });
    assert.notEqual(accumulate(other.chunks).message.content, message.content);
  });

  it('counts usage with the documented rule (ceil(code points / 4), 4 tokens per message, 3 to prime)', async () => {
    const text = 'echo: 12345678';
    const { chunks } = await streamOf(server, { model: 'qwen/qwen3.5-9b', messages: userMessage(text) });
    const { usage, message } = accumulate(chunks);
    assert.equal(message.content, '12345678');
    assert.equal(usage.prompt_tokens, 3 + 4 + Math.ceil(text.length / 4));
    assert.equal(usage.completion_tokens, 2);
  });

  it('cuts at max_tokens: a prefix of the full reply, finish_reason "length"', async () => {
    const body = { model: FLASH, messages: userMessage('Long answer please') };
    const full = accumulate((await streamOf(server, body)).chunks);
    const cut = accumulate((await streamOf(server, { ...body, max_tokens: 20 })).chunks);
    assert.equal(cut.finishReason, 'length');
    assert.equal(cut.usage.completion_tokens, 20);
    assert.ok(full.message.reasoning_content.startsWith(cut.message.reasoning_content));
    assert.ok(full.message.content.startsWith(cut.message.content));
  });

  it('honours reasoning_effort and the thinking flags (top level or inside a literal extra_body)', async () => {
    const base = { model: FLASH, messages: userMessage('Think?') };
    const length = async (extra) => accumulate((await streamOf(server, { ...base, ...extra })).chunks).message.reasoning_content.length;
    assert.ok((await length({ reasoning_effort: 'high' })) > (await length({ reasoning_effort: 'low' })));
    assert.equal(await length({ reasoning_effort: 'none' }), 0);
    assert.equal(await length({ chat_template_kwargs: { enable_thinking: false } }), 0);
    assert.equal(await length({ extra_body: { chat_template_kwargs: { thinking: false } } }), 0);
    assert.equal(await length({ model: 'qwen/qwen3.5-9b' }), 0, 'no reasoning on a model without the feature');
  });

  it('calls the first tool for tool_choice "required", the named one for a function choice, none for "none"', async () => {
    const tools = ['alpha_tool', 'beta_tool'].map((name) => ({
      type: 'function',
      function: { name, parameters: { type: 'object', properties: { n: { type: 'integer' } } } },
    }));
    const names = async (toolChoice) =>
      accumulate(
        (
          await streamOf(server, {
            model: 'qwen/qwen3-coder',
            messages: userMessage('no hints here'),
            tools,
            tool_choice: toolChoice,
          })
        ).chunks
      ).message.tool_calls.map((call) => call.function.name);
    assert.deepEqual(await names('required'), ['alpha_tool']);
    assert.deepEqual(await names({ type: 'function', function: { name: 'beta_tool' } }), ['beta_tool']);
    assert.deepEqual(await names('none'), []);
    assert.deepEqual(await names('auto'), []);
  });

  it('streams incrementally and emits stream-end with the request id once the body is written', async () => {
    const slow = await startTestServer({ chunkDelayMs: 1 });
    try {
      let ended = false;
      const endEvent = nextEvent(slow.stats.events, 'stream-end').then((event) => {
        ended = true;
        return event;
      });
      const response = await postChat(
        slow,
        { model: 'qwen/qwen3.5-9b', stream: true, messages: userMessage('incremental') },
        { headers: { 'x-llmbase-test-fault': 'stall:60000' } }
      );
      const reader = response.body.getReader();
      let text = '';
      while (!text.includes('"content"')) text += new TextDecoder().decode((await reader.read()).value);
      assert.equal(ended, false, 'the first content arrived while the server was still writing');
      await reader.cancel();
      await waitUntil(() => slow.stats.inflight === 0, 'the cancelled stream to release its slot');

      const full = await postChat(slow, { model: 'qwen/qwen3.5-9b', stream: true, messages: userMessage('to the end') });
      await full.text();
      const event = await endEvent;
      assert.equal(event.requestId, full.headers.get('x-request-id'));
      assert.equal(event.outcome, 'done');
    } finally {
      await slow.close();
    }
  });

  it('reports client-closed with chunksSent when the client aborts, frees the slot and bills nothing', async () => {
    const controller = new AbortController();
    const balance = server.stats.balance;
    const closed = nextEvent(server.stats.events, 'client-closed');
    const response = await postChat(
      server,
      { model: FLASH, stream: true, messages: userMessage('abort me') },
      { headers: { 'x-llmbase-test-fault': 'stall:60000' }, signal: controller.signal }
    );
    const requestId = response.headers.get('x-request-id');
    const reader = response.body.getReader();
    let text = '';
    while (!text.includes('"reasoning_content"')) text += new TextDecoder().decode((await reader.read()).value);
    assert.equal(server.stats.inflight, 1);
    controller.abort();
    assert.deepEqual(await closed, { requestId, chunksSent: 2 });
    await waitUntil(() => server.stats.inflight === 0, 'the aborted stream to release its slot');
    assert.equal(server.stats.balance, balance);
  });
});
