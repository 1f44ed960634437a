// node:test end-to-end: validation against model metadata and cost checks, with the local server counting what was sent.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import LLMBase, { ValidationError, BadRequestError, LLMBaseError, validateRequest } from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';

const KEY = 'llmbase_validation_key';
const TEXT_ONLY = 'qwen/qwen3.5-9b';
const tool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
const ask = (model, extra = {}) => ({ model, messages: [{ role: 'user', content: 'Weather in Paris?' }], ...extra });

let server;
let completions = 0;
const countCompletions = (e) => {
  if (e.url.startsWith('/v1/chat/completions')) completions += 1;
};

before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 0 });
  server.stats.events.on('request', countCompletions);
});
after(() => server.close());

const newClient = (options = {}) => new LLMBase({ apiKey: KEY, baseURL: server.url, ...options });

describe('validation: "error" (default)', () => {
  test('tools on a text-only model throw ValidationError and nothing is sent', async () => {
    const before = completions;
    const error = await newClient()
      .chat.completions.create(ask(TEXT_ONLY, { tools: [tool] }))
      .catch((e) => e);
    assert.ok(error instanceof ValidationError, `got ${error}`);
    assert.ok(error instanceof LLMBaseError);
    const finding = error.findings.find((f) => f.path === 'tools');
    assert.equal(finding.code, 'unsupported_feature');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /deepseek\/deepseek-v4-flash|qwen\/qwen3-coder/, 'names models that do support tools');
    assert.equal(completions, before, 'no completion request reached the server');
  });

  test('the same request without validation is refused by the server with 400, as predicted', async () => {
    const error = await newClient({ validation: 'off' })
      .chat.completions.create(ask(TEXT_ONLY, { tools: [tool] }))
      .catch((e) => e);
    assert.ok(error instanceof BadRequestError, `got ${error}`);
    assert.equal(error.param, 'tools');
  });

  test('an image part on a model without image input points at the part', async () => {
    const params = {
      model: TEXT_ONLY,
      messages: [
        { role: 'system', content: 'Describe images.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    };
    const error = await newClient()
      .chat.completions.create(params)
      .catch((e) => e);
    assert.ok(error instanceof ValidationError);
    assert.ok(
      error.findings.some((f) => f.path.startsWith('messages[1].content[1]') && f.code === 'unsupported_modality'),
      JSON.stringify(error.findings)
    );
  });

  test('allowParams lets a named parameter through', async () => {
    const error = await newClient()
      .chat.completions.create(ask(TEXT_ONLY, { tools: [tool] }), { allowParams: ['tools'] })
      .catch((e) => e);
    assert.ok(error instanceof BadRequestError, 'sent, and refused by the server instead');
  });

  test('shape errors are refused before any request, metadata included', async () => {
    let requests = 0;
    const count = () => {
      requests += 1;
    };
    server.stats.events.on('request', count);
    try {
      const error = await newClient()
        .chat.completions.create(ask(TEXT_ONLY, { temperature: 3 }))
        .catch((e) => e);
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.findings.map((f) => [f.path, f.code]),
        [['temperature', 'out_of_range']]
      );
      assert.equal(requests, 0);
    } finally {
      server.stats.events.off('request', count);
    }
  });

  test('an unknown model goes out with a warning (the server answers 404)', async () => {
    const warnings = [];
    const error = await newClient({ onWarning: (f) => warnings.push(...f) })
      .chat.completions.create(ask('someone/new-model'))
      .catch((e) => e);
    assert.equal(error.status, 404);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['unknown_model']
    );
  });
});

describe('validation: "warn" and "off"', () => {
  test('"warn" sends a request the validator would refuse, and reports the findings to onWarning', async () => {
    const warnings = [];
    const before = completions;
    const client = newClient({ validation: 'warn', onWarning: (findings) => warnings.push(...findings) });
    const error = await client.chat.completions.create(ask(TEXT_ONLY, { tools: [tool] })).catch((e) => e);
    assert.equal(completions, before + 1, 'the request was sent');
    assert.ok(error instanceof BadRequestError, 'and LLMBase refused it, as the finding said it would');
    assert.deepEqual(
      warnings.map((f) => [f.path, f.code]),
      [['tools', 'unsupported_feature']]
    );
  });

  test('findings that do not block are reported on the result, off the JSON', async () => {
    const params = ask('minimax/minimax-m2.5', {
      response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object' } } },
    });
    const completion = await newClient().chat.completions.create(params);
    assert.deepEqual(
      completion.validation.findings.map((f) => f.code),
      ['json_schema_needs_structured_outputs']
    );
    assert.ok(!('validation' in JSON.parse(JSON.stringify(completion))), 'the JSON stays OpenAI-shaped');
    const stream = await newClient().chat.completions.create({ ...params, stream: true });
    assert.deepEqual(
      stream.validation.findings.map((f) => f.code),
      ['json_schema_needs_structured_outputs']
    );
    await stream.finalChatCompletion();
  });

  test('"off" skips validation entirely', async () => {
    const error = await newClient()
      .chat.completions.create(ask(TEXT_ONLY, { tools: [tool] }), { validation: 'off' })
      .catch((e) => e);
    assert.ok(error instanceof BadRequestError);
  });

  test('metadata that cannot be fetched never blocks: the request goes out with a warning', async () => {
    const warnings = [];
    // A fetch that fails the metadata endpoints only.
    const fetchImpl = (url, init) => (String(url).includes('metadata') ? Promise.reject(new TypeError('fetch failed')) : fetch(url, init));
    const client = newClient({ fetch: fetchImpl, maxRetries: 0, onWarning: (f) => warnings.push(...f) });
    const completion = await client.chat.completions.create(ask(TEXT_ONLY));
    assert.equal(completion.object, 'chat.completion');
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['metadata_unavailable']
    );
  });
});

