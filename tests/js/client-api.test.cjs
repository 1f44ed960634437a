// Jest: the npm surface (LLMBase, errors, stream) over the real wasm module, with an injected fetch.
'use strict';
const llmbase = require('../../dist/index.cjs');
const { fetchServing } = require('./helpers/fixtures.cjs');

const { LLMBase } = llmbase;
const KEY = 'llmbase_jest_secret_key_0123456789';
const params = { model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'user', content: 'hi' }] };
const completionBody = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: params.model,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};
const jsonFetch = (status, body, headers) =>
  fetchServing([Buffer.from(JSON.stringify(body))], { status, contentType: 'application/json', headers });

describe('new LLMBase()', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('defaults baseURL to https://api.llmbase.ai/v1 and reads LLMBASE_API_KEY / LLMBASE_BASE_URL', () => {
    delete process.env.LLMBASE_BASE_URL;
    delete process.env.LLMBASE_API_KEY;
    expect(new LLMBase().baseURL).toBe('https://api.llmbase.ai/v1');
    process.env.LLMBASE_API_KEY = 'llmbase_from_env';
    process.env.LLMBASE_BASE_URL = 'http://127.0.0.1:1234/v1';
    const client = new LLMBase();
    expect(client.apiKey).toBe('llmbase_from_env');
    expect(client.baseURL).toBe('http://127.0.0.1:1234/v1');
  });

  it('does not show the key when the client is logged or serialised', () => {
    const client = new LLMBase({ apiKey: KEY });
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(require('util').inspect(client, { depth: 5 })).not.toContain(KEY);
  });
});

