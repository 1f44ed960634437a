// Both clients ask for gzip and read a gzip-encoded body exactly as an identity one: JS API, Node CLI and native CLI, streams and JSON.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import LLMBase from '../../dist/index.mjs';
import { hostileUpstream, onBody } from './helpers/hostile-upstream.mjs';
import { nativeCli, nodeCli, runCli } from './helpers/cli.mjs';

const KEY = 'llmbase_encoding_key';
const MODEL = 'deepseek/deepseek-v4-flash';
const PIECES = ['Hello', ', gzip', ' — 東京 🚀', '!'];
const MODELS = {
  object: 'list',
  data: [
    { id: MODEL, object: 'model', created: 1, owned_by: 'deepseek' },
    { id: 'qwen/qwen3.5-9b', object: 'model', created: 1, owned_by: 'qwen' },
  ],
};

let server;
const acceptEncodings = []; // what each request asked for

const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;

const completion = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: MODEL,
  choices: [{ index: 0, message: { role: 'assistant', content: PIECES.join('') }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};

/**
 * Writes `parts` in the encoding the test asked for (x-test-encoding), one network write per part;
 * gzip is flushed after each part, as a compressing server streams SSE.
 */
function send(res, status, type, parts, encoding) {
  if (encoding !== 'gzip') {
    res.writeHead(status, { 'content-type': type });
    const next = (i) => (i < parts.length ? res.write(parts[i], () => setTimeout(() => next(i + 1), 5)) : res.end());
    return next(0);
  }
  res.writeHead(status, { 'content-type': type, 'content-encoding': 'gzip' });
  const gzip = zlib.createGzip();
  gzip.pipe(res);
  const next = (i) => {
    if (i === parts.length) return void gzip.end();
    gzip.write(parts[i]);
    gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => setTimeout(() => next(i + 1), 5));
    return undefined;
  };
  return next(0);
}

before(async () => {
  server = await hostileUpstream((req, res) => {
    acceptEncodings.push(String(req.headers['accept-encoding'] ?? ''));
    const encoding = req.headers['x-test-encoding'];
    if (req.method === 'GET') return send(res, 200, 'application/json', [JSON.stringify(MODELS)], encoding);
    onBody(req, (body) => {
      if (JSON.parse(body).stream !== true) return send(res, 200, 'application/json', [JSON.stringify(completion)], encoding);
      const frames = [
        chunk({ role: 'assistant', content: '' }),
        ...PIECES.map((content) => chunk({ content })),
        chunk({}, 'stop'),
        'data: [DONE]\n\n',
      ];
      return send(res, 200, 'text/event-stream', frames, encoding);
    });
    return undefined;
  });
});

after(() => server?.close());

const run = (command, args) => runCli(command, args, { LLMBASE_API_KEY: KEY, LLMBASE_BASE_URL: server.url, LLMBASE_MODEL: '' });

describe('gzip and identity bodies', () => {
  it('both clients ask for gzip', async () => {
    acceptEncodings.length = 0;
    await run(nativeCli, ['models']);
    await new LLMBase({ apiKey: KEY, baseURL: server.url }).models.list();
    assert.equal(acceptEncodings.length, 2);
    for (const asked of acceptEncodings) assert.match(asked, /\bgzip\b/);
  });

  for (const encoding of ['identity', 'gzip']) {
    it(`JS API (${encoding}): a stream and a JSON completion read the same`, async () => {
      const client = new LLMBase({ apiKey: KEY, baseURL: server.url, validation: 'off', defaultHeaders: { 'x-test-encoding': encoding } });
      const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
      assert.equal(text, PIECES.join(''));
      const whole = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(whole.choices[0].message.content, PIECES.join(''));
      const models = await client.models.list();
      assert.deepEqual(
        models.data.map((m) => m.id),
        MODELS.data.map((m) => m.id)
      );
    });

    for (const args of [['chat', 'hi'], ['chat', '--json', 'hi'], ['models'], ['models', '--json']]) {
      it(`${args.join(' ')} (${encoding}): the native and the Node CLI print the same bytes as with identity`, async () => {
        const withHeader = [...args, '--header', `x-test-encoding: ${encoding}`];
        const plain = [...args, '--header', 'x-test-encoding: identity'];
        const [native, node, reference] = await Promise.all([
          run(nativeCli, withHeader),
          run(process.execPath, [nodeCli, ...withHeader]),
          run(nativeCli, plain),
        ]);
        assert.equal(native.code, 0, native.stderr);
        assert.equal(node.code, 0, node.stderr);
        assert.equal(native.stdout, reference.stdout, 'native: gzip reads as identity');
        assert.equal(node.stdout, native.stdout, 'Node and native print the same');
        if (args[0] === 'chat' && args.length === 2) assert.equal(native.stdout, `${PIECES.join('')}\n`);
      });
    }
  }
});
