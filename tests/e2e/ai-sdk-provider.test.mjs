// node:test: the real `ai` package (generateText, streamText, Output, tool loops) on llmbase-wasm/ai-sdk against the local server.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError, generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
// Through the package's own exports map (a self-reference), as an app imports it.
import defaultProvider, { createLLMBase, llmbase as namedDefault } from 'llmbase-wasm/ai-sdk';
import { FLASH, KEY, nextEvent, startTestServer } from './helpers/server.mjs';

const NO_TOOLS = 'qwen/qwen3.5-9b'; // supported_features: [] in the local catalog

let server;
let llmbase;
const chats = []; // chat bodies as the server received them
const completions = []; // what the server billed

const weatherTool = () =>
  tool({
    description: 'The current weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, tempC: 21 }),
  });

before(async () => {
  // A small delay between chunks, so that an abort lands mid-stream.
  server = await startTestServer({ chunkDelayMs: 5 });
  server.stats.events.on('chat-request', (event) => chats.push(event.body));
  server.stats.events.on('completion', (event) => completions.push(event));
  llmbase = createLLMBase({ apiKey: KEY, baseURL: server.url });
  globalThis.AI_SDK_LOG_WARNINGS = false; // the tests read the warnings; no console noise
});

after(async () => {
  await server?.close();
});

beforeEach(() => {
  chats.length = 0;
  completions.length = 0;
});