describe('chat.completions.create', () => {
  it('POSTs the params as given to {baseURL}/chat/completions with a Bearer key', async () => {
    const fetch = jsonFetch(200, completionBody);
    // Validation off: this test is about the wire format of the one request.
    const client = new LLMBase({
      apiKey: KEY,
      baseURL: 'http://example.test/v1/',
      fetch,
      defaultHeaders: { 'X-Team': 'a' },
      validation: 'off',
    });
    const body = { ...params, temperature: 0.5, chat_template_kwargs: { enable_thinking: false }, some_new_param: 1 };
    const completion = await client.chat.completions.create(body, { headers: { 'X-Trace': 't1' } });
    expect(completion).toEqual(completionBody);
    expect(fetch.seen).toHaveLength(1);
    const { url, init } = fetch.seen[0];
    expect(url).toBe('http://example.test/v1/chat/completions');
    expect(init.method).toBe('POST');
    const headers = Object.fromEntries(init.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-team']).toBe('a');
    expect(headers['x-trace']).toBe('t1');
    expect(JSON.parse(init.body)).toEqual(body);
  });

  it('sends X-LLMBase-Fallback: off on the chat POST when fallback is false', async () => {
    // The metadata is handed in, so the chat POST is the only request and nothing else can carry the header.
    const headersOfChatPost = async (options) => {
      const fetch = jsonFetch(200, completionBody);
      const client = new LLMBase({
        apiKey: KEY,
        baseURL: 'http://example.test/v1',
        fetch,
        modelMetadata: [{ id: params.model }],
        ...options,
      });
      await client.chat.completions.create(params);
      expect(fetch.seen.map(({ url, init }) => `${init.method} ${url}`)).toEqual(['POST http://example.test/v1/chat/completions']);
      return fetch.seen[0].init.headers.map(([n, v]) => `${n.toLowerCase()}=${v}`);
    };
    expect(await headersOfChatPost({ fallback: false })).toContain('x-llmbase-fallback=off');
    // The default leaves LLMBase's smart fallback on: no header at all.
    expect((await headersOfChatPost({})).filter((h) => h.startsWith('x-llmbase-fallback'))).toEqual([]);
  });

  it.each([
    [400, 'invalid_request_error', undefined, 'BadRequestError'],
    [401, 'invalid_api_key', undefined, 'AuthenticationError'],
    [402, 'insufficient_balance', undefined, 'InsufficientBalanceError'],
    [403, 'forbidden', undefined, 'PermissionDeniedError'],
    [404, 'model_not_found', undefined, 'NotFoundError'],
    [409, 'conflict', undefined, 'ConflictError'],
    [422, 'unprocessable', undefined, 'UnprocessableEntityError'],
    [429, 'too_many_concurrent_requests', 'RateLimitError', 'ConcurrencyLimitError'],
    [429, 'rate_limited', undefined, 'RateLimitError'],
    [500, 'server_error', undefined, 'InternalServerError'],
    [503, 'unavailable', undefined, 'InternalServerError'],
  ])('maps HTTP %i (%s) to a typed error', async (status, code, parentName, className) => {
    const body = { error: { message: `failed with ${code}`, type: 'invalid_request_error', code, param: 'tools' } };
    const client = new LLMBase({
      apiKey: KEY,
      baseURL: 'http://example.test/v1',
      maxRetries: 0,
      fetch: jsonFetch(status, body, { 'x-request-id': 'req_42' }),
    });
    const error = await client.chat.completions.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase[className]);
    expect(error).toBeInstanceOf(llmbase.APIError);
    expect(error).toBeInstanceOf(llmbase.LLMBaseError);
    if (parentName) expect(error).toBeInstanceOf(llmbase[parentName]);
    expect(error.name).toBe(className);
    expect(error).toMatchObject({ status, code, param: 'tools', type: 'invalid_request_error', requestId: 'req_42' });
    expect(error.message).toBe(`failed with ${code}`);
  });

  it('never puts the key into an error, even when the server echoes it', async () => {
    const body = { error: { message: `Key ${KEY} is not valid`, code: 'invalid_api_key' } };
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch: jsonFetch(401, body) });
    const error = await client.chat.completions.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.AuthenticationError);
    expect(error.message).not.toContain(KEY);
    expect(String(error.stack)).not.toContain(KEY);
  });

  it('gives a non-JSON error body as a readable message', async () => {
    const fetch = fetchServing([Buffer.from('<html>Bad gateway</html>')], { status: 502, contentType: 'text/html' });
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch, maxRetries: 0 });
    const error = await client.chat.completions.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.InternalServerError);
    expect(error.message).toBe('HTTP 502: <html>Bad gateway</html>');
  });

  it('refuses an llmbase_chat_ key for the inference host before any request', async () => {
    const fetch = jsonFetch(200, completionBody);
    const client = new LLMBase({ apiKey: 'llmbase_chat_abcdefghijkl', fetch });
    const error = await client.chat.completions.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.AuthenticationError);
    expect(error.message).toContain('https://llmbase.ai/api/v1/agents');
    expect(error.message).not.toContain('llmbase_chat_abcdefghijkl');
    expect(fetch.seen).toHaveLength(0);
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: '', messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm' }, 'messages'],
  ])('refuses unusable params %j before any request, naming %s', async (bad, param) => {
    const fetch = jsonFetch(200, completionBody);
    // Default validation: the core's validator refuses it, with findings.
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch });
    const error = await client.chat.completions.create(bad).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.ValidationError);
    expect(error.findings.some((f) => f.severity === 'error' && f.path === param)).toBe(true);
    // Validation off: the request builder still refuses it.
    const unchecked = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch, validation: 'off' });
    const refused = await unchecked.chat.completions.create(bad).catch((e) => e);
    expect(refused).toBeInstanceOf(llmbase.InvalidArgumentError);
    expect(refused.param).toBe(param);
    expect(fetch.seen).toHaveLength(0);
  });

  it('requires a key for chat completions', async () => {
    const client = new LLMBase({ apiKey: '', baseURL: 'http://example.test/v1', fetch: jsonFetch(200, completionBody) });
    await expect(client.chat.completions.create(params)).rejects.toThrow(/LLMBASE_API_KEY/);
  });

  it('reports a fetch failure as APIConnectionError', async () => {
    const failing = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    };
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch: failing, maxRetries: 0 });
    const error = await client.chat.completions.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.APIConnectionError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('rejects at once with APIUserAbortError when the signal is already aborted', async () => {
    const fetch = jsonFetch(200, completionBody);
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch });
    const error = await client.chat.completions.create(params, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.APIUserAbortError);
    expect(fetch.seen).toHaveLength(0);
  });
});

