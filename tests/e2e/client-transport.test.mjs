// node:test end-to-end: the fetch transport's read-ahead bound, total timeout, redirects, slots and wasm call handles.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import LLMBase, { APIConnectionTimeoutError, APIError, APIUserAbortError, coreDiagnostics } from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';
import { startEndlessServer } from './helpers/endless-server.mjs';

const MODEL = 'qwen/qwen3.5-9b';
const ask = (content, extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content }], ...extra });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('reading as the consumer pulls', () => {
  let endless;
  before(async () => {
    endless = await startEndlessServer();
  });
  after(() => endless.close());

  test('a consumer that stops pulling stops the reads: the server is held back, the wasm heap stays small', async () => {
    const client = new LLMBase({ apiKey: 'llmbase_x', baseURL: endless.url, validation: 'off', maxRetries: 0 });
    const heapBefore = (await coreDiagnostics()).heapBytes;
    const stream = await client.chat.completions.create(ask('forever', { stream: true }));
    const iterator = stream[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    // The server's writes come to a stop (socket buffers full) and stay stopped.
    let held = -1;
    for (let i = 0; i < 25 && held !== endless.written; i += 1) {
      held = endless.written;
      await sleep(200);
    }
    // Kernel socket buffers may still grow a little (autotuning), so the check is a bound: a
    // reader that did not wait for the consumer takes hundreds of MB off loopback in this time.
    assert.ok(held < 16 << 20, `${held} bytes were written before the reads stopped`);
    await sleep(500);
    assert.ok(endless.written < 16 << 20, `${endless.written} bytes written while the consumer paused`);
    // A fast consumer then streams on, and memory stays bounded by the read-ahead.
    for (let i = 0; i < 20000; i += 1) await iterator.next();
    await iterator.return();
    const heapAfter = (await coreDiagnostics()).heapBytes;
    assert.ok(heapAfter - heapBefore < 32 << 20, `wasm heap grew by ${heapAfter - heapBefore} bytes`);
  });

  test('the total timeout ends iteration at once: no queued chunk is handed out after it', async () => {
    const client = new LLMBase({ apiKey: 'llmbase_x', baseURL: endless.url, validation: 'off', maxRetries: 0, timeout: 600 });
    const stream = await client.chat.completions.create(ask('forever', { stream: true }));
    let afterAbort = 0;
    let aborted = false;
    stream.controller.signal.addEventListener('abort', () => {
      aborted = true;
    });
    const error = await (async () => {
      try {
        for await (const chunk of stream) {
          assert.ok(chunk.choices);
          if (aborted) afterAbort += 1;
          await sleep(20); // a slow consumer: the queue would hold many reads' worth of chunks
        }
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof APIConnectionTimeoutError, `got ${error && error.name}`);
    assert.equal(afterAbort, 0);
  });
});

describe('redirects', () => {
  let target;
  let redirector;
  before(async () => {
    target = { hits: 0 };
    target.server = createServer((req, res) => {
      target.hits += 1;
      res.end('{}');
    });
    await new Promise((r) => target.server.listen(0, '127.0.0.1', r));
    target.url = `http://127.0.0.1:${target.server.address().port}/elsewhere`;
    redirector = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: target.url });
      res.end();
    });
    await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
  });
  after(() => Promise.all([target, { server: redirector }].map(({ server }) => new Promise((r) => server.close(r)))));

  test('a 307 to another origin is refused with an error naming the target; the prompt is not re-sent', async () => {
    const client = new LLMBase({
      apiKey: 'llmbase_x',
      baseURL: `http://127.0.0.1:${redirector.address().port}/v1`,
      validation: 'off',
      maxRetries: 2,
    });
    const error = await client.chat.completions.create(ask('secret prompt')).then(
      () => null,
      (e) => e
    );
    assert.ok(error instanceof APIError, `got ${error && error.name}`);
    assert.match(error.message, /redirect/);
    assert.ok(error.message.includes(target.url), error.message);
    assert.equal(target.hits, 0);
  });
});

describe('slots and handles', () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, quiet: true, maxConcurrent: 4 });
  });
  after(() => server.close());

  test("calls aborted at the concurrency limit never meet the server's 429: a slot is freed after its connection", async () => {
    const client = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url, maxConcurrency: 4, maxRetries: 0, validation: 'off' });
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const controller = new AbortController();
        try {
          const stream = await client.chat.completions.create(ask(`call ${i}`, { stream: true }), {
            signal: controller.signal,
            headers: { 'x-llmbase-test-fault': 'stall:200' },
          });
          for await (const chunk of stream) {
            if (chunk.choices[0] && chunk.choices[0].delta.content) controller.abort();
          }
          return 'completed';
        } catch (e) {
          return e instanceof APIUserAbortError ? 'aborted' : `${e.name}: ${e.message}`;
        }
      })
    );
    assert.deepEqual(
      outcomes.filter((o) => o !== 'aborted'),
      []
    );
  });

  test('every CoreCall handle is deleted: after streams, errors, refusals and aborts none is alive', async () => {
    const client = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url, maxRetries: 0 });
    const tries = [
      () => client.chat.completions.create(ask('plain')),
      async () => {
        for await (const c of await client.chat.completions.create(ask('s', { stream: true }))) assert.ok(c);
      },
      () => client.chat.completions.create({ model: MODEL, messages: [] }),
      () => client.chat.completions.create(ask('x'), { headers: { 'x-llmbase-test-fault': 'status:500' } }),
      () =>
        client.chat.completions
          .create(ask('x', { stream: true }), { headers: { 'x-llmbase-test-fault': 'drop-after:2' } })
          .then(async (s) => {
            for await (const c of s) assert.ok(c);
          }),
      () => client.models.list(),
      () => client.validate(ask('v')),
    ];
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(
        tries.map((t) =>
          Promise.resolve()
            .then(t)
            .catch(() => {})
        )
      );
    }
    // A call is deleted once its connection is let go of: up to a second after [DONE] when a
    // body stays open (AFTER_DONE_MS), longer on a loaded machine.
    for (let i = 0; i < 500 && (await coreDiagnostics()).activeCalls; i += 1) await sleep(10);
    assert.equal((await coreDiagnostics()).activeCalls, 0);
  });
});

describe('metadata handed in', () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, quiet: true });
  });
  after(() => server.close());

  test('modelMetadata: validation and pricing without a metadata request', async () => {
    const metadata = await (await fetch(`${server.url}/model-metadata`, { headers: { authorization: 'Bearer llmbase_good_key' } })).json();
    const seen = [];
    const onRequest = (e) => seen.push(e.path || e.url);
    server.stats.events.on('request', onRequest);
    try {
      const client = new LLMBase({ apiKey: 'llmbase_good_key', baseURL: server.url, modelMetadata: metadata });
      const refused = await client.chat.completions.create(ask('x', { tools: 'nope' })).then(
        () => null,
        (e) => e
      );
      assert.equal(refused && refused.name, 'ValidationError');
      const completion = await client.chat.completions.create(ask('hello'));
      assert.equal(typeof completion.cost.usd, 'number');
      assert.equal(seen.filter((p) => String(p).includes('metadata')).length, 0, JSON.stringify(seen));
    } finally {
      server.stats.events.off('request', onRequest);
    }
  });
});
