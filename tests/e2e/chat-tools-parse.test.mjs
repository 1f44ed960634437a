// node:test e2e: runTools() over the core's ToolLoop and parse() over its JSON Schema validator, against the local server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import LLMBase, {
  APIUserAbortError,
  ContentFilterFinishReasonError,
  InvalidArgumentError,
  LengthFinishReasonError,
  StructuredOutputError,
  ToolLoopError,
  ValidationError,
  coreDiagnostics,
} from '../../dist/index.mjs';
import { startWithClient } from './helpers/server.mjs';

const FLASH = 'deepseek/deepseek-v4-flash';
const KEY = 'llmbase_tools_test_key';
const ask = (content, extra = {}) => ({ model: FLASH, messages: [{ role: 'user', content }], ...extra });
const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const zoneSchema = { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'], additionalProperties: false };
const tool = (name, parameters, fn, extra = {}) => ({ type: 'function', function: { name, parameters, function: fn, ...extra } });

let server;
let client;
before(async () => ({ server, client } = await startWithClient(LLMBase, KEY)));
after(() => server.close());

/** Resolves once `count` callers have arrived: proves the calls run at the same time. */
function barrier(count) {
  let arrived = 0;
  let open;
  const opened = new Promise((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === count) open();
    return opened;
  };
}

describe('chat.completions.runTools()', () => {
  test('runs parallel calls at once, sends the results back, and returns the answer', { timeout: 20_000 }, async () => {
    const arrive = barrier(2);
    const runner = client.chat.completions.runTools({
      ...ask('What is the weather in Paris and the time in Tokyo?'),
      tools: [
        tool(
          'get_weather',
          citySchema,
          async (args) => {
            await arrive();
            return { city: args.city, sky: 'sunny' };
          },
          { parse: JSON.parse }
        ),
        tool('get_time', zoneSchema, async (args) => {
          await arrive();
          return `12:00 in ${JSON.parse(args).zone}`;
        }),
      ],
    });
    const calls = [];
    const results = [];
    const roles = [];
    runner.on('functionToolCall', (call) => calls.push(call.name));
    runner.on('functionToolCallResult', (result) => results.push(result));
    runner.on('message', (message) => roles.push(message.role));
    const content = await runner.finalContent();
    assert.deepEqual(calls, ['get_weather', 'get_time']);
    assert.deepEqual(results, ['{"city":"Paris","sky":"sunny"}', '12:00 in Tokyo']);
    assert.deepEqual(roles, ['assistant', 'tool', 'tool', 'assistant']);
    assert.match(content, /get_weather returned \{"city":"Paris","sky":"sunny"\}; get_time returned 12:00 in Tokyo/);
    const completions = await runner.allChatCompletions();
    assert.equal(completions.length, 2);
    const usage = await runner.totalUsage();
    assert.equal(usage.total_tokens, completions[0].usage.total_tokens + completions[1].usage.total_tokens);
    assert.deepEqual(
      runner.messages.map((m) => m.role),
      ['user', 'assistant', 'tool', 'tool', 'assistant']
    );
    assert.equal((await coreDiagnostics()).activeCalls, 0);
  });

  test('arguments the core finds invalid go back to the model, and the function never runs', async () => {
    let ran = 0;
    // The local server fills strings with the city it read, which this pattern refuses.
    const strict = { type: 'object', properties: { city: { type: 'string', pattern: '^[0-9]+$' } }, required: ['city'] };
    const runner = client.chat.completions.runTools({
      ...ask('What is the weather in Paris?'),
      tools: [
        tool('get_weather', strict, () => {
          ran += 1;
          return 'never';
        }),
      ],
    });
    const content = await runner.finalContent();
    assert.equal(ran, 0);
    const toolMessage = runner.messages.find((m) => m.role === 'tool');
    assert.match(toolMessage.content, /\$\.city/);
    assert.match(toolMessage.content, /expected a string matching \/\^\[0-9\]\+\$\//);
    assert.match(content, /get_weather returned Error: invalid arguments/);
  });

  test('a thrown error becomes the tool result; past maxRepairs the run fails with ToolLoopError', async () => {
    const failing = () => [
      tool('get_weather', citySchema, () => {
        throw new Error('weather station offline');
      }),
    ];
    const repaired = client.chat.completions.runTools({ ...ask('What is the weather in Paris?'), tools: failing() });
    assert.match(await repaired.finalContent(), /get_weather returned Error: weather station offline/);
    const stopped = client.chat.completions.runTools({ ...ask('What is the weather in Paris?'), tools: failing() }, { maxRepairs: 0 });
    const error = await stopped.done().then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof ToolLoopError, `got ${error}`);
    assert.equal(error.code, 'max_repairs');
    assert.match(error.message, /weather station offline/);
  });

  test('stops at maxChatCompletions with a clear error', async () => {
    const runner = client.chat.completions.runTools(
      { ...ask('What is the weather in Paris?'), tools: [tool('get_weather', citySchema, () => 'rain')] },
      { maxChatCompletions: 1 }
    );
    const error = await runner.finalChatCompletion().then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof ToolLoopError, `got ${error}`);
    assert.equal(error.code, 'max_chat_completions');
    assert.match(error.message, /maxChatCompletions/);
  });

  test('bad options and tools without a function are typed errors', async () => {
    const bad = client.chat.completions.runTools(
      { ...ask('weather'), tools: [tool('get_weather', citySchema, () => 'x')] },
      { maxChatCompletions: 0 }
    );
    await assert.rejects(bad.done(), (e) => e instanceof InvalidArgumentError && /maxChatCompletions/.test(e.message));
    assert.throws(
      () =>
        client.chat.completions.runTools({
          ...ask('weather'),
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: citySchema } }],
        }),
      (e) => e instanceof InvalidArgumentError && e.param === 'tools[0].function.function'
    );
  });

  test('with stream: true, content events of the final answer reach the runner', async () => {
    const runner = client.chat.completions.runTools({
      ...ask('What is the weather in Paris?', { stream: true }),
      tools: [tool('get_weather', citySchema, () => 'rain')],
    });
    let text = '';
    runner.on('content', (delta) => {
      text += delta;
    });
    const content = await runner.finalContent();
    assert.ok(content.length > 20);
    assert.equal(text, content);
  });

  test('abort() while a tool runs ends the run with APIUserAbortError', async () => {
    let runner;
    runner = client.chat.completions.runTools({
      ...ask('What is the weather in Paris?'),
      tools: [
        tool('get_weather', citySchema, async () => {
          runner.abort();
          return 'late';
        }),
      ],
    });
    const events = [];
    runner.on('abort', () => events.push('abort'));
    await assert.rejects(runner.done(), APIUserAbortError);
    assert.deepEqual(events, ['abort']);
  });
});

