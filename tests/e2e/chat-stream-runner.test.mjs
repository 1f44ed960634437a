// node:test e2e: chat.completions.stream() events and getters, aborts and connection loss, against the local server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import LLMBase, { APIConnectionError, APIError, APIUserAbortError, IncompleteStreamError, coreDiagnostics } from '../../dist/index.mjs';
import { nextEvent, startWithClient } from './helpers/server.mjs';

const FLASH = 'deepseek/deepseek-v4-flash';
const KEY = 'llmbase_runner_test_key';
const ask = (content, extra = {}) => ({ model: FLASH, messages: [{ role: 'user', content }], ...extra });
const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const timeTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
};

let server;
let client;
before(async () => ({ server, client } = await startWithClient(LLMBase, KEY)));
after(() => server.close());

describe('chat.completions.stream()', () => {
  test('for await yields the chunks, and content events add up to finalContent()', async () => {
    const runner = client.chat.completions.stream(ask('Say hello'));
    const order = [];
    let text = '';
    let snapshotsAgree = true;
    runner.on('connect', () => order.push('connect'));
    runner.on('content', (delta, snapshot) => {
      text += delta;
      // The core's snapshot is exactly the deltas delivered so far: it never runs ahead of the
      // events, although the transport reads ahead of them.
      if (snapshot !== text) snapshotsAgree = false;
    });
    runner.on('content.done', ({ content }) => order.push(`content.done:${content.length}`));
    runner.on('message', (message) => order.push(`message:${message.role}`));
    runner.on('chatCompletion', () => order.push('chatCompletion'));
    runner.on('end', () => order.push('end'));
    let chunks = 0;
    for await (const chunk of runner) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      chunks += 1;
    }
    const content = await runner.finalContent();
    assert.ok(chunks > 3);
    assert.equal(content, text);
    assert.ok(snapshotsAgree);
    assert.deepEqual(order, ['connect', `content.done:${text.length}`, 'message:assistant', 'chatCompletion', 'end']);
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.equal((await runner.finalMessage()).content, text);
    assert.deepEqual(await runner.totalUsage(), final.usage);
    assert.ok(final.usage.completion_tokens > 0);
    // Same reply as without streaming: the deterministic server and the core accumulator agree.
    const plain = await client.chat.completions.create(ask('Say hello'));
    assert.equal(plain.choices[0].message.content, text);
  });

  test('content.delta carries delta and snapshot; chunk listeners get the core snapshot', async () => {
    const runner = client.chat.completions.stream(ask('echo: one two three four five six seven'));
    const deltas = [];
    let lastChunkSnapshot;
    runner.on('content.delta', (event) => deltas.push({ delta: event.delta, snapshot: event.snapshot }));
    runner.on('chunk', (chunk, snapshot) => {
      lastChunkSnapshot = snapshot;
    });
    await runner.done();
    assert.equal(deltas.map((d) => d.delta).join(''), 'one two three four five six seven');
    assert.equal(deltas.at(-1).snapshot, 'one two three four five six seven');
    assert.equal(lastChunkSnapshot.object, 'chat.completion');
    assert.equal(lastChunkSnapshot.choices[0].message.content, 'one two three four five six seven');
    assert.equal(runner.currentChatCompletionSnapshot.choices[0].message.content, 'one two three four five six seven');
  });

  test('parallel tool calls: arguments deltas add up to each .done, with parsed_arguments', async () => {
    const runner = client.chat.completions.stream(
      ask('What is the weather in Paris and the time in Tokyo?', { tools: [weatherTool, timeTool] })
    );
    const pieces = new Map();
    const done = [];
    runner.on('tool_calls.function.arguments.delta', (event) => {
      pieces.set(event.index, (pieces.get(event.index) || '') + event.arguments_delta);
      assert.ok(event.arguments.startsWith(pieces.get(event.index)));
    });
    runner.on('tool_calls.function.arguments.done', (event) => done.push(event));
    const message = await runner.finalMessage();
    assert.equal(message.tool_calls.length, 2);
    assert.deepEqual(
      done.map((d) => d.name),
      ['get_weather', 'get_time']
    );
    for (const event of done) {
      assert.equal(event.arguments, pieces.get(event.index));
      assert.deepEqual(event.parsed_arguments, JSON.parse(message.tool_calls[event.index].function.arguments));
    }
    assert.equal(done[0].parsed_arguments.city, 'Paris');
  });

  test('logprobs.content.delta events add up to logprobs.content.done', async () => {
    const runner = client.chat.completions.stream({
      ...ask('echo: logprobs please'),
      model: 'openai/gpt-oss-120b',
      logprobs: true,
      top_logprobs: 2,
    });
    let count = 0;
    let doneTokens = null;
    runner.on('logprobs.content.delta', ({ content }) => {
      count += content.length;
    });
    runner.on('logprobs.content.done', ({ content }) => {
      doneTokens = content.map((t) => t.token).join('');
    });
    await runner.done();
    assert.ok(count > 0);
    assert.equal(doneTokens, 'logprobs please');
  });

  test('abort() emits abort, then error, then end; done() and the getters reject', async () => {
    const slow = new LLMBase({ apiKey: KEY, baseURL: server.url });
    const closed = nextEvent(server.stats.events, 'client-closed');
    const runner = slow.chat.completions.stream(ask('echo: stalled after the first words'), {
      headers: { 'x-llmbase-test-fault': 'stall:5000' },
    });
    const events = [];
    runner.on('abort', (error) => events.push(`abort:${error.name}`));
    runner.on('error', (error) => events.push(`error:${error.name}`));
    runner.on('end', () => events.push('end'));
    runner.once('content', () => runner.abort());
    await assert.rejects(runner.done(), APIUserAbortError);
    await assert.rejects(runner.finalContent(), APIUserAbortError);
    assert.deepEqual(events, ['abort:APIUserAbortError', 'error:APIUserAbortError', 'end']);
    await closed; // the server saw the connection go away
    assert.equal((await coreDiagnostics()).activeCalls, 0);
  });

  test('breaking out of for await aborts the request', async () => {
    const closed = nextEvent(server.stats.events, 'client-closed');
    const runner = client.chat.completions.stream(ask('echo: stalled after the first words'), {
      headers: { 'x-llmbase-test-fault': 'stall:5000' },
    });
    for await (const chunk of runner) {
      if (chunk.choices[0]?.delta?.content) break;
    }
    await assert.rejects(runner.done(), APIUserAbortError);
    await closed;
  });

  test("the caller's signal aborts the runner too", async () => {
    const controller = new AbortController();
    const runner = client.chat.completions.stream(ask('echo: stalled after the first words'), {
      signal: controller.signal,
      headers: { 'x-llmbase-test-fault': 'stall:5000' },
    });
    runner.once('content', () => controller.abort());
    await assert.rejects(runner.done(), APIUserAbortError);
  });

  test('a connection lost mid-stream is an IncompleteStreamError, an APIConnectionError, with the partial and the headers', async () => {
    const runner = client.chat.completions.stream(ask('echo: a reply long enough to be cut after a few frames'), {
      headers: { 'x-llmbase-test-fault': 'drop-after:4' },
    });
    let seen = '';
    runner.on('content', (delta) => {
      seen += delta;
    });
    const error = await runner.finalChatCompletion().then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof IncompleteStreamError, `got ${error}`);
    assert.ok(error instanceof APIConnectionError);
    assert.ok(error instanceof APIError);
    assert.equal(error.partial.choices[0].message.content, seen);
    assert.ok(seen.length > 0);
    assert.match(error.requestId, /^req_/);
    assert.equal(error.headers['x-llmbase-served-model'], FLASH);
  });

  test('an API error before the stream starts is an error event with status, x-request-id and retry headers', async () => {
    const runner = client.chat.completions.stream(ask('Say hello'), { maxRetries: 0, headers: { 'x-llmbase-test-fault': 'rate-limit:2' } });
    const viaEvent = nextEvent(runner, 'error');
    const error = await viaEvent;
    assert.equal(error.status, 429);
    assert.match(error.requestId, /^req_/);
    assert.equal(error.headers['retry-after'], '2');
    await assert.rejects(runner.done(), (e) => e === error);
  });

  test('a listener that throws ends the run with its error instead of being swallowed', async () => {
    const runner = client.chat.completions.stream(ask('Say hello'));
    runner.once('content', () => {
      throw new Error('listener bug');
    });
    await assert.rejects(runner.done(), /listener bug/);
    assert.equal((await coreDiagnostics()).activeCalls, 0);
  });
});