describe('llmbase-wasm/ai-sdk: generateText and streamText', () => {
  it('generateText returns the text, usage with cached tokens, the cost and the x-llmbase headers', async () => {
    const call = () =>
      generateText({
        model: llmbase(FLASH),
        system: 'You are terse.',
        prompt: 'echo: cached prefix test',
        providerOptions: { llmbase: { promptCacheKey: 'conversation-1' } },
      });
    await call();
    const result = await call(); // same prefix under the same prompt_cache_key: cached tokens
    assert.equal(result.text, 'cached prefix test');
    assert.equal(result.finishReason, 'stop');
    const served = completions[1];
    assert.equal(result.usage.inputTokens, served.usage.prompt_tokens);
    assert.ok(served.usage.prompt_tokens_details.cached_tokens > 0, 'the local server reports a cache hit');
    assert.equal(result.usage.inputTokenDetails.cacheReadTokens, served.usage.prompt_tokens_details.cached_tokens);
    assert.equal(result.usage.outputTokens, served.usage.completion_tokens);
    const meta = result.providerMetadata.llmbase;
    assert.ok(Math.abs(meta.cost.usd - served.cost) < 1e-12, `cost ${meta.cost.usd} is what the server billed (${served.cost})`);
    assert.equal(meta.cost.cachedTokens, served.usage.prompt_tokens_details.cached_tokens);
    assert.ok(meta.maxCostUSD >= meta.cost.usd, 'the worst case before sending bounds the actual cost');
    assert.equal(meta.servedModel, FLASH);
    assert.equal(result.response.headers['x-llmbase-served-model'], FLASH);
    assert.equal(result.response.headers['x-llmbase-requested-model'], FLASH);
    assert.deepEqual(chats[1].messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'echo: cached prefix test' },
    ]);
    assert.equal(chats[1].prompt_cache_key, 'conversation-1');
  });

  it('streamText streams exactly the text, and the same reply as generateText', async () => {
    const echoed = streamText({ model: llmbase(FLASH), prompt: 'echo: Grüße, 東京 🚀 — *markdown* stays `verbatim`' });
    const deltas = [];
    for await (const delta of echoed.textStream) deltas.push(delta);
    assert.ok(deltas.length > 1, 'the text arrived in several deltas');
    assert.equal(deltas.join(''), 'Grüße, 東京 🚀 — *markdown* stays `verbatim`');
    chats.length = 0;
    completions.length = 0;

    const options = { model: llmbase(FLASH), prompt: 'Tell me about streaming.', reasoning: 'low', maxOutputTokens: 300 };
    const streamed = streamText(options);
    const types = new Set();
    for await (const part of streamed.fullStream) types.add(part.type);
    const whole = await generateText(options);
    assert.equal(await streamed.text, whole.text);
    assert.ok(whole.text.length > 0);
    assert.equal(await streamed.reasoningText, whole.reasoningText);
    assert.ok(whole.reasoningText.length > 0, 'a reasoning model thinks first');
    for (const type of ['reasoning-start', 'reasoning-delta', 'reasoning-end', 'text-start', 'text-delta', 'text-end', 'finish']) {
      assert.ok(types.has(type), `fullStream has ${type}`);
    }
    assert.equal(chats[0].reasoning_effort, 'low');
    assert.equal(chats[0].max_tokens, 300);
    assert.equal(chats[0].stream, true);
    const meta = (await streamed.providerMetadata).llmbase;
    assert.ok(meta.cost.usd > 0);
    assert.equal((await streamed.response).headers['x-llmbase-served-model'], FLASH);
    assert.equal((await streamed.usage).outputTokens, completions[0].usage.completion_tokens);
  });

  it('the default provider reads LLMBASE_API_KEY and LLMBASE_BASE_URL when first used', async () => {
    assert.equal(defaultProvider, namedDefault);
    process.env.LLMBASE_API_KEY = KEY;
    process.env.LLMBASE_BASE_URL = server.url;
    try {
      const { text } = await generateText({ model: defaultProvider(FLASH), prompt: 'echo: from the environment' });
      assert.equal(text, 'from the environment');
      assert.equal(defaultProvider.client.baseURL, server.url);
    } finally {
      delete process.env.LLMBASE_API_KEY;
      delete process.env.LLMBASE_BASE_URL;
    }
    assert.throws(
      () => defaultProvider.embeddingModel('x'),
      (error) => error.name === 'AI_NoSuchModelError'
    );
  });

  it('maps the call settings and providerOptions.llmbase onto the request', async () => {
    await generateText({
      model: llmbase(FLASH, { reasoningEffort: 'high' }),
      prompt: 'echo: settings',
      temperature: 0.4,
      topP: 0.9,
      stopSequences: ['END'],
      seed: 7,
      maxOutputTokens: 50,
      headers: { 'x-app': 'tests' },
      providerOptions: { llmbase: { reasoningEffort: 'low', fallback: false, chatTemplateKwargs: { enable_thinking: false } } },
    });
    const body = chats[0];
    assert.deepEqual(
      {
        temperature: body.temperature,
        top_p: body.top_p,
        stop: body.stop,
        seed: body.seed,
        max_tokens: body.max_tokens,
        reasoning_effort: body.reasoning_effort,
        kwargs: body.chat_template_kwargs,
      },
      { temperature: 0.4, top_p: 0.9, stop: ['END'], seed: 7, max_tokens: 50, reasoning_effort: 'low', kwargs: { enable_thinking: false } }
    );
    const request = await nextRequestHeaders(() =>
      generateText({
        model: llmbase(FLASH),
        prompt: 'echo: h',
        headers: { 'x-app': 'tests' },
        providerOptions: { llmbase: { fallback: false } },
      })
    );
    assert.equal(request['x-app'], 'tests');
    assert.equal(request['x-llmbase-fallback'], 'off');
    await assert.rejects(
      generateText({ model: llmbase(FLASH), prompt: 'echo: x', maxRetries: 0, providerOptions: { llmbase: { reasoningEfort: 'low' } } }),
      (error) => error.name === 'AI_InvalidArgumentError' && /providerOptions\.llmbase\.reasoningEfort/.test(error.message)
    );
  });

  it('sends images as image_url parts', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await generateText({
      model: llmbase('google/gemma-4-26b-a4b-it'),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: png, mediaType: 'image/png' },
            { type: 'image', image: png }, // no media type: read from the bytes
            { type: 'image', image: new URL('https://example.com/cat.jpg') }, // LLMBase fetches URLs itself
          ],
        },
      ],
    });
    const dataUrl = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    assert.deepEqual(chats[0].messages[0].content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: dataUrl } },
      { type: 'image_url', image_url: { url: dataUrl } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ]);
  });
});

