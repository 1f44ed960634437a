// A server that echoes the caller's key into every error field and header: no string of a JS error, nor a line either CLI prints, may hold it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import LLMBase from '../../dist/index.mjs';
import { assertNoSecret, contentFrame, hostileUpstream, keyEchoingError, onBody } from './helpers/hostile-upstream.mjs';
import { CLIS, runCli } from './helpers/cli.mjs';

const KEY = 'llmbase_echoed_secret_key_7731';
const HEADER_KEY = 'llmbase_header_given_key_4417'; // passed only as an Authorization header
const MODEL = 'deepseek/deepseek-v4-flash';

let server;

/** The credential the request carried (Authorization: Bearer X → X), echoed back everywhere below. */
function keyOf(req) {
  return String(req.headers.authorization ?? '').replace(/^Bearer /, '');
}

function echoHeaders(key) {
  return { 'x-request-id': `req_${key}`, 'x-echo-key': key, 'www-authenticate': `Bearer realm="${key}"` };
}

before(async () => {
  server = await hostileUpstream((req, res) => {
    const key = keyOf(req);
    if (req.method === 'GET') {
      // models, metadata, balance: a 401 that echoes the key in every field and header.
      return void res.writeHead(401, { 'content-type': 'application/json', ...echoHeaders(key) }).end(keyEchoingError(key));
    }
    onBody(req, (body) => {
      if (JSON.parse(body).stream !== true) {
        return void res.writeHead(401, { 'content-type': 'application/json', ...echoHeaders(key) }).end(keyEchoingError(key));
      }
      // A stream that starts, says the key, then fails with an error frame that echoes it.
      res.writeHead(200, { 'content-type': 'text/event-stream', ...echoHeaders(key) });
      res.write(contentFrame('partial '));
      res.end(`data: ${keyEchoingError(key)}\n\n`);
      return undefined;
    });
    return undefined;
  });
});

after(() => server?.close());

/** Every string a caller can read from `error`: its fields, its headers, its stack. */
function errorStrings(error) {
  return {
    message: error.message,
    code: error.code,
    param: error.param,
    type: error.type,
    requestId: error.requestId,
    headers: JSON.stringify(error.headers ?? null),
    stack: error.stack,
    string: String(error),
  };
}

function assertNoKey(error, key, label) {
  assert.ok(error instanceof Error, `${label}: an error`);
  for (const [field, value] of Object.entries(errorStrings(error))) {
    assert.ok(value === undefined || value === null || !String(value).includes(key), `${label}: error.${field} holds the key: ${value}`);
  }
}

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function drain(stream) {
  for await (const chunk of stream) void chunk;
}

describe('the JS client: an echoed key is in no error field', () => {
  const clients = {
    apiKey: () => new LLMBase({ apiKey: KEY, baseURL: server.url, maxRetries: 0, validation: 'off' }),
    'an Authorization header': () =>
      new LLMBase({
        apiKey: '',
        allowMissingKey: true,
        baseURL: server.url,
        maxRetries: 0,
        validation: 'off',
        defaultHeaders: { Authorization: `Bearer ${HEADER_KEY}` },
      }),
  };
  for (const [given, make] of Object.entries(clients)) {
    const key = given === 'apiKey' ? KEY : HEADER_KEY;

    it(`a 401 on chat.completions.create (key given as ${given})`, async () => {
      const error = await failure(make().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }));
      assert.equal(error.status, 401);
      assertNoKey(error, key, given);
      assert.match(error.code, /\[redacted\]/, 'the field came through, redacted');
      assert.match(error.headers['x-echo-key'], /\[redacted\]/, 'the header came through, redacted');
    });

    it(`an error frame inside a stream (key given as ${given})`, async () => {
      const stream = await make().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true });
      assertNoSecret(JSON.stringify([...stream.response.headers]), key, 'the response headers a caller reads');
      const error = await failure(drain(stream));
      assertNoKey(error, key, given);
      assert.equal(error.partial?.choices?.[0]?.message?.content, 'partial ');
    });

    it(`a 401 on models.list (key given as ${given})`, async () => {
      assertNoKey(await failure(make().models.list()), key, given);
    });
  }
});

describe('both CLIs: an echoed key is in nothing they print', () => {
  const runs = [
    ['chat (401)', ['chat', '--max-retries', '0', 'hi'], { LLMBASE_API_KEY: KEY }],
    ['chat --json (401)', ['chat', '--json', '--max-retries', '0', 'hi'], { LLMBASE_API_KEY: KEY }],
    ['models (401)', ['models', '--max-retries', '0'], { LLMBASE_API_KEY: KEY }],
    [
      'key given as --header',
      ['models', '--max-retries', '0', '--header', `Authorization: Bearer ${HEADER_KEY}`],
      { LLMBASE_API_KEY: KEY },
    ],
    ['malformed --header', ['models', '--header', `Bearer ${HEADER_KEY}`], { LLMBASE_API_KEY: KEY }],
  ];
  for (const [label, args, env] of runs) {
    it(`${label}: native and Node CLI, stdout and stderr`, async () => {
      for (const [cli, command, leading] of CLIS) {
        const { code, stdout, stderr } = await runCli(command, [...leading, ...args], {
          LLMBASE_BASE_URL: server.url,
          LLMBASE_MODEL: '',
          ...env,
        });
        assert.notEqual(code, 0, `${cli} ${label}: fails`);
        assert.ok(stderr.startsWith('llmbase: '), `${cli} ${label}: says why: ${stderr}`);
        for (const secret of [KEY, HEADER_KEY]) {
          assertNoSecret(stderr, secret, `${cli} ${label}: stderr`);
          assertNoSecret(stdout, secret, `${cli} ${label}: stdout`);
        }
      }
    });
  }
});