describe('chat.completions.parse()', () => {
  const itemsSchema = {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        minItems: 3,
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, price: { type: 'number', minimum: 0 } },
          required: ['name', 'price'],
        },
      },
    },
    required: ['items'],
    additionalProperties: false,
  };
  const format = (schema) => ({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });

  test('returns message.parsed, checked against the schema', async () => {
    const completion = await client.chat.completions.parse({ ...ask('List three things'), response_format: format(itemsSchema) });
    const message = completion.choices[0].message;
    assert.deepEqual(message.parsed, JSON.parse(message.content));
    assert.equal(message.parsed.items.length, 3);
    assert.equal(typeof message.parsed.items[2].price, 'number');
  });

  test('zod users pass z.toJSONSchema(schema)', async () => {
    const Answer = z.object({ title: z.string(), score: z.number().int().min(1).max(5), tags: z.array(z.string()).min(1) });
    const completion = await client.chat.completions.parse({ ...ask('Rate this'), response_format: format(z.toJSONSchema(Answer)) });
    const parsed = completion.choices[0].message.parsed;
    assert.deepEqual(Answer.parse(parsed), parsed);
  });

  test('a reply that does not match raises StructuredOutputError naming the path and the rule, with the raw text', async () => {
    const coded = {
      ...itemsSchema,
      properties: {
        items: {
          ...itemsSchema.properties.items,
          items: { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{3}$' } }, required: ['code'] },
        },
      },
    };
    const error = await client.chat.completions.parse({ ...ask('List three codes'), response_format: format(coded) }).then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof StructuredOutputError, `got ${error}`);
    assert.equal(error.path, '$.items[0].code');
    assert.equal(error.rule, 'pattern');
    assert.match(error.message, /\$\.items\[0\]\.code/);
    assert.equal(error.errors.length, 3);
    assert.deepEqual(JSON.parse(error.raw).items.length, 3);
  });

  test('a schema the validator cannot check is refused before sending; create() warns, and refuses a malformed one', async () => {
    const sent = [];
    const counting = new LLMBase({
      apiKey: KEY,
      baseURL: server.url,
      fetch: (url, init) => {
        sent.push(url);
        return fetch(url, init);
      },
    });
    const dated = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } }, required: ['at'] };
    const refused = await counting.chat.completions.parse({ ...ask('When?'), response_format: format(dated) }).then(
      () => null,
      (e) => e
    );
    assert.ok(refused instanceof InvalidArgumentError, `got ${refused}`);
    assert.equal(refused.param, 'response_format.json_schema.schema.properties.at.format');
    assert.match(refused.message, /'format' is not implemented/);
    assert.deepEqual(
      sent.filter((url) => url.endsWith('/chat/completions')),
      []
    );
    // create() sends it (the provider may enforce `format`) and reports the same finding as a warning.
    const warned = await counting.chat.completions.create({ ...ask('When?'), response_format: format(dated) });
    assert.deepEqual(
      warned.validation.findings.map((f) => [f.code, f.severity, f.path]),
      [['invalid_json_schema', 'warning', 'response_format.json_schema.schema.properties.at.format']]
    );
    // A malformed schema (the same core check) is a ValidationError, in create() and in runTools().
    const broken = { type: 'object', properties: { n: { type: 'nummber' } } };
    const error = await counting.chat.completions.create({ ...ask('n?'), response_format: format(broken) }).then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof ValidationError, `got ${error}`);
    assert.equal(error.findings[0].path, 'response_format.json_schema.schema.properties.n.type');
    assert.equal(error.findings[0].code, 'invalid_json_schema');
    const tools = counting.chat.completions.runTools({ ...ask('n?'), tools: [tool('count', broken, () => 1)] });
    await assert.rejects(tools.done(), (e) => e instanceof InvalidArgumentError && /properties\.n\.type/.test(e.message));
    assert.equal(sent.filter((url) => url.endsWith('/chat/completions')).length, 1);
  });

  test('finish_reason "length" raises LengthFinishReasonError', async () => {
    await assert.rejects(
      client.chat.completions.parse({ ...ask('List three things'), max_tokens: 3, response_format: format(itemsSchema) }),
      LengthFinishReasonError
    );
  });

  test('finish_reason "content_filter" raises ContentFilterFinishReasonError', async () => {
    const filtered = async (url, init) => {
      const response = await fetch(url, init);
      if (!url.endsWith('/chat/completions')) return response;
      const body = await response.json();
      body.choices[0].finish_reason = 'content_filter';
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const filteredClient = new LLMBase({ apiKey: KEY, baseURL: server.url, fetch: filtered });
    await assert.rejects(
      filteredClient.chat.completions.parse({ ...ask('List three things'), response_format: format(itemsSchema) }),
      ContentFilterFinishReasonError
    );
  });

  test('while streaming, content.delta carries the partial object parsed by the core', async () => {
    const runner = client.chat.completions.stream({ ...ask('List three things'), response_format: format(itemsSchema) });
    const partials = [];
    runner.on('content.delta', ({ parsed }) => partials.push(parsed));
    const message = await runner.finalMessage();
    assert.ok(partials.length > 3);
    assert.ok(partials.filter((p) => p !== undefined).every((p) => typeof p === 'object'));
    assert.deepEqual(partials.at(-1), message.parsed);
    assert.deepEqual(message.parsed, JSON.parse(message.content));
    // Items appear one by one as their text arrives.
    const counts = partials.map((p) => (p && Array.isArray(p.items) ? p.items.length : 0));
    assert.ok(counts.includes(1) && counts.includes(3));
  });
});