describe('models.list', () => {
  it('GETs {baseURL}/models, works without a key, and iterates', async () => {
    const page = {
      object: 'list',
      data: [
        { id: 'a/b', object: 'model' },
        { id: 'c/d', object: 'model' },
      ],
    };
    const fetch = jsonFetch(200, page);
    const client = new LLMBase({ apiKey: '', baseURL: 'http://example.test/v1', fetch });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['a/b', 'c/d']);
    expect(fetch.seen[0].url).toBe('http://example.test/v1/models');
    expect(fetch.seen[0].init.method).toBe('GET');
  });
});

describe('models.metadata', () => {
  // A fetch answering per URL path, recording what was asked.
  function routedFetch(routes) {
    const seen = [];
    const fetch = async (url) => {
      seen.push(new URL(url).pathname + new URL(url).search);
      const route = routes[new URL(url).pathname + new URL(url).search];
      if (!route)
        return new Response(JSON.stringify({ error: { message: 'nope', code: 'not_found' } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        });
      return new Response(JSON.stringify(route), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    fetch.seen = seen;
    return fetch;
  }

  it('falls back to /models?metadata=true when /model-metadata is 404, and parses tolerantly', async () => {
    const fetch = routedFetch({
      '/v1/models?metadata=true': {
        models: [
          { id: 'a/one', supported_features: ['tools'], pricing: { prompt: '0.20', completion: '0.30' }, vendor_extra: { x: 1 } },
          { name: 'no id, skipped' },
        ],
      },
    });
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch, maxRetries: 0 });
    const list = await client.models.metadata();
    expect(fetch.seen).toEqual(['/v1/model-metadata', '/v1/models?metadata=true']);
    expect(list.object).toBe('list');
    expect(list.skipped).toBe(1);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      id: 'a/one',
      supported_features: ['tools'],
      pricing: { input: 0.2, output: 0.3 },
      vendor_extra: { x: 1 },
    });
  });

  it('accepts a top-level array and caches until refresh', async () => {
    const fetch = routedFetch({ '/v1/model-metadata': [{ id: 'b/two', context_length: 8192 }] });
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch, maxRetries: 0 });
    expect((await client.models.metadata()).data[0].context_length).toBe(8192);
    await client.models.metadata();
    expect(fetch.seen).toHaveLength(1);
    await client.models.metadata({ refresh: true });
    expect(fetch.seen).toHaveLength(2);
  });

  it('refuses a body of no known shape with a typed error', async () => {
    const fetch = routedFetch({ '/v1/model-metadata': { hello: 'world' } });
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch, maxRetries: 0 });
    const error = await client.models.metadata().catch((e) => e);
    expect(error).toBeInstanceOf(llmbase.APIError);
    expect(error.code).toBe('invalid_metadata');
  });
});

describe('APIPromise', () => {
  it('withResponse() gives the data, the Response and the request id', async () => {
    const fetch = jsonFetch(200, completionBody, { 'x-request-id': 'req_7', 'x-llmbase-served-model': 'a/b' });
    const client = new LLMBase({ apiKey: KEY, baseURL: 'http://example.test/v1', fetch });
    const { data, response, requestId } = await client.chat.completions.create(params).withResponse();
    expect(data).toEqual(completionBody);
    expect(response.headers.get('x-llmbase-served-model')).toBe('a/b');
    expect(requestId).toBe('req_7');
  });
});

describe('allowMissingKey', () => {
  it('sends requests without Authorization to a key-adding proxy instead of refusing them', async () => {
    const fetch = jsonFetch(200, completionBody);
    const client = new LLMBase({ apiKey: '', baseURL: 'http://proxy.test/v1', fetch, allowMissingKey: true, validation: 'off' });
    await client.chat.completions.create(params);
    const names = fetch.seen[0].init.headers.map(([n]) => n.toLowerCase());
    expect(names).not.toContain('authorization');
  });
});