/** The headers of the chat request that `run` causes. */
async function nextRequestHeaders(run) {
  const seen = nextEvent(server.stats.events, 'chat-request');
  await run();
  return (await seen).headers;
}

describe('llmbase-wasm/ai-sdk: structured output and tools', () => {
  it('structured output with a zod 4 schema parses into the schema', async () => {
    const schema = z.object({ city: z.string(), population: z.number().int().min(1), sights: z.array(z.string()) });
    const { output } = await generateText({ model: llmbase(FLASH), prompt: 'Describe Lisbon', output: Output.object({ schema }) });
    assert.equal(schema.safeParse(output).success, true);
    assert.equal(output.city, 'Describe Lisbon', 'the local server fills the first string with the prompt');
    assert.equal(chats[0].response_format.type, 'json_schema');
    assert.deepEqual(chats[0].response_format.json_schema.schema.required.sort(), ['city', 'population', 'sights']);
  });

  it('runs a multi-step tool loop: tool call, tool result back, then the answer', async () => {
    const result = await generateText({
      model: llmbase(FLASH),
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: weatherTool() },
      stopWhen: stepCountIs(3),
    });
    assert.equal(result.steps.length, 2);
    assert.deepEqual(
      result.steps[0].toolCalls.map((c) => [c.toolName, c.input]),
      [['get_weather', { city: 'Paris' }]]
    );
    assert.equal(result.steps[0].finishReason, 'tool-calls');
    assert.match(result.text, /get_weather returned \{"city":"Paris","tempC":21\}/);
    // The second request carried the assistant's tool call and the tool's result.
    const [assistant, toolResult] = chats[1].messages.slice(-2);
    assert.equal(assistant.tool_calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { city: 'Paris' });
    assert.deepEqual(
      { role: toolResult.role, id: toolResult.tool_call_id, content: toolResult.content },
      { role: 'tool', id: assistant.tool_calls[0].id, content: '{"city":"Paris","tempC":21}' }
    );
    assert.deepEqual(chats[0].tools[0].function.parameters.properties, { city: { type: 'string' } });
  });

  it('streams tool-input deltas and the tool call', async () => {
    const result = streamText({
      model: llmbase(FLASH),
      prompt: 'What is the weather in Rome?',
      tools: { get_weather: weatherTool() },
      toolChoice: 'required',
    });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);
    const deltas = parts
      .filter((p) => p.type === 'tool-input-delta')
      .map((p) => p.delta)
      .join('');
    assert.deepEqual(JSON.parse(deltas), { city: 'Rome' });
    const call = parts.find((p) => p.type === 'tool-call');
    assert.deepEqual([call.toolName, call.input], ['get_weather', { city: 'Rome' }]);
    assert.equal(parts.find((p) => p.type === 'tool-input-start').id, call.toolCallId);
    assert.equal(chats[0].tool_choice, 'required');
  });
});

