// The official openai npm package (v6) against the local server; every body and chunk checked against the OpenAI schemas.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { FLASH, KEY, getJson, startTestServer, userMessage } from './helpers/server.mjs';
import { assertChunk, assertCompletion, assertErrorBody, assertModel, assertModelList } from './helpers/schema.mjs';
import { accumulate } from './helpers/sse.mjs';

const WEATHER_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    assertChunk(chunk);
    chunks.push(chunk);
  }
  return chunks;
}

describe('openai SDK against the local server', () => {
  let server;
  let client;

  before(async () => {
    server = await startTestServer();
    client = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());

  it('lists models, with and without metadata, in the OpenAI list shape', async () => {
    const page = await client.models.list();
    assert.ok(page.data.some((model) => model.id === FLASH));
    const { body: plain } = await getJson(`${server.url}/models`);
    assertModelList(plain);
    assert.equal(plain.data[0].pricing, undefined, 'pricing only comes with ?metadata=true');
    const { body: rich } = await getJson(`${server.url}/models?metadata=true`);
    assertModelList(rich);
    const flash = rich.data.find((model) => model.id === FLASH);
    assert.deepEqual(Object.keys(flash.pricing).sort(), ['input', 'input_cache_read', 'output']);
    assert.ok(flash.supported_features.includes('reasoning'));
    const retrieved = await client.models.retrieve(FLASH);
    assertModel(retrieved);
    assert.equal(retrieved.id, FLASH);
  });

  it('creates a non-streaming completion that matches CreateChatCompletionResponse', async () => {
    const {
      data,
      response,
      request_id: requestId,
    } = await client.chat.completions
      .create({ model: 'qwen/qwen3.5-9b', messages: userMessage('Tell me about the local server.') })
      .withResponse();
    assertCompletion(data);
    assert.match(requestId, /^req_[0-9a-f]{24}$/);
    assert.match(data.id, /^chatcmpl-[0-9a-f]{24}$/);
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.choices[0].message.content.length > 200, 'a few sentences, long enough for a demo');
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
    assert.equal(response.headers.get('x-llmbase-served-model'), 'qwen/qwen3.5-9b');
  });

  it('streams chunks that each match CreateChatCompletionStreamResponse, usage on the finish chunk', async () => {
    const request = { model: 'qwen/qwen3.5-9b', messages: userMessage('Stream something, please.') };
    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true }));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant' });
    const last = chunks.at(-1);
    assert.equal(last.choices.length, 1, 'LLMBase puts usage on a chunk whose choices are not empty');
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.ok(last.usage.completion_tokens > 0);
    assert.equal(chunks.filter((chunk) => chunk.usage).length, 1);
    const { message } = accumulate(chunks);
    const single = await client.chat.completions.create(request);
    assert.equal(message.content, single.choices[0].message.content, 'stream and non-stream say the same');
    assert.deepEqual(last.usage, single.usage);
  });

  it('streams reasoning deltas (reasoning_content and its alias reasoning) before the content', async () => {
    const request = { model: FLASH, reasoning_effort: 'high', messages: userMessage('Think first, then answer.') };
    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true }));
    const reasoningChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.reasoning_content);
    assert.ok(reasoningChunks.length > 1);
    for (const chunk of reasoningChunks) assert.equal(chunk.choices[0].delta.reasoning, chunk.choices[0].delta.reasoning_content);
    const firstContent = chunks.findIndex((chunk) => chunk.choices[0]?.delta.content);
    assert.ok(chunks.indexOf(reasoningChunks.at(-1)) < firstContent, 'reasoning comes first');
    const single = await client.chat.completions.create(request);
    assertCompletion(single);
    const { message, usage } = accumulate(chunks);
    assert.equal(single.choices[0].message.reasoning_content, message.reasoning_content);
    assert.equal(single.choices[0].message.reasoning, message.reasoning_content);
    assert.ok(usage.completion_tokens_details.reasoning_tokens > 0);
  });

  it('returns parallel tool calls, non-streaming and streaming, then answers the tool results', async () => {
    const request = {
      model: FLASH,
      messages: userMessage('What is the weather in Paris and the time in Tokyo?'),
      tools: WEATHER_TOOLS,
      chat_template_kwargs: { enable_thinking: false },
    };
    const single = await client.chat.completions.create(request);
    assertCompletion(single);
    const choice = single.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.deepEqual(
      choice.message.tool_calls.map((call) => call.function.name),
      ['get_weather', 'get_time']
    );
    assert.deepEqual(JSON.parse(choice.message.tool_calls[0].function.arguments), { city: 'Paris', unit: 'celsius' });
    assert.deepEqual(JSON.parse(choice.message.tool_calls[1].function.arguments), { city: 'Tokyo' });

    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true }));
    const firstDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((call) => call.id);
    assert.deepEqual(
      firstDeltas.map((call) => [call.index, call.function.name]),
      [
        [0, 'get_weather'],
        [1, 'get_time'],
      ]
    );
    const argumentPieces = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((call) => !call.id);
    assert.ok(argumentPieces.length > 2, 'arguments arrive in pieces');
    const { message, finishReason } = accumulate(chunks);
    assert.equal(finishReason, 'tool_calls');
    assert.deepEqual(message.tool_calls, choice.message.tool_calls);

    const followUp = await client.chat.completions.create({
      ...request,
      messages: [
        ...request.messages,
        choice.message,
        { role: 'tool', tool_call_id: choice.message.tool_calls[0].id, content: '{"temp_c":18}' },
        { role: 'tool', tool_call_id: choice.message.tool_calls[1].id, content: '{"time":"21:00"}' },
      ],
    });
    assertCompletion(followUp);
    assert.equal(followUp.choices[0].finish_reason, 'stop');
    assert.match(followUp.choices[0].message.content, /get_weather returned \{"temp_c":18\}/);
  });

  it('returns logprobs that validate and spell out the content', async () => {
    const request = { model: 'openai/gpt-oss-120b', logprobs: true, top_logprobs: 2, messages: userMessage('Rank this.') };
    const single = await client.chat.completions.create(request);
    assertCompletion(single);
    const entries = single.choices[0].logprobs.content;
    assert.equal(entries.map((entry) => entry.token).join(''), single.choices[0].message.content);
    assert.ok(entries.every((entry) => entry.top_logprobs.length === 2 && entry.logprob < 0));
    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true }));
    const streamed = chunks.flatMap((chunk) => chunk.choices[0]?.logprobs?.content ?? []);
    assert.deepEqual(streamed, entries);
  });

  it('answers structured outputs with JSON following the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string' },
        year: { type: 'integer', minimum: 1900, maximum: 2100 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['title', 'year', 'tags'],
      additionalProperties: false,
    };
    const single = await client.chat.completions.create({
      model: 'moonshotai/kimi-k2.6',
      messages: userMessage('Extract the film data.'),
      response_format: { type: 'json_schema', json_schema: { name: 'film', schema } },
    });
    assertCompletion(single);
    const value = JSON.parse(single.choices[0].message.content);
    assert.deepEqual(Object.keys(value), ['title', 'year', 'tags']);
    assert.ok(Number.isInteger(value.year) && value.year >= 1900 && value.year <= 2100);
  });

  it('echoes hostile text verbatim, streaming and not', async () => {
    const hostile =
      '# Title\n\n```js\nalert("</script>")\n```\n<img src=x onerror=alert(1)>\r\ndata: [DONE]\n\n' +
      'Zürich 東京 👩‍👩‍👧‍👦 🇺🇦 e\u0301 \u2028\u2029 \\u0000 "quotes" ' +
      'ü'.repeat(300);
    const request = { model: 'qwen/qwen3.5-9b', messages: userMessage(`echo: ${hostile}`) };
    const single = await client.chat.completions.create(request);
    assert.equal(single.choices[0].message.content, hostile);
    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true }));
    assert.equal(accumulate(chunks).message.content, hostile);
    const noSpace = await client.chat.completions.create({ model: 'qwen/qwen3.5-9b', messages: userMessage('echo:  two spaces') });
    assert.equal(noSpace.choices[0].message.content, ' two spaces', 'only one leading space is trimmed');
  });

  it('stops at max_tokens with finish_reason "length"', async () => {
    const request = { model: 'qwen/qwen3.5-9b', messages: userMessage('Say a lot.') };
    const full = await client.chat.completions.create(request);
    const cut = await client.chat.completions.create({ ...request, max_tokens: 5 });
    assertCompletion(cut);
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.equal(cut.usage.completion_tokens, 5);
    assert.ok(full.choices[0].message.content.startsWith(cut.choices[0].message.content));
    const chunks = await collect(await client.chat.completions.create({ ...request, max_tokens: 5, stream: true }));
    assert.equal(accumulate(chunks).finishReason, 'length');
  });

  it('surfaces server errors as the SDK typed errors, with bodies matching ErrorResponse', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'qwen/qwen3.5-9b', messages: userMessage('hi'), tools: WEATHER_TOOLS }),
      (error) => error instanceof OpenAI.BadRequestError && error.param === 'tools' && error.code === 'unsupported_feature'
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'nobody/nothing', messages: userMessage('hi') }),
      (error) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found'
    );
    const anonymous = new OpenAI({ apiKey: 'llmbase_chat_abc', baseURL: server.url, maxRetries: 0 });
    await assert.rejects(
      anonymous.chat.completions.create({ model: FLASH, messages: userMessage('hi') }),
      (error) => error instanceof OpenAI.AuthenticationError && error.code === 'invalid_api_key'
    );
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST' });
    assertErrorBody(await response.json());
  });

  it('raises an APIError when an error frame arrives mid-stream', async () => {
    const stream = await client.chat.completions.create(
      { model: 'qwen/qwen3.5-9b', messages: userMessage('hi'), stream: true },
      { headers: { 'x-llmbase-test-fault': 'error-frame-after:3' } }
    );
    const seen = [];
    await assert.rejects(
      async () => {
        for await (const chunk of stream) seen.push(chunk);
      },
      (error) => error instanceof OpenAI.APIError && /Simulated upstream failure/.test(error.message)
    );
    assert.equal(seen.length, 3);
  });

  it('retries a fail-first 503 with retry-after-ms and then succeeds', async () => {
    const retrying = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 2 });
    const before = server.stats.completions;
    const completion = await retrying.chat.completions.create(
      { model: 'qwen/qwen3.5-9b', messages: userMessage('retry me') },
      { headers: { 'x-llmbase-test-fault': 'fail-first:2:503:0', 'x-llmbase-test-attempt-key': 'sdk-retry' } }
    );
    assertCompletion(completion);
    assert.equal(server.stats.completions, before + 1, 'only the successful attempt is billed');
  });
});