describe('cost', () => {
  test('estimateCost gives the worst case from max_tokens at the output price', async () => {
    const client = newClient();
    const estimate = await client.estimateCost(ask('deepseek/deepseek-v4-flash', { max_tokens: 1000 }));
    const model = (await client.models.metadata()).data.find((m) => m.id === 'deepseek/deepseek-v4-flash');
    assert.equal(estimate.maxCompletionTokens, 1000);
    assert.ok(estimate.promptTokens > 0);
    const expected = (estimate.promptTokens * model.pricing.input + 1000 * model.pricing.output) / 1e6;
    assert.ok(Math.abs(estimate.maxCostUSD - expected) < 1e-12, `${estimate.maxCostUSD} vs ${expected}`);
  });

  test('a completion carries its actual cost, equal to what the server charged', async () => {
    const client = newClient();
    const charged = new Promise((resolve) => server.stats.events.once('completion', (e) => resolve(e.cost)));
    const completion = await client.chat.completions.create(ask(TEXT_ONLY, { max_tokens: 50 }));
    assert.equal(completion.cost.priced, true);
    assert.equal(completion.cost.promptTokens, completion.usage.prompt_tokens);
    assert.ok(Math.abs(completion.cost.usd - (await charged)) < 1e-12, `${completion.cost.usd} vs ${await charged}`);
  });

  test("a stream's final completion carries its cost too", async () => {
    const stream = await newClient().chat.completions.create(ask(TEXT_ONLY, { stream: true }));
    for await (const _ of stream);
    const final = await stream.finalChatCompletion();
    assert.ok(final.cost.usd > 0);
  });

  test('budgetUSD refuses a request whose worst case exceeds it, before sending', async () => {
    const before = completions;
    const error = await newClient({ budgetUSD: 0.000001 })
      .chat.completions.create(ask(TEXT_ONLY, { max_tokens: 4000 }))
      .catch((e) => e);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.findings.at(-1).code, 'over_budget');
    assert.equal(completions, before);
    const ok = await newClient().chat.completions.create(ask(TEXT_ONLY, { max_tokens: 20 }), { budgetUSD: 1 });
    assert.equal(ok.object, 'chat.completion');
  });

  test('balance.check compares the worst case with the live balance', async () => {
    const client = newClient();
    const small = await client.balance.check(ask(TEXT_ONLY, { max_tokens: 10 }));
    assert.equal(small.sufficient, true);
    assert.equal(small.currency, 'USD');
    const saved = server.stats.balance;
    server.stats.balance = 0.0000001;
    try {
      const check = await client.balance.check(ask(TEXT_ONLY, { max_tokens: 4000 }));
      assert.equal(check.sufficient, false);
      assert.ok(check.maxCostUSD > check.balance);
    } finally {
      server.stats.balance = saved;
    }
  });
});

describe('validateRequest and client.validate', () => {
  test('validateRequest(params, modelMetadata) works offline on one model entry', async () => {
    const entry = { id: 'x/y', supported_features: ['json_mode'], max_output_length: 100 };
    const result = await validateRequest(
      {
        model: 'x/y',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema: {} } },
        max_tokens: 500,
      },
      entry
    );
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.findings.map((f) => [f.path, f.code, f.severity]),
      [
        ['max_tokens', 'exceeds_max_output', 'error'],
        ['response_format.type', 'json_schema_needs_structured_outputs', 'warning'],
      ]
    );
  });

  test('client.validate uses the live metadata', async () => {
    const result = await newClient().validate(ask('deepseek/deepseek-v4-flash', { tools: [tool], reasoning_effort: 'high' }));
    assert.deepEqual(result, { ok: true, findings: [] });
  });
});
