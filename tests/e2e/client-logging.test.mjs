// node:test e2e: logLevel / LLMBASE_LOG / logger, the key never in a log line, headers on errors, models.list().withResponse().
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import LLMBase, { InvalidArgumentError, RateLimitError } from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';

const FLASH = 'deepseek/deepseek-v4-flash';
const KEY = 'llmbase_logging_secret_key_4242';
const ask = (content, extra = {}) => ({ model: FLASH, messages: [{ role: 'user', content }], ...extra });

/** A logger that keeps every line, with its level, as the text a console would print. */
function recordingLogger() {
  const lines = [];
  const keep =
    (level) =>
    (...args) =>
      lines.push({ level, text: args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' ') });
  return { lines, logger: { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

let server;
before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 0 });
});
after(async () => {
  await server.close();
});

describe('logging', () => {
  test('debug logs each request, response and timing; the key and Authorization never appear', async () => {
    const { lines, logger } = recordingLogger();
    const client = new LLMBase({ apiKey: KEY, baseURL: server.url, logLevel: 'debug', logger });
    await client.chat.completions.create(ask('Say hello'));
    const stream = await client.chat.completions.create(ask('Say hello', { stream: true }));
    for await (const chunk of stream) assert.ok(chunk);
    // A retried request: the first attempt gets a 503, the retry succeeds.
    await client.chat.completions.create(ask('retry me'), {
      headers: { 'x-llmbase-test-fault': 'fail-first:1:503:0', 'x-llmbase-test-attempt-key': 'log-retry' },
    });
    await assert.rejects(client.chat.completions.create(ask('no'), { maxRetries: 0, headers: { 'x-llmbase-test-fault': 'status:400' } }));
    const texts = lines.map((l) => l.text);
    assert.ok(
      texts.some((t) => /request POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/.test(t)),
      texts.join('\n')
    );
    assert.ok(texts.some((t) => /response 200 POST .*chat\/completions after \d+ ms/.test(t)));
    assert.ok(texts.some((t) => /chat done in \d+ ms/.test(t)));
    assert.ok(
      lines.some((l) => l.level === 'info' && /retrying chat in \d+ ms/.test(l.text)),
      texts.join('\n')
    );
    assert.ok(texts.some((t) => /chat failed after \d+ ms: BadRequestError/.test(t)));
    assert.ok(
      texts.some((t) => t.includes("'Authorization', '[redacted]'")),
      'the Authorization header is shown redacted'
    );
    for (const line of lines) {
      assert.ok(!line.text.includes(KEY), `key in log line: ${line.text}`);
      assert.ok(!line.text.includes(KEY.slice(8)), `part of the key in log line: ${line.text}`);
    }
  });

  test('LLMBASE_LOG sets the level; the option wins; "off" and the default "warn" print no request lines', async () => {
    const saved = process.env.LLMBASE_LOG;
    try {
      process.env.LLMBASE_LOG = 'debug';
      const fromEnv = recordingLogger();
      await new LLMBase({ apiKey: KEY, baseURL: server.url, logger: fromEnv.logger }).models.list();
      assert.ok(fromEnv.lines.some((l) => l.text.includes('request GET')));
      const off = recordingLogger();
      await new LLMBase({ apiKey: KEY, baseURL: server.url, logger: off.logger, logLevel: 'off' }).models.list();
      assert.deepEqual(off.lines, []);
      delete process.env.LLMBASE_LOG;
      const quiet = recordingLogger();
      await new LLMBase({ apiKey: KEY, baseURL: server.url, logger: quiet.logger }).models.list();
      assert.deepEqual(quiet.lines, []);
      process.env.LLMBASE_LOG = 'verbose';
      assert.throws(
        () => new LLMBase({ apiKey: KEY }),
        (e) => e instanceof InvalidArgumentError && /LLMBASE_LOG/.test(e.message) && /debug/.test(e.message)
      );
    } finally {
      if (saved === undefined) delete process.env.LLMBASE_LOG;
      else process.env.LLMBASE_LOG = saved;
    }
  });

  test('bad logLevel and logger options are typed errors naming the option', () => {
    assert.throws(
      () => new LLMBase({ apiKey: KEY, logLevel: 'loud' }),
      (e) => e instanceof InvalidArgumentError && e.param === 'logLevel'
    );
    assert.throws(
      () => new LLMBase({ apiKey: KEY, logger: { debug() {} } }),
      (e) => e instanceof InvalidArgumentError && e.param === 'logger' && /logger\.info/.test(e.message)
    );
  });
});

describe('errors and responses', () => {
  test('a 429 error carries x-request-id, the retry-after headers and the x-llmbase-* headers', async () => {
    const client = new LLMBase({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
    const error = await client.chat.completions.create(ask('hi'), { headers: { 'x-llmbase-test-fault': 'rate-limit:3' } }).then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof RateLimitError, `got ${error}`);
    assert.match(error.requestId, /^req_/);
    assert.equal(error.headers['x-request-id'], error.requestId);
    assert.equal(error.headers['retry-after'], '3');
    assert.equal(error.headers['retry-after-ms'], '3000');
    assert.ok(
      Object.keys(error.headers).some((name) => name.startsWith('x-llmbase-')),
      Object.keys(error.headers).join(', ')
    );
  });

  test('models.list().withResponse() gives the page, the Response and the request id', async () => {
    const client = new LLMBase({ apiKey: KEY, baseURL: server.url });
    const { data, response, requestId } = await client.models.list().withResponse();
    assert.equal(data.object, 'list');
    assert.ok(data.data.some((m) => m.id === FLASH));
    assert.equal(response.status, 200);
    assert.match(requestId, /^req_/);
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(
      ids,
      data.data.map((m) => m.id)
    );
  });
});