describe('llmbase-wasm/ai-sdk: abort and validation', () => {
  it('abort mid-stream ends the stream and closes the connection to the server', async () => {
    const controller = new AbortController();
    const closed = nextEvent(server.stats.events, 'client-closed');
    let aborted = false;
    const result = streamText({
      model: llmbase(FLASH),
      prompt: `echo: ${'many words '.repeat(300)}`,
      abortSignal: controller.signal,
      onAbort: () => {
        aborted = true;
      },
    });
    let text = '';
    const types = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === 'text-delta') {
        text += part.text;
        if (types.filter((t) => t === 'text-delta').length === 2) controller.abort();
      }
    }
    assert.equal(types.at(-1), 'abort');
    assert.ok(aborted, 'onAbort ran');
    assert.ok(text.length > 0 && text.length < 'many words '.repeat(300).length, 'only part of the text arrived');
    const event = await closed;
    assert.ok(event.chunksSent > 0, 'the server saw the connection close mid-stream');
    assert.equal(completions.length, 0, 'the server never finished (or billed) the reply');
  });

  it('error mode: tools on a model without tools is an APICallError and nothing is sent', async () => {
    const requests = [];
    const onRequest = (event) => requests.push(event.url);
    server.stats.events.on('request', onRequest);
    try {
      await assert.rejects(
        generateText({
          model: llmbase(NO_TOOLS),
          prompt: 'What is the weather in Paris?',
          tools: { get_weather: weatherTool() },
          maxRetries: 0,
        }),
        (error) => {
          assert.ok(APICallError.isInstance(error));
          assert.equal(error.isRetryable, false);
          assert.equal(error.statusCode, undefined, 'no HTTP status: the request never left');
          assert.match(error.message, /tools: Model qwen\/qwen3\.5-9b does not support tool calling/);
          assert.equal(error.data.findings[0].path, 'tools');
          assert.equal(error.data.findings[0].code, 'unsupported_feature');
          return true;
        }
      );
    } finally {
      server.stats.events.off('request', onRequest);
    }
    assert.equal(chats.length, 0, 'the server received no chat request');
    assert.ok(
      requests.every((url) => !url.includes('/chat/completions')),
      `only metadata was fetched: ${requests.join(', ')}`
    );
  });

  it('warn mode: the unsupported tools become an AI SDK warning and are not sent', async () => {
    const result = await generateText({
      model: llmbase(NO_TOOLS),
      prompt: 'echo: no tools here',
      tools: { get_weather: weatherTool() },
      providerOptions: { llmbase: { validation: 'warn' } },
    });
    assert.equal(result.text, 'no tools here');
    const warning = result.warnings.find((w) => w.feature === 'tools');
    assert.equal(warning.type, 'unsupported');
    assert.match(warning.details, /does not support tool calling/);
    assert.equal(chats.length, 1);
    assert.equal('tools' in chats[0], false, 'tools were left out of the request');
    assert.equal('tool_choice' in chats[0], false);

    const streamed = streamText({
      model: llmbase(NO_TOOLS, { validation: 'warn' }),
      prompt: 'echo: streamed',
      tools: { get_weather: weatherTool() },
    });
    const parts = [];
    for await (const part of streamed.fullStream) parts.push(part);
    assert.equal(await streamed.text, 'streamed');
    assert.ok((await streamed.warnings).some((w) => w.type === 'unsupported' && w.feature === 'tools'));
  });

  it('a stream cut short mid-way is an error part after the text that arrived, never a clean finish', async () => {
    const errors = [];
    const result = streamText({
      model: llmbase(FLASH),
      prompt: `echo: ${'cut here '.repeat(60)}`,
      headers: { 'x-llmbase-test-fault': 'drop-after:4' },
      onError: ({ error }) => errors.push(error),
    });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);
    const text = parts
      .filter((p) => p.type === 'text-delta')
      .map((p) => p.text)
      .join('');
    assert.ok(text.length > 0 && 'cut here '.repeat(60).startsWith(text) && text.length < 'cut here '.repeat(60).length);
    assert.equal(errors.length, 1);
    assert.ok(APICallError.isInstance(errors[0]));
    assert.match(errors[0].message, /connection|incomplete|closed|ended/i);
    assert.equal(await result.finishReason, 'error');
  });

  it('budgetUSD refuses a call whose worst case is above it, before sending', async () => {
    await assert.rejects(
      generateText({
        model: llmbase(FLASH),
        prompt: 'echo: expensive',
        maxOutputTokens: 30000,
        maxRetries: 0,
        providerOptions: { llmbase: { budgetUSD: 0.000001 } },
      }),
      (error) => APICallError.isInstance(error) && error.data.findings.some((f) => f.code === 'over_budget')
    );
    assert.equal(chats.length, 0);
  });

  it('an API error from the server is an APICallError with its status and headers', async () => {
    await assert.rejects(
      generateText({ model: llmbase('no/such-model', { validation: 'off' }), prompt: 'echo: x', maxRetries: 0 }),
      (error) =>
        APICallError.isInstance(error) &&
        error.statusCode === 404 &&
        error.isRetryable === false &&
        typeof error.responseHeaders['x-request-id'] === 'string'
    );
  });
});
